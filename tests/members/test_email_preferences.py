"""Email preferences: which kinds of email a member receives. Convocations and legal notices
cannot be switched off; every email to a member goes through ``accepts_email``."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from cpts.models import User
from governance.models import Convocation
from governance.services.convocations import convene, send_cancellation, send_reminders
from members.models import EmailCategory, EmailOptOut, FeeRule, Member, MemberEmail
from members.selectors.email_preferences import accepting_q, accepts_email, preference_rows
from members.services.campaigns import run_renewal_campaign, send_manual_reminders
from members.services.email_preferences import set_email_preferences
from members.services.emails import send_member_email
from tests.factories import MemberFactory
from tests.governance.test_meetings import group, make_meeting, seat

pytestmark = pytest.mark.django_db

ALL = [c.value for c in EmailCategory]
MANDATORY = [EmailCategory.CONVOCATION, EmailCategory.LEGAL]


@pytest.fixture
def own(adherent: User, association) -> Member:
    return MemberFactory.create(user=adherent, email=adherent.email)


def _switch_off(member: Member, *categories: str) -> None:
    set_email_preferences(member, [c for c in ALL if c not in categories])


# --- Rules -------------------------------------------------------------------------------


def test_every_category_is_received_until_switched_off(own: Member):
    assert all(accepts_email(own, c) for c in ALL)
    _switch_off(own, EmailCategory.FEE_REMINDER)
    assert not accepts_email(own, EmailCategory.FEE_REMINDER)
    assert accepts_email(own, EmailCategory.MEETING_REMINDER)
    rows = {row.category: row for row in preference_rows(own)}
    assert rows["fee_reminder"].receives is False and rows["fee_reminder"].mandatory is False
    assert rows["convocation"].receives is True and rows["convocation"].mandatory is True
    # Switched back on: the opt-out row is removed.
    set_email_preferences(own, ALL)
    assert not EmailOptOut.objects.filter(member=own).exists()


@pytest.mark.parametrize("category", MANDATORY)
def test_mandatory_categories_cannot_be_switched_off(own: Member, category: str):
    with pytest.raises(ValidationError) as error:
        set_email_preferences(own, [c for c in ALL if c not in (category, "fee_reminder")])
    assert "obligatoires et ne peuvent pas être désactivés" in error.value.messages[0]
    # Nothing half-written: the fee reminders asked off in the same request stay on.
    assert not EmailOptOut.objects.filter(member=own).exists()
    assert accepts_email(own, category)


def test_the_database_refuses_a_mandatory_opt_out(own: Member):
    with pytest.raises(IntegrityError), transaction.atomic():
        EmailOptOut.objects.create(member=own, category=EmailCategory.CONVOCATION)


def test_an_unknown_category_is_refused(own: Member):
    with pytest.raises(ValidationError, match="inconnu"):
        set_email_preferences(own, [*ALL, "publicite"])
    with pytest.raises(ValueError):
        accepts_email(own, "publicite")


def test_accepting_q_is_the_same_rule_in_sql(own: Member):
    other = MemberFactory.create()
    _switch_off(own, EmailCategory.MEETING_REMINDER)
    accepting = set(Member.objects.filter(accepting_q(EmailCategory.MEETING_REMINDER)))
    assert other in accepting and own not in accepting
    assert own in set(Member.objects.filter(accepting_q(EmailCategory.CONVOCATION)))


def test_changes_are_audited(own: Member):
    _switch_off(own, EmailCategory.FEE_REMINDER)
    assert LogEntry.objects.get_for_model(EmailOptOut).filter(action=LogEntry.Action.CREATE)


# --- Every sender goes through the check ---------------------------------------------------


def test_send_member_email_skips_a_switched_off_category(
    own: Member, django_capture_on_commit_callbacks
):
    _switch_off(own, EmailCategory.FEE_REMINDER)
    with django_capture_on_commit_callbacks(execute=True):
        skipped = send_member_email(
            own,
            kind="relance_test",
            category=EmailCategory.FEE_REMINDER,
            subject="Relance",
            template="renewal_reminder",
            context={"year": 2026, "fee": Decimal("20"), "step": 1},
        )
    assert skipped is None and mail.outbox == []
    assert not MemberEmail.objects.filter(member=own).exists()


def test_the_renewal_campaign_skips_members_who_switched_it_off(
    own: Member, settings, django_capture_on_commit_callbacks
):
    settings.MAILLAGE_RENEWAL_CAMPAIGN = "01-15"
    FeeRule.objects.create(year=2026, amount=Decimal("20"))
    other = MemberFactory.create(email="autre@exemple.fr")
    _switch_off(own, EmailCategory.FEE_REMINDER)
    with django_capture_on_commit_callbacks(execute=True):
        result = run_renewal_campaign(datetime.date(2026, 1, 20))
    assert result.first == 1
    assert [m.to[0] for m in mail.outbox] == [other.email]


def test_a_manual_reminder_reports_who_switched_reminders_off(
    own: Member, coordinator: User, django_capture_on_commit_callbacks
):
    FeeRule.objects.create(year=2026, amount=Decimal("20"))
    _switch_off(own, EmailCategory.FEE_REMINDER)
    with django_capture_on_commit_callbacks(execute=True):
        summary = send_manual_reminders([own.pk], by=coordinator, on=datetime.date(2026, 3, 1))
    assert summary.opted_out == [own] and summary.sent == []
    assert mail.outbox == []


def test_meeting_reminders_respect_the_choice_but_convocations_always_leave(
    own: Member, django_capture_on_commit_callbacks
):
    instance = group()
    other = MemberFactory.create(email="autre@exemple.fr")
    seat(own, instance)
    seat(other, instance)
    _switch_off(own, EmailCategory.MEETING_REMINDER, EmailCategory.FEE_REMINDER)
    meeting = make_meeting(body=instance, days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert convene(meeting) == 2
    assert {m.to[0] for m in mail.outbox} == {own.email, other.email}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders() == 1
    assert [m.to[0] for m in mail.outbox] == [other.email]
    assert Convocation.objects.get(member=own).reminded_at is None
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_cancellation(meeting, "Salle indisponible") == 2


# --- Portal page ----------------------------------------------------------------------------


def test_the_page_switches_a_kind_off_and_keeps_mandatory_ones(own: Member, adherent: User):
    client = Client()
    client.force_login(adherent)
    url = reverse("portal_email_preferences")
    page = client.get(url).content.decode()
    assert 'value="convocation"' in page and "disabled" in page
    response = client.post(url, {"receives": ["convocation", "legal", "meeting_reminder"]})
    assert response.status_code == 302
    assert not accepts_email(own, EmailCategory.FEE_REMINDER)
    # A forged form leaving out a mandatory kind: refused, nothing changed.
    response = client.post(url, {"receives": ["legal"]})
    assert response.status_code == 400
    assert "ne peuvent pas être désactivés" in response.content.decode()
    assert accepts_email(own, EmailCategory.MEETING_REMINDER)


def test_the_rgpd_export_includes_preferences_and_governance_data(own: Member, adherent: User):
    instance = group("Groupe prévention")
    seat(own, instance)
    _switch_off(own, EmailCategory.FEE_REMINDER)
    meeting = make_meeting(body=instance, days=3, title="Réunion prévention")
    convene(meeting)
    client = Client()
    client.force_login(adherent)
    data = json.loads(client.get(reverse("portal_data_export")).content)
    prefs = {row["type"]: row for row in data["preferences_emails"]}
    assert prefs["Rappels de renouvellement et de cotisation"]["recu"] is False
    assert prefs["Convocations aux réunions et à l'assemblée générale"]["obligatoire"] is True
    assert data["mandats"][0]["instance"] == "Groupe prévention"
    assert data["reunions"]["convocations"][0]["reunion"] == "Réunion prévention"
