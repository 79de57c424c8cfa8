"""The governance demo data (governance/demo.py, run by ``seed_demo``): statutes, Bureau and
CA, working groups, two past AGs with attendance, resolutions and approved minutes, meetings
to come; valid by the statutory rules and idempotent. The demo is seeded once for the module
(inside a transaction rolled back at the end)."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from cpts.models import User
from cpts.permissions import roles_of, user_can
from cpts.roles import Role
from cpts.services.demo import DEMO_ACCOUNTS
from governance import models as gov
from governance.demo_calendar import upcoming_ag_day, upcoming_ca_day
from governance.demo_renewals import seed_early_renewals
from governance.models import (
    Attendance,
    AttendanceStatus,
    Body,
    BodyKind,
    Mandate,
    MandateRole,
    Meeting,
    MeetingStatus,
    MinutesStatus,
    Proxy,
    Statutes,
)
from governance.rules import VoteCounts, is_adopted, quorum_required, vote_errors
from governance.selectors.voting import meeting_date, quorum_for, voting_members
from governance.services.mandates import validate_mandate
from members.models import Adhesion, College, FeeRule, Member, Payment
from members.selectors.fees import up_to_date_q

pytestmark = pytest.mark.django_db

GOVERNANCE_MODELS = [
    gov.Body,
    gov.Mandate,
    gov.Meeting,
    gov.AgendaItem,
    gov.Convocation,
    gov.Attendance,
    gov.Proxy,
    gov.Resolution,
    gov.Election,
    gov.Candidate,
    gov.Minutes,
]


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in GOVERNANCE_MODELS}


@pytest.fixture(scope="module")
def seeded(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    # The demo writes files (proofs, documents): never into the repository's media/.
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media"))
    with media, django_db_blocker.unblock(), transaction.atomic():
        first = _seed()
        after_first = _counts()
        statutes_saved = Statutes.objects.get_solo().updated_at
        second = _seed()
        yield {
            "first": first,
            "second": second,
            "after_first": after_first,
            "after_second": _counts(),
            "statutes_saved": statutes_saved,
        }
        transaction.set_rollback(True)


def _past_ags() -> list[Meeting]:
    return list(
        Meeting.objects.filter(body__kind=BodyKind.AG, starts_at__lt=timezone.now()).order_by(
            "starts_at"
        )
    )


def test_seeding_twice_changes_no_governance_row(seeded: dict[str, Any]):
    assert seeded["after_second"] == seeded["after_first"]
    assert Statutes.objects.get_solo().updated_at == seeded["statutes_saved"]
    assert "Mandats de démonstration créés" in seeded["first"]
    assert "Réunions passées créées" in seeded["first"]
    assert "Réunion à venir créée" in seeded["first"]
    assert "rien à changer" in seeded["second"]
    assert all(count > 0 for count in seeded["after_first"].values()), seeded["after_first"]


def test_demo_accounts_hold_their_printed_roles_through_mandates(seeded: dict[str, Any]):
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(email=account.email)
        assert set(account.roles) <= roles_of(user), account.email
        assert account.role_label in seeded["first"]
    president = User.objects.get(email="presidence@cpts-demo.fr")
    treasurer = User.objects.get(email="tresorerie@cpts-demo.fr")
    referent = User.objects.get(email="referent@cpts-demo.fr")
    adherent = User.objects.get(email="adherent@cpts-demo.fr")
    assert user_can(president, "governance.manage")
    assert user_can(treasurer, "finance.approve")
    assert not user_can(treasurer, "governance.manage")
    assert user_can(referent, "groups.lead")
    assert not user_can(referent, "governance.view")
    assert roles_of(adherent) == {Role.ADHERENT}
    assert not user_can(adherent, "groups.lead")
    # The adherent is a plain member of an open working group (to try leaving it).
    today = timezone.localdate()
    assert (
        Mandate.objects.active_on(today)
        .filter(member__user=adherent, role=MandateRole.MEMBRE, body__open_to_join=True)
        .exists()
    )


def test_statutes_are_set_explicitly(seeded: dict[str, Any]):
    statutes = Statutes.objects.get_solo()
    assert statutes.ag_quorum_percent == 25
    assert statutes.max_proxies_per_holder == 2
    assert statutes.convocation_notice_days == 15


def test_bureau_and_ca_respect_the_statutes(seeded: dict[str, Any]):
    today = timezone.localdate()
    ca = Body.objects.get(kind=BodyKind.CA)
    bureau = Body.objects.get(kind=BodyKind.BUREAU)
    running_ca = Mandate.objects.active_on(today).filter(body=ca)
    seats = {c.pk: c.ca_seats for c in College.objects.filter(is_voting=True, ca_seats__gt=0)}
    assert running_ca.count() == sum(seats.values()) == 12
    assert set(running_ca.values_list("college_id", flat=True)) == set(seats)
    # Seats respected on every day a CA mandate starts or ends.
    days = {m.start_date for m in Mandate.objects.filter(body=ca)}
    days |= {m.end_date for m in Mandate.objects.filter(body=ca) if m.end_date}
    for day in days:
        per_college = Counter(
            Mandate.objects.active_on(day).filter(body=ca).values_list("college_id", flat=True)
        )
        assert all(per_college[pk] <= seats[pk] for pk in per_college), day
        presidents = Mandate.objects.active_on(day).filter(role=MandateRole.PRESIDENT)
        assert presidents.count() <= 1, day
        # One mandate at a time per member and body.
        pairs = Mandate.objects.active_on(day).values_list("member_id", "body_id")
        assert len(pairs) == len(set(pairs)), day
    roles = Counter(
        Mandate.objects.active_on(today).filter(body=bureau).values_list("role", flat=True)
    )
    assert roles == {
        MandateRole.PRESIDENT: 1,
        MandateRole.VICE_PRESIDENT: 1,
        MandateRole.TRESORIER: 1,
        MandateRole.SECRETAIRE: 1,
    }
    president = Mandate.objects.active_on(today).get(body=bureau, role=MandateRole.PRESIDENT)
    treasurer = Mandate.objects.active_on(today).get(body=bureau, role=MandateRole.TRESORIER)
    assert president.member.email == "presidence@cpts-demo.fr"
    assert treasurer.member.email == "tresorerie@cpts-demo.fr"
    # Every Bureau member sits in the CA; the CA was elected at the first past AG.
    assert set(
        Mandate.objects.active_on(today).filter(body=bureau).values_list("member_id", flat=True)
    ) <= set(running_ca.values_list("member_id", flat=True))
    first_ag = _past_ags()[0]
    assert running_ca.filter(elected_at=first_ag, start_date=meeting_date(first_ag)).count() >= 10
    assert Mandate.objects.filter(body__in=[ca, bureau], end_date__lt=today).count() >= 2
    assert all(m.member.status == "active" for m in Mandate.objects.select_related("member"))


def test_every_demo_mandate_passes_the_statutory_checks(seeded: dict[str, Any]):
    mandates = Mandate.objects.select_related("member", "body", "college")
    assert mandates.count() > 50
    for mandate in mandates:
        validate_mandate(mandate)  # raises a ValidationError naming the broken rule


def test_six_working_groups_each_with_a_referent(seeded: dict[str, Any]):
    today = timezone.localdate()
    groups = Body.objects.filter(kind=BodyKind.GROUP)
    assert groups.count() == 6
    assert groups.filter(open_to_join=True).exists() and groups.filter(open_to_join=False).exists()
    for group in groups:
        running = Mandate.objects.active_on(today).filter(body=group)
        assert running.filter(role=MandateRole.REFERENT).count() == 1, group
        members = Mandate.objects.filter(body=group, role=MandateRole.MEMBRE)
        assert 4 <= members.count() <= 10, group
        assert group.theme and group.description
    soins = groups.get(name="Soins non programmés")
    referent = Mandate.objects.active_on(today).get(body=soins, role=MandateRole.REFERENT)
    assert referent.member.email == "referent@cpts-demo.fr"
    assert Mandate.objects.filter(body__kind=BodyKind.GROUP, end_date__lt=today).exists()


def test_two_past_ags_with_valid_votes_and_approved_minutes(seeded: dict[str, Any]):
    statutes = Statutes.objects.get_solo()
    ags = _past_ags()
    assert len(ags) == 2
    quorums = []
    for ag in ags:
        assert ag.status == MeetingStatus.MINUTES_APPROVED
        assert ag.convened_at and ag.held_at
        assert ag.convened_at <= ag.starts_at - datetime.timedelta(
            days=statutes.convocation_notice_days
        )
        day = meeting_date(ag)
        voting = set(voting_members(day).values_list("pk", flat=True))
        attendances = list(Attendance.objects.filter(meeting=ag))
        assert len(attendances) == ag.convocations.count() > 100
        present = {a.member_id for a in attendances if a.status == AttendanceStatus.PRESENT}
        represented = [a for a in attendances if a.status == AttendanceStatus.REPRESENTED]
        assert represented
        for attendance in represented:
            assert attendance.member_id in voting
            assert attendance.represented_by_id in voting & present
        proxies = list(Proxy.objects.filter(meeting=ag))
        assert len(proxies) == len(represented)
        held = Counter(p.holder_id for p in proxies)
        assert max(held.values()) <= statutes.max_proxies_per_holder
        quorum = quorum_for(ag)
        assert quorum is not None
        quorums.append(quorum)
        resolutions = list(ag.resolutions.all())
        assert len(resolutions) >= 5
        for resolution in resolutions:
            counts = VoteCounts(
                resolution.votes_for or 0,
                resolution.votes_against or 0,
                resolution.abstentions or 0,
            )
            assert resolution.voters == quorum.counted
            assert vote_errors(counts, resolution.voters) == []
            assert resolution.adopted is is_adopted(resolution.majority, counts, resolution.voters)
            assert resolution.adopted
        titles = " ".join(r.title for r in resolutions)
        assert "rapport d'activité" in titles and "comptes" in titles and "cotisation" in titles
        minutes = ag.minutes
        assert minutes.status == MinutesStatus.APPROVED
        assert minutes.approved_at is not None and minutes.approved_at.starts_at > ag.starts_at
        assert minutes.approved_on == meeting_date(minutes.approved_at)
        assert "Résolution n° 1" in minutes.text and minutes.chair_name in minutes.text
    assert any(q.reached for q in quorums)
    assert ags[0].minutes.approved_at == ags[1]  # approved at the next AG
    elections = ags[0].elections.all()
    assert elections.count() == len(College.objects.filter(is_voting=True, ca_seats__gt=0))
    for election in elections:
        elected = election.candidates.filter(elected=True).count()
        assert elected == election.college.ca_seats
        assert all((c.votes or 0) <= quorums[0].counted for c in election.candidates.all())


def test_past_board_and_group_meetings_have_attendance(seeded: dict[str, Any]):
    now = timezone.now()
    for kind in (BodyKind.CA, BodyKind.BUREAU, BodyKind.GROUP):
        past = Meeting.objects.filter(body__kind=kind, starts_at__lt=now, held_at__isnull=False)
        assert past.count() >= 2, kind
        for meeting in past:
            sitting = set(
                Mandate.objects.active_on(meeting_date(meeting))
                .filter(body=meeting.body)
                .values_list("member_id", flat=True)
            )
            ticked = set(meeting.attendances.values_list("member_id", flat=True))
            assert ticked == sitting, meeting
    ca_meetings = Meeting.objects.filter(body__kind=BodyKind.CA, held_at__isnull=False)
    assert ca_meetings.filter(minutes__status=MinutesStatus.APPROVED).count() >= 3
    for meeting in ca_meetings:
        quorum = quorum_for(meeting)
        assert quorum is not None and quorum.reached, meeting
        for resolution in meeting.resolutions.all():
            counts = VoteCounts(
                resolution.votes_for or 0,
                resolution.votes_against or 0,
                resolution.abstentions or 0,
            )
            assert vote_errors(counts, resolution.voters or 0) == []


def test_meetings_to_come(seeded: dict[str, Any]):
    today = timezone.localdate()
    now = timezone.now()
    ca = Meeting.objects.get(body__kind=BodyKind.CA, starts_at__gte=now)
    assert ca.status == MeetingStatus.CONVENED
    ag = Meeting.objects.get(body__kind=BodyKind.AG, starts_at__gte=now)
    assert meeting_date(ag) == upcoming_ag_day(today)
    assert meeting_date(ca) == upcoming_ca_day(today, meeting_date(ag))
    assert 12 <= (meeting_date(ca) - today).days <= 27
    assert meeting_date(ca) < meeting_date(ag)  # the CA prepares the AG
    sitting = Mandate.objects.active_on(meeting_date(ca)).filter(body=ca.body)
    assert ca.convocations.count() == sitting.count()
    assert ag.status == MeetingStatus.PLANNED
    notice = Statutes.objects.get_solo().convocation_notice_days
    assert notice < 21 <= (meeting_date(ag) - today).days <= 48  # time to convene it
    assert ag.agenda_items.filter(needs_vote=True).count() >= 4
    assert not ag.convocations.exists()
    groups = Meeting.objects.filter(body__kind=BodyKind.GROUP, starts_at__gte=now)
    assert groups.count() == 3
    assert groups.filter(status=MeetingStatus.CONVENED).exists()


def test_the_upcoming_ag_has_its_voters_and_can_reach_its_quorum(seeded: dict[str, Any]):
    ag = Meeting.objects.get(body__kind=BodyKind.AG, starts_at__gte=timezone.now())
    day = meeting_date(ag)
    active = Member.objects.filter(status="active").count()
    voters = voting_members(day).count()
    required = quorum_required(voters, Statutes.objects.get_solo().ag_quorum_percent)
    assert voters >= 0.6 * active, (voters, active)
    assert 0 < required <= voters
    # Most of the members up to date today keep their vote on the AG's date.
    today_voters = set(voting_members(timezone.localdate()).values_list("pk", flat=True))
    kept = voting_members(day).filter(pk__in=today_voters).count()
    assert kept >= 0.8 * len(today_voters)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2026, 3, 2), datetime.date(2026, 4, 16)),  # six weeks ahead
        (datetime.date(2026, 10, 1), datetime.date(2026, 11, 12)),
        (datetime.date(2026, 11, 10), datetime.date(2026, 12, 17)),  # not on Christmas Eve
        (datetime.date(2026, 11, 22), datetime.date(2026, 12, 17)),  # before the holidays
        (datetime.date(2026, 11, 26), datetime.date(2026, 12, 17)),  # three weeks' notice
        (datetime.date(2026, 11, 27), datetime.date(2027, 1, 14)),  # too late: January
        (datetime.date(2026, 12, 20), datetime.date(2027, 2, 4)),
    ],
)
def test_upcoming_ag_day(today: datetime.date, expected: datetime.date):
    day = upcoming_ag_day(today)
    assert day == expected and day.weekday() == 3
    ca_day = upcoming_ca_day(today, day)
    assert ca_day.weekday() == 1 and today + datetime.timedelta(days=7) < ca_day < day


def test_an_ag_in_january_gets_its_voters_from_early_renewals(seeded: dict[str, Any]):
    today = timezone.localdate()
    year = today.year + 1
    with transaction.atomic():
        # The state before anyone renews (the demo itself renews early when its next AG
        # falls next year, as in December): an AG next January would have no voter.
        Payment.objects.filter(adhesion__year=year).delete()
        Adhesion.objects.filter(year=year).delete()
        FeeRule.objects.filter(year=year).delete()
        assert not voting_members(datetime.date(year, 1, 14)).exists()
        up_to_date = Member.objects.filter(up_to_date_q(today), status="active").count()
        created = seed_early_renewals(year, today)
        assert 0.8 * up_to_date <= created < up_to_date
        assert (
            FeeRule.objects.filter(year=year).count()
            == FeeRule.objects.filter(year=today.year).count()
        )
        assert voting_members(datetime.date(year, 1, 14)).count() >= 0.8 * (
            voting_members(today).count()
        )
        payments = Payment.objects.filter(adhesion__year=year)
        assert payments.exists() and all(p.paid_on <= today for p in payments)
        assert seed_early_renewals(year, today) == 0  # idempotent
        assert seed_early_renewals(today.year, today) == 0  # this year's AG needs none
        transaction.set_rollback(True)


def test_bench_governance_data_set_grows_with_the_members_and_is_idempotent(
    seeded: dict[str, Any],
):
    from cpts.bench import governance as bench
    from cpts.bench.targets import PAGES
    from members.models import Member

    counts = bench.seed_governance()
    active = Member.objects.filter(status="active").count()
    assert counts.convocations == counts.attendances == active
    assert bench.seed_governance() == counts
    meeting = bench.bench_ag()
    limit = Statutes.objects.get_solo().max_proxies_per_holder
    held = Counter(Proxy.objects.filter(meeting=meeting).values_list("holder_id", flat=True))
    assert held and max(held.values()) <= limit
    represented = Attendance.objects.filter(meeting=meeting, status=AttendanceStatus.REPRESENTED)
    assert represented.count() == counts.proxies
    holders = set(represented.values_list("represented_by_id", flat=True))
    assert holders <= set(
        Attendance.objects.filter(meeting=meeting, status=AttendanceStatus.PRESENT).values_list(
            "member_id", flat=True
        )
    )
    urls = {
        page.url_name: page.url()
        for page in PAGES
        if page.kwargs in (bench.page_kwargs, bench.ag_kwargs)
    }
    assert urls["meeting_attendance"].startswith(f"/gouvernance/reunions/{meeting.pk}/presences/")
    assert urls["meeting_detail"].startswith(f"/gouvernance/reunions/{meeting.pk}/")
    assert set(urls) == {
        "governance_page",
        "meeting_list",
        "decision_register",
        "meeting_attendance",
        "meeting_detail",
    }
