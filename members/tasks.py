"""Celery tasks of the member base. Thin: the work is in members.services."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from members.services.campaigns import run_renewal_campaign


@shared_task(name="members.renewal_campaign")
def renewal_campaign() -> dict[str, int]:
    """Run daily by Celery beat: sends the renewal emails due today (idempotent)."""
    result = run_renewal_campaign(timezone.localdate())
    return {"first": result.first, "second": result.second}
