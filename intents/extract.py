"""Entity extraction: from the spans our components found to the contract's entity values.

Works on a processed Doc (``doc.spans["crm"]`` from ``crm_entities``, ``doc.spans["customers"]``
from ``crm_gazetteer``) plus the tokens, per intent. Pure Python, no model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from spacy.tokens import Doc, Span, Token

from intents.components import ABBREVIATIONS, AMBIGUOUS_NAMES, FIRST_NAMES
from intents.dates import resolve_date, resolve_period, to_iso
from intents.vocab import COMPANY_SUFFIXES, INTENT_KEYS

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
crm qbr sso saml api ui ux kpi kpis roi sla nda rfp rfq poc mvp saas b2b ceo cto cfo coo vp faq pdf csv
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
NAME_CONNECTORS = {"&", "and", "of", "de", "von", "van", "y"}
PRONOUN_ME = {"me", "my", "i", "i'm", "myself", "mine", "im"}
STOP_AFTER_NAME = {"deal", "lead", "opportunity", "opp", "account", "record", "history", "team"}
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


def polite_core_end(text: str) -> int:
    """Where the message ends without its trailing politeness and punctuation (linear time)."""
    end = len(text)
    for _ in range(12):
        t = text[:end].rstrip(" \t\n,.!?;")
        low = t.lower()
        for w in POLITE_WORDS:
            if low.endswith(w) and (
                len(low) == len(w) or not w[0].isalnum() or not low[-len(w) - 1].isalnum()
            ):
                t = t[: len(t) - len(w)]
                break
        else:
            return len(t)
        end = len(t)
    return end


FOLLOW_UP_CUE = re.compile(
    r"(?:follow[\s-]?up|followup|circle back|check back|check in|reconnect|next step|touch base|ping them|get back)(?:\s+(?:with them|on it|again))?\s*(?:on|by|in|for)?\s*$",
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


def parse_amount(text: str) -> float | int | None:
    t = text.lower().replace(" ", "")
    m = re.search(
        r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(k|mm|mn|m|bn|b|thousand|million|billion|grand)?", t
    )
    if not m:
        return None
    num = float(m.group(1).replace(",", ""))
    mult = {
        "k": 1e3,
        "thousand": 1e3,
        "grand": 1e3,
        "m": 1e6,
        "mm": 1e6,
        "mn": 1e6,
        "million": 1e6,
        "b": 1e9,
        "bn": 1e9,
        "billion": 1e9,
    }.get(m.group(2) or "", 1)
    value = round(num * mult, 2)
    return int(value) if value == int(value) else value


def _has_money_marker(text: str) -> bool:
    return bool(
        re.search(
            r"[$€£]|usd|eur|gbp|dollar|euro|bucks|\d\s?(?:k|m|mm|mn|b|bn|thousand|million|billion|grand)\b|\d,\d{3}",
            text,
            re.I,
        )
    )


class Extraction:
    """Per-doc state shared by the entity rules."""

    def __init__(self, doc: Doc, now: datetime, gazetteer: Any = None) -> None:
        self.doc = doc
        self.now = now
        self.gazetteer = gazetteer
        self.by_label: dict[str, list[Span]] = {}
        spans = list(doc.spans.get("crm", []))
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
        self.blocked: set[int] = set()
        for label in ("EMAIL", "URL", "MENTION", "DATE", "PERIOD", "PERCENT", "PHONE", "AMOUNT"):
            for sp in self.by_label.get(label, []):
                self.blocked.update(range(sp.start, sp.end))

    def first(self, label: str, *, exclude: Iterable[tuple[int, int]] = ()) -> Span | None:
        for sp in self.by_label.get(label, []):
            if not any(a <= sp.start_char < b for a, b in exclude):
                return sp
        return None

    def all(self, label: str) -> list[Span]:
        return self.by_label.get(label, [])


_KNOWN_VOCAB: set[str] = set()


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
    ex: Extraction, skip: set[int], hard_skip: set[int] = frozenset()
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
        known = _is_known(tok)
        if tok.lower_ in ("i", "me", "my", "we", "us", "you", "it", "they"):
            i += 1
            continue
        start_ok = False
        if cap and not known:
            start_ok = True
        elif cap and known and not initial and tok.lower_ not in COMMON_WORDS:
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
    if gz is not None and getattr(gz, "size", 0):
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


def _clean_free(text: str) -> str:
    return text.strip(" ,;:-–—\"'“”.!?").strip()


def _owner_from(ex: Extraction, skip_mentions: set[int] = frozenset()) -> str | None:
    doc = ex.doc
    for sp in ex.all("MENTION"):
        if sp.start not in skip_mentions and not sp.text.startswith(("#", "<#")):
            return mention_value(sp.text)
    for tok in doc:
        if tok.text[:1].isupper() and tok.lower_ in FIRST_NAMES and tok.i not in ex.blocked:
            if tok.i > 0 and doc[tok.i - 1].lower_ in ("with", "at", "from"):
                continue
            return tok.text
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


def _date_value(sp: Span, ex: Extraction, prefer: str, date_only: bool = False) -> str | None:
    got = resolve_date(sp.text, ex.now, prefer=prefer)
    if got is None:
        return None
    if date_only and isinstance(got, datetime):
        got = got.date()
    return to_iso(got)


def _period_value(text: str, ex: Extraction) -> dict | None:
    got = resolve_period(text, ex.now)
    if got is None:
        return None
    return {"start": got[0].isoformat(), "end": got[1].isoformat()}


def _canon(sp: Span | None) -> str | None:
    return sp.kb_id_ if sp is not None else None


def extract(doc: Doc, intent: str, now: datetime, gazetteer: Any = None) -> dict:  # noqa: C901
    keys = INTENT_KEYS.get(intent, ())
    if not keys:
        return {}
    ex = Extraction(doc, now, gazetteer)
    full = doc.text
    core_end = polite_core_end(full)
    text = full[:core_end] + " " * (len(full) - core_end)  # same offsets, no trailing politeness
    low = text.lower()
    out: dict[str, Any] = {}
    skip: set[int] = set()  # token indices not to read names from

    # ---- free text regions first (they shield their words from name extraction)
    free_span: tuple[int, int] | None = None
    if intent == "log_interaction":
        m = re.search(
            r"(?:\babout\b|(?:(?<=\s)|^)re:?\s|\bregarding\b|\bto (?:discuss|talk about|go over)\b|\bdiscuss(?:ed|ing)?\b|\bwent over\b|\bconcerning\b)",
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
                r"[,;.]?\s*(?:and\s+)?(?:need to |will |should |must |to )?(?:follow[\s-]?up|followup|circle back|check back|next step|reconnect)",
                text[start:],
                re.I,
            )
            if fm:
                end = start + fm.start()
            for sp in ex.all("DATE"):
                if start <= sp.start_char < end and text[sp.end_char : end].strip(" ,.!?") == "":
                    end = sp.start_char
            summary = _clean_free(text[start:end])
            summary = re.sub(r"\s+(?:on|from|at|by)$", "", summary, flags=re.I).strip()
            if summary:
                out["summary"] = summary
                free_span = (m.start(), end)
                skip |= _span_tokens(doc, m.start(), end) if end > m.start() else set()
    elif intent == "log_feedback":
        m = re.search(
            r"\b(?:really\s+)?(?:wants?|would like|would love|needs?|asked for|is asking for|are asking for|asks for|asking for|requested|requests|request(?:ing)?|complained about|complains about|complaint about|is unhappy (?:with|about)|unhappy with|reported|reports|suggests|suggested|found|ran into|hit|noticed|hates|doesn't like|does not like|is frustrated (?:with|about|by)|keeps? asking for|asked (?:if|whether)|asks (?:if|whether)|(?:was |is )?asking about|asked about|wants to know (?:if|whether)|wishes (?:we had|for)|is missing|misses)\b\s*(?:that\s+)?|\bcomplain(?:t|ts|ed|s|ing)?\s+from\s+.{1,60}?\s+(?:about|re|regarding|over)\s+|(?:feedback|request|complaint|suggestion)(?:\s+from\s+[^:]{1,60})?:\s*",
            text,
            re.I,
        )
        if m:
            start = m.end()
            rest = text[start:]
            em = re.search(
                r"\s*(?:[,;]|\s-\s|\s–\s|\s—\s|\.\s|!)\s*|\s+(?:tell|pass|flag|let|forward|send|share|loop|for the|cc)\b",
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
            rf"\b(?:{rem}|ping|don't let|do not let|remember)\b[^\n]{{0,60}}?\bto\s+(?!me\b)|\b(?:{rem})\s*(?:for [^:]{{1,40}})?:\s*|\b(?:{rem})\s+(?:me|us|them|him|her|<@\w+>|@[\w.-]+)\s+(?:to\s+)?(?=[a-z])",
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
            seg = re.sub(r"^\s*to\s+", "", text[start:end], flags=re.I)
            seg = re.sub(r"\s+(?:on|by|at|in|for|before|until)\s*$", "", seg.strip(), flags=re.I)
            rt = _clean_free(seg)
            if rt and rt.lower() not in ("me", "remind"):
                out["text"] = rt
    if intent in ("create_deal", "create_campaign"):
        q = ex.first("QUOTED")
        if q is not None:
            qm = re.fullmatch(r"[\"“']?(.*?)[\"”']?", q.text)
            out["name"] = (qm.group(1) if qm else q.text).strip()
            skip |= set(range(q.start, q.end))
        else:
            m = re.search(
                r"\b(?:called|named|titled)\s+(.+?)(?=\s+(?:for|targeting|aimed|to|with|via|by|over|on|in|at)\b|[,;:]|$)",
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
        sp for sp in ex.all("MENTION") if sp.text.lower() not in ("@crmbot", "@crm_bot", "@bot")
    ]
    if len(mentions) > 1 and mentions[0].start == 0:
        mentions = mentions[1:]  # "<@BOT> nudge @dana ...": the first one addresses the bot
    if intent == "assign_lead":
        person_mention = [sp for sp in mentions if not sp.text.startswith(("#", "<#"))]
        if person_mention:
            out["assignee"] = mention_value(person_mention[0].text)
        elif re.search(
            r"\b(?:to me|assign me|give me|i'll take|i will take|i want|i'll own|me take|i take|mine)\b",
            low,
        ):
            out["assignee"] = "me"
        else:
            for m in re.finditer(
                r"\b(?:to|let|put|can)\s+([A-Za-z][a-z]+)\b(?!\s+(?:leads?|the)\b)", text
            ):
                cand = m.group(1)
                if cand.lower() in FIRST_NAMES:
                    out["assignee"] = cand
                    skip |= _span_tokens(doc, m.start(1), m.end(1))
                    break
    if intent in ("list_leads", "pipeline_report", "forecast", "list_tasks", "rep_performance"):
        owner = _owner_from(ex)
        if owner:
            out["owner"] = owner
    if intent in ("set_reminder", "set_alert"):
        target = None
        for sp in mentions:
            target = mention_value(sp.text)
            break
        if target is None and re.search(
            r"\b(?:remind|nudge|ping|alert|notify|tell|warn|message|text|let|send|dm|email|shout at)\s+me\b|\bremind me\b|don't let me|\bi need a reminder\b|\bmy reminder|\b(?:heads up|alert|notification|message|ping|note)\s+to\s+me\b|\bto me\b",
            low,
        ):
            target = "me"
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

    # ---- closed vocabularies
    exclude_free = [free_span] if free_span else []
    if "kind" in keys:
        kinds = [
            k for k in ex.all("KIND") if not any(a <= k.start_char < b for a, b in exclude_free)
        ]
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
        sp = ex.first("STATUS")
        if sp is not None:
            out["status"] = sp.kb_id_
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
                r"(?:\bby|\bper|\bgrouped by|\bsplit by|\bbroken down by|\bbreak(?:down)? by|\bfor each|\beach)\s*$",
                before,
            ):
                out["group_by"] = sp.kb_id_
                break
    if "team" in keys:
        teams = [
            s for s in ex.all("TEAM") if not any(a <= s.start_char < b for a, b in exclude_free)
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
    if "source" in keys:
        for sp in ex.all("SOURCE"):
            before = low[max(0, sp.start_char - 20) : sp.start_char]
            k = sp.start - 1
            while k >= 0 and doc[k].lower_ in ("the", "a", "an"):
                k -= 1
            prev_word = doc[k].lemma_ if k >= 0 else ""
            if prev_word in ("via", "from", "through", "source", "at", "on") or re.search(
                r"(?:\bvia|\bfrom|\bthrough|\bsource:?|\bat|\bon|\bcame in via|\breferred by)\s+(?:the\s+|a\s+|an\s+)?$",
                before,
            ):
                out["source"] = sp.text
                skip |= set(range(sp.start, sp.end))
                break

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
            for sp in ex.all("AMOUNT"):
                if sp.start in skip:
                    continue
                if not _has_money_marker(sp.text) and (parse_amount(sp.text) or 0) < 100:
                    continue
                if re.search(r"\b(?:top|last|first)\s*$", low[: sp.start_char]):
                    continue
                val = parse_amount(sp.text)
                if val is not None:
                    if sp.text.lstrip().startswith("-") or re.search(
                        r"(?:\bminus|\bnegative|(?<![\w])-)\s*[$€£]?\s*$",
                        text[: sp.start_char],
                        re.I,
                    ):
                        val = -val  # kept: the engine refuses a negative amount with the reason
                    out[key] = val
                    break
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
                r"\b(?:last|top|latest|recent|first|past|bottom|most recent)\s+(\d{1,4})\b", low
            )
            or re.search(
                r"\b(\d{1,4})\s+(?:most recent|latest|last|recent|biggest|largest|top|best|most|newest)\b",
                low,
            )
            or re.search(
                r"(?<![\d.,$€£])\b(\d{1,4})\s+(?:[a-z-]+\s+){0,2}(?:customers|accounts|clients|calls|emails|"
                r"meetings|interactions|notes|messages|demos|touchpoints)\b",
                low,
            )
        )
        if m:
            out["limit"] = int(m.group(1))

    # ---- dates and periods
    if "period" in keys:
        per = None
        for sp in ex.all("PERIOD") + ex.all("DATE"):
            per = _period_value(sp.text, ex)
            if per:
                break
        if per:
            out["period"] = per
    if intent == "log_interaction":
        for sp in ex.all("DATE"):
            before = text[max(0, sp.start_char - 40) : sp.start_char]
            if (
                FOLLOW_UP_CUE.search(before)
                or re.search(
                    r"follow[\s-]?up|followup|next step|circle back|reconnect", before, re.I
                )
                and "follow_up" not in out
            ):
                val = _date_value(sp, ex, "future")
                if val and "follow_up" not in out:
                    out["follow_up"] = val
            elif "when" not in out:
                val = _date_value(sp, ex, "past")
                if val and val[:10] > ex.now.date().isoformat():
                    # an interaction can't have happened later than now: a future date is the follow-up
                    if "follow_up" not in out:
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
            val = _date_value(sp, ex, "future", date_only=True)
            if val:
                out["close_date"] = val
                break

    # ---- names
    if "customer" in keys or "contact" in keys:
        # tokens that are role fillers (assignee names etc.) are not customers
        hard_skip = set(skip)
        for sp in mentions:
            skip.update(range(sp.start, sp.end))
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
                r"\b(?:tell|pass(?: it)?(?: on)? to|flag(?: it)? to|let|forward(?: it)? to|send(?: it)? to|share with|loop in|cc)\s+(?:the\s+)?(\w+)",
                text,
                re.I,
            )
            if m:
                skip |= _span_tokens(doc, m.start(1), m.end(1))
        cands = name_candidates(ex, skip, hard_skip)
        if (
            intent in ("log_feedback", "log_interaction")
            and not [c for c in cands if not c.person]
            and free_span
        ):
            inner = skip - _span_tokens(doc, *free_span)
            more = [c for c in name_candidates(ex, inner, inner) if not c.person]
            cands = sorted(cands + more[:1], key=lambda c: c.start)
        if intent == "assign_lead" and "assignee" in out:
            cands = [c for c in cands if c.text != out["assignee"]]
        if intent in ("list_leads",):
            cands = []
        companies = [c for c in cands if not c.person]
        persons = [c for c in cands if c.person]
        # company preference: gazetteer hits, then after at/from/for (with a person present)
        comp = None
        if companies:
            gz_hits = [c for c in companies if c.cid is not None]
            comp = gz_hits[0] if gz_hits else companies[0]
        # "Bob Smith at Contoso": two names, the second after at/from/of -> the first is a person
        if "contact" in keys and not persons and len(companies) >= 2 and companies[0].cid is None:
            first, second = companies[0], companies[1]
            if (
                second.trigger in ("at", "from", "of")
                and len(first.text.split()) in (1, 2)
                and first.text.split()[0][:1].isupper() == first.text.split()[-1][:1].isupper()
            ):
                first.person = True
                persons = [first]
                companies = companies[1:]
                comp = companies[0]
        if "contact" not in keys and comp is None and persons:
            comp = persons[0]
            persons = []
        if comp is None and persons and "contact" in keys:
            # "with Priya" only: a contact; a second person-like name after at/from is the company
            if len(persons) >= 2 and persons[1].trigger in ("at", "from", "of"):
                comp = persons[1]
                persons = persons[:1]
        if comp is not None and "customer" in keys:
            out["customer"] = comp.text
            if comp.cid is not None:
                out["customer_id"] = comp.cid
        if persons and "contact" in keys:
            out["contact"] = persons[0].text

    # only the contract's keys for this intent (customer_id goes with customer)
    allowed = set(keys) | ({"customer_id"} if "customer" in keys else set())
    return {k: v for k, v in out.items() if k in allowed}
