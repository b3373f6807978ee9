"""Every benchmark in one go: `make bench` (or `python bench/run.py [--postgres URL]`).

Builds the 100,000-customer SQLite demo database once (bench/.data/bench100k.db, timed, with
its peak memory), then runs the core, report, parser, engine and scheduler benchmarks against
it; with --postgres, the core, report and concurrency benchmarks also run on that server (the
core's database is rebuilt; the concurrency benchmark uses a schema of its own).
The Slack load benchmark needs no database of its own (bench/bench_slack.py); the import
benchmark (bench/bench_import.py) builds its own from generated CSV files.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
SQLITE = f"sqlite:///{DATA / 'bench100k.db'}"


def run(*args: str) -> None:
    print(f"\n$ python {' '.join(args)}", flush=True)
    subprocess.run([sys.executable, *args], cwd=ROOT, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--postgres",
        help="also run the core benchmark on this database URL (it is wiped and rebuilt)",
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild the SQLite database")
    args = parser.parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    core = ["bench/bench_core.py", "--db", SQLITE]
    run(*core, *(["--rebuild"] if args.rebuild else []))
    run("bench/bench_reports.py", "--db", SQLITE)
    run("bench/bench_parser.py")
    run("bench/bench_engine.py", "--source", str(DATA / "bench100k.db"))
    for extra in ("bench/bench_jobs.py", "bench/bench_slack.py", "bench/bench_import.py"):
        if (ROOT / extra).exists():
            run(extra)
    # 8 processes x 50 writes on one busy customer: lost and duplicated writes, p99 per write
    concurrency = ["bench/bench_concurrency.py", "--db", "sqlite"]
    run(*concurrency, *(["--db", args.postgres] if args.postgres else []))
    if args.postgres:
        run("bench/bench_core.py", "--db", args.postgres, "--rebuild")
        run("bench/bench_reports.py", "--db", args.postgres)
        run("bench/bench_import.py", "--db", args.postgres)


if __name__ == "__main__":
    main()
