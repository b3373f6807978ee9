"""Slack load benchmark (issues #7 and #15): concurrent signed events against `crmbot serve
slack`.

    python bench/bench_slack.py [--events 200] [--source bench/.data/bench100k.db]
                                [--engine-workers N]

Starts the fake Slack Web API (tests/fakes) and `crmbot serve slack` on a scratch copy of the
demo database, fires N signed `message.im` events at once ("log call with <customer>", each
from its own person), then the same events again as Slack retries, and a second burst.
Reports ack latency p50/p99/max while the engine is busy with the burst (targets: p99 under
300 ms, every ack under 3 s), checks that every interaction was stored exactly once and
every message answered once, and reads the server's resident memory (the front, and with
engine workers the whole process tree) after each burst.

The requests are sent from a process of their own: the fake Slack API answers the bot's
calls (users.info, chat.postMessage) during the burst, and in the sending process it would
hold the interpreter lock between a request and the clock that times its ack.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from slack_sdk.signature import SignatureVerifier  # noqa: E402

from bench.bench_core import percentile  # noqa: E402
from tests.fakes.slack_api import FakeSlackAPI  # noqa: E402

SECRET = "0123456789abcdef0123456789abcdef"


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="utf-8") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def tree_rss_mb(pid: int) -> float:
    """The process and its children (the engine workers)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    kids = [int(c) for c in children.read_text().split()] if children.exists() else []
    return rss_mb(pid) + sum(tree_rss_mb(kid) for kid in kids)


def post(url: str, payload: str, retry: int = 0) -> float:
    """One signed request; the seconds until its answer (the ack)."""
    ts = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(
            timestamp=ts, body=payload
        )
        or "",
    }
    if retry:
        headers["X-Slack-Retry-Num"] = str(retry)
    request = urllib.request.Request(url, data=payload.encode(), headers=headers)
    began = time.monotonic()
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
    return time.monotonic() - began


def burst(url: str, payloads: list[str], retry: int = 0) -> list[float]:
    """All the requests at once, one thread each (run in the sender process)."""
    with ThreadPoolExecutor(max_workers=len(payloads)) as pool:
        return list(pool.map(lambda p: post(url, p, retry), payloads))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--source", default=str(ROOT / "bench" / ".data" / "bench100k.db"))
    parser.add_argument(
        "--engine-workers", type=int, default=None, help="passed to serve (default: its own)"
    )
    args = parser.parse_args()
    source = Path(args.source)
    if not source.exists():
        sys.exit(f"{source} is missing: run `python bench/bench_core.py` first to build it")
    scratch = Path(tempfile.mkdtemp())
    db = scratch / "slack.db"
    shutil.copy(source, db)
    with sqlite3.connect(db) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM customers WHERE name NOT LIKE '%,%' AND name NOT LIKE '%.%' "
                "ORDER BY id LIMIT ?",
                (args.events,),
            )
        ]
        before = conn.execute("SELECT count(*) FROM interactions").fetchone()[0]
    fake = FakeSlackAPI(token="xoxb-bench", signing_secret=SECRET)
    fake.start()
    for n in range(args.events):
        fake.add_user(f"UB{n}", f"rep{n}", f"Bench Rep {n}")
        fake.add_channel(f"DB{n}", f"dm-{n}")
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.url,
        "CRMBOT_LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("crmbot")),
            "serve",
            "slack",
            "--db",
            f"sqlite:///{db}",
            "--port",
            "0",
            "--host",
            "127.0.0.1",
            "--no-scheduler",
            *(
                ["--engine-workers", str(args.engine_workers)]
                if args.engine_workers is not None
                else []
            ),
        ],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    port = None
    assert server.stderr is not None
    for line in server.stderr:
        match = re.search(r"Slack events on http://[\d.]+:(\d+)/", line)
        if match:
            port = int(match.group(1))
            break
    if port is None:
        sys.exit("the server did not start")
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(server.stderr), daemon=True).start()  # type: ignore[arg-type]
    url = f"http://127.0.0.1:{port}/slack/events"
    start = time.time()

    def body(n: int, wave: int = 0, kind: str = "call") -> str:
        ts = f"{start + wave + n / 1000:.6f}"  # a new message: a new timestamp
        return json.dumps(
            {
                "token": "t",
                "team_id": "T0TEST",
                "api_app_id": "A0APP",
                "type": "event_callback",
                "event_id": f"Ev{wave}-{n}",
                "event_time": int(start),
                "event": {
                    "type": "message",
                    "channel_type": "im",
                    "channel": f"DB{n}",
                    "user": f"UB{n}",
                    "text": f"log {kind} with {names[n]}",
                    "ts": ts,
                },
            }
        )

    payloads = [body(n) for n in range(len(names))]
    time.sleep(5)  # engine workers warm up after the front is listening
    idle = rss_mb(server.pid), tree_rss_mb(server.pid)
    sender = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    sender.submit(burst, url, payloads[:1]).result()  # the sender is up before the clock runs
    acks = sender.submit(burst, url, payloads).result()
    try:
        fake.wait_for("chat.postMessage", n=len(payloads), timeout=300)
    except AssertionError:
        server.terminate()
        sys.exit("replies missing; the server said:\n" + "".join(log[-30:]))
    after_first = rss_mb(server.pid), tree_rss_mb(server.pid)
    retries = sender.submit(burst, url, payloads, 1).result()
    time.sleep(2)
    answered = fake.count("chat.postMessage")
    acks2 = sender.submit(
        burst, url, [body(n, wave=1, kind="email") for n in range(len(names))]
    ).result()
    fake.wait_for("chat.postMessage", n=2 * len(payloads), timeout=300)
    after_second = rss_mb(server.pid), tree_rss_mb(server.pid)
    sender.shutdown()
    server.terminate()
    server.wait(30)
    fake.stop()
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT count(*) FROM interactions").fetchone()[0] - before
        distinct = conn.execute(
            "SELECT count(DISTINCT source_message_id) FROM interactions "
            "WHERE source_platform = 'slack'"
        ).fetchone()[0]
    shutil.rmtree(scratch, ignore_errors=True)
    everything = acks + retries + acks2
    print(f"slack benchmark: {len(payloads)} concurrent signed events against crmbot serve slack")
    print(
        f"  ack latency  p50 {percentile(acks, 50) * 1000:7.1f} ms  p99 "
        f"{percentile(acks, 99) * 1000:7.1f} ms  max {max(acks) * 1000:7.1f} ms  (first burst)"
    )
    print(
        f"  ack latency  p50 {percentile(everything, 50) * 1000:7.1f} ms  p99 "
        f"{percentile(everything, 99) * 1000:7.1f} ms  max {max(everything) * 1000:7.1f} ms  "
        f"(all {len(everything)} requests incl. retries)"
        f"  {'ok' if max(everything) < 3 else 'OVER 3 s'}"
    )
    exact = stored == distinct == 2 * len(payloads) and answered == len(payloads)
    print(
        f"  stored {stored} interactions for {2 * len(payloads)} distinct messages "
        f"({distinct} distinct message ids); {answered} replies after the retried burst "
        f"(expected {len(payloads)})  "
        f"{'ok' if exact else 'MISMATCH'}"
    )
    print(
        f"  server memory (front / with engine workers): {idle[0]:.0f} / {idle[1]:.0f} MB idle, "
        f"{after_first[0]:.0f} / {after_first[1]:.0f} MB after burst 1, "
        f"{after_second[0]:.0f} / {after_second[1]:.0f} MB after burst 2"
    )


if __name__ == "__main__":
    main()
