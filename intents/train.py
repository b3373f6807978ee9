"""Build (train) the shipped intent model and evaluate it on the held-out split.

    python -m intents.train [--seed 7] [--output intents/model]      (same as `crmbot train`)

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
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from intents.parser import MODEL_DIR, Parser, clean_text
from intents.vocab import INTENT_KEYS, INTENTS

DATA_DIR = Path(__file__).resolve().parent / "data"
EPOCHS = 12
NGRAM = 2
BOW_LENGTH = 32768  # hashed n-gram table rows: 32768 x 18 floats = 2.4 MB on disk


def read_jsonl(path: Path) -> tuple[datetime | None, list[dict]]:
    now = None
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
    for table in (
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
    ):
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
    for table in (
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
    ):
        for phrases in table.values():
            for p in phrases:
                add(p)
    from intents.extract import COMMON_WORDS

    words |= set(COMMON_WORDS)
    words -= {w.lower() for w in g.PERSONS["train"] for w in w.split()}
    words -= TYPO_WORDS
    return {w for w in words if len(w) >= 2 or w in ("a", "i")}


def build_nlp() -> Any:
    import spacy

    import intents.components  # noqa: F401

    nlp = spacy.blank("en")
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
    nlp.get_pipe("crm_normalizer").set_vocabulary(template_vocabulary())
    return nlp


def _prep(
    nlp: Any, texts: Iterable[str], customers: Iterable[str | None] | None = None, seed: int = 0
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
            for c, g in zip(cal, gold):
                top = max(c, key=c.get)
                if c[top] < threshold:
                    top = "unknown"
                score += 1.0 if top == g else (-1.0 if g == "unknown" else 0.0)
            if score > best_score + 1e-9:
                best, best_score = (b, threshold), score
    return best


def fit_temperature(probs: list[dict[str, float]], gold: list[str]) -> float:
    """Temperature minimising the negative log-likelihood on a dev set (grid search)."""
    best_t, best_nll = 1.0, float("inf")
    for t in [0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0]:
        nll = 0.0
        for p, g in zip(probs, gold):
            logs = {k: math.log(max(v, 1e-12)) / t for k, v in p.items()}
            mx = max(logs.values())
            lse = mx + math.log(sum(math.exp(v - mx) for v in logs.values()))
            nll -= logs[g] - lse
        if nll < best_nll:
            best_t, best_nll = t, nll
    return best_t


def train(
    output: Path = MODEL_DIR,
    seed: int = 7,
    *,
    train_rows: list[dict] | None = None,
    epochs: int = EPOCHS,
    log: Callable[[str], None] = print,
) -> Path:
    import spacy
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    rng = random.Random(seed)
    if train_rows is None:
        _, train_rows = read_jsonl(DATA_DIR / "train.jsonl")
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
        docs = _prep(
            nlp,
            [r["text"] for r in train_part],
            [
                r["entities"].get("customer")
                if isinstance(r["entities"].get("customer"), str)
                else None
                for r in train_part
            ],
            seed,
        )
        examples = []
        for doc, r in zip(docs, train_part):
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
        dev_acc = sum(max(p, key=p.get) == r["intent"] for p, r in zip(dev_probs, dev)) / len(dev)
        log(f"held-out-template accuracy {dev_acc:.3f}; temperature {temperature}")
    log(f"final model: {len(rows)} examples")
    nlp = fit_model(rows)
    fit = rows
    output = Path(output)
    tmp = output.with_name(output.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
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
        "spacy_version": spacy.__version__,
    }
    (tmp / "crmbot.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    if output.exists():
        shutil.rmtree(output)
    tmp.rename(output)
    log(f"trained on {len(fit)} examples in {time.perf_counter() - t0:.1f}s; saved to {output}")
    return output


# --------------------------------------------------------------------------- evaluation
def _norm_value(v: Any) -> Any:
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
    for r, got in zip(rows, results):
        gi = r["intent"]
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
        "errors": errors,
    }


def format_report(rep: dict) -> str:
    lines = [
        f"evaluation split: {rep['examples']} examples",
        f"intent accuracy: {rep['intent_accuracy']:.4f}",
    ]
    for i, v in rep["intent_accuracy_per_intent"].items():
        lines.append(f"  {i:20s} {v:.3f}")
    lines.append(f"entity accuracy (all keys): {rep['entity_accuracy']:.4f}")
    lines.append("entity accuracy per key:")
    for k, v in rep["entity_accuracy_per_key"].items():
        lines.append(f"  {k:20s} {v:.3f}  (n={rep['entity_counts_per_key'][k]})")
    lines.append("entity accuracy per intent:")
    for i, v in rep["entity_accuracy_per_intent"].items():
        lines.append(f"  {i:20s} {v:.3f}")
    return "\n".join(lines)


def evaluate_split(parser: Parser, split: str = "eval") -> dict:
    now, rows = read_jsonl(DATA_DIR / f"{split}.jsonl")
    return evaluate(parser, rows, now)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seed", type=int, default=7)
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
