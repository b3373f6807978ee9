"""Build (train) the shipped intent model and evaluate it on the held-out split.

    python -m intents.train [--seed N] [--output intents/model]      (same as `crmbot train`)

Reproducible: the data files are fixed (regenerate with ``python -m intents.data.generate``),
training uses a fixed seed and a deterministic order, so the same seed gives the same model.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import shutil
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from intents.ner import NER_EPOCHS
from intents.parser import MODEL_DIR, Parser, clean_text
from intents.registry import INTENT_KEYS, INTENTS, WRITE_INTENTS

DATA_DIR = Path(__file__).resolve().parent / "data"
VOICES_DIR = DATA_DIR / "voices"
# Natural messages written by people in distinct voices (intents/data/voices/<voice>.jsonl). A voice
# is wholly in training or wholly held out; a voice not listed here is held out.
TRAIN_VOICES = (
    "field_rep_phone",
    "ops_admin_formal",
    "customer_success",
    "exec_terse",
    "startup_founder",
    "support_engineer",
    "smb_owner",
    "sdr_lowercase",
    "phone_dictation",
    "revops_analyst",
    # held out until session 25, their errors having guided rules (see HELD_OUT_VOICES):
    # trained on, they raised the fresh voices' intent accuracy by 1.5 to 2.5 points over the
    # same training without them (seeds 7 and 8), and left the four voices below where a
    # retrained model puts them
    "insurance_team_lead",
    "mobile_logistics_sdr",
    "hospitality_account_manager",
    "german_key_account",
    "proptech_inside_sales",
    "farm_equipment_dealer",
    "bangalore_saas_inside_sales",
    "medtech_vp_sales",
    # held out in sessions 25 and 26, their errors having guided rules; trained on since
    # session 27 (more voices, better on the fresh ones: see intents/README.md)
    "auto_fleet_sales",
    "sydney_recruitment_consultant",
    "french_wine_exporter",
    "nz_building_supplies_rep",
    "texas_solar_installer",
    "osaka_trading_company",
    # held out in sessions 27 and 28 (fresh the session before), their errors having guided
    # rules; trained on since session 29: on the seven voices held out of both models, intent
    # 0.958 -> 0.965 (seed 8; 0.962 with seed 7)
    "dubai_luxury_property_broker",
    "dublin_pharma_distributor",
    "midwest_hvac_contractor",
    "lagos_fintech_bd",
    "sao_paulo_partner_manager",
    "toronto_dental_supplies_rep",
)
# Five voices written for training in session 29 (Manila, Nairobi, Mexico City, Stockholm,
# Brianza) were tried and left out: trained on, the ten held-out voices lost 0.5 to 1.1 points
# of intent (seeds 8 and 7). Never looked at, they are scored as fresh voices instead.
# Voices held out of training and looked at when rules were written: their figures guide the
# work. Any other voice file is fresh: written after the rules, never looked at, it is scored
# on its own (`voice_rows(fresh=True)`, bench/bench_parser.py) as the honest figure.
HELD_OUT_VOICES = (
    "enterprise_ae",
    "non_native_rep",
    "sales_manager",
    "uk_regional_manager",
    # fresh in session 28 (errors never looked at), held out in session 29, when their errors
    # guided rules
    "warsaw_freight_forwarder",
    "speyside_distillery_trade_sales",
    "singapore_components_distributor",
    # written in session 29 from INTENTS.md alone, held out at once: their errors guide rules
    "cairo_medical_devices_distributor",
    "boston_biotech_reagents_rep",
    "hanoi_garment_sourcing_agent",
)
# Voices written at the end of a session, kept out of every figure until the next round takes
# them up: two writers who mix Spanish or French into English (session 29, to study the two
# fresh voices that do so and score 0.65). The Barcelona writer's errors were read: many of
# those messages are wholly Spanish, which the parser does not read.
PARKED_VOICES = ("barcelona_hotel_supplies_rep", "lyon_industrial_pumps_sales")
VOICE_WEIGHT = 3
DEFAULT_SEED = 8  # the shipped model's (seeds move accuracy by a point or two either way)
EPOCHS = 12
NGRAM = 2
BOW_LENGTH = 32768  # hashed n-gram table rows: 32768 x 18 floats = 2.4 MB on disk


# Rarer English words (Zipf 2.5 to 3: "casks", "pallets", "cask") are kept from typo correction
# but, unlike the common ones, still count as possible names ("moretti", "acme" are in the band)
RARE_ZIPF = 2.5
ENGLISH_ZIPF = 3.0  # the common words, which are no names either
REFERENCE_NOW = datetime.fromisoformat("2026-11-23T10:00:00+01:00")  # data files' default "now"


def read_jsonl(path: Path) -> tuple[datetime, list[dict]]:
    """Rows of a data file, and the reference time its relative dates resolve against."""
    now = REFERENCE_NOW
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            obj = json.loads(line)
            if "now" in obj and "text" not in obj:
                now = datetime.fromisoformat(obj["now"])
                continue
            rows.append(obj)
    return now, rows


def voice_rows(held_out: bool = False, *, fresh: bool = False) -> dict[str, list[dict]]:
    """The voice files' rows by voice: the training voices, the held-out ones, or (`fresh`)
    the voices that are neither."""
    out: dict[str, list[dict]] = {}
    if not VOICES_DIR.exists():
        return out
    for path in sorted(VOICES_DIR.glob("*.jsonl")):
        voice = path.stem
        if voice in PARKED_VOICES:
            continue
        known = voice in TRAIN_VOICES or voice in HELD_OUT_VOICES
        if fresh:
            if known:
                continue
        elif (voice in TRAIN_VOICES) == held_out or not known:
            continue
        _, rows = read_jsonl(path)
        out[voice] = [r for r in rows if r.get("intent") in INTENTS and "text" in r]
    return out


# deliberate typos in some training templates: they must stay correctable, not become vocabulary
TYPO_WORDS = {
    "lgo",
    "neww",
    "asign",
    "lsit",
    "nwe",
    "udpate",
    "piepline",
    "forcast",
    "remidn",
    "waht's",
    "alret",
    "campaing",
    "custmers",
    "leaderbord",
    "hlep",
    "fedback",
    "whats",
}


def template_vocabulary() -> set[str]:
    """Words of the training templates and chatter (not the slot values such as company names)."""
    from intents import vocab
    from intents.data import generate as g

    words: set[str] = set()

    def add(text: str) -> None:
        for w in re.findall(r"[a-z][a-z'-]*[a-z]|[a-z]", text.lower()):
            words.add(w)

    for by_split in g.T.values():
        for tpl in by_split["train"]:
            add(g.SLOT_RE.sub(" ", tpl))
    for lst in (
        g.PREFIXES["train"],
        g.SUFFIXES["train"],
        g.RAMBLE["train"],
        g.UNKNOWN_TEMPLATES["train"],
    ):
        for t in lst:
            add(g.SLOT_RE.sub(" ", t))
    for line in (DATA_DIR / "unknown_chatter.txt").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            add(line)
    tables: tuple[dict[str, list[tuple[str, str]]], ...] = (
        g.KIND_NOUN,
        g.KIND_PLURAL,
        g.KIND_VERB,
        g.STAGES_UPDATE,
        g.SEGMENTS,
        g.METRICS,
        g.COMPARATORS,
        g.CHANNELS,
        g.STRATEGIES,
        g.GROUPS,
        g.TEAMS,
        g.STATUSES,
    )
    for table in tables:
        for surface, _ in table["train"]:
            add(surface)
    for lst in (
        g.PAST_DATES["train"],
        g.FUTURE_DATES["train"],
        g.PERIODS["train"],
        g.SUMMARIES["train"],
        g.FEEDBACK_TEXTS["train"],
        g.SOURCES["train"],
        g.THINGS["train"],
        g.LANGS["train"],
    ):
        for t in lst:
            add(t)
    for tpl in g.REMINDER_TEXTS["train"]:
        add(tpl.replace("{C}", " "))
    vocab_tables: tuple[dict[str, list[str]], ...] = (
        vocab.KIND,
        vocab.STAGE,
        vocab.LEAD_STATUS,
        vocab.SEGMENT,
        vocab.METRIC,
        vocab.COMPARATOR,
        vocab.CHANNEL,
        vocab.STRATEGY,
        vocab.GROUP_BY,
        vocab.TEAM,
    )
    for vtable in vocab_tables:
        for phrases in vtable.values():
            for p in phrases:
                add(p)
    from intents.extract import COMMON_WORDS

    words |= set(COMMON_WORDS)
    words -= {w.lower() for w in g.PERSONS["train"] for w in w.split()}
    words -= TYPO_WORDS
    return {w for w in words if len(w) >= 2 or w in ("a", "i")}


def english_words(min_zipf: float = ENGLISH_ZIPF, max_zipf: float = math.inf) -> list[str]:
    """Known English words (wordfreq, Zipf >= 3: about 29,000): typo correction leaves them be.
    With ``max_zipf``, only the words below it (the rare band kept from correction alone)."""
    from wordfreq import iter_wordlist, zipf_frequency

    words = []
    for w in iter_wordlist("en"):
        zipf = zipf_frequency(w, "en")
        if zipf < min_zipf:
            break
        if zipf >= max_zipf:
            continue
        if w.isascii() and w.replace("'", "").replace("-", "").isalpha():
            words.append(w)
    return sorted(words)


def build_nlp() -> Any:
    import spacy

    from intents.components import use_numpy_matmul

    use_numpy_matmul()  # before the models are made: they keep the ops current then
    nlp = spacy.blank("en")
    # "Wed" is a weekday (or the start of "Wed Design Studio"), not "We'd"
    tokenizer: Any = nlp.tokenizer
    rules = dict(tokenizer.rules or {})
    for key in ("Wed", "wed", "WED"):
        rules.pop(key, None)
    tokenizer.rules = rules
    # legal forms with a slash or a dot are one token: "Frederiksen & Nørgaard A/S", "Fırat Şti."
    for form in ("A/S", "a/s", "S/A", "s/a", "Ltda.", "ltda.", "Tic.", "tic.", "San.", "san.",
                 "Şti.", "şti.", "S.p.A.", "s.p.a.", "Co-op", "co-op", "Co-Op",
                 "CO-OP"):  # fmt: skip
        tokenizer.add_special_case(form, [{"ORTH": form}])
    nlp.add_pipe("crm_merge")
    nlp.add_pipe("crm_normalizer")
    nlp.add_pipe("crm_gazetteer")  # before textcat: known customers become "__customer__" for it
    nlp.add_pipe(
        "textcat",
        config={
            "model": {
                "@architectures": "crmbot.TextCatBOWNorm.v1",
                "exclusive_classes": True,
                "ngram_size": NGRAM,
                "length": BOW_LENGTH,
            }
        },
    )
    nlp.add_pipe("crm_entities")
    normalizer: Any = nlp.get_pipe("crm_normalizer")
    normalizer.set_vocabulary(template_vocabulary())
    normalizer.set_english(english_words())
    use_numpy_matmul(nlp)
    return nlp


def _prep(
    nlp: Any, texts: Iterable[str], customers: Sequence[str | None] | None = None, seed: int = 0
) -> list[Any]:
    """Docs as textcat sees them. With ``customers``, half of the known names are marked as a
    gazetteer hit ("__customer__"), as they will be when the engine sets the gazetteer."""
    merge = nlp.get_pipe("crm_merge")
    norm = nlp.get_pipe("crm_normalizer")
    rng = random.Random(seed)
    docs = []
    for i, t in enumerate(texts):
        doc = norm(merge(nlp.make_doc(clean_text(t))))
        name = customers[i] if customers is not None else None
        if name and rng.random() < 0.5:
            at = doc.text.find(name)
            sp = doc.char_span(at, at + len(name), alignment_mode="expand") if at >= 0 else None
            if sp is not None:
                for tok in sp:
                    tok.norm_ = "__customer__"
        docs.append(doc)
    return docs


def _customers(rows: list[dict]) -> list[str | None]:
    """Each row's customer name (as written), for the gazetteer marks of _prep."""
    out: list[str | None] = []
    for r in rows:
        value = r["entities"].get("customer")
        out.append(value if isinstance(value, str) else None)
    return out


def augment_rows(rows: list[dict], seed: int) -> list[dict]:
    """Word dropout: a copy of some examples without one word, so no single word is relied on."""
    rng = random.Random(seed + 2)
    out = list(rows)
    for r in rows:
        if r["intent"] == "unknown" or rng.random() > 0.35:
            continue
        words = r["text"].split()
        protected = {w for v in r["entities"].values() if isinstance(v, str) for w in v.split()}
        idx = [i for i, w in enumerate(words) if len(w) >= 3 and w not in protected]
        if len(words) < 4 or not idx:
            continue
        drop = rng.choice(idx)
        out.append({**r, "text": " ".join(w for i, w in enumerate(words) if i != drop)})
    return out


def fit_decision(
    probs: list[dict[str, float]], gold: list[str], temperature: float
) -> tuple[float, float]:
    """(unknown log-odds offset, intent threshold) that do best on held-out templates.

    An out-of-scope message taken for a command costs twice a missed command, so the pair
    favours `unknown` when in doubt; ties go to the smaller offset and the higher threshold.
    """
    from intents.parser import calibrate

    best = (0.0, 0.5)
    best_score = -1e9
    for b in [0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0]:
        cal = [calibrate(p, temperature, b) for p in probs]
        for threshold in [0.7, 0.65, 0.6, 0.55, 0.5, 0.45, 0.4]:
            score = 0.0
            for c, g in zip(cal, gold, strict=True):
                top = max(c, key=lambda k: c[k])
                if c[top] < threshold:
                    top = "unknown"
                score += 1.0 if top == g else (-1.0 if g == "unknown" else 0.0)
            if score > best_score + 1e-9:
                best, best_score = (b, threshold), score
    return best


def _top(probs: dict[str, float]) -> str:
    """The most probable label."""
    return max(probs, key=lambda k: probs[k])


def fit_temperature(probs: list[dict[str, float]], gold: list[str]) -> float:
    """Temperature minimising the negative log-likelihood on a dev set (grid search)."""
    best_t, best_nll = 1.0, float("inf")
    for t in [0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0]:
        nll = 0.0
        for p, g in zip(probs, gold, strict=True):
            logs = {k: math.log(max(v, 1e-12)) / t for k, v in p.items()}
            mx = max(logs.values())
            lse = mx + math.log(sum(math.exp(v - mx) for v in logs.values()))
            nll -= logs[g] - lse
        if nll < best_nll:
            best_t, best_nll = t, nll
    return best_t


def train(
    output: Path = MODEL_DIR,
    seed: int = DEFAULT_SEED,
    *,
    train_rows: list[dict] | None = None,
    epochs: int = EPOCHS,
    ner_epochs: int = NER_EPOCHS,
    log: Callable[[str], None] = print,
) -> Path:
    import spacy
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    rng = random.Random(seed)
    if train_rows is None:
        _, train_rows = read_jsonl(DATA_DIR / "train.jsonl")
        for voice_part in voice_rows(held_out=False).values():
            # natural messages are few beside the generated ones: each counts VOICE_WEIGHT times
            train_rows = train_rows + voice_part * VOICE_WEIGHT
    rows = list(train_rows)
    rng.shuffle(rows)
    # calibration split by template: held-out phrasings, like the real traffic
    templates = sorted({r.get("template", r["text"]) for r in rows})
    dev_templates = set(random.Random(seed + 1).sample(templates, max(1, len(templates) // 8)))
    dev = [r for r in rows if r.get("template", r["text"]) in dev_templates]
    fit = [r for r in rows if r.get("template", r["text"]) not in dev_templates]
    t0 = time.perf_counter()

    def fit_model(train_part: list[dict]) -> Any:
        fix_random_seed(seed)
        order = random.Random(seed)
        nlp = build_nlp()
        textcat = nlp.get_pipe("textcat")
        for label in INTENTS:
            textcat.add_label(label)
        train_part = augment_rows(train_part, seed)
        docs = _prep(nlp, [r["text"] for r in train_part], _customers(train_part), seed)
        examples = []
        for doc, r in zip(docs, train_part, strict=True):
            cats = {label: 1.0 if label == r["intent"] else 0.0 for label in INTENTS}
            examples.append(Example.from_dict(doc, {"cats": cats}))
        optimizer = nlp.initialize(lambda: examples[:500])
        for epoch in range(epochs):
            order.shuffle(examples)
            losses: dict[str, float] = {}
            for batch in minibatch(examples, size=32):
                textcat.update(batch, sgd=optimizer, losses=losses)
            log(f"epoch {epoch + 1:2d}  loss {losses.get('textcat', 0.0):.4f}")
        return nlp

    temperature, unknown_bias, threshold, dev_acc = 1.0, 0.0, 0.5, float("nan")
    if dev and fit:
        log(f"calibration: {len(fit)} examples, {len(dev)} on held-out templates")
        nlp = fit_model(fit)
        dev_docs = _prep(nlp, [r["text"] for r in dev])
        dev_probs = [dict(d.cats) for d in nlp.get_pipe("textcat").pipe(dev_docs)]
        temperature = fit_temperature(dev_probs, [r["intent"] for r in dev])
        unknown_bias, threshold = fit_decision(dev_probs, [r["intent"] for r in dev], temperature)
        log(f"unknown bias {unknown_bias}, intent threshold {threshold}")
        dev_acc = sum(_top(p) == r["intent"] for p, r in zip(dev_probs, dev, strict=True)) / len(
            dev
        )
        log(f"held-out-template accuracy {dev_acc:.3f}; temperature {temperature}")
    log(f"final model: {len(rows)} examples")
    nlp = fit_model(rows)
    fit = rows
    if ner_epochs:
        from intents.ner import train_ner

        ner_rows = sorted(rows, key=lambda r: r["text"])  # independent of the shuffle above
        docs = _prep(nlp, [r["text"] for r in ner_rows], _customers(ner_rows), seed)
        train_ner(nlp, docs, ner_rows, seed, epochs=ner_epochs, log=log)
    output = Path(output)
    tmp = output.with_name(output.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    # the rarer English words are kept from correction only once the models are fitted: fitted
    # with them too, the classifier measured a little worse on the held-out voices (one seed)
    nlp.get_pipe("crm_normalizer").set_rare_english(english_words(RARE_ZIPF, max_zipf=ENGLISH_ZIPF))
    nlp.to_disk(tmp)
    meta = {
        "seed": seed,
        "epochs": epochs,
        "ngram_size": NGRAM,
        "temperature": temperature,
        "unknown_bias": unknown_bias,
        "intent_threshold": threshold,
        "train_examples": len(fit),
        "dev_examples": len(dev),
        "heldout_template_accuracy": round(dev_acc, 4),
        "ner_epochs": ner_epochs,
        "train_voices": sorted(voice_rows(held_out=False)),
        "spacy_version": spacy.__version__,
    }
    (tmp / "crmbot.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    if output.exists():
        shutil.rmtree(output)
    tmp.rename(output)
    log(f"trained on {len(fit)} examples in {time.perf_counter() - t0:.1f}s; saved to {output}")
    return output


# --------------------------------------------------------------------------- evaluation
_ISO_DT = re.compile(r"(\d{4}-\d{2}-\d{2})[tT ](\d{2}:\d{2})(?::\d{2})?(?:[+-]\d{2}:?\d{2}|Z)?")


def _norm_value(v: Any) -> Any:
    """Comparable form: strings case- and space-insensitive, "10:00" the same as "10:00:00+01:00"
    (every date of the data is Europe/Berlin local time), 50000.0 the same as 50000."""
    if isinstance(v, str) and _ISO_DT.fullmatch(v.strip()):
        m = _ISO_DT.fullmatch(v.strip())
        assert m is not None
        return f"{m.group(1)}T{m.group(2)}"
    if isinstance(v, str):
        return re.sub(r"\s+", " ", v.strip().strip(".,!?").lower())
    if isinstance(v, float) and v == int(v):
        return int(v)
    return v


def evaluate(parser: Parser, rows: list[dict], now: datetime) -> dict:
    """Intent accuracy (overall, per intent) and entity accuracy (per key, per intent).

    Entity accuracy counts, for every example, each contract key of the gold intent that is in
    the gold or in the prediction: right when present in both with the same value (strings
    compared case- and space-insensitively). Extra keys outside the contract are ignored.
    """
    intent_total: dict[str, int] = defaultdict(int)
    intent_ok: dict[str, int] = defaultdict(int)
    key_total: dict[str, int] = defaultdict(int)
    key_ok: dict[str, int] = defaultdict(int)
    ik_total: dict[str, int] = defaultdict(int)
    ik_ok: dict[str, int] = defaultdict(int)
    errors: list[dict] = []
    results = parser.parse_many((r["text"] for r in rows), now=now)
    confusion = {"write_as_unknown": 0, "writes": 0, "unknown_as_write": 0, "unknowns": 0}
    compound = {"gold": 0, "right": 0, "false_splits": 0}
    for r, got in zip(rows, results, strict=True):
        gi = r["intent"]
        if gi in WRITE_INTENTS:
            confusion["writes"] += 1
            confusion["write_as_unknown"] += got["intent"] == "unknown"
        if gi == "unknown":
            confusion["unknowns"] += 1
            confusion["unknown_as_write"] += got["intent"] in WRITE_INTENTS
        gold_also = r.get("also") or []
        got_also = got.get("also") or []
        if gold_also:
            compound["gold"] += 1
            compound["right"] += [a["intent"] for a in gold_also] == [
                a["intent"] for a in got_also
            ] and got["intent"] == gi
        elif got_also:
            compound["false_splits"] += 1
        for ga, pa in zip(gold_also, got_also, strict=False):
            if ga["intent"] != pa["intent"]:
                continue
            part_keys = set(INTENT_KEYS[ga["intent"]])
            g_ents = {k: v for k, v in ga["entities"].items() if k in part_keys}
            p_ents = {k: v for k, v in pa["entities"].items() if k in part_keys}
            for k in set(g_ents) | set(p_ents):
                ok = (
                    k in g_ents and k in p_ents and _norm_value(g_ents[k]) == _norm_value(p_ents[k])
                )
                key_total[k] += 1
                key_ok[k] += ok
                if not ok:
                    errors.append(
                        {"text": r["text"], "part": ga["intent"], "key": k,
                         "gold": g_ents.get(k), "got": p_ents.get(k)}
                    )  # fmt: skip
        intent_total[gi] += 1
        if got["intent"] == gi:
            intent_ok[gi] += 1
        else:
            errors.append(
                {"text": r["text"], "gold": gi, "got": got["intent"], "conf": got["confidence"]}
            )
        keys = set(INTENT_KEYS[gi])
        gold = {k: v for k, v in r["entities"].items() if k in keys}
        pred = (
            {k: v for k, v in got["entities"].items() if k in keys}
            if got["intent"] == gi
            else {k: v for k, v in got["entities"].items() if k in keys}
        )
        for k in set(gold) | set(pred):
            ok = k in gold and k in pred and _norm_value(gold[k]) == _norm_value(pred[k])
            key_total[k] += 1
            ik_total[gi] += 1
            if ok:
                key_ok[k] += 1
                ik_ok[gi] += 1
            else:
                errors.append(
                    {"text": r["text"], "key": k, "gold": gold.get(k), "got": pred.get(k)}
                )
    n = sum(intent_total.values())
    return {
        "examples": n,
        "intent_accuracy": sum(intent_ok.values()) / n if n else 0.0,
        "intent_accuracy_per_intent": {
            i: intent_ok[i] / intent_total[i] for i in sorted(intent_total)
        },
        "entity_accuracy": sum(key_ok.values()) / sum(key_total.values()) if key_total else 1.0,
        "entity_accuracy_per_key": {k: key_ok[k] / key_total[k] for k in sorted(key_total)},
        "entity_accuracy_per_intent": {i: ik_ok[i] / ik_total[i] for i in sorted(ik_total)},
        "entity_counts_per_key": dict(key_total),
        "confusion": confusion,
        "compound": compound,
        "errors": errors,
    }


def format_report(rep: dict, title: str = "template evaluation split") -> str:
    """Per-intent and per-key accuracy, writes vs unknown; then the held-out and the fresh
    voices, if any."""
    lines = [
        f"== {title}: {rep['examples']} examples",
        f"intent accuracy: {rep['intent_accuracy']:.4f}",
    ]
    conf = rep.get("confusion")
    if conf:
        lines.append(
            "writes vs unknown: "
            f"{conf['unknown_as_write']}/{conf['unknowns']} unknown parsed as a write "
            f"({conf['unknown_as_write'] / max(1, conf['unknowns']):.3f}), "
            f"{conf['write_as_unknown']}/{conf['writes']} writes parsed as unknown "
            f"({conf['write_as_unknown'] / max(1, conf['writes']):.3f})"
        )
    comp = rep.get("compound")
    if comp and (comp["gold"] or comp["false_splits"]):
        lines.append(
            f"compound messages: {comp['right']}/{comp['gold']} split into the right intents, "
            f"{comp['false_splits']} single asks split"
        )
    for i, v in rep["intent_accuracy_per_intent"].items():
        lines.append(f"  {i:20s} {v:.3f}")
    lines.append(f"entity accuracy (all keys): {rep['entity_accuracy']:.4f}")
    lines.append("entity accuracy per key:")
    for k, v in rep["entity_accuracy_per_key"].items():
        lines.append(f"  {k:20s} {v:.3f}  (n={rep['entity_counts_per_key'][k]})")
    lines.append("entity accuracy per intent:")
    for i, v in rep["entity_accuracy_per_intent"].items():
        lines.append(f"  {i:20s} {v:.3f}")
    for key, kind in (("voices", "held-out voices"), ("fresh", "fresh voices (never looked at)")):
        voices = rep.get(key)
        if voices:
            lines.append("")
            lines.append(format_report(voices, f"{kind} " + ", ".join(voices["voice_names"])))
            for name, acc in voices["voice_intent_accuracy"].items():
                ent = voices["voice_entity_accuracy"][name]
                lines.append(f"  voice {name:28s} intent {acc:.3f}  entity {ent:.3f}")
    return "\n".join(lines)


def evaluate_split(parser: Parser, split: str = "eval") -> dict:
    """The template split's report; with split "eval", inside it the held-out voices' report
    ("voices") and the fresh voices' ("fresh"), each with its per-voice figures."""
    now, rows = read_jsonl(DATA_DIR / f"{split}.jsonl")
    rep = evaluate(parser, rows, now)
    if split == "eval":
        for name, parts in (
            ("voices", voice_rows(held_out=True)),
            ("fresh", voice_rows(fresh=True)),
        ):
            if parts:
                rep[name] = _voices_report(parser, parts, now)
    return rep


def _voices_report(parser: Parser, parts: dict[str, list[dict]], now: datetime) -> dict:
    """All the voices' rows scored together, plus each voice's intent and entity accuracy."""
    rep = evaluate(parser, [r for part in parts.values() for r in part], now)
    per_voice = {name: evaluate(parser, part, now) for name, part in parts.items()}
    rep["voice_names"] = sorted(parts)
    rep["voice_intent_accuracy"] = {n: v["intent_accuracy"] for n, v in per_voice.items()}
    rep["voice_entity_accuracy"] = {n: v["entity_accuracy"] for n, v in per_voice.items()}
    return rep


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--output", type=Path, default=MODEL_DIR)
    ap.add_argument("--errors", type=int, default=0, help="print this many evaluation errors")
    args = ap.parse_args(argv)
    out = train(args.output, args.seed)
    parser = Parser.load(out)
    rep = evaluate_split(parser)
    print(format_report(rep))
    for e in rep["errors"][: args.errors]:
        print("ERR", json.dumps(e, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
