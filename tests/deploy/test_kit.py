"""The deployment kit read as files, wherever the tests run (the image itself is built only
where Docker is: test_docker_compose.py): the Dockerfile's promises, compose.yaml's wiring,
and the package that `pip install .` puts in the image carrying the parser's model."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    text = re.sub(r"\\\n", " ", text)
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def test_dockerfile_slim_non_root_healthcheck_entry_point() -> None:
    steps = instructions()
    bases = [args.split()[0] for word, args in steps if word == "FROM"]
    assert bases and all(base == "python:3.11-slim" for base in bases)
    users = [args for word, args in steps if word == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    final = steps[max(i for i, (word, _) in enumerate(steps) if word == "FROM") :]
    assert ("ENTRYPOINT", '["crmbot"]') in final
    healthcheck = next(args for word, args in final if word == "HEALTHCHECK")
    assert '"bot.healthcheck"' in healthcheck  # asks /healthz (tests/adapters/test_health_serve)
    # The build loads the parser, so an image without its model cannot be built.
    assert any("Parser.load()" in args for word, args in steps if word == "RUN")
    copied = {args.split()[0] for word, args in steps if word == "COPY" and "--from" not in args}
    assert {"bot", "crm_core", "intents", "jobs", "pyproject.toml"} <= copied


def test_compose_runs_the_chosen_platform_on_postgresql() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    db, bot = compose["services"]["db"], compose["services"]["bot"]
    assert db["image"].startswith("postgres:") and "healthcheck" in db
    assert bot["command"] == ["serve", "${CRMBOT_PLATFORM:-telegram}"]
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    env = bot["environment"]
    assert env["CRMBOT_DATABASE_URL"].startswith("postgresql://crmbot:")
    assert env["CRMBOT_DATABASE_URL"].endswith("@db:5432/crmbot")
    # One port for events and health in every mode; the image's HEALTHCHECK asks it.
    assert env["CRMBOT_PORT"] == env["CRMBOT_HEALTH_PORT"] == "8080"
    assert bot["ports"] == ["127.0.0.1:${CRMBOT_PUBLISH_PORT:-8080}:8080"]
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    for name in ("CRMBOT_PLATFORM", "POSTGRES_PASSWORD", "CRMBOT_PUBLISH_PORT"):
        assert re.search(rf"^#? ?{name}=", example, re.MULTILINE), name


def test_the_package_ships_the_model_and_the_licence() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "model/**/*" in project["tool"]["setuptools"]["package-data"]["intents"]
    assert any(d.startswith("prometheus_client") for d in project["project"]["dependencies"])
    assert (ROOT / "intents" / "model" / "meta.json").is_file()
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert project["project"]["license"]["text"] == "MIT" and "MIT License" in licence
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in changelog and "## [0.1.0]" in changelog
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert ".env" in ignored and ".git" in ignored  # secrets and history stay out of the image
