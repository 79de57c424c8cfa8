"""The member list: the selector (search, filters, fee status, sorting, tolerant parameters)
and the page (permissions, htmx partial, constant query count)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cpts.models import Association, Commune, User
from members.models import FeeRule, Member, PracticeSite, Profession
from members.models.adhesions import PaymentMethod
from members.models.members import MemberStatus
from members.models.reference import MemberKind
from members.selectors.members import MemberFilters, filtered_members
from members.services.adhesions import ensure_adhesion, record_payment
from tests.factories import CollegeFactory, MemberFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year


def _names(members: Any) -> list[str]:
    return [member.display_name for member in members]


def _find(**params: str) -> list[str]:
    query = QueryDict(mutable=True)
    query.update(params)
    return _names(filtered_members(MemberFilters.from_params(query), on=TODAY))


@pytest.fixture
def base(association: Association) -> dict[str, Member]:
    """Five members: paid, unpaid, exonerated (an organisation), departed, candidate."""
    clermont = Commune.objects.get(insee_code="34079")
    lodeve = Commune.objects.get(insee_code="34142")
    gignac = Commune.objects.get(insee_code="34114")
    liberaux = CollegeFactory.create(name="Libéraux de santé", code="liberaux", position=1)
    structures = CollegeFactory.create(name="Structures", code="structures", position=2)
    FeeRule.objects.create(year=YEAR, amount=Decimal("20.00"))
    alice = MemberFactory.create(
        last_name="Durand",
        first_name="Alice",
        email="alice.durand@exemple.fr",
        rpps="10001234567",
        commune=clermont,
        college=liberaux,
        joined_on=datetime.date(2024, 3, 1),
    )
    bruno = MemberFactory.create(
        last_name="Élie",
        first_name="Bruno",
        email="bruno@cabinet-lodeve.fr",
        profession=Profession.objects.get(code="infirmier"),
        commune=lodeve,
        college=liberaux,
        joined_on=datetime.date(2025, 1, 10),
    )
    msp = OrganisationFactory.create(
        organisation_name="MSP du Salagou",
        email="contact@msp-salagou.fr",
        siret="73282932000074",
        commune=gignac,
        college=structures,
        joined_on=datetime.date(2023, 9, 1),
    )
    chloe = MemberFactory.create(
        last_name="Fabre",
        first_name="Chloé",
        email="chloe.fabre@exemple.fr",
        profession=Profession.objects.get(code="pharmacien"),
        status=MemberStatus.DEPARTED,
        departed_on=datetime.date(2025, 6, 30),
    )
    denis = MemberFactory.create(
        last_name="Aubert",
        first_name="Denis",
        email="denis.aubert@exemple.fr",
        profession=Profession.objects.get(code="masseur_kinesitherapeute"),
        status=MemberStatus.CANDIDATE,
    )
    PracticeSite.objects.create(member=denis, commune=gignac, is_primary=True)
    record_payment(
        ensure_adhesion(alice, YEAR),
        amount=Decimal("20.00"),
        method=PaymentMethod.VIREMENT,
        paid_on=TODAY,
    )
    ensure_adhesion(bruno, YEAR)  # not paid
    record_payment(
        ensure_adhesion(msp, YEAR),
        amount=Decimal("0"),
        method=PaymentMethod.EXONERATION,
        paid_on=TODAY,
    )
    return {"alice": alice, "bruno": bruno, "msp": msp, "chloe": chloe, "denis": denis}


ALICE, BRUNO, MSP, CHLOE, DENIS = (
    "Alice DURAND",
    "Bruno ÉLIE",
    "MSP du Salagou",
    "Chloé FABRE",
    "Denis AUBERT",
)


# --- Search -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("durand", [ALICE]),  # last name, any case
        ("ALICE", [ALICE]),  # first name
        ("salagou", [MSP]),  # organisation name
        ("alice.durand@", [ALICE]),  # email
        ("cabinet-lodeve.fr", [BRUNO]),
        ("10001234567", [ALICE]),  # full RPPS
        ("1000 1234", [ALICE]),  # part of the RPPS, spaced as people type it
        ("732 829 320 00074", [MSP]),  # SIRET
        ("12", []),  # too short a number to look identifiers up
        ("elie", [BRUNO]),  # a name without its accent
        ("chloe", [CHLOE]),
        ("lodeve", [BRUNO]),  # commune without its accent
        ("Lodève", [BRUNO]),  # commune with it
        ("clermont-l'hérault", [ALICE]),  # hyphens and apostrophes
        ("gignac", [DENIS, MSP]),  # the member's commune or a practice site's
        ("alice durand", [ALICE]),  # every word must match
        ("alice lodeve", []),
        ("personne-inconnue", []),
    ],
)
def test_search_by_each_field(base: dict[str, Member], q: str, expected: list[str]) -> None:
    assert _find(q=q) == expected


def test_search_without_a_term_lists_everyone_by_name(base: dict[str, Member]) -> None:
    assert _find() == [DENIS, ALICE, BRUNO, CHLOE, MSP]
    assert _find(q="   ") == [DENIS, ALICE, BRUNO, CHLOE, MSP]


# --- Filters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"profession": "infirmier"}, [BRUNO]),
        ({"profession": "medecin_generaliste"}, [ALICE]),
        ({"college": "liberaux"}, [ALICE, BRUNO]),
        ({"college": "structures"}, [MSP]),
        ({"kind": MemberKind.ORGANISATION}, [MSP]),
        ({"kind": MemberKind.PERSON}, [DENIS, ALICE, BRUNO, CHLOE]),
        ({"commune": "34142"}, [BRUNO]),
        ({"commune": "34114"}, [DENIS, MSP]),  # practice site counts
        ({"status": MemberStatus.DEPARTED}, [CHLOE]),
        ({"status": MemberStatus.CANDIDATE}, [DENIS]),
        ({"status": MemberStatus.ACTIVE}, [ALICE, BRUNO, MSP]),
        ({"college": "liberaux", "q": "elie"}, [BRUNO]),
        ({"profession": "profession-inconnue"}, []),  # well-formed but unknown: no one
    ],
)
def test_each_filter(base: dict[str, Member], params: dict[str, str], expected: list[str]) -> None:
    assert _find(**params) == expected


def test_fee_filter_paid_unpaid_and_exonerated(base: dict[str, Member]) -> None:
    # Alice paid, the MSP is exonerated; Bruno owes his fee; Chloé and Denis hold no adhesion.
    assert _find(fee="a_jour") == [ALICE, MSP]
    assert _find(fee="en_retard") == [DENIS, BRUNO, CHLOE]
    statuses = {
        member.display_name: member.is_up_to_date
        for member in filtered_members(MemberFilters(), on=TODAY)
    }
    assert statuses == {ALICE: True, MSP: True, BRUNO: False, CHLOE: False, DENIS: False}
    # Another year: nobody has settled it yet.
    assert (
        _names(filtered_members(MemberFilters(fee="a_jour"), on=datetime.date(YEAR + 1, 1, 1)))
        == []
    )


def test_partial_payment_is_still_late(base: dict[str, Member]) -> None:
    record_payment(
        ensure_adhesion(base["bruno"], YEAR),
        amount=Decimal("5.00"),
        method=PaymentMethod.CHEQUE,
        paid_on=TODAY,
    )
    assert BRUNO in _find(fee="en_retard")
    record_payment(
        ensure_adhesion(base["bruno"], YEAR),
        amount=Decimal("15.00"),
        method=PaymentMethod.CHEQUE,
        paid_on=TODAY,
    )
    assert _find(fee="a_jour") == [ALICE, BRUNO, MSP]


# --- Sorting ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("nom", [DENIS, ALICE, BRUNO, CHLOE, MSP]),
        ("-nom", [MSP, CHLOE, BRUNO, ALICE, DENIS]),
        # Infirmier, Masseur-kinésithérapeute, Médecin généraliste, Pharmacien; none last.
        ("profession", [BRUNO, DENIS, ALICE, CHLOE, MSP]),
        ("-profession", [CHLOE, ALICE, DENIS, BRUNO, MSP]),
        ("commune", [ALICE, MSP, BRUNO, DENIS, CHLOE]),
        ("-commune", [BRUNO, MSP, ALICE, DENIS, CHLOE]),
        ("college", [ALICE, BRUNO, MSP, DENIS, CHLOE]),
        ("-college", [MSP, ALICE, BRUNO, DENIS, CHLOE]),
        ("adhesion", [MSP, ALICE, BRUNO, DENIS, CHLOE]),
        ("-adhesion", [BRUNO, ALICE, MSP, DENIS, CHLOE]),
    ],
)
def test_sorting(base: dict[str, Member], sort: str, expected: list[str]) -> None:
    assert _find(sort=sort) == expected


# --- Tolerant parameters ------------------------------------------------------------------


def test_bad_parameters_are_ignored() -> None:
    params = QueryDict(
        "q=%20%20Dur%20%20and%20&profession=<script>&college=a%20b&kind=robot&commune=999"
        "&status=vivant&fee=peut-etre&sort=-mot_de_passe&page=abc"
    )
    filters = MemberFilters.from_params(params)
    assert filters == MemberFilters(q="Dur and")
    assert not MemberFilters.from_params(QueryDict("sort=--nom")).descending
    assert MemberFilters.from_params(QueryDict("commune=2a004")).commune == "2A004"
    assert len(MemberFilters.from_params(QueryDict("q=" + "x" * 500)).q) == 100
    # Repeated parameters: the last value counts, as in any Django query string.
    assert MemberFilters.from_params(QueryDict("kind=x&kind=structure")).kind == "structure"


def test_filters_round_trip_through_their_parameters() -> None:
    filters = MemberFilters(q="durand", college="liberaux", fee="en_retard", sort="-commune")
    query = QueryDict(mutable=True)
    query.update(filters.as_params())
    assert MemberFilters.from_params(query) == filters
    assert MemberFilters(q="x").as_params() == {"q": "x"}  # the default sort is left out
    assert MemberFilters(sort="-nom").is_filtered is False
    assert MemberFilters(status="active").is_filtered is True


# --- The page -----------------------------------------------------------------------------

LIST = reverse("member_list")
RESULTS = {"HX-Request": "true", "HX-Target": "member-results"}


@pytest.mark.parametrize("persona", ["adherent", "referent"])
def test_refused_personas(client: Any, personas: dict[str, User], persona: str) -> None:
    client.force_login(personas[persona])
    assert client.get(LIST).status_code == 403
    assert client.get(LIST, headers=RESULTS).status_code == 403


def test_anonymous_is_sent_to_login(client: Any, db: None) -> None:
    response = client.get(LIST + "?q=durand")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", ["president", "tresorier", "coordinator"])
def test_board_and_coordination_see_the_list(
    client: Any, personas: dict[str, User], base: dict[str, Member], persona: str
) -> None:
    client.force_login(personas[persona])
    response = client.get(LIST)
    assert response.status_code == 200
    content = response.content.decode()
    for name in (ALICE, BRUNO, MSP, CHLOE, DENIS):
        assert name in content


def test_page_shows_badges_filters_and_sort_state(
    client: Any, coordinator: User, base: dict[str, Member]
) -> None:
    client.force_login(coordinator)
    response = client.get(LIST, {"fee": "en_retard", "sort": "-commune"})
    content = response.content.decode()
    assert [m.display_name for m in response.context["members"]] == [BRUNO, DENIS, CHLOE]
    assert "En retard" in content and "Candidat" in content and "Radié / parti" in content
    assert 'hx-trigger="input changed delay:300ms, change"' in content
    assert 'hx-push-url="true"' in content
    assert 'name="sort" id="member-sort" value="-commune"' in content
    assert 'aria-sort="descending"' in content
    # The commune header now asks for the ascending sort, keeping the filters, page reset.
    assert "?fee=en_retard&amp;sort=commune" in content
    assert 'id="id_fee"' in content and '<label class="form-label" for="id_fee">' in content
    assert '<option value="en_retard" selected>' in content
    assert '<option value="34142">Lodève (34)</option>' in content
    assert "fee=en_retard&amp;sort=-commune&amp;format=csv" in content


def test_htmx_results_request_gets_only_the_results(
    client: Any, coordinator: User, base: dict[str, Member]
) -> None:
    client.force_login(coordinator)
    partial = client.get(LIST, {"q": "lodeve", "sort": "-nom"}, headers=RESULTS)
    content = partial.content.decode()
    assert partial.status_code == 200
    assert "<html" not in content and 'id="member-filters"' not in content
    assert content.lstrip().startswith('<section id="member-results"')
    assert BRUNO in content and ALICE not in content
    # The sort kept by the filter form is refreshed out of band.
    assert 'id="member-sort" value="-nom" hx-swap-oob="true"' in content
    # An htmx request aimed elsewhere (history restore) gets the whole page.
    full = client.get(LIST, {"q": "lodeve"}, headers={"HX-Request": "true"})
    assert "<html" in full.content.decode() and 'id="member-filters"' in full.content.decode()
    assert "hx-swap-oob" not in full.content.decode()


def test_pagination_by_25(client: Any, coordinator: User, association: Association) -> None:
    MemberFactory.create_batch(30)
    client.force_login(coordinator)
    first = client.get(LIST)
    assert len(first.context["members"]) == 25
    assert "Page 1 sur 2" in first.content.decode()
    second = client.get(LIST, {"page": "2"}, headers=RESULTS)
    assert len(second.context["members"]) == 5
    for page in ("abc", "-1", "999"):
        assert client.get(LIST, {"page": page}).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "q=%FF&sort=drop+table&page=abc",
        "profession=inconnue&college=%3Cb%3E&commune=ABCDE&kind=x&status=y&fee=z",
        "q=" + "é" * 400,
        "sort=&fee=&page=",
    ],
)
def test_bad_parameters_never_fail(
    client: Any, coordinator: User, base: dict[str, Member], query: str
) -> None:
    client.force_login(coordinator)
    assert client.get(f"{LIST}?{query}").status_code == 200
    assert client.get(f"{LIST}?{query}", headers=RESULTS).status_code == 200


def test_unknown_filter_value_is_reported_on_its_field(
    client: Any, coordinator: User, base: dict[str, Member]
) -> None:
    client.force_login(coordinator)
    response = client.get(LIST, {"profession": "astronaute"})
    assert "Profession : valeur inconnue." in response.content.decode()
    assert list(response.context["members"]) == []


def _queries(client: Any, url: str, headers: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_members(
    client: Any, coordinator: User, association: Association
) -> None:
    college = CollegeFactory.create(code="liberaux", name="Libéraux")
    clermont = Commune.objects.get(insee_code="34079")
    FeeRule.objects.create(year=YEAR, amount=Decimal("20.00"))

    def add(count: int) -> None:
        for member in MemberFactory.create_batch(count, college=college, commune=clermont):
            ensure_adhesion(member, YEAR)
            PracticeSite.objects.create(member=member, commune=clermont, is_primary=True)

    add(5)
    client.force_login(coordinator)
    urls = [LIST, f"{LIST}?q=clermont&fee=en_retard&sort=-college", f"{LIST}?commune=34079"]
    few = [_queries(client, url) for url in urls] + [_queries(client, LIST, RESULTS)]
    add(35)
    many = [_queries(client, url) for url in urls] + [_queries(client, LIST, RESULTS)]
    assert few == many


def test_rows_link_to_the_member_page_and_coordination_gets_its_actions(
    client: Any, coordinator: User, base: dict[str, Member]
) -> None:
    client.force_login(coordinator)
    content = client.get(LIST, {"q": "durand"}).content.decode()
    assert f'href="{reverse("member_detail", args=[base["alice"].pk])}"' in content
    assert f'href="{reverse("member_create")}"' in content
    assert f'action="{reverse("member_send_reminders")}"' in content
    assert f'name="ids" value="{base["alice"].pk}"' in content
    assert 'name="next" value="/membres/?q=durand"' in content


def test_board_reads_without_the_coordination_actions(
    client: Any, president: User, base: dict[str, Member]
) -> None:
    client.force_login(president)
    content = client.get(LIST).content.decode()
    assert f'href="{reverse("member_detail", args=[base["alice"].pk])}"' in content
    assert reverse("member_create") not in content
    assert reverse("member_send_reminders") not in content
    assert 'name="ids"' not in content


def test_reminder_form_posts_what_the_reminder_view_reads(
    client: Any,
    coordinator: User,
    base: dict[str, Member],
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(coordinator)
    page = client.get(LIST, {"fee": "en_retard", "page": "1"})
    assert 'name="next" value="/membres/?fee=en_retard"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("member_send_reminders"),
            {"ids": [base["bruno"].pk, base["alice"].pk], "next": "/membres/?fee=en_retard"},
        )
    assert response.status_code == 302
    assert response["Location"] == "/membres/?fee=en_retard"
    assert [message.to for message in mailoutbox] == [["bruno@cabinet-lodeve.fr"]]
