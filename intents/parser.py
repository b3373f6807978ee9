"""The intent parser: text -> {"text", "intent", "confidence", "entities"} (../shared/INTENTS.md)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from intents.vocab import INTENTS, WRITE_INTENTS

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
    r"^\s*(?:(?:<@[A-Za-z0-9]+(?:\|[^>]*)?>|@crm_?bot\b|@bot\b|crmbot\b)[\s,:;-]*)+(?!\s*(?:should|can|could|will|would|takes?|gets?|owns?|is|'s|needs|wants|to\b))",
    re.IGNORECASE,
)
_WS_RE = re.compile(r"\s+")
_BOT_HANDLE_RE = re.compile(r"(?<![\w.])@crm_?bot\b[,:]?", re.IGNORECASE)

# A write intent also needs one of its cue words (over normalised tokens); otherwise `unknown`.
_CUES = {
    "log_interaction": r"\b(?:log|logged|logging|record|recorded|had|did|just|call|called|phoned|rang|ring|email|emailed|"
    r"meeting|meet|met|demo|demoed|note|notes|message|messaged|pinged|texted|spoke|talked|sync|lunch|coffee|"
    r"visit|visited|jot|add|zoom|catch|dm|dm'd|chat|chatted|got|presented|presentation|walkthrough|mail|mailed|"
    r"tour|follow|went|spent|sat|caught|gave|ran|wrote|reached)\b",
    "create_lead": r"\b(?:lead|leads|prospect|prospects|inbound|interested)\b",
    "assign_lead": r"\b(?:assign|assigned|reassign|give|hand|handed|transfer|move|take|own|route|distribute|share|split|"
    r"allocate|spread|put|let|goes|dish|want|round|evenly|equally)\b",
    "create_deal": r"\b(?:deal|deals|opp|opps|opportunity|opportunities|buy)\b",
    "update_deal": r"\b(?:won|lost|win|signed|stage|negotiation|negotiating|proposal|qualification|prospecting|discovery|"
    r"amount|probability|close|closing|closed|slipped|slip|push|pushed|bump|bumped|update|set|change|move|"
    r"moved|moves|mark|now|__amount__|%|percent|fell|dead|likely|deal|revise|entered|went|is|at|__num__)\b",
    "set_reminder": r"\b(?:remind|reminder|reminders|nudge|ping|forget|remember)\b",
    "set_alert": r"\b(?:alert|alerts|notify|notified|tell|let|warn|ping|heads|when|if|whenever|notification|as soon)\b",
    "create_campaign": r"\b(?:campaign|campaigns|blast|push|outreach|newsletter|mailing|drip|sequence)\b",
    "log_feedback": r"\b(?:feedback|want|wants|wanted|asked|asking|ask|request|requested|requests|complain|complained|"
    r"complaint|complains|need|needs|like|love|tell|pass|flag|let|forward|suggest|suggested|suggestion|bug)\b",
}
_CUES_RE = {k: re.compile(v) for k, v in _CUES.items()}
# These writes always need one of their cue words, however confident the classifier is.
_ALWAYS_CUE = frozenset({"set_reminder", "set_alert", "create_campaign"})
# Writes that need an object: without one of these keys (and below cue_free_confidence) -> unknown.
_NEEDS = {
    "update_deal": ("customer",),
    "log_feedback": ("customer", "text"),
    "assign_lead": ("customer", "contact", "strategy", "assignee"),
}


def clean_text(text: str) -> str:
    """What the pipeline sees: bounded, without control characters, emoji, the leading bot mention."""
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
    t = _WS_RE.sub(" ", t).strip()
    if len(t) > MAX_CHARS:
        cut = t.rfind(" ", 0, MAX_CHARS)
        t = t[: cut if cut > MAX_CHARS // 2 else MAX_CHARS]
    return t


class ModelMissingError(RuntimeError):
    pass


class Parser:
    """Chat text -> the intent contract. Build with ``Parser.load()``."""

    def __init__(self, nlp: Any, meta: dict | None = None) -> None:
        self.nlp = nlp
        self.meta = meta or {}
        self.temperature: float = float(self.meta.get("temperature", 1.0))
        self.intent_threshold: float = float(self.meta.get("intent_threshold", 0.5))
        self.known_ratio_min: float = 0.34
        self.cue_free_confidence: float = 0.95  # a write below this also needs one of its cue words
        self.object_free_confidence: float = 0.99  # ... and below this, something to write to
        self.unknown_bias: float = float(self.meta.get("unknown_bias", 0.0))
        self.raise_errors: bool = False  # tests set it: a bug must not hide behind `unknown`
        self._gazetteer = (
            nlp.get_pipe("crm_gazetteer") if "crm_gazetteer" in nlp.pipe_names else None
        )
        self._normalizer = nlp.get_pipe("crm_normalizer")
        self._known = set(self._normalizer.vocab_words)
        from intents.extract import set_known_vocabulary

        set_known_vocabulary(self._known)
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
        nlp = spacy.load(path)
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
    def parse(self, text: str, *, now: datetime | None = None) -> dict:
        return next(self.parse_many([text], now=now, batch_size=1))

    def parse_many(
        self, texts: Iterable[str], *, now: datetime | None = None, batch_size: int = 256
    ) -> Iterator[dict]:
        now = self._now(now)
        originals: list[str] = []

        def cleaned() -> Iterator[str]:
            for raw in texts:
                raw = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
                originals.append(raw)
                yield clean_text(raw)

        idx = 0
        for doc in self.nlp.pipe(cleaned(), batch_size=batch_size):
            raw = originals[idx]
            originals[idx] = ""  # free memory on long streams
            idx += 1
            yield self._result(raw, doc, now)

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
        cats = doc.cats
        if not cats or not len(doc):
            return "unknown", 1.0, {}
        probs = self._calibrated(cats)
        intent = max(probs, key=probs.get)
        conf = probs[intent]
        norms = []
        n_alpha = n_lower = n_known = 0
        known = self._known
        for t in doc:
            norm = t.norm_
            norms.append(norm)
            if t.is_alpha:
                n_alpha += 1
                if not t.text[:1].isupper() and norm != "__person__":
                    n_lower += 1
                    n_known += norm in known or norm[:2] == "__"
        norm_text = " ".join(norms)
        if not n_alpha:
            return "unknown", max(conf if intent == "unknown" else 1 - conf, 0.9), probs
        if n_lower >= 3 and n_known / n_lower < self.known_ratio_min:
            return "unknown", max(probs.get("unknown", 0.0), 1 - conf), probs
        text = doc.text
        if not text.isascii():
            letters = sum(map(str.isalpha, text))
            ascii_letters = sum(1 for c in text if c.isascii() and c.isalpha())
            if letters and ascii_letters / letters < 0.5:
                return "unknown", max(probs.get("unknown", 0.0), 1 - conf), probs
        if intent != "unknown":
            if conf < self.intent_threshold:
                return "unknown", max(probs.get("unknown", 0.0), 1 - conf), probs
            cue = _CUES_RE.get(intent)
            if (
                intent in WRITE_INTENTS
                and (conf < self.cue_free_confidence or intent in _ALWAYS_CUE)
                and cue is not None
                and not cue.search(norm_text)
            ):
                return "unknown", max(probs.get("unknown", 0.0), 1 - conf), probs
        return intent, conf, probs

    def _calibrated(self, cats: dict[str, float]) -> dict[str, float]:
        return calibrate(cats, self.temperature, self.unknown_bias)

    def _result(self, raw: str, doc: Any, now: datetime) -> dict:
        from intents.extract import extract

        try:
            intent, conf, probs = self.classify(doc)
            entities = extract(doc, intent, now, self._gazetteer) if intent != "unknown" else {}
            needs = _NEEDS.get(intent)
            if (
                needs
                and not any(k in entities for k in needs)
                and conf < self.object_free_confidence
            ):
                # a write that names nothing to write to is not confident enough to guess
                intent, conf, entities = "unknown", max(probs.get("unknown", 0.0), 1 - conf), {}
        except Exception:  # noqa: BLE001 - a parser never raises on user text
            if self.raise_errors:
                raise
            intent, conf, entities = "unknown", 0.0, {}
        return {
            "text": raw,
            "intent": intent,
            "confidence": round(float(conf), 3),
            "entities": entities,
        }


def calibrate(
    cats: dict[str, float], temperature: float = 1.0, unknown_bias: float = 0.0
) -> dict[str, float]:
    """Temperature scaling, and a log-odds offset on `unknown` (both fitted on held-out templates)."""
    if abs(temperature - 1.0) < 1e-6 and not unknown_bias:
        return dict(cats)
    logs = {k: math.log(max(v, 1e-12)) / temperature for k, v in cats.items()}
    if "unknown" in logs:
        logs["unknown"] -= unknown_bias
    mx = max(logs.values())
    exps = {k: math.exp(v - mx) for k, v in logs.items()}
    total = sum(exps.values())
    return {k: v / total for k, v in exps.items()}


__all__ = ["INTENTS", "ModelMissingError", "Parser", "clean_text"]
