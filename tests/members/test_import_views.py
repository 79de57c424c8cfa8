"""Member import pages: upload → dry-run preview → confirm, templates, refused personas."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from cpts.models import Association, GeneratedDocument, User
from members.importing import TEMPLATE_HEADERS
from members.models import Adhesion, Member
from tests.factories import PASSWORD
from tests.members.test_import_helpers import FILES, good_csv, setup_reference_data, with_row

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("member_import")
CONFIRM_URL = reverse("member_import_confirm")


@pytest.fixture(autouse=True)
def reference(association: Association) -> None:
    setup_reference_data()


@pytest.fixture
def coordination(client: Client, coordinator: User) -> Client:
    client.force_login(coordinator)
    return client


def upload(client: Client, content: bytes, name: str = "membres.csv") -> str:
    response = client.post(IMPORT_URL, {"fichier": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    return response.content.decode()


def token_of(page: str) -> str:
    marker = 'name="token" value="'
    assert marker in page, "no confirmation form on the page"
    return page.split(marker, 1)[1].split('"', 1)[0]


def pending_files() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    return list(folder.iterdir()) if folder.exists() else []


def test_the_import_page_documents_the_columns_and_offers_the_templates(
    coordination: Client,
) -> None:
    page = coordination.get(IMPORT_URL).content.decode()
    assert reverse("member_import_template") in page
    assert reverse("member_import_template_xlsx") in page
    assert "<code>cotisation_payee</code>" in page
    assert 'for="id_fichier"' in page


def test_the_csv_template_is_the_documented_header_row(coordination: Client) -> None:
    response = coordination.get(reverse("member_import_template"))
    assert response["Content-Disposition"] == 'attachment; filename="modele-import-membres.csv"'
    text = response.content.decode("utf-8-sig")
    assert text.strip() == ";".join(TEMPLATE_HEADERS)


def test_the_xlsx_template_has_the_header_row_and_a_help_sheet(coordination: Client) -> None:
    response = coordination.get(reverse("member_import_template_xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    members_sheet, help_sheet = workbook.worksheets
    assert tuple(c.value for c in members_sheet[1]) == TEMPLATE_HEADERS
    documented = [row[0] for row in help_sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    assert set(TEMPLATE_HEADERS) <= set(documented)


def test_preview_then_confirm_imports_the_file(coordination: Client) -> None:
    page = upload(coordination, good_csv())
    assert "Aperçu de l'import" in page
    assert page.count("à créer") >= 4
    assert not Member.objects.exists(), "the preview writes nothing"
    token = token_of(page)
    assert [p.name for p in pending_files()] == [token]
    response = coordination.post(CONFIRM_URL, {"token": token})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Import terminé" in page and 'data-count="new">4<' in page
    assert Member.objects.count() == 4 and Adhesion.objects.count() == 3
    assert pending_files() == []
    again = coordination.post(CONFIRM_URL, {"token": token}, follow=True)
    assert "plus disponible" in again.content.decode()
    assert Member.objects.count() == 4


def test_an_xlsx_upload_previews_the_same_rows(coordination: Client) -> None:
    page = upload(coordination, (FILES / "membres.xlsx").read_bytes(), "membres.xlsx")
    assert 'data-count="new">4<' in page and 'data-count="invalid">0<' in page


def test_a_file_with_errors_lists_them_and_cannot_be_confirmed(coordination: Client) -> None:
    page = upload(coordination, with_row({"type": "personne", "nom": "X", "rpps": "123"}))
    assert 'data-count="invalid">1<' in page
    assert "<code>rpps</code>" in page and "11 chiffres" in page
    assert 'name="token"' not in page
    assert pending_files() == []
    assert not Member.objects.exists()


def test_re_uploading_an_imported_file_shows_unchanged_rows_and_no_confirm(
    coordination: Client,
) -> None:
    coordination.post(CONFIRM_URL, {"token": token_of(upload(coordination, good_csv()))})
    page = upload(coordination, good_csv())
    assert 'data-count="skip">4<' in page and page.count("inchangé") >= 4
    assert 'name="token"' not in page


def test_confirm_refuses_when_the_base_changed_since_the_preview(coordination: Client) -> None:
    token = token_of(upload(coordination, good_csv()))
    Member.objects.create(
        kind="structure", organisation_name="Autre", email="paul.durand@exemple.fr"
    )
    response = coordination.post(CONFIRM_URL, {"token": token})
    page = response.content.decode().replace("&#x27;", "'")
    assert "rien n'a été enregistré" in page and "<code>type</code>" in page
    assert Member.objects.count() == 1


def test_a_token_from_another_session_is_refused(coordination: Client, coordinator: User) -> None:
    token = token_of(upload(coordination, good_csv()))
    other = Client()
    other.force_login(coordinator)
    response = other.post(CONFIRM_URL, {"token": token})
    assert response.status_code == 302 and response["Location"] == IMPORT_URL
    assert not Member.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"type;nom;bizarre\r\npersonne;X;Y\r\n", "m.csv", "Colonne(s) inconnue(s)"),
        (b"%PDF-1.4", "m.pdf", "Envoyez un fichier .xlsx ou .csv"),
        (b"", "m.csv", "fichier"),
    ],
)
def test_unreadable_uploads_come_back_with_a_french_error(
    coordination: Client, content: bytes, name: str, message: str
) -> None:
    page = upload(coordination, content, name)
    assert message in page.replace("&#x27;", "'")
    assert 'name="fichier"' in page


@pytest.mark.parametrize("persona", ["adherent", "referent", "tresorier", "president"])
def test_other_personas_are_refused(
    client: Client, personas: dict[str, User | None], persona: str
) -> None:
    user = personas[persona]
    assert user is not None
    client.login(username=user.email, password=PASSWORD)
    client.force_login(user)
    before = Member.objects.count()  # the officers' own member records (their mandates)
    assert client.get(IMPORT_URL).status_code == 403
    response = client.post(IMPORT_URL, {"fichier": SimpleUploadedFile("m.csv", good_csv())})
    assert response.status_code == 403
    assert client.post(CONFIRM_URL, {"token": "x" * 32}).status_code == 403
    assert Member.objects.count() == before


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get(reverse("member_import_template"))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_a_long_file_is_confirmed_as_a_background_job(
    coordination: Client, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr("members.views.imports.SYNC_MAX_ROWS", 2)
    page = upload(coordination, good_csv())
    assert "en arrière-plan" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = coordination.post(CONFIRM_URL, {"token": token_of(page)})
    document = GeneratedDocument.objects.get(kind="member_import")
    assert response.status_code == 302
    assert response["Location"] == reverse("document_detail", kwargs={"pk": document.pk})
    document.refresh_from_db()
    assert document.status == GeneratedDocument.Status.DONE, document.error_message
    assert Member.objects.count() == 4 and pending_files() == []
    report = document.file.read().decode("utf-8-sig")
    assert report.splitlines()[0] == "ligne;membre;résultat;colonne;raison"
    assert "2;Claire MARTIN;créé;;" in report
    assert "créés: 4, mis à jour: 0, inchangés: 0, erreurs: 0" in report


def test_a_background_import_refused_at_confirmation_writes_nothing(
    coordination: Client, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr("members.views.imports.SYNC_MAX_ROWS", 2)
    token = token_of(upload(coordination, good_csv()))
    Member.objects.create(
        kind="structure", organisation_name="Autre", email="anne.petit@exemple.fr"
    )
    with django_capture_on_commit_callbacks(execute=True):
        coordination.post(CONFIRM_URL, {"token": token})
    document = GeneratedDocument.objects.get(kind="member_import")
    assert document.status == GeneratedDocument.Status.FAILED
    assert "rien n'a été enregistré" in document.error_message
    assert "ligne 4, type:" in document.error_message
    assert Member.objects.count() == 1
