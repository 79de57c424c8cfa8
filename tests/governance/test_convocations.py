"""Convening a meeting: one convocation and one email (with its .ics) per invitee, the voting
right at an AG, refusals, re-sending, answers and cancellation emails."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from governance.models import (
    BodyKind,
    Convocation,
    ConvocationAnswer,
    MeetingStatus,
    Proxy,
)
from governance.services import convocations as services
from governance.services.meetings import add_agenda_item, cancel
from members.models import MemberEmail
from members.models.members import MemberStatus
from tests.factories import MemberFactory
from tests.governance.test_ics import parse, unescape
from tests.governance.test_meetings import body, group, make_meeting, pay, seat

pytestmark = pytest.mark.django_db


def ics_of(message) -> dict[str, str]:
    (attachment,) = message.attachments
    filename, content, mimetype = attachment
    assert filename.endswith(".ics") and mimetype == "text/calendar"
    return parse(content if isinstance(content, bytes) else content.encode())


def test_convening_an_ag_emails_every_active_member_with_the_ics(
    association, django_capture_on_commit_callbacks
):
    meeting = make_meeting(days=30, place="Maison de santé de Gignac")
    add_agenda_item(meeting, title="Rapport d'activité")
    voter = MemberFactory.create(first_name="Ana", email="ana@exemple.fr")
    pay(voter, timezone.localdate(meeting.starts_at).year)
    late = MemberFactory.create(first_name="Bruno", email="bruno@exemple.fr")
    MemberFactory.create(
        status=MemberStatus.DEPARTED,
        departed_on=datetime.date(2025, 1, 1),
        email="parti@exemple.fr",
    )
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.convene(meeting, build_absolute_uri=lambda p: f"https://cpts.test{p}")
    assert sent == 2
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CONVENED and meeting.convened_at is not None
    rights = dict(Convocation.objects.filter(meeting=meeting).values_list("member", "can_vote"))
    assert rights == {voter.pk: True, late.pk: False}

    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"ana@exemple.fr", "bruno@exemple.fr"}
    message = by_address["ana@exemple.fr"]
    token = Convocation.objects.get(member=voter).token
    answer_url = f"https://cpts.test/convocation/{token}/"
    assert "Convocation — Assemblée générale 2026" in message.subject
    assert answer_url in message.body
    assert "Rapport d'activité" in message.body
    assert "Droit de vote : oui" in message.body
    assert "Droit de vote : non" in by_address["bruno@exemple.fr"].body
    proxy_url = f"https://cpts.test/portail/reunions/{meeting.pk}/procuration/"
    assert proxy_url in message.body
    assert proxy_url not in by_address["bruno@exemple.fr"].body
    event = ics_of(message)
    assert event["DTSTART"] == meeting.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert unescape(event["SUMMARY"]) == "Assemblée générale 2026"
    assert event["URL"] == answer_url
    assert MemberEmail.objects.filter(member=voter, kind=f"convocation_{meeting.pk}").exists()


def test_a_meeting_in_the_past_is_not_convened(association):
    meeting = make_meeting(days=-1)
    MemberFactory.create()
    with pytest.raises(ValidationError) as error:
        services.convene(meeting)
    assert error.value.messages == [
        "Impossible de convoquer une réunion déjà passée : modifiez sa date."
    ]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED and not meeting.convocations.exists()


def test_cancelled_convened_or_empty_meetings_are_refused(association):
    with pytest.raises(ValidationError, match="annulée"):
        services.convene(make_meeting(status=MeetingStatus.CANCELLED))
    with pytest.raises(ValidationError, match="aucun membre"):
        services.convene(make_meeting(body=group()))
    instance = group("Groupe soins non programmés")
    seat(MemberFactory.create(), instance)
    meeting = make_meeting(body=instance)
    services.convene(meeting)
    with pytest.raises(ValidationError, match="Renvoyer"):
        services.convene(meeting)


def test_a_board_meeting_convenes_its_members_only(association, django_capture_on_commit_callbacks):
    ca = body(BodyKind.CA)
    sitting = MemberFactory.create()
    seat(sitting, ca)
    MemberFactory.create()
    instance = group()
    seat(MemberFactory.create(), instance)
    with django_capture_on_commit_callbacks(execute=True):
        services.convene(make_meeting(BodyKind.CA, title="CA de décembre"))
        services.convene(make_meeting(body=instance, title="Groupe"))
    assert Convocation.objects.get(meeting__title="CA de décembre").member == sitting
    assert Convocation.objects.get(meeting__title="CA de décembre").can_vote is True
    assert Convocation.objects.get(meeting__title="Groupe").can_vote is False
    assert "Droit de vote" not in mail.outbox[0].body
    assert len(mail.outbox) == 2


def test_resend_goes_to_who_has_not_answered_and_to_newcomers(
    association, django_capture_on_commit_callbacks
):
    instance = group()
    answered, silent = MemberFactory.create(), MemberFactory.create()
    seat(answered, instance)
    seat(silent, instance)
    meeting = make_meeting(body=instance)
    services.convene(meeting)
    services.answer(Convocation.objects.get(member=answered), ConvocationAnswer.PRESENT)
    newcomer = MemberFactory.create()
    seat(newcomer, instance)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.resend(meeting)
    assert sent == 2
    assert {m.to[0] for m in mail.outbox} == {silent.email, newcomer.email}
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[silent.email].startswith("Rappel de convocation")
    assert subjects[newcomer.email].startswith("Convocation")


def test_resend_needs_a_convened_meeting(association):
    with pytest.raises(ValidationError):
        services.resend(make_meeting())


def test_answers_are_recorded_until_the_meeting_starts(association):
    instance = group()
    member = MemberFactory.create()
    seat(member, instance)
    meeting = make_meeting(body=instance, days=2)
    services.convene(meeting)
    convocation = Convocation.objects.get(meeting=meeting)
    services.answer(convocation, ConvocationAnswer.ABSENT)
    convocation.refresh_from_db()
    assert convocation.answer == ConvocationAnswer.ABSENT and convocation.answered_at
    with pytest.raises(ValidationError) as error:
        services.answer(convocation, "peut-etre")
    assert "answer" in error.value.message_dict
    with pytest.raises(ValidationError, match="closes"):
        services.answer(
            convocation,
            ConvocationAnswer.PRESENT,
            now=meeting.starts_at + datetime.timedelta(minutes=1),
        )


def test_an_invitee_who_gave_a_proxy_withdraws_it_first(association):
    meeting = make_meeting()
    add_agenda_item(meeting, title="Rapport moral")
    giver, holder = MemberFactory.create(), MemberFactory.create()
    services.convene(meeting)
    Proxy.objects.create(meeting=meeting, giver=giver, holder=holder)
    with pytest.raises(ValidationError, match="procuration"):
        services.answer(Convocation.objects.get(member=giver), ConvocationAnswer.PRESENT)


def test_cancelling_a_convened_meeting_emails_the_invitees(
    association, django_capture_on_commit_callbacks
):
    meeting = make_meeting()
    add_agenda_item(meeting, title="Rapport moral")
    MemberFactory.create(email="zoe@exemple.fr")
    services.convene(meeting)
    meeting.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        cancel(meeting, "Salle indisponible")
    (message,) = mail.outbox
    assert message.subject.startswith("Annulation")
    assert "Motif : Salle indisponible" in message.body
    assert ics_of(message)["STATUS"] == "CANCELLED"


def test_convening_leaves_an_audit_record(association):
    from auditlog.models import LogEntry

    meeting = make_meeting()
    add_agenda_item(meeting, title="Rapport moral")
    MemberFactory.create()
    services.convene(meeting)
    status_changes = [
        entry.changes_dict.get("status") for entry in LogEntry.objects.get_for_object(meeting)
    ]
    assert ["planned", "convened"] in status_changes
    assert LogEntry.objects.filter(content_type__model="convocation").exists()


def test_an_ag_without_agenda_is_not_convened_but_a_board_is(association):
    MemberFactory.create()
    ag = make_meeting(days=30)
    with pytest.raises(ValidationError) as error:
        services.convene(ag)
    assert error.value.messages == [
        "L'ordre du jour est vide : une assemblée générale ne peut pas être convoquée sans "
        "ordre du jour. Ajoutez d'abord ses points."
    ]
    ag.refresh_from_db()
    assert ag.status == MeetingStatus.PLANNED and not ag.convocations.exists()
    board = make_meeting(BodyKind.CA, days=10, title="Conseil d'administration de rentrée")
    seat(MemberFactory.create(), board.body)
    assert services.convene(board) == 1


def test_the_subject_names_the_date_once(association, django_capture_on_commit_callbacks):
    starts = timezone.make_aware(datetime.datetime(timezone.localdate().year + 1, 1, 7, 18))
    dated = make_meeting(
        starts_at=starts, title=f"Assemblée générale ordinaire du {starts:%d/%m/%Y}"
    )
    add_agenda_item(dated, title="Rapport moral")
    MemberFactory.create(email="ana@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        services.convene(dated)
    (message,) = mail.outbox
    assert message.subject == f"Convocation — Assemblée générale ordinaire du {starts:%d/%m/%Y}"
    mail.outbox.clear()
    instance = group("Groupe parcours")
    seat(MemberFactory.create(email="bruno@exemple.fr"), instance)
    plain = make_meeting(body=instance, starts_at=starts, title="Réunion de lancement")
    with django_capture_on_commit_callbacks(execute=True):
        services.convene(plain)
    (message,) = mail.outbox
    assert message.subject == (
        f"Convocation — Groupe parcours — Réunion de lancement — {starts:%d/%m/%Y}"
    )


def test_the_update_goes_to_every_invitee_with_a_newer_ics(
    association, django_capture_on_commit_callbacks
):
    meeting = make_meeting(days=20, title="AG 2026")
    add_agenda_item(meeting, title="Rapport moral")
    answered = MemberFactory.create(email="ana@exemple.fr")
    MemberFactory.create(email="bruno@exemple.fr")
    first = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        services.convene(meeting, now=first)
    first_sequence = int(ics_of(mail.outbox[0])["SEQUENCE"])
    services.answer(Convocation.objects.get(member=answered), ConvocationAnswer.ABSENT)
    mail.outbox.clear()
    meeting.refresh_from_db()
    add_agenda_item(meeting, title="Élection du conseil d'administration")
    newcomer = MemberFactory.create(email="chloe@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send_update(meeting, now=first + datetime.timedelta(seconds=90))
    assert sent == 3
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"ana@exemple.fr", "bruno@exemple.fr", "chloe@exemple.fr"}
    update = by_address["ana@exemple.fr"]
    assert update.subject.startswith("Convocation mise à jour — ") and "AG 2026" in update.subject
    assert "a été mise à jour" in update.body and "Élection du conseil" in update.body
    assert "Votre réponse reste enregistrée (Sera absent·e)" in update.body
    assert by_address["chloe@exemple.fr"].subject.startswith("Convocation — ")
    assert int(ics_of(update)["SEQUENCE"]) > first_sequence
    assert Convocation.objects.get(meeting=meeting, member=newcomer).sent_at is not None


def test_the_update_needs_a_convened_meeting_not_started(association):
    meeting = make_meeting(days=20)
    with pytest.raises(ValidationError, match="Seule une réunion convoquée"):
        services.send_update(meeting)
    add_agenda_item(meeting, title="Rapport moral")
    MemberFactory.create()
    services.convene(meeting)
    meeting.refresh_from_db()
    with pytest.raises(ValidationError, match="La réunion a commencé"):
        services.send_update(meeting, now=meeting.starts_at + datetime.timedelta(minutes=5))
