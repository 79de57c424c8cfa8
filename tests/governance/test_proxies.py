"""Proxies: the statutory rules applied by the service, the coordination recording a paper
proxy, and the adherent giving and withdrawing theirs from the portal."""

from __future__ import annotations

import datetime
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from governance.models import (
    Attendance,
    AttendanceStatus,
    Body,
    BodyKind,
    Convocation,
    ConvocationAnswer,
    Meeting,
    MeetingStatus,
    Proxy,
    Statutes,
)
from governance.selectors.voting import meeting_date
from governance.services.proxies import give_proxy, record_paper_proxy, revoke_proxy
from members.models import Adhesion, Member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


# --- Helpers shared by the attendance, quorum and sheet tests ---------------------------------


def settle(member: Member, year: int) -> Member:
    """Give ``member`` a settled adhesion for ``year`` (a zero fee is settled)."""
    Adhesion.objects.get_or_create(
        member=member,
        year=year,
        defaults={"fee_due": Decimal("0.00"), "started_on": datetime.date(year, 1, 1)},
    )
    return member


def voting_member(meeting: Meeting, **fields: Any) -> Member:
    return settle(MemberFactory.create(**fields), meeting_date(meeting).year)


def make_meeting(
    kind: str = BodyKind.AG,
    *,
    starts_in: timedelta = timedelta(days=30),
    status: str = MeetingStatus.CONVENED,
    **fields: Any,
) -> Meeting:
    if kind == BodyKind.GROUP:
        body = Body.objects.create(kind=kind, name=f"Groupe {Body.objects.count() + 1}")
    else:
        body = Body.objects.get_or_create(kind=kind, defaults={"name": BodyKind(kind).label})[0]
    return Meeting.objects.create(
        body=body,
        title=fields.pop("title", "Assemblée générale ordinaire"),
        starts_at=timezone.now() + starts_in,
        status=status,
        **fields,
    )


def convene(meeting: Meeting, *members: Member) -> None:
    for member in members:
        Convocation.objects.get_or_create(meeting=meeting, member=member)


@pytest.fixture
def ag(association) -> Meeting:
    return make_meeting()


@pytest.fixture
def trio(ag) -> tuple[Member, Member, Member]:
    members = (
        voting_member(ag, last_name="Arnaud"),
        voting_member(ag, last_name="Bernard"),
        voting_member(ag, last_name="Chevalier"),
    )
    convene(ag, *members)
    return members


def holder_error(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.message_dict["holder"])


# --- Service rules ----------------------------------------------------------------------------


def test_give_proxy_records_the_proxy_the_answer_and_the_representation(ag, trio, coordinator):
    giver, holder, _other = trio
    proxy = give_proxy(ag, giver, holder, coordinator)
    assert (proxy.giver, proxy.holder, proxy.created_by) == (giver, holder, coordinator)
    convocation = Convocation.objects.get(meeting=ag, member=giver)
    assert convocation.answer == ConvocationAnswer.PROXY
    assert convocation.answered_at is not None
    attendance = Attendance.objects.get(meeting=ag, member=giver)
    assert attendance.status == AttendanceStatus.REPRESENTED
    assert attendance.represented_by == holder


def test_a_non_voting_giver_is_refused(ag, trio, coordinator):
    _giver, holder, _other = trio
    late = MemberFactory.create()  # no adhesion for the AG's year
    with pytest.raises(ValidationError) as exc:
        give_proxy(ag, late, holder, coordinator)
    assert "Seul un membre votant" in holder_error(exc)
    assert not Proxy.objects.exists()


def test_a_non_voting_holder_is_refused(ag, trio, coordinator):
    giver, _holder, _other = trio
    unpaid = MemberFactory.create()
    Adhesion.objects.create(
        member=unpaid,
        year=meeting_date(ag).year,
        fee_due=Decimal("20.00"),
        started_on=datetime.date(meeting_date(ag).year, 1, 1),
    )
    with pytest.raises(ValidationError) as exc:
        give_proxy(ag, giver, unpaid, coordinator)
    assert "membre votant" in holder_error(exc)
    assert not Attendance.objects.exists()


def test_voting_rights_are_read_on_the_meeting_date(association, coordinator):
    meeting = make_meeting(starts_in=timedelta(days=30))
    year = meeting_date(meeting).year
    giver = settle(MemberFactory.create(), year)
    holder = settle(MemberFactory.create(), year - 1)  # only last year's fee
    with pytest.raises(ValidationError):
        give_proxy(meeting, giver, holder, coordinator)
    settle(holder, year)
    assert give_proxy(meeting, giver, holder, coordinator).holder == holder


def test_the_holder_limit_is_enforced_exactly(ag, coordinator):
    statutes = Statutes.objects.get_solo()
    statutes.max_proxies_per_holder = 2
    statutes.save()
    holder = voting_member(ag)
    givers = [voting_member(ag) for _ in range(3)]
    give_proxy(ag, givers[0], holder, coordinator)
    give_proxy(ag, givers[1], holder, coordinator)  # exactly at the limit: allowed
    with pytest.raises(ValidationError) as exc:
        give_proxy(ag, givers[2], holder, coordinator)
    assert "détient déjà 2 procuration(s)" in holder_error(exc)
    assert Proxy.objects.filter(holder=holder).count() == 2
    # A giver already counted may confirm the same holder again.
    give_proxy(ag, givers[1], holder, coordinator)
    assert Proxy.objects.filter(holder=holder).count() == 2


def test_a_chain_of_proxies_is_refused(ag, trio, coordinator):
    a, b, c = trio
    give_proxy(ag, a, b, coordinator)
    with pytest.raises(ValidationError) as exc:
        give_proxy(ag, b, c, coordinator)  # b holds a's proxy
    assert "Vous détenez des procurations" in holder_error(exc)
    with pytest.raises(ValidationError) as exc:
        give_proxy(ag, c, a, coordinator)  # a gave theirs away
    assert "lui-même donné procuration" in holder_error(exc)


def test_a_proxy_to_oneself_is_refused(ag, trio, coordinator):
    a, _b, _c = trio
    with pytest.raises(ValidationError) as exc:
        give_proxy(ag, a, a, coordinator)
    assert "soi-même" in holder_error(exc)


def test_a_new_proxy_replaces_the_earlier_one(ag, trio, coordinator):
    a, b, c = trio
    first = give_proxy(ag, a, b, coordinator)
    second = give_proxy(ag, a, c, coordinator)
    assert second.pk == first.pk
    assert list(Proxy.objects.values_list("giver", "holder")) == [(a.pk, c.pk)]
    assert Attendance.objects.get(meeting=ag, member=a).represented_by == c


@pytest.mark.parametrize(
    ("starts_in", "status"),
    [
        (timedelta(minutes=-5), MeetingStatus.CONVENED),  # started five minutes ago
        (timedelta(days=2), MeetingStatus.HELD),  # declared held
    ],
)
def test_proxies_close_when_the_ag_starts(association, coordinator, starts_in, status):
    meeting = make_meeting(starts_in=starts_in, status=status)
    giver, holder = voting_member(meeting), voting_member(meeting)
    with pytest.raises(ValidationError) as exc:
        give_proxy(meeting, giver, holder, coordinator)
    assert exc.value.messages[0].startswith("Les procurations sont closes : l'AG ")


def test_no_proxy_for_a_cancelled_ag_or_another_body(association, coordinator):
    cancelled = make_meeting(status=MeetingStatus.CANCELLED)
    board = make_meeting(BodyKind.CA, title="Conseil")
    for meeting, message in ((cancelled, "annulée"), (board, "que l'assemblée générale")):
        giver, holder = voting_member(meeting), voting_member(meeting)
        with pytest.raises(ValidationError) as exc:
            give_proxy(meeting, giver, holder, coordinator)
        assert message in exc.value.messages[0]


def test_a_paper_proxy_follows_the_same_rules(ag, trio, coordinator):
    a, b, _c = trio
    assert record_paper_proxy(ag, a, b, coordinator).holder == b
    with pytest.raises(ValidationError):
        record_paper_proxy(ag, b, a, coordinator)


def test_a_paper_proxy_is_accepted_at_the_door_until_the_ag_is_declared_held(
    association, coordinator
):
    meeting = make_meeting(starts_in=timedelta(minutes=-5), status=MeetingStatus.CONVENED)
    giver, holder = voting_member(meeting), voting_member(meeting)
    proxy = record_paper_proxy(meeting, giver, holder, coordinator)
    assert Attendance.objects.get(meeting=meeting, member=giver).represented_by == holder
    with pytest.raises(ValidationError):  # the giver cannot withdraw it online any more
        revoke_proxy(proxy, giver.user)
    revoke_proxy(proxy, coordinator, at_the_door=True)  # the coordination corrects a mistake
    assert not Proxy.objects.filter(meeting=meeting).exists()
    meeting.status = MeetingStatus.HELD
    meeting.save()
    with pytest.raises(ValidationError) as exc:
        record_paper_proxy(meeting, giver, holder, coordinator)
    assert exc.value.messages == ["Les procurations sont closes : l'AG est terminée."]


def test_revoking_before_the_start_clears_the_answer_and_the_representation(ag, trio, coordinator):
    a, b, _c = trio
    proxy = give_proxy(ag, a, b, coordinator)
    revoke_proxy(proxy, coordinator)
    assert not Proxy.objects.exists()
    assert not Attendance.objects.filter(meeting=ag, member=a).exists()
    assert Convocation.objects.get(meeting=ag, member=a).answer == ConvocationAnswer.PENDING


def test_revoking_after_the_start_is_refused(ag, trio, coordinator):
    a, b, _c = trio
    proxy = give_proxy(ag, a, b, coordinator)
    Meeting.objects.filter(pk=ag.pk).update(starts_at=timezone.now() - timedelta(minutes=1))
    proxy.refresh_from_db()
    with pytest.raises(ValidationError):
        revoke_proxy(proxy, coordinator)
    assert Proxy.objects.filter(pk=proxy.pk).exists()


# --- Back-office: proxies recorded by the coordination --------------------------------------


def test_the_coordination_records_and_deletes_a_paper_proxy(client, ag, trio, coordinator):
    a, b, _c = trio
    client.force_login(coordinator)
    url = reverse("meeting_proxy_add", args=[ag.pk])
    response = client.post(url, {"giver": a.pk, "holder": b.pk}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("meeting_attendance", args=[ag.pk])
    assert "Procuration de" in response.content.decode()
    proxy = Proxy.objects.get()
    assert (proxy.giver, proxy.holder) == (a, b)
    response = client.post(reverse("meeting_proxy_delete", args=[proxy.pk]), follow=True)
    assert "est supprimée" in response.content.decode()
    assert not Proxy.objects.exists()


def test_a_refused_paper_proxy_shows_why(client, ag, trio, coordinator):
    a, _b, _c = trio
    outsider = voting_member(ag)  # not convened
    client.force_login(coordinator)
    response = client.post(
        reverse("meeting_proxy_add", args=[ag.pk]),
        {"giver": a.pk, "holder": outsider.pk},
        follow=True,
    )
    assert "n&#x27;est pas convoqué à cette AG" in response.content.decode()
    response = client.post(
        reverse("meeting_proxy_add", args=[ag.pk]), {"giver": a.pk, "holder": a.pk}, follow=True
    )
    assert "soi-même" in response.content.decode()
    assert not Proxy.objects.exists()


def test_a_referent_cannot_record_proxies_for_the_ag(client, ag, trio, referent):
    a, b, _c = trio
    client.force_login(referent)
    response = client.post(
        reverse("meeting_proxy_add", args=[ag.pk]), {"giver": a.pk, "holder": b.pk}
    )
    assert response.status_code == 404
    assert not Proxy.objects.exists()


# --- Portal ---------------------------------------------------------------------------------


@pytest.fixture
def own(ag, adherent) -> Member:
    member = voting_member(ag, user=adherent, email=adherent.email, last_name="Moi")
    convene(ag, member)
    return member


def test_a_voting_member_gives_a_proxy_from_the_portal(client, ag, trio, own, adherent):
    _a, b, _c = trio
    client.force_login(adherent)
    url = reverse("proxy_give", args=[ag.pk])
    page = client.get(url).content.decode()
    assert "Bernard".upper() in page
    assert "porte 0 procuration(s) sur 2 au maximum" in page
    response = client.post(url, {"holder": b.pk}, follow=True)
    assert "Vous avez donné procuration à" in response.content.decode()
    assert Proxy.objects.get(giver=own).holder == b
    assert Convocation.objects.get(meeting=ag, member=own).answer == ConvocationAnswer.PROXY
    # The holder search (htmx) filters by name and shows the count held.
    response = client.get(url, {"q": "cheval"}, headers={"HX-Request": "true"})
    fragment = response.content.decode()
    assert "CHEVALIER" in fragment and "BERNARD" not in fragment
    # Withdraw it.
    response = client.post(reverse("proxy_revoke", args=[ag.pk]), follow=True)
    assert "Votre procuration est annulée." in response.content.decode()
    assert not Proxy.objects.exists()


def test_the_portal_refuses_a_holder_at_the_limit(client, ag, trio, own, adherent):
    a, b, _c = trio
    statutes = Statutes.objects.get_solo()
    statutes.max_proxies_per_holder = 1
    statutes.save()
    give_proxy(ag, a, b, None)
    client.force_login(adherent)
    page = client.get(reverse("proxy_give", args=[ag.pk])).content.decode()
    assert "porte 1 procuration(s) sur 1 au maximum" in page
    response = client.post(reverse("proxy_give", args=[ag.pk]), {"holder": b.pk})
    assert response.status_code == 200
    assert "détient déjà 1 procuration(s)" in response.content.decode()
    assert not Proxy.objects.filter(giver=own).exists()
    response = client.post(reverse("proxy_give", args=[ag.pk]), {"holder": "abc"})
    assert "Ce membre n&#x27;existe pas." in response.content.decode()


def test_a_non_voting_member_is_told_why(client, ag, adherent):
    member = MemberFactory.create(user=adherent, email=adherent.email)
    convene(ag, member)
    client.force_login(adherent)
    response = client.get(reverse("proxy_give", args=[ag.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Vous ne pouvez pas donner procuration pour cette AG." in page
    assert reverse("portal_adhesions") in page


def test_the_portal_page_is_404_without_a_convocation_or_for_another_body(
    client, association, ag, adherent
):
    member = voting_member(ag, user=adherent, email=adherent.email)
    client.force_login(adherent)
    assert client.get(reverse("proxy_give", args=[ag.pk])).status_code == 404
    board = make_meeting(BodyKind.CA, title="Conseil")
    convene(board, member)
    assert client.get(reverse("proxy_give", args=[board.pk])).status_code == 404
    assert client.get(reverse("proxy_give", args=[999_999])).status_code == 404
    assert client.post(reverse("proxy_revoke", args=[board.pk])).status_code == 404


def test_the_portal_page_says_when_proxies_are_closed(client, association, adherent):
    meeting = make_meeting(starts_in=timedelta(hours=-1))
    member = voting_member(meeting, user=adherent, email=adherent.email)
    convene(meeting, member)
    client.force_login(adherent)
    page = client.get(reverse("proxy_give", args=[meeting.pk])).content.decode()
    assert "Les procurations sont closes" in page
    assert 'name="holder"' not in page
