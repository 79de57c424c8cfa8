"""The territory: ACI taille, commune search, additions and removals, the page and its htmx
fragments, the audit trail, the refused personas and the page's query count."""

from __future__ import annotations

from html import unescape

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cpts.models import Association, Commune, TerritoryCommune
from cpts.selectors.audit import audit_rows
from cpts.selectors.territory import (
    search_communes,
    taille_for_population,
    territory_summary,
)
from cpts.services.territory import add_communes, remove_commune
from tests.conftest import DEMO_CODES

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
CLERMONT, LODEVE, GIGNAC = DEMO_CODES
ANIANE = "34010"


def territory_codes(association: Association) -> set[str]:
    return set(
        TerritoryCommune.objects.filter(association=association).values_list(
            "commune__insee_code", flat=True
        )
    )


# --- ACI taille ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "taille"),
    [
        (0, "T1"),
        (39_999, "T1"),
        (40_000, "T2"),
        (80_000, "T2"),
        (80_001, "T3"),
        (175_000, "T3"),
        (175_001, "T4"),
    ],
)
def test_taille_thresholds_at_the_exact_boundaries(population, taille):
    assert taille_for_population(population) == taille


def test_summary_sums_the_population_and_computes_the_taille(association):
    expected = sum(
        Commune.objects.filter(insee_code__in=DEMO_CODES).values_list("population", flat=True)
    )
    summary = territory_summary(association)
    assert summary.commune_count == 3
    assert summary.population == expected
    assert summary.taille == "T1"
    assert summary.departements == ["34"]
    assert [(d.code, d.name) for d in summary.named_departements] == [("34", "Hérault")]
    assert "Taille 1" in summary.taille_label


def test_summary_names_the_departements_with_the_right_plural(client, association, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("territory")).content.decode()
    assert "Hérault" in html and "Départements" not in html
    add_communes(association, ["12145"])  # Millau, Aveyron
    html = client.get(reverse("territory")).content.decode()
    assert "Départements" in html and "Aveyron" in html


def test_empty_territory_has_no_taille(db):
    summary = territory_summary(Association.objects.get_solo())
    assert summary.commune_count == 0
    assert summary.taille is None and summary.taille_label == ""


# --- Search ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["clermont l herault", "CLERMONT-L'HERAULT", "Clermont-l'Hérault"]
)
def test_search_by_name_ignores_accents_case_and_punctuation(association, query):
    search = search_communes(query, association)
    assert search.results[0].insee_code == CLERMONT


def test_search_puts_prefix_matches_first(association):
    names = [c.name for c in search_communes("gignac", association).results]
    assert names[:3] == ["Gignac", "Gignac", "Gignac"]
    assert names.index("Gignac-la-Nerthe") < names.index("Augignac")


def test_search_by_insee_code(association):
    search = search_communes(ANIANE, association)
    assert [c.insee_code for c in search.results][:1] == [ANIANE]
    assert search.results[0].name == "Aniane"


def test_search_by_postal_code_returns_at_most_15_results(association):
    search = search_communes("34800", association)
    assert len(search.results) == 15
    assert search.truncated
    assert all("34800" in c.postal_code_list for c in search.results)
    assert CLERMONT in {c.insee_code for c in search.results}


def test_search_marks_communes_already_in_the_territory(association):
    results = {c.insee_code: c.in_territory for c in search_communes("34800", association).results}
    assert results[CLERMONT] is True
    assert results["34013"] is False  # Aspiran


@pytest.mark.parametrize("query", ["", " ", "a", "é "])
def test_search_shorter_than_two_characters_is_a_hint(association, query):
    search = search_communes(query, association)
    assert search.too_short and search.results == []


# --- Services ---------------------------------------------------------------------------


def test_add_bulk_codes_ignores_duplicates(association):
    added = add_communes(association, [ANIANE, "34010", CLERMONT, "34113"])
    assert [c.insee_code for c in added] == [ANIANE, "34113"]
    assert territory_codes(association) == {*DEMO_CODES, ANIANE, "34113"}


def test_unknown_codes_are_named_and_nothing_is_added(association):
    with pytest.raises(ValidationError) as exc:
        add_communes(association, [ANIANE, "99999", "ABCDE", "99999"])
    message = " ".join(exc.value.messages)
    assert "99999" in message and "ABCDE" in message
    assert message.count("99999") == 1
    assert territory_codes(association) == set(DEMO_CODES)


def test_removing_the_last_commune_is_refused(association):
    remove_commune(association, LODEVE)
    remove_commune(association, GIGNAC)
    with pytest.raises(ValidationError) as exc:
        remove_commune(association, CLERMONT)
    assert "dernière commune" in exc.value.messages[0]
    assert territory_codes(association) == {CLERMONT}


def test_audit_rows_name_the_actor_and_the_commune(association, coordinator):
    with set_actor(coordinator):
        add_communes(association, [ANIANE])
        remove_commune(association, LODEVE)
    rows = audit_rows(LogEntry.objects.select_related("actor", "content_type")[:2])
    deletion, creation = rows
    assert creation.action_label == "création" and creation.object_repr == "Aniane (34)"
    assert deletion.action_label == "suppression" and "Lodève" in deletion.object_repr
    assert creation.actor == coordinator.get_full_name()
    commune_change = next(c for c in creation.changes if c.label == "Commune")
    assert commune_change.new == "Aniane (34)"


# --- The page ---------------------------------------------------------------------------


def test_page_lists_communes_sorted_by_name_with_the_summary(client, association, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("territory"))
    assert response.status_code == 200
    assert [c.name for c in response.context["communes"]] == [
        "Clermont-l'Hérault",
        "Gignac",
        "Lodève",
    ]
    html = response.content.decode()
    assert 'data-testid="taille">T1<' in html
    assert "Taille 1 (moins de 40 000 habitants)" in html
    assert "34800" in html and CLERMONT in html
    assert 'id="territory-search-input"' in html
    assert 'aria-live="polite"' in html
    assert reverse("identity_sheet_request") in html
    assert reverse("territory_remove", args=[LODEVE]) in html


def test_treasurer_views_the_territory_without_managing_it(client, association, tresorier):
    client.force_login(tresorier)
    response = client.get(reverse("territory"), {"q": "aniane"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lodève" in html
    assert 'id="territory-search-input"' not in html
    assert reverse("territory_add") not in html
    assert reverse("territory_remove", args=[LODEVE]) not in html
    assert response.context["search"] is None


def test_page_without_javascript_shows_search_results_from_the_query(
    client, association, president
):
    client.force_login(president)
    response = client.get(reverse("territory"), {"q": "aniane"})
    assert response.status_code == 200
    assert [c.insee_code for c in response.context["search"].results] == [ANIANE]
    assert f'name="codes" value="{ANIANE}"' in response.content.decode()


def test_htmx_search_returns_the_results_fragment(client, association, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("territory_search"), {"q": "34800"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-testid="search-results"' in html
    assert "Déjà dans le territoire" in html  # Clermont-l'Hérault
    assert f'name="codes" value="{CLERMONT}"' not in html
    assert 'name="codes" value="34013"' in html
    assert "premiers résultats" in html


def test_htmx_search_with_a_short_query_returns_a_hint(client, association, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("territory_search"), {"q": "c"}, headers=HTMX)
    assert response.status_code == 200
    assert 'data-testid="search-hint"' in response.content.decode()


def test_plain_search_redirects_to_the_page(client, association, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("territory_search"), {"q": "aniane"})
    assert response.status_code == 302
    assert response["Location"] == reverse("territory") + "?q=aniane"


def test_plain_add_redirects_with_a_message(client, association, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("territory_add"), {"codes": ANIANE}, follow=True)
    assert response.redirect_chain == [(reverse("territory"), 302)]
    assert ANIANE in territory_codes(association)
    assert "1 commune ajoutée au territoire : Aniane (34)." in response.content.decode()


def test_htmx_add_swaps_the_table_and_the_summary(client, association, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("territory_add"), {"codes": ANIANE, "q": "aniane"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="territory-communes"')
    assert 'id="territory-summary"' in html and 'hx-swap-oob="true"' in html
    assert 'data-testid="commune-count">4<' in html
    assert "Aniane" in html
    assert 'id="territory-search-results" hx-swap-oob="innerHTML"' in html
    assert "Déjà dans le territoire" in html  # the refreshed search results
    assert ANIANE in territory_codes(association)


def test_bulk_add_accepts_spaces_commas_and_new_lines(client, association, coordinator):
    client.force_login(coordinator)
    codes = f"{ANIANE}, 34113\n34240;{CLERMONT}  34010"
    response = client.post(reverse("territory_add"), {"codes": codes}, headers=HTMX)
    assert response.status_code == 200
    assert territory_codes(association) == {*DEMO_CODES, ANIANE, "34113", "34240"}
    html = response.content.decode()
    assert "3 communes ajoutées au territoire" in html
    assert "1 commune déjà présente a été ignorée." in html


def test_unknown_code_is_named_and_nothing_is_added_through_the_page(
    client, association, coordinator
):
    client.force_login(coordinator)
    response = client.post(reverse("territory_add"), {"codes": f"{ANIANE} 99999"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Code(s) INSEE inconnu(s) : 99999." in html
    assert f"{ANIANE} 99999</textarea>" in html  # the pasted list is kept for correction
    assert "is-invalid" in html
    assert territory_codes(association) == set(DEMO_CODES)


def test_htmx_add_with_an_unknown_code_reports_the_error(client, association, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("territory_add"), {"codes": "2A999"}, headers=HTMX)
    assert response.status_code == 200
    assert "Code(s) INSEE inconnu(s) : 2A999." in response.content.decode()
    assert territory_codes(association) == set(DEMO_CODES)


def test_empty_add_names_the_field(client, association, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("territory_add"), {"codes": " ,\n "})
    assert response.status_code == 200
    assert "Indiquez au moins un code INSEE." in response.content.decode()


def test_plain_remove_redirects_with_a_message(client, association, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("territory_remove", args=[LODEVE]), follow=True)
    assert response.redirect_chain == [(reverse("territory"), 302)]
    assert territory_codes(association) == {CLERMONT, GIGNAC}
    assert "Lodève (34) a été retirée du territoire." in response.content.decode()


def test_htmx_remove_swaps_the_table(client, association, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("territory_remove", args=[LODEVE]), headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="territory-communes"')
    assert 'data-testid="commune-count">2<' in html
    assert "suppression" in html  # the refreshed history


def test_htmx_remove_refreshes_the_search_in_progress(client, association, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("territory_remove", args=[LODEVE]), {"q": "lodeve"}, headers=HTMX
    )
    results = response.context["search"].results
    lodeve = next(c for c in results if c.insee_code == LODEVE)
    assert lodeve.in_territory is False  # addable again, not "déjà dans le territoire"
    plain = client.post(reverse("territory_remove", args=[GIGNAC]), {"q": "gignac"})
    assert plain["Location"] == reverse("territory") + "?q=gignac"


def test_removing_the_last_commune_through_the_page_is_refused(client, association, president):
    remove_commune(association, LODEVE)
    remove_commune(association, GIGNAC)
    client.force_login(president)
    response = client.post(reverse("territory_remove", args=[CLERMONT]), headers=HTMX)
    assert response.status_code == 200
    assert "c'est la dernière commune du territoire" in unescape(response.content.decode())
    response = client.post(reverse("territory_remove", args=[CLERMONT]), follow=True)
    assert "c'est la dernière commune du territoire" in unescape(response.content.decode())
    assert territory_codes(association) == {CLERMONT}


def test_removing_a_commune_outside_the_territory_is_an_error_not_a_crash(
    client, association, coordinator
):
    client.force_login(coordinator)
    response = client.post(reverse("territory_remove", args=["nope-" * 40]), follow=True)
    assert response.status_code == 200
    assert "ne fait pas partie du territoire" in response.content.decode()


def test_page_additions_are_audited_with_the_actor(client, association, coordinator):
    client.force_login(coordinator)
    client.post(reverse("territory_add"), {"codes": ANIANE})
    entry = LogEntry.objects.get_for_model(TerritoryCommune).latest("timestamp")
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == coordinator
    assert entry.object_repr == "Aniane (34)"
    response = client.get(reverse("territory"))
    history = response.context["history"]
    assert history[0].actor == coordinator.get_full_name()
    assert history[0].object_repr == "Aniane (34)"
    assert [(c.label, c.new) for c in history[0].changes] == [("Commune", "Aniane (34)")]
    assert 'data-testid="audit-history"' in response.content.decode()


def test_post_only_views_refuse_get(client, association, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("territory_add")).status_code == 405
    assert client.get(reverse("territory_remove", args=[LODEVE])).status_code == 405


# --- Refused personas -------------------------------------------------------------------

MANAGE_REQUESTS = [
    ("get", "territory_search", [], {"q": "aniane"}),
    ("post", "territory_add", [], {"codes": ANIANE}),
    ("post", "territory_remove", [LODEVE], {}),
]


@pytest.mark.parametrize(("method", "name", "args", "data"), MANAGE_REQUESTS)
@pytest.mark.parametrize("persona", ["anonymous", "adherent", "referent", "tresorier"])
def test_manage_views_refuse_personas_without_association_manage(
    client, association, personas, persona, method, name, args, data
):
    user = personas[persona]
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(reverse(name, args=args), data, headers=HTMX)
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == 403
    assert territory_codes(association) == set(DEMO_CODES)


@pytest.mark.parametrize(("method", "name", "args", "data"), MANAGE_REQUESTS)
@pytest.mark.parametrize("persona", ["president", "coordinator"])
def test_manage_views_allow_president_and_coordinator(
    client, association, personas, persona, method, name, args, data
):
    client.force_login(personas[persona])
    response = getattr(client, method)(reverse(name, args=args), data, headers=HTMX)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("adherent", 403), ("referent", 403), ("tresorier", 200)],
)
def test_territory_page_access(client, association, personas, persona, status):
    user = personas[persona]
    if user is not None:
        client.force_login(user)
    assert client.get(reverse("territory")).status_code == status


# --- Query count ------------------------------------------------------------------------


def _page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("territory"))
    assert response.status_code == 200
    return len(queries)


def test_page_query_count_does_not_grow_with_the_communes(client, association, coordinator):
    client.force_login(coordinator)
    _page_queries(client)  # warm the per-process caches (content types, templates)
    with set_actor(coordinator):
        few = _page_queries(client)
        others = (
            Commune.objects.filter(departement="34")
            .exclude(insee_code__in=DEMO_CODES)
            .order_by("insee_code")
            .values_list("insee_code", flat=True)[:57]
        )
        add_communes(association, list(others))
    assert territory_summary(association).commune_count == 60
    many = _page_queries(client)
    assert few == many
    response = client.get(reverse("territory"))
    assert len(response.context["communes"]) == 50  # first page
    assert response.context["page"].paginator.count == 60
    assert len(response.context["history"]) == 50
    second = client.get(reverse("territory"), {"page": 2})
    assert len(second.context["communes"]) == 10
    assert "60 communes" in second.content.decode()


def test_htmx_removal_keeps_the_page_being_read(client, association, coordinator):
    others = (
        Commune.objects.filter(departement="34")
        .exclude(insee_code__in=DEMO_CODES)
        .order_by("insee_code")
        .values_list("insee_code", flat=True)[:57]
    )
    add_communes(association, list(others))
    client.force_login(coordinator)
    response = client.post(
        reverse("territory_remove", args=["34079"]),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/association/territoire/?page=2",
    )
    assert response.status_code == 200
    assert response.context["page"].number == 2
    assert response.context["page"].paginator.count == 59
