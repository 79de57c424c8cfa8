"""Celery tasks of the core. Tasks take primitive ids and stay thin: the work is in services."""

from __future__ import annotations

from celery import shared_task

from cpts.services.documents import run_document


@shared_task(name="cpts.build_document")
def build_document(document_id: int) -> str:
    return run_document(document_id)
