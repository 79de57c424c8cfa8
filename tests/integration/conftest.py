"""A real ``celery -A cpts worker`` process for the integration tests, on the Redis broker.

The tests run only when REDIS_URL is set (CI sets it). The worker reaches the test database
through DATABASE_URL: the tests are transactional so the worker sees committed rows, and the
database must be one a second process can open (PostgreSQL, or SQLite in a file).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.db import connection

from cpts.celery import app as celery_app
from cpts.models import GeneratedDocument

Worker = tuple["subprocess.Popen[bytes]", Path]  # the process and its log file
STOP_SECONDS = 15


def _worker_database_url() -> str:
    """DATABASE_URL of the test database, for the worker process."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        credentials = quote(db["USER"], safe="")
        if db["PASSWORD"]:
            credentials += ":" + quote(db["PASSWORD"], safe="")
        netloc = f"{credentials}@{db['HOST']}" if credentials else db["HOST"]
        if db["PORT"]:
            netloc += f":{db['PORT']}"
        query = urlencode(db.get("OPTIONS") or {})
        return f"postgres://{netloc}/{quote(db['NAME'], safe='')}" + (f"?{query}" if query else "")
    if connection.vendor == "sqlite":
        name = str(db["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            pytest.skip(
                "La base de test SQLite est en mémoire : un worker Celery (autre processus) "
                "ne peut pas l'ouvrir. Lancez ce test avec DATABASE_URL vers PostgreSQL "
                "(comme la CI)."
            )
        return f"sqlite:///{Path(name).resolve()}"
    pytest.skip(f"Base {connection.vendor} non prise en charge par ce test.")


@pytest.fixture
def not_eager() -> Iterator[None]:
    """Send tasks to the broker for real, whatever the rest of the suite chose."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[Worker]:
    """A ``celery -A cpts worker`` process on the test database and the test's media folder;
    always stopped."""
    if not os.environ.get("REDIS_URL"):
        pytest.skip(
            "REDIS_URL n'est pas défini : le test du worker Celery réel a besoin de Redis "
            "(la CI le lance ; en local : REDIS_URL=redis://127.0.0.1:6379/0 make test)."
        )
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_ENV": "test",
        "DATABASE_URL": _worker_database_url(),
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "cpts",
        "worker",
        "--pool",
        "solo",
        "--concurrency",
        "1",
        "--loglevel",
        "INFO",
        "--hostname",
        f"maillage-test-{uuid.uuid4().hex[:8]}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process, log_path
        finally:
            process.terminate()
            try:
                process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=STOP_SECONDS)


def finished_document(
    worker: Worker,
    find: Callable[[], GeneratedDocument | None],
    *,
    what: str = "Document",
    seconds: float = 60,
    interval: float = 0.5,
) -> GeneratedDocument:
    """The document ``find`` returns once the worker has finished it, checked to be done;
    fails with the worker's log if the worker stops, the job fails or ``seconds`` pass."""
    process, log_path = worker
    deadline = time.monotonic() + seconds
    while True:
        document = find()
        if document is not None and document.is_finished:
            break
        if process.poll() is not None:
            pytest.fail(
                f"Le worker s'est arrêté (code {process.returncode}) :\n{log_path.read_text()}"
            )
        if time.monotonic() > deadline:
            state = document.status if document else "aucun document"
            pytest.fail(
                f"{what} toujours « {state} » après {seconds} s.\n"
                f"Journal du worker :\n{log_path.read_text()}"
            )
        time.sleep(interval)
    assert document.status == GeneratedDocument.Status.DONE, (
        f"{document.error_message}\nJournal du worker :\n{log_path.read_text()}"
    )
    return document
