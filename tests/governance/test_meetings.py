"""Meeting services: details rules, agenda items and documents, held/cancelled, and the
notice warning of an AG. Also the helpers the other meeting test modules share."""

from __future__ import annotations

import datetime
import os
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from governance.models import (
    AgKind,
    Body,
    BodyKind,
    Mandate,
    MandateRole,
    Meeting,
    MeetingStatus,
    Statutes,
)
from governance.selectors.meetings import notice_warning
from governance.services import meetings as services
from members.models import FeeRule, Member
from members.models.adhesions import PaymentMethod
from members.services.adhesions import ensure_adhesion, record_payment
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


# --- Shared helpers -------------------------------------------------------------------------


def body(kind: str) -> Body:
    return Body.objects.get_or_create(kind=kind, defaults={"name": BodyKind(kind).label})[0]


def group(name: str = "Groupe parcours") -> Body:
    return Body.objects.create(kind=BodyKind.GROUP, name=name)


def make_meeting(
    kind: str = BodyKind.AG, *, days: float = 30, status: str = MeetingStatus.PLANNED, **extra: Any
) -> Meeting:
    instance = extra.pop("body", None) or body(kind)
    if instance.kind == BodyKind.AG:
        extra.setdefault("ag_kind", AgKind.ORDINARY)
    return Meeting.objects.create(
        body=instance,
        title=extra.pop("title", "Assemblée générale 2026"),
        starts_at=extra.pop("starts_at", timezone.now() + datetime.timedelta(days=days)),
        status=status,
        **extra,
    )


def pay(member: Member, year: int) -> None:
    """Make ``member`` up to date for ``year`` (a settled adhesion)."""
    FeeRule.objects.get_or_create(year=year, defaults={"amount": Decimal("20.00")})
    adhesion = ensure_adhesion(member, year)
    record_payment(
        adhesion,
        amount=adhesion.fee_due,
        method=PaymentMethod.CHEQUE,
        paid_on=datetime.date(year, 1, 15),
    )


def seat(member: Member, instance: Body, role: str = MandateRole.MEMBRE) -> Mandate:
    return Mandate.objects.create(
        member=member, body=instance, role=role, start_date=datetime.date(2020, 1, 1)
    )


def upload(name: str = "budget.pdf", size: int = 100) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * size, content_type="application/pdf")


def at_local(day: datetime.date, hour: int = 18) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


# --- Meeting details ------------------------------------------------------------------------


def test_an_ag_needs_its_kind_and_a_group_meeting_has_none(association):
    starts = timezone.now() + datetime.timedelta(days=20)
    with pytest.raises(ValidationError) as error:
        services.create_meeting({"body": body(BodyKind.AG), "title": "AG", "starts_at": starts})
    assert "ag_kind" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.create_meeting(
            {"body": group(), "title": "G", "starts_at": starts, "ag_kind": AgKind.ORDINARY}
        )
    assert "ag_kind" in error.value.message_dict
    assert not Meeting.objects.exists()


def test_the_end_comes_after_the_start(association):
    starts = timezone.now() + datetime.timedelta(days=20)
    with pytest.raises(ValidationError) as error:
        services.create_meeting(
            {"body": group(), "title": "G", "starts_at": starts, "ends_at": starts}
        )
    assert error.value.message_dict["ends_at"] == [
        "La fin doit être postérieure au début de la réunion."
    ]


def test_a_second_convocation_follows_an_earlier_ag(association):
    first = make_meeting(days=10)
    second = services.create_meeting(
        {
            "body": body(BodyKind.AG),
            "title": "AG (seconde convocation)",
            "starts_at": first.starts_at + datetime.timedelta(days=8),
            "ag_kind": AgKind.ORDINARY,
            "second_convocation_of": first,
        }
    )
    assert second.second_convocation_of == first
    with pytest.raises(ValidationError) as error:
        services.update_meeting(second, {"starts_at": first.starts_at - datetime.timedelta(days=1)})
    assert "second_convocation_of" in error.value.message_dict


def test_a_cancelled_meeting_is_not_edited(association):
    meeting = make_meeting(status=MeetingStatus.CANCELLED)
    with pytest.raises(ValidationError):
        services.update_meeting(meeting, {"title": "Autre"})
    with pytest.raises(ValidationError):
        services.add_agenda_item(meeting, title="Point")


# --- Agenda ---------------------------------------------------------------------------------


def test_agenda_items_are_numbered_moved_and_renumbered(association):
    meeting = make_meeting()
    first = services.add_agenda_item(meeting, title="Rapport moral")
    second = services.add_agenda_item(meeting, title="Comptes", needs_vote=True)
    third = services.add_agenda_item(meeting, title="Questions diverses")
    assert [first.position, second.position, third.position] == [1, 2, 3]

    services.move_agenda_item(third, "up")
    titles = list(meeting.agenda_items.order_by("position").values_list("title", flat=True))
    assert titles == ["Rapport moral", "Questions diverses", "Comptes"]
    services.move_agenda_item(first, "up")  # already first: nothing moves
    services.delete_agenda_item(first)
    rows = list(meeting.agenda_items.order_by("position").values_list("position", "title"))
    assert rows == [(1, "Questions diverses"), (2, "Comptes")]


def test_agenda_documents_accept_office_files_up_to_10_mo(association, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = services.add_agenda_item(make_meeting(), title="Comptes")
    document = services.add_agenda_document(item, title="", upload=upload("comptes 2025.pdf"))
    assert document.title == "comptes 2025"
    assert document.file.read().startswith(b"%PDF")

    with pytest.raises(ValidationError) as error:
        services.add_agenda_document(item, title="Gros", upload=upload(size=10 * 1024 * 1024))
    assert error.value.message_dict["file"] == ["Le fichier dépasse la taille maximale de 10 Mo."]
    with pytest.raises(ValidationError) as error:
        services.add_agenda_document(item, title="Script", upload=upload("virus.exe"))
    assert "Format de fichier non accepté" in error.value.message_dict["file"][0]
    assert item.documents.count() == 1


def test_deleting_a_document_removes_its_file(
    association, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    item = services.add_agenda_item(make_meeting(), title="Comptes")
    document = services.add_agenda_document(item, title="Bilan", upload=upload())
    path = document.file.path
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_agenda_document(document)
    assert not item.documents.exists()
    assert not os.path.exists(path)


# --- Held, cancelled ----------------------------------------------------------------------


def test_a_meeting_is_held_only_after_its_start(association):
    meeting = make_meeting(days=1)
    with pytest.raises(ValidationError) as error:
        services.mark_held(meeting)
    assert "avant son début" in error.value.messages[0]
    services.mark_held(meeting, now=meeting.starts_at + datetime.timedelta(hours=1))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.held_at is not None
    with pytest.raises(ValidationError):
        services.cancel(meeting, "Trop tard")


def test_cancelling_needs_a_reason_and_keeps_it(association):
    meeting = make_meeting()
    with pytest.raises(ValidationError) as error:
        services.cancel(meeting, "  ")
    assert error.value.message_dict["reason"] == ["Indiquez le motif de l'annulation."]
    services.cancel(meeting, "Salle indisponible")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert "Salle indisponible" in meeting.notes


# --- Notice warning -------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "warns"), [(14, True), (15, False), (30, False)])
def test_notice_warning_boundary_before_convening(association, days, warns):
    statutes = Statutes.objects.get_solo()
    statutes.convocation_notice_days = 15
    statutes.save()
    now = timezone.now()
    meeting = make_meeting(starts_at=at_local(timezone.localdate(now) + datetime.timedelta(days)))
    warning = notice_warning(meeting, now)
    assert (warning is not None) is warns
    if warns:
        assert warning is not None
        assert "14 jour(s)" in warning and "15 jours" in warning


def test_notice_warning_counts_from_the_convocation_date(association):
    convened = timezone.now() - datetime.timedelta(days=5)
    meeting = make_meeting(
        starts_at=at_local(timezone.localdate(convened) + datetime.timedelta(days=14)),
        status=MeetingStatus.CONVENED,
        convened_at=convened,
    )
    assert "a été convoquée 14 jour(s)" in (notice_warning(meeting) or "")
    meeting.convened_at = convened - datetime.timedelta(days=1)
    assert notice_warning(meeting) is None


def test_a_second_convocation_has_its_own_notice_and_other_bodies_none(association):
    first = make_meeting(days=2)
    now = timezone.now()
    second = make_meeting(
        starts_at=at_local(timezone.localdate(now) + datetime.timedelta(days=7)),
        second_convocation_of=first,
    )
    assert notice_warning(second, now) is None  # 7 days required by default
    second.starts_at = at_local(timezone.localdate(now) + datetime.timedelta(days=6))
    assert "7 jours" in (notice_warning(second, now) or "")
    assert notice_warning(make_meeting(BodyKind.CA, days=1), now) is None


def test_no_notice_warning_for_a_past_held_approved_or_cancelled_ag(association):
    statutes = Statutes.objects.get_solo()
    statutes.convocation_notice_days = 15
    statutes.save()
    now = timezone.now()
    past = make_meeting(days=-3)  # recorded afterwards, never convened
    assert notice_warning(past, now) is None
    soon = make_meeting(days=3)
    assert notice_warning(soon, now) is not None
    for status in (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED, MeetingStatus.CANCELLED):
        soon.status = status
        assert notice_warning(soon, now) is None, status
    # Convened at short notice: told until the AG starts, not after.
    soon.status, soon.convened_at = MeetingStatus.CONVENED, now
    assert "a été convoquée 3 jour(s)" in (notice_warning(soon, now) or "")
    assert notice_warning(soon, soon.starts_at + datetime.timedelta(minutes=1)) is None


# --- Agenda lock and untold changes ---------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (MeetingStatus.HELD, "s'est tenue"),
        (MeetingStatus.MINUTES_APPROVED, "s'est tenue"),
        (MeetingStatus.CANCELLED, "annulée"),
    ],
)
def test_the_agenda_is_locked_once_held_approved_or_cancelled(
    association, settings, tmp_path, status, message
):
    settings.MEDIA_ROOT = tmp_path
    meeting = make_meeting(days=-1)
    item = services.add_agenda_item(meeting, title="Rapport moral")
    other = services.add_agenda_item(meeting, title="Budget")
    document = services.add_agenda_document(item, title="Rapport", upload=upload())
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    meeting.refresh_from_db()
    item.refresh_from_db()
    writes = [
        lambda: services.add_agenda_item(meeting, title="Divers"),
        lambda: services.update_agenda_item(item, title="Autre titre"),
        lambda: services.delete_agenda_item(other),
        lambda: services.move_agenda_item(other, "up"),
        lambda: services.add_agenda_document(item, title="Annexe", upload=upload()),
        lambda: services.delete_agenda_document(document),
    ]
    for write in writes:
        with pytest.raises(ValidationError) as error:
            write()
        assert message in error.value.messages[0]
        assert "ordre du jour" in error.value.messages[0]
    titles = list(meeting.agenda_items.order_by("position").values_list("title", flat=True))
    assert titles == ["Rapport moral", "Budget"]
    assert item.documents.count() == 1


def test_agenda_changes_after_convening_are_flagged_until_sent(association):
    from governance.selectors.meetings import invitees_not_told
    from governance.services.convocations import convene, send_update

    meeting = make_meeting(days=20)
    services.add_agenda_item(meeting, title="Rapport moral")
    MemberFactory.create()
    assert not invitees_not_told(meeting)  # planned: nobody to tell
    convene(meeting)
    meeting.refresh_from_db()
    assert not invitees_not_told(meeting)
    item = services.add_agenda_item(meeting, title="Élection du CA")
    meeting.refresh_from_db()
    assert invitees_not_told(meeting)
    send_update(meeting)
    meeting.refresh_from_db()
    assert not invitees_not_told(meeting)
    services.delete_agenda_item(item)  # a deletion is a change too
    meeting.refresh_from_db()
    assert invitees_not_told(meeting)


def test_the_convening_preview_counts_recipients_and_voters(association):
    from governance.selectors.meetings import convening_preview

    ag = make_meeting(days=30)
    voter = MemberFactory.create()
    pay(voter, timezone.localdate(ag.starts_at).year)
    MemberFactory.create(email="")
    MemberFactory.create(status="departed", departed_on=datetime.date(2025, 1, 1))
    preview = convening_preview(ag)
    assert (preview.recipients, preview.voters, preview.without_email) == (2, 1, 1)
    assert preview.empty_agenda and preview.refused  # an AG needs its agenda
    services.add_agenda_item(ag, title="Rapport moral")
    assert not convening_preview(ag).refused
    instance = group()
    seat(voter, instance)
    preview = convening_preview(make_meeting(body=instance, days=3))
    assert (preview.recipients, preview.voters) == (1, 0)
    assert preview.empty_agenda and not preview.refused  # a group is only warned
