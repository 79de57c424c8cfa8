"""Who did what, and when, in the claims demo (claims/demo.py, claims/demo_history.py): each
decision is the act of a person who held the role that day (read from the mandates, as
``governance.roles`` grants them), and the bulk-created paid claims carry the same audit
history as the claims that went through the services, shown in French on their page."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from claims.models import Claim, ClaimStatus, ClosedPeriod, PaymentBatch
from cpts.models import User
from cpts.roles import Role
from cpts.services.demo import seed_demo
from governance.models import BodyKind, Mandate, MandateRole
from governance.roles import mandate_roles
from members.models import Member
from tests.conftest import ensure_reference_data

pytestmark = pytest.mark.django_db


def _seed() -> list[str]:
    ensure_reference_data()
    messages: list[str] = []
    seed_demo(messages.append)
    return messages


def _may_approve(user: User | None, day: datetime.date) -> bool:
    """The coordination approves at any time; anybody else through a treasurer mandate
    running that day."""
    assert user is not None
    return user.is_staff or Role.TRESORIER in set(mandate_roles(user, on=day))


def _may_validate(user: User | None, claim: Claim, day: datetime.date) -> bool:
    """The coordination, or the référent leading the claim's working group that day."""
    assert user is not None
    if user.is_staff:
        return True
    if claim.meeting is None:
        return False
    return (
        Mandate.objects.active_on(day)
        .filter(
            member__user=user,
            body=claim.meeting.body,
            body__kind=BodyKind.GROUP,
            role=MandateRole.REFERENT,
        )
        .exists()
    )


def _day(moment: datetime.datetime | None) -> datetime.date:
    assert moment is not None
    return timezone.localdate(moment)


def test_every_decision_is_made_by_who_held_the_role_that_day() -> None:
    messages = _seed()
    claims = Claim.objects.select_related(
        "approved_by", "validated_by", "refused_by", "meeting__body"
    )
    approved = claims.filter(approved_by__isnull=False)
    assert approved.count() > 300
    for claim in approved:
        assert _may_approve(claim.approved_by, _day(claim.approved_at)), claim.pk
    # The demo's treasurer changed during the two years: both approved claims in their term.
    approvers = set(approved.values_list("approved_by", flat=True))
    terms = Mandate.objects.filter(body__kind=BodyKind.BUREAU, role=MandateRole.TRESORIER)
    assert len(approvers) == terms.count() >= 2
    emails = {u.email for u in User.objects.filter(pk__in=approvers)}
    assert "tresorerie@cpts-demo.fr" in emails
    # The former treasurer had no account: the claims demo gave them one, linked to their
    # member record, without a password (governance's demo is left as it is).
    for former in User.objects.filter(pk__in=approvers).exclude(email="tresorerie@cpts-demo.fr"):
        assert not former.has_usable_password()
        assert Member.objects.get(user=former).email == former.email
        assert f"Compte créé pour un ancien trésorier (sans mot de passe) : {former.email}." in (
            messages
        )

    for claim in claims.filter(validated_by__isnull=False):
        assert _may_validate(claim.validated_by, claim, _day(claim.validated_at)), claim.pk
    refused = claims.filter(status=ClaimStatus.REFUSED)
    assert refused.exists()
    for claim in refused:
        day = _day(claim.refused_at)
        assert claim.refused_by is not None
        if claim.validated_by_id is None:  # refused at validation
            allowed = _may_validate(claim.refused_by, claim, day)
        else:  # refused by the treasury
            allowed = _may_approve(claim.refused_by, day)
        assert allowed, claim.pk

    # The batches are paid, and last year closed, by the treasurer of the day; the audit
    # entries name the same person.
    for batch in PaymentBatch.objects.select_related("created_by"):
        assert _may_approve(batch.created_by, batch.paid_on), batch.label
        entry = LogEntry.objects.get_for_object(batch).get(action=LogEntry.Action.CREATE)
        assert entry.actor_id == batch.created_by_id
    for period in ClosedPeriod.objects.select_related("closed_by"):
        assert _may_approve(period.closed_by, _day(period.created_at)), str(period)
        entry = LogEntry.objects.get_for_object(period).get(action=LogEntry.Action.CREATE)
        assert entry.actor_id == period.closed_by_id
        assert entry.changes_dict["closed_by"][1] == str(period.closed_by_id)


def _kind(claim: Claim) -> tuple[Any, ...]:
    sources = (claim.meeting_id, claim.event_id, claim.shift_id, claim.mission_id)
    return (claim.nature, *(source is None for source in sources))


def _history(claim: Claim) -> list[tuple[int, set[str], int | None, datetime.datetime]]:
    entries = LogEntry.objects.get_for_object(claim).order_by("timestamp", "pk")
    return [(e.action, set(e.changes_dict), e.actor_id, e.timestamp) for e in entries]


def test_paid_claims_carry_the_history_the_services_write(client: Any) -> None:
    _seed()
    paid = list(
        Claim.objects.filter(status=ClaimStatus.PAID)
        .select_related("batch", "member")
        .order_by("date", "pk")
    )
    assert len(paid) > 300
    # The claims that went through the services (declared, validated, approved): the same
    # entries, with the same fields, as the first three of a bulk-created paid claim of the
    # same kind (the declaration lists the fields the claim fills).
    references: dict[tuple[Any, ...], list[tuple[int, set[str]]]] = {}
    for live in Claim.objects.filter(status=ClaimStatus.APPROVED).order_by("pk"):
        steps = [(action, fields) for action, fields, _a, _t in _history(live)]
        assert [action for action, _fields in steps] == [
            LogEntry.Action.CREATE,
            LogEntry.Action.UPDATE,
            LogEntry.Action.UPDATE,
        ]
        references.setdefault(_kind(live), steps)
    compared = 0
    for claim in paid:
        history = _history(claim)
        reference = references.get(_kind(claim))
        if reference is not None:
            assert [(action, fields) for action, fields, _a, _t in history[:3]] == reference
            compared += 1
        assert history[3][:2] == (LogEntry.Action.UPDATE, {"status", "batch"})
        actors = [actor for _action, _fields, actor, _t in history]
        assert claim.batch is not None
        assert actors == [
            claim.submitted_by_id,
            claim.validated_by_id,
            claim.approved_by_id,
            claim.batch.created_by_id,
        ], claim.pk
        moments = [moment for _action, _fields, _actor, moment in history]
        assert moments[0] == claim.created_at
        assert moments[1] == claim.validated_at and moments[2] == claim.approved_at
        assert moments == sorted(moments)
        assert timezone.localdate(moments[3]) == claim.batch.paid_on
    assert compared > len(paid) / 2

    # Its page shows the four steps in French, with who and when.
    claim = paid[0]
    assert claim.batch is not None
    client.force_login(User.objects.get(email="coordination@cpts-demo.fr"))
    html = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    table = html[html.index('data-testid="audit-history"') :]
    rows = re.findall(r"<tr>(.*?)</tr>", table[: table.index("</table>")], re.S)[1:]
    assert len(rows) == 4
    hidden = '<span class="visually-hidden">devient</span>'
    texts = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row.replace(hidden, ""))) for row in rows]
    assert not any(re.search(r"\d{4}-\d\d-\d\d", text) for text in texts)  # French dates
    newest_first = list(reversed(texts))
    created, validated, approved, paid_row = newest_first
    assert "création" in created and "Statut : Soumise" in created
    assert claim.date.strftime("%d/%m/%Y") in created
    assert "modification" in validated and "Soumise → Validée" in validated
    assert escape(claim.validated_by.get_full_name()) in rows[2]  # type: ignore[union-attr]
    assert "Validée → Approuvée" in approved
    assert escape(claim.approved_by.get_full_name()) in rows[1]  # type: ignore[union-attr]
    assert "Approuvée → Payée" in paid_row and escape(claim.batch.label) in rows[0]
    assert claim.approved_at is not None
    assert timezone.localtime(claim.approved_at).strftime("%d/%m/%Y %H:%M") in approved
