"""Celery tasks of the crisis mission. Thin: the work is in crisis.services."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="crisis.tasks.deliver_alert")
def deliver_alert(alert_id: int) -> int:
    from crisis.services.alerts import deliver

    return deliver(alert_id)
