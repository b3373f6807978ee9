"""The shipped model on the held-out evaluation split meets the issue's bar."""

from __future__ import annotations

import json
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "intents" / "data"


def _rows(split: str) -> list[dict]:
    lines = (DATA / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[1:] if line.strip()]


def test_splits_are_held_out():
    train, ev = _rows("train"), _rows("eval")
    assert len(train) >= 4000 and len(ev) >= 1000
    assert not {r["text"] for r in train} & {r["text"] for r in ev} - {""}
    from intents.data import generate as g

    assert not set(g.COMPANIES["train"]) & set(g.COMPANIES["eval"])
    assert not set(g.PERSONS["train"]) & set(g.PERSONS["eval"])
    for intent, by_split in g.T.items():
        assert not set(by_split["train"]) & set(by_split["eval"]), intent
    intents = {r["intent"] for r in train}
    from intents import INTENTS

    assert intents == set(INTENTS)


def test_eval_split_meets_the_bar(parser):
    from intents.train import evaluate_split, format_report

    report = evaluate_split(parser)
    print(format_report(report))
    assert report["intent_accuracy"] >= 0.95, format_report(report)
    assert report["entity_accuracy"] >= 0.92, format_report(report)


def test_model_is_small_and_loads_fast():
    from intents.parser import MODEL_DIR, Parser

    size = sum(p.stat().st_size for p in MODEL_DIR.rglob("*") if p.is_file())
    assert size < 10_000_000
    import spacy  # noqa: F401 - import cost is not load cost

    t0 = time.perf_counter()
    Parser.load()
    assert time.perf_counter() - t0 < 1.0
