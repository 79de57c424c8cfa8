"""The files that run Maillage outside the test suite: docker-compose.yml, the Dockerfile, the
Makefile, .ci/run and the README. No Docker engine is needed: the compose file is parsed, and
every command it names is checked against the code (management commands, the Celery app, the
WSGI module)."""

from __future__ import annotations

import importlib
import os
import re
import shlex
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from celery import Celery
from celery.app.utils import find_app
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent


def _read(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(_read("docker-compose.yml"))


def _argv(command: str | list[str]) -> list[str]:
    """A compose command as argv; ``sh -c "a && b"`` is split into its words."""
    words = shlex.split(command) if isinstance(command, str) else list(command)
    if words[:2] == ["sh", "-c"]:
        return shlex.split(words[2])
    return words


def _manage_commands(text: str) -> set[str]:
    return set(re.findall(r"manage\.py\s+([a-z_]+)", text))


def test_compose_declares_the_five_services(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"db", "redis", "web", "worker", "beat"}
    assert services["db"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    for name in ("web", "worker", "beat"):
        assert services[name]["build"] == "."
        environment = services[name]["environment"]
        assert environment["DJANGO_ENV"] == "production"
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["DATABASE_URL"].endswith("@db:5432/maillage")
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        assert environment["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?")
        assert environment["DJANGO_ALLOWED_HOSTS"].startswith("${DJANGO_ALLOWED_HOSTS")


def test_compose_healthchecks_and_start_order(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name in ("db", "redis", "web"):
        assert services[name]["healthcheck"]["test"], name
    assert services["web"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    for name in ("worker", "beat"):
        assert services[name]["depends_on"] == {"web": {"condition": "service_healthy"}}


def test_compose_named_volumes(compose: dict[str, Any]) -> None:
    services = compose["services"]
    declared = set(compose["volumes"])
    assert {"db-data", "media"} <= declared
    assert "db-data:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert "media:/app/media" in services["web"]["volumes"]
    assert "media:/app/media" in services["worker"]["volumes"]
    for service in services.values():
        for volume in service.get("volumes", []):
            assert volume.split(":")[0] in declared, volume


def test_web_migrates_loads_communes_then_serves_cpts_wsgi(compose: dict[str, Any]) -> None:
    argv = _argv(compose["services"]["web"]["command"])
    script = " ".join(argv)
    assert script.index("manage.py migrate") < script.index("manage.py load_communes")
    assert script.index("manage.py load_communes") < script.index("gunicorn cpts.wsgi")


def test_every_management_command_named_exists() -> None:
    available = set(get_commands())
    named: set[str] = set()
    for name in ("docker-compose.yml", "Dockerfile", "Makefile", ".ci/run", "README.md"):
        named |= _manage_commands(_read(name))
    assert {"migrate", "load_communes", "seed_demo", "bench", "compilemessages"} <= named
    assert named - available == set()


def test_celery_app_and_wsgi_module_exist(compose: dict[str, Any]) -> None:
    for name in ("worker", "beat"):
        argv = _argv(compose["services"][name]["command"])
        assert argv[:4] == ["celery", "-A", "cpts", name]
        assert isinstance(find_app(argv[2]), Celery)
    wsgi = importlib.import_module("cpts.wsgi")
    assert callable(wsgi.application)
    for text in (" ".join(_argv(compose["services"]["web"]["command"])), _read("Dockerfile")):
        assert re.search(r"gunicorn\W+cpts\.wsgi\b", text)


def test_dockerfile_installs_weasyprint_libraries_and_runs_unprivileged() -> None:
    dockerfile = _read("Dockerfile")
    assert dockerfile.startswith("#") and "FROM python:3.11-slim-bookworm" in dockerfile
    for package in (
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "libharfbuzz0b",
        "libharfbuzz-subset0",
        "fonts-dejavu-core",
        "gettext",
    ):
        assert re.search(rf"\s{re.escape(package)}\s", dockerfile), package
    assert "collectstatic" in dockerfile
    assert re.search(r"^USER maillage$", dockerfile, re.MULTILINE)


def test_dockerignore_keeps_secrets_and_local_state_out() -> None:
    ignored = set(_read(".dockerignore").split())
    assert {".git", ".venv", ".env", "db.sqlite3", "media"} <= ignored


def test_makefile_targets() -> None:
    makefile = _read("Makefile")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.MULTILINE))
    assert {"demo", "test", "lint", "bench", "messages", "clean"} <= targets
    assert "playwright install" not in makefile


@pytest.mark.skipif(shutil.which("make") is None, reason="make est absent de cette machine")
@pytest.mark.parametrize("target", ["demo", "test", "lint", "bench", "messages", "clean"])
def test_makefile_parses(target: str) -> None:
    """GNU make accepts the Makefile (dry run: nothing is executed)."""
    result = subprocess.run(
        ["make", "--dry-run", "--always-make", target],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "MAKEFLAGS": ""},
    )
    assert result.returncode == 0, result.stderr


def test_ci_script_is_executable_and_strict() -> None:
    path = ROOT / ".ci" / "run"
    assert path.stat().st_mode & stat.S_IXUSR
    script = path.read_text(encoding="utf-8")
    assert script.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in script
    for needle in ("make test", "ruff check", "ruff format --check", "mypy", "REQUIRE_BROWSER=1"):
        assert needle in script, needle
    assert "makemigrations --check --dry-run" in script


def test_readme_documents_every_setting_variable() -> None:
    """Each environment variable the settings read has its row in the README's table."""
    settings_source = _read("cpts/settings.py")
    variables = set(re.findall(r"env_(?:str|bool|int|list)\(\s*\"([A-Z_]+)\"", settings_source))
    assert {"DJANGO_ENV", "DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= variables
    table_rows = {
        match
        for line in _read("README.md").splitlines()
        if line.startswith("|")
        for match in re.findall(r"^\|\s*`([A-Z_]+)`", line)
    }
    assert variables - table_rows == set()
