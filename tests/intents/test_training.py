"""Training from code: a small subset, reproducible by seed, saved and loaded like the real one."""

from __future__ import annotations

import json
import random
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.mark.slow
def test_train_small_subset_reproducible(tmp_path: Path) -> None:
    from intents.parser import Parser
    from intents.train import DATA_DIR, evaluate, read_jsonl, train

    _, rows = read_jsonl(DATA_DIR / "train.jsonl")
    rng = random.Random(3)
    subset = rng.sample(rows, 1200)
    kw: dict = {"seed": 11, "train_rows": subset, "epochs": 4, "ner_epochs": 2}
    a = train(tmp_path / "a", log=lambda m: None, **kw)
    b = train(tmp_path / "b", log=lambda m: None, **kw)
    pa, pb = Parser.load(a), Parser.load(b)
    meta = json.loads((a / "crmbot.json").read_text())
    assert meta["seed"] == 11 and meta["train_examples"] == 1200
    _, ev = read_jsonl(DATA_DIR / "eval.jsonl")
    sample = ev[:300]
    ra = [pa.parse(r["text"], now=NOW) for r in sample]
    rb = [pb.parse(r["text"], now=NOW) for r in sample]
    assert ra == rb  # same seed, same data -> same model
    assert (a / "textcat" / "model").read_bytes() == (b / "textcat" / "model").read_bytes()
    assert (a / "ner" / "model").read_bytes() == (b / "ner" / "model").read_bytes()
    report = evaluate(pa, sample, NOW)
    assert report["intent_accuracy"] > 0.6  # a quarter of the data, a third of the epochs
    assert pa.parse("log call with Acme", now=NOW)["intent"] == "log_interaction"
