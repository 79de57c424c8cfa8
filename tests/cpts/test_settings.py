"""Settings read from the environment, and the fail-closed production mode."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from cpts.env import database_from_url, env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


def _boot(expr: str = "settings.DEBUG", **env: str) -> subprocess.CompletedProcess[str]:
    """Import the settings in a fresh interpreter with exactly these Maillage variables."""
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))
    }
    clean.update(env)
    code = (
        f"import django; django.setup(); from django.conf import settings; print(repr(({expr},)))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_without_secret_key_refuses_to_start_with_a_french_message():
    result = _boot(DJANGO_SETTINGS_MODULE="cpts.settings")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY doit contenir une clé secrète réelle" in result.stderr


def test_production_with_a_short_or_insecure_key_refuses_to_start():
    assert _boot(DJANGO_SETTINGS_MODULE="cpts.settings", DJANGO_SECRET_KEY="court").returncode != 0
    insecure = "insecure-" + "x" * 40
    assert _boot(DJANGO_SETTINGS_MODULE="cpts.settings", DJANGO_SECRET_KEY=insecure).returncode != 0


def test_production_with_a_real_key_starts_with_debug_off():
    result = _boot(DJANGO_SETTINGS_MODULE="cpts.settings", DJANGO_SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(False,)"


def test_development_mode_starts_without_a_key_and_with_debug_on():
    result = _boot(DJANGO_SETTINGS_MODULE="cpts.settings", DJANGO_ENV="development")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(True,)"


def test_unknown_mode_is_refused():
    result = _boot(DJANGO_SETTINGS_MODULE="cpts.settings", DJANGO_ENV="staging")
    assert result.returncode != 0
    assert "DJANGO_ENV" in result.stderr


def test_env_helpers(monkeypatch):
    monkeypatch.setenv("X_BOOL", "oui")
    monkeypatch.setenv("X_INT", "12")
    monkeypatch.setenv("X_LIST", "a.fr, b.fr,,")
    assert env_bool("X_BOOL") is True
    assert env_bool("X_MISSING", default=True) is True
    assert env_int("X_INT", 0) == 12
    assert env_list("X_LIST") == ["a.fr", "b.fr"]
    monkeypatch.setenv("X_BOOL", "peut-être")
    with pytest.raises(ImproperlyConfigured, match="X_BOOL"):
        env_bool("X_BOOL")
    monkeypatch.setenv("X_INT", "douze")
    with pytest.raises(ImproperlyConfigured, match="X_INT"):
        env_int("X_INT", 0)


def test_database_url_parsing():
    db = database_from_url("postgres://maillage:s%40cret@127.0.0.1:5433/cpts?sslmode=require")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "cpts",
        "maillage",
        "s@cret",
        "127.0.0.1",
        "5433",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}
    assert database_from_url("sqlite:////tmp/x.db")["NAME"] == "/tmp/x.db"
    with pytest.raises(ImproperlyConfigured, match="mysql"):
        database_from_url("mysql://localhost/db")


def test_embedded_defaults_need_no_server():
    expr = (
        "settings.CELERY_TASK_ALWAYS_EAGER, settings.EMAIL_BACKEND, "
        "settings.DATABASES['default']['ENGINE'], settings.LANGUAGE_CODE, settings.TIME_ZONE, "
        "settings.USE_TZ"
    )
    result = _boot(expr, DJANGO_SETTINGS_MODULE="cpts.settings", DJANGO_ENV="development")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "(True, 'django.core.mail.backends.console.EmailBackend', "
        "'django.db.backends.sqlite3', 'fr', 'Europe/Paris', True)"
    )


def test_redis_postgres_and_smtp_are_switched_on_by_the_environment():
    expr = (
        "settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL, "
        "settings.CACHES['default']['BACKEND'], settings.EMAIL_BACKEND, "
        "settings.DATABASES['default']['ENGINE']"
    )
    result = _boot(
        expr,
        DJANGO_SETTINGS_MODULE="cpts.settings",
        DJANGO_ENV="development",
        REDIS_URL="redis://127.0.0.1:6379/3",
        DATABASE_URL="postgres://u:p@127.0.0.1:5432/db",
        EMAIL_HOST="smtp.exemple.fr",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "(False, 'redis://127.0.0.1:6379/3', 'django.core.cache.backends.redis.RedisCache', "
        "'django.core.mail.backends.smtp.EmailBackend', 'django.db.backends.postgresql')"
    )
