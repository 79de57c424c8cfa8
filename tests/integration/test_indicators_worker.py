"""A real Celery worker, on the Redis broker, runs the nightly recomputation of the
indicators: the beat task queues the job, the worker builds it (the same process as
tests/integration/test_celery_worker.py, whose approach this file copies).

Runs only when REDIS_URL is set (CI sets it), on a database a second process can open
(PostgreSQL, or SQLite in a file); transactional, so that the worker sees committed rows.
"""

from __future__ import annotations

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from cpts.celery import app as celery_app
from cpts.indicator_registry import registered_indicators
from cpts.models import Association, GeneratedDocument
from indicators.models import IndicatorDefinition, IndicatorSource, Measurement
from indicators.services.recompute import RECOMPUTE_KIND
from members.models.members import MemberStatus
from missions.models import Contract, ContractYear, Taille
from tests.factories import MemberFactory
from tests.integration.conftest import Worker, finished_document

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 90


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
    log_path = worker[1]
    assert os.environ["REDIS_URL"] == settings.CELERY_BROKER_URL
    assert not celery_app.conf.task_always_eager
    year = _current_contract_year()
    today = timezone.localdate()
    MemberFactory.create(joined_on=today - timedelta(days=600))
    MemberFactory.create(joined_on=today - timedelta(days=30))
    MemberFactory.create(joined_on=today)
    MemberFactory.create(status=MemberStatus.CANDIDATE)  # not a member yet

    celery_app.send_task("indicators.tasks.recompute_current_contract_year")

    document = finished_document(
        worker,
        GeneratedDocument.objects.filter(kind=RECOMPUTE_KIND).first,
        what="Recalcul",
        seconds=WAIT_SECONDS,
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
