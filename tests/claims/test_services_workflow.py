"""The workflow: transitions, four eyes, the PASS cap, refusals with their reason, bulk
approval, payment batches and closed periods."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from claims.models import ActivityKind, Claim, ClaimNature, ClaimStatus, PassCeiling
from claims.services import (
    approve_claim,
    approve_claims,
    close_period,
    create_batch,
    declare_time,
    refuse_claim,
    validate_claim,
)
from members.models import EmailOptOut, Member
from tests.claims.conftest import World, member_with_account
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _claim(world: World) -> Claim:
    return declare_time(world.member, by=world.user, meeting=world.meeting)[0]


def _indemnity(member: Member, amount: str, status: str, day: datetime.date) -> Claim:
    return Claim.objects.create(
        member=member,
        nature=ClaimNature.INDEMNITY,
        activity_kind=ActivityKind.REFERENT,
        date=day,
        hours=Decimal("1"),
        amount=Decimal(amount),
        status=status,
    )


def test_full_workflow(world: World, django_capture_on_commit_callbacks: object) -> None:
    claim = _claim(world)
    claim = validate_claim(claim, by=world.referent)
    assert (claim.status, claim.validated_by) == (ClaimStatus.VALIDATED, world.referent)
    claim = approve_claim(claim, by=world.tresorier)
    assert (claim.status, claim.approved_by) == (ClaimStatus.APPROVED, world.tresorier)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        batch = create_batch(
            [claim], by=world.tresorier, paid_on=timezone.localdate(), label="Virements décembre"
        )
    claim.refresh_from_db()
    assert (claim.status, claim.batch) == (ClaimStatus.PAID, batch)
    assert [m.to for m in mail.outbox] == [[world.member.email]]
    assert "120,00" in mail.outbox[0].body


def test_nobody_validates_their_own_claim(world: World) -> None:
    own, coordinator_user = member_with_account()
    coordinator_user.is_staff = True
    coordinator_user.save()
    claim = declare_time(
        own,
        by=coordinator_user,
        activity_kind=ActivityKind.TRAINING,
        date=timezone.localdate(),
        hours=Decimal("1"),
        justification="Formation",
    )[0]
    with pytest.raises(ValidationError) as error:
        validate_claim(claim, by=coordinator_user)
    assert "propre demande" in error.value.messages[0]


def test_a_referent_validates_only_their_groups_meetings(world: World) -> None:
    claim = _claim(world)
    _m, other_referent = member_with_account()
    from cpts.roles import Role
    from tests.factories import give_roles_through_mandates

    give_roles_through_mandates(other_referent, [Role.REFERENT])
    with pytest.raises(PermissionDenied):
        validate_claim(claim, by=other_referent)
    with pytest.raises(PermissionDenied):
        validate_claim(claim, by=world.tresorier)
    validate_claim(claim, by=world.coordinator)


def test_self_approval_and_four_eyes(world: World) -> None:
    own = declare_time(
        world.tresorier_member,
        by=world.tresorier,
        activity_kind=ActivityKind.REFERENT,
        date=timezone.localdate(),
        hours=Decimal("1"),
        justification="Préparation des comptes",
    )[0]
    validate_claim(own, by=world.coordinator)
    with pytest.raises(ValidationError) as error:
        approve_claim(own, by=world.tresorier)
    assert "propre demande" in error.value.messages[0]

    claim = validate_claim(_claim(world), by=world.coordinator)
    with pytest.raises(ValidationError) as error:
        approve_claim(claim, by=world.coordinator)
    assert "quatre yeux" in error.value.messages[0]
    with pytest.raises(PermissionDenied):
        approve_claim(claim, by=world.referent)
    approve_claim(claim, by=world.tresorier)


def test_approving_a_submitted_claim_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        approve_claim(_claim(world), by=world.tresorier)
    assert "Soumise" in error.value.messages[0]


def test_the_pass_cap_with_its_message(world: World) -> None:
    year = timezone.localdate().year
    PassCeiling.objects.create(year=year, amount=Decimal("48060.00"))
    _indemnity(world.member, "48000.00", ClaimStatus.PAID, datetime.date(year, 1, 15))
    # Expenses are not indemnities: they do not count towards the cap.
    Claim.objects.create(
        member=world.member,
        nature=ClaimNature.EXPENSE,
        date=datetime.date(year, 1, 16),
        amount=Decimal("900"),
        status=ClaimStatus.PAID,
    )
    claim = validate_claim(_claim(world), by=world.referent)
    with pytest.raises(ValidationError) as error:
        approve_claim(claim, by=world.tresorier)
    message = error.value.messages[0]
    assert "Claire BERNARD" in message
    assert "48\xa0060,00\xa0€" in message
    assert "48\xa0000,00\xa0€" in message
    assert "60,00\xa0€" in message  # 48 000 + 120 - 48 060
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VALIDATED


def test_refusal_needs_a_reason_and_emails_the_member(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    claim = _claim(world)
    with pytest.raises(ValidationError) as error:
        refuse_claim(claim, by=world.referent, reason="  ")
    assert "reason" in error.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        claim = refuse_claim(claim, by=world.referent, reason="Réunion annulée")
    assert claim.status == ClaimStatus.REFUSED
    assert claim.refusal_reason == "Réunion annulée"
    assert "Réunion annulée" in mail.outbox[0].body
    with pytest.raises(ValidationError):
        refuse_claim(claim, by=world.referent, reason="encore")


def test_an_opted_out_member_gets_no_decision_email(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    EmailOptOut.objects.create(member=world.member, category="claims")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        refuse_claim(_claim(world), by=world.coordinator, reason="Doublon")
    assert mail.outbox == []


def test_a_validated_claim_is_refused_by_the_treasury_only(world: World) -> None:
    claim = validate_claim(_claim(world), by=world.referent)
    with pytest.raises(PermissionDenied):
        refuse_claim(claim, by=world.referent, reason="non")
    refuse_claim(claim, by=world.tresorier, reason="Hors mission")


def test_bulk_approval_keeps_the_claims_independent(world: World) -> None:
    year = timezone.localdate().year
    PassCeiling.objects.create(year=year, amount=Decimal("48060.00"))
    capped, _capped_user = member_with_account(last_name="Plafond")
    _indemnity(capped, "48000.00", ClaimStatus.APPROVED, datetime.date(year, 1, 10))
    over = _indemnity(capped, "100.00", ClaimStatus.VALIDATED, datetime.date(year, 2, 1))
    fine = validate_claim(_claim(world), by=world.referent)
    submitted = _indemnity(world.member, "10.00", ClaimStatus.SUBMITTED, datetime.date(year, 3, 1))
    outcome = approve_claims([fine, over, submitted], by=world.tresorier)
    assert [c.pk for c in outcome.approved] == [fine.pk]
    reasons = {c.pk: reason for c, reason in outcome.rejected}
    assert set(reasons) == {over.pk, submitted.pk}
    assert "Plafond annuel dépassé pour" in reasons[over.pk]
    assert Claim.objects.get(pk=fine.pk).status == ClaimStatus.APPROVED
    assert Claim.objects.get(pk=over.pk).status == ClaimStatus.VALIDATED


def test_batches_take_approved_claims_only(world: World) -> None:
    claim = _claim(world)
    with pytest.raises(ValidationError) as error:
        create_batch([claim], by=world.tresorier, paid_on=timezone.localdate(), label="Lot")
    assert "BERNARD" in error.value.message_dict["claims"][0]
    with pytest.raises(ValidationError) as error:
        create_batch([], by=world.tresorier, paid_on=None, label="")
    assert set(error.value.message_dict) == {"claims", "paid_on", "label"}
    with pytest.raises(PermissionDenied):
        create_batch([claim], by=world.referent, paid_on=timezone.localdate(), label="Lot")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED and claim.batch is None


def test_close_period(world: World) -> None:
    with pytest.raises(PermissionDenied):
        close_period(2025, 6, by=world.referent)
    close_period(2025, 6, by=world.tresorier)
    with pytest.raises(ValidationError):
        close_period(2025, 6, by=world.tresorier)
    with pytest.raises(ValidationError) as error:
        close_period(2025, 13, by=world.tresorier)
    assert "month" in error.value.message_dict
    close_period(2025, by=world.tresorier)
    with pytest.raises(ValidationError):
        close_period(2025, 7, by=world.tresorier)


def test_a_plain_adherent_cannot_validate(world: World) -> None:
    with pytest.raises(PermissionDenied):
        validate_claim(_claim(world), by=UserFactory.create())
