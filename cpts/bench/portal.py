"""The benchmark's data set of the adherent's portal home, grown with the member base.

On top of the governance data set (``cpts.bench.governance``: working groups, the AG with a
convocation per member): one shared document per ``MEMBERS_PER_DOCUMENT`` active members
(every category, a tenth for a working group's members only), one past CA with approved
minutes per ``MEMBERS_PER_MINUTES`` active members, ``UPCOMING`` convened working-group
meetings of the demo adherent, and fee reminders switched off by one member in ten. The
portal pages are measured as the demo adherent (``PORTAL_USER``). Idempotent and cumulative;
bulk inserts, no audit trail: throw-away measurement data.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from cpts.bench.governance import seed_governance
from governance.models import (
    Body,
    BodyKind,
    Convocation,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    SharedDocument,
    SharedDocumentCategory,
    SharedDocumentVisibility,
)
from members.models import EmailCategory, EmailOptOut, Member
from members.models.members import MemberStatus

PORTAL_USER = "adherent@cpts-demo.fr"
BENCH_DOCUMENT_PREFIX = "Document de mesure n°"
BENCH_MINUTES_PREFIX = "CA de mesure n°"
BENCH_UPCOMING_PREFIX = "Réunion de groupe de mesure n°"
MEMBERS_PER_DOCUMENT = 50
MEMBERS_PER_MINUTES = 100
UPCOMING = 10
BATCH = 1000


def _grow_documents(target: int) -> None:
    existing = SharedDocument.objects.filter(title__startswith=BENCH_DOCUMENT_PREFIX).count()
    if existing >= target:
        return
    name = default_storage.save(
        "governance/library/bench/mesure.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n")
    )
    groups = list(Body.objects.filter(kind=BodyKind.GROUP).values_list("pk", flat=True))
    categories = [c.value for c in SharedDocumentCategory]
    rows = []
    for index in range(existing, target):
        for_group = bool(groups) and index % 10 == 0
        rows.append(
            SharedDocument(
                title=f"{BENCH_DOCUMENT_PREFIX}{index + 1}",
                category=categories[index % len(categories)],
                file=name,
                visibility=(
                    SharedDocumentVisibility.BODY if for_group else SharedDocumentVisibility.MEMBERS
                ),
                body_id=groups[index % len(groups)] if for_group else None,
                published_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=index % 2000),
            )
        )
    SharedDocument.objects.bulk_create(rows, batch_size=BATCH)


def _grow_minutes(target: int) -> None:
    ca = Body.objects.get(kind=BodyKind.CA)
    existing = Meeting.objects.filter(title__startswith=BENCH_MINUTES_PREFIX).count()
    if existing >= target:
        return
    now = timezone.now()
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                body=ca,
                title=f"{BENCH_MINUTES_PREFIX}{index + 1}",
                starts_at=now - datetime.timedelta(days=30 + index),
                status=MeetingStatus.MINUTES_APPROVED,
            )
            for index in range(existing, target)
        ],
        batch_size=BATCH,
    )
    Minutes.objects.bulk_create(
        [
            Minutes(
                meeting=meeting,
                text="Procès-verbal de mesure.",
                status=MinutesStatus.APPROVED,
                approved_on=timezone.localdate(),
            )
            for meeting in meetings
        ],
        batch_size=BATCH,
    )


def _grow_upcoming(member: Member) -> None:
    if Meeting.objects.filter(title__startswith=BENCH_UPCOMING_PREFIX).exists():
        return
    group = Body.objects.filter(kind=BodyKind.GROUP).order_by("pk").first()
    if group is None:
        return
    now = timezone.now()
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                body=group,
                title=f"{BENCH_UPCOMING_PREFIX}{index + 1}",
                starts_at=now + datetime.timedelta(days=7 * (index + 1)),
                status=MeetingStatus.CONVENED,
                convened_at=now,
            )
            for index in range(UPCOMING)
        ]
    )
    Convocation.objects.bulk_create(
        [Convocation(meeting=meeting, member=member, sent_at=now) for meeting in meetings]
    )


def _grow_opt_outs(active: list[int]) -> None:
    wanted = set(active[::10])
    have = set(
        EmailOptOut.objects.filter(category=EmailCategory.FEE_REMINDER).values_list(
            "member_id", flat=True
        )
    )
    EmailOptOut.objects.bulk_create(
        [
            EmailOptOut(member_id=pk, category=EmailCategory.FEE_REMINDER)
            for pk in sorted(wanted - have)
        ],
        batch_size=BATCH,
    )


@transaction.atomic
def seed_portal() -> None:
    """Bring the portal data set up to the current member base (idempotent)."""
    seed_governance()
    active = list(
        Member.objects.filter(status=MemberStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    _grow_documents(len(active) // MEMBERS_PER_DOCUMENT)
    _grow_minutes(len(active) // MEMBERS_PER_MINUTES)
    member = Member.objects.filter(user__email=PORTAL_USER).first()
    if member is not None:
        _grow_upcoming(member)
    _grow_opt_outs(active)


def portal_kwargs() -> dict[str, Any]:
    """URL arguments of a portal page: none, once the data set is grown."""
    seed_portal()
    return {}
