"""Benchmark of the intent parser (intents/).

    python bench/bench_parser.py [--min-messages 10000] [--batch-size 256]

Prints: model load time, model size on disk, batch throughput (messages/s, nlp.pipe, one
process, torch-free), single-message latency p50/p99, and the evaluation split's intent
accuracy and entity accuracy per key and per intent.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

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
    from intents.train import DATA_DIR, evaluate, format_report, read_jsonl

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
    t0 = time.perf_counter()
    n = sum(1 for _ in parser.parse_many(stream, now=now, batch_size=args.batch_size))
    elapsed = time.perf_counter() - t0
    print(
        f"batch throughput:    {n / elapsed:,.0f} messages/s  ({n} messages, batch size {args.batch_size}, 1 process)"
    )

    lat = []
    for i in range(args.single):
        text = texts[i % len(texts)]
        t0 = time.perf_counter()
        parser.parse(text, now=now)
        lat.append(time.perf_counter() - t0)
    lat.sort()
    p50 = statistics.median(lat) * 1000
    p99 = lat[int(len(lat) * 0.99) - 1] * 1000
    print(
        f"single message:      p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {lat[-1] * 1000:.2f} ms ({len(lat)} messages)"
    )

    report = evaluate(parser, rows, now)
    print(format_report(report))
    print(reliability(parser, rows, now))
    return 0


def reliability(parser, rows, now) -> str:
    """Confidence vs accuracy on the evaluation split (is a threshold meaningful?)."""
    bins = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 0.97), (0.97, 1.01)]
    counts = {b: [0, 0] for b in bins}
    for r, got in zip(rows, parser.parse_many((r["text"] for r in rows), now=now)):
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
