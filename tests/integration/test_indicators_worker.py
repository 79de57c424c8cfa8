"""A real Celery worker, on the Redis broker, runs the nightly recomputation of the
indicators: the beat task queues the job, the worker builds it (the same process as
tests/integration/test_celery_worker.py, whose approach this file copies).

Runs only when REDIS_URL is set (CI sets it), on a database a second process can open
(PostgreSQL, or SQLite in a file); transactional, so that the worker sees committed rows.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from cpts.celery import app as celery_app
from cpts.indicator_registry import registered_indicators
from cpts.models import Association, GeneratedDocument
from indicators.models import IndicatorDefinition, IndicatorSource, Measurement
from indicators.services.recompute import RECOMPUTE_KIND
from members.models.members import MemberStatus
from missions.models import Contract, ContractYear, Taille
from tests.factories import MemberFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

Worker = tuple["subprocess.Popen[bytes]", Path]  # the process and its log file
WAIT_SECONDS = 90
STOP_SECONDS = 15

if not os.environ.get("REDIS_URL"):
    pytest.skip(
        "REDIS_URL n'est pas défini : le test du worker Celery réel a besoin de Redis "
        "(la CI le lance ; en local : REDIS_URL=redis://127.0.0.1:6379/0 make test).",
        allow_module_level=True,
    )


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
    """A ``celery -A cpts worker`` process on the test database; always stopped."""
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


def _current_contract_year() -> ContractYear:
    """A signed contract whose second year contains today."""
    first_day = timezone.localdate() - timedelta(days=400)
    contract = Contract.objects.create(
        signed_on=first_day, cpam="CPAM", ars="ARS", taille=Taille.T2, population=50000
    )
    start = first_day
    for number in range(1, 6):
        end = start.replace(year=start.year + 1) - timedelta(days=1)
        ContractYear.objects.create(contract=contract, number=number, start=start, end=end)
        start = end + timedelta(days=1)
    return contract.years.get(number=2)


def test_worker_recomputes_the_current_contract_year(
    association: Association, not_eager: None, worker: Worker
) -> None:
    process, log_path = worker
    assert os.environ["REDIS_URL"] == settings.CELERY_BROKER_URL
    assert not celery_app.conf.task_always_eager
    year = _current_contract_year()
    today = timezone.localdate()
    MemberFactory.create(joined_on=today - timedelta(days=600))
    MemberFactory.create(joined_on=today - timedelta(days=30))
    MemberFactory.create(joined_on=today)
    MemberFactory.create(status=MemberStatus.CANDIDATE)  # not a member yet

    celery_app.send_task("indicators.tasks.recompute_current_contract_year")

    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        document = GeneratedDocument.objects.filter(kind=RECOMPUTE_KIND).first()
        if document is not None and document.is_finished:
            break
        if process.poll() is not None:
            pytest.fail(
                f"Le worker s'est arrêté (code {process.returncode}) :\n{log_path.read_text()}"
            )
        if time.monotonic() > deadline:
            state = document.status if document else "aucun document"
            pytest.fail(
                f"Recalcul toujours « {state} » après {WAIT_SECONDS} s.\n"
                f"Journal du worker :\n{log_path.read_text()}"
            )
        time.sleep(0.5)

    assert document.status == GeneratedDocument.Status.DONE, (
        f"{document.error_message}\nJournal du worker :\n{log_path.read_text()}"
    )
    assert document.progress == 100
    assert document.parameters == {"contract_year": year.pk}
    log = log_path.read_text()
    assert "indicators.tasks.recompute_current_contract_year" in log
    assert "cpts.build_document" in log

    computed = IndicatorDefinition.objects.filter(
        source=IndicatorSource.COMPUTED, is_active=True, code__in=list(registered_indicators())
    )
    measured = Measurement.objects.filter(job=document, contract_year=year)
    assert set(measured.values_list("indicator__code", flat=True)) == set(
        computed.values_list("code", flat=True)
    )
    members = measured.get(indicator__code="members_active", breakdown="")
    assert members.value == Decimal(3)  # the candidate is not counted
    content = Path(document.file.path).read_bytes()
    assert content.startswith("\ufeffcode;intitulé;période;ventilation;valeur;".encode())
