"""A jobs process for the restart test: `python restart_worker.py URL FILE NOW DELAY`.

Runs every job due at NOW once, delivering through a console notifier that appends to FILE
and then sleeps DELAY seconds per push, so the test can SIGKILL it in the middle of the
delivery (between "sent" and "marked delivered"). Prints a summary line when it finishes.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime

from chat.reply import Reply
from crm_core.database import open_database
from jobs.notifier import ConsoleNotifier, PushTarget
from jobs.runner import run_all


class SlowConsole(ConsoleNotifier):
    def __init__(self, path: str, delay: float) -> None:
        super().__init__(path=path)
        self.delay = delay

    def send(self, target: PushTarget, reply: Reply, *, key: str, kind: str = "") -> None:
        super().send(target, reply, key=key, kind=kind)
        time.sleep(self.delay)


def main() -> None:
    url, path, now, delay = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    database = open_database(url)
    result = run_all(
        database,
        now=datetime.fromisoformat(now),
        notifiers=[SlowConsole(path, delay)],
        wait_for_lease=15,
    )
    confirmed = sum(1 for d in result.deliveries if d.reason == "confirmed after a restart")
    print(f"delivered={result.count('delivered')} confirmed={confirmed}", flush=True)
    database.dispose()


if __name__ == "__main__":
    main()
