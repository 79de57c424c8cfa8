"""Generated documents: the identity sheet end to end, and the generic job pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cpts import jobs
from cpts.models import Association, Commune, GeneratedDocument, TerritoryCommune
from cpts.roles import Role
from cpts.selectors.documents import describe_parameters
from cpts.services.documents import run_document
from cpts.services.territory import add_communes
from tests.factories import UserFactory
from tests.pdf_utils import pdf_page_count, pdf_text

pytestmark = pytest.mark.django_db
Status = GeneratedDocument.Status

# The three EPCI of the Pays Cœur d'Hérault (Clermontais, Lodévois et Larzac, Vallée de
# l'Hérault): 77 communes, 86 257 inhabitants.
CŒUR_D_HERAULT_EPCI = ["243400355", "200017341", "243400694"]
EMPTY_TERRITORY_MESSAGE = (
    "Le territoire ne contient aucune commune : ajoutez-en avant de générer la fiche d'identité."
)
GENERIC_FAILURE = "La génération a échoué à cause d'une erreur interne."


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _grow_territory(association: Association, count: int) -> None:
    """Extend the 3-commune fixture with communes of the Cœur d'Hérault up to ``count``."""
    others = Commune.objects.filter(epci_siren__in=CŒUR_D_HERAULT_EPCI).exclude(
        territory_links__association=association
    )
    codes = list(others.order_by("insee_code").values_list("insee_code", flat=True))
    add_communes(association, codes[: count - association.territory_links.count()])
    assert association.territory_links.count() == count


def _request_sheet(client, django_capture_on_commit_callbacks) -> GeneratedDocument:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("identity_sheet_request"))
    document = GeneratedDocument.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("document_detail", args=[document.pk])
    document.refresh_from_db()
    return document


def _done_document(**fields: object) -> GeneratedDocument:
    document = GeneratedDocument.objects.create(
        kind="identity_sheet",
        status=Status.DONE,
        progress=100,
        finished_at=timezone.now(),
        **fields,
    )
    document.file.save("fiche-identite-cpts-2026-11-22.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"))
    return document


# --- The identity sheet, end to end through the views (Celery runs eagerly) ---


def test_identity_sheet_is_generated_on_one_page(
    client, coordinator, association, django_capture_on_commit_callbacks
):
    association.siret = "12345678900012"
    association.save()
    client.force_login(coordinator)
    document = _request_sheet(client, django_capture_on_commit_callbacks)

    assert document.status == Status.DONE
    assert document.progress == 100
    assert document.requested_by == coordinator
    assert document.error_message == ""
    today = timezone.localdate().strftime("%Y-%m-%d")
    assert Path(document.file.name).name == f"fiche-identite-cpts-{today}.pdf"
    content = document.file.read()
    assert pdf_page_count(content) == 1
    text = pdf_text(content)
    assert "CPTS du Cœur d'Hérault" in text
    assert "Fiche d'identité de la CPTS" in text
    assert "Clermont-l'Hérault 34079 34800 9 461" in text
    assert "Lodève" in text
    assert "23 363" in text
    assert "T1" in text
    assert "Taille 1 (moins de 40 000 habitants)" in text
    assert "123 456 789 00012" in text
    assert "34 Hérault" in text
    assert timezone.localdate().strftime("%d/%m/%Y") in text


def test_identity_sheet_of_a_forty_commune_territory_fits_one_page(
    client, coordinator, association, django_capture_on_commit_callbacks
):
    _grow_territory(association, 40)
    client.force_login(coordinator)
    document = _request_sheet(client, django_capture_on_commit_callbacks)

    assert document.status == Status.DONE
    content = document.file.read()
    assert pdf_page_count(content) == 1
    text = pdf_text(content)
    communes = Commune.objects.filter(territory_links__association=association)
    for commune in communes:
        assert commune.name in text, commune.name
    population = sum(c.population for c in communes)
    assert f"{population:,}".replace(",", " ") in text
    assert "40 communes" in text


def test_empty_territory_fails_with_a_french_message_and_no_file(
    client, coordinator, django_capture_on_commit_callbacks
):
    Association.objects.get_solo()
    assert not TerritoryCommune.objects.exists()
    client.force_login(coordinator)
    document = _request_sheet(client, django_capture_on_commit_callbacks)

    assert document.status == Status.FAILED
    assert document.error_message == EMPTY_TERRITORY_MESSAGE
    assert not document.file
    page = client.get(reverse("document_detail", args=[document.pk])).content.decode()
    assert "ajoutez-en avant de générer la fiche d&#x27;identité" in page
    assert "Relancer" in page
    assert reverse("document_download", args=[document.pk]) not in page


def test_unexpected_builder_error_shows_the_generic_message(monkeypatch, coordinator):
    def broken(document, report):
        report(30, "Étape qui casse")
        raise RuntimeError("secret internal detail")

    monkeypatch.setitem(
        jobs._KINDS,
        "broken",
        jobs.DocumentKind("broken", "Document cassé", "reports.generate", broken),
    )
    document = GeneratedDocument.objects.create(kind="broken", requested_by=coordinator)
    assert run_document(document.pk) == Status.FAILED
    document.refresh_from_db()
    assert document.error_message.startswith(GENERIC_FAILURE)
    assert "secret" not in document.error_message
    assert "Traceback" not in document.error_message
    assert not document.file


# --- Progress page and fragment ---


def test_progress_fragment_polls_while_running(client, coordinator):
    document = GeneratedDocument.objects.create(
        kind="identity_sheet", status=Status.RUNNING, progress=50, step="Territoire"
    )
    client.force_login(coordinator)
    body = client.get(reverse("document_progress", args=[document.pk])).content.decode()
    progress_url = reverse("document_progress", args=[document.pk])
    assert f'hx-get="{progress_url}"' in body
    assert 'hx-trigger="every 1s"' in body
    assert 'hx-swap="outerHTML"' in body
    assert 'role="progressbar"' in body
    assert 'aria-valuenow="50"' in body
    assert "Territoire" in body
    assert "Relancer" not in body
    assert "<html" not in body  # a fragment, not a page

    detail = client.get(reverse("document_detail", args=[document.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in detail
    assert "<html" in detail


def test_progress_fragment_stops_polling_when_done(client, coordinator):
    document = _done_document(requested_by=coordinator)
    client.force_login(coordinator)
    body = client.get(reverse("document_progress", args=[document.pk])).content.decode()
    assert "hx-trigger" not in body
    assert "hx-get" not in body
    assert 'aria-valuenow="100"' in body
    assert reverse("document_download", args=[document.pk]) in body
    assert reverse("document_retry", args=[document.pk]) in body


def test_queued_document_waits_and_polls(client, coordinator):
    document = GeneratedDocument.objects.create(kind="identity_sheet")
    client.force_login(coordinator)
    body = client.get(reverse("document_detail", args=[document.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in body
    assert "En attente" in body
    assert reverse("document_download", args=[document.pk]) not in body


def test_board_member_without_generate_sees_no_retry_button(client):
    board = UserFactory(roles=[Role.MEMBRE_BUREAU])
    document = _done_document()
    client.force_login(board)
    body = client.get(reverse("document_detail", args=[document.pk])).content.decode()
    assert reverse("document_download", args=[document.pk]) in body
    assert "Relancer" not in body


# --- Download ---


def test_download_returns_the_file_as_an_attachment(client, president):
    document = _done_document()
    client.force_login(president)
    response = client.get(reverse("document_download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="fiche-identite-cpts-2026-11-22.pdf"'
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize("status", [Status.QUEUED, Status.RUNNING, Status.FAILED])
def test_download_is_404_unless_done(client, coordinator, status):
    document = GeneratedDocument.objects.create(kind="identity_sheet", status=status)
    client.force_login(coordinator)
    assert client.get(reverse("document_download", args=[document.pk])).status_code == 404


def test_download_is_404_when_the_file_was_lost(client, coordinator):
    document = _done_document()
    Path(document.file.path).unlink()
    client.force_login(coordinator)
    assert client.get(reverse("document_download", args=[document.pk])).status_code == 404


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("document_detail", "get"),
        ("document_progress", "get"),
        ("document_download", "get"),
        ("document_retry", "post"),
    ],
)
def test_unknown_document_is_404(client, coordinator, name, method):
    client.force_login(coordinator)
    assert getattr(client, method)(reverse(name, args=[999_999])).status_code == 404


# --- Retry ---


def test_retry_creates_a_new_document_and_keeps_the_old_one(
    client, coordinator, association, django_capture_on_commit_callbacks
):
    failed = GeneratedDocument.objects.create(
        kind="identity_sheet",
        parameters={"year": 2026},
        status=Status.FAILED,
        error_message="Ancienne erreur",
    )
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("document_retry", args=[failed.pk]))
    retried = GeneratedDocument.objects.latest("pk")
    assert retried.pk != failed.pk
    assert response["Location"] == reverse("document_detail", args=[retried.pk])
    assert (retried.kind, retried.parameters) == ("identity_sheet", {"year": 2026})
    assert retried.requested_by == coordinator
    assert retried.status == Status.DONE
    failed.refresh_from_db()
    assert failed.status == Status.FAILED
    assert failed.error_message == "Ancienne erreur"


def test_retry_of_an_unfinished_document_creates_nothing(client, coordinator):
    running = GeneratedDocument.objects.create(kind="identity_sheet", status=Status.RUNNING)
    client.force_login(coordinator)
    response = client.post(reverse("document_retry", args=[running.pk]), follow=True)
    assert GeneratedDocument.objects.count() == 1
    assert "encore en cours de génération" in response.content.decode()


def test_retry_of_a_kind_that_no_longer_exists_is_404(client, coordinator):
    orphan = GeneratedDocument.objects.create(kind="disparu", status=Status.FAILED)
    client.force_login(coordinator)
    assert client.post(reverse("document_retry", args=[orphan.pk])).status_code == 404
    assert GeneratedDocument.objects.count() == 1


def test_requesting_a_kind_needs_the_kind_permission(monkeypatch, client, president, coordinator):
    """The president may generate reports but not a kind reserved to treasurers' approval."""
    monkeypatch.setitem(
        jobs._KINDS,
        "finance_only",
        jobs.DocumentKind(
            "finance_only", "Export financier", "finance.approve", lambda d, r: ("x.pdf", b"")
        ),
    )
    document = GeneratedDocument.objects.create(kind="finance_only", status=Status.FAILED)
    client.force_login(president)
    assert client.post(reverse("document_retry", args=[document.pk])).status_code == 403
    assert GeneratedDocument.objects.count() == 1
    client.force_login(coordinator)
    assert client.post(reverse("document_retry", args=[document.pk])).status_code == 302
    assert GeneratedDocument.objects.count() == 2


@pytest.mark.parametrize("name", ["identity_sheet_request", "document_retry"])
def test_post_only_views_refuse_get(client, coordinator, name):
    document = _done_document()
    client.force_login(coordinator)
    url = reverse(name, args=[document.pk]) if name == "document_retry" else reverse(name)
    assert client.get(url).status_code == 405
    assert GeneratedDocument.objects.count() == 1


# --- Access: refused personas on every view ---

VIEWS = [
    ("document_list", "get", False),
    ("identity_sheet_request", "post", False),
    ("document_detail", "get", True),
    ("document_progress", "get", True),
    ("document_download", "get", True),
    ("document_retry", "post", True),
]
# Readable by their requester too: to others without reports.view they do not exist.
OWN_DOCUMENT_VIEWS = {"document_detail", "document_progress", "document_download"}


@pytest.mark.parametrize(("name", "method", "with_pk"), VIEWS)
def test_anonymous_is_sent_to_the_login_page(client, name, method, with_pk):
    document = _done_document()
    url = reverse(name, args=[document.pk]) if with_pk else reverse(name)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert GeneratedDocument.objects.count() == 1


@pytest.mark.parametrize("persona", ["adherent", "referent"])
@pytest.mark.parametrize(("name", "method", "with_pk"), VIEWS)
def test_adherent_and_referent_are_refused(client, personas, persona, name, method, with_pk):
    document = _done_document()
    client.force_login(personas[persona])
    url = reverse(name, args=[document.pk]) if with_pk else reverse(name)
    expected = 404 if name in OWN_DOCUMENT_VIEWS else 403
    assert getattr(client, method)(url).status_code == expected
    assert GeneratedDocument.objects.count() == 1


@pytest.mark.parametrize("name", sorted(OWN_DOCUMENT_VIEWS))
def test_the_requester_reads_their_own_document_without_reports_view(client, referent, name):
    """A référent prints their group's attendance sheet: its job page and file are theirs."""
    document = _done_document()
    document.requested_by = referent
    document.save()
    client.force_login(referent)
    assert client.get(reverse(name, args=[document.pk])).status_code == 200


def test_board_member_may_view_but_not_generate(client):
    board = UserFactory(roles=[Role.ADMINISTRATEUR])
    client.force_login(board)
    assert client.get(reverse("document_list")).status_code == 200
    assert client.post(reverse("identity_sheet_request")).status_code == 403
    assert not GeneratedDocument.objects.exists()


@pytest.mark.parametrize("persona", ["tresorier", "president", "coordinator"])
def test_officers_may_request_the_identity_sheet(
    client, personas, persona, association, django_capture_on_commit_callbacks
):
    client.force_login(personas[persona])
    assert _request_sheet(client, django_capture_on_commit_callbacks).status == Status.DONE


# --- The list ---


def _list_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("document_list"))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_list_query_count_does_not_grow_with_documents(client, coordinator, association):
    client.force_login(coordinator)
    requesters = [UserFactory() for _ in range(3)]
    for index in range(3):
        _done_document(requested_by=requesters[index % 3])
    few, _body = _list_queries(client)
    for index in range(27):
        fields: dict[str, object] = {"requested_by": UserFactory() if index % 2 else None}
        GeneratedDocument.objects.create(kind="identity_sheet", **fields)
    many, body = _list_queries(client)
    assert few == many
    assert body.count("data-document=") == 25


def test_list_shows_newest_first_with_labels_badges_and_downloads(client, coordinator):
    requester = UserFactory(first_name="Claire", last_name="Martin")
    old = _done_document(requested_by=requester)
    failed = GeneratedDocument.objects.create(
        kind="identity_sheet", status=Status.FAILED, error_message="Échec"
    )
    running = GeneratedDocument.objects.create(
        kind="identity_sheet", status=Status.RUNNING, progress=42
    )
    client.force_login(coordinator)
    _count, body = _list_queries(client)
    positions = [body.index(f'data-document="{d.pk}"') for d in (running, failed, old)]
    assert positions == sorted(positions)
    assert body.count("Fiche d&#x27;identité de la CPTS") >= 3
    assert "Claire Martin" in body
    assert "42 %" in body
    for label in ("Terminé", "Échec", "En cours"):
        assert label in body
    assert reverse("document_download", args=[old.pk]) in body
    assert reverse("document_download", args=[failed.pk]) not in body
    assert reverse("document_download", args=[running.pk]) not in body


def test_list_is_paginated_by_25(client, coordinator):
    GeneratedDocument.objects.bulk_create(
        GeneratedDocument(kind="identity_sheet") for _ in range(30)
    )
    client.force_login(coordinator)
    second = client.get(reverse("document_list"), {"page": 2}).content.decode()
    assert second.count("data-document=") == 5
    assert "Page 2 sur 2" in second
    # A page number out of range or invalid gives a page, never an error.
    assert client.get(reverse("document_list"), {"page": "abc"}).status_code == 200
    assert client.get(reverse("document_list"), {"page": 99}).status_code == 200


def test_list_empty_state(client, coordinator):
    client.force_login(coordinator)
    assert "Aucun document n'a encore été généré." in _list_queries(client)[1]


def test_parameters_are_described_by_the_kind_or_as_pairs(monkeypatch):
    assert describe_parameters("identity_sheet", {}) == ""
    assert describe_parameters("unknown", {"year": 2026, "a": 1}) == "a : 1, year : 2026"
    monkeypatch.setitem(
        jobs._KINDS,
        "annual",
        jobs.DocumentKind(
            "annual",
            "Rapport annuel",
            "reports.generate",
            lambda d, r: ("x.pdf", b""),
            describe=lambda p: f"Année {p['year']}",
        ),
    )
    assert describe_parameters("annual", {"year": 2026}) == "Année 2026"
