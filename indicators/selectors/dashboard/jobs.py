"""The dashboard's jobs block: generated documents queued, running or failed in the last
days (one query)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from cpts.models import GeneratedDocument
from cpts.selectors.documents import DocumentInfo, document_info

DAYS = 7
SHOWN = 10
_WATCHED = (
    GeneratedDocument.Status.QUEUED,
    GeneratedDocument.Status.RUNNING,
    GeneratedDocument.Status.FAILED,
)


@dataclass(frozen=True)
class JobsBlock:
    documents: list[DocumentInfo]  # the latest ``SHOWN``
    running: int  # queued or running
    failed: int
    days: int

    @property
    def total(self) -> int:
        return self.running + self.failed


def jobs_block(now: datetime.datetime) -> JobsBlock:
    """Two queries: the counts, and the latest documents with who asked for them."""
    recent = GeneratedDocument.objects.filter(
        created_at__gte=now - datetime.timedelta(days=DAYS), status__in=_WATCHED
    )
    counts = recent.aggregate(
        running=Count("pk", filter=~Q(status=GeneratedDocument.Status.FAILED)),
        failed=Count("pk", filter=Q(status=GeneratedDocument.Status.FAILED)),
    )
    documents = recent.select_related("requested_by").order_by("-created_at", "-pk")[:SHOWN]
    return JobsBlock(
        documents=[document_info(document) for document in documents],
        running=counts["running"],
        failed=counts["failed"],
        days=DAYS,
    )
