"""The renewal campaign: first email from the configured date, a second reminder later,
never the same email twice; the daily Celery task."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from members.models import FeeRule, MemberEmail
from members.models.members import MemberStatus
from members.services.adhesions import ensure_adhesion, record_payment
from members.services.campaigns import campaign_dates, campaign_kind, run_renewal_campaign
from members.tasks import renewal_campaign
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
D = Decimal
YEAR = 2026


@pytest.fixture
def members(association, settings):
    settings.MAILLAGE_RENEWAL_CAMPAIGN = "01-15"
    settings.MAILLAGE_RENEWAL_REMINDER_DAYS = 30
    FeeRule.objects.create(year=YEAR, amount=D("20.00"))
    late = MemberFactory.create(first_name="Ana", email="ana@exemple.fr")
    paid = MemberFactory.create(email="paid@exemple.fr")
    record_payment(
        ensure_adhesion(paid, YEAR),
        amount=D("20"),
        method="cheque",
        paid_on=datetime.date(YEAR, 1, 3),
    )
    partial = MemberFactory.create(email="partial@exemple.fr")
    record_payment(
        ensure_adhesion(partial, YEAR),
        amount=D("5"),
        method="cheque",
        paid_on=datetime.date(YEAR, 1, 3),
    )
    MemberFactory.create(email="")  # nobody to write to
    MemberFactory.create(
        email="parti@exemple.fr",
        status=MemberStatus.DEPARTED,
        departed_on=datetime.date(2025, 6, 1),
    )
    return {"late": late, "paid": paid, "partial": partial}


def _at(day: datetime.date, when: datetime.time = datetime.time(9)) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, when))


def _run(day, capture):
    with capture(execute=True):
        return run_renewal_campaign(day)


def test_the_dates_come_from_the_settings(settings):
    settings.MAILLAGE_RENEWAL_CAMPAIGN = "02-01"
    settings.MAILLAGE_RENEWAL_REMINDER_DAYS = 10
    assert campaign_dates(YEAR) == (datetime.date(YEAR, 2, 1), datetime.date(YEAR, 2, 11))


def test_nothing_before_the_campaign_date(members, mailoutbox, django_capture_on_commit_callbacks):
    result = _run(datetime.date(YEAR, 1, 14), django_capture_on_commit_callbacks)
    assert (result.first, result.second) == (0, 0) and mailoutbox == []


def test_the_campaign_emails_active_members_not_up_to_date_once(
    members, mailoutbox, django_capture_on_commit_callbacks
):
    day = datetime.date(YEAR, 1, 15)
    result = _run(day, django_capture_on_commit_callbacks)
    assert result.first == 2 and result.second == 0
    assert sorted(m.to[0] for m in mailoutbox) == ["ana@exemple.fr", "partial@exemple.fr"]
    ana = next(m for m in mailoutbox if m.to == ["ana@exemple.fr"])
    assert ana.subject == f"Renouvellement de votre adhésion {YEAR}"
    assert "Bonjour Ana" in ana.body and "20,00 €" in ana.body
    assert ana.alternatives and "Bonjour Ana" in str(ana.alternatives[0][0])
    assert MemberEmail.objects.filter(kind=campaign_kind(YEAR, 1)).count() == 2
    # Run again the same day and the next days: no second copy.
    for again in (day, day + datetime.timedelta(days=1), day + datetime.timedelta(days=29)):
        result = _run(again, django_capture_on_commit_callbacks)
        assert (result.first, result.second) == (0, 0)
    assert len(mailoutbox) == 2


def test_the_second_reminder_follows_the_first_once(
    members, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    first_day = datetime.date(YEAR, 1, 15)
    monkeypatch.setattr(timezone, "now", lambda: _at(first_day))
    _run(first_day, django_capture_on_commit_callbacks)
    monkeypatch.undo()
    # Ana pays in the meantime: only the partial payer is reminded.
    record_payment(
        ensure_adhesion(members["late"], YEAR),
        amount=D("20"),
        method="virement",
        paid_on=datetime.date(YEAR, 2, 1),
    )
    mailoutbox.clear()
    second_day = datetime.date(YEAR, 2, 14)
    result = _run(second_day, django_capture_on_commit_callbacks)
    assert (result.first, result.second) == (0, 1)
    assert [m.to for m in mailoutbox] == [["partial@exemple.fr"]]
    assert mailoutbox[0].subject == f"Rappel : votre cotisation {YEAR}"
    assert "pas encore réglée" in mailoutbox[0].body
    for again in (second_day, datetime.date(YEAR, 6, 1)):
        assert _run(again, django_capture_on_commit_callbacks).second == 0
    assert len(mailoutbox) == 1
    assert MemberEmail.objects.filter(kind=campaign_kind(YEAR, 2)).count() == 1


def test_a_late_joiner_gets_the_second_reminder_only_after_the_delay(
    members, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    day = datetime.date(YEAR, 3, 1)  # after both dates: the first email only
    monkeypatch.setattr(timezone, "now", lambda: _at(day))
    result = _run(day, django_capture_on_commit_callbacks)
    assert (result.first, result.second) == (2, 0)
    result = _run(day + datetime.timedelta(days=29), django_capture_on_commit_callbacks)
    assert result.second == 0
    monkeypatch.undo()
    result = _run(day + datetime.timedelta(days=30), django_capture_on_commit_callbacks)
    assert result.second == 2


def test_the_daily_task_runs_the_campaign_of_today(members, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(YEAR, 1, 20))
    assert renewal_campaign() == {"first": 2, "second": 0}
    assert renewal_campaign() == {"first": 0, "second": 0}


def test_the_beat_schedule_runs_the_task_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["members-renewal-campaign"]
    assert entry["task"] == renewal_campaign.name
    assert entry["schedule"] == 24 * 60 * 60
