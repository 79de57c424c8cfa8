"""Indicator import pages: upload → preview → confirmation as a job → values recorded; the
templates; refused personas."""

from __future__ import annotations

import io
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from cpts.models import GeneratedDocument, User
from indicators.models import Measurement, MeasurementSource
from missions.models import Contract
from tests.indicators.test_import_helpers import HEADER, csv_bytes, setup_catalogue, xlsx_bytes

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("indicator_import")
CONFIRM_URL = reverse("indicator_import_confirm")
ALD = "national_no_mt_ald"
SCREENING = "screening_colorectal_rate"


@pytest.fixture(autouse=True)
def contract(association: Any) -> Contract:
    return setup_catalogue()


@pytest.fixture
def coordination(client: Client, coordinator: User) -> Client:
    client.force_login(coordinator)
    return client


def upload(client: Client, content: bytes, name: str = "cpam.csv") -> str:
    response = client.post(IMPORT_URL, {"fichier": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    return response.content.decode().replace("&#x27;", "'")


def token_of(page: str) -> str:
    marker = 'name="token" value="'
    assert marker in page, "no confirmation form on the page"
    return page.split(marker, 1)[1].split('"', 1)[0]


def pending_files() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    return list(folder.iterdir()) if folder.exists() else []


def good_csv() -> bytes:
    return csv_bytes(f"{ALD};A2;1 234;;", f"{SCREENING};Année 2;66,26 %;;extraction CPAM")


def test_the_import_page_documents_columns_templates_and_importable_indicators(
    coordination: Client,
) -> None:
    page = coordination.get(IMPORT_URL).content.decode()
    assert reverse("indicator_import_template") in page
    assert reverse("indicator_import_template_xlsx") in page
    assert "<code>période</code>" in page and "<code>ventilation</code>" in page
    assert f"<code>{ALD}</code>" in page
    assert "<code>members_active</code>" not in page  # computed: not importable
    assert 'for="id_fichier"' in page


def test_the_templates(coordination: Client) -> None:
    response = coordination.get(reverse("indicator_import_template"))
    assert response["Content-Disposition"] == 'attachment; filename="modele-import-indicateurs.csv"'
    assert response.content.decode("utf-8-sig").strip() == HEADER
    response = coordination.get(reverse("indicator_import_template_xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    values, help_sheet, catalogue = load_workbook(io.BytesIO(response.content)).worksheets
    assert [c.value for c in values[1]] == HEADER.split(";")
    documented = {row[0] for row in help_sheet.iter_rows(min_row=2, values_only=True)}
    assert set(HEADER.split(";")) <= documented
    codes = {row[0] for row in catalogue.iter_rows(min_row=2, values_only=True)}
    assert ALD in codes and SCREENING in codes and "members_active" not in codes


def test_upload_preview_confirm_job_done_values_recorded(
    coordination: Client, coordinator: User, django_capture_on_commit_callbacks: Any
) -> None:
    page = upload(coordination, good_csv())
    assert 'data-count="new">2<' in page and 'data-count="invalid">0<' in page
    assert "Année de contrat 2 (du 01/01/2025 au 31/12/2025)" in page
    assert "1\u00a0234" in page and "66,26\u00a0%" in page
    assert "nouveau" in page
    assert Measurement.objects.count() == 0  # the preview writes nothing
    assert len(pending_files()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = coordination.post(CONFIRM_URL, {"token": token_of(page)})
    document = GeneratedDocument.objects.get(kind="indicator_import")
    assert response.status_code == 302
    assert response["Location"] == reverse("document_detail", kwargs={"pk": document.pk})
    document.refresh_from_db()
    assert document.status == GeneratedDocument.Status.DONE, document.error_message
    assert document.parameters == {"token": token_of(page), "filename": "cpam.csv"}
    assert sorted(
        Measurement.objects.values_list("indicator__code", "period_key", "value", "note")
    ) == [(ALD, "A2", D("1234"), ""), (SCREENING, "A2", D("66.26"), "extraction CPAM")]
    assert set(Measurement.objects.values_list("source", "source_name", "recorded_by", "job")) == {
        (MeasurementSource.IMPORTED, "cpam.csv", coordinator.pk, document.pk)
    }
    assert pending_files() == []
    report = document.file.read().decode("utf-8-sig")
    assert "nouvelles: 2, modifiées: 0, inchangées: 0, erreurs: 0" in report
    # The same token cannot be confirmed twice.
    response = coordination.post(CONFIRM_URL, {"token": token_of(page)})
    assert response.status_code == 302 and response["Location"] == IMPORT_URL
    assert GeneratedDocument.objects.filter(kind="indicator_import").count() == 1


def test_re_uploading_shows_changed_and_unchanged_rows(
    coordination: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        coordination.post(CONFIRM_URL, {"token": token_of(upload(coordination, good_csv()))})
    page = upload(coordination, good_csv())
    assert 'data-count="skip">2<' in page and 'name="token"' not in page
    assert "il n'y a rien à importer" in page
    page = upload(coordination, csv_bytes(f"{ALD};A2;1 200;;", f"{SCREENING};A2;66,26;;"))
    assert 'data-count="update">1<' in page and 'data-count="skip">1<' in page
    assert "modifié" in page and "\u221234" in page  # 1 234 → 1 200
    assert "1 ligne inchangée (même valeur que la valeur actuelle) ne sera pas enregistrée." in page
    token_of(page)


def test_a_file_with_errors_lists_them_and_cannot_be_confirmed(coordination: Client) -> None:
    page = upload(coordination, csv_bytes(f"{ALD};A2;12;;", "members_active;A2;abc;;"))
    assert 'data-count="invalid">1<' in page
    assert "calculé par Maillage, non importable" in page and "n'est pas un nombre" in page
    assert "<code>indicateur</code>" in page and "<code>valeur</code>" in page
    assert 'name="token"' not in page and "rien ne sera enregistré" in page
    assert pending_files() == []


def test_an_xlsx_upload_previews_the_same_rows(coordination: Client) -> None:
    content = xlsx_bytes(
        [["indicateur", "période", "valeur"], [ALD, "A2", 1234], [SCREENING, 2025, 0.6626]], ("C3",)
    )
    page = upload(coordination, content, "cpam.xlsx")
    assert 'data-count="new">2<' in page and "66,26\u00a0%" in page


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "cpam.csv", "Le fichier soumis est vide"),
        (b"indicateur;valeur\r\nx;1\r\n", "cpam.csv", "Colonne(s) obligatoire(s) absente(s)"),
        (b"x", "cpam.pdf", "Envoyez un fichier .xlsx ou .csv."),
        (b"  \r\n", "cpam.csv", "Le fichier est vide."),
    ],
)
def test_an_unreadable_file_comes_back_on_the_field(
    coordination: Client, content: bytes, name: str, message: str
) -> None:
    page = upload(coordination, content, name)
    assert message in page and 'id="id_fichier_error"' in page


def test_a_token_from_another_session_is_refused(coordination: Client, coordinator: User) -> None:
    token = token_of(upload(coordination, good_csv()))
    other = Client()
    other.force_login(coordinator)
    response = other.post(CONFIRM_URL, {"token": token})
    assert response.status_code == 302 and response["Location"] == IMPORT_URL
    assert not GeneratedDocument.objects.exists()


def test_a_job_refused_at_confirmation_writes_nothing(
    coordination: Client, contract: Contract, django_capture_on_commit_callbacks: Any
) -> None:
    token = token_of(upload(coordination, good_csv()))
    contract.years.filter(number=2).delete()  # "A2" no longer exists
    with django_capture_on_commit_callbacks(execute=True):
        coordination.post(CONFIRM_URL, {"token": token})
    document = GeneratedDocument.objects.get(kind="indicator_import")
    assert document.status == GeneratedDocument.Status.FAILED
    assert "rien n'a été enregistré" in document.error_message
    assert "ligne 2, période:" in document.error_message
    assert not Measurement.objects.exists() and pending_files() == []


@pytest.mark.parametrize("persona", ["adherent", "referent", "tresorier", "president"])
def test_other_personas_are_refused(client: Client, persona: str, request: Any) -> None:
    client.force_login(request.getfixturevalue(persona))
    for name in ("indicator_import", "indicator_import_template", "indicator_import_template_xlsx"):
        assert client.get(reverse(name)).status_code == 403
    response = client.post(IMPORT_URL, {"fichier": SimpleUploadedFile("c.csv", good_csv())})
    assert response.status_code == 403
    assert client.post(CONFIRM_URL, {"token": "x" * 32}).status_code == 403
    assert not Measurement.objects.exists() and pending_files() == []


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get(reverse("indicator_import_template"))
    assert response.status_code == 302 and "/login" in response["Location"]
    assert client.post(CONFIRM_URL, {"token": "x" * 32}).status_code == 302
