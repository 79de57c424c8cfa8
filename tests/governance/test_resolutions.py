"""Resolutions: majority defaults, numbering, the show of hands checked against the voting
members present or represented, the quorum, and the meeting's resolutions page."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import (
    AgKind,
    Attendance,
    AttendanceStatus,
    Body,
    BodyKind,
    MajorityRule,
    Mandate,
    MandateRole,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Resolution,
    Statutes,
)
from governance.services.resolutions import (
    create_resolution,
    default_majority,
    delete_resolution,
    move_resolution,
    record_vote,
    update_resolution,
)
from members.models import FeeRule, Member
from members.services.adhesions import ensure_adhesion
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


# --- Helpers shared by the governance decision tests ---


def body_of(kind: str) -> Body:
    return Body.objects.get_or_create(kind=kind, defaults={"name": BodyKind(kind).label})[0]


def mark(meeting: Meeting, members: list[Member], status: str, holder: Member | None = None):
    for member in members:
        Attendance.objects.create(
            meeting=meeting,
            member=member,
            status=status,
            represented_by=holder if status == AttendanceStatus.REPRESENTED else None,
        )


def board_meeting(
    size: int = 6, present: int = 4, represented: int = 0, *, days_ago: int = 1, **fields: Any
) -> tuple[Meeting, list[Member]]:
    """A CA meeting held ``days_ago`` days ago, whose ``size`` administrators sit through a
    running mandate; the first ``present`` are present, the next ``represented`` represented."""
    ca = body_of(BodyKind.CA)
    members = MemberFactory.create_batch(size)
    for member in members:
        Mandate.objects.create(
            member=member,
            body=ca,
            role=MandateRole.ADMINISTRATEUR,
            start_date=timezone.localdate() - timedelta(days=400),
        )
    meeting = Meeting.objects.create(
        body=ca,
        title=fields.pop("title", "Conseil d'administration"),
        starts_at=timezone.now() - timedelta(days=days_ago),
        status=MeetingStatus.HELD,
        **fields,
    )
    mark(meeting, members[:present], AttendanceStatus.PRESENT)
    mark(
        meeting,
        members[present : present + represented],
        AttendanceStatus.REPRESENTED,
        holder=members[0],
    )
    return meeting, members


def voting_member(**fields: Any) -> Member:
    """An active member whose fee of the current year is settled (a free fee schedule)."""
    year = timezone.localdate().year
    FeeRule.objects.get_or_create(year=year, college=None, defaults={"amount": Decimal("0")})
    member = MemberFactory.create(**fields)
    ensure_adhesion(member, year)
    return member


def resolution_of(meeting: Meeting, majority: str = MajorityRule.SIMPLE, **fields: Any):
    return create_resolution(
        meeting,
        title=fields.get("title", "Budget prévisionnel"),
        text=fields.get("text", "Le conseil adopte le budget prévisionnel 2027."),
        majority=majority,
        by=None,
    )


# --- Majority defaults and numbering ---


def test_default_majority_follows_the_statutes() -> None:
    statutes = Statutes.objects.get_solo()
    statutes.board_majority = MajorityRule.ABSOLUTE
    statutes.save()
    now = timezone.now()
    ag = body_of(BodyKind.AG)
    ordinary = Meeting.objects.create(body=ag, title="AGO", starts_at=now, ag_kind=AgKind.ORDINARY)
    extra = Meeting.objects.create(
        body=ag, title="AGE", starts_at=now, ag_kind=AgKind.EXTRAORDINARY
    )
    board = Meeting.objects.create(body=body_of(BodyKind.BUREAU), title="Bureau", starts_at=now)
    assert default_majority(ordinary) == MajorityRule.SIMPLE
    assert default_majority(extra) == MajorityRule.TWO_THIRDS
    assert default_majority(board) == MajorityRule.ABSOLUTE
    resolution = create_resolution(board, title="T", text="Texte", by=None)
    assert resolution.majority == MajorityRule.ABSOLUTE


def test_working_groups_take_no_resolutions() -> None:
    group = Body.objects.create(kind=BodyKind.GROUP, name="Parcours diabète")
    meeting = Meeting.objects.create(body=group, title="Réunion", starts_at=timezone.now())
    with pytest.raises(ValidationError, match="groupe de travail ne prend pas de résolutions"):
        create_resolution(meeting, title="T", text="Texte", by=None)
    assert not Resolution.objects.exists()


def test_numbering_delete_and_reorder() -> None:
    meeting, _members = board_meeting()
    first, second, third = (resolution_of(meeting, title=f"R{i}") for i in range(3))
    assert [first.position, second.position, third.position] == [1, 2, 3]
    move_resolution(third, up=True, by=None)
    titles = list(meeting.resolutions.order_by("position").values_list("title", flat=True))
    assert titles == ["R0", "R2", "R1"]
    delete_resolution(Resolution.objects.get(title="R0"), by=None)
    rows = list(meeting.resolutions.order_by("position").values_list("position", "title"))
    assert rows == [(1, "R2"), (2, "R1")]


# --- The show of hands ---


def test_counts_larger_than_voters_are_refused_with_figures() -> None:
    meeting, _members = board_meeting(size=6, present=4, represented=1)  # 5 voters
    resolution = resolution_of(meeting)
    with pytest.raises(ValidationError) as error:
        record_vote(resolution, 3, 2, 1, by=None)
    assert "6 voix (pour, contre et abstentions) pour seulement 5 votants" in str(error.value)
    resolution.refresh_from_db()
    assert resolution.voted_at is None and resolution.adopted is None
    # Exactly as many votes as voters is fine.
    record_vote(resolution, 3, 1, 1, by=None)
    resolution.refresh_from_db()
    assert (resolution.voters, resolution.adopted) == (5, True)
    assert resolution.voted_at is not None


def test_no_vote_without_quorum() -> None:
    meeting, _members = board_meeting(size=6, present=2)  # CA quorum 50 %: 3 needed
    resolution = resolution_of(meeting)
    with pytest.raises(ValidationError) as error:
        record_vote(resolution, 2, 0, 0, by=None)
    assert (
        "Le quorum n'est pas atteint : l'assemblée ne peut pas délibérer." in error.value.messages
    )


def test_no_vote_before_the_meeting_starts() -> None:
    meeting, _members = board_meeting(days_ago=-2)
    resolution = resolution_of(meeting)
    with pytest.raises(ValidationError, match="pas encore commencé"):
        record_vote(resolution, 1, 0, 0, by=None)


def test_second_convocation_ag_deliberates_without_quorum() -> None:
    ag = body_of(BodyKind.AG)
    voters = [voting_member() for _ in range(8)]
    now = timezone.now()
    first = Meeting.objects.create(body=ag, title="AG 1", starts_at=now - timedelta(days=20))
    second = Meeting.objects.create(
        body=ag, title="AG 2", starts_at=now - timedelta(hours=1), second_convocation_of=first
    )
    mark(second, voters[:1], AttendanceStatus.PRESENT)  # 1 of 8, below 25 %
    resolution = resolution_of(second)
    record_vote(resolution, 1, 0, 0, by=None)
    assert Resolution.objects.get(pk=resolution.pk).adopted is True
    plain = Meeting.objects.create(body=ag, title="AG 3", starts_at=now - timedelta(hours=2))
    mark(plain, voters[:1], AttendanceStatus.PRESENT)
    with pytest.raises(ValidationError, match="quorum"):
        record_vote(resolution_of(plain), 1, 0, 0, by=None)


@pytest.mark.parametrize(
    ("rule", "counts", "adopted"),
    [
        (MajorityRule.SIMPLE, (3, 2, 1), True),
        (MajorityRule.SIMPLE, (2, 2, 2), False),
        # absolute: more than half of the 6 voters present or represented
        (MajorityRule.ABSOLUTE, (3, 0, 3), False),
        (MajorityRule.ABSOLUTE, (4, 1, 1), True),
        # two thirds of the votes cast
        (MajorityRule.TWO_THIRDS, (4, 2, 0), True),
        (MajorityRule.TWO_THIRDS, (3, 2, 1), False),
    ],
)
def test_each_majority_rule_end_to_end(rule: str, counts: tuple[int, int, int], adopted: bool):
    meeting, _members = board_meeting(size=8, present=5, represented=1)  # 6 voters
    resolution = resolution_of(meeting, majority=rule)
    record_vote(resolution, *counts, by=None)
    assert Resolution.objects.get(pk=resolution.pk).adopted is adopted


def test_recording_again_corrects_the_result(president) -> None:
    meeting, _members = board_meeting(size=6, present=5)
    resolution = resolution_of(meeting)
    record_vote(resolution, 1, 3, 1, by=president)
    assert Resolution.objects.get(pk=resolution.pk).adopted is False
    record_vote(resolution, 4, 1, 0, by=president)
    resolution = Resolution.objects.get(pk=resolution.pk)
    assert (resolution.votes_for, resolution.adopted, resolution.recorded_by) == (
        4,
        True,
        president,
    )


# --- Pages ---


def test_vote_through_htmx_answers_the_card(client, president) -> None:
    meeting, _members = board_meeting(size=6, present=5)
    resolution = resolution_of(meeting)
    client.force_login(president)
    url = reverse("resolution_vote", args=[resolution.pk])
    prefix = f"r{resolution.pk}"
    response = client.post(
        url,
        {f"{prefix}-votes_for": "4", f"{prefix}-votes_against": "1", f"{prefix}-abstentions": "0"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Adoptée" in response.content.decode()
    response = client.post(
        url,
        {f"{prefix}-votes_for": "4", f"{prefix}-votes_against": "2", f"{prefix}-abstentions": "0"},
        headers={"HX-Request": "true"},
    )
    assert "6 voix (pour, contre et abstentions) pour seulement 5 votants" in (
        response.content.decode()
    )
    assert Resolution.objects.get(pk=resolution.pk).votes_against == 1


def test_resolution_pages_by_persona(client, adherent, tresorier, president, referent) -> None:
    meeting, _members = board_meeting()
    page = reverse("meeting_resolutions", args=[meeting.pk])
    create = reverse("resolution_create", args=[meeting.pk])
    client.force_login(adherent)
    assert client.get(page).status_code == 403
    client.force_login(referent)
    assert client.get(page).status_code == 404
    client.force_login(tresorier)
    assert client.get(page).status_code == 200
    assert client.get(create).status_code == 403
    client.force_login(president)
    response = client.post(
        create, {"title": "Cotisation 2027", "text": "20 €", "majority": MajorityRule.SIMPLE}
    )
    assert response.status_code == 302
    response = client.get(page)
    assert "Cotisation 2027" in response.content.decode()
    assert "voix requise" in response.content.decode()
    response = client.post(create, {"title": "", "text": "", "majority": "nimporte"})
    assert response.status_code == 200
    assert Resolution.objects.filter(meeting=meeting).count() == 1


def test_resolutions_page_queries_do_not_grow(client, president) -> None:
    client.force_login(president)

    def queries(count: int) -> int:
        meeting, _members = board_meeting()
        for index in range(count):
            resolution_of(meeting, title=f"Résolution {index}")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("meeting_resolutions", args=[meeting.pk])).status_code == 200
        return len(captured.captured_queries)

    queries(0)  # warm the session and the role caches
    assert queries(3) == queries(30)


# --- Locked once the minutes are approved, or the meeting cancelled ---

APPROVED = "Le procès-verbal est approuvé : les résolutions et élections de cette réunion"
CANCELLED = "Cette réunion est annulée : ses résolutions et élections"


def lock(meeting: Meeting, how: str) -> str:
    """Close ``meeting``'s decisions and return the start of the expected refusal."""
    if how == "cancelled":
        Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED)
        return CANCELLED
    if how == "approved":
        Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.MINUTES_APPROVED)
    else:  # approved minutes, whatever the meeting's status says
        Minutes.objects.create(
            meeting=meeting,
            text="PV",
            status=MinutesStatus.APPROVED,
            approved_on=timezone.localdate(),
        )
    return APPROVED


def refused(message: str, write: Any) -> None:
    with pytest.raises(ValidationError) as error:
        write()
    assert message in " ".join(error.value.messages)


@pytest.mark.parametrize("how", ["approved", "minutes", "cancelled"])
def test_every_resolution_write_is_refused_when_locked(how: str) -> None:
    meeting, _members = board_meeting(size=6, present=5)
    first = resolution_of(meeting, title="R1")
    second = resolution_of(meeting, title="R2")
    record_vote(first, 4, 1, 0, by=None)
    message = lock(meeting, how)
    meeting = Meeting.objects.get(pk=meeting.pk)  # as a view reads it
    first = Resolution.objects.select_related("meeting").get(pk=first.pk)
    second = Resolution.objects.select_related("meeting").get(pk=second.pk)
    refused(message, lambda: resolution_of(meeting, title="R3"))
    refused(
        message,
        lambda: update_resolution(
            second, title="Autre", text="Autre", majority=second.majority, by=None
        ),
    )
    refused(message, lambda: delete_resolution(second, by=None))
    refused(message, lambda: move_resolution(second, up=True, by=None))
    refused(message, lambda: record_vote(first, 3, 2, 0, by=None))
    refused(message, lambda: record_vote(second, 5, 0, 0, by=None))
    rows = list(
        Resolution.objects.filter(meeting=meeting)
        .order_by("position")
        .values_list("position", "title", "votes_for", "adopted")
    )
    assert rows == [(1, "R1", 4, True), (2, "R2", None, None)]


def test_a_stale_meeting_object_is_still_refused() -> None:
    """The status is read again inside the write: a page opened before the approval cannot
    change anything after it."""
    meeting, _members = board_meeting(size=6, present=5)
    resolution = resolution_of(meeting)
    lock(meeting, "approved")
    assert resolution.meeting.status == MeetingStatus.HELD
    refused(APPROVED, lambda: record_vote(resolution, 5, 0, 0, by=None))


def test_locked_page_hides_the_writes_and_views_refuse(client, president) -> None:
    meeting, _members = board_meeting(size=6, present=5)
    resolution = resolution_of(meeting)
    lock(meeting, "approved")
    client.force_login(president)
    page = client.get(reverse("meeting_resolutions", args=[meeting.pk])).content.decode()
    assert APPROVED in page
    for hidden in [
        reverse("resolution_create", args=[meeting.pk]),
        reverse("resolution_vote", args=[resolution.pk]),
        reverse("resolution_edit", args=[resolution.pk]),
        reverse("resolution_delete", args=[resolution.pk]),
        reverse("election_create", args=[meeting.pk]),
    ]:
        assert hidden not in page
    for url in [
        reverse("resolution_create", args=[meeting.pk]),
        reverse("resolution_edit", args=[resolution.pk]),
    ]:
        response = client.get(url, follow=True)
        assert response.redirect_chain[-1][0] == reverse("meeting_resolutions", args=[meeting.pk])
        assert APPROVED in response.content.decode()
    response = client.post(reverse("resolution_delete", args=[resolution.pk]), follow=True)
    assert APPROVED in response.content.decode()
    response = client.post(
        reverse("resolution_move", args=[resolution.pk]), {"direction": "down"}, follow=True
    )
    assert APPROVED in response.content.decode()
    prefix = f"r{resolution.pk}"
    votes = {f"{prefix}-votes_for": "5", f"{prefix}-votes_against": "0"}
    votes[f"{prefix}-abstentions"] = "0"
    response = client.post(reverse("resolution_vote", args=[resolution.pk]), votes, follow=True)
    assert APPROVED in response.content.decode()
    response = client.post(
        reverse("resolution_vote", args=[resolution.pk]), votes, headers={"HX-Request": "true"}
    )
    assert APPROVED in response.content.decode()
    assert "Enregistrer le vote" not in response.content.decode()
    assert Resolution.objects.get(pk=resolution.pk).voted_at is None


# --- Ordering buttons and the vote form's errors ---


def test_no_up_on_the_first_nor_down_on_the_last(client, president) -> None:
    meeting, _members = board_meeting(size=6, present=5)
    first, middle, last = (resolution_of(meeting, title=f"R{i}") for i in range(3))
    client.force_login(president)
    page = client.get(reverse("meeting_resolutions", args=[meeting.pk])).content.decode()

    def card(html: str, resolution: Resolution) -> str:
        start = html.index(f'id="resolution-{resolution.pk}"')
        return html[start : html.index("</article>", start)]

    assert "Monter" not in card(page, first) and "Descendre" in card(page, first)
    assert "Monter" in card(page, middle) and "Descendre" in card(page, middle)
    assert "Monter" in card(page, last) and "Descendre" not in card(page, last)
    prefix = f"r{last.pk}"
    response = client.post(
        reverse("resolution_vote", args=[last.pk]),
        {f"{prefix}-votes_for": "4", f"{prefix}-votes_against": "1", f"{prefix}-abstentions": "0"},
        headers={"HX-Request": "true"},
    )
    answered = response.content.decode()
    assert "Monter" in answered and "Descendre" not in answered


@pytest.mark.parametrize(
    ("posted", "expected"),
    [
        (("abc", "1", "0"), ["Pour : saisissez un nombre entier positif."]),
        (("4", "-1", "0"), ["Contre : saisissez un nombre entier positif."]),
        (("4", "1", "1000001"), ["Abstentions : saisissez au plus 1 000 000 voix."]),
        (("9" * 40, "1", "0"), ["Pour : saisissez au plus 1 000 000 voix."]),
        (("9" * 5000, "1.5", ""), ["Pour : ", "Contre : saisissez un nombre entier positif."]),
        (("4", "1", ""), ["Abstentions : saisissez un nombre de voix (0 s'il n'y en a aucune)."]),
    ],
)
def test_vote_form_names_the_bad_field(
    client, president, posted: tuple[str, str, str], expected: list[str]
) -> None:
    meeting, _members = board_meeting(size=6, present=5)
    resolution = resolution_of(meeting)
    client.force_login(president)
    prefix = f"r{resolution.pk}"
    data = dict(
        zip(
            [f"{prefix}-votes_for", f"{prefix}-votes_against", f"{prefix}-abstentions"],
            posted,
            strict=True,
        )
    )
    url = reverse("resolution_vote", args=[resolution.pk])
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    shown = [str(message) for message in response.context["messages"]]
    for text in expected:
        assert any(text in message for message in shown), shown
    assert "Les nombres de voix sont invalides." not in response.content.decode()
    answered = client.post(url, data, headers={"HX-Request": "true"})
    assert answered.status_code == 200
    assert "invalid-feedback" in answered.content.decode()
    assert Resolution.objects.get(pk=resolution.pk).voted_at is None
