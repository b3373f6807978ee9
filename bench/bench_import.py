"""Import and export benchmark (issue 14): 100,000 customers and 1,000,000 interactions
from CSV, rows per second and peak memory (target < 1 GB), then a re-import (every row
unchanged) and an export of everything.

    python bench/bench_import.py [--db URL] [--customers N] [--per-customer K]

The CSV files are generated here (reproducibly, HubSpot-like headers, with external ids)
in bench/.data/import/. Each step runs `crmbot` in a child process so its peak memory is its
own. The database is created anew: a SQLite file is deleted; a PostgreSQL URL is wiped
(every table in its schema is dropped), so never point it at a database you care about.
Start small (--customers 1000) to see the shape, then run the full size.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
WORDS = (
    "Acme Globex Initech Umbrella Hooli Stark Wayne Wonka Cyberdyne Soylent Tyrell Aperture "
    "Vandelay Monarch Gringotts Oscorp Nakatomi Dunder Prestige Sterling Pied Piper Massive "
    "Dynamic Wernham Hogg Oceanic Virtucon Zorg Blue Sun Rekall Yoyodyne Bluth Kramerica"
).split()
SUFFIXES = ("Inc", "GmbH", "Ltd", "S.A.", "LLC", "AG", "Corp", "", "", "")
KINDS = ("Call", "Email", "Meeting", "Note", "Demo")
START = datetime(2024, 1, 1, tzinfo=UTC)


def generate(folder: Path, customers: int, per_customer: int, seed: int = 7) -> dict[str, Path]:
    """users.csv, companies.csv and activities.csv as a HubSpot export would name them."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "users": folder / "users.csv",
        "customers": folder / "companies.csv",
        "interactions": folder / "activities.csv",
    }
    owners = [f"rep{i}" for i in range(20)]
    with paths["users"].open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["User name", "Full name", "Email", "Role", "Team"])
        for name in owners:
            writer.writerow([name, name.title(), f"{name}@example.com", "Sales Rep", "east"])
    names = []
    with paths["customers"].open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "Record ID",
                "Company name",
                "Company owner",
                "Industry",
                "Phone Number",
                "Create Date",
            ]
        )
        for i in range(customers):
            name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i} {rng.choice(SUFFIXES)}".strip()
            names.append(name)
            writer.writerow(
                [
                    f"C{i}",
                    name,
                    rng.choice(owners),
                    rng.choice(("Software", "Retail", "Health", "")),
                    f"+1 415 {rng.randint(200, 999)} {rng.randint(1000, 9999)}",
                    (START + timedelta(days=rng.randint(0, 600))).strftime("%m/%d/%Y"),
                ]
            )
    with paths["interactions"].open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "Activity ID",
                "Associated Company",
                "Activity type",
                "Subject",
                "Activity date",
                "Activity owner",
            ]
        )
        n = 0
        for _ in range(per_customer):
            for name in names:
                when = START + timedelta(minutes=rng.randint(0, 900 * 24 * 60))
                writer.writerow(
                    [
                        f"A{n}",
                        name,
                        rng.choice(KINDS),
                        f"Follow-up #{n} about the renewal",
                        when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        rng.choice(owners),
                    ]
                )
                n += 1
    return paths


def wipe(url: str) -> None:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import MetaData

    from crm_core.db import make_engine

    engine = make_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    with engine.begin() as conn:
        for table in reversed(meta.sorted_tables):
            conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{table.name}" CASCADE')
    engine.dispose()


def child(args: list[str]) -> None:
    """Run one crmbot command in this process, then print its peak memory (MB)."""
    sys.path.insert(0, str(ROOT))
    from bot.cli import app

    try:
        app(args, prog_name="crmbot", standalone_mode=False)
    finally:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"PEAK_MB {peak:.0f}", flush=True)


def step(label: str, rows: int, args: list[str]) -> None:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={"CRMBOT_TIMEZONE": "UTC", "PATH": "/usr/bin:/bin"},
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        print(result.stdout[-2000:], result.stderr[-2000:], sep="\n")
        raise SystemExit(f"{label} failed")
    peak = next(
        (
            float(line.split()[1])
            for line in result.stdout.splitlines()
            if line.startswith("PEAK_MB")
        ),
        0.0,
    )
    summary = next((line for line in result.stdout.splitlines() if "rows:" in line), "")
    verdict = "ok" if peak < 1024 else "OVER 1 GB"
    print(
        f"  {label:<28} {rows:>9,} rows {elapsed:8.1f} s {rows / elapsed:9,.0f} rows/s "
        f"peak {peak:6.0f} MB {verdict}"
    )
    if summary:
        print(f"      {summary.strip()}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default=f"sqlite:///{DATA / 'bench_import.db'}")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--per-customer", type=int, default=10, help="interactions each")
    args = parser.parse_args()
    folder = DATA / "import" / f"{args.customers}x{args.per_customer}"
    started = time.perf_counter()
    paths = generate(folder, args.customers, args.per_customer)
    interactions = args.customers * args.per_customer
    print(f"generated CSVs in {time.perf_counter() - started:.1f} s: {folder}")
    wipe(args.db)
    print(f"database: {args.db.split('@')[-1]}")
    db = ["--db", args.db, "--now", "2026-11-23T10:00"]
    step("import users", 20, ["import", "users", str(paths["users"]), *db])
    step("import customers", args.customers, ["import", "customers", str(paths["customers"]), *db])
    step(
        "import interactions",
        interactions,
        ["import", "interactions", str(paths["interactions"]), *db],
    )
    step(
        "re-import customers",
        args.customers,
        ["import", "customers", str(paths["customers"]), *db],
    )
    out = folder / "export"
    step(
        "export all",
        args.customers + interactions + 20,
        ["export", "all", "--db", args.db, "--out", str(out)],
    )


if __name__ == "__main__":
    main()
