"""CA elections: default seats and dates, candidates of the collège only, vote totals, ties,
and the count that gives every elected candidate a mandate, or nobody."""

from __future__ import annotations

import datetime
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from governance.models import (
    AttendanceStatus,
    BodyKind,
    Candidate,
    Election,
    Mandate,
    MandateRole,
    Meeting,
    MeetingStatus,
)
from governance.selectors.voting import meeting_date
from governance.services.elections import (
    add_candidate,
    close_election,
    create_election,
    default_mandate_dates,
    record_election_votes,
    remove_candidate,
)
from members.models import College, Member
from members.models.members import MemberStatus
from tests.factories import CollegeFactory, MemberFactory
from tests.governance.test_resolutions import APPROVED, body_of, lock, mark, refused, voting_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def college() -> College:
    return CollegeFactory.create(name="Libéraux de santé", code="liberaux", ca_seats=3)


def held_ag(voters: list[Member]) -> Meeting:
    """An AG held an hour ago where every member of ``voters`` is present."""
    meeting = Meeting.objects.create(
        body=body_of(BodyKind.AG),
        title="Assemblée générale 2026",
        starts_at=timezone.now() - timedelta(hours=1),
        status=MeetingStatus.HELD,
    )
    mark(meeting, voters, AttendanceStatus.PRESENT)
    return meeting


def candidates_with_votes(election: Election, members: list[Member], votes: list[int]):
    candidates = [add_candidate(election, member, by=None) for member in members]
    record_election_votes(
        election, {c.pk: count for c, count in zip(candidates, votes, strict=True)}, by=None
    )
    return candidates


def test_defaults_seats_and_mandate_dates(college: College) -> None:
    ca = body_of(BodyKind.CA)
    sitting = MemberFactory.create(college=college)
    Mandate.objects.create(
        member=sitting,
        body=ca,
        role=MandateRole.ADMINISTRATEUR,
        college=college,
        start_date=datetime.date(2024, 6, 1),
        end_date=datetime.date(2099, 5, 31),
    )
    Mandate.objects.create(  # ended: frees its seat
        member=MemberFactory.create(college=college),
        body=ca,
        role=MandateRole.ADMINISTRATEUR,
        college=college,
        start_date=datetime.date(2020, 6, 1),
        end_date=datetime.date(2023, 5, 31),
    )
    meeting = held_ag([])
    election = create_election(meeting, college=college, by=None)
    start = meeting_date(meeting)
    assert election.body == ca
    assert election.seats == 2
    assert election.mandate_start == start
    expected_end = start.replace(year=start.year + 3) - timedelta(days=1)
    assert election.mandate_end == expected_end
    with pytest.raises(ValidationError, match="existe déjà"):
        create_election(meeting, college=college, by=None)


def test_leap_day_mandate_end() -> None:
    meeting = Meeting(starts_at=timezone.make_aware(datetime.datetime(2028, 2, 29, 18, 0)))
    assert default_mandate_dates(meeting) == (
        datetime.date(2028, 2, 29),
        datetime.date(2031, 2, 27),
    )


def test_no_seat_left_is_refused(college: College) -> None:
    college.ca_seats = 0
    college.save()
    with pytest.raises(ValidationError, match="Aucun siège à pourvoir"):
        create_election(held_ag([]), college=college, by=None)


def test_candidates_come_from_the_college_and_are_active(college: College) -> None:
    election = create_election(held_ag([]), college=college, seats=1, by=None)
    outsider = MemberFactory.create(college=CollegeFactory.create(code="usagers"))
    with pytest.raises(ValidationError, match="seuls les membres actifs du collège"):
        add_candidate(election, outsider, by=None)
    departed = MemberFactory.create(
        college=college, status=MemberStatus.DEPARTED, departed_on=datetime.date(2025, 1, 1)
    )
    with pytest.raises(ValidationError, match="seuls les membres actifs"):
        add_candidate(election, departed, by=None)
    member = MemberFactory.create(college=college)
    add_candidate(election, member, by=None)
    with pytest.raises(ValidationError, match="déjà candidat"):
        add_candidate(election, member, by=None)


def test_vote_total_is_bounded_by_voters_times_seats(college: College) -> None:
    voters = [voting_member(college=college) for _ in range(6)]
    election = create_election(held_ag(voters), college=college, seats=2, by=None)
    candidates = [add_candidate(election, member, by=None) for member in voters[:4]]
    too_many = dict(
        zip([c.pk for c in candidates], [5, 4, 3, 1], strict=True)
    )  # 13 > 6 voters * 2 seats
    with pytest.raises(ValidationError, match="13 voix au total pour seulement 6 votants"):
        record_election_votes(election, too_many, by=None)
    assert not Candidate.objects.filter(votes__isnull=False).exists()
    exact = dict(zip([c.pk for c in candidates], [5, 4, 2, 1], strict=True))  # 12
    record_election_votes(election, exact, by=None)
    assert list(Candidate.objects.order_by("votes").values_list("votes", flat=True)) == [1, 2, 4, 5]


def test_election_votes_need_the_quorum(college: College) -> None:
    voters = [voting_member(college=college) for _ in range(8)]
    election = create_election(held_ag(voters[:1]), college=college, seats=1, by=None)
    candidate = add_candidate(election, voters[0], by=None)
    with pytest.raises(ValidationError, match="quorum n'est pas atteint"):
        record_election_votes(election, {candidate.pk: 1}, by=None)


def test_close_elects_the_best_and_creates_mandates(college: College, president) -> None:
    voters = [voting_member(college=college) for _ in range(6)]
    meeting = held_ag(voters)
    election = create_election(meeting, college=college, seats=2, by=None)
    candidates_with_votes(election, voters[:4], [2, 5, 4, 1])
    winners = close_election(election, by=president)
    assert {c.member for c in winners} == {voters[1], voters[2]}
    mandates = Mandate.objects.filter(body=election.body, elected_at=meeting)
    assert {m.member for m in mandates} == {voters[1], voters[2]}
    for mandate in mandates:
        assert mandate.role == MandateRole.ADMINISTRATEUR
        assert mandate.college == college
        assert (mandate.start_date, mandate.end_date) == (
            election.mandate_start,
            election.mandate_end,
        )
    assert set(Candidate.objects.filter(elected=True).values_list("member", flat=True)) == {
        voters[1].pk,
        voters[2].pk,
    }
    election.refresh_from_db()
    assert election.closed_at is not None
    with pytest.raises(ValidationError, match="close"):
        add_candidate(election, voters[5], by=None)


def test_tie_for_the_last_seat_is_refused_then_settled(college: College) -> None:
    voters = [voting_member(college=college) for _ in range(6)]
    election = create_election(held_ag(voters), college=college, seats=2, by=None)
    candidates = candidates_with_votes(election, voters[:3], [5, 3, 3])
    with pytest.raises(ValidationError, match="Égalité pour le dernier siège"):
        close_election(election, by=None)
    assert not Mandate.objects.filter(body=election.body).exists()
    election.refresh_from_db()
    assert election.closed_at is None
    # A second round settled it: the votes are corrected and the election closes.
    record_election_votes(
        election, {candidates[0].pk: 5, candidates[1].pk: 4, candidates[2].pk: 2}, by=None
    )
    winners = close_election(election, by=None)
    assert {c.member for c in winners} == {voters[0], voters[1]}


def test_one_failing_mandate_cancels_the_whole_count(college: College) -> None:
    voters = [voting_member(college=college) for _ in range(6)]
    meeting = held_ag(voters)
    election = create_election(meeting, college=college, seats=2, by=None)
    # The runner-up already sits in the CA for the same period: one mandate per body.
    Mandate.objects.create(
        member=voters[1],
        body=election.body,
        role=MandateRole.ADMINISTRATEUR,
        college=college,
        start_date=election.mandate_start - timedelta(days=30),
    )
    candidates_with_votes(election, voters[:3], [5, 4, 1])
    with pytest.raises(ValidationError) as error:
        close_election(election, by=None)
    assert voters[1].display_name in str(error.value)
    assert not Mandate.objects.filter(elected_at=meeting).exists()
    assert not Candidate.objects.filter(elected=True).exists()
    election.refresh_from_db()
    assert election.closed_at is None


def test_election_pages(client, college: College, president, tresorier, referent) -> None:
    voters = [voting_member(college=college) for _ in range(4)]
    meeting = held_ag(voters)
    client.force_login(tresorier)
    assert client.get(reverse("election_create", args=[meeting.pk])).status_code == 403
    client.force_login(referent)
    assert client.get(reverse("election_create", args=[meeting.pk])).status_code == 404
    client.force_login(president)
    response = client.post(
        reverse("election_create", args=[meeting.pk]), {"college": college.pk, "seats": "1"}
    )
    election = Election.objects.get(meeting=meeting)
    assert response.status_code == 302
    for member in voters[:2]:
        client.post(reverse("candidate_add", args=[election.pk]), {"member": member.pk})
    candidates = list(election.candidates.order_by("pk"))
    assert len(candidates) == 2
    response = client.post(
        reverse("election_votes", args=[election.pk]),
        {f"votes-{candidates[0].pk}": "3", f"votes-{candidates[1].pk}": "abc"},
    )
    assert response.status_code == 302
    assert not Candidate.objects.filter(votes__isnull=False).exists()
    client.post(
        reverse("election_votes", args=[election.pk]),
        {f"votes-{candidates[0].pk}": "3", f"votes-{candidates[1].pk}": "1"},
    )
    client.post(reverse("election_close", args=[election.pk]))
    assert Mandate.objects.filter(member=voters[0], elected_at=meeting).exists()
    client.force_login(tresorier)
    page = client.get(reverse("election_detail", args=[election.pk])).content.decode()
    assert voters[0].display_name in page and "Élu·e" in page


# --- Locked once the minutes are approved, or the meeting cancelled ---


@pytest.mark.parametrize("how", ["approved", "minutes", "cancelled"])
def test_every_election_write_is_refused_when_locked(college: College, how: str) -> None:
    voters = [voting_member(college=college) for _ in range(4)]
    meeting = held_ag(voters)
    election = create_election(meeting, college=college, seats=1, by=None)
    candidate = add_candidate(election, voters[0], by=None)
    record_election_votes(election, {candidate.pk: 3}, by=None)
    other = CollegeFactory.create(name="Usagers", code="usagers", ca_seats=2)
    message = lock(meeting, how)
    meeting = Meeting.objects.get(pk=meeting.pk)
    election = Election.objects.select_related("meeting").get(pk=election.pk)
    refused(message, lambda: create_election(meeting, college=other, seats=1, by=None))
    refused(message, lambda: add_candidate(election, voters[1], by=None))
    refused(message, lambda: remove_candidate(candidate, by=None))
    refused(message, lambda: record_election_votes(election, {candidate.pk: 4}, by=None))
    refused(message, lambda: close_election(election, by=None))
    assert Election.objects.filter(meeting=meeting).count() == 1
    assert list(Candidate.objects.values_list("member", "votes", "elected")) == [
        (voters[0].pk, 3, False)
    ]
    assert Election.objects.get(pk=election.pk).closed_at is None
    assert not Mandate.objects.filter(elected_at=meeting).exists()


def test_locked_election_pages(client, college: College, president) -> None:
    voters = [voting_member(college=college) for _ in range(4)]
    meeting = held_ag(voters)
    election = create_election(meeting, college=college, seats=1, by=None)
    candidate = add_candidate(election, voters[0], by=None)
    lock(meeting, "approved")
    client.force_login(president)
    page = client.get(reverse("election_detail", args=[election.pk])).content.decode()
    assert APPROVED in page
    for hidden in ["election_votes", "election_close", "candidate_add"]:
        assert reverse(hidden, args=[election.pk]) not in page
    assert reverse("candidate_remove", args=[candidate.pk]) not in page
    response = client.get(reverse("election_create", args=[meeting.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("meeting_resolutions", args=[meeting.pk])
    assert APPROVED in response.content.decode()
    response = client.post(
        reverse("election_votes", args=[election.pk]), {f"votes-{candidate.pk}": "2"}, follow=True
    )
    assert APPROVED in response.content.decode()
    response = client.post(reverse("candidate_remove", args=[candidate.pk]), follow=True)
    assert APPROVED in response.content.decode()
    assert Candidate.objects.filter(pk=candidate.pk, votes__isnull=True).exists()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("²", "indiquez un nombre entier positif"),
        ("-2", "indiquez un nombre entier positif"),
        ("1000001", "1 000 000 voix au plus"),
        ("9" * 5000, "1 000 000 voix au plus"),
    ],
)
def test_bad_candidate_votes_are_named(client, college: College, president, raw, expected):
    voters = [voting_member(college=college) for _ in range(2)]
    election = create_election(held_ag(voters), college=college, seats=1, by=None)
    candidate = add_candidate(election, voters[0], by=None)
    client.force_login(president)
    response = client.post(
        reverse("election_votes", args=[election.pk]), {f"votes-{candidate.pk}": raw}, follow=True
    )
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert voters[0].display_name in " ".join(str(m) for m in response.context["messages"])
    assert Candidate.objects.get(pk=candidate.pk).votes is None
