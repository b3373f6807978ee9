"""Entity extraction: from the spans our components found to the contract's entity values.

Works on a processed Doc (``doc.spans["crm"]`` from ``crm_entities``, ``doc.spans["customers"]``
from ``crm_gazetteer``) plus the tokens, per intent. Pure Python, no model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from datetime import datetime
from typing import Any

from spacy.tokens import Doc, Span, Token

from crm_core.addressing import LEADING as _HONORIFIC
from crm_core.addressing import PREFIXES as _ADDRESS_PREFIXES
from crm_core.addressing import SUFFIXES as _ADDRESS_SUFFIXES
from crm_core.addressing import is_addressed
from intents.components import (
    ABBREVIATIONS,
    AMBIGUOUS_NAMES,
    FIRST_NAMES,
    ISO_CURRENCIES,
    NAME_CONTEXT,
    NUMBER_WORD,
    VERB_BEFORE,
    VERB_TEAMS,
    _gkey,
    _shouting,
    doc_text,
)
from intents.compound import OTHER_TEAM
from intents.dates import MONTHS, NUMBER_WORDS, ORDINAL_WORDS, resolve_date, resolve_period, to_iso
from intents.registry import INTENT_KEYS
from intents.vocab import (
    COMPANY_SUFFIXES,
    INDUSTRY_NOUNS,
    KIND,
    LEGAL_FORMS,
    NAME_PARTICLES,
    SOURCE,
    TEAM,
    phrase_table,
)

KIND_PHRASES = phrase_table(KIND)
TEAM_PHRASES = phrase_table(TEAM) | {s: s for s in SOURCE}

COMMON_WORDS = frozenset(
    """
a about above across after again against all almost alone along already also although always am
among an and another any anybody anyone anything anyway anywhere are around as ask asked asking at
away back be because been before being below between both but by can cannot could did do does doing
done down during each either else enough even ever every everyone everything few first for from
further get gets getting give given go goes going gone got had has have having he her here hers him
his how however i if in into is it its itself just keep kind last later least less let lets like
likely made make many may maybe me might mine more most much must my myself need needs never new
next no nobody none nor not nothing now of off often ok okay on once one only onto or other others
our ours out over own per perhaps please pls put quite rather really right said same say see seem
seems several shall she should show since so some somebody someone something soon still such sure
take than thank thanks that the their them then there these they thing things this those though
through thru till to today together told tomorrow too toward towards under until up upon us use
used very via want wants was we well were what whatever when whenever where whether which while who
whoever whom whose why will with within without would yes yet you your yours yourself yesterday
hey hi hello yo thx ty cheers hmm um uh oh btw fyi asap also again just quick quickly actually
hiya alright kindly there sorry pls plz heya howdy morning evening folks ok okay cool great thanks
chase ring draft finish requests wants needs asks says likes would wishes keeps complains requested
interactions touchpoints touchpoint interaction activity activities timeline
working based who whose which where located sitting
crm qbr sso saml api ui ux kpi kpis roi sla nda rfp rfq poc mvp saas b2b ceo cto cfo coo vp
faq pdf csv
deck slides gifts invoices docs documents contract contracts samples swag
team everyone everybody people guys folks customer customers client clients account accounts company
deal deals lead leads opportunity opportunities opp opps prospect prospects contact contacts
call calls email emails meeting meetings demo demos note notes message messages task tasks reminder
reminders follow followup follow-up up pipeline forecast campaign campaigns alert alerts report
stage amount close closing date probability status owner rep reps week weeks month months year
years day days quarter today tonight morning afternoon evening noon night weekend time
log logged record recorded add added create created new open update updated set change changed
mark marked move moved push pushed bump assign assigned give gave hand handed send sent tell told
let know ping pinged nudge remind notify warn flag pass passed share forward forwarded loop
had have did went spoke talked met called emailed texted messaged demoed rang phoned visited
about regarding re around concerning discuss discussed discussing talk chat chatted catch caught
sync synced lunch coffee dinner quick short long good great bad nice fine well better best worse
big small large huge tiny high low top bottom latest recent recently last first second third
price pricing contract contracts renewal proposal quote quotes invoice invoices budget plan
stuff things details info information update updates news status history story rundown latest
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
january february march april may june july august september october november december jan feb mar
apr jun jul aug sep sept oct nov dec morning eod eow eom eoq eoy end start beginning
they're we're i'm you're it's that's what's where's who's how's there's here's let's don't doesn't
didn't can't won't isn't aren't wasn't weren't haven't hasn't i'll we'll you'll i've we've i'd
please kindly could would should might will shall can may must
yes no maybe ok okay sure yeah yep nope
accept add adjust advise agree allocate allow apply approve archive arrange attach auto bring build
buy cancel capture change check choose chose clear close collect come compare complete confirm
connect consider continue convert copy count cover create cut decide define delete deliver describe
design divide document draft drop edit enter entered entering establish estimate expect explain
fill find finish fix flag follow forget found gather generate grab grow handle happen happened hear
help hire hold hope identify include increase inform introduce invite keep kick know land launch
learn leave list look lose lower manage match mean mention merge miss note notice offer onboard
order organize organise own pay pick plan post prepare present process progress promise provide
pull purchase raise reach read receive recap reduce register reject remember remove renew reopen
replace reply report request require reschedule reset resolve respond restart return review revise
route run save schedule search select sell send share sign spread start stop submit suggest
summarize support switch talk target tell thank track transfer try turn understand upgrade upload
validate verify view visit wait walk watch win work write wrote entered progressed slipped moved
went said told asked wanted needed liked loved hated got gave took made came saw heard felt
interested happy unhappy angry excited worried keen ready done finished started
overview profile summary recap details detail record records file files list lists log logs
scrap kill crossed snooze snoozed dq dq'd tick ticked disqualify dedupe fold roll merge combine
postpone reschedule duplicate dupe title
rundown scoop lowdown story latest status health risk value worth numbers stats metrics
""".split()
)

TRIGGERS = frozenset(
    {
        "with",
        "w/",
        "at",
        "from",
        "for",
        "to",
        "about",
        "on",
        "re",
        "regarding",
        "called",
        "emailed",
        "e-mailed",
        "phoned",
        "rang",
        "met",
        "pinged",
        "messaged",
        "texted",
        "demoed",
        "visited",
        "give",
        "assign",
        "asign",
        "reassign",
        "hand",
        "transfer",
        "move",
        "mark",
        "update",
        "udpate",
        "set",
        "push",
        "bump",
        "change",
        "deal",
        "lead",
        "opp",
        "opportunity",
        "prospect",
        "of",
        "into",
        "email",
        "call",
        "ring",
        "ping",
        "chase",
        "contact",
        "won",
        "lost",
        "closed",
        "signed",
        "take",
        "want",
        "own",
        "up",
        "account",
        "record",
        "history",
        "revise",
        "check",
        "lookup",
        "dm'd",
        "dmed",
        "talked",
        "spoke",
        "by",
        "against",
        "did",
        "had",
        "customer",
        "client",
        "new",
        "meeting",
        "demo",
        "note",
        "message",
        "lunch",
        "sync",
        "emails",
        "calls",
        "meetings",
        "notes",
        "know",
        "that",
        "(",
        "me",
        "show",
        "add",
    }
)
NAME_NOUNS = {
    "proposal",
    "record",
    "account",
    "deal",
    "lead",
    "contract",
    "renewal",
    "opportunity",
    "opp",
    "quote",
    "invoice",
    "file",
    "team",
    "folks",
    "people",
    "pilot",
    "demo",
    "meeting",
    "call",
}
NAME_CONNECTORS = {"&", "and", "of", "y", "della", "e", "zu", "ter", "op"} | NAME_PARTICLES
PRONOUN_ME = {"me", "my", "i", "i'm", "myself", "mine", "im"}
_PERSON_VERBS = frozenset({"became", "becomes", "joined", "joins"})
STOP_AFTER_NAME = {
    "deal", "lead", "opportunity", "opp", "account", "record", "history", "team",
} | _PERSON_VERBS  # fmt: skip
POLITE_WORDS = (
    "thank you",
    "thank u",
    "thanks",
    "thx",
    "ty",
    "pls",
    "plz",
    "please",
    "cheers",
    "asap",
    "if you can",
    "if possible",
    "lol",
    ":)",
    ";)",
    ":d",
    "🙏",
)


def polite_core_end(text: str, keep: AbstractSet[str] = frozenset()) -> int:
    """Where the message ends without its trailing politeness and punctuation (linear time);
    words in ``keep`` are part of the message ("we need a sponsor asap": what was said)."""
    end = len(text)
    for _ in range(12):
        t = text[:end].rstrip(" \t\n,.!?;")
        low = t.lower()
        for w in POLITE_WORDS:
            if w in keep:
                continue
            if low.endswith(w) and (
                len(low) == len(w) or not w[0].isalnum() or not low[-len(w) - 1].isalnum()
            ):
                t = t[: len(t) - len(w)]
                break
        else:
            return len(t)
        end = len(t)
    return end


# "put a note on Wellspring that ...", "log a note that ...": what follows "that" is the note
_NOTE_THAT = re.compile(
    r"\b(?:log|add|put|make|leave|record|drop|write)\s+(?:a\s+|an\s+)?(?:quick\s+)?note\s+"
    r"(?:(?:on|against|for|to|in|under)\s+[^,;:]{1,60}?\s+)?that\s+",
    re.I,
)
# "the request of X: ...", "complaint of X about ...": the feedback is what follows
_FEEDBACK_HEAD = re.compile(
    r"\b(?:feedback|request|complaint|suggestion)\s+(?:of|from)\s+[^:]{1,60}?:\s*|"
    r"\bcomplain(?:t|ts|ed|s|ing)?\s+(?:of|from)\s+[^,;:]{1,60}?\s+(?:about|re|regarding|over)\s+",
    re.I,
)
# urgency said by the customer or about them is part of a logged summary, not politeness
_KEPT_URGENCY = frozenset({"asap"})

FOLLOW_UP_CUE = re.compile(
    r"(?:follow[\s-]?up|followup|\bf/?u|circle back|check back|check in|reconnect|next step|"
    r"touch base|ping them|get back|chase|try (?:(?:him|her|them)\s+)?again|"
    r"(?:call|ring) (?:(?:him|her|them)\s+)?back|"
    r"speak again|talk again)(?:\s+(?:with them|on it|again|up))?\s*(?:on|by|in|for|next)?\s*$",
    re.IGNORECASE,
)


# "Patricia Olmos → Kayla pls": a lead, an arrow, the rep it goes to (a stage after an arrow is
# a deal's move: "update: Acme -> lost")
ARROW_ASSIGN = re.compile(
    r"^\W*[^→>]*?\w[^→>]*?\s*(?:→|->|=>|➡️?)\s*@?"
    r"(?!(?:won|lost|closed|negotiation|proposal|qualification|prospecting|qualified|"
    r"contacted|disqualified|converted|new)\b)([A-Za-z][\w.]*)"
    r"\W*(?:pls|plz|please|thx|thanks|ta|cheers)?\W*$",
    re.IGNORECASE,
)


def mention_value(text: str) -> str:
    t = text.strip()
    m = re.fullmatch(r"<@([A-Za-z0-9]+)(?:\|[^>]*)?>", t)
    if m:
        return m.group(1)
    m = re.fullmatch(r"<#[A-Za-z0-9]+\|([\w-]+)>", t)
    if m:
        return "#" + m.group(1)
    if t.startswith("@"):
        return t[1:]
    return t


_MULTIPLIERS = {
    "k": 1e3,
    "thousand": 1e3,
    "grand": 1e3,
    "m": 1e6,
    "mm": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "mil": 1e6,
    "mill": 1e6,
    "millions": 1e6,
    "milhão": 1e6,
    "milhões": 1e6,
    "millón": 1e6,
    "millones": 1e6,
    "mio": 1e6,
    "mln": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "lakh": 1e5,
    "lakhs": 1e5,
    "lac": 1e5,
    "lacs": 1e5,
    "crore": 1e7,
    "crores": 1e7,
}
_AMOUNT_NUM = re.compile(
    r"(\d{1,2}(?:,\d{2})+,\d{3}(?!\d)|\d{1,3}(?:\.\d{3})+,\d{1,2}(?!\d)|"
    r"\d{1,3}(?:,\d{3})+\.\d{1,2}(?!\d)|\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:\.\d{3})+(?![\d,])|"
    r"\d{1,3}(?: \d{3})+(?!\d)|\d+(?:[.,]\d+)?)\s?"
    r"(k|mm|mn|milh(?:ão|ões)|mill(?:ón|ones)|millions?|mil|mill|mio|mln|m|bn|b|thousand|billion|"
    r"grand|lakhs?|lacs?|crores?)?"
)


def parse_amount(text: str) -> float | int | None:
    """A number in currency units: "50k", "$1.2M", "40,000", "45.000" and "65 000" (thousands
    separators), "62.500,00" and "62,500.00" (with cents), "12,00,000" (Indian grouping),
    "2,5 lakh" and "R$ 1,2 milhão" (a decimal comma before a multiplier), "1.1 mil" (a million,
    but "R$ 80 mil" and "18 mil euros" are thousands, as Portuguese and Spanish say it), and
    amounts in words ("twelve thousand", "one point five million")."""
    low = text.lower().replace("\u00a0", " ")
    m = _AMOUNT_NUM.search(low)
    if not m:
        return _amount_in_words(low)
    digits, word = m.group(1), m.group(2) or ""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", digits) and not word:
        num = float(digits.replace(".", ""))  # "45.000": a thousands separator, not decimals
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d{1,2}", digits):
        num = float(digits.replace(".", "").replace(",", "."))  # "62.500,00"
    elif re.fullmatch(r"\d+,\d{1,2}", digits):
        num = float(digits.replace(",", "."))  # "2,5 lakh"
    else:
        num = float(digits.replace(",", "").replace(" ", ""))
    factor = _MULTIPLIERS.get(word, 1)
    if word == "mil" and _MIL_IS_THOUSAND.search(low):
        factor = 1e3
    value = round(num * factor, 2)
    return int(value) if value == int(value) else value


# "mil" is a thousand where the amount is in a currency of Portuguese or Spanish speakers
_MIL_IS_THOUSAND = re.compile(
    r"r\$|brl|mx\$|mxn|ars|cop|clp|uyu|\bmil\s+(?:reais|pesos|euros|soles|d[oó]lares)"
)
_WORD_AMOUNT = re.compile(
    rf"((?:{NUMBER_WORD}|a)(?:[\s-]+(?:{NUMBER_WORD}|and|point))*)\s*"
    r"(thousand|grand|k|million|billion)\b"
    rf"(?:[\s-]+(?:and\s+)?({NUMBER_WORD}(?:[\s-]+{NUMBER_WORD})*))?"
)


def _amount_in_words(low: str) -> float | int | None:
    """ "twelve thousand" 12000, "fifteen k" 15000, "one point five million" 1500000, "forty two
    thousand five hundred" 42500 (text2num reads the number words)."""
    from text_to_num import text2num

    m = _WORD_AMOUNT.search(low)
    if not m:
        return None
    words = re.sub(r"[\s-]+", " ", m.group(1)).strip()
    words = re.sub(r"^a\b", "one", words)
    whole, _, decimals = words.partition(" point ")
    try:
        num = float(text2num(whole, "en"))
        if decimals:
            digits = "".join(str(text2num(w, "en")) for w in decimals.split() if w != "and")
            num += float(f"0.{digits}")
        tail = int(text2num(re.sub(r"[\s-]+", " ", m.group(3)), "en")) if m.group(3) else 0
    except ValueError:
        return None
    factor = {"thousand": 1e3, "grand": 1e3, "k": 1e3, "million": 1e6, "billion": 1e9}[m.group(2)]
    value = round(num * factor + tail, 2)
    return int(value) if value == int(value) else value


def _has_money_marker(text: str) -> bool:
    return bool(
        re.search(
            r"[$€£₹¥₦₵₩₱₺₽฿]|usd|eur|gbp|pln|inr|chf|sek|aed|brl|dollar|euro|bucks|rupees?|naira|"
            r"reais|dirhams?|pesos?|rand\b|^n\d|"
            r"\d\s?(?:k|m|mm|mn|b|bn|mil|thousand|million|billion|grand|lakhs?|lacs?|crores?)\b|"
            r"\b(?:thousand|grand|k|million|billion)\b|"
            r"\d,\d{3}|\d\.\d{3}(?!\d)|\d \d{3}",
            text,
            re.I,
        )
    )


# a number right after these names a record, not an amount ("deal 880", "lead #29")
_ID_BEFORE = re.compile(
    r"(?:\b(?:deal|deals|task|tasks|lead|leads|opp|opportunity|reminder|number|no|id|nr)\.?\s*#?|#)\s*$",
    re.I,
)
_COUNT_AFTER = re.compile(
    r"^\s*(?:licen[cs]es?|seats?|users?|units?|people|employees|staff|heads|reps|accounts|"
    r"locations|sites|stores|trucks|machines|laptops|pcs|boxes|items|days?|weeks?|months?|years?)\b",
    re.I,
)


_DATE_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday mon tue tues wed weds thu thur
thurs fri sat sun january february march april may june july august september sept october
november december jan feb mar apr jun jul aug sep oct nov dec""".split()
)
_DATE_FOLLOWERS = frozenset(
    """morning afternoon evening night next this last week at by to about re and or for with
from if when then the a an in on am pm eod noon please pls thanks""".split()
)
_DATE_LEADERS = frozenset(
    "on by until till next this last since before after from in of coming early mid late".split()
)


def _date_word_in_name(sp: Span) -> bool:
    """A one-word date span that is the first word of a name (see _starts_name)."""
    return (
        sp.label_ in ("DATE", "PERIOD")
        and sp.end - sp.start <= 2
        and sp.text.lower() in _DATE_WORDS
        and _starts_name(sp)
    )


def _starts_name(sp: Span) -> bool:
    """A weekday or month word that starts a name ("Sun Microsystems", "May Department Stores",
    "wed design studio") is no date: the word after it is a name word, not a date or a verb.
    (A span: the tokenizer splits "Wed" into "We" "d".)"""
    if sp.text.lower() not in _DATE_WORDS:
        return False
    tok = sp[0]
    doc = sp.doc
    if tok.i > 0 and doc[tok.i - 1].lower_ in _DATE_LEADERS:
        # "15th of May" is a date; "the account of Saturday Market" is not; nor is "a complaint
        # from Sunday Riley" (a capitalised name word after it)
        before_of = doc[tok.i - 2].lower_ if tok.i >= 2 else ""
        lead = doc[tok.i - 1].lower_
        capital_next = (
            sp.end < len(doc)
            and tok.text[:1].isupper()
            and doc[sp.end].text[:1].isupper()
            and doc[sp.end].is_alpha
            and doc[sp.end].lower_ not in _DATE_WORDS
        )
        if not (lead == "of" and not before_of[:1].isdigit()) and not (
            lead == "from" and capital_next
        ):
            return False
    if sp.end >= len(doc):
        return False
    nxt = doc[sp.end]
    if not nxt.is_alpha or nxt.lower_ in _DATE_FOLLOWERS or nxt.lower_ in _DATE_WORDS:
        return False
    if tok.text[:1].isupper():
        return nxt.text[:1].isupper() or nxt.lower_ in _NAME_TAILS
    prev = doc[tok.i - 1].lower_ if tok.i > 0 else ""
    if prev in ("me", "us", "him", "her", "them") or doc[tok.i - 1].text.startswith("<@"):
        return False  # "remind me wed send tuas micro the new qt": whom, then when
    return prev in TRIGGERS or (nxt.lower_ not in COMMON_WORDS and nxt.lower_ not in _KNOWN_VOCAB)


# words that end a company name after a weekday/month word in lower case ("may department stores")
_NAME_TAILS = frozenset("and & n co inc corp labs group foods health".split())


def _short_phone(sp: Span) -> bool:
    """A "phone" of fewer than seven digits ("32.000 euro") is a number with a thousands
    separator, not a phone number."""
    return sp.label_ == "PHONE" and sum(c.isdigit() for c in sp.text) < 7


class Extraction:
    """Per-doc state shared by the entity rules."""

    def __init__(self, doc: Doc, now: datetime, gazetteer: Any = None) -> None:
        self.doc = doc
        self.now = now
        self.gazetteer = gazetteer
        self.by_label: dict[str, list[Span]] = {}
        spans = [
            sp
            for sp in doc.spans.get("crm", [])
            if not _date_word_in_name(sp) and not _short_phone(sp)
        ]
        # regex spans: drop those overlapping a higher-priority one
        priority = [
            "EMAIL",
            "URL",
            "MENTION",
            "DATE",
            "PERIOD",
            "PERCENT",
            "PHONE",
            "AMOUNT",
            "QUOTED",
        ]
        taken: list[tuple[int, int, str]] = []
        for label in priority:
            for sp in sorted(
                (s for s in spans if s.label_ == label), key=lambda s: (s.start_char, -len(s.text))
            ):
                over = [lab for a, b, lab in taken if a < sp.end_char and sp.start_char < b]
                if label == "PERIOD":
                    if any(lab != "DATE" for lab in over):
                        continue
                elif label != "QUOTED" and over:
                    continue
                self.by_label.setdefault(label, []).append(sp)
                if label not in ("QUOTED", "PERIOD"):
                    taken.append((sp.start_char, sp.end_char, label))
        for sp in spans:
            if sp.label_ not in priority:
                if any(
                    a < sp.end_char and sp.start_char < b for a, b, _ in taken
                ) and sp.label_ not in ("COMPARATOR",):
                    continue
                self.by_label.setdefault(sp.label_, []).append(sp)
        for label in self.by_label:
            self.by_label[label].sort(key=lambda s: (s.start, -(s.end - s.start)))
        # weekday / month words that start a name: name words, not dates
        self.date_names: set[int] = {
            t.i for t in doc if t.lower_ in _DATE_WORDS and _starts_name(doc[t.i : t.i + 1])
        }
        for sp in doc.spans.get("crm", []):
            if _date_word_in_name(sp):
                self.date_names.update(range(sp.start, sp.end))
        self.blocked: set[int] = set()
        for label in ("EMAIL", "URL", "MENTION", "DATE", "PERIOD", "PERCENT", "PHONE", "AMOUNT"):
            for sp in self.by_label.get(label, []):
                self.blocked.update(range(sp.start, sp.end))
        for sp in self.by_label.get("KIND", []):
            if len(sp) > 1:  # "a Teams call", "zoom call", "site visit": the kind, not a name
                self.blocked.update(range(sp.start, sp.end))

    def first(self, label: str, *, exclude: Iterable[tuple[int, int]] = ()) -> Span | None:
        for sp in self.by_label.get(label, []):
            if not any(a <= sp.start_char < b for a, b in exclude):
                return sp
        return None

    def all(self, label: str) -> list[Span]:
        return self.by_label.get(label, [])


_KNOWN_VOCAB: set[str] = set()


_ENGLISH: frozenset[str] = frozenset()


def set_english_words(words: frozenset[str]) -> None:
    """Known English words (the normaliser's list): a lone one is rarely a customer's name."""
    global _ENGLISH
    _ENGLISH = words


def set_known_vocabulary(words: Iterable[str]) -> None:
    """The template words of the training data (never names); set by the Parser."""
    _KNOWN_VOCAB.clear()
    _KNOWN_VOCAB.update(words)


def _is_typo(tok: Token) -> bool:
    """The normaliser corrected this word to a vocabulary word (1 edit; 2 for long words)."""
    low, norm = tok.lower_, tok.norm_
    if norm == low or norm.startswith("__") or len(low) < 5:
        return False
    from rapidfuzz.distance import OSA

    d = OSA.distance(low, norm)
    return d == 1 or (d == 2 and len(low) >= 8)


def _is_short_typo(tok: Token) -> bool:
    """A 3-4 letter typo of a domain word ("dal" -> "deal", "lgo" -> "log")."""
    low, norm = tok.lower_, tok.norm_
    if norm == low or len(low) >= 5 or norm not in TRIGGERS:
        return False
    from rapidfuzz.distance import OSA

    return OSA.distance(low, norm) == 1


def _is_known(tok: Token) -> bool:
    low = tok.lower_
    if (
        low in COMMON_WORDS
        or low in ABBREVIATIONS
        or (low in _KNOWN_VOCAB and low not in FIRST_NAMES)
    ):
        return True
    return not tok.text[:1].isupper() and (_is_typo(tok) or _is_short_typo(tok))


def _is_person_start(tok: Token, strict: bool = False) -> bool:
    low = tok.lower_
    if low not in FIRST_NAMES:
        return False
    if tok.text[:1].isupper():
        return True
    return low not in AMBIGUOUS_NAMES or not strict


def _is_suffix(tok: Token) -> bool:
    return tok.lower_.rstrip(".") in COMPANY_SUFFIXES or tok.lower_ in COMPANY_SUFFIXES


class Candidate:
    __slots__ = ("start", "end", "text", "person", "role", "cid", "trigger")

    def __init__(
        self,
        start: int,
        end: int,
        text: str,
        person: bool,
        role: str | None = None,
        cid: int | None = None,
        trigger: str | None = None,
    ) -> None:
        self.start, self.end, self.text, self.person = start, end, text, person
        self.role, self.cid, self.trigger = role, cid, trigger

    def __repr__(self) -> str:  # pragma: no cover
        return f"Candidate({self.text!r}, person={self.person}, role={self.role}, cid={self.cid})"


def name_candidates(
    ex: Extraction, skip: set[int], hard_skip: AbstractSet[int] = frozenset()
) -> list[Candidate]:  # noqa: C901
    doc = ex.doc
    n = len(doc)
    cands: list[Candidate] = []
    used: set[int] = set()
    # gazetteer first (closed-vocabulary words inside a known name don't count)
    for sp in doc.spans.get("customers", []):
        if any(i in hard_skip or i in ex.blocked for i in range(sp.start, sp.end)):
            continue
        cands.append(Candidate(sp.start, sp.end, sp.text, False, cid=int(sp.kb_id_)))
        used.update(range(sp.start, sp.end))

    def ok_token(i: int) -> bool:
        return 0 <= i < n and i not in skip and i not in ex.blocked and i not in used

    def sentence_initial(i: int) -> bool:
        j = i - 1
        while j >= 0 and (
            doc[j].norm_ in ("__mention__",)
            or doc[j].lower_
            in (
                "hey",
                "hi",
                "ok",
                "so",
                "um",
                "yo",
                "btw",
                "fyi",
                "update",
                "news",
                "quick",
                "fyi:",
            )
        ):
            j -= 1
        return j < 0 or doc[j].text in (".", "!", "?", ":", ";", "\n", ",", "-", "—", "->")

    i = 0
    while i < n:
        tok = doc[i]
        if not ok_token(i) or not (tok.text[:1].isalnum()):
            i += 1
            continue
        cap = tok.text[:1].isupper() or (
            tok.text[:1].isdigit() and any(c.isalpha() for c in tok.text)
        )
        prev = doc[i - 1] if i > 0 else None
        prev_low = prev.lower_ if prev is not None else ""
        if not cap and prev_low in ("my", "your", "his", "her", "our", "their") and i > 0:
            i += 1  # "lunch with my parents": a possessive before a lower-case word is no name
            continue
        if prev_low in ("the", "a", "an", "our", "their", "my") and i > 1:
            trigger_pos = doc[i - 2].lower_ in TRIGGERS or doc[i - 2].lemma_ in TRIGGERS
        else:
            trigger_pos = prev_low in TRIGGERS or (prev is not None and prev.lemma_ in TRIGGERS)
        initial = sentence_initial(i)
        known = _is_known(tok) and i not in ex.date_names
        if tok.lower_ in ("i", "me", "my", "we", "us", "you", "it", "they"):
            i += 1
            continue
        start_ok = False
        if cap and not known:
            start_ok = True
        elif cap and known and not initial and tok.lower_ not in COMMON_WORDS:
            start_ok = True
        elif i in ex.date_names:
            start_ok = True
        elif not cap and not known and trigger_pos and bool(re.fullmatch(r"[\w&.'-]+", tok.text)):
            start_ok = True
        elif (
            not cap and not known and prev_low in ("send", "sent", "bring", "show") and tok.is_alpha
        ):
            # "send globex the contract" (a name then an object), not "send gifts to ..."
            k = i
            while k < n and k - i < 3 and doc[k].is_alpha and not _is_known(doc[k]):
                k += 1
            start_ok = k < n and doc[k].lower_ in (
                "the",
                "a",
                "an",
                "our",
                "their",
                "his",
                "her",
                "this",
                "that",
            )
        elif not cap and not known and initial and bool(re.fullmatch(r"[\w&.'-]+", tok.text)):
            start_ok = True
        elif not cap and not known and prev_low in ("the", "a", "our", "their") and tok.is_alpha:
            k = i
            while (
                k < n
                and k - i < 4
                and doc[k].is_alpha
                and not _is_known(doc[k])
                and doc[k].lower_ not in NAME_NOUNS
            ):
                k += 1
            start_ok = k > i and k < n and doc[k].lower_ in NAME_NOUNS
        elif not cap and _is_person_start(tok) and not known:
            start_ok = True
        if not start_ok or _is_suffix(tok) and not cap:
            i += 1
            continue
        j = i + 1
        while j < n and ok_token(j) and (j - i) < 5:
            t = doc[j]
            if (
                t.lower_ in NAME_CONNECTORS
                and j + 1 < n
                and ok_token(j + 1)
                and doc[j + 1].text[:1].isupper()
                and t.lower_ not in ("and",)
                and cap
            ):
                j += 2
                continue
            if t.text == "&" and j + 1 < n and ok_token(j + 1):
                j += 2
                continue
            if t.text in ("-",) and not t.whitespace_ and j + 1 < n and not doc[j - 1].whitespace_:
                j += 2
                continue
            if _is_suffix(t) and (cap or t.lower_ not in ("and", "&")) and t.lower_ not in ("and",):
                j += 1
                if j < n and doc[j].text == "." and not doc[j - 1].whitespace_:
                    j += 1
                continue
            if cap and t.text[:1].isupper() and (not _is_known(t) or t.lower_ not in COMMON_WORDS):
                j += 1
                continue
            if (
                not cap
                and t.text[:1].islower()
                and t.is_alpha
                and t.lower_ not in STOP_AFTER_NAME
                and (
                    not _is_known(t)
                    or (
                        j == i + 1
                        and _is_person_start(tok)
                        and t.lower_ not in COMMON_WORDS
                        and t.lower_ not in _KNOWN_VOCAB
                    )
                )
            ):
                j += 1
                continue
            break
        span = doc[i:j]
        text = span.text.strip(" ,.;:!?")
        while span and span[-1].lower_ in ("and", "&", "-", "of"):
            span = span[:-1]
            text = span.text
        if not text:
            i = j
            continue
        words = [t for t in span]
        person = (
            _is_person_start(words[0], strict=not trigger_pos)
            and not any(_is_suffix(t) for t in words[1:])
            and len(words) <= 3
        )
        if (
            person
            and len(words) == 1
            and words[0].lower_ in AMBIGUOUS_NAMES
            and not words[0].text[:1].isupper()
        ):
            person = trigger_pos
        cands.append(
            Candidate(
                span.start,
                span.end,
                text,
                person,
                role="initial" if initial else None,
                trigger=prev_low if trigger_pos else None,
            )
        )
        used.update(range(span.start, span.end))
        i = j
    cands.sort(key=lambda c: c.start)
    # a lower-case guess at the start of the text is noise when another name follows a preposition
    if any(c.trigger for c in cands):
        cands = [
            c
            for c in cands
            if c.trigger
            or c.cid is not None
            or c.text[:1].isupper()
            or c.person
            or c.role != "initial"
        ]
    # when the text has capitalised names, lower-case guesses are noise
    if any(c.text[:1].isupper() or c.cid is not None for c in cands):
        cands = [
            c for c in cands if c.text[:1].isupper() or c.text[:1].isdigit() or c.cid is not None
        ]
    # "Name (Company)": the parenthesised part is a company, the name before a person
    for k, c in enumerate(cands):
        if c.start > 0 and doc[c.start - 1].text == "(" and c.end < n and doc[c.end].text == ")":
            c.person = False
            if k > 0 and cands[k - 1].end == c.start - 1:
                cands[k - 1].person = True
    # fuzzy gazetteer for the rest
    gz = ex.gazetteer
    if gz is not None and getattr(gz, "size", None):
        tried = 0
        for c in cands:
            if c.cid is None and not c.person and tried < 3:  # bounded: long texts stay fast
                tried += 1
                hit = gz.fuzzy(c.text)
                if hit:
                    c.cid = hit[0]
    return cands


def _span_tokens(doc: Doc, start_char: int, end_char: int) -> set[int]:
    sp = doc.char_span(start_char, end_char, alignment_mode="expand")
    return set(range(sp.start, sp.end)) if sp is not None else set()


_OTHER_TEAM = re.compile(
    r"\b(?:the|our|to|for|tell|ask|ping|cc|inform|notify|loop\s+in)\s+" + OTHER_TEAM
)


# Where a lead came from, in words of the writer's own ("met him at the ASHRAE mtg", "came
# from Property Finder", "lead from Bayut: ...", "referral from pastor jim"): the closed list
# of sources (vocab.SOURCE) cannot name every fair, portal and breakfast.
_SOURCE_SAID = re.compile(
    r"(?:\bmet\s+(?:him|her|them|\w+)?\s*(?:at|on|during)"
    r"|\bcame\s+(?:in\s+)?(?:from|via|through|thru|off(?:\s+of)?)"
    r"|\b(?:in|inbound)\s+(?:off|from|via|through)"
    r"|\blead\s+from(?=\s+[^:,]{2,30}:)"
    r"|\bsource\s*(?:is|was|:|-|=)?)"
    r"\s+(?:the\s+|a\s+|an\s+)?(?P<src>[^,;:.!?()]{2,60})"
    r"|\b(?P<ref>referral\s+from\s+[^,;:.!?()]{2,40})",
    re.IGNORECASE,
)
_SOURCE_END = re.compile(
    r"\s+(?:and|but|so|give|assign|pass|wants?|interested|looking|asked|asking|needs?|"
    r"last|yesterday|today|this|next|on|in|for|who|where|with|w/|about|re|pls|please|"
    r"tmrw|tomorrow|\d)\b.*|\s+-\s.*",
    re.IGNORECASE,
)


def _source_words(said: re.Match[str]) -> str:
    """The source a `_SOURCE_SAID` match names, up to where the sentence moves on."""
    if said.group("ref"):
        return _clean_free(re.split(r"\s+(?:and|but|so|-)\s", said.group("ref"))[0])
    value = _SOURCE_END.sub("", said.group("src")).strip()
    words = value.split()
    if not words or len(words) > 5 or words[0].lower() in ("me", "us", "you", "it"):
        return ""
    return _clean_free(value)


def _clean_free(text: str) -> str:
    return text.strip(" ,;:-–—\"'“”.!?").strip()


_AFTER_WHOM = re.compile(
    r"\s+(?:to|that|about|when|if|on|at|in|tomorrow|today|tmrw|whenever|as soon|"
    r"(?:the\s+)?same\s+(?:day|time)|too|as well|also|first thing|next)\b",
    re.I,
)


def _before_reminded(text: str, ex: Extraction, end: int) -> bool:
    """After a name that is whom to remind comes what or when: "to", "that", "about" or a date
    ("remind Bianca the day after tomorrow to ...", "remind Marcus Dec 3 to ...")."""
    if _AFTER_WHOM.match(text, end):
        return True
    nxt = re.match(r"\s+", text[end:])
    return nxt is not None and any(sp.start_char == end + nxt.end() for sp in ex.all("DATE"))


def _addresses_bot(doc: Doc, sp: Span) -> bool:
    """A Slack mention that opens the message (or follows a preamble's colon or comma) and runs into
    the ask ("<@U0BOT> how's Marcus doing", "here goes: <@U0BOT> leads for me") is whom the
    message is to, the bot, not a person in it; "<@U12>'s pipeline" is whose."""
    return (
        sp.text.startswith("<@")
        and (sp.start == 0 or doc[sp.start - 1].text in (":", ","))
        and sp.end < len(doc)
        and doc[sp.end].lower_ not in ("'s", "’s")
    )


# what a rep has, said after the rep's name ("tylers forecast", "Karthik's tasks")
_OWNED = frozenset(
    """pipeline pipe forecast forecasts fcst numbers number quota tasks task todos deals deal
    leads lead performance perf book accounts""".split()
)
_OWNED_SOLELY = frozenset(
    "pipeline pipe forecast forecasts fcst numbers quota tasks task todos leads lead".split()
)


def _owned_numbers(doc: Doc, tok: Token) -> str | None:
    """A rep named as the owner of numbers or records: "Karthik's tasks", "tylers forecast",
    "kaylas deals in negotiation". A capitalised name with "'s" owns a pipeline, forecast or
    tasks or leads whoever it is (a customer has none); deals only a known first name."""
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if nxt is not None and nxt.lower_ in ("'s", "’s"):
        after = doc[tok.i + 2] if tok.i + 2 < len(doc) else None
        if after is not None and after.i + 1 < len(doc) and after.lower_ not in _OWNED:
            after = (
                doc[after.i + 1] if after.lower_ in ("open", "new", "qualified", "own") else after
            )
        if after is None or after.lower_ not in _OWNED:
            return None
        if (tok.text[:1].isupper() and after.lower_ in _OWNED_SOLELY) or (
            tok.lower_ in FIRST_NAMES and tok.lower_ not in AMBIGUOUS_NAMES
        ):
            return tok.text
        return None
    low = tok.lower_
    if (
        nxt is not None
        and tok.is_alpha
        and low.endswith("s")
        and low[:-1] in FIRST_NAMES
        and low[:-1] not in AMBIGUOUS_NAMES
        and low not in FIRST_NAMES
        and nxt.lower_ in _OWNED
    ):
        return tok.text[:-1]  # "tylers forecast": the apostrophe left out
    return None


_BEFORE_REP = frozenset("for by of show list get pull how is does did has give".split())
_AFTER_REP = _OWNED | {"open", "new", "qualified", "contacted", "dey", "is", "doing", "has"}


def _rep_named(ex: Extraction, tok: Token) -> bool:
    """ "forecast for Segun", "show Kunle tasks", "how Tunde dey perform": one capitalised word,
    no English one, where a rep is named."""
    doc = ex.doc
    if not (
        tok.is_alpha
        and tok.i > 0
        and tok.text[:1].isupper()
        and tok.text[1:].islower()
        and tok.i not in ex.blocked
        and tok.lower_ not in _ENGLISH
        and tok.lower_ not in COMMON_WORDS
        and tok.lower_ not in _DATE_WORDS
    ):
        return False
    prev = doc[tok.i - 1]
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if prev.text[:1].isupper() and prev.is_alpha and prev.i > 0:
        return False  # a word of a longer name
    if nxt is not None and nxt.is_alpha and nxt.text[:1].isupper():
        return False
    return prev.lower_ in _BEFORE_REP or (nxt is not None and nxt.lower_ in _AFTER_REP)


def _lower_rep_named(ex: Extraction, tok: Token) -> bool:
    """ "how's jess doing", "forecast for jiahui", "how is thao doing": a rep named in lower
    case, where a rep is named, by a word that is no English word and none of ours."""
    doc = ex.doc
    if not (
        tok.is_alpha
        and tok.is_lower
        and tok.i > 0
        and len(tok.text) >= 3
        and tok.i not in ex.blocked
        and tok.lower_ not in _ENGLISH
        and tok.lower_ not in COMMON_WORDS
        and tok.lower_ not in _KNOWN_VOCAB
        and tok.lower_ not in _DATE_WORDS
    ) or (tok.lower_ in AMBIGUOUS_NAMES):
        return False
    prev = doc[tok.i - 1].lower_
    nxt = doc[tok.i + 1].lower_ if tok.i + 1 < len(doc) else ""
    asked_how = prev in ("'s", "’s") and tok.i > 1 and doc[tok.i - 2].lower_ == "how"
    return prev in _BEFORE_REP or asked_how or nxt in _AFTER_REP


def _with_surname(doc: Doc, tok: Token) -> str:
    """ "Tom Becker", "Priya Raman's forecast": the first name and the capitalised surname."""
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if (
        nxt is not None
        and nxt.is_alpha
        and nxt.text[:1].isupper()
        and nxt.lower_ not in _OWNED
        and nxt.lower_ not in _DATE_WORDS
        and nxt.lower_ not in COMMON_WORDS
    ):
        return f"{tok.text} {nxt.text}"
    return tok.text


def _owner_from(
    ex: Extraction, skip_mentions: AbstractSet[int] = frozenset(), reps_only: bool = False
) -> str | None:
    """Whose numbers or records: a mention, a rep's first name, "my". With `reps_only` (an ask
    that names no customer: forecast, tasks, leads, performance) a capitalised name that is no
    English word is a rep's too, where an owner is said ("forecast for Segun", "show Kunle
    tasks"), though no list of first names has it."""
    doc = ex.doc
    for sp in ex.all("MENTION"):
        if (
            sp.start not in skip_mentions
            and not sp.text.startswith(("#", "<#"))
            and not _addresses_bot(doc, sp)
        ):
            return mention_value(sp.text)
    for tok in doc:
        owned = _owned_numbers(doc, tok)
        if owned:
            return owned
        if reps_only and (_rep_named(ex, tok) or _lower_rep_named(ex, tok)):
            return tok.text
        if tok.text[:1].isupper() and tok.lower_ in FIRST_NAMES and tok.i not in ex.blocked:
            if tok.i > 0 and doc[tok.i - 1].lower_ in ("with", "at", "from"):
                continue
            if tok.i > 1 and doc[tok.i - 1].is_alpha and doc[tok.i - 1].text[:1].isupper():
                continue  # "Tidewater Marine Supply": a word of a longer name
            return _with_surname(doc, tok)
        if (
            tok.lower_ in FIRST_NAMES
            and tok.lower_ not in AMBIGUOUS_NAMES
            and tok.i + 1 < len(doc)
            and doc[tok.i + 1].lower_ in ("'s", "’s")
        ):
            return tok.text
        if (
            tok.lower_ in FIRST_NAMES
            and tok.lower_ not in AMBIGUOUS_NAMES
            and tok.i > 0
            and doc[tok.i - 1].lower_
            in ("for", "by", "is", "does", "did", "how's", "hows", "has", "about")
            and tok.i not in ex.blocked
        ):
            return tok.text
    for tok in doc:
        if tok.lower_ == "me" and tok.i > 0 and doc[tok.i - 1].lower_ in GIVING_VERBS:
            continue  # "show me the pipeline": the reader, not whose numbers
        if tok.lower_ in PRONOUN_ME or (
            tok.lower_ == "am" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "i"
        ):
            return "me"
    return None


_READER_INTENTS = frozenset(
    {"pipeline_report", "forecast", "list_leads", "rep_performance", "list_deals"}
)
_READER_PHRASE = re.compile(
    r"\b(?:can|could|may|shall)\s+i\s+(?:have|get|see|grab|look at|pull)\b"
    r"|\b(?:show|give|send|get|pull|bring|run|grab)\b.*\bfor me\b"
    # "I want to see how much ...", "I'd like the pipeline by month", "so I can see"
    r"|\bi(?:'d| would)?\s+(?:like|want|need)(?:\s+to\s+(?:see|understand|know|review|check|"
    r"look at|give))?\b|\bso\s+i\s+can\s+(?:see|check|review)\b"
)
_OWN_WORDS = re.compile(r"\b(?:my|mine|myself|am i|i'm|i have|i've|i got|did i|have i)\b")


def reader_phrases(low: str) -> str:
    """The text without the phrases in which "I" / "me" is only who reads a report ("can I get
    the pipeline", "pull the numbers for me"); what is left says whether it is my own numbers.
    The training data's gold (intents.data.generate) follows the same rule."""
    return _READER_PHRASE.sub(" ", low)


def _reader_only(low: str) -> bool:
    """ "I" / "me" only as the reader: a reader phrase, and no word of my own numbers."""
    rest = reader_phrases(low)
    return rest != low and not _OWN_WORDS.search(rest) and not re.search(r"\b(?:me|i)\b", rest)


# Verbs whose "me" is the one being told ("show me", "give me"), not an owner.
GIVING_VERBS = frozenset(
    {
        "show",
        "give",
        "tell",
        "send",
        "get",
        "bring",
        "pull",
        "let",
        "email",
        "mail",
        "walk",
        "remind",
    }
)


# a count, in digits or words ("last 5 calls", "ten biggest deals"); "one" is too often a pronoun
_COUNT_WORDS = [w for w, n in NUMBER_WORDS.items() if n > 1 and w.isalpha() and " " not in w]
_COUNT = rf"(\d{{1,4}}|{'|'.join(sorted(_COUNT_WORDS, key=len, reverse=True))})"


# "last 90 days" is a period, no number of records
_NOT_SPAN = r"(?!\s*(?:days?|weeks?|wks?|months?|quarters?|years?|yrs?|hours?|hrs?)\b)"


_CLOCK_ONLY = re.compile(
    r"(?:(?:at|@|by|around|before|after)\s+)?(?:\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?|"
    r"noon|midday|midnight|half\s+(?:past\s+)?\w+)",
    re.I,
)


def _count(word: str) -> int:
    """The number a count says ("5", "ten")."""
    return int(word) if word.isdigit() else NUMBER_WORDS[word]


def _date_value(sp: Span, ex: Extraction, prefer: str, date_only: bool = False) -> str | None:
    got = resolve_date(sp.text, ex.now, prefer=prefer)
    if got is None:
        return None
    if date_only and isinstance(got, datetime):
        got = got.date()
    return to_iso(got)


def _period_value(text: str, ex: Extraction, prefer: str = "future") -> dict | None:
    got = resolve_period(text, ex.now, prefer)
    if got is None:
        day = resolve_date(text, ex.now, prefer)  # "anything due fri": that one day
        if day is None:
            return None
        d = day.date() if isinstance(day, datetime) else day
        return {"start": d.isoformat(), "end": d.isoformat()}
    return {"start": got[0].isoformat(), "end": got[1].isoformat()}


def _canon(sp: Span | None) -> str | None:
    return sp.kb_id_ if sp is not None else None


STATUS_LABEL = {
    "update_task": "TASK_STATUS",
    "list_deals": "DEAL_STATUS",
    "list_feedback": "FEEDBACK_STATUS",
}
_ID_WORDS = {
    "deal_id": r"deals?|opps?|opportunit(?:y|ies)",
    "task_id": r"tasks?|reminders?|follow[- ]?ups?|todos?|to-dos?",
    "lead_id": r"leads?",
}
# the number that names an update's own record
_OWN_RECORD_ID = {"update_task": "task_id", "update_lead": "lead_id", "update_deal": "deal_id"}
# the intent whose bare "#90" is its own record: "done #90" is a task, "show #358" a deal
_BARE_ID_KEY = {**_OWN_RECORD_ID, "list_deals": "deal_id"}


def record_id(text: str, key: str, intent: str) -> int | None:
    """A record number the person names: "#358", "deal 358", "task 12", "lead #29"."""
    words = _ID_WORDS[key]
    m = re.search(rf"\b(?:{words})\s*(?:#|no\.?|number|id)?\s*(\d{{1,9}})\b", text, re.I)
    if m is None and _BARE_ID_KEY.get(intent) == key:
        m = re.search(r"(?<![\w&])#\s?(\d{1,9})\b", text)
    if m is None and key == "task_id" and intent == "update_task":
        # the task list numbers its rows: "done 2", "cancel 2", "done with 3", "mark 2 as done"
        m = _BARE_TASK_NUMBER.search(text)
    if m is None:
        return _spoken_id(text, words)
    return int(next(g for g in m.groups() if g is not None))


_NUMBER_SAID = rf"(?:oh|{NUMBER_WORD})"  # a digit read out: "four oh two"
SPOKEN_NUMBER = re.compile(rf"\b{_NUMBER_SAID}(?:[\s-]+(?:and[\s-]+)?{_NUMBER_SAID})*\b", re.I)


def _spoken_id(text: str, words: str) -> int | None:
    """A record number said as it is read out ("deal three fifty eight" is 358, "lead twenty
    nine" 29, "task four twelve" 412): each group of number words gives its digits in turn."""
    from text_to_num import alpha2digit

    m = re.search(
        rf"\b(?:{words})\s+(?:number\s+)?({SPOKEN_NUMBER.pattern})"
        r"(?!\s*(?:days?|weeks?|months?|hours?|hrs?|minutes?|mins?|k|grand|thousand|million|"
        r"percent|%|bucks|dollars|euros|pounds|am|pm|o'?clock)\b)",
        text,
        re.I,
    )
    if m is None:
        return None
    digits = alpha2digit(m.group(1).replace("-", " ").replace(" oh ", " zero "), "en").split()
    if not digits or not all(d.isdigit() for d in digits):
        return None
    return int("".join(digits))


_TASK_VERBS = (
    r"done|finished|finish|complete[d]?|close[d]?|cancel(?:l?ed)?|snooze[d]?|drop|delete|remove|"
    r"scrap|kill|tick(?:ed)?(?: off)?|check(?:ed)? off|cross(?:ed)? off|postpone|push|bump|move|"
    r"reschedule|shift|mark(?:ed)?|set"
)
_BARE_TASK_NUMBER = re.compile(
    rf"(?:^|[\s,;:(])(?:{_TASK_VERBS})\s+(?:with\s+|number\s+|no\.?\s*|the\s+)?(\d{{1,6}})\b"
    r"(?!\s*(?:k\b|m\b|%|am\b|pm\b|[:./-]\d|days?\b|weeks?\b|hours?\b|h\b|hrs?\b|mins?\b|"
    r"minutes?\b|months?\b|st\b|nd\b|rd\b|th\b))"
    r"|^\s*(\d{1,6})\s+(?:is\s+|as\s+)?(?:done|finished|complete[d]?|cancel(?:l?ed)?)\b",
    re.IGNORECASE,
)


def _implied_status(intent: str, low: str) -> str | None:
    """A status said by the verb rather than by a status word ("disqualify", "snooze")."""
    if intent == "update_lead":
        if re.search(r"\b(?:disqualif\w*|dq'?d?|kill|junk|bad fit|not a fit|no fit)\b", low):
            return "disqualified"
        if re.search(r"\b(?:convert\w*|turn\w*\b.{0,40}\binto)\b", low):
            return "converted"
        if re.search(r"\b(?:reached out|contacted|called|emailed|spoke)\b", low):
            return "contacted"
        if re.search(r"\bqualif(?:y|ied|ying)\b", low):
            return "qualified"  # "qualify the Amara Nwosu lead"
    if intent == "update_task":
        if re.search(
            r"\b(?:done|finished|complete[d]?|tick(?:ed)? off|check(?:ed)? off|"
            r"cross(?:ed)? off|close)\b",
            low,
        ):
            return "done"
        if re.search(r"\b(?:cancel\w*|drop|delete|remove|scrap|kill|forget)\b", low):
            return "cancelled"
    if intent == "list_deals" and re.search(r"\bstall(?:ed|ing|s)?\b", low):
        return "stale"  # "which deals have stalled?"
    if intent == "list_leads" and re.search(
        r"\b(?:nobody|no one|noone|not yet|haven't|hasn't|never)\b.{0,30}\b(?:called|contacted|"
        r"touched|reached|spoken|emailed)|\buncontacted\b|\bnot (?:been )?contacted\b",
        low,
    ):
        return "new"
    return None


# job titles: "head of X", "VP sales", "chief of radiology", "logistics director", "asset mgr",
# the C-suite by its letters, and single-word roles
_C_SUITE = r"ceo|cfo|cto|cio|coo|cmo|cro|cpo|cso|cco|cdo|chro|ciso|cno"
_TITLE_NOUNS = (
    r"manager|mgr|director|dir|head|lead|officer|engineer|specialist|analyst|coordinator|coord|"
    r"assistant|consultant|administrator|admin|supervisor|superintendent|planner|buyer|"
    r"purchaser|rep|representative|executive|exec|controller|foreman|agent|broker|pharmacist|"
    r"nurse|physician|surgeon|counsel|solicitor|attorney|lawyer|teacher|librarian|technician|"
    r"scientist|designer|developer|recruiter|editor|producer|owner|partner|proprietor|"
    r"proprietress|bursar|headteacher|headmaster|headmistress|dentist|hygienist|orthodontist|"
    r"matron|optometrist|veterinarian|vet|registrar|dispatcher"
)
_TITLE_CORE = (
    r"(?:(?:head|[sev]?vp|director|chief(?: [a-z]+ officer)?)(?: of)?(?: (?!at\b|for\b|with\b|"
    r"in\b|from\b|of\b|and\b|now\b|please\b|pls\b|to\b)[a-z&-]+){1,2}|chief [a-z]+ officer|"
    rf"(?:{_C_SUITE})\b|co-founder|founder|owner|president|partner|intern|accountant|architect|"
    r"treasurer|secretary|chef|principal|dean|registrar|chair|chairman|chairwoman|trustee|"
    r"(?:(?!as\b|is\b|the\b|an?\b|our\b|their\b|at\b|of\b|new\b)[a-z]+ )?(?:"
    + _TITLE_NOUNS
    + r")(?: of (?!the\b|a\b|an\b)[a-z&-]+)?)"
)
_TITLE_RES = (
    re.compile(
        rf"(?:\b(?:is|as|became|becomes|moved to|promoted to|now)|['’]s)\s+(?:now\s+)?(?:the\s+|"
        rf"our\s+|their\s+|an?\s+)?(?:new\s+)?({_TITLE_CORE})\b",
        re.I,
    ),
    re.compile(
        r"\btitle(?:\s+is|\s+to|\s+should be|\s+is now|:)?\s+(.+?)(?:\s+now)?(?=\s*[,;.!]|$)",
        re.I,
    ),
    re.compile(
        rf"(?:,|\()\s*(?:the\s+|our\s+|their\s+|an?\s+)?({_TITLE_CORE})\s*(?=[,.]|\)|$)", re.I
    ),
    re.compile(
        r"\bas\s+(?:the\s+|our\s+|their\s+|an?\s+)?([A-Z][\w&/-]+)(?=\s*(?:[,;.!]|$|\s+and\b))"
    ),
    # "Pastor Johnson, proprietor of Bright Future Academy, ...": the title, then the firm
    re.compile(
        rf"(?:,|\()\s*(?:the\s+|our\s+|their\s+|an?\s+)?({_TITLE_CORE})\s+(?:of|at)\s+(?=[A-Z])",
        re.I,
    ),
    # "save contact doctor Aisha Kaur at Yorkville Dentistry associate dentist": said last
    re.compile(rf"(?<=[\w.] )((?:[a-z]+ )?(?:{_TITLE_NOUNS}))\s*$"),
    # "add the VP of supply chain at Mercy Health, Daniel Whitaker"
    re.compile(
        rf"\b(?:add|save)\s+(?:the|our|their|an?)\s+(?:new\s+)?({_TITLE_CORE})\s+(?=at|of|from|"
        rf"for|with)\b",
        re.I,
    ),
)
_REASON_RE = re.compile(
    r"(?:\b(?:because(?: of)?|since|as|due to|cuz|coz|bc|b/c|reason(?: is| was|:)?|"
    r"(?:lost|won) (?:it )?(?:on|over)|they said)\s+|\b(?=lost to\s)|"
    r"\blost\s+(?!to\b)[^,;:]{1,60}?\s+to\s+(?!be\b|us\b|me\b)|\s[-–—:]\s*|:\s*|"
    r"[,;]\s*(?=(?:they|he |she |he's |she's |turns out |turned out |dupe |duplicate |it |"
    r"it's|its |budget|no |not |too |price|timing|we |went |"
    r"picked |chose |student|bad |already|wrong |just |signed |out of |only |never |dem |oga |"
    r"the (?:client|customer|company|owner|buyer|board|budget|price|boss)\b|"
    r"(?:client|customer|company|owner|buyer|boss|board) ))|"
    # "disqualify Barrie Dental they just signed with a competitor": no comma before the why
    r"(?<![.!?])\s(?=(?:they|dem|he|she)\s+(?:just\s+|already\s+|finally\s+)?(?:went|go|chose|choose|"
    r"picked|signed|sign|decided|found|prefer(?:red)?|bought|stayed|renewed|moved)\b))",
    re.I,
)


_OUTCOME_LEAD = re.compile(
    r"\s*(?:(?:closed[- ]?)?(?:won|lost(?:\s+(?:it\s+)?(?=to\s))?)|dead|disqualified|a win|a loss)"
    r"\b\s*[,:-]?\s*"
    r"(?:(because(?: of)?|since|as|due to|cuz|coz|bc|b/c|thanks to|to|reason(?: is| was|:)?)\s+)?",
    re.I,
)


_PRAISE = re.compile(
    r"\s*(?:great|good|nice|well done|congrats|congratulations|thanks|thank you|kudos|awesome|"
    r"brilliant|fantastic|amazing|yay|woo\w*|finally|huge)\b",
    re.I,
)


def _free_regions(text: str, intent: str, keys: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    """Character regions of the title and reason free texts (they shield names)."""
    out: dict[str, tuple[int, int]] = {}
    if "title" in keys:
        for rx in _TITLE_RES:
            m = rx.search(text)
            if m:
                out["title"] = (m.start(1), m.end(1))
                break
    if "reason" in keys and re.search(
        r"\b(?:lost|won|win|disqualif\w*|dq'?d?|kill|not a fit|bad fit|junk|dead|because|"
        r"reason|due to)\b",
        text,
        re.I,
    ):
        for m in _REASON_RE.finditer(text):
            start = m.end()
            rest = text[start:]
            if len(rest.split()) < 2 and not re.search(
                r"because|reason|due to|\bto\s*$|^lost$", m.group(0), re.I
            ):
                continue
            if re.match(r"\s*(?:\d|\$|#|@|<)", rest):
                continue
            if re.match(
                r"\s*(?:please\s+)?(?:mark|move|set|update|put|change|log|remind|close)\b",
                rest,
                re.I,
            ):
                continue  # "Acme signed - mark it won at 585k": the command, no reason
            if re.match(r"[^,;.]{0,60}?(?:->|=>|→)|\s*[>→=]", rest):
                continue  # "update: Acme -> lost": the record and its new stage, no reason
            if _PRAISE.match(rest):
                continue  # "won at £118k – great work Fergus!": praise, no reason
            # "mark it as won because they signed": the reason is the why, not the outcome
            om = _OUTCOME_LEAD.match(rest)
            if om:
                if len(rest[om.end() :].split()) < 2 and not om.group(1):
                    continue
                start += om.end()
                rest = text[start:]
            cut = re.search(
                r"\s*(?:[;.!?](?:\s|$)|,?\s*(?:and\s+)?(?:also\s+)?(?:move|mark|set|remind|update|log|create|"
                r"let|tell|send|pass|cancel|please)\b|,\s*(?:sadly|unfortunately|honestly|"
                r"frankly|though|alas|which|so)\b)",
                rest,
            )
            end = start + (cut.start() if cut else len(rest))
            if end - start >= 3:
                out["reason"] = (start, end)
                break
    return out


_POINTERS = frozenset("it them this that one first second former latter this one that one".split())
_CAP_NAME = re.compile(
    r"[A-Z0-9][\w'.-]*(?:\s+(?:&|and|of|n|de|da|van|von)\s+[A-Z][\w'.-]*|\s+[A-Z][\w'&.-]*)*"
)


def _names_said(text: str) -> list[str]:
    """Capitalised names in a sentence's first part, in order ("We've got Acme and Acme Ltd")."""
    out = []
    for m in _CAP_NAME.finditer(text):
        words = m.group(0).split()
        while words and (
            words[0].lower() in COMMON_WORDS
            or words[0].lower() in _OPENERS
            or words[0].lower().startswith(("we'", "i'", "they'"))
        ):
            words.pop(0)  # fmt: skip
        if words:
            out.extend(_split_repeated(" ".join(words)))
    return out


def _split_repeated(name: str) -> list[str]:
    """ "Halvorsen Shipping and Halvorsen Shipping ASA": two names when the words after "and"
    start as the first name does (a duplicate pair), one name otherwise ("Procter and Gamble")."""
    m = re.fullmatch(r"(.+?)\s+(?:and|&)\s+(.+)", name)
    if m and m.group(2).split()[0].lower() == m.group(1).split()[0].lower():
        return [m.group(1), m.group(2)]
    return [name]


def merge_pair(text: str, ex: Extraction) -> dict[str, str]:
    """merge_customers: the record that goes (customer) and the one it goes into (into)."""
    patterns = (
        r"\b(?:merge|fold|dedupe|combine|roll|move everything from)\s+(?:the\s+)?(.+?)"
        r"(?:\s+record)?\s+(?:up\s+)?(?:into|onto)\s+(?:the\s+)?(.+?)"
        r"(?:\s+record)?(?:[,;.!?]|\s+(?:please|pls|thanks)\b|\s+and\b(?!\s+(?:[A-Z]|sons\b|co\b))|$)",
        r"\b(?:merge|fold|dedupe|combine|roll|move everything from)\s+(?:the\s+)?(.+?)"
        r"(?:\s+record)?\s+(?:up\s+)?(?:with|w/?|and|to)\s+(?:the\s+)?(.+?)"
        r"(?:\s+record)?(?:[,;.!?]|\s+(?:please|pls|thanks)|$)",
        # "X and Y are duplicates - keep Y" before "X duplicates Y" (a verb)
        r"^(?:.*?:\s*)?(?:the\s+records?\s+)?(.+?)\s+and\s+(.+?)\s+(?:(?:are|is|r)\s+)?"
        r"(?:the\s+)?(?:same|duplicates?|dupes?)\b",
        r"^(?:.*?:\s*)?(.+?)\s+(?:is (?:an? )?(?:duplicate|dupe|copy) of|duplicates|"
        r"is (?:the )?same (?:\w+ )?as|->|=>|→)\s+(.+?)(?:[,;.!?]|\s+(?:please|pls|thanks)|$)",
        # "Kinfolk dup record, move all to Kinfolk Threads Pty Ltd"
        r"^(?:.*?:\s*)?(.+?)(?:\s+(?:dup|dupe|duplicate)(?:\s+record)?)?\s*[,;–—-]\s*"
        r"move\s+(?:all|everything)\s+(?:in)?to\s+(.+?)(?:[,;!?]|\.(?:\s|$)|$)",
        # "umeda foods (duplicated) should be merged to Umeda Foods Co., Ltd."
        r"^(?:.*?:\s*)?(?:(?:dupe|dup|duplicate)\s*[-–—:]\s*)?(.+?)"
        r"(?:\s*\((?:duplicated?|dupe|double)\))?\s+(?:should|must|can|needs? to|"
        r"has to)\s+be\s+(?:merged|folded|combined)\s+(?:in)?to\s+(?:the\s+)?(.+?)"
        r"(?:,(?!\s*(?:ltd|limited|inc|llc|bhd|pte|co)\b)|[;!?]|\.(?:\s|$)|"
        r"\s+(?:please|pls|thanks)|$)",
    )
    for pat in patterns:
        m = re.search(pat, text, re.I)
        if m:
            a = m.group(1).strip(" '\"")
            b = m.group(2).strip(" '\"")
            keep = re.search(r"\bkeep\s+(?:the\s+)?(.+?)(?:[,;.!?]|$)", text, re.I)
            if keep and keep.group(1).strip().lower() == a.lower():
                a, b = b, a
            head = a.rsplit(",", 1)[0].split() if "," in a else []
            if head and (len(head) >= 3 or head[0].lower() in _OPENERS):
                a = a.rsplit(",", 1)[1].strip()  # "right, so after a long morning, X duplicates Y"
            words = a.split()
            while len(words) > 1 and words[0].lower().strip(",") in _OPENERS:
                words.pop(0)  # "would you please ketola duplicates ..."
            a = " ".join(words)
            a = re.sub(r"^(?:the\s+)", "", a, flags=re.I)
            b = re.sub(r"^(?:the\s+)", "", b, flags=re.I)
            said = _names_said(text[: m.start()])
            if (
                said
            ):  # "we have Acme twice - fold it into Acme Ltd", "fold the first into the second"
                if a.lower() in _POINTERS:
                    others = [n for n in said if n.lower() != b.lower()] or said
                    a = (
                        said[1]
                        if a.lower() in ("second", "latter") and len(said) > 1
                        else others[0]
                    )
                if b.lower() in _POINTERS:
                    b = said[1] if len(said) > 1 and said[0].lower() == a.lower() else said[0]
            if a and b and a.lower() != b.lower():
                return {"customer": a, "into": b}
    return {}


# a form of address that only people have ("Pan Asia" or "Don Pedro" may be companies)
_TITLE_PERSON = re.compile(r"(?:mr|mrs|ms|miss|mx|dr|prof)\.?\s+[A-Z]", re.I)
# intents where a lone person's name is the contact, not a person-only customer
_PERSON_FIRST = frozenset({"save_contact", "update_lead", "create_lead", "assign_lead"})
# words of a logged interaction's "header" (the command, the kind, connectors): not what was said
_HEADER_WORDS = frozenset(
    """log logged logging record recorded add just had have did got off the phone a an my our
quick short with w/ w at from @ to for on via by over and of in re - : , . ; ( ) me i we
please pls can you could kindly note call""".split()
)
_NOT_SAID = frozenset(
    "it them that this back again today there here him her us done ok yes no".split()
)
# "..., and I'll chase on the 30th", "and I'll try her again": my next step, not what was said
_CHASE = (
    r"[,;.]?\s*(?:and\s+|so\s+)?(?:i'll|i will|we'll|we will|i'm going to|i am going to)\s+"
    r"(?:chase|try|ring|call|ping|nudge|check in|get back|reach out)\b"
)
_FOLLOW_CUT = re.compile(
    r"[,;.]?\s*(?:and\s+)?(?:(?:i|we)(?:'d| would)? (?:like|want|need|plan|hope) to |"
    r"need to |will |should |must |to )?(?:f/u|fu|follow[\s-]?up|followup|"
    r"circle back|check back|next step|reconnect|(?:call|ring) back|try again)\b|" + _CHASE,
    re.I,
)
_CHASE_CUT = re.compile(_CHASE, re.I)


# a request to the bot after what was said: not part of it ("..., please inform support")
_ASK_TAIL = re.compile(
    r"[,;.]?\s*(?:so\s+|and\s+)?(?:please|pls|plz|kindly|can you|could you)\b.*$|"
    r"(?:[,;.]|\s[-–—])\s*(?:and\s+(?:also\s+)?|so\s+)?(?:please\s+)?(?:log|mark|move|remind|tell|"
    r"inform|create|add|update|set|close|knock|bump|push|save|flag|change|put|open|convert|"
    r"assign|give|drop)\b.*$|"
    # "... for the PH mark the deal lost", "... at €18k so move that deal to won": the next
    # ask, written on without a stop
    r"\s+(?:so\s+|and\s+)?(?:mark|move|close|knock|bump|push|put|change|update)\s+(?:it|that|this|"
    r"them|the\s+(?:deal|opp|opportunity|lead|stage)|that\s+(?:deal|opp|one))\b.*$|"
    r"[,;.]\s*(?:the\s+)?deal\s+(?:is\s+)?(?:lost|won|dead)\b.*$|"
    r"[,;.]\s*(?:please\s+)?(?:pass|forward|flag|hand|send|share)\s+(?:that|this|it)\s+(?:on\s+|over\s+)?"
    r"to\b.*$",
    re.I,
)
_RELATIVE_LEAD = re.compile(
    r"^(?:(?:in|during|at|of|after)\s+)?which\s+(?:(?:i|we|they|he|she)\s+|was\s+|were\s+)?|"
    r"^that\s+",
    re.I,
)
# a clause ends at a separator: not in "3:30", nor after "Mr." / "Dr." / "St." ("Mr. Rao said ..."),
# nor inside a dotted abbreviation ("Grupo Alameda S.A. de C.V.")
_CLAUSE_SEP = re.compile(
    r"\s*(?:(?<!\d),|,(?!\d{3}\b)|;|(?<!\d):(?!\d)|\s[-–—]\s|"
    r"(?<!\b[MmDdSsJ]r)(?<!\b[Mm]rs)(?<!\b[MmSs][st])(?<!\bProf)(?<!\bprof)(?<!\.[A-Za-z])\.\s)\s*"
)


# "they'd like a proposal by the 4th": a deadline inside what was said, not when it happened
_DEADLINE_BEFORE = re.compile(r"\b(?:by|before|no later than|ahead of)\s*$", re.I)


def _is_deadline(text: str, sp: Span) -> bool:
    """A date said as the latest time for something ("by the 4th", "before Friday")."""
    return bool(
        re.match(r"(?:by|before)\b", sp.text, re.I)
        or _DEADLINE_BEFORE.search(text[: sp.start_char])
    )


_AS_AGREED = re.compile(
    r"as (?:promised|discussed|agreed|requested|planned|expected|usual|always)", re.I
)


# words of the same clause before a date that make it an event talked about, still to come (in
# lower case: "Halvorsen Shipping ASA on Friday" is a name)
_EVENT_AHEAD = re.compile(
    r"\b(?:til|till|until|ship|ships|arrive|arrives|arriving|due|will|won't|going to|"
    r"gonna|vote|votes|voting|starts?|begins?|delivers?|lands?|goes live|kicks? off)\b"
)


def _only_when(text: str, start: int, end: int, ex: Extraction) -> bool:
    """Whether text[start:end] is a date and nothing else but "on"/"at" words."""
    rest = text[start:end]
    for sp in ex.all("DATE"):
        if start <= sp.start_char and sp.end_char <= end:
            rest = rest.replace(sp.text, " ")
    return rest != text[start:end] and not re.sub(
        r"\b(?:on|at|this|in the)\b|\W", "", rest, flags=re.I
    )


def _said_clause(doc: Doc, text: str, out: dict[str, Any], ex: Extraction) -> str | None:
    """What was said as its own clause: "called X yesterday, they want 40 seats" -> the text after
    the first separator that follows the header's names, kind or date."""
    marks: list[int] = []
    inside: list[tuple[int, int]] = []  # the names' own dots and commas ("Co., Ltd.")
    for value in (out.get("customer"), out.get("contact")):
        if isinstance(value, str) and value:
            value = _with_final_dot(text, value)
            at = text.lower().find(value.lower())
            if at >= 0:
                marks.append(at + len(value))
                inside.append((at, at + len(value)))
    for label in ("KIND", "DATE"):
        for sp in ex.all(label):
            marks.append(sp.end_char)
    if not marks:
        return None
    first = min(marks)
    names = [v.lower() for v in (out.get("customer"), out.get("contact")) if isinstance(v, str)]
    for m in _CLAUSE_SEP.finditer(text):
        if m.start() < first - 1 or any(a <= m.start() < b for a, b in inside):
            continue
        start = m.end()
        nxt = _CLAUSE_SEP.search(text, start)
        head = text[start : nxt.start() if nxt else len(text)].lower()
        if (
            nxt
            and any(n and re.search(rf"(?<!\w){re.escape(n)}(?!\w)", head) for n in names)
            and not any(n and re.match(rf"{re.escape(n)}\s+[a-z]+(?:ed|s)\b", head) for n in names)
        ):
            # "with Margaret Chu, the CFO at Tallis Group; she thinks": still the header (but
            # "..., Mr. Goh confirmed the PO, ...": what the contact said)
            continue
        if nxt and _only_when(text, start, nxt.start(), ex):
            continue  # "called X Ltd. on 11/20, they said ...": the date is the header's too
        end = len(text.rstrip())
        fm = _FOLLOW_CUT.search(text, start)
        if fm:
            end = fm.start()
        clause = _ASK_TAIL.sub("", text[start:end])
        clause = _clean_free(clause.rstrip(" ,;"))
        for sp in ex.all("DATE"):  # a trailing date is when, not what was said
            if (
                clause.endswith(sp.text)
                and not _is_deadline(text, sp)
                and not _EVENT_AHEAD.search(re.split(r"[,;:.!?]", clause[: -len(sp.text)])[-1])
            ):
                clause = _clean_free(clause[: -len(sp.text)])
                clause = re.sub(r"\s+(?:on|by|at|for|from|until|till|before)$", "", clause)
        if _AS_AGREED.fullmatch(clause):
            return None  # "emailed X the deck, as promised": the clause before it was what was said
        if len(clause.split()) >= 2 or (clause and clause.lower() not in _NOT_SAID):
            pre = _said_before(text, ex, names, m.start())
            return f"{pre}{m.group(0).strip()} {clause}" if pre else clause
        return None
    return None


# "to go through the plan", "to congratulate him": why it was done, a part of what was said;
# "went great": how it went, the first thing said ("demo at X went great, they want a trial")
_PURPOSE = re.compile(r"to\s+[a-z]+\b\s+\S", re.I)
_HOW_IT_WENT = re.compile(
    r"(?:it\s+|that\s+)?went\s+(?:really\s+|very\s+|super\s+|pretty\s+|so\s+|quite\s+)?"
    r"[a-z]+(?:\s+[a-z]+)?",
    re.I,
)
_LEAD_HEADER = re.compile(r"^(?:(?:on|at|via|over|by|with|from|for)\s+)+", re.I)


def _said_before(text: str, ex: Extraction, names: list[str], sep: int) -> str | None:
    """What was said before the clause separator, after the header's names and kind ("I met
    with X this afternoon to go through the plan; their architect ...", "messaged Y on LinkedIn
    to congratulate him; ...", "demo at X went great, ..."): a purpose clause ("to ...") or how
    it went, dates left out; else None."""
    low = text.lower()
    ends = [low.find(n) + len(n) for n in names if n and 0 <= low.find(n) < sep]
    ends += [sp.end_char for sp in ex.all("KIND") if sp.end_char <= sep]
    if not ends:
        return None
    start = max(ends)
    seg = text[start:sep]
    for sp in sorted(ex.all("DATE"), key=lambda d: -d.start_char):
        if start <= sp.start_char and sp.end_char <= sep:
            a, b = sp.start_char - start, sp.end_char - start
            seg = seg[:a] + " " * (b - a) + seg[b:]
    sent = _THING_SENT.match(_clean_free(seg))  # right after the names: what was sent
    seg = _LEAD_HEADER.sub("", _clean_free(seg))
    seg = re.sub(rf"^(?:{'|'.join(_CHANNEL_PRODUCTS)})\s+", "", seg, flags=re.I)
    if not (_PURPOSE.match(seg) or _HOW_IT_WENT.fullmatch(seg) or sent):
        return None
    return re.sub(r"\s+(?:on|by|at|in|for|from)$", "", seg)


# "emailed X the signed EOI, waiting their reply", "texted Ray the permit #, he said gracias":
# what was sent or shown, said before the clause, is part of what was said
_THING_SENT = re.compile(
    r"(?:the|our|their|his|her|my|this|these|those|a|an)\s+(?!(?:other|same|next|last)\b)\S", re.I
)


# ", sent just now", "- sent this morning": when it went out, not what it said
_SENT_TAIL = re.compile(
    r"\s*(?:[,;]|\s[-–—])\s*(?:sent|done|emailed|posted)(?:\s+(?:just now|earlier|today|"
    r"(?:this|earlier this|yesterday)\s+(?:morning|afternoon|evening)|a (?:moment|minute) ago|"
    r"(?:an )?hour ago|last night|yesterday))?\s*$",
    re.I,
)
# "we discuss(ed) the new machine line": the topic is what was said
_TOPIC_LEAD = re.compile(
    r"^(?:we|i|they)\s+(?:discuss(?:ed)?|talk(?:ed)? about|went over|go over|went through|"
    r"go through)\s+(?=\S)",
    re.I,
)
_LOOSE_END = re.compile(r"[\s,;:]+(?:the|a|an|and|but|so|or|with|my|our|their)$", re.I)


_SAYS = re.compile(
    r"^(?:says|said|mentioned|reckons|told (?:me|us)|emailed to say|wrote to say)(?:\s+that)?\s+",
    re.I,
)
_NAMED_SPEAKER = re.compile(
    r"^[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?\s+(?:says|said|reckons|mentioned)(?:\s+that)?\s+(?=\S)"
)
# "Tom from their side agreed": the name goes on, what was said has not begun
_NAME_GOES_ON = frozenset("from of at and & in with for on".split())
_DISCOURSE_LEAD = re.compile(r"^(?:also|so|anyway|btw|plus)\s*,?\s+(?=\S)", re.I)


def _without_speaker(said: str, contact: object, customer: object) -> str:
    """What was said without who said it: "Anton Kessler wants 8 % off" -> "wants 8 % off",
    "Udo says the compressor is broken" -> "the compressor is broken", "Bar Fenni owner is
    selling" -> "owner is selling" (the contact and the customer are entities of their own),
    and without a leading "also," or "so,"."""
    said = _DISCOURSE_LEAD.sub("", said)
    said = _NAMED_SPEAKER.sub("", said) or said  # "Inés says ...", whoever Inés is
    bare = said.strip(" .,;:").lower()
    if bare and any(isinstance(n, str) and bare in n.lower() for n in (contact, customer)):
        return ""  # "Ltd" of "Sharma Textiles Pvt. Ltd.": a piece of a name, nothing said
    for name in (contact, customer):
        if not isinstance(name, str) or not name:
            continue
        if re.fullmatch(rf"(?:(?:with|w/|to|from|and)\s+)?{re.escape(name)}\W*", said, re.I):
            return ""  # "... on 17.11. with Claire Fontaine": only who, nothing said
        m = re.match(rf"{re.escape(name)}(?:['’]s)?\s+", said, re.I)
        if m is None:
            continue
        rest = said[m.end() :]
        rest = _SAYS.sub("", rest)
        words = rest.split()
        if len(words) >= 2 and words[0].lower() not in _NAME_GOES_ON:
            return rest
    return said


def _tidy_summary(said: str) -> str | None:
    """A logged summary without when it was sent, a "we discussed" lead or a dangling article
    ("..., the follow up is on Wednesday" cut to "the"); None when no words are left."""
    said = _SENT_TAIL.sub("", said).strip(" ,;")
    said = re.sub(r"^(?:and|and then)\s+(?=\S)", "", said, flags=re.I)  # "..., and I think ..."
    said = _TOPIC_LEAD.sub("", said) or said
    while True:
        shorter = _LOOSE_END.sub("", " " + said).strip()
        if shorter == said.strip():
            break
        said = shorter
    if said.lower() in ("the", "a", "an", "and", "but", "so", ""):
        return None
    return said


_TASK_WORD = r"[^\W_][\w&'’./-]*"
# "the board pack task", "my comp plans reminder": the words before the task word
_NAMED_TASK = re.compile(
    rf"\b(?:the|my|our|this)\s+((?:{_TASK_WORD}\s+){{0,6}}?{_TASK_WORD})\s+(?:task|reminder|"
    r"to-?do)\b",
    re.I,
)
# "I've finished the security questionnaire, so ...": what was finished
_DONE_TASK = re.compile(
    rf"\b(?:finished|completed|wrapped up|done with|ticked off|crossed off)\s+(?:the|my|our)\s+"
    rf"((?:{_TASK_WORD}\s+){{0,8}}?{_TASK_WORD})(?=\s*(?:[,;.!?]|$)|\s+(?:so|and|as|is|now|"
    r"today|already)\b|\s+[^\w\s])",
    re.I,
)


def _without_customer(what: str, customer: object) -> str:
    """A task's words without the customer they are for ("the Ledger & Quill renewal" ->
    "renewal"): the customer is its own entity."""
    if not isinstance(customer, str) or not customer:
        return what
    rest = re.sub(rf"^(?:the\s+)?{re.escape(customer)}(?:['’]s)?\s+(?=\S)", "", what, flags=re.I)
    return rest


def _task_words(text: str, ex: Extraction, customer: object) -> str | None:
    """Which task, said by its words: "the board pack task for X", "I've finished the X security
    questionnaire"; not a time ("my 4pm reminder"), not only the customer and not one word of a
    kind of task ("the call-back task for X": the customer's call-back, said by the customer)."""
    m = _NAMED_TASK.search(text) or _DONE_TASK.search(text)  # a task word says where it ends
    if not m:
        return None
    if any(sp.start_char < m.end(1) and m.start(1) < sp.end_char for sp in ex.all("DATE")):
        return None
    what = _without_customer(_clean_free(m.group(1)), customer)
    if isinstance(customer, str) and what.lower() == customer.lower():
        return None
    if re.fullmatch(r"(?:(?:follow[- ]?up|f/?u|task|reminder|to-?do)\s*)+", what, re.I):
        return None  # "crossed off the Vertex follow up": the customer's, named already
    if len(what.split()) < 2:
        return None  # "the call-back task for X", "the X discount task": a kind of task
    return what


def _keeps_det(toks: list[Token], k: int, taken: set[int]) -> bool:
    """A determiner that starts what was said ("the proposal"), not one of the header's."""
    if toks[k].lower_ not in ("the", "a", "an", "my", "our"):
        return False
    nxt = toks[k + 1] if k + 1 < len(toks) else None
    return nxt is not None and nxt.i not in taken and nxt.lower_ not in _HEADER_WORDS


_REMINDER_HEAD = re.compile(
    r"^(?:.*?\b(?:remind(?:er)?|nudge|ping)\b)?"  # the command word, if any
    r"(?:\s*(?:me\b|us\b|<@\w+>|@[\w.-]+|(?:the\s+)?#[\w-]+(?:\s+(?:channel|team|room))?))?"  # whom
    r"(?:\s*(?:,|:|-|–|—|re\b|about\b|to\b|that\b|on\b|for\b))*\s*",
    re.I,
)


_AFTER_DATE_SAID = re.compile(r"\s*,?\s*(?:(?:that|to)\s+)(\S.*)$", re.I)


def _about_after_date(text: str, ex: Extraction, date_start: int, said: str) -> str:
    """ "remind me to call Brenner tomorrow at 9 about tariff": what the reminder is about,
    said after its date, is part of its text ("call Brenner about tariff")."""
    end = date_start
    for sp in sorted(ex.all("DATE"), key=lambda d: d.start_char):
        if sp.start_char >= end and not text[end : sp.start_char].strip(" ,"):
            end = sp.end_char  # "tomorrow at 9": the dates said together
    m = re.match(r"\s+((?:about|re|regarding)\s+[^,;.!?()]+)", text[end:], re.I)
    if end == date_start or not m:
        return said
    about = _until_next_ask(m.group(1)).strip()
    return f"{said} {about}" if len(about.split()) >= 2 else said


def _said_after_date(text: str, ex: Extraction, date_start: int, before: str) -> str:
    """ "remind to Paulo on Friday that he must ...": when all that comes before the date is one
    name (whom), what to remember is the clause after the date that "that" / "to" opens."""
    if not re.fullmatch(r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?", before):
        return before
    ends = [sp.end_char for sp in ex.all("DATE") if sp.start_char == date_start]
    m = _AFTER_DATE_SAID.match(text[ends[0] :]) if ends else None
    if not m:
        return before
    return _clean_free(m.group(1).rstrip(" .!?")) or before


# a second ask after a reminder's text: ", and remind Priyanka ...", "; please also ..."
_NEXT_ASK = re.compile(
    r"\s*[,;.]\s+(?:and\s+|but\s+)?(?:also\s+|then\s+)?(?:remind|nudge|ping|tell|ask|please|"
    r"pls|plz|can you|could you|would you)\b.*$|\s*[,;]\s+and\s+also\b.*$",
    re.I | re.S,
)


def _until_next_ask(said: str) -> str:
    """A reminder's text ends where the message's next ask begins."""
    return _NEXT_ASK.sub("", said).strip(" ,;") or said


_PERIOD_LABEL = re.compile(r"(?:q[1-4]|h[12]|fy\s?'?\d{2,4}|[1-4]q)", re.I)


def _period_modifier(text: str, sp: Span) -> bool:
    """A quarter or half label that qualifies the noun after it ("Q4 promo pricing", "H1 targets")
    is part of what the reminder says, not when it is due."""
    return bool(_PERIOD_LABEL.fullmatch(sp.text)) and bool(
        re.match(r"\s+[A-Za-z]", text[sp.end_char :])
    )


def _reminder_rest(text: str, ex: Extraction) -> str | None:
    """A reminder's text said without "to": "remind #sales: fcst due thurs", "nudge @kofi re QBR
    deck wed", "reminder dec 1 comp plans": what is left after the command, whom and the dates."""
    if not re.search(r"\b(?:remind(?:er)?|nudge)\b", text, re.I):
        return None
    cut = text
    for lab in ("DATE", "PERIOD"):
        for sp in sorted(ex.all(lab), key=lambda s: -s.start_char):
            if lab == "PERIOD" and _period_modifier(text, sp):
                continue
            cut = cut[: sp.start_char] + " " * (sp.end_char - sp.start_char) + cut[sp.end_char :]
    cut = re.sub(r"\s+", " ", cut).strip(" ,;.!?")
    if re.search(
        r"\b(?:remind(?:er)?|nudge|ping)\b(?:\s*(?:me|us|<@\w+>|@[\w.-]+|#[\w-]+))?\s*"
        r"(?:about|of|regarding)\b",
        cut,
        re.I,
    ):
        return None  # "remind me about Acme on Monday": about a customer, no text of its own
    m = _REMINDER_HEAD.match(cut)
    rest = cut[m.end() :] if m else cut
    rest = re.sub(r"^(?:(?:,|:|-|(?:re|about|to|that|on|at|by|for)\b)\s*)+", "", rest, flags=re.I)
    rest = _clean_free(rest.strip(" ,;:-"))
    words = re.findall(r"[A-Za-z']+", rest)
    if len(words) < 2 or rest.lower().startswith(("me ", "remind")):
        return None
    return rest


def _preamble_end(doc: Doc, text: str, ex: Extraction) -> int:
    """Where a chatty preamble ends ("right, so after a long morning of calls, log ..."): the
    last separator before the first interaction word, with no name, kind or date before it."""
    kinds = [sp.start_char for sp in ex.all("KIND")]
    if not kinds:
        return 0
    first_kind = min(kinds)
    blockers = [sp.start_char for lab in ("DATE", "MENTION", "EMAIL") for sp in ex.all(lab)]
    end = 0
    for m in re.finditer(r"\s*(?:[,:;]|\s[-–—])\s+", text):
        if m.end() > first_kind:
            break
        seg = text[: m.start()]
        if any(b < m.start() for b in blockers):
            break
        words = seg.split()
        if any(w[:1].isupper() and k > 0 and w != "I" for k, w in enumerate(words)):
            break  # a name in it: part of the message, not a preamble
        if len(words) >= 3 or (end and len(words) >= 1):
            end = m.end()
    return end


def _possessive_date(doc: Doc, sp: Span) -> bool:
    """A date with "'s" after a word of what was said ("confirming Thursday's visit"): it names
    an event that was talked about, not when the interaction was."""
    return (
        sp.end < len(doc)
        and doc[sp.end].lower_ in ("'s", "’s")
        and sp.start > 0
        and doc[sp.start - 1].is_alpha
        and doc[sp.start - 1].lower_ not in _HEADER_WORDS
    )


def _possessive_dates(doc: Doc, ex: Extraction, taken: set[int]) -> set[int]:
    """The tokens of possessive dates in what was said and the kind word after them ("Thursday's
    visit"): free for the summary. A header's "Thursday's demo with X" keeps its date, and its
    "'s" is added to ``taken``."""
    out: set[int] = set()
    for sp in ex.all("DATE"):
        if sp.end < len(doc) and doc[sp.end].lower_ in ("'s", "’s"):
            if not _possessive_date(doc, sp):
                taken.add(sp.end)  # the "'s" of the header's date
                continue
            out.update(range(sp.start, sp.end + 1))
            k = sp.end + 1
            while k < len(doc) and k in taken and doc[k].is_alpha:
                out.add(k)
                k += 1
    return out


def _header_verb(toks: list[Token], k: int, taken: set[int]) -> bool:
    """ "I send email to X": a command-like verb after "I" / "we" whose object is the kind or a
    name of the header is part of the header too."""
    return (
        k == 1
        and toks[0].lower_ in ("i", "we")
        and toks[k].lower_ in _LEADING_VERBS | {"send", "write", "wrote", "have", "had"}
        and k + 1 < len(toks)
        and toks[k + 1].i in taken
    )


# words that describe the interaction itself ("the final meeting", "a long call")
_KIND_ADJECTIVES = frozenset(
    """final last first second third quick long short brief good great productive intro initial
introductory follow-up another usual weekly monthly""".split()
)


def _past_header_phrase(toks: list[Token], k: int, j: int, taken: set[int]) -> int:
    """ "Had the final meeting with X on Friday and they've committed": a phrase of the header
    words only (the kind, its adjectives, names, dates) before "and" is not what was said."""
    for q in range(k, j - 1):
        if toks[q].lower_ == "and":
            head = toks[k:q]
            if any(t.i in taken for t in head) and all(
                t.i in taken or t.lower_ in _HEADER_WORDS or t.lower_ in _KIND_ADJECTIVES
                for t in head
            ):
                return q + 1
            return k
    return k


def _with_kind_object(toks: list[Token], k: int, j: int, ex: Extraction) -> int:
    """A summary that is one word ("left") keeps the interaction it acts on ("left a
    voicemail"): the kind is the header elsewhere, but here it is the object of what was done."""
    if j - k != 1 or j + 1 >= len(toks) or toks[j].lower_ not in ("a", "an"):
        return j
    kinds = {i for sp in ex.all("KIND") for i in range(sp.start, sp.end)}
    end = j + 1
    while end < len(toks) and toks[end].i in kinds:
        end += 1
    return end if end > j + 1 else j


_PLACE_AFTER = re.compile(r"\s+in\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?(?=\s*(?:[,;.!?]|$|\s[a-z]))")


def _said(
    doc: Doc, text: str, out: dict[str, Any], ex: Extraction, preamble_end: int = 0
) -> str | None:
    """What was said in a logged interaction: the text after its header (command, kind, names,
    dates), up to a follow-up clause, minus trailing names and dates ("emailed pricing to X")."""
    taken: set[int] = {t.i for t in doc if t.idx < preamble_end}
    for value in (out.get("customer"), out.get("contact")):
        if isinstance(value, str) and value:
            value = _with_final_dot(text, value)  # "... Pte. Ltd." to its last dot
            at = text.lower().find(value.lower())
            if at >= 0:
                taken |= _span_tokens(doc, at, at + len(value))
                pm = _PLACE_AFTER.match(text, at + len(value))
                if pm:  # "at Fjellvik Bygg in Bergen": where they are, still the header
                    taken |= _span_tokens(doc, pm.start(), pm.end())
    for label in ("KIND", "DATE", "MENTION"):
        for sp in ex.all(label):
            taken.update(range(sp.start, sp.end))
    taken |= ex.date_names
    taken -= _possessive_dates(doc, ex, taken)
    end_char = len(text.rstrip())
    fm = _FOLLOW_CUT.search(text)
    if fm:
        end_char = fm.start()
    toks = [t for t in doc if t.idx < end_char]
    k = 0
    while k < len(toks) and (
        toks[k].i in taken
        or (toks[k].lower_ in _HEADER_WORDS and not _keeps_det(toks, k, taken))
        or not toks[k].text.strip()
        or toks[k].norm_ in ("__sym__",)
        or (k == 0 and toks[k].lower_ in _LEADING_VERBS)
        or _header_verb(toks, k, taken)
        or toks[k].lower_ in COMMON_WORDS
        and k < 2
        and toks[k].lower_ in ("just", "had", "did", "got", "quick", "good", "great")
    ):
        k += 1
    j = len(toks)
    while j > k and (
        toks[j - 1].i in taken
        or toks[j - 1].lower_ in _HEADER_WORDS
        or toks[j - 1].is_punct
        or toks[j - 1].norm_ == "__sym__"
    ):
        j -= 1
    if j - k < 1:
        return None
    j = _with_kind_object(toks, k, j, ex)
    k = _past_header_phrase(toks, k, j, taken)
    said = _clean_free(text[toks[k].idx : toks[j - 1].idx + len(toks[j - 1].text)])
    words = [w for w in re.findall(r"[A-Za-z']+", said)]
    if not words or (len(words) < 2 and words[0].lower() in _NOT_SAID):
        return None
    return said


_NAME_BEFORE = NAME_CONTEXT | {
    "call", "email", "meeting", "demo", "note", "message", "lunch", "coffee", "sync", "won", "lost",
    "signed", "give", "assign", "move", "mark", "update", "merge", "add", "new", "deal", "lead",
    "opp", "opportunity", "account", "customer", "client", "history", "on", "re",
    "convert", "disqualify", "qualify", "dq", "combine", "fold", "into",
}  # fmt: skip


def _ordinary_word(doc: Doc, start: int, end: int) -> bool:
    """One lower-case English word not right after a name-taking word: no name ("won the
    lottery", "set the brightness"); "log call with square" and "called initech" keep theirs."""
    if end - start != 1:
        return False
    tok = doc[start]
    low = tok.lower_
    prev = doc[start - 1].lower_ if start > 0 else ""
    return (
        tok.text.islower()
        and low in _ENGLISH
        and low not in FIRST_NAMES
        and prev not in _NAME_BEFORE
    )


def _english_word(doc: Doc, c: Candidate) -> bool:
    """One lower-case English word ("for auditors"): inside what was said, no name."""
    tok = doc[c.start]
    return c.end - c.start == 1 and tok.text.islower() and tok.lower_ in _ENGLISH


def _inside_date(ex: Extraction, ent: Span) -> bool:
    """A recognised name that lies wholly inside a date or time expression is part of when
    ("at half two"), also when it runs on into a kind word ("on Wednesday e-mailed")."""
    if ent.start in ex.date_names:
        return False
    dated = {i for sp in ex.all("DATE") for i in range(sp.start, sp.end)}
    kinds = {i for sp in ex.all("KIND") for i in range(sp.start, sp.end)}
    return ent.start in dated and all(i in dated or i in kinds for i in range(ent.start, ent.end))


ADDRESS_WORDS = frozenset(_ADDRESS_PREFIXES)
_ADDRESS_BEFORE = re.compile(
    r"(?:^|(?<=[\s(\[,;:\-–—/]))(" + _HONORIFIC.pattern[1:].replace(r"\s+(?=\S)", r"\s+)$"),
    re.IGNORECASE,
)


# a person written with a form of address, whoever the recogniser found ("Mr. Lim", "Ueda-san")
_ADDRESSED_PERSON = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Herr|Frau|Khun|Pak|Ibu)\.?\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\b"
    r"|\b(?:[A-Z][a-z]+\s+)?[A-Z][a-z]+-san\b"
)
# a form of address after the name, in the text ("Tanaka-san", "Kimura Akiko san")
_ADDRESS_AFTER_NAME = re.compile(
    r"(?:-|\s)(?:" + "|".join(_ADDRESS_SUFFIXES) + r")\b", re.IGNORECASE
)
_ADDRESS_WORDS = frozenset("mr mrs ms miss dr prof herr frau khun".split())
_DOTTED_ONLY = frozenset("eng ing m".split())  # forms of address only with their dot


def _as_addressed(text: str, name: str) -> str:
    """A person's name with the form of address it is written with ("Mr. Goh", "Tanaka-san",
    "Khun Somchai"): the contract's name as written, which the contact services read back to
    the name alone (crm_core.addressing). A company's name is left as it is: a form of address
    is kept only before a capitalised word or after a name."""
    if is_addressed(name):
        return name
    at = text.find(name)
    if at < 0:
        return name
    before = _ADDRESS_BEFORE.search(text[:at])
    if before and before.group(1).strip().lower() in _DOTTED_ONLY:
        before = None  # "tell eng Kestrel Labs ...": the team, not "Eng. Paulo Mendes"
    if before and (
        name[:1].isupper()
        # "left vm for mrs. pruitt": all in lower case, by a form that is no word of its own
        or (
            name.islower()
            and before.group(1).islower()
            and before.group(1).strip(" .").lower() in _ADDRESS_WORDS
        )
    ):
        name = before.group(1) + name
        at -= len(before.group(1))
    after = _ADDRESS_AFTER_NAME.match(text, at + len(name))
    if after:
        name += after.group(0)
    return name


def looks_like_person(name: str) -> bool:
    """A name that reads as a person's: a form of address, or a known first name leading at
    most three words of which none is a company's word ("Kenji", "Dale Kowalski", not "Tejas
    Tire")."""
    if is_addressed(name):
        return True
    words = name.split()
    return (
        1 <= len(words) <= 3
        and words[0].lower() in FIRST_NAMES
        and not any(_business_word(w) for w in words[1:])
    )


def _lone_word_name(doc: Doc, c: Candidate) -> bool:
    """The only name of a message, one capitalised word that is no known first name, with no
    form of address before it and no "he" or "she" about it ("demo with Hooli", not "call with
    Priya", "met Mr. Okafor" or "had a call with Gus, he wants a quote")."""
    return (
        c.end - c.start == 1
        and c.cid is None
        and doc[c.start].is_alpha
        and doc[c.start].text[:1].isupper()
        and doc[c.start].lower_ not in FIRST_NAMES
        and not (c.start > 0 and _HONORIFIC.match(doc[c.start - 1].text + " x"))
        and not re.search(r"\b(?:he|she|him|her|his)\b", doc_text(doc), re.I)
    )


def _known_first_word(gz: Any, ent: Span) -> bool:
    """ "log email with apex" where Apex Brewing and Apex Devices are customers: one lower-case
    word that starts known customers' names is a customer's, whichever (the engine asks)."""
    return (
        gz is not None
        and len(ent) == 1
        and ent.text.islower()
        and bool(getattr(gz, "starts_names", lambda _w: False)(ent.text))
    )


_JOB_WORDS = frozenset("engineer buyer purchaser accountant controller coordinator".split())


# what a message says came from a customer, said before the customer's name
_MESSAGE_WORDS = frozenset(
    "complaint complaints feedback request requests query question note message email call order "
    "enquiry inquiry ticket issue".split()
)


def _at_legal_form(ent: Span) -> Span:
    """A lower-case name the recogniser ran on past its legal form: "lima cavalcante s/a
    slips (to dec 3)" is "lima cavalcante s/a"; a joiner after it ("ltd & co") goes on."""
    for tok in ent[1:-1]:
        nxt = ent.doc[tok.i + 1]
        if tok.lower_ in LEGAL_FORMS and nxt.is_lower and nxt.is_alpha and nxt.lower_ != "and":
            return Span(ent.doc, ent.start, tok.i + 1, label=ent.label_)
    return ent


def _from_ordinal_date(ent: Span) -> Span:
    """A name the recogniser began at a month that an ordinal and "of" come before: "Second
    of July Bakery" (read as a person "Second" and "July Bakery")."""
    doc = ent.doc
    k = ent.start
    if (
        k >= 2
        and doc[k].lower_ in MONTHS
        and doc[k - 1].lower_ == "of"
        and doc[k - 2].lower_ in ORDINAL_WORDS
        and doc[k - 2].text[:1].isupper()
    ):
        return Span(doc, k - 2, ent.end, label=ent.label_)
    return ent


def _without_lead_words(ent: Span) -> Span:
    """What the recogniser took in front of a name and is no part of it: a lower-case article
    ("the cedar point auto parts guys"), a job title before a person ("Chief Engineer Ruth
    Okafor": the person is Ruth Okafor, labelled a contact)."""
    doc = ent.doc
    start = ent.start
    while (
        start < ent.end - 1
        and doc[start].lower_ in ("the", "a", "an")
        and doc[start].is_lower
        and doc[start + 1].is_lower
    ):
        start += 1
    if (
        start < ent.end - 2
        and doc[start].lower_ in _MESSAGE_WORDS
        and doc[start + 1].lower_ in ("of", "from", "by")
    ):
        start += 2  # "Complaint of Nordwind Spedition GmbH": what came, then from whom
    k = start
    while k < ent.end - 1 and doc[k].lower_ in _TITLE_WORDS | _JOB_WORDS:
        k += 1
    rest = doc[k : ent.end]
    if (
        k > start
        and 1 <= len(rest) <= 3
        and rest[0].lower_ in FIRST_NAMES
        and all(t.text[:1].isupper() and t.is_alpha for t in rest)
        and not any(_is_name_end(t) for t in rest)
    ):
        return Span(doc, k, ent.end, label="CONTACT")
    return ent if start == ent.start else Span(doc, start, ent.end, label=ent.label_)


def _person_beside_firm(name: str) -> tuple[str, str] | None:
    """A person said right before their firm, with nothing between: "Emma Sørensen Nordlys
    Studio", "Giulia Verde Atelier". Three or four capitalised words, the first a known first
    name, the last a business word: the firm is the last two words, the person the rest."""
    words = name.split()
    if not 3 <= len(words) <= 4 or not all(w[:1].isupper() and w.isalpha() for w in words):
        return None
    first = words[0].lower()
    if first not in FIRST_NAMES or first in AMBIGUOUS_NAMES or not _business_word(words[-1]):
        return None
    if any(_business_word(w) for w in words[1:-1]) or words[-2].lower() in _ENGLISH:
        return None  # "Anna Health Care Partners", "Jordan Lake Dental": a firm's own words
    return " ".join(words[:-2]), " ".join(words[-2:])


def _lead_person(name: str) -> bool:
    """A lead's name that is a person's: said as one (a form of address, a first name), or one
    to three capitalised words with no business word and no English one ("Olumide Bakare")."""
    words = name.split()
    return _named_as_person(name) or (
        1 <= len(words) <= 3
        and all(w[:1].isupper() and w.isalpha() for w in words)
        and not any(_business_word(w) or w.lower() in _ENGLISH for w in words)
    )


# a lead named between its command and the word "lead"
_LEAD_NAMED = re.compile(
    r"\b(?:convert|qualify|disqualify|dq|mark|assign|give|hand|bin|kill|drop|reassign)\s+"
    r"(?:the\s+)?((?!(?:the|a|an|this|that|my|new|all|these|those|it)\b)[\w'’&.-]+"
    r"(?:\s+[\w'’&.-]+){0,3}?)\s+lead\b(?!s)",
    re.I,
)


_NOT_SURNAMES = frozenset("cc am pm hr hrs pcs via per ltd inc co qt po fw fwd".split())


def _with_lower_surname(text: str, name: str, out: dict[str, Any]) -> str:
    """A lower-case first name and the surname after it ("vivian ng lead", "joanne lau"): one
    word, short, with a particle or no English one, that is no name already taken and no word
    of the message's grammar."""
    if " " in name or not name.islower() or name not in FIRST_NAMES:
        return name
    m = re.search(rf"\b{re.escape(name)}\s+([a-z][a-z'-]{{1,14}})\b", text)
    if not m:
        return name
    word = m.group(1)
    others = {str(out.get(k, "")).lower() for k in ("customer", "assignee", "owner")}
    if (
        word in COMMON_WORDS
        or word in TRIGGERS
        or word in _KNOWN_VOCAB
        or word in _NOT_SURNAMES
        or _business_word(word)
        or any(word in o.split() for o in others)
    ):
        return name
    # a short surname ("ng", "lau", "koh"), one with a particle ("el-amin"), or a word that is
    # no English one
    particle = "-" in word and word.split("-")[0] in NAME_PARTICLES | {"al", "el", "bin", "ben"}
    if len(word) <= 3 or particle or word not in _ENGLISH:
        return f"{name} {word}"
    return name


def _person_at_firm(doc: Doc, companies: list[Candidate]) -> tuple[Candidate, Candidate] | None:
    """Two names joined by "at" / "from" / "of", the second ending in a business word and the
    first with none, one to three words and no gazetteer hit: a person and a firm."""
    for a, b in zip(companies, companies[1:], strict=False):
        between = doc[a.end : b.start]
        if (
            len(between) == 1
            and between[0].lower_ in ("at", "from", "of", "@")
            and a.cid is None
            and 1 <= a.end - a.start <= 3
            and _is_name_end(doc[b.end - 1])
            and not any(_is_name_end(t) for t in doc[a.start : a.end])
        ):
            return a, b
    return None


def _named_as_person(name: str) -> bool:
    """A name said as a person's: a form of address ("Dr Hany Fathy", "Mrs Nagwa") or a
    known first name opening it ("Priya Raman")."""
    first = name.split()[0].lower().strip(".")
    return (
        bool(_TITLE_PERSON.match(name))
        or is_addressed(name)
        or (first in FIRST_NAMES and first not in AMBIGUOUS_NAMES)
    )


def _lone_code(doc: Doc, c: Candidate) -> bool:
    """One short word in capitals ("BSC", "ECG", "FOB", "CoC"), in a message not shouted, or a
    part number ("IRF540N", "TPS54331DR")."""
    tok = doc[c.start]
    if c.cid is not None or c.end - c.start != 1:
        return False
    return _part_number(tok.text) or (
        2 <= len(tok.text) <= 4
        and tok.is_alpha
        and (tok.text.isupper() or bool(re.fullmatch(r"[A-Z][a-z][A-Z]", tok.text)))
        and not _shouting(doc)
    )


def _part_number(word: str) -> bool:
    """A part or model number: capitals and digits run together, at least two of each
    ("IRF540N", "LMV358", "STM32F103C8T6")."""
    return (
        len(word) >= 5
        and word.isalnum()
        and word.upper() == word
        and sum(ch.isdigit() for ch in word) >= 2
        and sum(ch.isalpha() for ch in word) >= 2
    )


def _after_the(doc: Doc, c: Candidate) -> bool:
    """Said after "the" or "our": "the CCU", "the LC", a thing's name, not a firm's."""
    return c.start > 0 and doc[c.start - 1].lower_ in ("the", "our", "their", "my")


_PLACE_NOUNS = frozenset("site yard office branch depot warehouse plant campus".split())


def _before_place_noun(doc: Doc, c: Candidate) -> bool:
    """Two lower-case words before "site", "yard", "depot"...: where, not who."""
    return (
        len(c.text.split()) == 2
        and c.end < len(doc)
        and doc[c.end].lower_ in _PLACE_NOUNS
        and doc[c.end].is_lower
    )


def _particle_firm(ent: Span) -> bool:
    """Three or more capitalised words with a particle inside and no first name or form of
    address opening them: "Wadi El Nil", "Kasr El Aini", "Casa de Campo" are places' and firms'
    names, whatever label the recogniser gave them ("Juan de la Cruz" opens with a first name)."""
    return (
        len(ent) >= 3
        and any(t.lower_ in NAME_PARTICLES for t in ent[1:-1])
        and ent[0].text[:1].isupper()
        and not _named_as_person(ent.text)
    )


def _first_and_last_name(ent: Span) -> bool:
    """Two capitalised words, the first a first name and the second no English word ("Nadia
    Okafor"): a person's name, whatever label the recogniser gave it."""
    return (
        len(ent) == 2
        and all(t.is_alpha and t.text[:1].isupper() and not t.text.isupper() for t in ent)
        and ent[0].lower_ in FIRST_NAMES
        and ent[0].lower_ not in AMBIGUOUS_NAMES
        and ent[1].lower_ not in _ENGLISH
    )


def ner_candidates(ex: Extraction, skip: AbstractSet[int]) -> list[Candidate]:
    """Names found by the trained recogniser (doc.ents), with the gazetteer's ids where known."""
    doc = ex.doc
    known = {(sp.start, sp.end): int(sp.kb_id_) for sp in doc.spans.get("customers", [])}
    gz = ex.gazetteer
    out: list[Candidate] = []
    for ent in doc.ents:
        if ent.label_ not in ("CUSTOMER", "CONTACT") or any(i in skip for i in ent_range(ent)):
            continue
        ent = _from_ordinal_date(_at_legal_form(_without_lead_words(ent)))
        text = ent.text.strip(" ,.;:!?")
        if not text or text.lower() in ("me", "i", "we", "us", "you", "them"):
            continue
        if len(ent) == 1 and ent[0].lower_ in ORDINAL_WORDS:
            continue  # "Second (of July Bakery)": no one is named by an ordinal
        if _ordinary_word(doc, ent.start, ent.end) and not any(
            a < ent.end and ent.start < b for a, b in known
        ):
            continue  # "won the lottery": an ordinary word, not a customer
        if _inside_date(ex, ent):
            continue  # "at half two": a clock time the recogniser took for a name
        cid = known.get((ent.start, ent.end))
        if cid is None:
            for (a, b), kid in known.items():
                if a < ent.end and ent.start < b:
                    cid = kid
                    break
        if cid is None and gz is not None and getattr(gz, "size", None):
            cid = gz.keys.get(_gkey(text))
            if cid is None and ent.label_ == "CUSTOMER" and len(out) < 3:
                hit = gz.fuzzy(text)  # typos of known names
                cid = hit[0] if hit else None
        prev = doc[ent.start - 1].lower_ if ent.start > 0 else ""
        # "St. Anne's Hospice": a name that ends in a business is a company, whoever it names
        person = (
            (ent.label_ == "CONTACT" or (cid is None and _first_and_last_name(ent)))
            and not any(_is_name_end(t) for t in ent[1:])
            and not _particle_firm(ent)
            and not (cid is None and _known_first_word(gz, ent))
        )
        out.append(
            Candidate(
                ent.start,
                ent.end,
                text,
                person,
                cid=cid,
                trigger=prev if prev in TRIGGERS else None,
            )
        )
    return out


_NAME_LEADS = frozenset("customer client account company lead deal prospect contact person".split())


_OBJECT_WORDS = frozenset("the a an them him her us it me their our his my this that".split())
_NOT_NAMES = (
    frozenset(KIND_PHRASES)
    | frozenset(TEAM_PHRASES)
    | frozenset(COMPANY_SUFFIXES)
    # the record a message opens with, not whom it is about ("new contact at maple row hoa: ...")
    | frozenset({"new contact", "new lead", "new customer", "new deal", "new account", "contact"})
)


_AFTER_PERSON = frozenset("at from of in with is was has and ( , . ; : - –".split())


def _lower_case_rest(c: Candidate, extra: list[Token]) -> bool:
    """The rest of a lower-case name the recogniser cut ("søn aps" of "dam & søn aps"): the
    rule name's other words are lower-case name words or joiners, like the name itself."""
    right = [t for t in extra if t.i >= c.end]
    if right and right[0].text not in ("-", "&", "+"):
        return False  # "lima cavalcante s/a slips": a verb after the name, not more of it
    return c.text.islower() and all(
        (t.is_alpha and t.text.islower()) or t.text in ("&", "-", "+", "'s") for t in extra
    )


def _surname_ends(doc: Doc, extra: list[Token], end: int) -> bool:
    """A lower-case surname the recogniser left off a person ("tobias lang from X"): one word,
    and the name ends there (the company's "at" / "from", "is", a comma or the end)."""
    return (
        len(extra) == 1
        and extra[0].is_alpha
        and (end >= len(doc) or doc[end].lower_ in _AFTER_PERSON)
    )


def _title_of(extra: list[Token]) -> bool:
    """Words before a name that are a job title and "of" ("CIO of", "Head of")."""
    return (
        len(extra) >= 2
        and extra[0].lower_ in _TITLE_WORDS
        and any(t.lower_ == "of" for t in extra[1:3])
    )


def _widen_left(doc: Doc, c: Candidate, rules: list[Candidate]) -> Candidate:
    """A rule name that starts before the recogniser's and runs into it ("Oslo Kraft Bygg" and
    "Kraft Bygg AS"): the recogniser dropped capitalised words of the name (a city that starts
    it), so the name is both together."""
    for r in rules:
        if not (r.start < c.start < r.end < c.end) or r.person:
            continue
        extra = doc[r.start : c.start]
        if all(
            t.is_alpha
            and t.text.istitle()
            and t.lower_ not in _LEADING_VERBS
            and t.lower_ not in _OPENERS
            and t.lower_ not in _DATE_WORDS
            and t.lower_ not in COMMON_WORDS
            for t in extra
        ):
            return Candidate(
                r.start, c.end, doc[r.start : c.end].text, c.person, c.role, c.cid, c.trigger
            )
    return c


def combine_candidates(
    doc: Doc, learned: list[Candidate], rules: list[Candidate]
) -> list[Candidate]:
    """The recogniser's names, widened to a rule name that contains them ("Café" in "Café do
    Ponto"), trimmed of leading lower-case words ("payment of Fenster König"); plus capitalised
    or known rule names it missed."""
    out: list[Candidate] = []
    for c in learned:
        if c.text.lower() in _NOT_NAMES and c.cid is None:
            continue  # "WhatsApp message to ...": a kind of interaction, not a name
        if _HONORIFIC.match(c.text):
            c.person = True  # "Mrs. Lakshmi from Lakshmi Silks": the person
        for k in range(c.start + 1, c.end - 1):
            # "initech and left them a message": "and" + a verb with its object ends the name
            if (
                doc[k].lower_ in ("and", "&", "n")
                and doc[k + 1].text.islower()
                and k + 2 < len(doc)
                and doc[k + 2].lower_ in _OBJECT_WORDS
            ):
                c = Candidate(c.start, k, doc[c.start : k].text, c.person, c.role, c.cid, c.trigger)
                break
        start = c.start
        while (
            start < c.end - 1
            and (doc[start].lower_ in _NAME_LEADS or not doc[start].text[:1].isupper())
            and (_is_known(doc[start]) or doc[start].lower_ in _NAME_LEADS)
            and doc[c.end - 1].text[:1].isupper()
        ):
            start += 1
        if start != c.start:
            c = Candidate(start, c.end, doc[start : c.end].text, c.person, c.role, c.cid, None)
        for r in rules:
            if r.start <= c.start and r.end >= c.end and (r.end - r.start) > (c.end - c.start):
                if any(o is not c and r.start < o.end and o.start < r.end for o in learned):
                    break  # "Piotr Zieliński of Zakłady Pomp ...": the recogniser saw two names
                extra = [t for t in doc[r.start : r.end] if t.i < c.start or t.i >= c.end]
                if _title_of(extra):
                    break  # "CIO of Puerto Sur Terminales": a job title, then the company
                if all(
                    t.text[:1].isupper()
                    or t.text[:1].isdigit()
                    or t.lower_ in NAME_CONNECTORS
                    or t.text in ("&", "+", "-", "'s")
                    for t in extra
                ) or (c.person and r.person and _surname_ends(doc, extra, r.end)):
                    # "tobias lang": both see a person; the rule's surname in lower case too
                    c = Candidate(
                        r.start, r.end, r.text, c.person, c.role, r.cid or c.cid, c.trigger
                    )
                elif _lower_case_rest(c, extra):
                    # "dam & søn aps", "george-sanderson": a lower-case name, all of it
                    c = Candidate(
                        r.start, r.end, r.text, r.person, c.role, r.cid or c.cid, c.trigger
                    )
                break
        if not c.person:
            c = _widen_left(doc, c, rules)
            c = _widen_company(doc, c)
        if any(o.start <= c.start and c.end <= o.end for o in out):
            continue  # "necdat" "arsoy": the second half of a name widened already
        out.append(c)
    for r in rules:
        if any(r.start < c.end and c.start < r.end for c in out):
            continue
        if r.cid is not None or (r.text[:1].isupper() and r.role != "initial"):
            out.append(r)
        elif r.trigger in ("at", "from") and not r.person and _no_english(doc, r):
            out.append(r)  # "called javier at transportes del norte": no word of it is English
    tidy = [t for t in (_tidy_name(doc, c) for c in out) if t is not None]
    return sorted(tidy + _list_items_cut(out, tidy, rules), key=lambda c: c.start)


def _list_items_cut(
    before: list[Candidate], after: list[Candidate], rules: list[Candidate]
) -> list[Candidate]:
    """ "register lead Vertex - Leena - 020 ...": the recogniser ran the list's items into one
    name and tidying kept the first; the rule names in the items it cut off are names too."""
    kept = {i for c in after for i in range(c.start, c.end)}
    cut = {i for c in before for i in range(c.start, c.end)} - kept
    return [
        r
        for r in rules
        if r.start in cut and all(i in cut for i in range(r.start, r.end)) and r.start - 1 in cut
    ]


# chat openers that run into a name in lower case ("would you please ketola duplicates ...")
_OPENERS = frozenset(
    """would could can you please pls plz kindly hey hi hiya hello yo so ok okay alright right
um uh oh well there thanks also and then just""".split()
)
# a sentence's first word, capitalised as every first word is, that is a command verb, not a name
_LEADING_VERBS = frozenset(
    """gave give pass bump move push mark set put send sent tell show pull drop add update change
close closed log logged ping pinged visited assign reassign hand handed transfer bring take kill
cancel snooze chase nudge remind flag loop forward share merge fold combine convert qualify
disqualify sign signed book booked schedule scheduled emailed called rang phoned texted messaged
met demoed""".split()
)
_HOLIDAYS = frozenset(
    "christmas xmas easter diwali thanksgiving ramadan eid hanukkah halloween".split()
)
# words that open a sentence and name nothing ("Great news:", "Another long call with ...")
_SENTENCE_OPENERS = frozenset(
    """great another unfortunately sadly finally fyi quick good bad big huge nice awesome
    urgent important today yesterday tonight still again next both every each btw anyway
    actually honestly hopefully apparently luckily update reminder heads""".split()
)


def _without_opener(doc: Doc, c: Candidate) -> Candidate:
    """ "Unfortunately Nordic Fika AB deal is lost": the sentence's opening word goes."""
    if (
        c.cid is None
        and c.end - c.start > 1
        and _sentence_opener(doc, Candidate(c.start, c.start + 1, "", False))
    ):
        return Candidate(
            c.start + 1, c.end, doc[c.start + 1 : c.end].text, c.person, c.role, c.cid, c.trigger
        )
    return c


def _sentence_opener(doc: Doc, c: Candidate) -> bool:
    """One capitalised word first in its sentence that is a command verb or an opener."""
    return (
        c.end - c.start == 1
        and (c.start == 0 or doc[c.start - 1].text in (".", "!", "?", ":", ";"))
        and doc[c.start].text[:1].isupper()
        and doc[c.start].lower_ in _LEADING_VERBS | _OPENERS | _SENTENCE_OPENERS
    )


# words that point at a name without being one
_NOT_A_NAME = (
    frozenset(
        """it them they him her us this that these those first second former latter one self
        myself""".split()
    )
    | frozenset(_COUNT_WORDS)
    | _HOLIDAYS
    | frozenset("usd eur gbp aud nzd cad chf jpy inr sgd hkd zar sek nok dkk".split())
)  # "send them Christmas cards": a holiday, not a customer; "AUD 18,500": a currency
# sales regions and messaging products: what a message is about or sent with, not whom
_REGIONS = frozenset(
    "emea apac apj dach latam amer americas na nam noram anz benelux nordics cee mena "
    "emeia uki ukie".split()
)
# job roles and departments: who, at the customer or here, not which customer ("the AE on
# Mercado Luna", "Procurement needs more time")
_ROLE_WORDS = frozenset(
    """ae aes sdr sdrs bdr bdrs am csm csms tam se rep reps vp svp evp ceo cfo cio cto coo cmo cro
cpo ciso cso gm md procurement purchasing hr""".split()
)
# documents and sales terms: what is sent or discussed ("the redlined MSA"), not whom
_DOCUMENT_WORDS = frozenset(
    "msa sow nda rfp rfi rfq po pos sla dpa qbr ebr roi kpi okr poc".split()
)
# a lot of leads or tasks ("spread the lead backlog"): no name
_COLLECTIVE_WORDS = frozenset("backlog queue pool pile inbox batch bucket".split())
_CHANNEL_PRODUCTS = frozenset(
    "whatsapp linkedin teams zoom slack skype wechat imessage sms facetime".split()
)


def _no_customer(c: Candidate) -> bool:
    """A name candidate that is a word of its own kind, whatever its capitals: a holiday ("the
    Christmas do"), a count ("Ten biggest deals"), a region ("the EMEA pipeline"), a messaging
    product ("a WhatsApp to Marcus"), a job role or department ("the AE on X"), an interaction
    kind or a team. A known customer stays."""
    if c.cid is not None:
        return False
    low = c.text.lower()
    words = c.text.split()
    if len(words) > 1 and words[0].lower() in _HOLIDAYS and all(w.islower() for w in words[1:]):
        return True  # "the Easter hampers": a holiday's things
    return (
        low in _NOT_A_NAME
        or low in _NOT_NAMES
        or low in _REGIONS
        or low in _CHANNEL_PRODUCTS
        or low in _ROLE_WORDS
        or low in _DOCUMENT_WORDS
        or low in _COLLECTIVE_WORDS
        or low in _CURRENCY_WORDS  # "convert 1000 euro to rupees"
        or _JOB_TITLE.fullmatch(low) is not None  # "Dr. Hannah Lind, Chief Medical Officer at X"
    )


_JOB_TITLE = re.compile(_TITLE_CORE, re.I)


# what a job title is "of" when it is no company ("Chief of Radiology", "VP of Supply Chain")
_DEPARTMENTS = frozenset(
    """sales marketing finance operations ops procurement purchasing engineering it hr legal
    radiology imaging cardiology oncology surgery nursing pharmacy facilities logistics supply
    chain security compliance risk research development product support people talent design
    strategy growth technology innovation communications partnerships medicine""".split()
)


def _in_title(doc: Doc, c: Candidate) -> bool:
    """ "Dr. Lisa Chen, Chief of Radiology": the department of a job title, not a customer
    ("the director of Acme Labs" is the company's)."""
    return (
        c.cid is None
        and c.start >= 2
        and doc[c.start - 1].lower_ == "of"
        and doc[c.start - 2].lower_ in _TITLE_WORDS
        and all(t.lower_ in _DEPARTMENTS or t.lower_ in ("and", "&") for t in doc[c.start : c.end])
    )


# job titles that come before "of <company>" ("Head of Sales at ...", "CIO of Puerto Sur")
_TITLE_WORDS = frozenset(
    """head director manager vp president chair chairman chief ceo cfo cto cio coo cmo cro
founder owner partner lead officer member friend dean principal secretary""".split()
)
_CURRENCY_WORDS = frozenset(
    """dollars usd euros euro eur pounds gbp quid bucks rupees inr yen francs kronor kroner
    dirhams aed ringgit baht rand pesos reais yuan rmb""".split()
)
_NUMBER_TAIL = re.compile(r"\d{1,2}")  # below 100: no amount (see the amount rule)


def _before_politeness(doc: Doc, c: Candidate, core_end: int) -> Candidate | None:
    """A name ends before the message's trailing politeness ("to holm a/s cheers")."""
    end = c.end
    while end > c.start and doc[end - 1].idx >= core_end:
        end -= 1
    if end == c.end:
        return c
    if end == c.start:
        return None
    return Candidate(c.start, end, doc[c.start : end].text, c.person, c.role, c.cid, c.trigger)


def _common_name_tail(ex: Extraction, start: int, end: int) -> int:
    """ "at Birkdale Hire": a capitalised common word that ends the message's clause right after
    a capitalised name is its last word (the rules stop at common words: "Hire", "Works")."""
    doc = ex.doc
    if end >= len(doc) or not doc[start].text[:1].isupper():
        return end
    t = doc[end]
    nxt = doc[end + 1] if end + 1 < len(doc) else None
    if (
        t.is_alpha
        and t.text.istitle()
        and t.lower_ in COMMON_WORDS
        and t.lower_ not in _HEADER_WORDS
        and t.lower_ not in _DATE_WORDS
        and t.lower_ not in _LEADING_VERBS
        and t.i not in ex.blocked
        and (nxt is None or nxt.is_punct or nxt.text.islower())
    ):
        return end + 1
    return end


def _capitalised_run(doc: Doc, end: int) -> int:
    """Where a run of capitalised name words from ``end`` stops ("... of the Mountain King")."""
    while (
        end < len(doc)
        and doc[end].is_alpha
        and doc[end].text[:1].isupper()
        and doc[end].lower_ not in _DATE_WORDS
    ):
        end += 1
    return end


# after a name's own "'s", what a clause goes on with: the 's was no possessive
_AFTER_OWN_S = frozenset("is was has had are were wants wanted said says and or but".split())


def _with_own_s(ex: Extraction, c: Candidate) -> Candidate:
    """The name with its own 's and what follows it (`_own_s`): a company's, so also the
    capitalised words in front that the person it was read as left off ("St. Jude's ...")."""
    doc = ex.doc
    end = _own_s(doc, c.end)
    if end == c.end or c.cid is not None:
        return c
    start = _capitalised_head(ex, c.start) if c.person else c.start
    return Candidate(start, end, doc[start:end].text, False, c.role, c.cid, c.trigger)


def _own_s(doc: Doc, end: int) -> int:
    """A name that ends in "'s" ("nonna pina's", "jimmy's", "Denny's"): the 's is the name's
    when the clause ends after it or goes on with a verb ("nonna pina's is in negotiation"),
    not when a noun follows ("acme's renewal")."""
    if (
        end >= len(doc)
        or doc[end].text not in ("'s", "’s")
        or doc[end].whitespace_ == ""
        and (end + 1 < len(doc) and doc[end + 1].is_alpha)
    ):
        return end
    after = doc[end + 1] if end + 1 < len(doc) else None
    if after is None or after.is_punct or after.lower_ in _AFTER_OWN_S:
        return end + 1
    if doc[end - 1].text[:1].isupper() and after.text[:1].isupper():
        # "St. Mary's Regional Medical Center": capitalised words, one of them a business
        run = _capitalised_run(doc, end + 1)
        if run - end <= 5 and any(_is_name_end(doc[i]) for i in range(end + 1, run)):
            return run
    return end


def _mend_name(ex: Extraction, c: Candidate) -> Candidate:
    """A company name cut or run on at its edges: take "First of" before "May Credit Union" (a
    capitalised word and "of"), a lower-case name's own number ("polar byte 7", "kestrel 9
    labs", not "acme 25k" or "acme 3pm": those are amounts and times) and a number inside a
    capitalised name ("Prime 7 Motors"); leave out a trailing " in <Place>" ("... in Dubai")."""
    if c.person or c.cid is not None:
        return c
    doc = ex.doc
    start, end = c.start, c.end
    k = start - 2
    if (
        k >= 1
        and doc[start].text[:1].isupper()
        and doc[k + 1].text == "of"
        and doc[k].is_alpha
        and doc[k].text.istitle()
        and doc[k].lower_ not in _TITLE_WORDS
        and not doc[k - 1].is_punct
        and doc[k - 1].lower_ not in _LEADING_VERBS
        and not doc[k - 1].text[:1].isupper()  # "Alistair Grieve of ...": a person's surname
        and k not in ex.blocked
    ):
        start = k  # "with First of May Credit Union"
    if (
        end + 2 < len(doc)
        and doc[start].text[:1].isupper()
        and doc[end].lower_ == "of"
        and doc[end + 1].lower_ == "the"
        and doc[end + 2].is_alpha
        and doc[end + 2].text[:1].isupper()
        and doc[end + 2].lower_ not in _DATE_WORDS
        and end + 2 not in ex.blocked
    ):
        end = _capitalised_run(doc, end + 3)  # "the Lord of the Fries opportunity"
    start = _capitalised_head(ex, start)
    if start >= 3 and _firm_address(doc, start - 3):
        start -= 3  # "M/s Kaveri Agro": the firm as the text names it
    end = _of_place(ex, start, end)
    end = _common_name_tail(ex, start, end)
    words = doc[start:end]
    dated = {
        t
        for lab in ("DATE", "PERIOD", "PHONE", "PERCENT")
        for sp in ex.all(lab)
        for t in range(sp.start, sp.end)
    }
    if end < len(doc) and _NUMBER_TAIL.fullmatch(doc[end].text) and end not in dated:
        after = doc[end + 1] if end + 1 < len(doc) else None
        # a lone word that opens the message is more likely a command ("drpo 7")
        lower = all(t.text.islower() for t in words if t.is_alpha)
        own = len(words) > 1 or start > 0
        if after is not None and after.text[:1].isupper() and after.is_alpha and not lower:
            end += 2  # "Prime 7 Motors"
        elif own and (
            after is None
            or after.is_punct
            or after.lower_ in _NAME_TAILS
            or (after.lower_ in _ENGLISH and not _COUNT_AFTER.match(" " + after.text))
            and after.lower_ not in ("x", "times", "deals", "leads", "calls", "of", "percent")
            and after.lower_ not in _MULTIPLIERS
            and after.lower_ not in _CURRENCY_WORDS
        ):
            end += 1  # "polar byte 7", "kestrel 9 labs", "Studio 54"
            if after is not None and after.lower_ in _NAME_TAILS:
                end += 1
    for k in range(start + 1, end - 1):
        if (
            doc[k].text == "in"
            and all(t.text[:1].isupper() for t in doc[k + 1 : end])
            and end - k <= 3
            and not any(_is_suffix(t) for t in doc[k + 1 : end])
        ):
            end = k  # "Al-Qasimi Trading in Dubai": where they are, not who
            break
    if (start, end) == (c.start, c.end):
        return c
    return Candidate(start, end, doc[start:end].text, c.person, c.role, c.cid, c.trigger)


# words that open a name and may be read as ordinary ones ("Good Samaritan", "High Plains",
# "St. Luke's"), taken when capitalised after a lower-case word, not a name's own first word
_HEAD_BREAKS = frozenset("i re fwd fw hi hey dear new old".split())


def _capitalised_head(ex: Extraction, start: int) -> int:
    """Capitalised words the recogniser left off the front of a capitalised name, in the
    middle of a sentence ("with Good Samaritan Hospital", "at High Plains Harvesting"): up to
    two, each neither a date, a job title, a command or kind word nor a person's first name."""
    doc = ex.doc
    if not doc[start].text[:1].isupper():
        return start
    k = start
    while k - 1 >= 1 and start - k < 2:
        t, before = doc[k - 1], doc[k - 2]
        low = t.lower_.rstrip(".")
        if not (
            (t.is_alpha or t.lower_ in ("st.", "mt.", "ft."))
            and t.text.istitle()
            and low not in _DATE_WORDS
            and low not in _TITLE_WORDS
            and low not in _LEADING_VERBS
            and low not in _OPENERS
            and low not in _HEAD_BREAKS
            and low not in _NOT_NAMES
            and not _is_person_start(t)
            and k - 1 not in ex.blocked
        ):
            break
        k -= 1
        if not (before.is_alpha and before.is_lower) and not before.text[:1].isupper():
            break
    if k == start or not (doc[k - 1].is_alpha and doc[k - 1].is_lower):
        return start  # at the start of a sentence a capitalised word is no sign of a name
    return k


# the last word of an institution that may be "of" a place ("Mercy Health of Ohio")
_OF_PLACE_NOUNS = frozenset(
    """health hospital hospitals healthcare clinic medical bank university college school
    schools church council center centre society institute museum association department
    services authority district county city trust foundation""".split()
)


def _of_place(ex: Extraction, start: int, end: int) -> int:
    """ "Mercy Health of Ohio", "Good Samaritan Hospital of Cincinnati": an institution's name
    goes on with "of" and a capitalised place (at most three words, no date)."""
    doc = ex.doc
    if (
        end + 1 < len(doc)
        and doc[start].text[:1].isupper()
        and doc[end - 1].lower_ in _OF_PLACE_NOUNS
        and doc[end - 1].text[:1].isupper()
        and doc[end].lower_ == "of"
        and doc[end + 1].is_alpha
        and doc[end + 1].text[:1].isupper()
        and doc[end + 1].lower_ not in _DATE_WORDS
        and end + 1 not in ex.blocked
    ):
        stop = _capitalised_run(doc, end + 1)
        if stop - (end + 1) <= 3 and not any(i in ex.blocked for i in range(end + 1, stop)):
            return stop
    return end


_LEAD_INTENTS = frozenset({"create_lead", "save_contact"})
_HANDED_TO = re.compile(r"\b(?:give|assign|hand|pass|route|send)\s+(?:it|this|them|the lead)\s+"
                        r"(?:over\s+)?to\s*$", re.I)  # fmt: skip
_CONTACT_IS = re.compile(
    r"\b(?:(?:main\s+|the\s+)?contact(?:\s+person)?|owner|buyer|decision[- ]maker|poc|"
    r"point of contact)(?:['’]s|\s+is|:)?\s*$",
    re.I,
)  # "contact is Ffion Ellis", "owner's Tarni", "buyer is rosa quintanilla"


_REFERRER = re.compile(
    r"(?:passed|referred|introduced|recommended|sent|forwarded)\b(?:\s+(?:it|this|them|us))?"
    r"(?:\s+(?:along|on|over|in))?\s*[)\],;:]",
    re.I,
)


_CONTACT_NAMED = re.compile(
    r"\b(?:contact(?:\s+person)?|owner|buyer|decision[- ]maker|poc)(?:['’]s|\s+is|:)\s+"
    r"([^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*){0,2})(?=\s*(?:[,.;:(]|\s-\s|\d|$))",
    re.I,
)


def _lower_case_contact(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    """ "owner is cal diaz, cal@...": the words after "contact is" / "owner is", up to the
    next comma or number, are the lead's person, however they are written."""
    m = _CONTACT_NAMED.search(doc_text(doc))
    if m is None:
        return []
    sp = doc.char_span(m.start(1), m.end(1), alignment_mode="contract")
    if sp is None or any(sp.start < c.end and c.start < sp.end for c in cands):
        return []
    if any(t.lower_ in _RUN_BREAKS or t.lower_ in COMMON_WORDS for t in sp):
        return []  # "contact is not known yet"
    return [Candidate(sp.start, sp.end, sp.text, True, trigger="contact")]


def _people_of_lead(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    """A new lead's names: one after "contact (is)" is the person ("Lowther Bakeries, contact
    Ffion Ellis"); one after "give it to" is whom the lead goes to, no contact of it."""
    out = []
    for c in cands:
        before = doc[: c.start].text
        if c.cid is None and _HANDED_TO.search(before):
            continue
        if c.cid is None and _REFERRER.match(doc[c.end :].text):
            continue  # "(Kenneth Osei passed it along): Abena Mensah at X": who referred it
        if c.cid is None and _CONTACT_IS.search(before):
            c.person = True
        out.append(c)
    out = sorted(out + _lower_case_contact(doc, out), key=lambda c: c.start)
    named = [c for c in out if c.cid is None and _CONTACT_IS.search(doc[: c.start].text)]
    if named and all(c.person for c in out):
        # "create lead for Drenthe Waterbeheer, contact Joost Smits": beside the named contact,
        # a name that does not start with a first name is the company
        for c in out:
            if c not in named and c.cid is None and not _person_shaped(doc, c):
                c.person = False
                break
    return out


# whose details a message gives: a first name with its 's (or the apostrophe left out)
_WHOSE_DETAILS = re.compile(
    r"^\W*([^\W\d_][\w-]*?)(?:['’]s|(?<=[a-z])s)\s+(?:new\s+)?(?:email|e-mail|cell|mobile|"
    r"number|phone|direct line|title)\b",
    re.I,
)


def _named_before_title(text: str, title: str) -> str | None:
    """ "rusty is the shop foreman at ...": the words before "is the <title>" name the person,
    in whatever case they are typed."""
    m = re.match(
        r"^\W*([^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*){0,2}?)\s+(?:is|['’]s)\s+(?:now\s+)?"
        r"(?:the\s+|our\s+|their\s+|an?\s+)?(?:new\s+)?" + re.escape(title),
        text,
        re.I,
    ) or re.search(  # "...: Dee Park, treasurer": a capitalised name, a comma, the title
        r"([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}),\s*(?:the\s+|our\s+|their\s+)?"
        + re.escape(title)
        + r"\W*$",
        text,
    )
    if m is None or m.group(1).lower() in _OBJECT_WORDS | {
        "who",
        "what",
        "which",
        "there",
        "he",
        "she",
    }:
        return None
    return m.group(1)


_ADDED = re.compile(
    r"^\W*(?:(?:pls|please|can you|could you|kindly)\W+)*(?:add|save|put|store)\s*$", re.I
)
_ADDED_TO = re.compile(r"^\s*(?:to|under|at|for|in)\s*(?:the\s+)?$", re.I)


def _added_to(doc: Doc, cands: list[Candidate]) -> None:
    """ "add Lyle Stucky to Stucky Bros": the name right after the verb is the person, the one
    after "to" the company, whatever either looks like."""
    for first, second in zip(cands, cands[1:], strict=False):
        if (
            first.cid is None
            and _ADDED.match(doc[: first.start].text)
            and _ADDED_TO.match(doc[first.end : second.start].text)
        ):
            first.person, second.person = True, False
            return


_CLOSE_CUE = re.compile(
    r"\b(?:clos(?:e|es|ed|ing)|slip(?:s|ped|ping)?|push(?:es|ed|ing)?|mov(?:e|es|ed|ing)|"
    r"bump(?:s|ed)?|delay(?:s|ed)?|postpon(?:e|es|ed)|reschedul\w*|expected|date|deadline|"
    r"pushed back)\b|->|→|=>",
    re.I,
)
_CLAUSE_EDGE = re.compile(r"[;.!?]\s|[,;]\s|\s[-–—]\s")


def _close_cue(text: str, sp: Span) -> bool:
    """A deal update's date is a close date when its clause says so ("slips to", "close date",
    "push ... to", "closes"); a date in another clause ("they signed on Friday") is not one."""
    starts = [m.end() for m in _CLAUSE_EDGE.finditer(text, 0, sp.start_char)]
    start = starts[-1] if starts else 0
    nxt = _CLAUSE_EDGE.search(text, sp.end_char)
    clause = text[start : nxt.start() if nxt else len(text)]
    return bool(_CLOSE_CUE.search(clause))


_FAMILY = re.compile(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)*s")


def _household(text: str, name: str) -> str:
    """ "called the Hendersons": a family is the customer with its article, as written ("the
    Garza-Whitfields"); the key that resolves it drops "the" anyway."""
    if not _FAMILY.fullmatch(name):
        return name
    m = re.search(rf"\b(the)\s+{re.escape(name)}\b", text, re.IGNORECASE)
    return f"{m.group(1)} {name}" if m else name


def _with_final_dot(text: str, name: str) -> str:
    """A dotted legal form keeps its last full stop ("S.p.A.", "S.A. de C.V.", "Pvt. Ltd." inside
    a sentence): the sentence's punctuation was stripped with it."""
    at = text.find(name)
    if at < 0 or text[at + len(name) : at + len(name) + 1] != ".":
        return name
    if re.search(r"\.[A-Za-z]{1,2}$", name):
        return name + "."
    last = name.split()[-1].lower() if name.split() else ""
    if last in COMPANY_SUFFIXES and "." in name and text[at + len(name) + 1 :].strip():
        return name + "."  # "Mehta Polymers Pvt. Ltd. today": dotted like its "Pvt."
    return name


_STILL_AT = re.compile(r"\bstill\s+(?:in|at|sitting in|stuck in)\s+(?:the\s+)?$", re.I)


# a task closed is not moved: a date said with it belongs to something else
_CLOSED_TASK = frozenset({"done", "cancelled"})


def _history_kind(doc: Doc, sp: Span) -> bool:
    """A kind that filters a customer's history is the records asked for: "recent calls", "the
    last 5 emails", "the email history"; not an event said as context ("before my call with
    their CFO", "I have their VP on the phone")."""
    last = doc[sp.end - 1]
    if last.lower_.endswith("s"):
        return True  # "calls", "emails", "meetings", "notes"
    after = doc[sp.end].lower_ if sp.end < len(doc) else ""
    before = {t.lower_ for t in doc[max(0, sp.start - 3) : sp.start]}
    return after in ("history", "log", "thread", "threads") or bool(
        before & {"recent", "last", "latest", "previous", "past", "all", "every", "any", "record"}
    )


_PRACTITIONER_TITLE = re.compile(r"(?:dr|prof|professor)\.?$", re.I)


def _practitioner(doc: Doc, c: Candidate) -> Candidate | None:
    """ "spoke with Dr. Evelyn Marsh": a doctor or professor named with no company is an
    individual practitioner, the customer, with the title ("Dr. Evelyn Marsh")."""
    start = c.start
    if not _PRACTITIONER_TITLE.fullmatch(doc[start].text):
        k = start - 1
        if k >= 0 and doc[k].text == ".":
            k -= 1
        if k < 0 or not _PRACTITIONER_TITLE.fullmatch(doc[k].text):
            return None
        start = k
    return Candidate(start, c.end, doc[start : c.end].text, False, c.role, c.cid, c.trigger)


def _old_owner(doc: Doc, c: Candidate) -> bool:
    """ "reassign X from Fergus to Imogen": the rep it moves from, no contact of the lead."""
    return (
        c.person
        and c.start > 0
        and doc[c.start - 1].lower_ == "from"
        and c.end < len(doc)
        and doc[c.end].lower_ == "to"
    )


_INTO_CUSTOMER = re.compile(r"\b(?:to|into)\s+(?:a\s+)?(?:paying\s+)?customer\b", re.I)
_RECORD_COLON = frozenset("opportunity opp deal lead prospect customer account client".split())


def _after_record_colon(doc: Doc, c: Candidate) -> bool:
    """ "set up an opportunity: stripe, €65k": the word after a record word and a colon is the
    record's name, even an ordinary word."""
    return (
        c.start >= 2 and doc[c.start - 1].text == ":" and doc[c.start - 2].lower_ in _RECORD_COLON
    )


_PRODUCT_MESSAGE = re.compile(
    rf"\b(?:sent|send|dropped|fired off|left)\s+(?:(?:him|her|them)\s+)?(?:a|an)\s+(?:quick\s+)?"
    rf"(?:{'|'.join(sorted(_CHANNEL_PRODUCTS))})\b",
    re.I,
)


def _message_by_product(text: str, out: dict[str, Any]) -> None:
    """ "Sent a Slack to Marcus", "sent a LinkedIn to X": a message, sent with that product; the
    product is how it was sent, not what was said."""
    m = _PRODUCT_MESSAGE.search(text)
    if not m:
        return
    out.setdefault("kind", "message")
    said = out.get("summary")
    if isinstance(said, str) and re.fullmatch(
        rf"(?:a|an)\s+(?:quick\s+)?(?:{'|'.join(sorted(_CHANNEL_PRODUCTS))})(?:\s+message)?",
        said,
        re.I,
    ):
        out.pop("summary")


def _person_reminded(intent: str) -> bool:
    """ "remind me to call Rafael Mendes": a reminder about a person names no customer (a
    reminder has no contact; the person stays in its text)."""
    return intent == "set_reminder"


def _verb_after_to(doc: Doc, c: Candidate) -> bool:
    """ "to prep the pipeline review": a lower-case word after "to" with an object after it is a
    verb, not a name."""
    return (
        c.cid is None
        and c.end - c.start == 1
        and doc[c.start].text.islower()
        and c.start > 0
        and doc[c.start - 1].lower_ == "to"
        and c.end < len(doc)
        and doc[c.end].lower_ in _OBJECT_WORDS
    )


_TRIP_WORDS = frozenset("trip trips offsite off-site roadshow conference summit expo".split())


def _trip_place(doc: Doc, c: Candidate) -> bool:
    """ "the Newcastle trip", "the Madrid offsite": one capitalised word before a trip word is
    where we went, not a customer."""
    return (
        c.cid is None
        and c.end - c.start == 1
        and c.start > 0
        and doc[c.start - 1].lower_ == "the"
        and c.end < len(doc)
        and doc[c.end].lower_ in _TRIP_WORDS
    )


_PARTICLES = frozenset("da de do dos das di du del della van von der den la le el al bin".split())


def _tidy_name(doc: Doc, c: Candidate) -> Candidate | None:
    """Trim what is not the name: an opener or a preamble before it, a verb after a capitalised
    name ("Rite-Aid slips"), a " - " list separator; take a particle ("da Costa Ltda."), a
    capitalised weekday word ("Sunday Riley") before it and "and Sons" / "of the Fries" after."""
    start, end = c.start, c.end
    # a preamble with a comma or a " - " separator inside: the name is the part with capitals
    for k in range(end - 1, start, -1):
        if doc[k].text == "," and _is_suffix(doc[k - 1]) and k + 1 < end and _is_suffix(doc[k + 1]):
            continue  # "Seoul Cellar Co., Ltd.": the comma of two legal forms
        if doc[k].text in (",", ";", ":") or (
            doc[k].text in ("-", "–", "—") and doc[k].whitespace_
        ):
            left, right = doc[start:k], doc[k + 1 : end]
            if doc[k].text in ("-", "–", "—") and not c.person:
                end = k  # "register lead tidewater - isabel cruz - 555-0456": the first item
            elif right and (right[0].text[:1].isupper() or not left.text[:1].isupper()):
                if c.person or any(t.text[:1].isupper() for t in right) or k - start > 2:
                    start = k + 1
            else:
                end = k
            break
    while (
        end - start > 1
        and doc[start].lower_ in _OPENERS
        and not (  # "from Hello August": capitalised after a preposition, the name's own word
            start > 0
            and doc[start - 1].lower_ in ("from", "at", "with", "for", "to")
            and doc[start].text.istitle()
            and doc[start + 1].text[:1].isupper()
        )
    ):
        start += 1
    while end - start > 1 and doc[end - 1].lower_ in _PERSON_VERBS:
        end -= 1  # "juan silveira became coo at ...": the verb after the name
    if (
        end - start > 1
        and doc[start].lower_ in _LEADING_VERBS
        and (start == 0 or doc[start - 1].is_punct)
        and doc[start + 1].text[:1].isupper()
    ):
        start += 1  # "Gave Castlegate Dental a demo", "Pass Tynebridge to @kim": the verb
    if end - start == 1 and doc[start].lower_ in _NOT_A_NAME:
        return None  # "merge it into X", "fold the first into the second"
    if (
        end - start > 1
        and doc[start].text[:1].isupper()
        and doc[end - 1].text[:1].islower()
        and doc[end - 1].is_alpha
        and (doc[end - 1].lower_ in _ENGLISH or doc[end - 1].lower_ in _KNOWN_VOCAB)
        and not _is_suffix(doc[end - 1])
        and doc[end - 2].lower_ not in _JOINERS
    ):
        end -= 1  # "Evergreen Energy slips"
    if not c.person and doc[start].text[:1].isupper():
        if start > 0 and doc[start - 1].lower_ in _PARTICLES and doc[start - 1].text.islower():
            start -= 1  # "da Costa Ltda."
        elif start > 0 and doc[start - 1].lower_ in _DATE_WORDS and doc[start - 1].text.istitle():
            if start < 2 or doc[start - 2].lower_ not in _DATE_LEADERS:
                start -= 1  # "Sunday Riley"
        # "Coles and Sons", "Lord of the Fries", "Procter & Gamble"
        k = end
        if k < len(doc) and doc[k].lower_ in ("and", "&", "of", "n", "+"):
            k2 = k + 1
            if k2 < len(doc) and doc[k].lower_ == "of" and doc[k2].lower_ == "the":
                k2 += 1
            if (
                k2 < len(doc)
                and doc[k2].is_alpha
                and doc[k2].text[:1].isupper()
                and doc[k2].lower_ not in _DATE_WORDS
                and (doc[k].lower_ in ("&", "of") or _is_suffix(doc[k2]))
            ):
                end = _capitalised_run(doc, k2 + 1)  # "Hall of the Mountain King"
    while end - start > 1 and doc[end - 1].text in (")", "(", ",", "-", "'", '"'):
        end -= 1
    if start >= end:
        return None
    person = c.person and not any(
        _is_suffix(t) and t.lower_ not in ("and", "&") for t in doc[start + 1 : end]
    )  # "holm & søn aps": a legal form makes it a company, whatever its first word
    if (start, end, person) == (c.start, c.end, c.person):
        return c
    text = doc[start:end].text.strip(" ,;:!?()")
    if not text:
        return None
    return Candidate(start, end, text, person, c.role, c.cid, c.trigger)


_JOINERS = frozenset({"&", "and", "n", "of", "e", "et", "y", "og", "och", "und", "+"})


def _industry_tail(doc: Doc, start: int, end: int) -> int:
    """A lower-case name cut before what its business is ("rio grande" of "rio grande cold
    storage", "brazos" of "brazos bottling"): the name goes on to an industry noun one or two
    words on, when the words between are lower-case and no function or command words."""
    if doc[start:end].text != doc[start:end].text.lower():
        return end  # written with capitals: the recogniser saw where the name ends
    for k in (0, 1):
        last = end + k
        if last >= len(doc) or doc[last].lower_ not in INDUSTRY_NOUNS:
            continue
        between = doc[end:last]
        if all(
            t.is_alpha
            and t.is_lower
            and t.lower_ not in COMMON_WORDS
            and t.lower_ not in KIND_PHRASES
            for t in between
        ):
            return last + 1
    return end


def _widened(doc: Doc, c: Candidate) -> Candidate:
    """A company's name widened onto what it goes on with (`_widen_company`); a person's only
    when a legal form follows, which makes it a company's ("Harbour Civil 2019 Ltd")."""
    if not c.person:
        return _widen_company(doc, c)
    wide = _widen_company(doc, c)
    if wide.end > c.end and _is_suffix(doc[wide.end - 1]) and doc[wide.end - 1].lower_ != "&":
        return Candidate(c.start, wide.end, wide.text, False, c.role, c.cid, c.trigger)
    return c


def _widen_company(doc: Doc, c: Candidate) -> Candidate:
    """A company name the recogniser cut short: "berg &" of "berg & søn aps", "Frederiksen &
    Nørgaard" of "... A/S", "lima cavalcante" of "... s/a": take the word after a joiner and the
    legal-form suffixes that follow."""
    end = c.end
    n = len(doc)
    while end < n:
        t = doc[end]
        last = doc[end - 1]
        if last.lower_ in _JOINERS and end - 1 > c.start:
            if (
                (t.is_alpha or "/" in t.text)
                and t.lower_ not in STOP_AFTER_NAME
                and (t.text[:1].isupper() or not _is_known(t))
            ):
                end += 1
                continue
            break
        if (
            (_is_suffix(t) or t.text == "AS")
            and t.lower_ not in ("and", "&")
            and (t.lower_ not in STOP_AFTER_NAME or (t.text.isupper() and len(t.text) > 1))
        ):  # "Oslo Havn Logistikk AS as buyer": Norway's legal form in capitals, then the word
            end += 1
            continue
        if t.text == "." and not last.whitespace_ and _is_suffix(last) and end + 1 < n:
            if _is_suffix(doc[end + 1]):
                end += 1  # "Pvt. Ltd.": the dot of one legal form, then the next
                continue
        if (
            t.like_num
            and end + 1 < n
            and _is_suffix(doc[end + 1])
            and doc[end + 1].lower_.rstrip(".") not in ("and", "&")
        ):
            end += 2  # "Summit Civil 2021 Ltd": a year in the name, then its legal form
            continue
        if t.text == "," and _is_suffix(last) and end + 1 < n and _is_suffix(doc[end + 1]):
            if doc[end + 1].lower_.rstrip(".") not in ("and", "&"):
                end += 2  # "Siam Vintners Co., Ltd.": two legal forms and a comma between
                continue
        break
    while end - 1 > c.start and doc[end - 1].lower_ in _JOINERS:
        end -= 1
    end = _industry_tail(doc, c.start, end)
    if end == c.end:
        return c
    return Candidate(c.start, end, doc[c.start : end].text, c.person, c.role, c.cid, c.trigger)


# What a company's name ends in when the rest of it is ordinary words ("tuesday morning
# properties", "quarry hill owners association"): a legal form or an industry noun, written
# with no other sign of a name. Generic words that end ordinary phrases too ("the print job",
# "our group") are left out.
_ANCHOR_NOUNS = (COMPANY_SUFFIXES | INDUSTRY_NOUNS) - frozenset(
    """& and co co. company global group digital design media cloud services market markets
print feed kitchen school tech energy works parts tools dynamics io ai hq san sa
spa""".split()
)
# what a company has, said after its name ("send the 1450 halsted llc contract")
_OWNED_THINGS = frozenset(
    "contract proposal quote invoice invoices renewal order trial pilot rollout file case".split()
)
_COUNTING_VERBS = frozenset(
    "want wants wanted need needs needed order ordered buy bought sold sell add added of x".split()
)
_NUMBER_WORD = re.compile(r"\d{2,}|\d+(?:st|nd|rd|th)")
_RUN_BREAKS = frozenset(
    """whether though although unless until since because the a an our their my his her its this
that these those your me us them him it they we i he she you who which what when where if is
are was were be been will would can could should do does did has have had not no all any
some every each per than then just also only very know owns own owned""".split()
)


_NAME_JOINERS = frozenset("& and of n de da do dos das del la le van von the 's".split())


def _without_thing_after(name: str) -> str:
    """A capitalised name that runs on into one lower-case word is the name and the thing it
    is about: "Kingsway Dental Centre autoclave (deal)", "Zenith installment (chase)". The word
    stays when it is a business's ("Kumasi Best Buy supermarket") or the name is all lower case
    ("big tonys pizza")."""
    words = name.split()
    last = words[-1]
    if (
        len(words) >= 2
        and last.isalpha()
        and last.islower()
        and words[0][:1].isupper()
        and all(w[:1].isupper() or w.lower() in _NAME_JOINERS for w in words[:-1])
        and not _business_word(last)
        and last not in _NAME_JOINERS
    ):
        return " ".join(words[:-1])
    return name


# a day said first in a reminder's text, already read as when it is due ("friday send Kovo the
# CMR copies", "wed send ...", "1.12 that ..."), and the "about" after it ("abt siam circuit")
_LEADING_WHEN = re.compile(
    r"^(?:(?:on|by|next|this)\s+)?(?:(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)(?:day)?|"
    r"tmrw|tmr|tomorrow|tonight|today|\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?)\b[,:]?\s+"
    r"(?:(?:that|to|about|abt|re)\s+)?"
    r"|^(?:abt|about|re)\s+",
    re.I,
)


_COMPLAINED = re.compile(
    r"(?:is\s+|are\s+|keep\s+|keeps\s+)?(?:complain(?:s|ed|ing)?|moan(?:s|ing)?|"
    r"grumbl(?:es|ing))\s+(?:(?:about|that|of)\s+)?",
    re.I,
)


def _what_was_asked(said: str, customer: Any) -> str:
    """A feedback's text without the customer it opens with, nor the complaining ("tuas micro
    complain reels arrive w damaged boxes" is "reels arrive w damaged boxes"); what they want or
    ask stays as said ("wants the tip racks in recyclable packaging")."""
    if isinstance(customer, str) and said.lower().startswith(customer.lower() + " "):
        said = said[len(customer) + 1 :]
    rest = _COMPLAINED.match(said)
    if rest and len(said[rest.end() :].split()) >= 2:
        said = said[rest.end() :]
    return said


# "remind #sales on Friday that the cut-off is the 11th": what to remember, said after "that"
_REMIND_THAT = re.compile(
    r"\b(?:remind|nudge|tell)\b(?:[^.?!]|\.(?=\d))*?\bthat\s+(\S.*)$", re.I | re.S
)


def _said_that(text: str, ex: Extraction) -> str | None:
    """A reminder's text said as a "that" clause after when it is due: the whole clause, its
    own dates too ("... that stock count is on saturday", "... that the q4 promo pricing ends
    11/30"), up to the message's next ask. None when no date comes before "that"."""
    m = _REMIND_THAT.search(text)
    if not m or not any(sp.end_char <= m.start(1) for sp in ex.all("DATE")):
        return None
    said = _until_next_ask(m.group(1)).rstrip(" .!?")
    return said if len(said.split()) >= 2 else None


def _without_leading_when(said: str) -> str:
    """A reminder's text without the day it opens with, when the day was read as its when."""
    rest = _LEADING_WHEN.sub("", said, count=1)
    return rest if len(rest.split()) >= 2 else said


def _without_whom_met(said: str, whom: str) -> str:
    """A summary without the clause that only says whom it was with, which the contact
    holds: "met Mrs Nagwa, committee approved the budget", "Eng. Samir. they want better
    price" (up to the first comma or full stop after the person's name, and a title there)."""
    m = re.match(
        r"(?:(?:met|with|saw|spoke\s+(?:to|with))\s+)?(?:the\s+)?"
        + re.escape(whom)
        + r"(?:\s+[\w&-]+){0,4}?\s*[,.;:]\s+",
        said,
        re.I,
    )
    rest = said[m.end() :] if m else said
    return rest if m and len(rest.split()) >= 2 else said


def _without_product_code(name: str) -> str:
    """A name said with the product or job it is about, in capitals: "maple ridge RTU (job)",
    "Yorkville Cosmetic Dentistry CBCT", "Ebeano SLA". The code is no part of the name when the
    name itself is not in capitals; a legal form ("AG", "LLC") or a country ("UK", "DE") stays."""
    words = name.split()
    while len(words) >= 2 and re.fullmatch(r"\d+x", words[-1], re.I):
        words.pop()  # "Meblex 3x (FTL weekly)": a count of the deal's
    name = " ".join(words)
    last = words[-1]
    if (
        len(words) >= 2
        and 3 <= len(last) <= 5
        and (last.isalpha() or (last.isalnum() and not last.isdigit() and last[0].isalpha()))
        and last.isupper()
        and not _business_word(last)
        and not all(w.isupper() for w in words[:-1])
        and not any(w.isupper() and w.isalpha() for w in words[:-1])  # "IBM GBS" is its own
    ):
        return _without_product_code(" ".join(words[:-1]))
    return name


# a capitalised word joined on by a hyphen, or a saint's "St.", before where a name was cut
_CUT_START = re.compile(r"(?:\b[A-Z][\w'’]*-|\b(?:St|Ste|Mt)\.?\s)$")


def _with_cut_start(text: str, name: str) -> str:
    """The name with the word it was cut from: "Hope-Rise Pharmacy" read as "Rise Pharmacy",
    "St. Gregory's College" as "Gregory's College" (the tokens split at the hyphen or the
    abbreviation's point, and the name was taken from the second)."""
    at = text.find(name)
    if at <= 0:
        return name
    before = _CUT_START.search(text[:at])
    return text[before.start() : at] + name if before else name


def _business_word(word: str) -> bool:
    """A legal form or an industry noun ("llc", "S.A.", "realty", "health")."""
    low = word.lower().rstrip(".")
    return low in COMPANY_SUFFIXES or low in INDUSTRY_NOUNS


def _is_name_end(tok: Token) -> bool:
    return _business_word(tok.text) and tok.lower_.rstrip(".") not in ("and", "&")


def _anchored(tok: Token) -> bool:
    low = tok.lower_.rstrip(".")
    return tok.is_lower and low in _ANCHOR_NOUNS and low not in TEAM_PHRASES  # "legal", a team


def _run_word(tok: Token, ex: Extraction, skip: AbstractSet[int], dated: AbstractSet[int]) -> bool:
    """A word that can stand inside a lower-case company name: a lower-case word, also one the
    date reader took ("tuesday morning" of "tuesday morning properties"), not a function word,
    command word or interaction kind."""
    low = tok.lower_
    return (
        (tok.is_alpha or (tok.text[:1].isalpha() and "'" in tok.text))
        and tok.is_lower
        and low not in _RUN_BREAKS
        and low not in TRIGGERS
        and low not in _LEADING_VERBS
        and low not in KIND_PHRASES
        and low not in STOP_AFTER_NAME
        and low not in _OPENERS
        and low not in TEAM_PHRASES
        and len(low) > 1
        and (tok.i not in skip or tok.i in dated)
        and (tok.i not in ex.blocked or tok.i in dated)
    )


def _house_number(ex: Extraction, c: Candidate) -> Candidate:
    """ "1450 halsted llc", "3rd coast property mgmt", "(88 ferris ave partners)": a number or
    ordinal just before a company name that ends in its legal form or industry noun opens the
    name, unless a verb that counts comes before it or a counted noun after it ("they want 25
    acme labs seats")."""
    doc = ex.doc
    k = c.start - 1
    if c.person or c.cid is not None or k < 0 or not _NUMBER_WORD.fullmatch(doc[k].text):
        return c
    if not any(_anchored(t) or _is_suffix(t) for t in doc[c.start : c.end]):
        return c
    before = doc[k - 1].lower_ if k > 0 else ""
    if before in _COUNTING_VERBS:
        return c  # "they want 25 acme labs seats"
    if before in ("#", "no", "no.", "nr", "id") or doc[k].text.startswith("#"):
        return c  # "lead #52 hoosier plastics": a record's number, not the firm's
    after = doc[c.end] if c.end < len(doc) else None
    if not (
        after is None
        or not after.is_alpha
        or not after.is_lower
        or after.lower_ in STOP_AFTER_NAME
        or after.lower_ in _DOCUMENT_WORDS
        or after.lower_ in _OWNED_THINGS
        or after.lower_ in TRIGGERS
        or after.lower_ in _RUN_BREAKS
        or after.lower_ in COMMON_WORDS
    ):
        return c  # a counted noun follows: "3 acme labs licences"
    return Candidate(k, c.end, doc[k : c.end].text, c.person, c.role, c.cid, c.trigger)


def anchored_names(ex: Extraction, skip: AbstractSet[int]) -> list[Candidate]:
    """Lower-case company names that no other rule or the recogniser found, read back from the
    word they end in ("give tuesday morning properties to @priscilla", "disqualify august lane
    llc"): one to four name words before a legal form or industry noun, after a command word,
    a preposition, punctuation or the start, with a street number in front if there is one."""
    doc = ex.doc
    dated = {t for lab in ("DATE", "PERIOD") for sp in ex.all(lab) for t in range(sp.start, sp.end)}
    out: list[Candidate] = []
    for tok in doc:
        if not _anchored(tok) or tok.i in ex.blocked:
            continue
        end = tok.i + 1
        while end < len(doc) and doc[end].is_lower and _is_name_end(doc[end]):
            end += 1  # "property mgmt", "auto parts", "machine works"
        start = tok.i
        while start > 0 and tok.i - start < 4 and _run_word(doc[start - 1], ex, skip, dated):
            start -= 1
        if (
            start == tok.i - 1
            and doc[start].lower_.endswith("ing")
            and doc[start].lower_ in _ENGLISH
        ):
            continue  # "been asking engineering": a verb before the noun, no name
        first = doc[start]
        if _is_typo(first) and (first.norm_ in TRIGGERS or first.norm_ in _LEADING_VERBS):
            start += 1  # "calld sable point condos": a misspelt command, not a name word
        if start == tok.i or (out and start < out[-1].end):
            continue
        before = doc[start - 1] if start > 0 else None
        if before is not None and not (
            before.is_punct
            or before.lower_ in TRIGGERS
            or before.lower_ in _LEADING_VERBS
            or before.lower_ in _RUN_BREAKS
            or _NUMBER_WORD.fullmatch(before.text)
            or before.norm_ == "__mention__"
        ):
            continue
        if all(t.lower_ in _DATE_WORDS for t in doc[start : tok.i]) and end - tok.i == 1:
            if tok.lower_.rstrip(".") not in COMPANY_SUFFIXES:
                continue  # "monday delivery": a day's thing, not a name
        c = Candidate(start, end, doc[start:end].text, False, trigger=None)
        out.append(_house_number(ex, c))
    return out


# the records a customer has, said after its name ("the tejas tire lead", "the bluebird quote";
# not a reminder or a call, which are as often named by what they are about)
_RECORD_WORDS = frozenset(
    """lead deal opp opportunity account quote contract renewal proposal order invoice po rfp
    """.split()
)
_RECORD_BREAKS = frozenset("to of on for with at from in by about into over as".split())
# words that say which of one's records, not whose ("the new lead", "the q1 renewal")
_RECORD_MODIFIERS = frozenset(
    """new old big small hot warm cold last next latest recent first second third open closed
    stale pending overdue late current annual monthly weekly quarterly yearly intro kickoff
    discovery sales website web inbound outbound webinar referral trade show event signed final
    draft revised updated same other whole entire usual regular team internal quick short long
    q1 q2 q3 q4 my our your their his her its this that the a an one another each every any
    initial original existing upcoming big biggest largest top main only single""".split()
)


def record_names(ex: Extraction, skip: AbstractSet[int]) -> list[Candidate]:
    """Names said as the owner of a record, in any case: "convert the tejas tire lead", "can
    tash take the little tilde lead", "the bluebird invoice" (one to four words between "the"
    and the record word, no date, preposition, kind, team, holiday or person's first name
    first)."""
    doc = ex.doc
    out: list[Candidate] = []
    for tok in doc:
        if tok.lower_ not in _RECORD_WORDS or tok.i < 2:
            continue
        det = next(
            (k for k in range(tok.i - 1, max(-1, tok.i - 6), -1) if doc[k].lower_ == "the"), None
        )
        if det is None:
            continue
        for k in range(det - 1, max(-1, det - 7), -1):  # "the Lady of the Lake opportunity"
            if doc[k].lower_ == "the" and k + 1 < det and doc[k + 1].text[:1].isupper():
                if all(
                    (t.is_alpha and t.text[:1].isupper()) or t.lower_ in ("of", "and", "&")
                    for t in doc[k + 1 : det]
                ):
                    det = k
                break
        start = det + 1
        while start < tok.i and doc[start].lower_ in _RECORD_MODIFIERS:
            start += 1
        words = doc[start : tok.i]
        titled = (
            len(words) >= 3 and words[0].text[:1].isupper() and words[-1].text[:1].isupper()
        )  # "the Lady of the Lake opportunity": a title-case name keeps its "of the"
        if not words or any(
            t.i in skip
            or t.i in ex.blocked
            or not (t.is_alpha or t.text in ("&", "-", "'s") or t.like_num)
            or t.lower_ in _RECORD_MODIFIERS
            and not (titled and t.lower_ in ("the", "a") and t.i > start)
            or t.lower_ in _DATE_WORDS
            or t.lower_ in _NOT_NAMES
            or t.lower_ in _DEPARTMENTS
            or t.lower_ in _RECORD_WORDS
            or (t.lower_ in _RECORD_BREAKS or t.lower_ in _RUN_BREAKS)
            and not (titled and t.lower_ in ("of", "the", "and") and t.i > start)
            or t.lower_ in _HOLIDAYS
            for t in words
        ):
            continue
        if len(words) == 1 and (tok.lower_ == "lead" or _ordinary_word(doc, start, tok.i)):
            continue  # "the kaveh lead": a person or a company; "the real deal": no name
        if words[-1].text == "'s" or (
            words[0].lower_ in FIRST_NAMES
            and not any(_is_name_end(t) for t in words)
            and not (titled and any(t.lower_ == "of" for t in words))
        ):
            continue  # "the Olumide Bakare lead": a person's lead, the recogniser's to say
        out.append(Candidate(start, tok.i, words.text, False, role="titled" if titled else None))
    return out


_MARKED = re.compile(
    r"^\W*(?:(?:pls|please)\s+)?(?:mark|move|set|put|bump)\s+(?!the\b|it\b|them\b|this\b|that\b|"
    r"deal\b|my\b|our\b)(.+?)\s+(?:as\s+|to\s+|at\s+|in\s+)?(?:closed[- ])?(?:won|lost|"
    r"prospecting|qualification|qualified|proposal|negotiation|negotiating)\b",
    re.I,
)


def marked_names(ex: Extraction, skip: AbstractSet[int]) -> list[Candidate]:
    """ "mark blue heron 12 lost", "move tejas tire to proposal": everything between the command
    and the stage is the deal's customer, in any case (one to five words, no date or amount)."""
    doc = ex.doc
    m = _MARKED.match(doc_text(doc))
    if m is None:
        return []
    toks = [t for t in doc if m.start(1) <= t.idx < m.end(1)]
    if not 1 <= len(toks) <= 5 or any(
        t.i in skip or (t.i in ex.blocked and not _NUMBER_TAIL.fullmatch(t.text)) for t in toks
    ):
        return []  # a number under 100 is the name's ("blue heron 12"), not an amount
    if len(toks) == 1 and _ordinary_word(doc, toks[0].i, toks[0].i + 1):
        return []
    start, end = toks[0].i, toks[-1].i + 1
    return [Candidate(start, end, doc[start:end].text, False, trigger=None)]


def _with_anchored(cands: list[Candidate], anchored: list[Candidate]) -> list[Candidate]:
    """The lower-case names read back from their ending join the others: one replaces the
    unknown lower-case or numbered guesses inside it ("3rd" of "3rd coast property mgmt"), and
    one elsewhere counts only when no capitalised or known company is named."""
    if not anchored:
        return cands
    named = any(not c.person and (c.cid is not None or c.text[:1].isupper()) for c in cands)
    out = list(cands)
    for a in anchored:
        inside = [c for c in out if a.start <= c.start and c.end <= a.end]
        if any(c.cid is not None or (c.text[:1].isupper() and a.role != "titled") for c in inside):
            continue  # (a title-case record name holds its capitalised parts: "Lady", "Lake")
        if any(c.start < a.end and a.start < c.end for c in out if c not in inside):
            continue
        if inside or not named:
            out = [c for c in out if c not in inside] + [a]
    return sorted(out, key=lambda c: c.start)


def _no_english(doc: Doc, c: Candidate) -> bool:
    """No word of the name is an English word (connectors such as "del" aside)."""
    words = [t for t in doc[c.start : c.end] if t.is_alpha and t.lower_ not in NAME_CONNECTORS]
    return bool(words) and not any(t.lower_ in _ENGLISH for t in words)


def _before_next_sentence(doc: Doc, c: Candidate) -> Candidate:
    """ "the head buyer of Harbour Lights Ltd. Can you add her": the name ends with the legal
    form's full stop when the next sentence starts after it."""
    for k in range(c.start + 1, c.end):
        prev = doc[k - 1]
        if (
            prev.text.endswith(".")
            and _is_suffix(prev)
            and doc[k].text[:1].isupper()
            and (doc[k].lower_ in _OPENERS or doc[k].lower_ in COMMON_WORDS)
        ):
            return Candidate(c.start, k, doc[c.start : k].text, c.person, c.role, c.cid, c.trigger)
    return c


def _own_number(ex: Extraction, i: int) -> bool:
    """A number under 100 standing alone is a name's ("Studio 54"); one in a time or date, or in
    an amount with a word of its own ("3pm", "8 lakh"), is not."""
    if not _NUMBER_TAIL.fullmatch(ex.doc[i].text):
        return False
    for label in ("DATE", "PERIOD", "AMOUNT"):
        for sp in ex.all(label):
            if sp.start <= i < sp.end and (label != "AMOUNT" or sp.end - sp.start > 1):
                return False
    return True


def _without_blocked_tail(ex: Extraction, c: Candidate) -> Candidate:
    """ "acme 3pm", "Mehta Polymers Pvt. Ltd. 8 lakh": a time, date or amount the recogniser ran
    the name into is not the name's."""
    end = c.end
    doc = ex.doc
    if (
        end - 1 > c.start
        and _NUMBER_TAIL.fullmatch(doc[end - 1].text)
        and end < len(doc)
        and doc[end].is_alpha
        and doc[end].text.islower()
        and doc[end].lower_ not in _HEADER_WORDS | COMMON_WORDS  # "is polar byte 7 at risk?"
    ):
        end -= 1  # "Marion County Sheriffs Office 8 explorer interceptors": how many, no name
    while end - 1 > c.start and end - 1 in ex.blocked and not _own_number(ex, end - 1):
        # a number under 100 is the name's ("Studio 54"), not a time or amount ("acme 3pm")
        end -= 1
    if end == c.end:
        return c
    return Candidate(c.start, end, doc[c.start : end].text, c.person, c.role, c.cid, c.trigger)


def _firm_address(doc: Doc, i: int) -> bool:
    """ "M/s Kaveri Agro": "M/s" (Messrs, as Indian business English addresses a firm) at token
    `i` is no name of its own; it goes with the name after it (`_mend_name`)."""
    return (
        i + 2 < len(doc)
        and doc[i].lower_ == "m"
        and doc[i + 1].text == "/"
        and doc[i + 2].lower_ == "s"
    )


# finite verbs and clause openers that end a lower-case firm's name run ("dale at hadley
# property group wants PM pricing"): without a tagger, the words a report most often goes on with
_CLAUSE_WORDS = frozenset(
    """wants want wanted needs need needed said says say asked asks is are was were has have
    had got gets get went goes will would can could should might may did does do theyre
    they're hes he's shes she's its it's signed agreed confirmed liked likes loved loves
    looking ready happy keen interested called emailed rang texted about re regarding for
    on today yesterday tomorrow tonight this last next after before""".split()
)
_PERSON_TO_FIRM = frozenset({"at", "from", "of", "in", "@"})
_CLERGY = frozenset("father fr pastor rev reverend sister brother rabbi imam deacon bishop".split())


def _person_like(doc: Doc, c: Candidate, firm_named: bool = False) -> bool:
    """A name that is a person's by its shape: a first name (capitalised or not) opening one to
    three words, or a form of address ("father mike", "Dr Nolan", "Tanaka-san"); with a firm
    plainly named beside it (`firm_named`), any capitalised words that are not English words
    ("Siobhán", "Rami Khoury")."""
    words = doc[c.start : c.end]
    if c.cid is not None or not 1 <= len(words) <= 3 or any(_is_name_end(t) for t in words):
        return False
    if words[0].lower_ in ORDINAL_WORDS:
        return False  # "Second of July Bakery": a date in the firm's name, no person
    if (
        firm_named
        and all(t.is_alpha and t.text[:1].isupper() for t in words)
        and words[0].lower_ not in _ENGLISH
    ):
        return True
    if is_addressed(c.text) or (len(words) == 2 and words[0].lower_ in _CLERGY):
        return True
    if any(e.label_ == "CONTACT" and e.start == c.start and e.end == c.end for e in doc.ents):
        return True  # the recogniser read it as a person
    first = words[0].lower_
    return (
        first in FIRST_NAMES
        and first not in AMBIGUOUS_NAMES
        and all(t.is_alpha or t.text in ("-", "'") for t in words)
        and (words[0].text[:1].isupper() or c.text.islower())
    )


def _firm_run(ex: Extraction, start: int, capitalised: bool, skip: AbstractSet[int]) -> int:
    """Where a firm's name that opens at `start` ends: a capitalised run (with its joiners and
    possessives), or up to four lower-case words cut after the last industry noun or before
    the clause goes on."""
    doc = ex.doc
    end = start
    if capitalised:
        while end < len(doc) and end - start < 7:
            tok = doc[end]
            if tok.text[:1].isupper() and (tok.is_alpha or "'" in tok.text or "." in tok.text):
                end += 1
            elif (
                tok.lower_ in ("&", "and", "of", "'s", "’s", "-")
                and end + 1 < len(doc)
                and (doc[end + 1].text[:1].isupper())
            ):
                end += 1
            elif tok.lower_ in ("'s", "’s") and end > start:
                end += 1
            else:
                break
        return end
    dated: set[int] = set()
    while (
        end < len(doc)
        and end - start < 4
        and doc[end].lower_ not in _CLAUSE_WORDS
        and _run_word(doc[end], ex, skip, dated)
    ):
        end += 1
    ends = [i for i in range(start, end) if _is_name_end(doc[i])]
    return ends[-1] + 1 if ends else end


def _through_capitalised(doc: Doc, c: Candidate) -> Candidate:
    """ "Doyle's" + "Late Night Pharmacy Cork", "Sommelier" + "Friday SAS": a firm's name cut
    at a possessive, a time word or a weekday goes on through the capitalised words after it
    when they reach its industry noun or legal form."""
    end = c.end
    last_business = None
    while end < len(doc) and end - c.end < 6:
        tok = doc[end]
        if tok.text[:1].isupper() and (tok.is_alpha or tok.text.rstrip(".").isalpha()):
            if _is_name_end(tok):
                last_business = end
            end += 1
        elif (
            tok.lower_ in ("'s", "’s", "&", "of")
            and end + 1 < len(doc)
            and doc[end + 1].text[:1].isupper()
        ):
            end += 1
        else:
            break
    start = c.start
    while (
        start >= 2
        and doc[start - 1].lower_ in ("'s", "’s")
        and doc[start - 2].text[:1].isupper()
        and doc[start - 2].is_alpha
    ):
        start -= 2  # "Kelly's" + "Pharmacy Ballina"
        if start >= 1 and doc[start - 1].lower_ in ("st.", "st", "saint"):
            start -= 1
    if (
        start < c.start
        and last_business is None
        and any(_is_name_end(t) for t in doc[c.start : c.end])
    ):
        return Candidate(start, c.end, doc[start : c.end].text, c.person, c.role, c.cid, c.trigger)
    if last_business is None:
        return c
    end = last_business + 1
    if (
        end < len(doc)
        and doc[end].text[:1].isupper()
        and doc[end].is_alpha
        and doc[end].lower_ not in _DATE_WORDS
        and doc[end].lower_ not in TRIGGERS
        and not (end + 1 < len(doc) and doc[end + 1].text[:1].isupper())
    ):
        end += 1  # a town after it: "... Pharmacy Cork"
    return Candidate(start, end, doc[start:end].text, c.person, c.role, c.cid, c.trigger)


# what comes just before a person named with their firm: "called deb at ...", "met w sharon at"
_BEFORE_PERSON = frozenset(
    """with w w/ called call rang phoned emailed texted messaged met to visited saw""".split()
)


_NOT_A_PERSON = frozenset(
    """back again twice once later earlier early late ahead today yesterday everyone everybody
    someone somebody nobody anyone all both guys folks people staff team manager owner office
    reception front desk store shop site them him her us""".split()
)


def _person_before(ex: Extraction, comp: Candidate) -> Candidate | None:
    """ "called deb at brightview senior living": the firm was taken, and a person stands
    just before it, after a word of contact and before at / from."""
    doc = ex.doc
    k = comp.start - 1
    if k >= 0 and doc[k].lower_ == "the":
        k -= 1
    if k < 1 or doc[k].lower_ not in ("at", "from", "@"):
        return None
    end = k
    start = end
    while start > 0 and end - start < 3 and doc[start - 1].is_alpha:
        low = doc[start - 1].lower_
        if low in _BEFORE_PERSON or low in _RUN_BREAKS or low in TRIGGERS or low in KIND_PHRASES:
            break
        start -= 1
    if start == end or start == 0 or doc[start - 1].lower_ not in _BEFORE_PERSON:
        return None
    person = Candidate(start, end, doc[start:end].text, True)
    named = any(_is_name_end(t) or t.lower_ in ("'s", "’s") for t in doc[comp.start : comp.end])
    if _person_like(doc, person, firm_named=named) or (
        person.text.islower() and not any(t.lower_ in _NOT_A_PERSON for t in doc[start:end])
    ):
        return person  # "called X at <firm>": X, lower-case or not, is whom one called
    return None


def _person_then_firm(
    ex: Extraction, comp: Candidate, cands: list[Candidate], skip: AbstractSet[int]
) -> tuple[list[Candidate], Candidate] | None:
    """ "called deb at brightview senior living", "Siobhán in Kelly's Pharmacy Ballina", "Rami
    Khoury of Khoury Investments LLC": the name taken for the customer is a person's, and a
    firm follows it after at / from / of / in. The person is the contact, the firm the customer.
    """
    doc = ex.doc
    if comp.cid is not None:
        return None
    inner = re.match(r"(.+?)\s+(?:of|from|at)\s+(.+)$", comp.text)
    if inner and comp.end - comp.start >= 3:  # one candidate holding both
        cut = next(
            (
                i
                for i in range(comp.start + 1, comp.end - 1)
                if doc[i].lower_ in ("of", "from", "at")
            ),
            None,
        )
        if cut is not None:
            person = Candidate(comp.start, cut, doc[comp.start : cut].text, True)
            firm = Candidate(cut + 1, comp.end, doc[cut + 1 : comp.end].text, False)
            if _is_name_end(doc[comp.end - 1]) and _person_like(doc, person, firm_named=True):
                return [person], firm
        return None
    before = _person_before(ex, comp)
    if before is not None:
        return [before], comp
    if comp.end >= len(doc):
        return None
    prep = doc[comp.end].lower_
    if prep not in _PERSON_TO_FIRM:
        return None
    at = comp.end + 1
    if at < len(doc) and doc[at].lower_ == "the":
        at += 1
    if at >= len(doc):
        return None
    found = next((c for c in cands if c.start in (at, comp.end + 1) and c is not comp), None)
    if found is not None and not found.person:
        firm = found
    else:
        capitalised = doc[at].text[:1].isupper()
        if not capitalised and prep == "in":
            return None  # "rick in dallas": a place more often than a firm
        end = _firm_run(ex, at, capitalised, skip)
        if end <= at:
            return None
        if prep == "in" and not (
            end - at >= 2 or any(_is_name_end(t) or t.text.endswith("'s") for t in doc[at:end])
        ):
            return None
        firm = Candidate(at, end, doc[at:end].text, False)
    named = any(_is_name_end(t) or t.lower_ in ("'s", "’s") for t in doc[firm.start : firm.end])
    if not _person_like(doc, comp, firm_named=named):
        return None
    if _person_like(doc, firm) and not named:
        return None  # "Ana from Luis": two people
    comp.person = True
    return [comp], firm


def _person_shaped(doc: Doc, c: Candidate) -> bool:
    """One to three words, the first a first name written with a capital, none of them a
    company's legal form or industry noun, no known customer: "Sabine Hartl", "Gus"."""
    words = doc[c.start : c.end]
    return (
        c.cid is None
        and 1 <= len(words) <= 3
        and words[0].text[:1].isupper()
        and words[0].lower_ in FIRST_NAMES
        and words[0].lower_ not in AMBIGUOUS_NAMES
        and all(t.is_alpha or t.text in ("-", "'") for t in words)
        and not any(_is_name_end(t) for t in words)
    )


def ent_range(ent: Span) -> range:
    return range(ent.start, ent.end)


_NAME = r"([A-Z][a-z]+|[a-z]+)"
# Whom a lead goes to, by first name: "to Sam", "let Priya have", "can Bethan have",
# "Kieran can take", "give Rory the lead", "Marco gets the webinar leads".
_ASSIGNEE_RES = (
    re.compile(rf"\b(?:to|let|put|[Cc]an|[Cc]ould)\s+{_NAME}\b(?!\s+(?:leads?|the)\b)"),
    re.compile(
        rf"(?:^|[^\w'])(?<!\bthe ){_NAME}\s+(?:can|could|should|will|'ll|gets?|takes?)\s+"
        r"(?:(?:take|have|get|own|grab|handle|work|pick up)\s+)?(?:the|this|that|these|those|all|"
        r"both|a|an|every|them|it)\b"
    ),
    re.compile(
        rf"\b(?:[Gg]ive|[Hh]and|[Pp]ass|[Ss]end|[Aa]ssign|[Rr]oute)\s+{_NAME}\s+(?:the|this|that|"
        r"these|those|all|both|a|an|every|my|our)\b"
    ),
)


def assignee_named(text: str) -> re.Match[str] | None:
    """The first first name a lead is given to, as a match whose group 1 is the name."""
    found = [
        m
        for pattern in _ASSIGNEE_RES
        for m in pattern.finditer(text)
        if m.group(1).lower() in FIRST_NAMES and m.group(1).lower() not in COMMON_WORDS
    ]
    return min(found, key=lambda m: m.start(1)) if found else None


# "call it Winter Back In Stock", "name it ...", "the name is ...": a name given outright
_NAME_GIVEN = re.compile(
    r"\b(?:call|name|title)\s+it\s+|\b(?:the\s+)?name\s+(?:is|:|-)\s*|\bentitled\s+|"
    r"\bwith\s+(?:the\s+)?name\s+",
    re.I,
)
# what a deal is for or a campaign is about: "140k for the waterworks retrofit", "a mailer to
# the top customers about the 2027 super duty"
_NAME_FOR = re.compile(r"\b(?:for|about|on)\s+the\s+(?=\S)", re.I)
_SEGMENT_SEP = re.compile(r"\s*(?:[,;:]|\s[-–—]\s|\.\s)\s*")
# segment words that say which customers, how, when or how much: none of them is a name
_NOT_A_NAME_WORDS = re.compile(
    r"\b(?:deal|opp|opportunity|campaign|customers?|clients?|accounts?|accts|custs|ones|buyers|"
    r"stage|closing|close|closes|start|starting|going|sent|send|sending|worth|amount|"
    r"probability|chance|email|emails|sms|text|phone|mail|post|event|mailer|blast|remind|"
    r"follow|please|pls|can|could|would|i|we|you|they|he|she|it|me|my|our|your|their|"
    r"today|tomorrow|next|this|by|via|per|fee|year|month|week)\b",
    re.I,
)


# words of a deal's stage, size or close said beside its customer: no part of what it is for
_NOT_A_DEAL_NAME = re.compile(
    r"^(?:(?:in|at|on|to|is|stage|closing|close|closes|by|approx\.?|approx|about|around|~|"
    r"prob(?:ability)?|worth|total|value|for\s+(?:them|it|us)|deal|opp|opportunity|new|"
    r"prospecting|qualification|discovery|proposal|negotiation|won|lost|stage\s+\w+|"
    r"[a-z]{3}|k|m|mn|mil|mln|lakh|crore|per\s+\w+|pcs|already|still|yet|no|not|pls|please)\b"
    r"[\s,]*)+$",
    re.I,
)


def _said_beside_customer(masked: str, after: int) -> str | None:
    """What a new deal is for, said right after its customer ("new deal Nordlys Studio SS27
    hoodie, 24k", "open opportunity Al Zahra Medical USD 120k, 2 high end ultrasounds"): the
    first segment after the name that is no stage, size or close date (amounts and dates are
    masked out); at most six words."""
    rest = masked[after:]
    for seg in re.split(r"\x00+|[,;:!?(]|\.\s|\s[-–—]\s|^\s*[-–—]\s", rest)[:4]:
        words = seg.strip(" -–—=x*+/").split()
        while words and (words[-1].lower() in _TRAILING_JOINERS or _currency_code(words[-1])):
            words.pop()  # "3 first-fill sherry butts from (2014)", "... ltb sgd (1.2m)"
        value = _clean_free(" ".join(words))
        if not value or _NOT_A_DEAL_NAME.fullmatch(value):
            continue
        if (
            len(value.split()) > 6
            or not re.search(r"[A-Za-z]{2}", value)
            or _NOT_DEAL_NAME_START.match(value)
            or _DEAL_TERMS.search(value)
        ):
            return None  # a preposition's phrase, the next ask, or the deal's own terms
        return value
    return None


_TRAILING_JOINERS = frozenset("from of at in for with to and on by".split())
# a segment that opens so is how the deal is said, the next ask, or what someone said
_NOT_DEAL_NAME_START = re.compile(
    r"(?:at|with|of|in|across|for|on|to|by|from|and|also|then|remind|move|mark|set|add|pls|"
    r"please|it|they|he|she|we|i|no|not|which|expected|target|should|hoping)\b",
    re.I,
)
_DEAL_TERMS = re.compile(r"\b(?:close|closing|amount|value|number|yet|stage|probability)\b", re.I)


def _currency_code(word: str) -> bool:
    """An ISO 4217 code (babel's list): "usd", "SGD", "myr"."""
    return len(word) == 3 and word.isalpha() and word.upper() in ISO_CURRENCIES


def _said_name(text: str, intent: str, out: dict[str, Any], ex: Extraction) -> str | None:
    """A deal's or campaign's name said without quotes: given outright ("call it ..."), or as
    what it is for ("... for the waterworks retrofit"), or for a deal, said beside its customer
    ("new deal X SS27 hoodie, 24k"; tried in session 24 and left, when writers labelled it a
    name about as often as not; with the voices of sessions 28-29 it is the more usual label)."""
    masked = text
    spans = [
        sp
        for lab in ("AMOUNT", "DATE", "PERIOD", "PERCENT", "EMAIL")
        for sp in ex.all(lab)
        if lab != "AMOUNT" or _has_money_marker(sp.text) or (parse_amount(sp.text) or 0) >= 100
    ]  # "2 screw compressors": a count of the name's, no amount
    for sp in spans:
        masked = masked[: sp.start_char] + "\x00" * len(sp.text) + masked[sp.end_char :]
    customer = str(out.get("customer") or "")
    at = -1
    if customer:
        at = masked.lower().find(customer.lower())
        if at >= 0:
            masked = masked[:at] + "\x00" * len(customer) + masked[at + len(customer) :]
    given = _NAME_GIVEN.search(masked)
    if given:
        rest = _SEGMENT_SEP.split(text[given.end() :], maxsplit=1)[0]  # "Thanks Heaps 2026"
        value = _clean_free(re.split(r"\s+(?:for|to|starting|going|on)\s", rest)[0])
        if value and len(value.split()) <= 6:
            return value
    if intent == "create_deal" and customer and at >= 0:
        beside = _said_beside_customer(masked, at + len(customer))
        if beside:
            return beside
    for m in _NAME_FOR.finditer(masked):
        rest = re.split(r"\x00|[,;:.!?]|\s[-–—]\s", masked[m.end() :])[0]
        rest = re.split(
            r"\s+(?:closing|close|by|at|on|in|to|for|starting|from|via|with)\b", rest, flags=re.I
        )[0]
        value = _clean_free(rest)
        if (
            value
            and len(value.split()) <= 5
            and not _NOT_A_NAME_WORDS.search(value)
            and not any(  # "for the dormant ones": whom it is for
                m.end() <= sp.start_char < m.end() + len(rest) and sp.text.lower() != "new"
                for sp in ex.all("SEGMENT")
            )
        ):
            return value
    return None


def extract(  # noqa: C901
    doc: Doc, intent: str, now: datetime, gazetteer: Any = None, *, use_ner: bool = True
) -> dict:
    keys = INTENT_KEYS.get(intent, ())
    if not keys:
        return {}
    ex = Extraction(doc, now, gazetteer)
    full = doc_text(doc)
    core_end = polite_core_end(full, _KEPT_URGENCY if intent == "log_interaction" else frozenset())
    text = full[:core_end] + " " * (len(full) - core_end)  # same offsets, no trailing politeness
    low = text.lower()
    out: dict[str, Any] = {}
    skip: set[int] = set()  # token indices not to read names from
    sp: Span | None
    val: Any

    # ---- free text regions first (they shield their words from name extraction)
    free_span: tuple[int, int] | None = None
    if intent == "log_interaction":
        m = _NOTE_THAT.search(text) or re.search(
            r"(?:\babout\b|\babt\b|(?:(?<=\s)|^)re:?\s|\bregarding\b|\bto (?:discuss|talk about|"
            r"go over)\b|\bdiscuss(?:ed|ing)?\b|\bwent over\b|\bconcerning\b)",
            text,
            re.I,
        )
        if m is None:
            m = re.search(r":\s", text)
            if m and not any(k.end_char <= m.start() for k in ex.all("KIND")):
                m = None  # "note for Acme: ..." yes; "ok here goes: log a call with Acme" no
            elif (
                m
                and len(text[: m.start()].split()) < 3
                and not re.search(r"\bnotes?\s*$", text[: m.start()], re.I)
            ):
                m = None
        if m:
            start = m.end()
            end = len(text)
            fm = re.search(
                r"[,;.]?\s*(?:and\s+)?(?:need to |will |should |must |to )?(?:follow[\s-]?up|"
                r"followup|\bf/u\b|circle back|check back|next step|reconnect|"
                r"(?:call|ring) back\b|try again\b)",
                text[start:],
                re.I,
            )
            if fm:
                end = start + fm.start()
            cm = _CHASE_CUT.search(text, start, end)
            if cm:
                end = cm.start()
            for sp in ex.all("DATE"):
                if start <= sp.start_char < end and text[sp.end_char : end].strip(" ,.!?") == "":
                    end = sp.start_char
            summary = _clean_free(text[start:end])
            summary = re.sub(r"\s+(?:on|from|at|by)$", "", summary, flags=re.I).strip()
            if summary:
                out["summary"] = summary
                lead = m.end() if m.re is _NOTE_THAT else m.start()  # "put a note": the kind
                free_span = (lead, end)
                skip |= _span_tokens(doc, lead, end) if end > lead else set()
    elif intent == "log_feedback":
        m = _FEEDBACK_HEAD.search(text) or re.search(
            r"\b(?:really\s+)?(?:wants?|would like|would love|needs?|asked for|is asking for|"
            r"are asking for|asks for|asking for|requested|requests|request(?:ing)?|"
            r"complained about|complains about|complaint about|is unhappy (?:with|about)|"
            r"unhappy with|reported|reports|suggests|suggested|found|ran into|hit|noticed|"
            r"hates|doesn't like|does not like|is frustrated (?:with|about|by)|"
            r"keeps? asking for|asked (?:if|whether)|asks (?:if|whether)|(?:was |"
            r"is )?asking about|asked about|wants to know (?:if|whether)|wishes (?:we had|"
            r"for)|is missing|misses)\b\s*(?:that\s+)?|\bcomplain(?:t|ts|ed|s|"
            r"ing)?\s+from\s+.{1,60}?\s+(?:about|re|regarding|over)\s+|(?:feedback|request|"
            r"complaint|suggestion)(?:\s+(?:for|to)\s+(?:the\s+)?[\w-]+)?(?:\s+from\s+[^:]{1,60})?"
            r":\s*|\b(?:they|he|she|we)['’]d (?:like|love)\b\s*",
            text,
            re.I,
        )
        if m:
            start = m.end()
            verb = re.match(
                r"(?:(?:is|are|was|were|'s)\s+)?((?:they|he|she|we)['’]d (?:like|love)|"
                r"(?:really\s+)?(?:wants?|would like|would love|"
                r"needs?|asked for|asking for|asks for|requested|requests|complained about|"
                r"complains about|keeps? asking for|reported|reports|hates|is missing|missing|"
                r"misses|wishes for|suggested|suggests|ran into|hit|found|noticed)\b)",
                m.group(0),
                re.I,
            )
            if verb and text[start:].strip():
                # "Acme wants SSO": the request with its verb, the customer (its subject) out
                start = m.start() + verb.start(1)
            rest = text[start:]
            em = re.search(
                r"\s*(?:[,;]|\s-\s|\s–\s|\s—\s|\.\s|!)\s*|\s+(?:tell|pass|flag|let|forward|"
                r"send|share|loop|for the|cc)\b",
                rest,
                re.I,
            )
            end = start + (em.start() if em else len(rest))
            ft = _clean_free(text[start:end])
            if ft:
                out["text"] = ft
                skip |= _span_tokens(doc, start, end)
                free_span = (start, end)
    elif intent == "set_reminder":
        rem = "|".join(
            sorted(
                {re.escape(t.lower_) for t in doc if t.norm_ in ("remind", "reminder", "nudge")}
                | {"remind", "reminder", "nudge"}
            )
        )
        m = re.search(
            rf"\b(?:{rem}|ping|don't let|do not let|remember|shout at|give me a shout)\b"
            rf"[^\n]{{0,60}}?\bto\s+(?!me\b)|"
            rf"\b(?:{rem})\s*(?:for [^:]{{1,40}})?:\s*|\b(?:{rem})\s+(?:me|us|them|him|her|"
            rf"<@\w+>|@[\w.-]+)\s+(?:to\s+)?(?=[a-z])",
            text,
            re.I,
        )
        if m:
            start = m.end()
            for sp in ex.all("DATE"):  # "nudge me next Monday about X": skip a leading date
                if text[start : sp.start_char].strip() == "" and sp.end_char > start:
                    start = sp.end_char
                    tm = re.match(r"\s*to\s+", text[start:], re.I)
                    if tm:
                        start += tm.end()
        if m and not re.match(r"\s*(?:about|of|re|regarding|for)\b", text[start:], re.I):
            end = len(text)
            for sp in ex.all("DATE"):
                if sp.start_char >= start:
                    end = min(end, sp.start_char)  # the text stops where its date begins
                elif sp.end_char > start:
                    start = sp.end_char
            seg = re.sub(r"^\s*(?:to|that)\s+", "", text[start:end], flags=re.I)
            seg = re.sub(r"\s+(?:on|by|at|in|for|before|until)\s*$", "", seg.strip(), flags=re.I)
            rt = _clean_free(seg)
            rt = _said_after_date(text, ex, end, rt)
            if rt:
                rt = _about_after_date(text, ex, end, rt)
            if rt and rt.lower() not in ("me", "remind"):
                out["text"] = rt
        if "text" not in out:
            said_rest = _reminder_rest(text, ex)
            if said_rest:
                out["text"] = said_rest
    for key, (start, end) in _free_regions(text, intent, keys).items():
        value = _clean_free(text[start:end])
        if value:
            out[key] = value
            skip |= _span_tokens(doc, start, end)
    if intent in ("create_deal", "create_campaign"):
        q = ex.first("QUOTED")
        if q is not None:
            qm = re.fullmatch(r"[\"“']?(.*?)[\"”']?", q.text)
            out["name"] = (qm.group(1) if qm else q.text).strip()
            skip |= set(range(q.start, q.end))
        else:
            m = re.search(
                r"\b(?:called|named|titled|with (?:the )?name|the name is|name:)\s+(.+?)"
                r"(?=\s+(?:for|targeting|aimed|to|with|via|by|over|on|in|at)\b|[,;:!?]|\.(?:\s|$)|$)",
                text,
                re.I,
            )
            if m and intent == "create_campaign" or (m and intent == "create_deal"):
                name = _clean_free(m.group(1))
                if name:
                    out["name"] = name
                    skip |= _span_tokens(doc, m.start(1), m.end(1))

    # ---- mentions / people roles
    mentions = [
        sp
        for sp in ex.all("MENTION")
        if sp.text.lower() not in ("@crmbot", "@crm_bot", "@bot") and not _addresses_bot(doc, sp)
    ]
    if len(mentions) > 1 and mentions[0].start == 0:
        mentions = mentions[1:]  # "<@BOT> nudge @dana ...": the first one addresses the bot
    if intent == "assign_lead":
        person_mention = [sp for sp in mentions if not sp.text.startswith(("#", "<#"))]
        if person_mention:
            out["assignee"] = mention_value(person_mention[0].text)
        elif re.search(
            r"\b(?:to me|assign me|give me|i'll take|i will take|i want|i'll own|me take|"
            r"i take|mine)\b",
            low,
        ):
            out["assignee"] = "me"
        else:
            given = assignee_named(text) or ARROW_ASSIGN.match(text)
            if given is not None:
                out["assignee"] = given.group(1)
                skip |= _span_tokens(doc, given.start(1), given.end(1))
    if intent in ("list_leads", "pipeline_report", "forecast", "list_tasks", "rep_performance"):
        owner = _owner_from(ex, reps_only=True)
        if owner:
            out["owner"] = owner
    if intent in ("set_reminder", "set_alert"):
        target = None
        for sp in mentions:
            if intent == "set_alert" and sp.end < len(doc) and doc[sp.end].lower_ in ("'s", "’s"):
                continue  # "let me know if @ravi's pipeline drops": whose numbers, not whom
            target = mention_value(sp.text)
            break
        if target is None and re.search(
            r"\b(?:remind|nudge|ping|alert|notify|tell|warn|message|text|let|send|dm|email|"
            r"shout at)\s+me\b|\bremind me\b|\bgive me a (?:shout|heads[- ]up|ping|buzz)\b|"
            r"don't let me|\bi need a reminder\b|"
            r"\b(?:set|make|put|create|pop)\s+me\s+a\s+reminder\b|"
            r"\bmy reminder|\b(?:heads up|alert|notification|message|ping|note)\s+to\s+me\b|"
            r"\bto me\b|\binform me\b|\b(?:be|get|i'm|am)\s+(?:alerted|notified|told|pinged|"
            r"reminded|warned)\b|\b(?:alert|alarm|reminder|notification)s?\s+for\s+me\b",
            low,
        ):
            target = "me"
        if target is None:
            # someone named without a mention: "remind dana to ...", "a reminder for Morgan to"
            typos = "".join(
                f"|{re.escape(t.lower_)}" for t in doc if t.norm_ in ("remind", "nudge")
            )  # "remid marcus dec 3": a typo of the command word
            for m in re.finditer(
                rf"\b(?:remind|nudge|ping|notify|tell|alert|warn|inform|reminder for{typos}|"
                r"remind to)\s+(?!(?:to|the|me|us)\b)([A-Za-z][a-z'-]+)\b",
                text,
                re.I,
            ):
                if not _before_reminded(text, ex, m.end(1)):
                    continue
                said = out.get("text")
                if isinstance(said, str) and 0 <= text.find(said) <= m.start():
                    continue  # "set reminder for Friday: ping Jackson-Smith ...": what, not whom
                name = m.group(1)
                low_name = name.lower()
                if any(sp.start_char <= m.start(1) < sp.end_char for sp in ex.all("DATE")):
                    continue  # "a reminder for Weds to ...": when, not whom
                if low_name in FIRST_NAMES or (
                    low_name not in COMMON_WORDS and low_name not in _KNOWN_VOCAB
                ):
                    target = name
                    skip |= _span_tokens(doc, m.start(1), m.end(1))
                    break
        if (
            target is None
            and intent == "set_reminder"
            and not re.search(
                r"\b(?:remind|nudge|ping)\s+(?:the|our|everyone|all|him|her|them|us)\b", low
            )
        ):
            target = "me"  # a reminder with no one else named is for the sender
        if target:
            out["target"] = target
        if intent == "set_alert":
            if re.search(r"\bmy (?:pipeline|pipe|forecast|deals?|won|wins)\b", low):
                out["owner"] = "me"
            else:
                for sp in mentions:
                    if sp.end < len(doc) and doc[sp.end].lower_ in ("'s", "’s"):
                        out["owner"] = mention_value(sp.text)
                numbers = r"(?:\w+\s+)?(?:pipeline|pipe|forecast|deals?|won|wins|numbers|total)\b"
                pm = re.search(rf"\b([A-Z][a-z'-]+)(?:'s|’s)\s+{numbers}", text)
                if "owner" not in out and pm and pm.group(1).lower() in FIRST_NAMES:
                    out["owner"] = pm.group(1)  # "alert me if Imogen's pipeline falls under 80k"
                if (
                    "owner" not in out
                    and isinstance(target, str)
                    and target != "me"
                    and not target.startswith("#")
                    and re.search(rf"\b(?:his|her|their)\s+{numbers}", low)
                ):
                    out["owner"] = target  # "ping Callum if his pipeline goes under 120k"

    # ---- closed vocabularies
    exclude_free = [free_span] if free_span else []
    if "kind" in keys:
        kinds = [
            k for k in ex.all("KIND") if not any(a <= k.start_char < b for a, b in exclude_free)
        ]
        if intent == "customer_history":
            kinds = [k for k in kinds if _history_kind(doc, k)]
        sp = kinds[0] if kinds else None
        if sp is not None and sp.kb_id_ == "note" and any(k.kb_id_ != "note" for k in kinds):
            sp = next(k for k in kinds if k.kb_id_ != "note")
        if sp is not None and not (
            intent == "log_interaction" and sp.start == 0 and sp.text.lower() in ("text", "mail")
        ):
            out["kind"] = sp.kb_id_
    if "stage" in keys:
        stage_spans = [
            s for s in ex.all("STAGE") if not any(a <= s.start_char < b for a, b in exclude_free)
        ]
        if intent == "update_deal":
            # "I think it's still in proposal": the stage it stays at, no change to make
            stage_spans = [s for s in stage_spans if not _STILL_AT.search(text[: s.start_char])]
        if intent == "create_deal":
            stage_spans = [
                s
                for s in stage_spans
                if s.kb_id_ not in ("won", "lost") or re.search(r"stage", low)
            ]
        if stage_spans:
            # a later explicit "to X" / "as X" wins over an early word
            out["stage"] = (
                stage_spans[-1].kb_id_ if intent == "update_deal" else stage_spans[0].kb_id_
            )
    if "status" in keys:
        label = STATUS_LABEL.get(intent, "STATUS")
        sp = ex.first(label)
        negated = intent == "list_leads" and _implied_status(intent, low) == "new"
        if negated:
            out["status"] = "new"  # "leads nobody has called yet"
        elif sp is not None:
            out["status"] = sp.kb_id_
        else:
            implied = _implied_status(intent, low)
            if implied:
                out["status"] = implied
        if intent == "list_deals" and out.get("status") in ("won", "lost"):
            out.pop("stage", None)
    if "segment" in keys:
        segs = [
            s for s in ex.all("SEGMENT") if not any(a <= s.start_char < b for a, b in exclude_free)
        ]
        if intent == "create_campaign":
            segs = [
                s
                for s in segs
                if not (
                    s.kb_id_ == "new"
                    and s.end < len(doc)
                    and doc[s.end].lower_ in ("campaign", "campaigns", "email", "sms", "event")
                )
            ]
            segs = [s for s in segs if not (s.kb_id_ == "new" and s.start == 0)]
        if segs:
            near = [
                s
                for s in segs
                if s.end < len(doc)
                and doc[s.end].lower_
                in (
                    "customers",
                    "customer",
                    "accounts",
                    "account",
                    "clients",
                    "client",
                    "segment",
                    "buyers",
                    "users",
                )
            ]
            pick = near[0] if near else ([s for s in segs if s.kb_id_ != "new"] or segs)[0]
            out["segment"] = pick.kb_id_
        elif intent == "segment_customers" and re.search(r"\b(?:leave|leaving|cancel|churn)", low):
            out["segment"] = "at_risk"
    if "metric" in keys:
        mets = ex.all("METRIC")
        order = ["stale_days", "pipeline", "forecast", "won", "deal_amount"]
        found = sorted({s.kb_id_ for s in mets}, key=order.index)
        if found:
            out["metric"] = found[0]
    if "comparator" in keys:
        cmps = ex.all("COMPARATOR")
        if cmps:
            # prefer the longest match
            best = max(cmps, key=lambda s: (len(s), -s.start))
            out["comparator"] = best.kb_id_
        elif out.get("metric") == "stale_days":
            out["comparator"] = ">"
        if (
            out.get("metric") == "stale_days"
            and "comparator" in out
            and out["comparator"] == "<"
            and not re.search(r"less than|under|below|fewer", low)
        ):
            out["comparator"] = ">"
    if "channel" in keys:
        chans = [
            s
            for s in ex.all("CHANNEL")
            if not any(a <= s.start_char < b for a, b in exclude_free) and s.start not in skip
        ]
        if chans:
            out["channel"] = chans[0].kb_id_
    if "strategy" in keys:
        sp = ex.first("STRATEGY")
        if sp is not None:
            out["strategy"] = sp.kb_id_
    if "group_by" in keys:
        for sp in ex.all("GROUP_BY"):
            before = low[max(0, sp.start_char - 16) : sp.start_char]
            if re.search(
                r"(?:\bby|\bper|\bgrouped by|\bsplit by|\bbroken down by|\bbreak(?:down)? by|"
                r"\bfor each|\beach)\s*$",
                before,
            ):
                out["group_by"] = sp.kb_id_
                break
    if "team" in keys:
        teams = [
            s
            for s in ex.all("TEAM")
            if not any(a <= s.start_char < b for a, b in exclude_free)
            and not (
                s.text.lower() in VERB_TEAMS
                and s.start > 0
                and doc[s.start - 1].lower_ in VERB_BEFORE
            )  # "we can support SAML": a verb
            and not (  # "Blackthorn Logistics": a company's word, capitalised after its name
                s.text[:1].isupper()
                and s.start > 0
                and doc[s.start - 1].text[:1].isupper()
                and doc[s.start - 1].is_alpha
                and doc[s.start - 1].lower_ not in ("tell", "ask", "ping", "let", "for", "to")
            )
        ]
        if teams:
            out["team"] = (
                teams[-1].kb_id_
                if len(teams) > 1
                and re.search(
                    r"\b(?:tell|pass|flag|forward|send|share|let)\b",
                    low[teams[-1].start_char - 20 : teams[-1].start_char]
                    if teams[-1].start_char >= 20
                    else low[: teams[-1].start_char],
                )
                else teams[0].kb_id_
            )
        else:
            other_team = _OTHER_TEAM.search(low)
            if other_team and not any(a <= other_team.start() < b for a, b in exclude_free):
                out["team"] = other_team.group(0).split()[-2]  # "the install team": install
    if "source" in keys:
        for sp in ex.all("SOURCE"):
            before = low[max(0, sp.start_char - 20) : sp.start_char]
            k = sp.start - 1
            while k >= 0 and doc[k].lower_ in ("the", "a", "an"):
                k -= 1
            prev_word = doc[k].lemma_ if k >= 0 else ""
            next_word = doc[sp.end].lower_ if sp.end < len(doc) else ""
            if next_word in ("lead", "leads", "prospect", "prospects") and intent == "create_lead":
                out["source"] = sp.text  # "new referral lead, X": where the lead came from
                skip |= set(range(sp.start, sp.end))
                break
            if prev_word in ("via", "from", "through", "source", "at", "on", "off") or re.search(
                r"(?:\bvia|\bfrom|\bthrough|\bsource:?|\bat|\bon|\bcame in via|"
                r"\breferred by)\s+(?:the\s+|a\s+|an\s+)?$",
                before,
            ):
                out["source"] = sp.text
                skip |= set(range(sp.start, sp.end))
                break
        said = _SOURCE_SAID.search(text) if intent == "create_lead" else None
        value = _source_words(said) if said else ""
        if value and (
            "source" not in out  # else the known source must head it: "the IPU conference"
            or (said and said.group("ref"))
            or value.lower().endswith(out["source"].lower())
        ):
            assert said is not None
            out["source"] = value
            at = said.start("ref") if said.group("ref") else said.start("src")
            skip |= _span_tokens(doc, at, at + len(value))

    # ---- contact details
    if "email" in keys:
        sp = ex.first("EMAIL")
        if sp is not None:
            out["email"] = sp.text
    if "phone" in keys:
        sp = ex.first("PHONE")
        if sp is not None:
            out["phone"] = sp.text.strip()

    # ---- numbers
    if "amount" in keys or "threshold" in keys:
        key = "amount" if "amount" in keys else "threshold"
        if key == "threshold" and out.get("metric") == "stale_days":
            m = re.search(r"(\d+)\s*(?:\+\s*)?(?:days?|d\b)", low) or re.search(r"\b(\d+)\b", low)
            if m:
                out["threshold"] = int(m.group(1))
        else:
            money: tuple[int, Span, float | int] | None = None
            for sp in ex.all("AMOUNT"):
                if sp.start in skip:
                    continue
                marked = _has_money_marker(sp.text)
                val = parse_amount(sp.text)
                if val is None or (not marked and val < 100):
                    continue
                before, after = text[: sp.start_char], text[sp.end_char :]
                if re.search(r"\b(?:top|last|first)\s*$", low[: sp.start_char]):
                    continue
                if not marked and (_ID_BEFORE.search(before) or _COUNT_AFTER.match(after)):
                    continue  # "deal 880", "120 licenses": a record or a count, no amount
                if not marked and re.fullmatch(r"(?:19|20)\d\d", sp.text.strip()):
                    continue  # a year
                score = 2 if marked else 1
                if money is None or score > money[0]:
                    money = (score, sp, val)
            if money is not None:
                _, sp, val = money
                if sp.text.lstrip().startswith("-") or re.search(
                    r"(?:\bminus|\bnegative)\s*[$€£]?\s*$|(?<![\w\s])-[$€£]?$|^-",
                    text[: sp.start_char],
                    re.I,
                ):
                    val = -val  # kept: the engine refuses a negative amount with the reason
                out[key] = val
    if "probability" in keys:
        sp = ex.first("PERCENT")
        if sp is not None:
            m = re.search(r"\d+(?:\.\d+)?", sp.text)
            if m:
                v = float(m.group(0)) / 100
                out["probability"] = round(v, 4)
        else:
            m = re.search(
                r"\b(?:probability|prob|likelihood|chance)\b\D{0,12}\b(0?\.\d+|1\.0)\b", low
            )
            if m:
                out["probability"] = float(m.group(1))
        if (
            "probability" in out
            and "amount" in out
            and re.fullmatch(r"0?\.\d+", str(out["amount"]))
        ):
            del out["amount"]
    if "limit" in keys:
        m = (
            re.search(
                rf"\b(?:last|top|latest|recent|first|past|bottom|most recent)\s+{_COUNT}\b"
                + _NOT_SPAN,
                low,
            )
            or re.search(
                rf"\b{_COUNT}\s+(?:most recent|latest|last|recent|biggest|largest|top|best|"
                r"most|newest)\b",
                low,
            )
            or re.search(
                rf"(?<![\d.,$€£])\b{_COUNT}\s+(?:[a-z-]+\s+){{0,2}}(?:customers|accounts|clients|"
                r"calls|emails|meetings|interactions|notes|messages|demos|touchpoints)\b",
                low,
            )
        )
        if m:
            out["limit"] = _count(m.group(1))

    # ---- dates and periods
    if "period" in keys:
        per = None
        # how reps did is about the past ("win rates for Q3"); the rest looks ahead
        prefer = "past" if intent == "rep_performance" else "future"
        for sp in ex.all("PERIOD") + ex.all("DATE"):
            if _CLOCK_ONLY.fullmatch(sp.text.strip()):
                continue  # "before the 2pm call": a time of day, no period to report on
            per = _period_value(sp.text, ex, prefer)
            if per:
                break
        if per:
            out["period"] = per
    if intent == "log_interaction":
        for sp in ex.all("DATE"):
            if _possessive_date(doc, sp):
                continue  # "confirming Thursday's visit": an event talked about
            before = text[max(0, sp.start_char - 40) : sp.start_char]
            if (
                FOLLOW_UP_CUE.search(before)
                or re.search(
                    r"follow[\s-]?up|followup|\bf/u\b|next step|circle back|reconnect", before, re.I
                )
                and "follow_up" not in out
            ):
                val = _date_value(sp, ex, "future")
                if val and "follow_up" not in out:
                    out["follow_up"] = val
            elif (
                "when" not in out
                and not _is_deadline(text, sp)
                and not _EVENT_AHEAD.search(re.split(r"[,;:.!?]", before)[-1])
            ):
                # "they'd like a proposal by the 4th": a deadline said, not when it happened;
                # "the panels ship 12/3", "owner out til monday": an event it was about
                val = _date_value(sp, ex, "past")
                if val and val[:10] > ex.now.date().isoformat():
                    # an interaction can't have happened later than now:
                    # a future date is the follow-up, unless it is inside what was noted
                    # ("note for X: the CIO is retiring at the end of Q1")
                    inside = free_span is not None and free_span[0] <= sp.start_char < free_span[1]
                    if "follow_up" not in out and not inside:
                        out["follow_up"] = _date_value(sp, ex, "future") or val
                elif val:
                    out["when"] = val
    elif "when" in keys:
        for sp in ex.all("DATE"):
            val = _date_value(sp, ex, "future")
            if val:
                out["when"] = val
                break
    if "close_date" in keys:
        for sp in ex.all("DATE"):
            if intent == "update_deal" and not _close_cue(text, sp):
                continue  # "Three Oaks is won! They signed late on Friday": no new close date
            val = _date_value(sp, ex, "future", date_only=True)
            if val:
                out["close_date"] = val
                break

    # ---- names
    if "customer" in keys or "contact" in keys:
        # tokens that are role fillers (assignee names etc.) are not customers
        hard_skip = set(skip)
        skip_roles: set[int] = set()
        for sp in mentions:
            skip.update(range(sp.start, sp.end))
            skip_roles.update(range(sp.start, sp.end))
        for kl in (
            "KIND",
            "STAGE",
            "SEGMENT",
            "METRIC",
            "TEAM",
            "STRATEGY",
            "COMPARATOR",
            "GROUP_BY",
            "STATUS",
            "CHANNEL",
        ):
            for sp in ex.all(kl):
                for t in sp:
                    if (
                        not t.text[:1].isupper()
                        or t.i == 0
                        or kl in ("KIND",)
                        and t.lower_ in ("call", "demo", "email", "meeting", "note", "message")
                    ):
                        if kl == "TEAM" and intent != "log_feedback":
                            continue
                        skip.add(t.i)
        if intent == "log_feedback":
            m = re.search(
                r"\b(?:tell|pass(?: it)?(?: on)? to|flag(?: it)? to|let|forward(?: it)? to|"
                r"send(?: it)? to|share with|loop in|cc)\s+(?:the\s+)?(\w+)",
                text,
                re.I,
            )
            if m:
                skip |= _span_tokens(doc, m.start(1), m.end(1))
        cands = name_candidates(ex, skip, hard_skip)
        cands = [
            c
            for c in cands
            if c.cid is not None
            or not _ordinary_word(doc, c.start, c.end)
            or _after_record_colon(doc, c)
        ]
        if use_ner:
            learned = ner_candidates(ex, hard_skip | set(skip_roles))
            if learned:
                cands = combine_candidates(doc, learned, cands)
        cands = [
            _mend_name(ex, c)
            for c in cands
            if not _no_customer(c)
            and not _trip_place(doc, c)
            and not _verb_after_to(doc, c)
            and not (c.end - c.start == 1 and _firm_address(doc, c.start))
            and not _in_title(doc, c)
        ]
        cands = [_before_next_sentence(doc, _without_blocked_tail(ex, c)) for c in cands]
        cands = [t for t in (_before_politeness(doc, c, core_end) for c in cands) if t]
        cands = [_house_number(ex, _widened(doc, c)) for c in cands]
        cands = [_with_own_s(ex, c) for c in cands]
        if "customer" in keys:
            anchored = [
                a
                for a in anchored_names(ex, hard_skip)
                + record_names(ex, hard_skip)
                + (marked_names(ex, hard_skip) if intent == "update_deal" else [])
                if free_span is None or not free_span[0] <= doc[a.start].idx < free_span[1]
            ]  # "they want 25 acme labs seats": what was said names no customer
            cands = _with_anchored(cands, anchored)
        if intent in _LEAD_INTENTS:
            cands = _people_of_lead(doc, cands)
        if intent == "save_contact":
            _added_to(doc, cands)
        if (
            intent in ("log_feedback", "log_interaction")
            and not [c for c in cands if not c.person]
            and free_span
        ):
            inner = skip - _span_tokens(doc, *free_span)
            more = [
                c
                for c in name_candidates(ex, inner, inner)
                if not c.person
                and not _no_customer(c)
                and (
                    c.cid is not None
                    or doc[c.start].idx < free_span[0]
                    or not _english_word(doc, c)
                )
            ]  # "a read-only role for auditors": an ordinary word in what was said, no name
            cands = sorted(cands + more[:1], key=lambda c: c.start)
        if intent == "assign_lead" and "assignee" in out:
            cands = [c for c in cands if c.text != out["assignee"] and not _old_owner(doc, c)]
        if intent in ("list_leads",):
            cands = []
        cands = [_without_opener(doc, c) for c in cands]
        # "mrs. okonkwo" also read as "mrs": a form of address alone is no name; nor is a
        # sentence's first word that opens sentences ("Great news: ...", "Another long call")
        cands = [
            c
            for c in cands
            if c.cid is not None
            or " " in c.text
            or not (_HONORIFIC.match(c.text + " x") or _sentence_opener(doc, c))
        ]
        # "90x45 H3.2": a product's code, no name (digits, and no word of three letters)
        cands = [
            c
            for c in cands
            if c.cid is not None
            or not re.search(r"\d", c.text)
            or re.search(r"[^\W\d_]{3}", c.text) is not None
        ]
        for cand in cands:
            if _TITLE_PERSON.match(cand.text) and cand.cid is None:
                cand.person = True  # "call Mr. Sharma": a person, whatever else the rules thought
            elif (
                cand.person
                and cand.cid is None
                and len(cand.text.split()) > 1
                and cand.text.islower()  # "Nell Quarry" is a person
                and _business_word(cand.text.split()[-1])
                and not _HONORIFIC.match(cand.text)
            ):
                cand.person = False  # "rang tane walker builders": a firm named after its owner
        companies = [c for c in cands if not c.person]
        persons = [c for c in cands if c.person]
        # "rang the Cross Keys in Elgin": a name right after "in" is where, not who
        persons = [
            p
            for p in persons
            if not (p.start > 0 and doc[p.start - 1].text == "in" and not is_addressed(p.text))
        ]
        if not persons and "contact" in keys and len(companies) >= 2:
            pair = _person_at_firm(doc, companies)
            if pair is not None:
                # "called boon kiat at jurong precision": of two names the recogniser took for
                # firms, the one before at / from with no business word is whom
                pair[0].person = True
                persons = [pair[0]]
                companies = [c for c in companies if c is not pair[0]]
        if not companies and "customer" in keys and len(persons) >= 2:
            as_persons = [p for p in persons if _named_as_person(p.text)]
            if as_persons and len(as_persons) < len(persons):
                # "visited Dar El Shifa today, met Dr Hany Fathy": beside a person named as
                # one (a form of address, a first name), the other name is the firm
                firm = next(p for p in persons if p not in as_persons)
                firm.person = False
                companies, persons = [firm], [p for p in persons if p is not firm]
        if any(p.text[:1].isupper() for p in persons) and companies:
            # "txt from Dave Ruka, wants the ply at the ngaruawahia site": beside a capitalised
            # person, a lone lower-case word that is no known name is a place or a thing
            # ("... to the te awamutu site"): two lower-case words before a place's noun too
            kept = [
                c
                for c in companies
                if c.cid is not None
                or not c.text.islower()
                or _business_word(c.text)
                or (" " in c.text and not _before_place_noun(doc, c))
            ]
            if not kept:
                companies = []
        # company preference: gazetteer hits, then after at/from/for (with a person present)
        if len(companies) > 1 and any(not _lone_code(doc, c) for c in companies):
            # "demo'd the BSC at beacon hill biologics": a product's code in capitals is no firm
            # beside one that is named
            companies = [c for c in companies if not _lone_code(doc, c)]
        companies = [
            c
            for c in companies
            if not (_lone_code(doc, c) and (_after_the(doc, c) or _part_number(c.text)))
        ]
        comp = None
        if companies:
            gz_hits = [c for c in companies if c.cid is not None]
            comp = gz_hits[0] if gz_hits else companies[0]
        if "contact" in keys and not persons and len(companies) >= 2 and comp is not None:
            # "Called Juni Pumpen AG, Sabine Hartl was not reachable", "New lead Luis Herrera
            # with Andes Coffee Importers": of two names, one starting with a first name and one
            # not, the first is the person and the other the company
            people = [c for c in companies if c.cid is None and _person_shaped(doc, c)]
            others = [c for c in companies if c not in people]
            if people and others:
                people[0].person = True
                persons = people[:1]
                companies = others
                comp = next((c for c in others if c.cid is not None), others[0])
        # "Bob Smith at Contoso": two names, the second after at/from/of -> the first is a person
        if "contact" in keys and not persons and len(companies) >= 2 and companies[0].cid is None:
            first, second = companies[0], companies[1]
            if (
                second.trigger in ("at", "from", "of")
                and (
                    len(first.text.split()) in (1, 2)
                    or len(first.text.split()) == 3
                    and first.text.split()[0].lower() in FIRST_NAMES
                )  # "Mei Ling Zhou from Pacific Rim Grain Co-op"
                and first.text.split()[0][:1].isupper() == first.text.split()[-1][:1].isupper()
            ):
                first.person = True
                persons = [first]
                companies = companies[1:]
                comp = companies[0]
        if "contact" not in keys and comp is None and persons and not _person_reminded(intent):
            comp = persons[0]
            persons = []
        if comp is None and persons and "contact" in keys:
            # "with Priya" only: a contact; a second person-like name after at/from is the company
            if len(persons) >= 2 and persons[1].trigger in ("at", "from", "of"):
                comp = persons[1]
                persons = persons[:1]
            elif len(persons) == 1 and "customer" in keys and _practitioner(doc, persons[0]):
                comp = _practitioner(doc, persons[0])
                persons = []
            elif len(persons) == 1 and "customer" in keys and _lone_word_name(doc, persons[0]):
                comp, persons = persons[0], []  # "demo with Hooli went well": the company
            elif len(persons) == 1 and "customer" in keys and intent not in _PERSON_FIRST:
                # "met w/ Dale Kowalski yesterday": a person named alone is whom the record is
                # with, the person-only customer (the engine finds a contact of that name)
                comp, persons = persons[0], []
        if comp is not None and comp.cid is None and not comp.person:
            comp = _through_capitalised(doc, comp)
        if "contact" in keys and "customer" in keys and comp is not None:
            split = _person_then_firm(ex, comp, cands, ex.blocked)
            if split is not None and all(  # another person is the firm's own ("Kelly's")
                split[1].start <= p.start < split[1].end or p.start == split[0][0].start
                for p in persons
            ):
                persons, comp = split
        if (
            intent == "update_task"
            and comp is not None
            and comp.cid is None
            and comp.text.islower()
            and all(w in _ENGLISH for w in comp.text.split())
        ):
            comp = None  # "finished the travel booking for ...": the task's words, no customer
        if comp is not None and "customer" in keys:
            out["customer"] = comp.text
            if comp.cid is not None:
                out["customer_id"] = comp.cid
        if persons and "contact" in keys:
            out["contact"] = persons[0].text
        if "contact" in keys and "contact" not in out and "customer" in out:
            addressed = _ADDRESSED_PERSON.search(text)
            said_names = " ".join(str(out.get(k, "")) for k in ("customer", "assignee", "owner"))
            if (
                addressed
                and addressed.group(0) not in said_names
                and not (
                    intent == "assign_lead" and re.search(r"\bto\s+$", text[: addressed.start()])
                )
            ):
                out["contact"] = addressed.group(0)  # "..., Mr. Lim confirmed the PO"
        if intent == "save_contact" and "contact" not in out and isinstance(out.get("title"), str):
            named = _named_before_title(text, out["title"])
            if named:
                out["contact"] = named
        if (
            intent == "save_contact"
            and "contact" not in out
            and isinstance(out.get("customer"), str)
        ):
            person_at = re.match(
                r"^\W*([^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*)?)\s+(?:at|from|@)\s+"
                + re.escape(out["customer"]),
                text,
                re.I,
            )  # "dwayne at ridgeline plumbing new cell ...": the person first, then the firm
            if (
                person_at
                and person_at.group(1).split()[0].lower() not in _LEADING_VERBS | _OPENERS
                and person_at.group(1).lower() not in _NOT_NAMES
            ):
                out["contact"] = person_at.group(1)

    if intent == "update_task" and "text" not in out:
        m = re.search(
            r"\b(?:task|reminder|follow[- ]?up|todo|to-do)\s+(?:to|about|for)\s+(.+?)"
            r"(?=\s+(?:until|till|to|is|as|from)\b|[,;.!?]|$)|^\s*(?:done|finished|completed|"
            r"cancel(?:led)?|drop)\s*:\s*(.+?)(?=[,;.!?]|$)",
            text,
            re.I,
        )
        if m:
            what = _clean_free(m.group(1) or m.group(2))
            at = m.start(1) if m.group(1) else m.start(2)
            if any(abs(sp.start_char - at) <= 1 for sp in ex.all("DATE")) or any(
                abs(sp.start_char - at) <= 1 for sp in ex.all("PERIOD")
            ):
                what = ""  # "bump the Acme follow-up to Thursday": the new date, not the task
            cust = str(out.get("customer", "")).lower().rstrip(".")
            if cust and what.lower().rstrip(".").startswith(cust):
                what = ""  # "my reminder for Acme A/S": which customer's, said already
            what = _without_customer(what, out.get("customer"))
            if re.match(r"(?:a|an|\d+|a few|a couple of)\s+(?:days?|weeks?|hours?|hrs?|mins?|"
                        r"minutes?|months?)\b", what or "", re.I):  # fmt: skip
                what = ""  # "snooze the Acme follow-up for 2 days": how long, not which task
            if what and what.lower() != str(out.get("customer", "")).lower():
                out["text"] = what
    if intent == "update_task" and "text" not in out and record_id(text, "task_id", intent) is None:
        named = _task_words(text, ex, out.get("customer"))
        if named:
            out["text"] = named
    if intent == "log_interaction":
        pre = _preamble_end(doc, text, ex)
        if pre and isinstance(out.get("summary"), str) and 0 <= text.find(out["summary"]) < pre:
            out.pop("summary")  # "not sure this is the right place but here goes: ..."
        clause = _said_clause(doc, text, out, ex)
        if clause and 0 <= text.find(clause) < pre:
            clause = None
        if clause and ("summary" not in out or text.find(out["summary"]) > text.find(clause) >= 0):
            out["summary"] = clause
        elif "summary" not in out:
            said = _said(doc, text, out, ex, pre)
            if said:
                out["summary"] = said
        if "summary" in out:
            said = _ASK_TAIL.sub("", out["summary"]).strip(" ,;") or out["summary"]
            # "..., in which I confirmed X" / "which was attended by Y": what was said is X / Y
            said = _RELATIVE_LEAD.sub("", said) or said
            said = _without_speaker(said, out.get("contact"), out.get("customer"))
            tidy = _tidy_summary(said)
            if tidy:
                out["summary"] = tidy
            else:
                out.pop("summary")
    if intent == "set_reminder" and "text" not in out:
        # "nudge @bethan tomorrow about her forecast": what it is about is the text, unless it is
        # only the customer ("remind me about Acme on Monday")
        am = re.search(r"\b(?:about|re|regarding)\s+(.+)$", text.rstrip(" .!?"), re.I)
        if am:
            about = am.group(1)
            for sp in sorted(ex.all("DATE"), key=lambda d: -d.start_char):
                if sp.start_char >= am.start(1):
                    about = (
                        about[: sp.start_char - am.start(1)] + about[sp.end_char - am.start(1) :]
                    )
            about = _clean_free(re.sub(r"\s+(?:on|by|at|in|for|before|until)\s*$", "", about))
            customer = out.get("customer")
            rest = about
            if isinstance(customer, str):
                rest = re.sub(rf"^(?:the\s+)?{re.escape(customer)}(?:'s)?$", "", about, flags=re.I)
            if rest.strip() and len(re.findall(r"[A-Za-z']+", rest)) >= 2:
                out["text"] = about
    if intent == "log_feedback" and "text" not in out and isinstance(out.get("customer"), str):
        # "Linnet Print says the exports keep timing out", "X can't get the app to sync": what
        # follows its subject, the customer, up to the instruction to pass it on
        at = text.lower().find(out["customer"].lower())
        if at >= 0:
            rest = text[at + len(out["customer"]) :]
            rest = re.sub(
                r"^\s*(?:'s\s+)?(?:(?:says|said|say|mentioned|told us|reports?|reported)"
                r"(?:\s+that)?\s+)?",
                "",
                rest,
                flags=re.I,
            )
            em = re.search(
                r"\s*(?:[,;!?]|\s[-–—]\s|\.(?:\s|$))\s*|\s+(?:tell|pass|flag|let|forward|send|"
                r"share|loop|route|for the|cc|can you|could you|please)\b",
                rest,
                re.I,
            )
            said = _clean_free(rest[: em.start()] if em else rest)
            if len(re.findall(r"[A-Za-z']+", said)) >= 2:
                out["text"] = said
    if (
        intent == "update_lead"
        and "customer" not in out
        and isinstance(out.get("contact"), str)
        and out["contact"].split()[0].lower() not in FIRST_NAMES
        and _INTO_CUSTOMER.search(text)
    ):
        out["customer"] = out.pop("contact")  # "convert sunrise dairy to a customer": a company
    details_of = _WHOSE_DETAILS.match(text) if intent == "save_contact" else None
    if details_of and details_of.group(1).lower() in FIRST_NAMES:
        # "Leena's new email is ...", "marlenes new cell ...": whose details they are, unless
        # another person is named ("marlenes" and an address are no names of their own)
        said = str(out.get("contact", ""))
        if not said or "@" in said or said.lower() == details_of.group(1).lower() + "s":
            out["contact"] = details_of.group(1)
    if intent in _PERSON_FIRST and "contact" not in out and "customer" in out:
        # "Frida's new email is ...", "mark Devon Hart as contacted": one name, and a person's
        c = _HONORIFIC.sub("", out["customer"]) or out["customer"]
        words = c.split()
        if is_addressed(out["customer"]) and len(words) <= 3:
            c = out["customer"]  # "disqualify Dr Salisu Bello": a person, as addressed
        if (
            is_addressed(out["customer"])
            or re.search(rf"{re.escape(c)}['’]s\b", text)
            or (
                words[0].lower() in FIRST_NAMES
                and len(words) <= 3
                and (words[0][:1].isupper() or words[0].lower() not in AMBIGUOUS_NAMES)
            )
        ) and not any(_business_word(w) for w in words[1:]):  # "tejas tire": a company
            out.pop("customer")
            out["contact"] = c
            out.pop("customer_id", None)
    for key in ("contact", "customer"):
        # "Alistair Grieve of Ravenscar Marine": a person, then the company they are with
        named = out.get(key)
        pm = (
            # "bursar Mr Eze of Unity Model School": a job word before a form of address is no
            # part of the person's name
            re.fullmatch(r"(?:[a-z]+\s+(?=\S+\s))?(.+?)\s+(?:of|from|at)\s+([A-Z].+)", named)
            if isinstance(named, str)
            else None
        )
        if pm and isinstance(named, str) and not is_addressed(pm.group(1)):
            pm = re.fullmatch(r"(.+?)\s+(?:of|from|at)\s+([A-Z].+)", named)
        if (
            pm
            and "contact" in keys
            and "customer" in keys
            and (
                pm.group(1).split()[0].lower().strip(".") in FIRST_NAMES | {"dr", "mr", "mrs", "ms"}
                or _as_addressed(text, pm.group(1)) != pm.group(1)  # "Mr. Ravindran of ..."
                or is_addressed(pm.group(1))  # "Ueda-san of Hakata Foods"
                or (  # "Rosângela of Escola Pequeno Príncipe": no English word, then a firm
                    all(
                        w[:1].isupper() and w.isalpha() and w.lower() not in _ENGLISH
                        for w in pm.group(1).split()
                    )
                    and len(pm.group(2).split()) >= 2
                )
            )
            and len(pm.group(1).split()) <= 3
            # "Mercy Health of Ohio": a company's word, no person's name
            and not any(_business_word(w) for w in pm.group(1).split()[1:])
        ):
            customer = out.get("customer")
            if key == "contact" and isinstance(customer, str) and customer.startswith(pm.group(2)):
                out["contact"] = pm.group(1)  # the recogniser took "… of Cedar" of "Cedar Clinics"
            elif key == "customer" or customer in (None, named, pm.group(2)):
                out["contact"], out["customer"] = pm.group(1), pm.group(2)
                out.pop("customer_id", None)
    if isinstance(out.get("contact"), str) and "@" in out["contact"]:
        out.pop("contact")  # an address is the email, no name ("marlenes new email ... is x@y")
    for key in ("contact", "customer"):
        if isinstance(out.get(key), str):
            out[key] = _as_addressed(text, out[key])
    if isinstance(out.get("contact"), str):
        out["contact"] = _with_lower_surname(text, out["contact"], out)
    taken = out.get("customer") if "contact" not in out else None
    if intent in ("update_lead", "assign_lead") and ("customer" not in out or taken):
        lead_named = _LEAD_NAMED.search(text)
        who = lead_named.group(1) if lead_named else ""
        if (
            lead_named
            and not SPOKEN_NUMBER.fullmatch(who)
            and not all(w in _ENGLISH for w in who.lower().split())
            and (
                taken is None
                or (isinstance(taken, str) and who.lower().startswith(taken.lower() + " "))
            )
        ):
            # "convert bac ninh smart lead to customer": the words between the command and
            # "lead" name the lead (not "the unassigned"), also where a first word was taken
            out.pop("customer", None)
            out.pop("customer_id", None)
            out["contact" if _lead_person(who) else "customer"] = who
    named = out.get("customer")
    if "contact" in keys and "contact" not in out and isinstance(named, str):
        beside = _person_beside_firm(named) if "customer_id" not in out else None
        if beside is not None:
            out["contact"], out["customer"] = beside  # "call with Emma Sørensen Nordlys Studio"
    said = out.get("summary")
    if (
        "contact" in keys
        and "contact" not in out
        and isinstance(said, str)
        and len(said.split()) <= 3
        and is_addressed(said)
        and said[len(said.split()[0]) :].strip()[:1].isupper()
    ):
        out["contact"] = out.pop("summary")  # "met Aunty Grace of Grace Fabrics": a person
    said, whom = out.get("summary"), out.get("contact")
    if isinstance(said, str) and isinstance(whom, str):
        out["summary"] = _without_whom_met(said, whom)
    said = out.get("text")
    if intent == "log_feedback" and isinstance(said, str):
        out["text"] = _what_was_asked(said, out.get("customer"))
    said = out.get("text")
    if intent == "set_reminder" and isinstance(said, str) and "when" in out:
        out["text"] = _said_that(text, ex) or _without_leading_when(said)
    named = out.get("customer")
    if isinstance(named, str) and "customer_id" not in out:
        out["customer"] = _with_cut_start(text, _without_product_code(_without_thing_after(named)))
    names = {str(out.get(k, "")).lower() for k in ("contact", "customer")}
    for key in ("summary", "text"):
        said = out.get(key)
        if isinstance(said, str) and (
            said.lower() in names or said.lower().strip(".") in ADDRESS_WORDS
        ):
            out.pop(key)  # "met Aunty Grace of ...": the person's form of address, no summary
    for key in ("deal_id", "task_id", "lead_id"):
        if key in keys:
            number = record_id(text, key, intent)
            if number is not None:
                out[key] = number
    own_id = _OWN_RECORD_ID.get(intent)
    if own_id in out and out.get("status") != "converted":  # (a lead converted is named anew)
        # "cancel task 88, the Drovers' Rest have shut for a refurb": the record named by its
        # number is the one meant; the names and words said about it are why, not which (as
        # the voices' writers label it: 368 of 371 such updates name no customer)
        for key in ("customer", "customer_id", "contact", "text"):
            if key != "text" or intent == "update_task":
                out.pop(key, None)
    for key in ("customer", "contact"):
        if isinstance(out.get(key), str) and SPOKEN_NUMBER.fullmatch(out[key]):
            out.pop(key)  # "update deal three fifty eight": a number read out, no name
            out.pop(f"{key}_id", None)
    if intent == "merge_customers":
        out.pop("customer_id", None)
        out.update(merge_pair(text, ex))
    if intent == "list_deals" and out.get("stage") in ("won", "lost"):
        out["status"] = out.pop("stage")  # "which deals did we win": a list of won deals
    if intent == "update_task" and len(ex.all("DATE")) > 1:
        dates = ex.all("DATE")
        moved = [  # "push task 58 to next Monday, I won't get to it this week": where it goes
            d for d in dates if re.search(r"\b(?:to|till|until|til|for)\s*$", text[: d.start_char])
        ]
        last = moved[-1] if moved else dates[-1]  # "move my 4pm reminder to tmrw": the new date
        val = _date_value(last, ex, "future")
        if val:
            out["when"] = val
    if intent == "list_deals" and "amount" in out and "comparator" not in out:
        if re.search(r"\b(?:over|above|bigger|larger|more than|greater|at least|>)", low):
            out["comparator"] = ">"
        elif re.search(r"\b(?:under|below|smaller|less than|<)", low):
            out["comparator"] = "<"
    if intent == "list_deals" and "limit" not in out:
        m = re.search(
            rf"\b(?:top|biggest|largest|last|first)\s+{_COUNT}\b{_NOT_SPAN}", low
        ) or re.search(
            rf"^(?:\W*(?:the|show|list|give me|me)\s+)*{_COUNT}\s+(?:biggest|largest|top|best|"
            r"newest|oldest|latest)\b",
            low,
        )
        if m:
            out["limit"] = _count(m.group(1))
    if intent in ("list_deals", "list_feedback", "update_task") and "owner" in keys:
        owner = _owner_from(ex)
        if owner and "owner" not in out:
            out["owner"] = owner
            if str(out.get("customer", "")).lower() in (owner.lower(), owner.lower() + "s"):
                out.pop("customer")  # "kaylas deals in negotiation": the rep's, no customer
                out.pop("customer_id", None)
    if "owner" in keys and "owner" not in out:
        m = re.search(r"\b(?:of|for|from)\s+([A-Z][a-z]+|[a-z]+)\b", text)
        if m and m.group(1).lower() in FIRST_NAMES and m.group(1).lower() not in COMMON_WORDS:
            out["owner"] = m.group(1)  # "the deals of Priyanka", "forecast of Ananya"
            if out.get("customer") == m.group(1):
                out.pop("customer")
                out.pop("customer_id", None)
    if intent == "list_deals" and "owner" not in out:
        own = reader_phrases(re.sub(r"\b(?:show|give|tell|send|get|pull|list) me\b", " ", low))
        if re.search(r"\b(?:my|mine|i)\b", own):
            out["owner"] = "me"

    if isinstance(out.get("customer"), str):
        # "demo at 3 little pigs bbq": a number that starts the name was no clock time
        at = text.lower().find(out["customer"].lower())
        for sp in ex.all("DATE"):
            if at <= sp.end_char - 1 < at + len(out["customer"]) and re.fullmatch(
                r"(?:at|@)\s*\d{1,2}", sp.text, re.I
            ):
                for key in ("when", "follow_up"):
                    if out.get(key) in (
                        _date_value(sp, ex, "past"),
                        _date_value(sp, ex, "future"),
                    ):
                        del out[key]
    if (
        intent == "list_deals"
        and isinstance(out.get("owner"), str)
        and isinstance(out.get("customer"), str)
        and out["customer"].lower() == out["owner"].lower()
        and out["customer"].lower() in FIRST_NAMES
        and "customer_id" not in out
    ):
        del out["customer"]  # "what deals has Jacek open?": a rep's deals, not a customer's
    if "owner" in out and out["owner"] == "me" and intent in _READER_INTENTS and _reader_only(low):
        del out["owner"]  # "can I get the pipeline by stage?": who reads it, not whose it is
    if intent == "log_interaction":
        _message_by_product(text, out)
    if intent == "set_reminder" and isinstance(out.get("text"), str):
        out["text"] = _until_next_ask(out["text"])
    for key in ("customer", "into"):
        if isinstance(out.get(key), str):
            out[key] = _with_final_dot(full, out[key])
    if isinstance(out.get("customer"), str) and "customer_id" not in out:
        out["customer"] = _household(text, out["customer"])
        owned = re.fullmatch(r"(.+?)['’]s", out["customer"])
        if owned and re.search(
            rf"{re.escape(out['customer'])}\s+(?:deal|lead|quote|contract|opp|opportunity|account)\b",
            text,
        ):
            out["customer"] = owned.group(1)  # "move Brightline's deal to negotiation"
    if intent == "update_task" and out.get("status") in _CLOSED_TASK:
        out.pop("when", None)  # "task 41 is done; I sent it this morning": closed, not moved
    if intent in ("create_deal", "create_campaign") and "name" not in out:
        named = _said_name(text, intent, out, ex)
        if named:
            out["name"] = named
    # only the contract's keys for this intent (customer_id goes with customer)
    allowed = set(keys) | ({"customer_id"} if "customer" in keys else set())
    return {k: v for k, v in out.items() if k in allowed}
