"""The adherents' gouvernance page and the one-click join / leave of working groups."""

from __future__ import annotations

from datetime import date
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from cpts.models import User
from governance.models import Body, BodyKind, Mandate, MandateRole
from governance.services.bodies import ensure_core_bodies
from governance.services.mandates import create_mandate
from members.models import Member
from tests.factories import CollegeFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_member(adherent: User) -> Member:
    return MemberFactory.create(user=adherent, email=adherent.email)


@pytest.fixture
def open_group(association) -> Body:
    return Body.objects.create(
        kind=BodyKind.GROUP,
        name="Prévention",
        theme="Dépistage des cancers",
        description="Actions de prévention.",
        open_to_join=True,
    )


def _populate(groups: int, members_per_group: int) -> None:
    bodies = ensure_core_bodies()
    college = CollegeFactory.create(name="Libéraux", code="liberaux", ca_seats=50)
    for index in range(groups):
        group = Body.objects.create(kind=BodyKind.GROUP, name=f"Groupe {index}", open_to_join=True)
        for _ in range(members_per_group):
            create_mandate(
                member=MemberFactory.create(),
                body=group,
                role=MandateRole.MEMBRE,
                start_date=date(2025, 1, 1),
            )
        create_mandate(
            member=MemberFactory.create(),
            body=bodies[BodyKind.CA],
            role=MandateRole.ADMINISTRATEUR,
            college=college,
            start_date=date(2025, 1, 1),
        )
        create_mandate(
            member=MemberFactory.create(),
            body=bodies[BodyKind.CA],
            role=MandateRole.ADMINISTRATEUR,
            college=college,
            start_date=date(2020, 1, 1),
            end_date=date(2024, 12, 31),
        )


def test_the_page_shows_bureau_ca_groups_and_past_mandates(
    client, adherent, own_member, open_group
):
    bodies = ensure_core_bodies()
    college = CollegeFactory.create(name="Libéraux de santé", code="liberaux", ca_seats=4)
    president = MemberFactory.create(first_name="Jeanne", last_name="Roux")
    create_mandate(
        member=president,
        body=bodies[BodyKind.BUREAU],
        role=MandateRole.PRESIDENT,
        start_date=date(2025, 1, 1),
    )
    create_mandate(
        member=president,
        body=bodies[BodyKind.CA],
        role=MandateRole.PRESIDENT,
        college=college,
        start_date=date(2025, 1, 1),
    )
    lead = MemberFactory.create(first_name="Marc", last_name="Lebon")
    create_mandate(
        member=lead, body=open_group, role=MandateRole.REFERENT, start_date=date(2025, 1, 1)
    )
    former = MemberFactory.create(first_name="Ancien", last_name="Tresorier")
    create_mandate(
        member=former,
        body=bodies[BodyKind.BUREAU],
        role=MandateRole.TRESORIER,
        start_date=date(2020, 1, 1),
        end_date=date(2024, 12, 31),
    )
    client.force_login(adherent)
    response = client.get(reverse("governance_page"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Jeanne ROUX" in content and "Médecin généraliste" in content
    assert "Libéraux de santé" in content and "1 / 4 sièges" in content
    assert "Marc LEBON" in content and "Dépistage des cancers" in content
    assert "Ancien TRESORIER" in content and "31/12/2024" in content
    assert reverse("group_join", args=[open_group.pk]) in content
    overview = response.context["overview"]
    assert [m.member for m in overview.bureau_mandates] == [president]


def test_join_and_leave_in_one_click(client, adherent, own_member, open_group):
    client.force_login(adherent)
    response = client.post(reverse("group_join", args=[open_group.pk]), follow=True)
    assert "Vous avez rejoint le groupe « Prévention »" in response.content.decode()
    assert Mandate.objects.filter(member=own_member, body=open_group).exists()
    assert reverse("group_leave", args=[open_group.pk]) in response.content.decode()
    response = client.post(reverse("group_leave", args=[open_group.pk]), follow=True)
    assert "Vous avez quitté le groupe « Prévention »" in response.content.decode()
    assert not Mandate.objects.filter(member=own_member, body=open_group).exists()


def test_join_with_htmx_returns_the_group_card(client, adherent, own_member, open_group):
    client.force_login(adherent)
    response = client.post(
        reverse("group_join", args=[open_group.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert f'id="groupe-{open_group.pk}"' in content and "Vous avez rejoint" in content
    assert "<html" not in content and own_member.display_name in content


def test_a_closed_group_refuses_with_a_message(client, adherent, own_member):
    closed = Body.objects.create(kind=BodyKind.GROUP, name="Commission finances")
    client.force_login(adherent)
    response = client.post(reverse("group_join", args=[closed.pk]), follow=True)
    assert "pas ouvert à l'inscription libre" in unescape(response.content.decode())
    assert not Mandate.objects.filter(body=closed).exists()


def test_an_account_without_member_record_gets_a_clear_message(client, coordinator, open_group):
    client.force_login(coordinator)
    page = client.get(reverse("governance_page"))
    assert page.status_code == 200 and "pas relié à une fiche d'adhérent" in page.content.decode()
    response = client.post(reverse("group_join", args=[open_group.pk]), follow=True)
    assert "coordination pour rejoindre un groupe" in unescape(response.content.decode())


def test_join_of_an_unknown_or_non_group_body_is_404(client, adherent, own_member):
    client.force_login(adherent)
    ca = ensure_core_bodies()[BodyKind.CA]
    assert client.post(reverse("group_join", args=[ca.pk])).status_code == 404
    assert client.post(reverse("group_join", args=[999_999])).status_code == 404
    assert client.get(reverse("group_join", args=[ca.pk])).status_code == 405


def test_redirects_only_to_local_pages(client, adherent, own_member, open_group):
    client.force_login(adherent)
    response = client.post(
        reverse("group_join", args=[open_group.pk]), {"next": "https://ailleurs.example/"}
    )
    assert response["Location"].startswith(reverse("governance_page"))


def test_anonymous_goes_to_login(client: Client):
    response = client.get(reverse("governance_page"))
    assert response.status_code == 302 and "login" in response["Location"]


def _count(client: Client, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(100) as captured:
        assert client.get(reverse("governance_page")).status_code == 200
    return len(captured.captured_queries)


def test_the_page_query_count_does_not_grow(
    client, adherent, own_member, django_assert_max_num_queries
):
    client.force_login(adherent)
    _populate(groups=2, members_per_group=2)
    _count(client, django_assert_max_num_queries)  # warms the per-process caches
    few = _count(client, django_assert_max_num_queries)
    _populate_more = 8
    for index in range(_populate_more):
        group = Body.objects.create(kind=BodyKind.GROUP, name=f"Autre groupe {index}")
        for _ in range(5):
            create_mandate(
                member=MemberFactory.create(),
                body=group,
                role=MandateRole.MEMBRE,
                start_date=date(2025, 1, 1),
                end_date=date(2025, 6, 30) if index % 2 else None,
            )
    many = _count(client, django_assert_max_num_queries)
    assert many == few
