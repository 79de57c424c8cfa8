"""Bodies: the core bodies, working groups, joining and leaving, and the back-office pages of
bodies and mandates."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from governance.models import Body, BodyKind, Mandate, MandateRole, Meeting
from governance.services.bodies import (
    archive_group,
    ensure_core_bodies,
    join_group,
    leave_group,
    save_body,
)
from governance.services.mandates import create_mandate, update_mandate
from members.models.members import MemberStatus
from tests.factories import CollegeFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bodies(association):
    return ensure_core_bodies()


@pytest.fixture
def open_group(association):
    return Body.objects.create(
        kind=BodyKind.GROUP, name="Parcours diabète", theme="Parcours", open_to_join=True
    )


# --- Services ------------------------------------------------------------------------------


def test_core_bodies_are_unique(bodies):
    assert {b.kind for b in bodies.values()} == {BodyKind.AG, BodyKind.CA, BodyKind.BUREAU}
    assert ensure_core_bodies()[BodyKind.CA].pk == bodies[BodyKind.CA].pk
    with pytest.raises(ValidationError) as error:
        save_body(Body(kind=BodyKind.CA, name="Second conseil"))
    assert "il n'en existe qu'une" in " ".join(error.value.message_dict["kind"])


def test_only_groups_open_to_joining_and_names_unique(bodies, open_group):
    with pytest.raises(ValidationError) as error:
        save_body(Body(kind=BodyKind.GROUP, name="parcours DIABÈTE"))
    assert "déjà ce nom" in " ".join(error.value.message_dict["name"])
    bureau = bodies[BodyKind.BUREAU]
    bureau.open_to_join = True
    with pytest.raises(ValidationError) as error:
        save_body(bureau)
    assert "open_to_join" in error.value.message_dict


def test_join_then_leave_a_later_day_ends_the_mandate_today(open_group):
    member = MemberFactory.create()
    mandate = join_group(member, open_group)
    assert mandate.role == MandateRole.MEMBRE and mandate.start_date == timezone.localdate()
    Mandate.objects.filter(pk=mandate.pk).update(start_date=date(2025, 1, 1))
    leave_group(member, open_group)
    mandate.refresh_from_db()
    assert mandate.end_date == timezone.localdate()
    with pytest.raises(ValidationError, match="ne faites pas partie"):
        leave_group(member, open_group)
    # Changing one's mind the same day resumes the membership.
    again = join_group(member, open_group)
    assert again.pk == mandate.pk and again.end_date is None


def test_leaving_the_day_one_joined_removes_the_mandate(open_group):
    member = MemberFactory.create()
    join_group(member, open_group)
    leave_group(member, open_group)
    assert not Mandate.objects.filter(body=open_group).exists()
    with pytest.raises(ValidationError, match="ne faites pas partie"):
        leave_group(member, open_group)


def test_joining_twice_is_refused(open_group):
    member = MemberFactory.create()
    join_group(member, open_group)
    with pytest.raises(ValidationError, match="déjà partie"):
        join_group(member, open_group)


def test_closed_archived_or_inactive_are_refused(association, open_group, bodies):
    closed = Body.objects.create(kind=BodyKind.GROUP, name="Groupe fermé")
    member = MemberFactory.create()
    with pytest.raises(ValidationError, match="pas ouvert à l'inscription libre"):
        join_group(member, closed)
    with pytest.raises(ValidationError, match="pas un groupe de travail ouvert"):
        join_group(member, bodies[BodyKind.CA])
    with pytest.raises(ValidationError, match="Seul un membre actif"):
        join_group(MemberFactory.create(status=MemberStatus.CANDIDATE), open_group)
    with pytest.raises(ValidationError, match="n'est pas relié"):
        join_group(None, open_group)
    archive_group(open_group)
    with pytest.raises(ValidationError, match="pas un groupe de travail ouvert"):
        join_group(member, open_group)


def test_a_referent_cannot_leave_in_one_click(open_group):
    member = MemberFactory.create()
    create_mandate(
        member=member, body=open_group, role=MandateRole.REFERENT, start_date=date(2025, 1, 1)
    )
    with pytest.raises(ValidationError, match="référent·e de ce groupe"):
        leave_group(member, open_group)


def test_archiving_a_group_ends_its_mandates(open_group, bodies):
    member = MemberFactory.create()
    mandate = create_mandate(
        member=member, body=open_group, role=MandateRole.MEMBRE, start_date=date(2025, 1, 1)
    )
    archive_group(open_group, on=date(2026, 3, 31))
    mandate.refresh_from_db()
    open_group.refresh_from_db()
    assert mandate.end_date == date(2026, 3, 31)
    assert open_group.archived_on == date(2026, 3, 31) and not open_group.open_to_join
    with pytest.raises(ValidationError):
        archive_group(bodies[BodyKind.CA])


# --- Back-office pages ---------------------------------------------------------------------


def test_body_list_shows_counts_and_next_meeting(client, coordinator, bodies, open_group):
    for _ in range(3):
        join_group(MemberFactory.create(), open_group)
    Meeting.objects.create(
        body=open_group, title="Réunion", starts_at=timezone.now() + timedelta(days=3)
    )
    client.force_login(coordinator)
    response = client.get(reverse("body_list"))
    assert response.status_code == 200
    row = next(b for b in response.context["bodies"] if b.pk == open_group.pk)
    assert row.current_members == 3 and row.next_meeting_at is not None
    assert "Parcours diabète" in response.content.decode()


def _queries(client, url: str, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(100) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_body_list_queries_do_not_grow_with_bodies(
    client, coordinator, bodies, django_assert_max_num_queries
):
    client.force_login(coordinator)
    url = reverse("body_list")
    for index in range(2):
        Body.objects.create(kind=BodyKind.GROUP, name=f"Groupe {index}")
    _queries(client, url, django_assert_max_num_queries)  # warms the per-process caches
    few = _queries(client, url, django_assert_max_num_queries)
    for index in range(2, 20):
        group = Body.objects.create(kind=BodyKind.GROUP, name=f"Groupe {index}")
        create_mandate(
            member=MemberFactory.create(),
            body=group,
            role=MandateRole.MEMBRE,
            start_date=date(2025, 1, 1),
        )
        Meeting.objects.create(
            body=group, title="Réunion", starts_at=timezone.now() + timedelta(days=index)
        )
    assert _queries(client, url, django_assert_max_num_queries) == few


def test_body_detail_queries_do_not_grow_with_mandates(
    client, coordinator, bodies, django_assert_max_num_queries
):
    college = CollegeFactory.create(name="Libéraux", code="lib", ca_seats=40)
    ca = bodies[BodyKind.CA]
    url = reverse("body_detail", args=[ca.pk])

    def add(count: int) -> None:
        for _ in range(count):
            mandate = create_mandate(
                member=MemberFactory.create(),
                body=ca,
                role=MandateRole.ADMINISTRATEUR,
                college=college,
                start_date=date(2024, 1, 1),
            )
            update_mandate(mandate, notes="Réélu·e", by=coordinator)

    add(2)
    client.force_login(coordinator)
    _queries(client, url, django_assert_max_num_queries)
    few = _queries(client, url, django_assert_max_num_queries)
    add(18)
    assert _queries(client, url, django_assert_max_num_queries) == few


def test_body_detail_groups_the_ca_by_college(client, president, bodies):
    college = CollegeFactory.create(name="Libéraux", code="lib", ca_seats=3)
    member = MemberFactory.create(last_name="Durand", first_name="Léa")
    create_mandate(
        member=member,
        body=bodies[BodyKind.CA],
        role=MandateRole.ADMINISTRATEUR,
        college=college,
        start_date=date(2025, 1, 1),
    )
    past = MemberFactory.create(last_name="Ancien")
    create_mandate(
        member=past,
        body=bodies[BodyKind.CA],
        role=MandateRole.ADMINISTRATEUR,
        college=college,
        start_date=date(2020, 1, 1),
        end_date=date(2023, 12, 31),
    )
    client.force_login(president)
    response = client.get(reverse("body_detail", args=[bodies[BodyKind.CA].pk]))
    assert response.status_code == 200
    seats = response.context["mandates"].by_college[0]
    assert seats.college == college and [m.member for m in seats.mandates] == [member]
    assert [m.member for m in response.context["mandates"].past] == [past]
    content = response.content.decode()
    assert "1 / 3 sièges" in content and "ANCIEN" in content


def test_a_referent_sees_their_group_only(client, referent, open_group):
    own = Mandate.objects.get(member__user=referent, role=MandateRole.REFERENT).body
    client.force_login(referent)
    assert client.get(reverse("body_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("body_detail", args=[open_group.pk])).status_code == 404
    assert client.get(reverse("body_list")).status_code == 403


def test_mandate_create_form_errors_are_shown_not_raised(client, coordinator, bodies):
    member = MemberFactory.create(status=MemberStatus.CANDIDATE)
    holder = MemberFactory.create(first_name="Paul", last_name="Sage")
    bureau = bodies[BodyKind.BUREAU]
    create_mandate(
        member=holder, body=bureau, role=MandateRole.TRESORIER, start_date=date(2025, 1, 1)
    )
    client.force_login(coordinator)
    url = reverse("mandate_create", args=[bureau.pk])
    response = client.post(url, {"member": member.pk, "role": "tresorier", "start_date": "x"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "member" in errors and "start_date" in errors
    other = MemberFactory.create()
    response = client.post(
        url, {"member": other.pk, "role": "tresorier", "start_date": "01/02/2026"}
    )
    assert response.status_code == 200
    assert "Paul SAGE" in " ".join(response.context["form"].errors["role"])
    response = client.post(
        url,
        {"member": other.pk, "role": "secretaire", "start_date": "2026-02-01", "notes": "Élue"},
    )
    assert response.status_code == 302
    created = Mandate.objects.get(member=other)
    assert created.role == MandateRole.SECRETAIRE and created.notes == "Élue"


def test_mandate_edit_and_end(client, coordinator, bodies):
    mandate = create_mandate(
        member=MemberFactory.create(),
        body=bodies[BodyKind.BUREAU],
        role=MandateRole.MEMBRE,
        start_date=date(2025, 1, 1),
    )
    client.force_login(coordinator)
    edit = reverse("mandate_edit", args=[mandate.pk])
    page = client.get(edit)
    assert page.status_code == 200 and page.context["history"]
    response = client.post(
        edit,
        {"member": mandate.member_id, "role": "vice_president", "start_date": "2025-01-01"},
    )
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.role == MandateRole.VICE_PRESIDENT
    end = reverse("mandate_end", args=[mandate.pk])
    # A confirmation page first, showing the last day (today by default), nothing changed yet.
    page = client.get(end)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in html
    assert "Confirmer la fin du mandat" in html and "Dernier jour du mandat" in html
    mandate.refresh_from_db()
    assert mandate.end_date is None
    # No date given: the form says so and nothing is written.
    response = client.post(end, {})
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"] == ["Indiquez une date."]
    mandate.refresh_from_db()
    assert mandate.end_date is None
    response = client.post(end, {"end_date": f"{timezone.localdate():%d/%m/%Y}"})
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.end_date == timezone.localdate()
    response = client.post(end, {"end_date": "2020-01-01"})
    assert response.status_code == 200
    assert "ne peut pas précéder son début" in " ".join(response.context["form"].errors["end_date"])
    mandate.refresh_from_db()
    assert mandate.end_date == timezone.localdate()


def test_body_create_and_edit_pages(client, president, bodies):
    client.force_login(president)
    response = client.post(
        reverse("body_create"),
        {
            "name": "Santé mentale",
            "kind": "group",
            "theme": "Parcours",
            "position": "5",
            "open_to_join": "on",
        },
    )
    assert response.status_code == 302
    group = Body.objects.get(name="Santé mentale")
    assert group.open_to_join
    response = client.post(reverse("body_create"), {"name": "Santé mentale", "kind": "ca"})
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    ca = bodies[BodyKind.CA]
    response = client.post(
        reverse("body_edit", args=[ca.pk]),
        {"name": "Conseil", "kind": "group", "position": "1", "description": "Le CA"},
    )
    assert response.status_code == 302
    ca.refresh_from_db()
    assert ca.kind == BodyKind.CA and ca.name == "Conseil"


def test_body_order_is_capped_with_a_french_message(client, coordinator, bodies):
    client.force_login(coordinator)
    for value in ("9223372036854775807", "1000", "-1"):
        response = client.post(
            reverse("body_create"), {"name": "Gros ordre", "kind": "group", "position": value}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["position"] == [
            "L'ordre d'affichage est un nombre de 0 à 999."
        ]
        assert "9223372036854775807" not in response.content.decode().replace(
            f'value="{value}"', ""
        )
    assert not Body.objects.filter(name="Gros ordre").exists()
    response = client.post(
        reverse("body_create"), {"name": "Gros ordre", "kind": "group", "position": "999"}
    )
    assert response.status_code == 302
    assert Body.objects.get(name="Gros ordre").position == 999


def test_mandate_form_preselects_the_usual_function(client, coordinator, bodies, open_group):
    client.force_login(coordinator)
    expected = {
        bodies[BodyKind.CA]: MandateRole.ADMINISTRATEUR,
        bodies[BodyKind.BUREAU]: MandateRole.MEMBRE,
        open_group: MandateRole.MEMBRE,
    }
    for body, role in expected.items():
        page = client.get(reverse("mandate_create", args=[body.pk]))
        assert page.context["form"]["role"].value() == role, body


def test_body_page_shows_each_fact_once(client, president, bodies):
    college = CollegeFactory.create(name="Libéraux", code="lib", ca_seats=3)
    ca = bodies[BodyKind.CA]
    dated = Meeting.objects.create(
        body=bodies[BodyKind.AG],
        title="Assemblée générale ordinaire du 12/06/2025",
        starts_at=timezone.make_aware(datetime(2025, 6, 12, 19, 0)),
    )
    undated = Meeting.objects.create(
        body=ca,
        title="Séance constitutive",
        starts_at=timezone.make_aware(datetime(2025, 6, 12, 21, 45)),
    )
    for name, meeting in (("Durand", dated), ("Martin", undated)):
        create_mandate(
            member=MemberFactory.create(last_name=name),
            body=ca,
            role=MandateRole.ADMINISTRATEUR,
            college=college,
            start_date=date(2025, 6, 12),
            elected_at=meeting,
        )
    upcoming = Meeting.objects.create(
        body=ca, title="Conseil de rentrée", starts_at=timezone.now() + timedelta(days=9)
    )
    client.force_login(president)
    html = client.get(reverse("body_detail", args=[ca.pk])).content.decode()
    assert "Assemblée générale ordinaire du 12/06/2025</td>" in html
    assert "12/06/2025 (12/06/2025)" not in html
    assert "Séance constitutive (12/06/2025)" in html
    # The per-collège table does not repeat the collège in a column.
    assert '<th scope="col">Collège</th>' not in html
    assert f'href="{reverse("meeting_detail", args=[upcoming.pk])}">Conseil de rentrée</a>' in html
    ag_html = client.get(reverse("body_detail", args=[bodies[BodyKind.AG].pk])).content.decode()
    assert ag_html.count("Assemblée générale</") == 2  # the breadcrumb and the heading
    assert 'text-body-secondary mb-0">Assemblée générale' not in ag_html


# --- A référent·e runs the membership of the group they lead -------------------------------


@pytest.fixture
def led_group(referent):
    return Mandate.objects.get(member__user=referent, role=MandateRole.REFERENT).body


def test_a_referent_adds_a_member_to_a_group_on_designation(client, referent, led_group):
    assert not led_group.open_to_join
    newcomer = MemberFactory.create(last_name="Nouvel")
    client.force_login(referent)
    page = client.get(reverse("body_detail", args=[led_group.pk]))
    add_url = reverse("group_member_add", args=[led_group.pk])
    assert page.context["can_lead"] and add_url in page.content.decode()
    form = client.get(add_url)
    assert form.status_code == 200
    choices = {
        int(str(value)) for value, _label in form.context["form"].fields["member"].choices if value
    }
    assert newcomer.pk in choices and referent.member.pk not in choices
    response = client.post(
        add_url, {"member": newcomer.pk, "start_date": f"{timezone.localdate():%d/%m/%Y}"}
    )
    assert response.status_code == 302
    mandate = Mandate.objects.get(body=led_group, member=newcomer)
    assert mandate.role == MandateRole.MEMBRE and mandate.start_date == timezone.localdate()
    assert LogEntry.objects.get_for_object(mandate).filter(actor=referent).exists()
    # Already in the group: refused with a French message naming the field.
    response = client.post(add_url, {"member": newcomer.pk, "start_date": "2026-01-01"})
    assert response.status_code == 200
    assert "déjà partie du groupe" in " ".join(response.context["form"].errors["member"])
    response = client.post(add_url, {"member": "", "start_date": "x"})
    assert set(response.context["form"].errors) == {"member", "start_date"}


def test_a_referent_ends_a_member_mandate_after_confirming(client, referent, led_group):
    member = MemberFactory.create(last_name="Sortant")
    mandate = create_mandate(
        member=member, body=led_group, role=MandateRole.MEMBRE, start_date=date(2025, 1, 1)
    )
    own = Mandate.objects.get(member__user=referent, role=MandateRole.REFERENT)
    client.force_login(referent)
    html = client.get(reverse("body_detail", args=[led_group.pk])).content.decode()
    end_url = reverse("group_member_end", args=[led_group.pk, mandate.pk])
    assert end_url in html
    assert reverse("group_member_end", args=[led_group.pk, own.pk]) not in html
    assert reverse("mandate_edit", args=[mandate.pk]) not in html
    page = client.get(end_url)
    assert page.status_code == 200 and "Confirmer la fin du mandat" in page.content.decode()
    mandate.refresh_from_db()
    assert mandate.end_date is None
    response = client.post(end_url, {"end_date": "31/12/2024"})
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"]
    response = client.post(end_url, {"end_date": f"{timezone.localdate():%Y-%m-%d}"})
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.end_date == timezone.localdate()
    # Not the référent mandate.
    own_end = reverse("group_member_end", args=[led_group.pk, own.pk])
    assert client.post(own_end, {"end_date": "2026-01-01"}).status_code == 404
    own.refresh_from_db()
    assert own.end_date is None


def test_a_referent_cannot_touch_another_group(client, referent, led_group, open_group):
    stranger = create_mandate(
        member=MemberFactory.create(),
        body=open_group,
        role=MandateRole.MEMBRE,
        start_date=date(2025, 1, 1),
    )
    newcomer = MemberFactory.create()
    client.force_login(referent)
    add_other = reverse("group_member_add", args=[open_group.pk])
    assert client.get(add_other).status_code == 404
    assert (
        client.post(add_other, {"member": newcomer.pk, "start_date": "2026-01-01"}).status_code
        == 404
    )
    end_other = reverse("group_member_end", args=[open_group.pk, stranger.pk])
    assert client.post(end_other, {"end_date": "2026-01-01"}).status_code == 404
    # Nor another group's mandate through the URL of their own group.
    through_own = reverse("group_member_end", args=[led_group.pk, stranger.pk])
    assert client.post(through_own, {"end_date": "2026-01-01"}).status_code == 404
    stranger.refresh_from_db()
    assert stranger.end_date is None
    assert not Mandate.objects.filter(member=newcomer).exists()


def test_group_membership_pages_refuse_other_personas(
    client, adherent, tresorier, coordinator, led_group, bodies
):
    add_url = reverse("group_member_add", args=[led_group.pk])
    assert client.get(add_url).status_code == 302  # to the login page
    for user in (adherent, tresorier):
        client.force_login(user)
        assert client.get(add_url).status_code == 403
    client.force_login(coordinator)
    assert client.get(add_url).status_code == 200
    # Only working groups, and not archived ones.
    assert client.get(reverse("group_member_add", args=[bodies[BodyKind.CA].pk])).status_code == 404
    archive_group(led_group)
    assert client.get(add_url).status_code == 404
