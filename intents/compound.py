"""Compound messages: one message, several asks ("called Umbrella, they agreed to 35k, move the
deal to negotiation and remind me to send the contract tmrw").

A message is cut where a new ask begins: after a separator ("," ";" "." "!" "+" "and" "also"
"then" "plus" "&"), the next words (past fillers such as "pls", "can you") start with a command
word. A clause that does not start a new ask ("they agreed to 35k") stays with the one before.
Each part is then parsed on its own; a name said once carries over to later parts that need it.
"""

from __future__ import annotations

import re

from intents.vocab import TEAM, phrase_table

# Words that begin a new ask (imperatives and the usual chat openers of a request).
COMMAND_START = frozenset(
    """move mark set remind nudge ping create add log update give assign close snooze show list
send tell pass flag forward book put change push bump disqualify dq convert merge combine
schedule cancel drop delete finish open start alert notify warn pull what's whats what which who
how new save store note record make turn reassign hand transfer reschedule postpone inform loop
give pop stick chuck shift kill rename let""".split()
)
# Fillers that may stand between the separator and the command word.
FILLERS = frozenset(
    """and also then plus pls please plz can could would you u kindly just and, also, then, + &
maybe quickly ok so oh btw""".split()
)
# A separator followed by these is a continuation of the same ask, not a new one.
_NO_SPLIT_AFTER = re.compile(
    r"(?:\b(?:between|both|from|with|w/?|at|of|for|to|into|and)\s*)$", re.IGNORECASE
)
_SEP_RE = re.compile(
    r"\s*(?:[,;!?]|\.(?=\s)|\s\+|\s&(?=\s)|\s-\s|\s–\s)\s*|\s+(?:and|also|then|plus|&)\s+",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"[a-z'/]+")
# "+", ";" and "also" always separate asks ("my tasks today + pipeline by stage"); a part that is
# no request of its own is merged back by the parser
_STRONG_SEP = re.compile(r"\s*;\s*|\s+(?:also|plus)\s+", re.IGNORECASE)
# a report named after "and" / "+" is a read of its own ("pipeline by stage and the Q4 forecast")
_READ_NOUN = re.compile(
    r"(?:the\s+|my\s+|his\s+|her\s+|their\s+|our\s+)?(?:q[1-4]\s+|rep\s+|team\s+)?"
    r"(?:forecast|pipeline|pipe|leaderboard|tasks|to-?dos|reminders|follow-?ups|f/us|"
    r"(?:open\s+)?(?:deals|opps)\s+(?:closing|in|at|for|over|under|due))\b",
    re.IGNORECASE,
)
MAX_COMPOUND_CHARS = 400  # a longer text is parsed as one ask (bounded latency)
MAX_PARTS = 4
# "new deal / new lead / new opp" open a new ask although "new" alone does not
_NEW_THING = re.compile(r"new\s+(?:deal|lead|opp|opportunity|contact|task|reminder|campaign)\b")


# Handing something on to a team ("pass that to engineering", "flag it for product"): it
# continues the ask before it ("Acme asked for SSO, can you pass that to engineering") and makes
# it a feedback write; a listing of feedback never hands anything on.
_TEAM_WORDS = "|".join(sorted(map(re.escape, phrase_table(TEAM)), key=len, reverse=True))
_HAND_ON = r"(?:pass|passing|forward|send|flag|route|escalate|hand)"
ROUTE_CUE = re.compile(
    r"\b" + _HAND_ON + r"\b(?:\s+(?:that|this|it|them|on|along|over))*\s+(?:to|for|with)\s+"
    r"(?:the\s+|our\s+)?(?:" + _TEAM_WORDS + r")\b",
    re.IGNORECASE,
)
# a team outside the vocabulary, named as one: "the install team", "our onboarding team"
OTHER_TEAM = (
    r"(?!(?:the|whole|entire|my|our|your|their|his|her|same|other|new|a|sales)\s)"
    r"[a-z][a-z&-]{1,20}\s+team\b"
)
# "For quality team - Kyowa Gomu asks ...", "attn finance: ...": addressed to a team first
TEAM_ADDRESSED = re.compile(
    r"^\W*(?:(?:feedback|complaint|request|note|log)\s+)?(?:for|to|attn:?|fao|fyi)\s+"
    r"(?:the\s+|our\s+)?"
    r"(?:(?:" + _TEAM_WORDS + r")(?:\s+team)?|" + OTHER_TEAM + ")"
    r"\s*(?:[:\-–—,]|please\b)",
    re.IGNORECASE,
)
# "let finance know X was double billed", "Tell the quality team X got a damaged batch", "can
# finance have a look": a team told of something, by name or as "the <word> team"
_TEAM_NAMED = r"(?:the\s+|our\s+)?(?:(?:" + _TEAM_WORDS + r")\b|" + OTHER_TEAM + ")"
TEAM_TOLD = re.compile(
    r"\b(?:tell|let|ask|notify|inform|loop\s+in|cc|warn)\s+"
    + _TEAM_NAMED
    + r"(?:\s+(?:guys|folks|people|crew))?(?:\s+know\b)?"
    r"|\b(?:can|could|would|will)\s+(?:the\s+|our\s+)?(?:" + _TEAM_WORDS + r")(?:\s+team)?"
    r"\s+(?:have\s+a\s+look|take\s+a\s+look|look\s+into|check|sort|fix|chase|get)\b"
    # "..., for product team", "– for claims team": handed to a team, said last
    r"|[-–—,:]\s*(?:for|to)\s+" + _TEAM_NAMED + r"(?:\s+team)?(?:\s+(?:pls|please))?\W*$",
    re.IGNORECASE,
)
_HAND_ON_BACK = re.compile(
    r"^\W*(?:(?:and|can|could|would|you|u|pls|please|just)\s+)*"
    + _HAND_ON
    + r"(?:\s+(?:that|this|it|them)\b|(?=\s+(?:on\s+|along\s+)?(?:to|for)\s))",
    re.IGNORECASE,
)


def _starts_ask(rest: str) -> bool:
    """Does the text after a separator start a new request?"""
    if _HAND_ON_BACK.match(rest) and ROUTE_CUE.search(rest[:80]):
        return False  # "..., can you pass that to engineering": the same ask, handed on
    words = _WORD_RE.findall(rest[:80].lower())
    k = 0
    while k < len(words) and words[k] in FILLERS:
        k += 1
    if k >= len(words):
        return False
    if any(w in ("also", "plus") for w in words[:k]):
        return True  # "... and also the forecast"
    if _READ_NOUN.match(" ".join(words[k:])) or _READ_NOUN.match(rest.lstrip()):
        return True
    w = words[k]
    if w == "open" and k + 1 < len(words) and words[k + 1] in ("deals", "opps", "tasks", "leads"):
        return False  # "X - open deals and last touch": what to show, not a new ask
    if w == "open" and k + 1 < len(words) and words[k + 1] in ("a", "an", "new", "up"):
        return True  # "... - can you open a 9k deal for them"
    if w == "new":
        return bool(_NEW_THING.match(" ".join(words[k : k + 2])))
    if w in ("what's", "whats", "what", "which", "who", "how", "show", "list", "open", "pull"):
        # a question or a read only starts a new ask right after a clear separator
        return k == 0 or any(f in ("also", "and", "then", "plus") for f in words[:k])
    if w == "close":  # "close task 90" yes; "close to 50k" no
        return k + 1 < len(words) and words[k + 1] in ("task", "the", "reminder", "#", "deal")
    if w in ("remind", "nudge", "ping") and k + 1 < len(words):
        return True
    return w in COMMAND_START


def split_asks(text: str) -> list[tuple[int, int]]:
    """Character ranges of the separate asks in ``text`` (one range when there is one ask)."""
    if len(text) < 12:
        return [(0, len(text))]
    if len(text) > MAX_COMPOUND_CHARS:
        return [(0, len(text))]
    cuts: list[tuple[int, int]] = []  # (end of previous part, start of next part)
    for m in _SEP_RE.finditer(text):
        if m.start() < 6 or m.end() >= len(text) - 3:
            continue
        before = text[: m.start()]
        if _NO_SPLIT_AFTER.search(before) and not m.group(0).strip(" ,;"):
            continue
        if re.search(r"\d$", before) and re.match(r"\d", text[m.end() :]):
            continue  # "40,000"
        strong = bool(_STRONG_SEP.fullmatch(m.group(0)))
        if strong or _starts_ask(text[m.end() :]):
            cuts.append((m.start(), m.end()))
        if len(cuts) >= MAX_PARTS - 1:
            break
    if not cuts:
        return [(0, len(text))]
    parts = []
    start = 0
    for end, nxt in cuts:
        if text[start:end].strip():
            parts.append((start, end))
        start = nxt
    parts.append((start, len(text)))
    return [p for p in parts if len(text[p[0] : p[1]].strip()) >= 3]


# keys a later part may take from an earlier one when it has none of its own
CARRY_KEYS = ("customer", "contact")
CARRY_AMOUNT_TO = frozenset({"update_deal", "create_deal"})
