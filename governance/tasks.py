"""Celery tasks of governance. Thin: the work is in governance.services."""

from __future__ import annotations

from celery import shared_task

from governance.services.convocations import send_reminders


@shared_task(name="governance.tasks.send_meeting_reminders")
def send_meeting_reminders() -> int:
    """Run hourly by Celery beat: reminds the invitees of meetings starting within 48 hours
    (each meeting once, so running it again sends nothing)."""
    return send_reminders()
