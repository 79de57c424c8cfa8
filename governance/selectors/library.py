"""Reads of the shared-document library: what a person may see (every adherent the
"members" documents and the approved minutes; the members of a body that body's documents;
the coordination everything), a page of it per category, and the portal card. A fixed number
of queries whatever the number of documents."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cpts.permissions import user_can
from governance.models import (
    BodyKind,
    Mandate,
    Minutes,
    MinutesStatus,
    SharedDocument,
    SharedDocumentCategory,
    SharedDocumentVisibility,
)
from members.models import Member
from members.models.members import MemberStatus

PAGE_SIZE = 20
CARD_LATEST = 3


def _sees_everything(user: Any) -> bool:
    return user_can(user, "library.manage")


def _member_body_ids(member: Member | None, day: datetime.date) -> Any:
    """A subquery of the bodies whose documents ``member`` sees (running mandates)."""
    if member is None or member.status != MemberStatus.ACTIVE:
        return Mandate.objects.none().values("body_id")
    return Mandate.objects.active_on(day).filter(member=member).values("body_id")


def visible_documents(user: Any, member: Member | None) -> QuerySet[SharedDocument]:
    """The uploaded documents ``user`` (with their member record) may open."""
    documents = SharedDocument.objects.select_related("body")
    if _sees_everything(user):
        return documents
    day = timezone.localdate()
    visible = Q(visibility=SharedDocumentVisibility.MEMBERS)
    if member is not None and member.status == MemberStatus.ACTIVE:
        visible |= Q(visibility=SharedDocumentVisibility.BODY) & (
            Q(body__in=_member_body_ids(member, day)) | Q(body__kind=BodyKind.AG)
        )
    return documents.filter(visible)


def approved_minutes() -> QuerySet[Minutes]:
    """Approved minutes, newest meeting first: every adherent may read them."""
    return (
        Minutes.objects.filter(status=MinutesStatus.APPROVED)
        .select_related("meeting", "meeting__body")
        .order_by("-meeting__starts_at", "-pk")
    )


@dataclass(frozen=True)
class LibraryEntry:
    """A row of the library: an uploaded document or approved minutes."""

    title: str
    category: str
    day: datetime.date | None
    detail: str  # the body, or the document's description
    url_name: str
    pk: int
    is_minutes: bool = False


def _document_entry(document: SharedDocument) -> LibraryEntry:
    detail = document.description
    if document.visibility == SharedDocumentVisibility.BODY and document.body is not None:
        detail = f"{document.body.name} — {detail}" if detail else document.body.name
    return LibraryEntry(
        title=document.title,
        category=document.category,
        day=document.published_on,
        detail=detail,
        url_name="shared_document_download",
        pk=document.pk,
    )


def _minutes_entry(minutes: Minutes) -> LibraryEntry:
    meeting = minutes.meeting
    return LibraryEntry(
        title=meeting.title,
        category=SharedDocumentCategory.MINUTES,
        day=timezone.localtime(meeting.starts_at).date(),
        detail=meeting.body.name,
        url_name="minutes_public",
        pk=minutes.pk,
        is_minutes=True,
    )


@dataclass
class CategoryCount:
    category: str
    label: str
    count: int


def category_counts(user: Any, member: Member | None) -> list[CategoryCount]:
    """Every category with the number of documents the person sees in it (two queries)."""
    counts = dict(
        visible_documents(user, member)
        .order_by()
        .values_list("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    counts[SharedDocumentCategory.MINUTES] = (
        counts.get(SharedDocumentCategory.MINUTES, 0) + approved_minutes().count()
    )
    return [
        CategoryCount(category=c.value, label=str(c.label), count=counts.get(c.value, 0))
        for c in SharedDocumentCategory
    ]


def library_page(
    user: Any, member: Member | None, category: str, page_number: Any
) -> tuple[Page[Any], list[LibraryEntry]]:
    """One page of a category. The minutes category lists the uploaded minutes first, then
    the approved minutes of the meetings."""
    documents = visible_documents(user, member).filter(category=category)
    if category != SharedDocumentCategory.MINUTES:
        page = Paginator(documents.order_by("-published_on", "title", "pk"), PAGE_SIZE).get_page(
            page_number
        )
        return page, [_document_entry(d) for d in page.object_list]
    uploaded = [_document_entry(d) for d in documents.order_by("-published_on", "pk")[:PAGE_SIZE]]
    minutes_page = Paginator(approved_minutes(), PAGE_SIZE).get_page(page_number)
    entries = [_minutes_entry(m) for m in minutes_page.object_list]
    return minutes_page, (uploaded + entries) if minutes_page.number == 1 else entries


def latest_entries(
    user: Any, member: Member | None, limit: int = CARD_LATEST
) -> list[LibraryEntry]:
    """The newest documents and approved minutes, for the portal card (two queries)."""
    documents = [
        _document_entry(d)
        for d in visible_documents(user, member).order_by("-published_on", "-pk")[:limit]
    ]
    minutes = [_minutes_entry(m) for m in approved_minutes()[:limit]]
    rows = sorted(documents + minutes, key=lambda e: e.day or datetime.date.min, reverse=True)
    return rows[:limit]


def visible_document(user: Any, member: Member | None, pk: int) -> SharedDocument | None:
    return visible_documents(user, member).filter(pk=pk).first()


def managed_documents(category: str | None, page_number: Any) -> Page[SharedDocument]:
    """The coordination's list, a page at a time."""
    documents = SharedDocument.objects.select_related("body", "uploaded_by").order_by(
        "category", "-published_on", "title", "pk"
    )
    if category:
        documents = documents.filter(category=category)
    return Paginator(documents, PAGE_SIZE).get_page(page_number)
