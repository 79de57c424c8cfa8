"""A real Celery worker, on the Redis broker, builds the identity PDF the app asks for.

Runs only when REDIS_URL is set (CI sets it). The worker is a separate ``celery -A cpts worker``
process that reaches the test database through DATABASE_URL: the test is transactional so the
worker sees committed rows, and the database must be one a second process can open
(PostgreSQL, or SQLite in a file).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

from cpts.celery import app as celery_app
from cpts.jobs import request_document
from cpts.models import Association, GeneratedDocument, User
from tests.integration.conftest import Worker, finished_document
from tests.pdf_utils import pdf_text

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 60


def test_worker_builds_identity_pdf(
    association: Association, coordinator: User, not_eager: None, worker: Worker
) -> None:
    log_path = worker[1]
    assert os.environ["REDIS_URL"] == settings.CELERY_BROKER_URL
    assert not celery_app.conf.task_always_eager

    requested = request_document("identity_sheet", requested_by=coordinator)

    document = finished_document(
        worker,
        lambda: GeneratedDocument.objects.get(pk=requested.pk),
        what="Document",
        seconds=WAIT_SECONDS,
    )
    assert document.progress == 100
    assert document.started_at is not None and document.finished_at is not None
    assert "cpts.build_document" in log_path.read_text()

    pdf_path = Path(document.file.path)
    assert pdf_path.is_relative_to(settings.MEDIA_ROOT)
    text = pdf_text(pdf_path.read_bytes())
    assert "Fiche d'identité de la CPTS" in text
    assert association.name in text
    for commune in ("Clermont-l'Hérault", "Lodève", "Gignac"):
        assert commune in text
