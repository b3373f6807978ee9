"""`crmbot users invite`: a one-time Telegram deep link, as an admin runs it."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from crm_core.database import open_database
from crm_core.models import AuditEntry, Invite
from crm_core.services import users
from crm_core.services.context import Actor

CRMBOT = str(Path(sys.executable).with_name("crmbot"))


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    return subprocess.run(
        [CRMBOT, *args],
        capture_output=True,
        text=True,
        env={**base, "CRMBOT_TIMEZONE": "UTC", **(env or {})},
        timeout=120,
        check=False,
    )


def test_invite_prints_a_link_and_stores_only_a_hash(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    database = open_database(url)
    with database.transaction() as s:
        users.create_user(session=s, actor=Actor.system("tests"), name="sam")
    database.dispose()
    made = run("users", "invite", "sam", "--db", url, "--bot", "@acme_crm_bot", "--days", "2")
    assert made.returncode == 0, made.stderr
    first, link = made.stdout.strip().splitlines()
    assert first.startswith("Invite for sam: send them this link; it works once, until ")
    assert link.startswith("https://t.me/acme_crm_bot?start=")
    code = link.rsplit("=", 1)[1]
    assert len(code) >= 32
    database = open_database(url)
    with database.transaction() as s:
        invite = s.scalar(select(Invite))
        assert invite is not None
        assert invite.code_hash == hashlib.sha256(code.encode()).hexdigest()
        assert (invite.expires_at - invite.created_at).days in (1, 2)
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "invite.create"))
        assert entry is not None and code not in str(entry.data)
    database.dispose()
    # Two invites are two different codes.
    other = run("users", "invite", "sam", "--db", url, "--bot", "acme_crm_bot")
    assert other.stdout.strip().splitlines()[-1] != link


def test_invite_needs_a_user_and_a_bot_name(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    nobody = run("users", "invite", "ghost", "--db", url, "--bot", "acme_crm_bot")
    assert nobody.returncode == 1 and nobody.stderr.strip() == "crmbot: no user called 'ghost'"
    no_bot = run("users", "invite", "ghost", "--db", url)
    assert no_bot.returncode == 1
    assert no_bot.stderr.strip().startswith("crmbot: TELEGRAM_BOT_TOKEN is not set")
    assert "Traceback" not in no_bot.stderr
