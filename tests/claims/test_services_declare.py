"""Declaring time and expenses: from a meeting, an event, a shift or by hand, and the bad
input the services refuse with a French message naming the field."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from claims.models import ActivityKind, Claim, ClaimNature, ClaimStatus, ClosedPeriod
from claims.services import declare_expense, declare_time, update_claim, withdraw_claim
from crisis.models import Activation, SignUp, Site, SiteKind, Situation
from crisis.services.rosters import save_shift
from governance.models import AttendanceStatus, Body, BodyKind
from members.models import Profession
from missions.models import Action, Event, EventKind, Mission
from tests.claims.conftest import World, attend, held_meeting, member_with_account

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def test_declare_from_a_group_meeting_prefills_everything(world: World) -> None:
    claims = declare_time(world.member, by=world.user, meeting=world.meeting)
    assert len(claims) == 1
    claim = claims[0]
    assert claim.nature == ClaimNature.INDEMNITY
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.activity_kind == ActivityKind.GROUP_MEETING
    assert claim.date == timezone.localdate(world.meeting.starts_at)
    assert claim.hours == Decimal("2.00")
    assert claim.amount == Decimal("120.00")  # 2 h x 60 €/h
    assert claim.unit_rate == Decimal("60")
    assert LogEntry.objects.get_for_object(claim).count() == 1


def test_declare_with_mileage_adds_a_mileage_claim(world: World) -> None:
    indemnity, mileage = declare_time(
        world.member, by=world.user, meeting=world.meeting, hours=Decimal("1.5"), km=Decimal("42")
    )
    assert indemnity.amount == Decimal("90.00")
    assert mileage.nature == ClaimNature.MILEAGE
    assert mileage.km == Decimal("42.0")
    assert mileage.amount == Decimal("26.71")  # 42 x 0,636
    assert mileage.meeting_id == world.meeting.pk


def test_board_meeting_is_a_flat_rate(world: World) -> None:
    bureau = Body.objects.get_or_create(kind=BodyKind.BUREAU, defaults={"name": "Bureau"})[0]
    meeting = held_meeting(bureau, hours=3)
    attend(meeting, world.member)
    (claim,) = declare_time(world.member, by=world.user, meeting=meeting)
    assert claim.activity_kind == ActivityKind.BOARD_MEETING
    assert claim.amount == Decimal("50.00")


def test_ag_is_never_claimable(world: World) -> None:
    ag = Body.objects.get_or_create(kind=BodyKind.AG, defaults={"name": "AG"})[0]
    meeting = held_meeting(ag)
    attend(meeting, world.member)
    with pytest.raises(ValidationError) as error:
        declare_time(world.member, by=world.user, meeting=meeting)
    assert "L'assemblée générale n'est jamais indemnisée." in _messages(error.value)
    assert not Claim.objects.exists()


@pytest.mark.parametrize("status", [AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT, None])
def test_a_meeting_not_attended_is_refused(world: World, status: str | None) -> None:
    other, user = member_with_account()
    if status:
        attend(world.meeting, other, status)
    with pytest.raises(ValidationError) as error:
        declare_time(other, by=user, meeting=world.meeting)
    assert "meeting" in error.value.message_dict
    assert "présent·e" in error.value.message_dict["meeting"][0]


def test_hours_beyond_the_meeting_are_refused(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        declare_time(world.member, by=world.user, meeting=world.meeting, hours=Decimal("3"))
    assert error.value.message_dict["hours"] == ["3 h dépasse la durée de l'activité (2 h)."]


@pytest.mark.parametrize("hours", ["-1", "0", "25", "abc"])
def test_absurd_hours_are_refused(world: World, hours: str) -> None:
    with pytest.raises(ValidationError) as error:
        declare_time(
            world.member,
            by=world.user,
            activity_kind=ActivityKind.TRAINING,
            date=timezone.localdate(),
            hours=hours,  # type: ignore[arg-type]
            justification="Formation",
        )
    assert "hours" in error.value.message_dict


def test_a_second_claim_for_the_same_meeting_is_refused(world: World) -> None:
    declare_time(world.member, by=world.user, meeting=world.meeting)
    with pytest.raises(ValidationError) as error:
        declare_time(world.member, by=world.user, meeting=world.meeting)
    assert "existe déjà" in _messages(error.value)
    assert Claim.objects.count() == 1


def test_a_refused_claim_can_be_declared_again(world: World) -> None:
    (claim,) = declare_time(world.member, by=world.user, meeting=world.meeting)
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.REFUSED)
    declare_time(world.member, by=world.user, meeting=world.meeting)
    assert Claim.objects.count() == 2


def test_closed_period_is_refused(world: World) -> None:
    day = timezone.localdate(world.meeting.starts_at)
    ClosedPeriod.objects.create(year=day.year, month=day.month)
    with pytest.raises(ValidationError) as error:
        declare_time(world.member, by=world.user, meeting=world.meeting)
    assert "close" in error.value.message_dict["date"][0]


def test_a_closed_year_is_refused(world: World) -> None:
    ClosedPeriod.objects.create(year=2025)
    with pytest.raises(ValidationError) as error:
        declare_time(
            world.member,
            by=world.user,
            activity_kind=ActivityKind.TRAINING,
            date=datetime.date(2025, 6, 3),
            hours=Decimal("2"),
            justification="Formation SAS",
        )
    assert "03/06/2025" in error.value.message_dict["date"][0]


def test_by_hand_needs_kind_date_hours_and_a_justification(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        declare_time(world.member, by=world.user)
    assert set(error.value.message_dict) == {"activity_kind", "date", "hours", "justification"}
    (claim,) = declare_time(
        world.member,
        by=world.user,
        activity_kind=ActivityKind.REFERENT,
        date=timezone.localdate(),
        hours=Decimal("1.25"),
        justification="Préparation du groupe",
    )
    assert claim.amount == Decimal("100.00")


def test_a_future_date_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        declare_time(
            world.member,
            by=world.user,
            activity_kind=ActivityKind.TRAINING,
            date=timezone.localdate() + datetime.timedelta(days=2),
            hours=Decimal("1"),
            justification="x",
        )
    assert "future" in error.value.message_dict["date"][0]


def test_someone_else_cannot_declare_for_a_member(world: World) -> None:
    _other, intruder = member_with_account()
    with pytest.raises(PermissionDenied):
        declare_time(world.member, by=intruder, meeting=world.meeting)
    declare_time(world.member, by=world.coordinator, meeting=world.meeting)


def test_declare_from_an_event_and_a_shift(world: World) -> None:
    action = Action.objects.create(title="Ateliers mémoire")
    prevention = Mission.objects.get(key="prevention")
    action.missions.add(prevention)
    event = Event.objects.create(
        action=action,
        kind=EventKind.WORKSHOP,
        title="Atelier",
        date=timezone.localdate() - datetime.timedelta(days=5),
        hours=Decimal("3"),
    )
    with pytest.raises(ValidationError):
        declare_time(world.member, by=world.user, event=event)
    event.professionals.add(world.member)
    (claim,) = declare_time(world.member, by=world.user, event=event)
    assert (claim.activity_kind, claim.mission, claim.amount) == (
        ActivityKind.MISSION_ACTION,
        prevention,
        Decimal("210.00"),
    )

    activation = Activation.objects.create(
        title="Canicule", situation=Situation.SEASONAL, started_on=timezone.localdate()
    )
    site = Site.objects.create(activation=activation, name="Gymnase", kind=SiteKind.VACCINATION)
    start = timezone.now() - datetime.timedelta(days=1, hours=5)
    gp = Profession.objects.get(code="medecin_generaliste")
    shift = save_shift(
        None,
        site,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=4),
        changes_until=start,
        notes="",
        needs=[(gp, 2)],
    )
    with pytest.raises(ValidationError) as error:
        declare_time(world.member, by=world.user, shift=shift)
    assert "inscrit" in error.value.message_dict["shift"][0]
    SignUp.objects.create(shift=shift, need=shift.needs.get(), member=world.member)
    (on_call,) = declare_time(world.member, by=world.user, shift=shift)
    assert on_call.activity_kind == ActivityKind.ON_CALL
    assert on_call.amount == Decimal("360.00")  # 4 h x 90 €/h
    assert on_call.mission == Mission.objects.get(key="crise")
    with pytest.raises(ValidationError):
        declare_time(world.member, by=world.user, shift=shift, meeting=world.meeting)


def test_expense_with_a_pdf_receipt(world: World) -> None:
    claim = declare_expense(
        world.member,
        by=world.user,
        date=timezone.localdate(),
        amount=Decimal("34.50"),
        receipt=SimpleUploadedFile("ticket.pdf", PDF, content_type="application/pdf"),
        justification="Parking réunion ARS",
    )
    assert claim.nature == ClaimNature.EXPENSE
    assert claim.amount == Decimal("34.50")
    assert claim.receipt.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("amount", "receipt", "field"),
    [
        ("-5", PDF, "amount"),
        ("0", PDF, "amount"),
        ("9999999", PDF, "amount"),
        ("12", b"MZ\x90\x00 not a picture", "receipt"),
        ("12", b"%PDF-" + b"0" * (5 * 1024 * 1024), "receipt"),
        ("12", None, "receipt"),
    ],
)
def test_bad_expenses_are_refused(
    world: World, amount: str, receipt: bytes | None, field: str
) -> None:
    upload = SimpleUploadedFile("file.pdf", receipt) if receipt is not None else None
    with pytest.raises(ValidationError) as error:
        declare_expense(
            world.member,
            by=world.user,
            date=timezone.localdate(),
            amount=amount,  # type: ignore[arg-type]
            receipt=upload,
            justification="Repas",
        )
    assert field in error.value.message_dict
    assert not Claim.objects.exists()


def test_update_recomputes_and_is_audited(world: World) -> None:
    (claim,) = declare_time(world.member, by=world.user, meeting=world.meeting, hours=Decimal("1"))
    claim = update_claim(claim, by=world.user, hours=Decimal("2"), justification="Compte rendu")
    assert claim.amount == Decimal("120.00")
    entry = LogEntry.objects.get_for_object(claim).order_by("-timestamp").first()
    assert entry is not None
    assert entry.actor == world.user
    assert "hours" in entry.changes_dict and "amount" in entry.changes_dict
    with pytest.raises(ValidationError):
        update_claim(claim, by=world.user, hours=Decimal("2.5"))
    _other, intruder = member_with_account()
    with pytest.raises(PermissionDenied):
        update_claim(claim, by=intruder, hours=Decimal("1"))
    update_claim(claim, by=world.referent, hours=Decimal("1.5"))  # the group's référent
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.VALIDATED)
    with pytest.raises(ValidationError):
        update_claim(claim, by=world.user, hours=Decimal("1"))


def test_withdraw_only_own_submitted_claims(world: World) -> None:
    (claim,) = declare_time(world.member, by=world.user, meeting=world.meeting)
    with pytest.raises(PermissionDenied):
        withdraw_claim(claim, by=world.coordinator)
    withdraw_claim(claim, by=world.user)
    assert not Claim.objects.exists()
