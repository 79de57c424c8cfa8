"""Celery tasks of the indicators. Thin: the work is in indicators/services/recompute.py.

The nightly recomputation goes through the document pipeline (``request_recompute``) rather
than computing here: the run then shows in the documents list with its progress, its
outcome (or its French error) and the CSV of the values computed, like a recomputation asked
from the indicators page; the build itself is the ``cpts.build_document`` task it queues."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from indicators.services.recompute import request_recompute
from missions.selectors.contract import current_contract, year_covering

logger = logging.getLogger(__name__)


@shared_task(name="indicators.tasks.recompute_current_contract_year")
def recompute_current_contract_year() -> int | None:
    """Queue the recomputation of the contract year containing today. Returns the job's id,
    or None (and a log line) when there is no contract or no contract year today."""
    today = timezone.localdate()
    contract = current_contract()
    if contract is None:
        logger.info("Nightly indicator recomputation skipped: no contract.")
        return None
    year = year_covering(list(contract.years.all()), today)
    if year is None:
        logger.info(
            "Nightly indicator recomputation skipped: contract %s has no year covering %s.",
            contract.pk,
            today.isoformat(),
        )
        return None
    document = request_recompute(user=None, contract_year_id=year.pk)
    logger.info("Nightly indicator recomputation queued: document %s.", document.pk)
    return document.pk
