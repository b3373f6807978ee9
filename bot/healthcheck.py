"""`python -m bot.healthcheck [PATH]`: exit 0 when this container's crmbot answers PATH
(`/healthz` unless given) with 200, else 1 with the reason on stderr.

Docker's HEALTHCHECK runs it: the slim image has no curl, and the standard library is enough.
It asks 127.0.0.1 on CRMBOT_HEALTH_PORT (8080; the image serves Slack's HTTP mode on the same
port, CRMBOT_PORT=8080), so it works in every serving mode.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request

TIMEOUT_SECONDS = 4.0


def check(path: str = "/healthz", port: str | None = None) -> str | None:
    """None when the endpoint answered 200; otherwise why not, in a line."""
    port = port or os.environ.get("CRMBOT_HEALTH_PORT", "").strip() or "8080"
    url = f"http://127.0.0.1:{port}{path}"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            return None if response.status == 200 else f"{url} answered {response.status}"
    except urllib.error.HTTPError as exc:
        return f"{url} answered {exc.code}"
    except (OSError, ValueError) as exc:
        return f"{url} did not answer: {exc}"


def main(argv: list[str]) -> int:
    problem = check(argv[0] if argv else "/healthz")
    if problem is not None:
        print(f"crmbot healthcheck: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
