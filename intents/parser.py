"""The intent parser: text -> {"text", "intent", "confidence", "entities"} (see INTENTS.md)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, NotRequired, TypedDict

from intents.components import doc_text, use_numpy_matmul
from intents.compound import FILLERS, ROUTE_CUE, TEAM_ADDRESSED, TEAM_TOLD
from intents.extract import ARROW_ASSIGN
from intents.registry import COMMANDS, INTENT_KEYS, INTENTS, WRITE_INTENTS
from intents.vocab import STAGE


class Ask(TypedDict):
    """One ask of a message: the contract's intent, its confidence and entities."""

    intent: str
    confidence: float
    entities: dict[str, Any]


class ParseResult(Ask):
    """What ``Parser.parse`` returns (../shared/INTENTS.md): the first ask, the text as typed, and
    the message's further asks in order, when it has several."""

    text: str
    also: NotRequired[list[Ask]]


MODEL_DIR = Path(__file__).resolve().parent / "model"
MAX_CHARS = 1000  # longer messages are cut before parsing (the output keeps the full text)

_CONTROL_RE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufffe]"
)
_EMOJI_RE = re.compile(
    "[\U0001f000-\U0001faff\U0001f1e6-\U0001f1ff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff\ufe0e\ufe0f\u200d"
    "\u20e3\U000e0020-\U000e007f\u3030\u303d\u3297\u3299]+"
)
_SLACK_LINK_RE = re.compile(
    r"<(?:mailto:|tel:)?([^<>|@]+|[^<>|]+@[^<>|]+)\|([^<>]+)>|<(mailto:|tel:)([^<>|]+)>|<(https?://[^<>|]+)>"
)
_SHORTCODE_RE = re.compile(r"(?<!\w):[a-z0-9_+-]{2,30}:(?!\w)")
_LEADING_BOT_RE = re.compile(
    r"^\s*(?:(?:<@[A-Za-z0-9]+(?:\|[^>]*)?>|@crm_?bot\b|@bot\b|crmbot\b)[\s,:;-]*)+"
    r"(?!\s*(?:should|can|could|will|would|takes?|gets?|owns?|is|'s|needs|wants|to\b))",
    re.IGNORECASE,
)
_WS_RE = re.compile(r"\s+")
_OOV_NORM = "__oov__"  # components.OOV_NORM: a word we do not know is no evidence of known words
_BOT_HANDLE_RE = re.compile(r"(?<![\w.])@crm_?bot\b[,:]?", re.IGNORECASE)

# A write intent also needs one of its cue words (over normalised tokens); otherwise `unknown`.
_CUES: dict[str, str] = {
    "log_interaction": (
        "log|logged|logging|record|recorded|had|did|just|call|called|phoned|rang|ring|email|"
        "emailed|meeting|meet|met|demo|demoed|note|notes|message|messaged|pinged|texted|spoke|"
        "talked|sync|lunch|coffee|visit|visited|jot|add|zoom|catch|dm|dm'd|chat|chatted|got|"
        "presented|presentation|walkthrough|mail|mailed|tour|follow|went|spent|sat|caught|"
        "gave|ran|wrote|reached"
    ),
    "create_lead": ("lead|leads|prospect|prospects|inbound|interested"),
    "assign_lead": (
        "assign|assigned|reassign|give|hand|handed|transfer|move|take|own|route|distribute|"
        "share|split|allocate|spread|put|let|goes|dish|want|round|evenly|equally|divide|"
        "unassigned|__strategy__|__mention__|i'll|mine|gets|go|have|has|pass|passed"
    ),
    "create_deal": ("deal|deals|opp|opps|opportunity|opportunities|buy"),
    "update_deal": (
        "won|lost|win|signed|stage|negotiation|negotiating|proposal|qualification|prospecting|"
        "discovery|amount|probability|close|closing|closed|slipped|slip|push|pushed|bump|"
        "bumped|update|set|change|move|moved|moves|mark|now|__amount__|%|percent|fell|dead|"
        "likely|deal|revise|entered|went|is|at|__num__|enters|falls|slips|slipping|sign|signs|"
        "closes|through|__corp__"
    ),
    "set_reminder": (
        "remind|reminder|reminders|nudge|ping|forget|remember|follow|f/u|fu|shout|buzz|poke|prod"
    ),
    "set_alert": (
        "alert|alerts|notify|notified|tell|let|warn|ping|heads|when|if|whenever|notification|"
        "as soon|flag|inform|alerted"
    ),
    "create_campaign": (
        "campaign|campaigns|blast|push|outreach|newsletter|mailing|drip|sequence|blitz|mailer|"
        "mailshot|mailshots|eblast|e-blast|emailing"
    ),
    "update_task": (
        "task|tasks|reminder|reminders|follow|followup|todo|done|finished|finish|complete|"
        "completed|cancel|cancelled|canceled|snooze|snoozed|move|push|postpone|reschedule|delete|"
        "drop|close|closed|tick|ticked|mark|bump|shift|kill|scrap|crossed|remove"
    ),
    "update_lead": (
        "lead|leads|disqualify|disqualified|dq|qualify|qualified|convert|converted|contacted|"
        "unqualified|status|junk|fit|kill|killed|drop|dropped|no-go|nogo|dead|new|turn|turned|"
        "__corp__"
    ),
    "save_contact": (
        "add|save|contact|contacts|email|e-mail|phone|number|title|new|update|change|store|put|"
        "is|moved|became|promoted|mobile|cell"
    ),
    "merge_customers": (
        "merge|merged|combine|duplicate|duplicates|dupe|dupes|dedupe|same|fold|roll|twice|"
        "consolidate|into|everything"
    ),
    "log_feedback": (
        "feedback|want|wants|wanted|asked|asking|ask|request|requested|requests|complain|"
        "complained|complaint|complains|need|needs|like|love|tell|pass|flag|let|forward|"
        "suggest|suggested|suggestion|bug|asks|says|said|complaining|__team__"
    ),
}
# A record named by its number: the mark of an ask about that kind of record.
_NUMBERED = r"\s*(?:#|no\.?|number|nr\.?|id)?\s*\d{1,9}\b"
_RECORD_NAMED = {
    intent: re.compile(rf"\b(?:{words}){_NUMBERED}", re.I)
    for intent, words in (
        ("update_deal", r"deals?|opps?|opportunit(?:y|ies)"),
        ("list_deals", r"deals?|opps?|opportunit(?:y|ies)"),
        ("update_lead", r"leads?"),
        ("update_task", r"tasks?|reminders?|to-?dos?"),
    )
}
# a message's first word, after a greeting or a "pls", a mention and when it was ("<@U0BOT> on
# Thursday e-mailed ...", "yesterday rang ...")
_OPENING_WORD = re.compile(
    r"^\W*(?:<@\w+>\s*)?(?:(?:pls|please|plz|ok|okay|so|hey|hi)\W+)*"
    r"(?:(?:(?:on\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day|yesterday|today|"
    r"this\s+(?:morning|afternoon))\W+)?([a-z'-]+)\b",
    re.I,
)
# handing leads out ("share them out", "spread", "give to whoever ..."), with a strategy said
_SHARE_OUT = re.compile(
    r"\b(?:give|giv|share|spread|split|stick|hand|put|divide|route|assign|distribute|dish|"
    r"allocate|round-robin|round\s+robin)\b",
    re.I,
)
# a lead given to a person ("give it to Shona", "and please assign it to <@U02AB3CD>"): a team
# is told, not given ("pass that on to support" is feedback)
_GIVE_IT_TO = re.compile(
    r"^\W*(?:and\s+)?(?:(?:pls|please|plz|can\s+you|could\s+you)\s+)*"
    r"(?:give|hand|assign|allocate|route|pass)\s+(?:it|them|this|that|him|her|the\s+lead)\s+"
    r"(?:over\s+|on\s+)?to\s+(?:<@\w+>|@[\w.-]+|me\b|(?!(?:the|our)\b)(?-i:[A-Z])[\w'-]+)",
    re.I,
)
# a person said first, then the title they now hold, at a firm
_NOW_TITLED = re.compile(
    r"^\W*[\w.'’-]+(?:\s+[\w.'’-]+){0,3}?\s+(?:is\s+)?now\s+(?:the\s+|our\s+|their\s+)?"
    r"(?:new\s+)?(?:head|director|[sev]?vp|chief|cfo|ceo|cto|coo|cmo|cio|owner|buyer|"
    r"[a-z]+\s+(?:manager|director|lead|buyer))\b.*\b(?:at|of|for|in)\s+\S",
    re.I,
)
# money converted from one currency to another: a sum, no lead converted
_CONVERT_MONEY = re.compile(
    r"\bconvert\s+[$€£¥₹]?\d[\d\s.,]*(?:k|m)?\s*[A-Za-z]{0,3}\s+(?:to|into|in)\s+"
    r"(?:[A-Za-z]{3}|dollars|euros?|pounds|rupees|yen)\b",
    re.I,
)
# a new contact said first ("new contact at The Granary: Sandy Urquhart, ...")
_NEW_CONTACT = re.compile(r"^\W*(?:new|another)\s+contact\b(?!\s+(?:form|us|me)\b)", re.I)
# a deal named by its number first, then how it changes
_DEAL_FIRST = re.compile(
    r"^\W*(?:the\s+)?(?:deal|opp|opportunity)\s*(?:#|no\.?|number)?\s*\d{1,9}\s+(?:should|is|was|"
    r"has|needs|must|to|goes|went|moved|now|at|->)\b",
    re.I,
)
# a customer said first to stand at a likelihood: "Tanaka's at about 60% now"
_AT_PERCENT = re.compile(
    r"^\W*(?-i:[A-Z])[\w&.'’-]*(?:\s+(?-i:[A-Z])[\w&.'’-]*){0,3}(?:['’]s|\s+is|\s+are)\s+"
    r"(?:now\s+)?at\s+(?:about\s+|around\s+|roughly\s+|~\s*)?\d{1,3}\s?%",
    re.I,
)
# dropping in on someone is a visit had: "dropped in on Puriri Build Co, talked retaining walls"
_DROPPED_IN = re.compile(
    r"^\W*(?:just\s+)?(?:dropped|popped|swung|stopped|called)\s+(?:in|by|round|over)\s+"
    r"(?:on|at|to|with)?\s*\S",
    re.I,
)
# someone's own report, by its noun: "pull up Sarah Lindqvist's pipeline"
_WHOSE_REPORT = re.compile(
    r"\b(?-i:[A-Z][\w-]+)(?:\s+(?-i:[A-Z][\w-]+))?(?:'s|’s)\s+(?:open\s+)?"
    r"(pipeline|pipe|forecast|tasks|to-?dos)\b",
    re.I,
)
_REPORT_NOUNS = {
    "pipeline": "pipeline_report",
    "pipe": "pipeline_report",
    "forecast": "forecast",
    "tasks": "list_tasks",
    "todos": "list_tasks",
    "to-dos": "list_tasks",
    "leaderboard": "rep_performance",
}
_CUES_RE = {k: re.compile(r"\b(?:" + v + r")\b") for k, v in _CUES.items()}
# These writes always need one of their cue words, however confident the classifier is.
_ALWAYS_CUE = frozenset(
    {
        "set_reminder",
        "set_alert",
        "create_campaign",
        "assign_lead",
    }
)
# Writes that need an object: without one of these keys (and below cue_free_confidence) -> unknown.
_NEEDS = {
    "update_deal": ("customer", "deal_id"),
    "log_feedback": ("customer", "text"),
    "assign_lead": ("strategy", "assignee"),  # to whom, or how: else it is no assignment
    "update_task": ("task_id", "customer", "text"),
    "update_lead": ("lead_id", "contact", "customer"),
    "save_contact": ("contact",),
    "merge_customers": ("customer", "into"),
}


def clean_text(text: str) -> str:
    """What the pipeline sees: bounded; no control characters, emoji or leading bot mention."""
    if not text:
        return ""
    t = text[: MAX_CHARS * 4]
    t = _CONTROL_RE.sub(" ", t)
    if "<" in t:
        t = _SLACK_LINK_RE.sub(lambda m: m.group(2) or m.group(4) or m.group(5) or "", t)
    t = _EMOJI_RE.sub(" ", t)
    if ":" in t:
        t = _SHORTCODE_RE.sub(" ", t)
    t = _LEADING_BOT_RE.sub("", t, count=1)
    if "@" in t:
        t = _BOT_HANDLE_RE.sub(" ", t)
    t = t.replace("w/ ", "with ").replace("W/ ", "With ")
    if " @ " in t:
        t = _AT_SIGN.sub(" at ", t)  # "called boon kiat @ jurong precision"
    t = _SPOKEN_MARK.sub(lambda m: _MARKS[m.group(1).lower().split()[0]], t)
    t = _WS_RE.sub(" ", t).strip()
    if len(t) > MAX_CHARS:
        cut = t.rfind(" ", 0, MAX_CHARS)
        t = t[: cut if cut > MAX_CHARS // 2 else MAX_CHARS]
    return t


# Punctuation dictated into a phone: "price was too high comma cancel the task", "... options
# period". A period is a word, too ("this period", "trial period"): only after another word
# and at the end of a sentence is it the mark.
_SPOKEN_MARK = re.compile(
    r"\s+(comma|full stop|question mark|exclamation (?:mark|point)|"
    r"(?<!\bthis)(?<!\bthat)(?<!\bthe)(?<!\bsame)(?<!\btrial)(?<!\bgrace)(?<!\bnotice)"
    r"(?<!\breporting)(?<!\breview)(?<!\bbilling)(?<!\btime)(?<!\bfree)(?<!\beach)(?<!\bper)"
    r"(?<!\bevery)(?<!\ba)(?<!\bwhole)(?<!\bpayment)(?<!\bcooling)(?<!\bsales)(?<!\bpay)"
    r"period)\b(?=\s|$)(?!\s+(?:of|for|ending|end|to date|starting)\b)",
    re.I,
)
# a dictated "period" ends a thought more often than a sentence: it goes, and the words run on
_MARKS = {"comma": ",", "full": ".", "question": "?", "exclamation": "!", "period": ""}
_FREE_KEYS = ("summary", "text", "reason", "name", "title")
_WITH = re.compile(r"(?i:with)\\ ")


# "@" typed for "at" between words (a handle has no space after it)
_AT_SIGN = re.compile(r"\s@\s(?=\S)")


def as_written(entities: dict[str, Any], raw: str) -> None:
    """Free text as the person typed it: the pipeline reads "w/ " as "with " and " @ " as
    " at " (clean_text), and "she's ok w/ $450/mo" is what was said."""
    for key in _FREE_KEYS:
        value = entities.get(key)
        if isinstance(value, str) and value not in raw and " at " in value:
            typed = value.replace(" at ", " @ ")
            if typed in raw:
                entities[key] = value = typed
        if not isinstance(value, str) or value in raw or "with " not in value.lower():
            continue
        found = re.search(_WITH.sub(r"(?:with|w/)\\ ", re.escape(value)), raw, re.I)
        if found:
            entities[key] = found.group(0)


class ModelMissingError(RuntimeError):
    pass


class Parser:
    """Chat text -> the intent contract. Build with ``Parser.load()``."""

    def __init__(self, nlp: Any, meta: dict | None = None) -> None:
        self.nlp = nlp
        self.meta = meta or {}
        self.temperature: float = float(self.meta.get("temperature", 1.0))
        self.intent_threshold: float = float(self.meta.get("intent_threshold", 0.5))
        # below this share of known words a message reads as another language (0.34 until
        # session 29, when it sent writes with words of another language in them to `unknown`)
        self.known_ratio_min: float = 0.25
        self.cue_free_confidence: float = 0.95  # a write below this also needs one of its cue words
        self.object_free_confidence: float = 0.99  # ... and below this, something to write to
        self.compound_confidence: float = 0.6  # a later part of a message below this is no ask
        self.runner_up_min: float = 0.05  # a runner-up write taken for one that lacks its cue
        self.read_hint_min: float = 0.02  # a read this likely lets a first clause be read alone
        # names from the trained recogniser when the model has one (else the rules alone); it is
        # run apart from the pipeline, only on the messages whose intent wants a name
        self._ner: Any = nlp.get_pipe("ner") if "ner" in nlp.pipe_names else None
        if self._ner is not None:
            nlp.disable_pipe("ner")
        self.use_ner: bool = self._ner is not None and bool(self.meta.get("use_ner", True))
        self.unknown_bias: float = float(self.meta.get("unknown_bias", 0.0))
        self.raise_errors: bool = False  # tests set it: a bug must not hide behind `unknown`
        self._gazetteer = (
            nlp.get_pipe("crm_gazetteer") if "crm_gazetteer" in nlp.pipe_names else None
        )
        self._normalizer = nlp.get_pipe("crm_normalizer")
        self._known = set(self._normalizer.vocab_words)
        from intents.extract import set_english_words, set_known_vocabulary

        set_known_vocabulary(self._known)
        set_english_words(self._normalizer.english_words)
        # words that make a message read as English (the gibberish / other-language guard):
        # ours and the common English ones ("Grace Hopper became founder at ..." is English)
        self._readable = self._known | set(self._normalizer.english_words)
        self._empty_doc = None

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, model_dir: Path | None = None) -> Parser:
        import spacy

        import intents.components  # noqa: F401 - registers our factories and architecture

        path = Path(model_dir) if model_dir is not None else MODEL_DIR
        if not (path / "config.cfg").exists():
            raise ModelMissingError(
                f"No trained intent model at {path}. Build it with `crmbot train` "
                "(or `python -m intents.train`)."
            )
        use_numpy_matmul()
        nlp = spacy.load(path)
        use_numpy_matmul(nlp)
        meta_path = path / "crmbot.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        return cls(nlp, meta)

    # ------------------------------------------------------------------ gazetteer
    def set_gazetteer(self, customers: Iterable[tuple[int, str, Sequence[str]]]) -> None:
        """Known customers (id, name, aliases); replaces the previous set."""
        if self._gazetteer is None:
            raise RuntimeError("pipeline has no crm_gazetteer component")
        self._gazetteer.set_customers(customers)

    # ------------------------------------------------------------------ parsing
    def parse(self, text: str, *, now: datetime | None = None) -> ParseResult:
        return next(self.parse_many([text], now=now, batch_size=1))

    def parse_many(
        self, texts: Iterable[str], *, now: datetime | None = None, batch_size: int = 256
    ) -> Iterator[ParseResult]:
        now = self._now(now)
        originals: list[str] = []

        def cleaned() -> Iterator[str]:
            for raw in texts:
                raw = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
                originals.append(raw)
                yield clean_text(raw)

        idx = 0
        chunk: list[tuple[str, Any]] = []
        for doc in self.nlp.pipe(cleaned(), batch_size=batch_size):
            raw = originals[idx]
            originals[idx] = ""  # free memory on long streams
            idx += 1
            chunk.append((raw, doc))
            if len(chunk) >= batch_size:
                yield from self._finish(chunk, now)
                chunk = []
        if chunk:
            yield from self._finish(chunk, now)

    def _finish(self, chunk: list[tuple[str, Any]], now: datetime) -> Iterator[ParseResult]:
        """Classify a batch, run the name recogniser over those that want names, extract."""
        classified: list[tuple[str, float, dict[str, float]] | None] = []
        for _, doc in chunk:
            try:
                classified.append(self.classify(doc))
            except Exception:  # noqa: BLE001 - _result reports it
                if self.raise_errors:
                    raise
                classified.append(None)
        wanted = [
            d for (_, d), c in zip(chunk, classified, strict=True) if c and self._needs_names(c[0])
        ]
        if wanted and self._ner is not None:
            for _ in self._ner.pipe(wanted, batch_size=len(wanted)):
                pass
        for (raw, doc), c in zip(chunk, classified, strict=True):
            yield self._result(raw, doc, now, c)

    @staticmethod
    def _now(now: datetime | None) -> datetime:
        if now is None:
            from crm_core.settings import get_timezone

            return datetime.now(get_timezone())
        if now.tzinfo is None:
            from crm_core.settings import get_timezone

            return now.replace(tzinfo=get_timezone())
        return now

    def classify(self, doc: Any) -> tuple[str, float, dict[str, float]]:
        """The intent, its confidence and the calibrated probabilities; a message the rules
        leave `unknown` that opens with a courtesy is read again without it (a whole message:
        a compound's parts are read as they are, "please put it in prospecting" being part of
        the ask before it)."""
        read = self._classify(doc)
        text = doc_text(doc)
        courtesy = _COURTESY.match(text) if read[0] == "unknown" else None
        if courtesy and len(text) - courtesy.end() >= 8:
            asked = self._classify(self.nlp(text[courtesy.end() :]))
            if asked[0] != "unknown":
                return asked
        return read

    def _classify(self, doc: Any) -> tuple[str, float, dict[str, float]]:
        cats = doc.cats
        if not cats or not len(doc):
            return "unknown", 1.0, {}
        probs = self._calibrated(cats)
        intent = max(probs, key=lambda k: probs[k])
        conf = probs[intent]
        norms = []
        unknown = []  # the words we do not know, read in the same pass (Token.norm_ is costly)
        n_alpha = n_lower = n_known = 0
        known = self._readable
        for t in doc:
            norm = t.norm_
            norms.append(norm)
            if norm == _OOV_NORM:
                unknown.append(t.lower_)
            if t.is_alpha:
                n_alpha += 1
                if not t.text[:1].isupper() and norm != "__person__":
                    n_lower += 1
                    n_known += norm in known or (norm[:2] == "__" and norm != _OOV_NORM)
        norm_text = " ".join(norms)
        unknown_words = " ".join(unknown)
        if not n_alpha:
            return "unknown", max(conf if intent == "unknown" else 1 - conf, 0.9), probs
        text = doc_text(doc)
        opener = _OPENING_WORD.match(text)
        commanded = COMMANDS.get(opener.group(1).lower().replace("-", "")) if opener else None
        detail = bool(_NEW_DETAIL.search(text)) and bool(
            {sp.label_ for sp in doc.spans.get("crm", [])} & {"EMAIL", "PHONE"}
        )  # "dwayne at ridgeline plumbing new cell 330-555-0199": a contact's new details
        if (
            commanded is None
            and not detail
            and n_lower >= 3
            and n_known / n_lower < self.known_ratio_min
        ):
            # mostly words we do not know: another language, or noise (a command word that
            # opens it says what it is: "lvm for raúl medina permian sand haulers")
            return "unknown", max(probs.get("unknown", 0.0), 1 - conf), probs
        if not text.isascii():
            letters = sum(map(str.isalpha, text))
            ascii_letters = sum(1 for c in text if c.isascii() and c.isalpha())
            if letters and ascii_letters / letters < 0.5:
                return "unknown", max(probs.get("unknown", 0.0), 1 - conf), probs
        question = _REMIND_QUESTION.match(text)
        if question and intent == "set_reminder":
            # "remind me who looks after X?": the question itself is the ask
            return self.classify(self.nlp(text[question.end(1) :]))
        if intent != "unknown" and _PRAISE.match(text):
            # "Marcus, great job on the Good Samaritan close": said to a colleague
            return "unknown", max(probs.get("unknown", 0.0), 1 - conf), probs
        if intent == "set_reminder" and _REMIND_NEVER.search(text):
            return "unknown", max(probs.get("unknown", 0.0), 1 - conf), probs
        if (
            intent != "set_reminder"
            and intent != "update_task"
            and (
                _ASKS_REMINDER.search(text)
                # a read with "remind me ... to" in it asks for a reminder; a write with it is a
                # compound the write comes first in ("called X, no answer, remind me to ...")
                or (
                    (remind_to := _REMIND_TO.search(text))
                    and not question
                    and (
                        intent not in WRITE_INTENTS
                        # ... unless the message opens with it: "remind me to ring Hamish at X"
                        or _COURTESY_ONLY.fullmatch(text[: remind_to.start()])
                    )
                )
            )
        ):
            # "I need a reminder tomorrow to ...": a reminder however the rest reads
            intent, conf = "set_reminder", max(conf, probs.get("set_reminder", 0.0))
        if intent == "list_feedback" and conf < self.cue_free_confidence and ROUTE_CUE.search(text):
            intent, conf = "log_feedback", max(conf, probs.get("log_feedback", 0.0))

        # Asks whose words say what they are; each write is its own cue (`commanded`)
        if (
            intent != "merge_customers"
            and conf < self.cue_free_confidence
            and _MERGE_ASK.search(text)
        ):
            # "umeda foods (duplicated) should be merged to Umeda Foods Co., Ltd."
            intent, conf = self._asked(probs, "merge_customers")
            commanded = intent
        if intent == "unknown" and _FORECAST_ASK.search(text) and not _WEATHER.search(text):
            # "How is the forecast of Sato-san for the second half of this fiscal year?"
            intent, conf = self._asked(probs, "forecast")
        if (
            intent in ("unknown", "save_contact", "customer_history")
            and conf < self.cue_free_confidence
            and _LOGGED_FROM.match(text)
        ):
            # "LINE message from Watanabe-san of Umeda Foods: ...": a message had, logged
            intent, conf = self._asked(probs, "log_interaction")
            commanded = intent
        if intent in ("log_interaction", "unknown", "list_deals") and _DEAL_OUTCOME.match(text):
            intent, conf = self._asked(probs, "update_deal")
            commanded = intent
        if (
            intent in ("list_leads", "update_lead", "rep_performance", "unknown")
            and conf < self.object_free_confidence
            and _SHARE_OUT.search(text)
            and any(sp.label_ == "STRATEGY" for sp in doc.spans.get("crm", []))
        ):
            # "could you share the summit leads out to whoever has the lightest load?": leads
            # handed out by a strategy, however much it reads as a list of them
            intent, conf = self._asked(probs, "assign_lead")
            commanded = intent
        if (
            intent in ("unknown", "log_interaction", "customer_history")
            and conf < self.cue_free_confidence
            and _NOW_TITLED.match(text)
        ):
            # "Claire Dubois now head of product at Maison Cerise": a contact's new title
            intent, conf = self._asked(probs, "save_contact")
            commanded = intent
        if _CONVERT_MONEY.search(text):
            # "convert 12 500 EUR to PLN": a sum changed into another currency, no lead
            return "unknown", max(probs.get("unknown", 0.0), 1 - conf), probs
        if (
            intent != "save_contact"
            and conf < self.cue_free_confidence
            and _NEW_CONTACT.match(text)
        ):
            intent, conf = self._asked(probs, "save_contact")  # "new contact at The Granary: ..."
            commanded = intent
        if intent in ("log_interaction", "unknown") and (
            _DEAL_FIRST.match(text) or _AT_PERCENT.match(text)
        ):
            # "Deal 5531 should be at 610k - the CFO approved ...": the deal named first is
            # what changes
            intent, conf = self._asked(probs, "update_deal")
            commanded = intent
        if intent in ("customer_history", "unknown") and _DROPPED_IN.match(text):
            intent, conf = self._asked(probs, "log_interaction")
            commanded = intent
        whose = _WHOSE_REPORT.search(text) if intent == "customer_history" else None
        if whose:
            intent, conf = self._asked(probs, _REPORT_NOUNS[whose.group(1).lower()])
        named = _REPORT_NOUNS.get(opener.group(1).lower()) if opener else None
        if named and intent != named and intent not in WRITE_INTENTS and intent != "unknown":
            # "Tasks of the whole team for this month" (read as a forecast): a report named
            # first is the read asked for
            intent, conf = self._asked(probs, named)
        if intent != "assign_lead" and conf < self.cue_free_confidence and _GIVE_IT_TO.match(text):
            intent, conf = self._asked(probs, "assign_lead")  # "..., give it to Shona"
            commanded = intent
        if (intent == "assign_lead" or conf < self.cue_free_confidence) and ARROW_ASSIGN.match(
            text
        ):
            intent, conf = self._asked(probs, "assign_lead")  # "Patricia Olmos → Kayla pls"
            commanded = intent
        told = TEAM_TOLD.search(text)
        told_first = (told and _COURTESY_ONLY.fullmatch(text[: told.start()])) or (
            TEAM_ADDRESSED.match(text) and _SAID_AFTER_ADDRESS.search(text)
        )
        if (
            intent in ("log_interaction", "unknown")
            and commanded is None
            and told
            and _REPORTED_SAYING.search(text[: told.start()])
        ):
            # "Kenji at Tanaka says the labels had the ABV wrong, tell production before the
            # next bottling": what the customer said, handed to a team
            intent, conf = self._asked(probs, "log_feedback")
            commanded = intent
        if intent != "log_feedback" and commanded is None and told_first:
            # "Tell the quality team X got a damaged batch", "Feedback for finance - X want
            # 60 day terms": a team told something first, however the rest reads
            intent, conf = self._asked(probs, "log_feedback")
            commanded = intent
        if (
            intent not in ("log_feedback", "list_feedback", "set_reminder")
            and conf < self.cue_free_confidence
            and (
                ROUTE_CUE.search(text)
                or TEAM_ADDRESSED.match(text)
                or (told and intent == "unknown")  # "..., can finance have a look"
            )
        ):
            # "pass on to dispatch - X says ...", "For quality team - X asks ...": a request
            # handed to a team (the extractor still wants a customer)
            intent, conf = self._asked(probs, "log_feedback")
            commanded = intent
        if intent == "unknown" and detail:
            intent, conf = self._asked(probs, "save_contact")
        if (
            (intent == "update_task" or intent not in WRITE_INTENTS)
            and conf < self.cue_free_confidence
            and _TASK_CLOSED.search(text)
        ):
            # "The pricing sheet task for Corrib Dairies is complete.": a task closed
            intent, conf = self._asked(probs, "update_task")
            commanded = intent
        if intent in WRITE_INTENTS and commanded is None and _TO_THE_ROOM.match(text):
            return "unknown", max(probs.get("unknown", 0.0), 1 - conf), probs
        if intent in WRITE_INTENTS and _HOW_TO.match(text):
            # "how would I plan a campaign for at-risk accounts?": asks how, writes nothing
            return (*self._asked(probs, "help"), probs)
        if intent not in ("create_campaign", "help") and _OPENS_CAMPAIGN.match(text):
            # "could marketing set up an email campaign for the at-risk accounts": the ask is
            # the campaign, whichever segment it is for
            intent, conf = "create_campaign", max(probs.get("create_campaign", 0.0), conf)
        if commanded is not None and (intent != commanded or conf < self.intent_threshold):
            intent, conf = self._asked(probs, commanded)  # its own words said it
        if intent != "unknown":
            ref = _RECORD_NAMED.get(intent)
            if conf < self.intent_threshold and ref is not None and ref.search(text):
                # "Deal 5531 should be at 610k", "lead number 212 ... change status": the record
                # of the model's own guess is named by its number, which chatter never does
                conf = self.intent_threshold
            if conf < self.intent_threshold:
                return "unknown", max(probs.get("unknown", 0.0), 1 - conf), probs
            cue = _CUES_RE.get(intent)
            if (
                intent in WRITE_INTENTS
                and intent != commanded  # its command word is its cue
                and (conf < self.cue_free_confidence or intent in _ALWAYS_CUE)
                and cue is not None
                and not cue.search(norm_text)
                and not cue.search(unknown_words)  # a word the model does not know ("mailshot")
            ):
                instead = self._cued_instead(probs, intent, norm_text, unknown_words)
                if instead is None:
                    return "unknown", max(probs.get("unknown", 0.0), 1 - conf), probs
                intent, conf = instead
        return intent, conf, probs

    def _cued_instead(
        self, probs: dict[str, float], guessed: str, norm_text: str, unknown_words: str
    ) -> tuple[str, float] | None:
        """The runner-up write whose cue word the message has, when the guessed write has
        none: "The deal with X is lost" guessed a logged call, but "lost" is a deal's word. It
        must outrank `unknown` and hold a share of its own; its confidence stays its own, so
        the engine confirms it before writing."""
        floor = probs.get("unknown", 0.0)
        for name, prob in sorted(probs.items(), key=lambda kv: -kv[1]):
            if prob < max(floor, self.runner_up_min):
                return None
            if name == guessed or name not in WRITE_INTENTS:
                continue
            cue = _CUES_RE.get(name)
            if cue is not None and (cue.search(norm_text) or cue.search(unknown_words)):
                return name, prob
        return None

    def _asked(self, probs: dict[str, float], name: str) -> tuple[str, float]:
        """`name`, at least as confident as the threshold: its own words said it."""
        return name, max(probs.get(name, 0.0), self.intent_threshold)

    def _calibrated(self, cats: dict[str, float]) -> dict[str, float]:
        return calibrate(cats, self.temperature, self.unknown_bias)

    def _needs_names(self, intent: str) -> bool:
        return self._ner is not None and self.use_ner and intent in _NAME_INTENTS

    def _one(
        self,
        doc: Any,
        now: datetime,
        classified: tuple[str, float, dict[str, float]] | None = None,
        needs_object: bool = True,
    ) -> tuple[str, float, dict[str, Any]]:
        """Intent, confidence and entities of one ask."""
        from intents.extract import extract

        intent, conf, probs = classified or self.classify(doc)
        if classified is None and self._needs_names(intent):
            self._ner(doc)  # the recogniser runs only where a name is wanted
        entities = (
            extract(doc, intent, now, self._gazetteer, use_ner=self.use_ner)
            if intent != "unknown"
            else {}
        )
        needs = _NEEDS.get(intent) if needs_object else None
        if (
            needs
            and not any(k in entities for k in needs)
            and (
                conf < self.object_free_confidence
                or (intent in _REFERRING_WRITES and not _OBJECT_REFERENCE.search(doc_text(doc)))
            )
        ):
            # a write that names nothing to write to is not confident enough to guess
            intent, conf, entities = "unknown", max(probs.get("unknown", 0.0), 1 - conf), {}
        if (
            intent == "log_interaction"
            and conf <= self.intent_threshold
            and "customer" not in entities
            and "contact" not in entities
        ):
            # said only by its opening word ("texted my wife lol"): a log names whom it was with
            intent, conf, entities = "unknown", max(probs.get("unknown", 0.0), 1 - conf), {}
        if (
            intent == "log_interaction"
            and "customer_id" not in entities
            and _REMARK.match(doc_text(doc))
        ):
            # "that call w/ the permian guy was a disaster": a remark on a call, no record of one
            # (with a known customer it is one: "the call with Acme went well")
            intent, conf, entities = "unknown", max(probs.get("unknown", 0.0), 1 - conf), {}
        return intent, conf, entities

    def _asks(self, doc: Any, now: datetime) -> list[tuple[str, float, dict[str, Any], Any]]:
        """The separate asks of a compound message (empty when there is one ask)."""
        from intents.compound import split_asks

        text = doc_text(doc)
        ranges = split_asks(text)
        if len(ranges) < 2:
            return []
        docs = list(self.nlp.pipe([text[s:e] for s, e in ranges]))
        cls = [self._classify(d) for d in docs]
        # a part that is no request of its own, or asks the same again, joins the one before
        groups: list[list[int]] = []
        for k, (intent, conf, _) in enumerate(cls):
            if groups and (
                intent == "unknown"
                or (conf < self.compound_confidence and not _opens_with_cue(docs[k], intent))
                or (
                    intent == cls[groups[-1][0]][0]
                    and not self._another_record(docs[groups[-1][-1]], docs[k], intent, now)
                )
            ):
                groups[-1].append(k)
            else:
                groups.append([k])
        # a preamble ("right, so after a long morning, ...") is no ask of its own
        preamble = False
        while len(groups) > 1 and (
            cls[groups[0][0]][0] in ("unknown", "help")
            or (len(groups[0]) == 1 and _ONLY_A_NAME.fullmatch(docs[groups[0][0]].text.strip()))
        ):  # "Kellerman & Doyle - remind me thurs to ...": a name said first is no ask either
            groups.pop(0)
            preamble = True
        if len(groups) == 1 and preamble:
            # "well done on Kestrel, mark the deal won": the one ask after it says what the
            # message asks; its words are read in the whole message (the name is said before)
            g = groups[0]
            rest = docs[g[0]] if len(g) == 1 else self.nlp(text[ranges[g[0]][0] : ranges[g[-1]][1]])
            asked = cls[g[0]] if len(g) == 1 else self._classify(rest)
            if asked[0] != "unknown":
                if self._needs_names(asked[0]):
                    self._ner(doc)
                intent, conf, ents = self._one(doc, now, asked)
                return [(intent, conf, ents, doc)] if intent != "unknown" else []
        if len(groups) < 2:
            return []
        parts: list[tuple[Any, tuple[str, float, dict[str, float]]]] = []
        for g in groups:
            if len(g) == 1:
                parts.append((docs[g[0]], cls[g[0]]))
            else:
                merged = self.nlp(text[ranges[g[0]][0] : ranges[g[-1]][1]])
                parts.append((merged, self._classify(merged)))
        first = parts[0][1][0]
        if first not in WRITE_INTENTS and any(
            c[0] == "merge_customers" and _BACK_REFERENCE.search(d.text) for d, c in parts[1:]
        ):
            return []  # "X duplicates Y, combine them": one write about what the first part names
        wanted = [d for d, c in parts if self._needs_names(c[0])]
        if wanted:
            for _ in self._ner.pipe(wanted, batch_size=len(wanted)):
                pass
        out = []
        for k, (d, c) in enumerate(parts):
            # a later part may take its customer from an earlier one ("... move it to won")
            intent, conf, ents = self._one(d, now, c, needs_object=k == 0)
            out.append((intent, conf, ents, d))
        if out[0][0] == "unknown":
            return []
        return out

    def _read_then_remark(
        self, doc: Any, now: datetime, whole: str, probs: dict[str, float]
    ) -> list[tuple[str, float, dict[str, Any], Any]]:
        """A read asked plainly in the first clause, then a remark that is no ask ("leaderboard
        for the quarter pls, need to know if I'm buying the drinks on Friday"): the whole
        message, read unsurely, took its sense from the remark; the first clause alone says
        what is asked. Only a read: a write's remark is what it records."""
        text = doc_text(doc)
        if TEAM_ADDRESSED.match(text):
            return []  # "Feedback for finance - X want 60 day terms": what follows is the ask
        if not any(
            prob >= self.read_hint_min
            for name, prob in probs.items()
            if name not in WRITE_INTENTS and name not in ("unknown", "help")
        ):
            return []  # no read in sight: the first clause is not read again (a parse's cost)
        cut = next(
            (
                m
                for m in _CLAUSE_END.finditer(text)
                if m.start() >= 6 and len(text[m.end() :].split()) >= 3
            ),
            None,
        )
        if cut is None:
            return []
        first = self.nlp(text[: cut.start()])
        lead = self._classify(first)
        if (
            lead[0] == whole
            or lead[0] in WRITE_INTENTS
            or lead[0] in ("unknown", "help")
            or lead[1] < self.cue_free_confidence
        ):
            return []
        if self._needs_names(lead[0]):
            self._ner(first)
        intent, conf, ents = self._one(first, now, lead)
        return [(intent, conf, ents, first)] if intent != "unknown" else []

    def _another_record(self, before: Any, part: Any, intent: str, now: datetime) -> bool:
        """Whether a part that asks the same as the one before is a second ask of that kind
        ("cancel task 51 and move task 52 to Friday", "remind me to X, and remind Priyanka
        to Y"): each names its own record, by a number or by what to do, and they differ.
        Otherwise it goes on with the same ask ("mark the deal won, and set it to 40k")."""
        from intents.extract import extract

        keys = _OWN_RECORD.get(intent)
        if not keys:
            return False
        first = extract(before, intent, now, self._gazetteer, use_ner=False)
        second = extract(part, intent, now, self._gazetteer, use_ner=False)
        return any(k in first and k in second and first[k] != second[k] for k in keys)

    def _result(
        self,
        raw: str,
        doc: Any,
        now: datetime,
        classified: tuple[str, float, dict[str, float]] | None = None,
    ) -> ParseResult:
        also: list[Ask] = []
        try:
            intent, conf, entities = self._one(doc, now, classified)
            asks = self._asks(doc, now) if intent != "unknown" or len(doc) > 6 else []
            if not asks and conf < self.cue_free_confidence and classified is not None:
                asks = self._read_then_remark(doc, now, intent, classified[2])
            if asks:
                carry_over(asks)
                whole_intent, whole_conf = intent, conf
                intent, conf, entities, _ = asks[0]
                if intent == whole_intent:
                    # the first part alone is short ("called umbrella, they agreed to 35k") and
                    # reads half like the next ask; the whole message says which ask leads
                    conf = max(conf, whole_conf)
                also = [
                    {"intent": i, "confidence": round(float(c), 3), "entities": e}
                    for i, c, e, _ in asks[1:]
                ]
        except Exception:  # noqa: BLE001 - a parser never raises on user text
            if self.raise_errors:
                raise
            intent, conf, entities, also = "unknown", 0.0, {}, []
        if "w/" in raw.lower() or " @ " in raw:
            for ents in [entities, *(a["entities"] for a in also)]:
                as_written(ents, raw)
        result: ParseResult = {
            "text": raw,
            "intent": intent,
            "confidence": round(float(conf), 3),
            "entities": entities,
        }
        if also:
            result["also"] = also
        return result


# "remind me who owns X?" asks who owns X; "remind me never to ... again" is a sigh; "I need
# a reminder to ..." asks for one, whatever else the sentence reads like.
_REMIND_QUESTION = re.compile(
    r"^\W*(?:(?:can|could|would)\s+(?:you|u)\s+)?(remind\s+me)\s+"
    r"(?=(?:who|whom|whose|what|what's|which|where|how|why)\b)",
    re.IGNORECASE,
)
_REMIND_NEVER = re.compile(r"\bremind\s+me\s+never\b", re.IGNORECASE)
# "Kellerman & Doyle - remind me thurs to chase the signed terms": whatever comes before it
_REMIND_TO = re.compile(
    r"\b(?:remind|nudge)\s+(?:me|us|<@\w+>|@[\w.-]+)\s+(?:[\w/.:-]+\s+){0,4}?to\s+[a-z]",
    re.IGNORECASE,
)
_ASKS_REMINDER = re.compile(
    r"\b(?:need|want|like|set|create|make|add|put in|pop in|schedule)\s+(?:me\s+)?"
    r"(?:a\s+|an\s+|one\s+|another\s+)?(?:quick\s+)?reminder\b",
    re.IGNORECASE,
)
# A sentence about an interaction, not a record of one: "the/that <kind> ... was/went" and a
# few words that end it, with no command word ("note: the call was ..." is a note) and nothing
# said after ("the demo went fine, they want a trial" is a record).
_REMARK = re.compile(
    r"^\W*(?:that|the|this|today'?s|yesterday'?s|our|my)\s+(?:[\w'-]+\s+){0,2}?"
    r"(?:call|calls|meeting|meetings|demo|chat|catch-?up|visit|pitch|presentation)\b"
    r"(?!.*\b(?:log|logged|note|noted|record|jot|add|save|remind|follow)\b)"
    r".*\b(?:was|were|went|is)\s+(?:[\w'-]+\s*){1,3}"
    r"(?:\W*\b(?:lol|lmao|haha|ugh|tbh|honestly|man|mate))*[\W_]*$",
    re.IGNORECASE,
)
# A part that is only a capitalised name ("Kellerman & Doyle -", "Re Acme Ltd:").
_ONLY_A_NAME = re.compile(
    r"(?:(?i:re|for|fyi)\s*:?\s+)?[A-Z][\w'’.]*(?:\s+(?:&|and|of|de|la)\s+[A-Z][\w'’.]*|"
    r"\s+[A-Z0-9][\w'’.]*){0,5}\s*[-–—:,]*"
)
# A contact's new number or address, said with the number or address.
_NEW_DETAIL = re.compile(
    r"\b(?:new|updated|changed|correct)\s+"
    r"(?:cell|mobile|mob|number|phone|ph|email|e-mail|address|direct line)\b"
    # "the phone of Conceição is (19) 99812-3344", "her mobile is now 0803...", "email: x@y"
    r"|\b(?:cell|mobile|phone|number|email|e-mail|whatsapp)(?:\s+(?:of|for)\s+[^.?!,]{1,40}?)?"
    r"\s*(?:\b(?:is|is now|now|na)\b|:)",
    re.I,
)
# A task said to be finished: "the X task is complete", "that follow-up's done".
_TASK_CLOSED = re.compile(
    r"\b(?:task|reminder|to-?do|follow[- ]?up)\b[^.?!]{0,60}?(?:\b(?:is|was|are|has been)|['’]s)\s+"
    r"(?:now\s+|all\s+)?(?:complete|completed|done|finished|sorted|closed|cancell?ed|canceled)\b",
    re.IGNORECASE,
)
# A courtesy before the ask ("Please kindly tell me the weighted forecast of Q4", "I would like
# to kindly request to make a deal ...", "Kindly remind Nakamura-san ..."): formal writers wrap
# the ask in words the classifier reads as chatter; what follows them is the ask.
# nothing but courtesy before an ask ("pls ", "can you ", "and ")
# after a team addressed ("Feedback for finance - "), three words or more: something said
_SAID_AFTER_ADDRESS = re.compile(r"[:\-–—,]\s*\S+\s+\S+\s+\S+")
_COURTESY_ONLY = re.compile(r"\W*(?:(?:can|could|would|will|you|u|pls|plz|please|just|and)\W+)*")
_COURTESY = re.compile(
    r"^\W*(?:(?:hi|hello|dear|good morning|ok|so)\W+)*(?:(?:please|pls|plz|kindly|"
    r"i\s+(?:would|'d)\s+like\s+to(?:\s+kindly)?(?:\s+(?:request|ask)(?:\s+(?:you|for))?"
    r"(?:\s+to)?)?|"
    r"i\s+want\s+to|may\s+i|(?:can|could|would|will)\s+(?:you|u)|"
    r"(?:tell|show|give|let|send)\s+me|(?:know|see|have|get|check)(?:\s+(?:about|on))?)\W+)+",
    re.IGNORECASE,
)
# Asks the classifier reads as chatter but whose words say what they are (whole messages
# left unknown): a merge of two records, a forecast over a period, a message had with someone.
_MERGE_ASK = re.compile(
    r"\b(?:merge|merged|merging|combine|combined|dedupe|deduplicate)\b.*\b(?:into|to|with)\b",
    re.IGNORECASE,
)
_FORECAST_ASK = re.compile(
    r"\b(?:the|our|my|a|weighted|sales|team'?s?|\w+'s|know|see|get|show|send|need|me)\s+"
    r"forecast\b.*\b(?:q[1-4]|quarter|fiscal|half|h[12]|month|year|team|reps?|jan\w*|feb\w*|"
    r"mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*)\b",
    re.IGNORECASE,
)
_WEATHER = re.compile(
    r"\b(?:weather|rain|snow|sunny|storm|temperature|degrees|wind|forecast(?:ing)? says)\b", re.I
)
_LOGGED_FROM = re.compile(
    r"^\W*(?:(?:an?|the)\s+)?(?:line|whatsapp|wechat|sms|text|txt|email|e-mail|mail|voicemail|"
    r"vm|call|phone call|message|msg)(?:\s+message)?\s+(?:from|with)\s+\S",
    re.IGNORECASE,
)
# A deal's outcome or new stage said of a named deal: "lost Glen Fearnoch, they've gone with ...",
# "Duncan's Garage is lost, they went with a franchise", "the deal of Grupo Vértice passed to
# negotiation". Said so, the message is the deal's update, however much of a call it tells.
_DEAL_OUTCOME = re.compile(
    r"^\W*(?:(?:great|good|big|bad|sad)\s+news\W+|(?:yay|woo+|boom|ugh|argh)\W+)?(?:we\s+)?"
    r"(?:(?:won|lost)\s+(?:the\s+)?(?:(?:deal|opp(?:ortunity)?)\s+(?:with|for|at|of|on)\s+)?"
    r"(?-i:[A-Z0-9#])"
    r"|(?:the\s+)?(?:deal|opp(?:ortunity)?)\s+(?:of|with|for|at)\s+[^,.;!?]{2,60}?\s+"
    r"(?:passed|moved|went|got|is|has\s+(?:moved|gone))\s+(?:in)?to\s+(?:the\s+)?"
    r"(?:" + "|".join(STAGE) + r")\b"
    r"|(?-i:[A-Z0-9])[^,.;!?]{1,60}?\s+(?:is|was|has\s+been)\s+(?:closed[- ])?(?:won|lost)\b)",
    re.IGNORECASE,
)
# a customer's words reported ("X says", "they asked", "Y complained that")
_REPORTED_SAYING = re.compile(
    r"\b(?:says|said|say|asks|asked|asking|wants|wanted|complain(?:s|ed|ing)?|mentioned|reports?|"
    r"reported|told\s+(?:me|us))\b",
    re.I,
)
# Where a message's first clause ends: a comma, a sentence's end, a dash between words.
_CLAUSE_END = re.compile(r"[,;.!?]+\s+|\s+[-–—]+\s+|\s*\(")
# A question of how to do something with the bot.
_HOW_TO = re.compile(
    r"^\W*(?:(?:hi|hey|ok|so|quick question|sorry)\W+)*how\s+(?:do|would|can|could|should|"
    r"shall|might)\s+(?:i|we|you|u|one)\b|^\W*how\s+to\b",
    re.IGNORECASE,
)
# A question put to the room: talk among people, no ask of the bot ("does anybody know a good
# restaurant near ...?", "did anyone see the new Moniepoint ad?"). ("I think we should merge X
# into Y" is an ask, politely put.)
_TO_THE_ROOM = re.compile(
    r"^\W*(?:(?:hi|hey|ok|so|guys|team|folks|all)\W+)*(?:"
    r"(?:does|did|has|have|is|was|can|could|will|would)\s+(?:any|some|every)(?:body|one)\b)",
    re.IGNORECASE,
)
# A message that opens by asking for a campaign (after politeness and a subject).
_OPENS_CAMPAIGN = re.compile(
    r"^\W*(?:(?:hi|hey|ok|okay|so|pls|please|could|can|would|will|shall|let's|lets|we|you|u|"
    r"i'd|i|like|want|need|to|marketing|someone|also|kindly)\W+)*"
    r"(?:set up|setup|set-up|plan|run|create|launch|start|schedule|build|organi[sz]e|kick off|"
    r"put together|draft|prepare)\s+(?:(?:a|an|the|our|new|another|quick|small|big)\s+)*"
    r"(?:[\w-]+\s+){0,3}?(?:campaign|mailer|mailshot|emailing|newsletter|e-?blast|drip|"
    r"outreach)\b",
    re.IGNORECASE,
)
# Praise for a colleague, with no command or question word after it.
_PRAISE = re.compile(
    r"^\W*(?:[A-Z][\w'-]*,?\s+)?(?:(?:great|good|nice|awesome|brilliant|amazing|fantastic|"
    r"cracking|solid)\s+(?:job|work|stuff|effort|going)|well done|congrats|congratulations|"
    r"kudos|shout-?out)\b"
    r"(?!.*\b(?:log|logged|note|record|jot|add|save|remind|mark|move|update|set|create|show|"
    r"list|pull|what|who|which|how)\b)",
    re.IGNORECASE,
)
# What tells two asks of one kind apart in one message: the record each names, by its number
# or, for reminders, by what to do (names need the recogniser; they are not compared).
_OWN_RECORD: dict[str, tuple[str, ...]] = {
    "update_task": ("task_id",),
    "update_deal": ("deal_id",),
    "update_lead": ("lead_id",),
    "set_reminder": ("text",),
}
# Writes about one record that name nothing and point at nothing ("won the lottery!!") are no
# writes, however confident; "mark it won" points back at the record (the engine asks which one).
_REFERRING_WRITES = frozenset({"update_deal", "update_lead"})
_OBJECT_REFERENCE = re.compile(
    r"\b(?:it|this|that|them|they|their|the (?:deal|opp|opportunity|lead|account)|this one|"
    r"that one)\b",
    re.IGNORECASE,
)
_BACK_REFERENCE = re.compile(r"\b(?:them|it|they|those|these|this|that)\b", re.IGNORECASE)
_SAME_TIME = re.compile(r"\b(?:the\s+)?same\s+(?:day|time|date|morning|afternoon)\b", re.I)
# intents whose entities include a name (the recogniser runs for these only)
_NAME_INTENTS = frozenset(
    i for i, keys in INTENT_KEYS.items() if {"customer", "contact", "into"} & set(keys)
)
# intents that take a name said in an earlier part of the message ("called Acme, mark it won")
_TAKES_CARRIED_NAME = frozenset(
    {
        "log_interaction",
        "customer_history",
        "create_lead",
        "assign_lead",
        "create_deal",
        "update_deal",
        "log_feedback",
        "update_lead",
        "save_contact",
    }
)
# ... and those that take it when they point back at it ("remind Priya to send them the
# pricing", "what deals do they have open"; a reminder that does not is as often about
# something else)
_TAKES_NAME_POINTED_AT = frozenset({"set_reminder", "list_deals"})
_POINTS_BACK = re.compile(r"\b(?:them|they|their|theirs|it|its)\b", re.IGNORECASE)


def _opens_with_cue(doc: Any, intent: str) -> bool:
    """A part that opens (after "and", "also", "please"...) by asking for a reminder or by giving
    the lead to someone ("also remind me on Thursday to ...", "and please assign it to Marcus")
    is an ask of its own, however unsure the classifier is of a part said alone."""
    if intent == "assign_lead":
        return bool(_GIVE_IT_TO.match(doc_text(doc)))
    if intent != "set_reminder":
        return False
    for tok in doc:
        if tok.lower_ in FILLERS or not tok.is_alpha:
            continue
        return tok.lower_ in ("remind", "nudge")
    return False


def carry_over(asks: list[tuple[str, float, dict[str, Any], Any]]) -> None:
    """A customer or contact said once carries over to the later asks that need one; so does an
    amount said before a deal update ("they agreed to 35k, move the deal to negotiation"), and
    a time, to a later ask that says it is the same ("remind Priyanka the same day")."""
    from intents.extract import looks_like_person, parse_amount

    seen: dict[str, Any] = {}
    amount: float | int | None = None
    for intent, _, ents, doc in asks:
        keys = INTENT_KEYS.get(intent, ())
        if intent in _TAKES_CARRIED_NAME or (
            intent in _TAKES_NAME_POINTED_AT and _POINTS_BACK.search(doc_text(doc))
        ):
            if (
                "customer" in seen
                and "contact" in keys
                and "contact" not in ents
                and isinstance(ents.get("customer"), str)
                and ents["customer"] != seen["customer"]
                and looks_like_person(ents["customer"])
            ):
                # "Hokuto Foods renewal is won, also log that I emailed Kenji": a person alone
                # in a later ask is the contact of the customer said before
                ents["contact"] = ents.pop("customer")
                ents.pop("customer_id", None)
            for key in ("customer", "contact"):
                if key in keys and key not in ents and key in seen:
                    ents[key] = seen[key]
                    if key == "customer" and "customer_id" in seen:
                        ents["customer_id"] = seen["customer_id"]
        if intent in ("update_deal", "create_deal") and "amount" not in ents and amount:
            ents["amount"] = amount
        if (
            "when" in keys
            and "when" not in ents
            and "when" in seen
            and _SAME_TIME.search(doc_text(doc))
        ):
            ents["when"] = seen["when"]  # "..., and remind Priyanka the same day to ..."
        if "when" in ents:
            seen["when"] = ents["when"]
        for key in ("customer", "customer_id", "contact"):
            if key in ents:
                seen[key] = ents[key]
        if "amount" not in keys:
            for sp in doc.spans.get("crm", []):
                if sp.label_ == "AMOUNT":
                    value = parse_amount(sp.text)
                    if value and value >= 100:
                        amount = value
                        break


def calibrate(
    cats: dict[str, float], temperature: float = 1.0, unknown_bias: float = 0.0
) -> dict[str, float]:
    """Temperature scaling, and a log-odds offset on `unknown` (both fitted on held-out data)."""
    if abs(temperature - 1.0) < 1e-6 and not unknown_bias:
        return dict(cats)
    logs = {k: math.log(max(v, 1e-12)) / temperature for k, v in cats.items()}
    if "unknown" in logs:
        logs["unknown"] -= unknown_bias
    mx = max(logs.values())
    exps = {k: math.exp(v - mx) for k, v in logs.items()}
    total = sum(exps.values())
    return {k: v / total for k, v in exps.items()}


__all__ = ["INTENTS", "Ask", "ModelMissingError", "ParseResult", "Parser", "clean_text"]
