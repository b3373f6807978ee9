"""Benchmark of the intent parser (intents/).

    python bench/bench_parser.py [--min-messages 10000] [--batch-size 256]

Prints: model load time, model size on disk, batch throughput (messages/s, nlp.pipe, one
process, torch-free), single-message latency p50/p99, a 100,000-customer gazetteer's build and
parse time, the template evaluation split's and the held-out voices' accuracies (per intent, per
key, writes vs unknown), and a TF-IDF + logistic regression baseline trained on the same
training data, side by side with the parser (needs the `bench` extra: scikit-learn).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from intents.parser import Parser

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--min-messages", type=int, default=10_000)
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument("--single", type=int, default=2000, help="messages for the latency measurement")
    args = ap.parse_args(argv)
    os.environ.setdefault("CRMBOT_TIMEZONE", "Europe/Berlin")

    t0 = time.perf_counter()
    import spacy  # noqa: F401

    t_import = time.perf_counter() - t0
    from intents.parser import MODEL_DIR, Parser
    from intents.train import DATA_DIR, evaluate_split, format_report, read_jsonl

    t0 = time.perf_counter()
    parser = Parser.load()
    t_load = time.perf_counter() - t0
    print(f"spaCy import:        {t_import * 1000:.0f} ms")
    print(f"model load:          {t_load * 1000:.0f} ms  (Parser.load, spaCy already imported)")
    print(f"model size on disk:  {dir_size(MODEL_DIR) / 1e6:.2f} MB  ({MODEL_DIR})")

    now, rows = read_jsonl(DATA_DIR / "eval.jsonl")
    texts = [r["text"] for r in rows]
    reps = max(1, -(-args.min_messages // len(texts)))
    stream = texts * reps
    list(parser.parse_many(texts[:200], now=now))  # warm up
    t0, c0 = time.perf_counter(), time.process_time()
    n = sum(1 for _ in parser.parse_many(stream, now=now, batch_size=args.batch_size))
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - c0
    print(
        f"batch throughput:    {n / elapsed:,.0f} messages/s  "
        f"({n} messages, batch size {args.batch_size}, 1 process)"
    )
    print(
        f"  per CPU second:    {n / cpu:,.0f} messages/s  (process CPU time: the figure on an "
        f"idle core; wall-clock drops when the machine is shared, load {os.getloadavg()[0]:.1f})"
    )

    lat = []
    cpu_lat = []
    for i in range(args.single):
        text = texts[i % len(texts)]
        t0, c0 = time.perf_counter(), time.process_time()
        parser.parse(text, now=now)
        lat.append(time.perf_counter() - t0)
        cpu_lat.append(time.process_time() - c0)
    lat.sort()
    cpu_lat.sort()
    p50 = statistics.median(lat) * 1000
    p99 = lat[int(len(lat) * 0.99) - 1] * 1000
    print(
        f"single message:      p50 {p50:.2f} ms, p99 {p99:.2f} ms, "
        f"max {lat[-1] * 1000:.2f} ms ({len(lat)} messages)"
    )
    print(
        f"  in CPU time:       p50 {statistics.median(cpu_lat) * 1000:.2f} ms, "
        f"p99 {cpu_lat[int(len(cpu_lat) * 0.99) - 1] * 1000:.2f} ms"
    )
    print(gazetteer_figures(parser, now))

    report = evaluate_split(parser)
    print(format_report(report))
    print(reliability(parser, rows, now))
    print(baseline_comparison(parser, report))
    return 0


def baseline_comparison(parser: Parser, report: dict) -> str:
    """TF-IDF (word 1-2-grams + char 2-5-grams) + logistic regression on the parser's training
    data (template rows and training voices); intent accuracy beside the parser's."""
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union
    except ImportError:
        return "baseline: scikit-learn is not installed (pip install -e '.[bench]')"
    from intents.train import DATA_DIR, read_jsonl, voice_rows

    _, train_rows = read_jsonl(DATA_DIR / "train.jsonl")
    for part in voice_rows(held_out=False).values():
        train_rows = train_rows + part
    model = make_pipeline(
        make_union(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, lowercase=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
        ),
        LogisticRegression(max_iter=2000, C=10.0),
    )
    model.fit([r["text"] for r in train_rows], [r["intent"] for r in train_rows])
    lines = ["", "intent accuracy, parser vs TF-IDF + logistic regression (same training data):"]
    _, ev = read_jsonl(DATA_DIR / "eval.jsonl")
    sets = [("template evaluation split", ev, report)]
    for name, key, parts in (
        ("held-out voices", "voices", voice_rows(held_out=True)),
        ("fresh voices", "fresh", voice_rows(fresh=True)),
    ):
        if parts and key in report:
            sets.append((name, [r for part in parts.values() for r in part], report[key]))
    for name, rows, rep in sets:
        pred = model.predict([r["text"] for r in rows])
        base = sum(p == r["intent"] for p, r in zip(pred, rows, strict=True)) / len(rows)
        ours = rep["intent_accuracy"]
        lines.append(
            f"  {name:28s} parser {ours:.4f}   baseline {base:.4f}   "
            f"difference {100 * (ours - base):+.1f} points  (n={len(rows)})"
        )
    return "\n".join(lines)


def gazetteer_figures(parser: Parser, now: datetime) -> str:
    """Build a 100,000-customer gazetteer and parse against it (was a test; speed lives here)."""
    customers = [(i, f"Company{i:06d} Holdings", [f"C{i:06d}"]) for i in range(100_000)]
    customers.append((100_001, "Wonka Industries", ["Wonka"]))
    t0 = time.perf_counter()
    parser.set_gazetteer(customers)
    build = time.perf_counter() - t0
    parser.parse("warm up", now=now)
    t0 = time.perf_counter()
    for _ in range(50):
        parser.parse("called wonka about the renewal", now=now)
    per_msg = (time.perf_counter() - t0) / 50
    parser.set_gazetteer([])
    return (
        f"gazetteer 100k:      build {build * 1000:.0f} ms, "
        f"parse with it {per_msg * 1000:.2f} ms/message"
    )


def reliability(parser: Parser, rows: list[dict], now: datetime) -> str:
    """Confidence vs accuracy on the evaluation split (is a threshold meaningful?)."""
    bins = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 0.97), (0.97, 1.01)]
    counts = {b: [0, 0] for b in bins}
    for r, got in zip(rows, parser.parse_many((r["text"] for r in rows), now=now), strict=True):
        for b in bins:
            if b[0] <= got["confidence"] < b[1]:
                counts[b][0] += 1
                counts[b][1] += got["intent"] == r["intent"]
    lines = ["confidence calibration (evaluation split):"]
    for (lo, hi), (n, ok) in counts.items():
        acc = f"{ok / n:.3f}" if n else "  -  "
        lines.append(f"  [{lo:.2f}, {min(hi, 1.0):.2f})  n={n:5d}  accuracy {acc}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
