"""The coordination's tools on a roster: putting a member on a need (the sign-up rules hold
except the deadline), deleting an empty shift or site (refused otherwise, saying what to do),
moving a shift to another site, the pages with their refusals, audit and query counts."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crisis.models import Shift, ShiftNeed, SignUp, Site
from crisis.services.rosters import delete_shift, delete_site, save_shift, sign_up
from tests.crisis.helpers import activation, member, need_of, paris, profession, shift, site
from tests.factories import MemberFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
NOW = paris(2026, 3, 1, 9)
START = paris(2026, 3, 10, 8)
LATE = paris(2026, 3, 10, 7)  # after the deadline (the evening before), before the start


@pytest.fixture
def where(association):
    return site(activation(started_on=datetime.date(2026, 2, 20)))


# --- Services ---------------------------------------------------------------------------


def test_the_coordination_signs_up_past_the_deadline_an_adherent_cannot(where):
    created = shift(where, START)
    nurse = member(first_name="Léa", last_name="Roux")
    with pytest.raises(ValidationError, match="clos depuis le 09/03/2026 20:00"):
        sign_up(nurse, need_of(created, "infirmier"), now=LATE)
    signup = sign_up(nurse, need_of(created, "infirmier"), now=LATE, force=True)
    assert signup.shift == created and signup.need.profession == profession("infirmier")


def test_the_coordination_keeps_every_other_rule_and_names_the_member(where):
    created = shift(where, START, needs=[("infirmier", 1), (None, 1)])
    kine = member("masseur_kinesitherapeute", first_name="Marc", last_name="Blanc")
    with pytest.raises(ValidationError) as error:
        sign_up(kine, need_of(created, "infirmier"), now=LATE, force=True)
    assert error.value.messages == [
        "Cette place est réservée à la profession « Infirmier(ère) » ; la profession de "
        "Marc BLANC (Masseur-kinésithérapeute) n'y correspond pas. Le créneau demande : "
        "1 Accueil, 1 Infirmier(ère)."
    ]
    sign_up(member(), need_of(created, "infirmier"), now=LATE, force=True)
    with pytest.raises(ValidationError, match="complet \\(1 sur 1\\)"):
        sign_up(member(), need_of(created, "infirmier"), now=LATE, force=True)
    other = shift(
        site(where.activation, "Dépistage de Gignac"), START + datetime.timedelta(hours=2)
    )
    sign_up(kine, need_of(other, None), now=LATE, force=True)
    with pytest.raises(ValidationError) as error:
        sign_up(kine, need_of(created, None), now=LATE, force=True)
    assert error.value.messages[0].startswith(
        "Marc BLANC est déjà inscrit(e) sur un créneau qui chevauche celui-ci : Dépistage de "
        "Gignac, 10/03/2026 10:00"
    )
    anne = member(first_name="Anne", last_name="Martin")
    sign_up(anne, need_of(other, "infirmier"), now=LATE, force=True)
    with pytest.raises(ValidationError) as error:
        sign_up(anne, need_of(other, "infirmier"), now=LATE, force=True)
    assert error.value.messages == ["Anne MARTIN est déjà inscrit(e) sur ce créneau."]
    with pytest.raises(ValidationError, match="est une structure"):
        sign_up(OrganisationFactory.create(), need_of(created, None), now=LATE, force=True)
    assert SignUp.objects.count() == 3


def test_nobody_signs_up_in_a_crisis_declared_over(association):
    crisis = activation(started_on=datetime.date(2026, 2, 20))
    created = shift(site(crisis), START)
    crisis.ended_on = datetime.date(2026, 3, 12)
    crisis.save()
    after = paris(2026, 3, 13, 9)
    with pytest.raises(ValidationError) as error:
        sign_up(member(), need_of(created, "infirmier"), now=after, force=True)
    assert error.value.messages == [
        "La crise « Épidémie de grippe » est close depuis le 12/03/2026 : on ne s'inscrit plus "
        "sur ses créneaux (rouvrez-la en effaçant sa date de fin si besoin)."
    ]
    with pytest.raises(ValidationError, match="clos"):
        sign_up(member(), need_of(created, "infirmier"), now=after)
    # Its last day is still open to the coordination (the deadline aside).
    sign_up(member(), need_of(created, "infirmier"), now=paris(2026, 3, 12, 18), force=True)
    assert SignUp.objects.count() == 1


def test_a_shift_with_volunteers_is_not_deleted_an_empty_one_is(where):
    full = shift(where, START)
    sign_up(member(), need_of(full, "infirmier"), now=NOW)
    with pytest.raises(ValidationError) as error:
        delete_shift(full)
    assert error.value.messages == [
        "Ce créneau a 1 inscrit(s) : il ne peut être supprimé. Retirez d'abord les bénévoles "
        "inscrits depuis le planning (ou modifiez le créneau plutôt que de le supprimer)."
    ]
    assert Shift.objects.filter(pk=full.pk).exists()
    empty = shift(where, START + datetime.timedelta(days=1))
    need_pks = list(empty.needs.values_list("pk", flat=True))
    delete_shift(empty)
    assert not Shift.objects.filter(pk=empty.pk).exists()
    assert not ShiftNeed.objects.filter(pk__in=need_pks).exists()
    deleted = LogEntry.objects.filter(action=LogEntry.Action.DELETE)
    assert set(deleted.values_list("content_type__model", flat=True)) == {"shift", "shiftneed"}


def test_a_site_with_shifts_is_not_deleted_an_empty_one_is(where):
    shift(where, START)
    shift(where, START + datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        delete_site(where)
    assert error.value.messages == [
        "Le site « Centre de vaccination de Lodève » a 2 créneau(x) : il ne peut être supprimé. "
        "Déplacez ses créneaux vers un autre site (« Modifier » sur le créneau) ou "
        "supprimez-les d'abord ; un créneau se supprime une fois ses bénévoles retirés."
    ]
    mistake = site(where.activation, "Centre en double")
    mistake_pk = mistake.pk
    delete_site(mistake)
    assert list(Site.objects.values_list("name", flat=True)) == ["Centre de vaccination de Lodève"]
    assert LogEntry.objects.filter(
        action=LogEntry.Action.DELETE, content_type__model="site", object_pk=str(mistake_pk)
    ).exists()


def test_a_shift_moves_to_another_site_of_its_crisis_only(where):
    created = shift(where, START)
    other = site(where.activation, "Dépistage de Gignac")
    elsewhere = site(activation(title="Canicule"), "Salle rafraîchie")

    def move(target: Site) -> Shift:
        return save_shift(
            created,
            target,
            starts_at=created.starts_at,
            ends_at=created.ends_at,
            changes_until=created.changes_until,
            notes="",
            needs=[(profession("infirmier"), 2)],
        )

    with pytest.raises(ValidationError) as error:
        move(elsewhere)
    assert error.value.message_dict["site"] == [
        "Un créneau ne peut passer que sur un autre site de la même crise."
    ]
    assert Shift.objects.get(pk=created.pk).site == where
    move(other)
    assert Shift.objects.get(pk=created.pk).site == other
    delete_site(where)  # now empty


# --- Pages ------------------------------------------------------------------------------


@pytest.fixture
def gap(association):
    """A shift in three days, its deadline passed (the coordination still adds people)."""
    start = timezone.localtime() + datetime.timedelta(days=3)
    created = shift(
        site(activation()),
        start,
        needs=[("infirmier", 2), (None, 1)],
        changes_until=timezone.now() - datetime.timedelta(hours=1),
    )
    return created


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_the_add_page_lists_the_fitting_members_and_says_why_some_cannot(client, coordinator, gap):
    nurse = member(first_name="Élodie", last_name="Séguret", phone="06 11 22 33 44")
    busy = member(first_name="Paul", last_name="Vidal")
    member("medecin_generaliste", first_name="Marc", last_name="Blanc")
    on_it = member(first_name="Anne", last_name="Martin")
    sign_up(on_it, need_of(gap, "infirmier"), force=True)
    elsewhere = shift(
        site(gap.site.activation, "Dépistage de Gignac"),
        timezone.localtime(gap.starts_at) + datetime.timedelta(hours=1),
    )
    sign_up(busy, need_of(elsewhere, "infirmier"), force=True)
    client.force_login(coordinator)
    url = reverse("roster_need_add", args=[need_of(gap, "infirmier").pk])
    page = client.get(url).content.decode()
    assert "Infirmier(ère) : 1/2" in page and "1 place à pourvoir" in page
    assert "la coordination peut encore inscrire" in page
    assert "Élodie SÉGURET" in page and "sans compte" in page and "06 11 22 33 44" in page
    assert (
        "Paul VIDAL" in page and "Déjà sur un créneau qui chevauche : Dépistage de Gignac" in page
    )
    assert "Marc BLANC" not in page and "Anne MARTIN" not in page
    assert "2 membres actifs « Infirmier(ère) » correspondent." in page
    # Accent- and case-insensitive search on names.
    found = client.get(url, {"q": "seguret"}).content.decode()
    assert "Élodie SÉGURET" in found and "Paul VIDAL" not in found
    reception = client.get(reverse("roster_need_add", args=[need_of(gap, None).pk]))
    assert "Marc BLANC" in reception.content.decode()
    assert nurse.pk


def test_the_coordinator_adds_a_member_the_gap_closes_and_the_log_names_her(
    client, coordinator, gap
):
    nurse = member(first_name="Léa", last_name="Roux")
    need = need_of(gap, "infirmier")
    client.force_login(coordinator)
    response = client.post(reverse("roster_need_add", args=[need.pk]), {"member": nurse.pk})
    roster = reverse("crisis_roster", args=[gap.site.activation_id])
    assert response.status_code == 302 and response.url == f"{roster}#creneau-{gap.pk}"
    signup = SignUp.objects.get(member=nurse)
    assert signup.need == need
    entry = LogEntry.objects.get(content_type__model="signup", object_pk=str(signup.pk))
    assert entry.action == LogEntry.Action.CREATE and entry.actor == coordinator
    page = client.get(roster).content.decode()
    assert "Léa ROUX est inscrit(e)" in page and "Infirmier(ère)</strong> : 1/2" in page


def test_the_add_page_refuses_bad_input_with_a_message_and_writes_nothing(client, coordinator, gap):
    need = need_of(gap, "infirmier")
    url = reverse("roster_need_add", args=[need.pk])
    client.force_login(coordinator)
    for data, message in (
        ({}, "Membre : choisissez la personne à inscrire dans la liste."),
        ({"member": "abc"}, "Membre : cette personne n&#x27;existe pas"),
        ({"member": "99999999999999999999"}, "Membre : cette personne n&#x27;existe pas"),
        ({"member": str(OrganisationFactory.create().pk)}, "Membre : cette personne"),
        (
            {"member": str(member("pharmacien", last_name="Durand").pk)},
            "la profession de",
        ),
    ):
        response = client.post(url, data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), data
    sign_up(member(), need, force=True)
    sign_up(member(), need, force=True)
    response = client.post(url, {"member": member().pk})
    assert response.status_code == 400
    text = response.content.decode()
    assert "complet (2 sur 2)" in text and "Ce besoin est complet" in text
    assert SignUp.objects.count() == 2
    assert client.get(reverse("roster_need_add", args=[999999])).status_code == 404


@pytest.mark.parametrize("persona", ["tresorier", "referent", "adherent"])
def test_the_roster_tools_are_refused_without_crisis_manage(client, request, gap, persona):
    user = request.getfixturevalue(persona)
    empty = shift(gap.site, timezone.localtime(gap.starts_at) + datetime.timedelta(days=1))
    client.force_login(user)
    need = need_of(gap, "infirmier")
    for url, data in (
        (reverse("roster_need_add", args=[need.pk]), {"member": MemberFactory.create().pk}),
        (reverse("shift_delete", args=[empty.pk]), {}),
        (reverse("site_delete", args=[gap.site.pk]), {}),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
    assert not SignUp.objects.exists() and Shift.objects.count() == 2


def test_deleting_a_shift_confirms_first_and_refuses_one_with_volunteers(client, coordinator, gap):
    client.force_login(coordinator)
    roster = reverse("crisis_roster", args=[gap.site.activation_id])
    empty = shift(gap.site, timezone.localtime(gap.starts_at) + datetime.timedelta(days=1))
    url = reverse("shift_delete", args=[empty.pk])
    page = client.get(url).content.decode()
    assert "Supprimer définitivement le créneau" in page and "Personne n" in page
    assert Shift.objects.filter(pk=empty.pk).exists()  # a GET deletes nothing
    response = client.post(url)
    assert response.status_code == 302 and response.url == roster
    assert not Shift.objects.filter(pk=empty.pk).exists()
    assert "est supprimé" in client.get(roster).content.decode()
    assert client.post(url).status_code == 404
    sign_up(member(), need_of(gap, "infirmier"), force=True)
    url = reverse("shift_delete", args=[gap.pk])
    page = client.get(url).content.decode()
    assert "Ce créneau a 1 inscrit(s)" in page and "Supprimer définitivement" not in page
    response = client.post(url)
    assert response.status_code == 302
    assert "Retirez d&#x27;abord les bénévoles" in client.get(response.url).content.decode()
    assert Shift.objects.filter(pk=gap.pk).exists()


def test_deleting_a_site_confirms_first_and_refuses_one_with_shifts(client, coordinator, gap):
    client.force_login(coordinator)
    detail = reverse("activation_detail", args=[gap.site.activation_id])
    mistake = site(gap.site.activation, "Centre en double")
    page = client.get(reverse("site_delete", args=[mistake.pk])).content.decode()
    assert "Supprimer définitivement le site" in page
    response = client.post(reverse("site_delete", args=[mistake.pk]))
    assert response.status_code == 302 and response.url == detail
    assert not Site.objects.filter(pk=mistake.pk).exists()
    assert "Le site « Centre en double » est supprimé." in client.get(detail).content.decode()
    page = client.get(reverse("site_delete", args=[gap.site.pk])).content.decode()
    assert "a 1 créneau(x)" in page and "Supprimer définitivement" not in page
    client.post(reverse("site_delete", args=[gap.site.pk]))
    assert "Déplacez ses créneaux" in client.get(detail).content.decode()
    assert Site.objects.filter(pk=gap.site.pk).exists()
    assert client.get(reverse("site_delete", args=[999999])).status_code == 404


def test_the_shift_form_moves_a_shift_to_another_site(client, coordinator, gap):
    other = site(gap.site.activation, "Dépistage de Gignac")
    client.force_login(coordinator)
    url = reverse("shift_edit", args=[gap.pk])
    assert "Dépistage de Gignac" in client.get(url).content.decode()
    local = timezone.localtime
    data = {
        "site": str(other.pk),
        "starts_at": local(gap.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": local(gap.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "changes_until": local(gap.changes_until).strftime("%Y-%m-%dT%H:%M"),
        "need_0_profession": str(profession("infirmier").pk),
        "need_0_count": "2",
        "need_1_count": "1",
    }
    foreign = site(activation(title="Canicule"), "Salle rafraîchie")
    response = client.post(url, {**data, "site": str(foreign.pk)})
    assert response.status_code == 400
    assert "Site : choisissez un site de cette crise." in response.content.decode()
    assert client.post(url, data).status_code == 302
    assert Shift.objects.get(pk=gap.pk).site == other


def _grow(gap: Shift, size: int) -> None:
    for index in range(size):
        nurse = member()
        member("medecin_generaliste")
        later = shift(
            gap.site, timezone.localtime(gap.starts_at) + datetime.timedelta(hours=5 * (index + 1))
        )
        sign_up(nurse, need_of(later, "infirmier"), force=True)
        # A nurse on an overlapping shift of another site: listed with its clash.
        busy = member()
        near = shift(site(gap.site.activation, f"Site {size}-{index}"), gap.starts_at)
        sign_up(busy, need_of(near, "infirmier"), force=True)


def test_the_new_pages_keep_a_constant_number_of_queries(client, coordinator, gap):
    client.force_login(coordinator)
    empty = shift(gap.site, timezone.localtime(gap.starts_at) + datetime.timedelta(days=2))
    urls = [
        reverse("roster_need_add", args=[need_of(gap, "infirmier").pk]),
        reverse("roster_need_add", args=[need_of(gap, "infirmier").pk]) + "?q=a",
        reverse("roster_need_add", args=[need_of(gap, None).pk]),
        reverse("shift_delete", args=[empty.pk]),
        reverse("shift_delete", args=[gap.pk]),
        reverse("site_delete", args=[gap.site.pk]),
    ]
    _grow(gap, 2)
    small = [_queries(client, url) for url in urls]
    _grow(gap, 30)
    large = [_queries(client, url) for url in urls]
    assert small == large, (small, large)
