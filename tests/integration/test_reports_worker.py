"""A real Celery worker, on the Redis broker, builds the ACI activity report the président
asks for on the demo data (the approach of tests/integration/test_celery_worker.py, whose
worker fixtures this file copies).

Runs only when REDIS_URL is set (CI sets it), on a database a second process can open
(PostgreSQL, or SQLite in a file); transactional, so that the worker sees committed rows.
"""

from __future__ import annotations

import os
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from cpts.celery import app as celery_app
from cpts.jobs import request_document
from cpts.models import GeneratedDocument, User
from members.selectors.statistics import member_counts
from missions.selectors.contract import current_contract
from reports.documents import ACI_KIND
from reports.sections.aci import ACI_SECTIONS
from tests.conftest import ensure_reference_data
from tests.integration.conftest import Worker, finished_document
from tests.pdf_utils import pdf_page_count, pdf_text

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 120


def test_worker_builds_the_aci_report(not_eager: None, worker: Worker) -> None:
    log_path = worker[1]
    assert os.environ["REDIS_URL"] == settings.CELERY_BROKER_URL
    assert not celery_app.conf.task_always_eager
    ensure_reference_data()  # an earlier worker test's flush emptied the professions
    call_command("seed_demo", stdout=StringIO())
    president = User.objects.get(email="presidence@cpts-demo.fr")
    contract = current_contract()
    assert contract is not None
    year = contract.years.get(number=2)

    requested = request_document(
        ACI_KIND,
        requested_by=president,
        parameters={"contract": contract.pk, "contract_year": year.number},
    )

    document = finished_document(
        worker,
        lambda: GeneratedDocument.objects.get(pk=requested.pk),
        what="Rapport",
        seconds=WAIT_SECONDS,
        interval=0.2,
    )
    assert document.progress == 100
    assert "cpts.build_document" in log_path.read_text()
    pdf_path = Path(document.file.path)
    assert pdf_path.is_relative_to(settings.MEDIA_ROOT)
    assert pdf_path.name.startswith("rapport-activite-aci-annee-2-")
    content = pdf_path.read_bytes()
    text = pdf_text(content)
    for section in ACI_SECTIONS:
        assert str(section.title) in text
    on = min(year.end, timezone.localdate())
    assert f"Cotisations {on.year} encaissées {member_counts(on).active} " in text
    assert 8 <= pdf_page_count(content) <= 40
