"""slack/manifest.yml asks for exactly the scopes the code needs: every Slack Web API method
called in bot/ (found in the source, not listed by hand), every event the adapter listens to and
the /crm command map to their scopes, and the manifest holds those and no others. A new API
call without its scope, or a scope left behind by removed code, fails here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import yaml
from slack_sdk import WebClient

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "slack" / "manifest.yml"

# Bot-token scopes per Web API method (each method's page on docs.slack.dev, "Bot tokens").
METHOD_SCOPES: dict[str, set[str]] = {
    # chat:write.public: channel pushes go to public channels the bot has not joined
    "chat_postMessage": {"chat:write", "chat:write.public"},
    "chat_update": {"chat:write"},
    "chat_postEphemeral": {"chat:write"},
    "users_info": {"users:read"},
    # called with types=public_channel,private_channel
    "conversations_list": {"channels:read", "groups:read"},
    # a push's own conversation: a DM, a public or a private channel
    "conversations_history": {"channels:history", "groups:history", "im:history"},
    "conversations_open": {"im:write"},
    "files_upload_v2": {"files:write"},
    "views_publish": set(),
    "auth_test": set(),
}
EVENT_SCOPES: dict[str, set[str]] = {
    "app_mention": {"app_mentions:read"},
    "message.im": {"im:history"},
    "app_home_opened": set(),
}


def web_api_calls() -> dict[str, list[str]]:
    """WebClient methods called anywhere in bot/ -> where ("bot/adapters/slack.py:162")."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "bot").rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            name, receiver = node.func.attr, ast.unparse(node.func.value)
            if "client" in receiver.lower() and callable(getattr(WebClient, name, None)):
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                found.setdefault(name, []).append(where)
    return found


def listened_events() -> set[str]:
    """The events the Bolt app registers (`app.event("...")`) in the Slack adapter."""
    source = (ROOT / "bot" / "adapters" / "slack.py").read_text()
    return set(re.findall(r'app\.event\("([a-z_]+)"\)', source))


def test_the_code_calls_only_methods_whose_scopes_are_known() -> None:
    calls = web_api_calls()
    assert {"chat_postMessage", "users_info", "conversations_list"} <= calls.keys()  # found
    unknown = {m: where for m, where in calls.items() if m not in METHOD_SCOPES}
    assert not unknown, f"add these methods' scopes to METHOD_SCOPES and the manifest: {unknown}"


def test_manifest_scopes_are_exactly_what_the_code_uses() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    # The adapter listens to "message" and answers DMs only: the subscription is message.im.
    listened = {"message.im" if e == "message" else e for e in listened_events()}
    assert events == listened
    needed = set().union(*(METHOD_SCOPES.get(m, set()) for m in web_api_calls()))
    needed |= set().union(*(EVENT_SCOPES[e] for e in events))
    if manifest["features"].get("slash_commands"):
        needed.add("commands")
    granted = set(manifest["oauth_config"]["scopes"]["bot"])
    assert granted - needed == set(), "scopes nothing uses"
    assert needed - granted == set(), "scopes the code needs but the manifest lacks"


def test_manifest_says_what_a_channel_push_needs() -> None:
    text = MANIFEST.read_text()
    assert "chat:write.public" in text and "/invite @crmbot" in text
