"""Import of the SAS monthly activity: every bad row named in French with its line and column,
a preview that writes nothing, all or nothing when recorded, and the confirmation through the
background job (``sas_activity_import``) with its row-by-row outcome."""

from __future__ import annotations

import io
from datetime import date, datetime
from html import unescape
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from cpts.jobs import request_document
from cpts.models import GeneratedDocument
from members.importing import ImportFileError
from members.services.imports import load_pending, store_pending
from registries.import_jobs import SAS_IMPORT_KIND
from registries.importing import read_activity_file, record_activity, template_csv
from registries.models import SasMonthlyActivity

pytestmark = pytest.mark.django_db

HEADER = "mois;demandes_recues;rdv_donnes;rdv_honores;rdv_non_honores;reorientations"
GOOD = ["01/2025;120;84;76;5;22", "02/2025;98;70;66;3;18", "mars 2025;50;40;30;4;5"]


def csv_file(*lines: str, header: str = HEADER) -> bytes:
    return ("\r\n".join([header, *lines]) + "\r\n").encode("utf-8")


def errors_of(content: bytes) -> list[str]:
    return [str(error) for error in read_activity_file(content, "activite.csv").errors]


def test_a_good_file_is_previewed_then_recorded(django_assert_max_num_queries: Any) -> None:
    SasMonthlyActivity.objects.create(
        month=date(2025, 2, 1), requests_received=1, appointments_given=1, honoured=1
    )
    with django_assert_max_num_queries(1):  # one look-up of the months already known
        table = read_activity_file(csv_file(*GOOD), "activite.csv")
    assert not table.has_errors
    assert [(row.line, row.month, row.existing) for row in table.rows] == [
        (2, date(2025, 1, 1), False),
        (3, date(2025, 2, 1), True),
        (4, date(2025, 3, 1), False),
    ]
    assert (table.new_count, table.replaced_count) == (2, 1)
    assert SasMonthlyActivity.objects.count() == 1  # the preview wrote nothing
    assert record_activity(table) == 3
    february = SasMonthlyActivity.objects.get(month=date(2025, 2, 1))
    assert (february.requests_received, february.honoured, february.oriented_elsewhere) == (
        98,
        66,
        18,
    )
    assert SasMonthlyActivity.objects.count() == 3


def test_the_downloadable_template_imports_as_it_is() -> None:
    table = read_activity_file(template_csv(), "modele.csv")
    assert not table.has_errors and len(table.rows) == 2


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("13/2025;10;5;4;1;2", "ligne 3, mois: mois illisible « 13/2025 » (ex. 03/2026)"),
        ("2025;10;5;4;1;2", "ligne 3, mois: mois illisible « 2025 » (ex. 03/2026)"),
        (
            "brumaire 2025;10;5;4;1;2",
            "ligne 3, mois: mois illisible « brumaire 2025 » (ex. 03/2026)",
        ),
        (
            "02/2025;dix;5;4;1;2",
            "ligne 3, demandes_recues: « dix » n'est pas un nombre entier positif",
        ),
        ("02/2025;10;-5;4;1;2", "ligne 3, rdv_donnes: « -5 » n'est pas un nombre entier positif"),
        (
            "02/2025;10;5;4,5;0;2",
            "ligne 3, rdv_honores: « 4,5 » n'est pas un nombre entier positif",
        ),
        (
            "02/2025;10;5;4;2;2",
            "ligne 3, rdv_honores: Honorés et non honorés ne peuvent dépasser les rendez-vous "
            "donnés.",
        ),
        (
            "02/2025;10;8;4;1;3",
            "ligne 3, demandes_recues: Rendez-vous donnés et réorientations ne peuvent dépasser "
            "les demandes reçues.",
        ),
        ("01/2025;10;5;4;1;2", "ligne 3, mois: mois déjà présent à la ligne 2 du fichier"),
        ("2025-01;10;5;4;1;2", "ligne 3, mois: mois déjà présent à la ligne 2 du fichier"),
    ],
)
def test_every_bad_row_is_named_in_french(line: str, message: str) -> None:
    assert errors_of(csv_file(GOOD[0], line)) == [message]
    assert not SasMonthlyActivity.objects.exists()


def test_a_future_month_is_refused() -> None:
    today = timezone.localdate()
    following = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    current = today.replace(day=1)
    lines = (f"{current:%m/%Y};1;1;1;0;0", f"{following:%m/%Y};1;1;1;0;0")
    assert errors_of(csv_file(*lines)) == ["ligne 3, mois: mois dans le futur"]


def test_every_error_of_every_row_is_listed() -> None:
    errors = errors_of(csv_file("13/2025;x;5;4;1;2", GOOD[1], "02/2025;10;-1;;;"))
    assert errors == [
        "ligne 2, mois: mois illisible « 13/2025 » (ex. 03/2026)",
        "ligne 2, demandes_recues: « x » n'est pas un nombre entier positif",
        "ligne 4, rdv_donnes: « -1 » n'est pas un nombre entier positif",
        "ligne 4, mois: mois déjà présent à la ligne 3 du fichier",
    ]


def test_a_file_with_one_bad_row_cannot_be_recorded() -> None:
    table = read_activity_file(csv_file(*GOOD, "04/2025;1;2;0;0;0"), "activite.csv")
    assert table.has_errors and table.new_count == 3
    with pytest.raises(ValueError):
        record_activity(table)
    assert not SasMonthlyActivity.objects.exists()


def test_recording_is_all_or_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    table = read_activity_file(csv_file(*GOOD), "activite.csv")
    original = SasMonthlyActivity.save
    calls = []

    def failing_save(self: SasMonthlyActivity, *args: Any, **kwargs: Any) -> None:
        calls.append(self.month)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        original(self, *args, **kwargs)

    monkeypatch.setattr(SasMonthlyActivity, "save", failing_save)
    with pytest.raises(RuntimeError):
        record_activity(table)
    assert len(calls) == 3
    assert not SasMonthlyActivity.objects.exists()  # the first two months were rolled back


def _xlsx(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def test_an_xlsx_file_with_numbers_and_dates_as_typed() -> None:
    header = HEADER.split(";")
    content = _xlsx(
        [
            header,
            [datetime(2025, 1, 1), 120, 84.0, 76, 5, 22],
            ["02/2025", 98, 70, 66, 3, None],  # an empty cell is 0
            ["03/2025", 10, -2, 0, 0, 0],
            ["04/2025", 10, 2.5, 0, 0, 0],
        ]
    )
    table = read_activity_file(content, "activite.xlsx")
    assert table.rows[0].month == date(2025, 1, 1)
    assert table.rows[0].values["appointments_given"] == 84
    assert table.rows[1].values["oriented_elsewhere"] == 0
    assert [str(error) for error in table.errors] == [
        "ligne 4, rdv_donnes: « -2 » n'est pas un nombre entier positif",
        "ligne 5, rdv_donnes: « 2,5 » n'est pas un nombre entier positif",
    ]


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "a.csv", "Le fichier est vide."),
        (csv_file(), "a.csv", "aucune ligne de données"),
        (
            csv_file("01/2025;1;1;1", header="mois;demandes_recues;rdv_donnes;rdv_honores"),
            "a.csv",
            "Colonne(s) obligatoire(s) absente(s) : rdv_non_honores, reorientations",
        ),
        (b"\xd0\xcf\x11\xe0old", "a.xls", "Les fichiers .xls ne sont pas pris en charge"),
        (b"PK\x03\x04broken", "a.xlsx", "Ce classeur .xlsx ne peut pas être lu."),
    ],
)
def test_unusable_files_get_a_french_message(content: bytes, filename: str, message: str) -> None:
    with pytest.raises(ImportFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_activity_file(content, filename)


# --- The pages and the job -------------------------------------------------------------------


def _upload(client: Any, content: bytes, name: str = "activite.csv") -> Any:
    return client.post(
        reverse("sas_activity_import"),
        {"fichier": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def test_the_preview_page_names_the_bad_rows_and_offers_no_confirmation(client, coordinator):
    client.force_login(coordinator)
    response = _upload(client, csv_file(GOOD[0], "02/2025;10;5;9;1;0", "01/2025;1;1;1;0;0"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 erreurs : rien ne sera enregistré" in page
    assert "ligne 3, rdv_honores: Honorés et non honorés ne peuvent dépasser" in page
    assert "ligne 4, mois: mois déjà présent à la ligne 2 du fichier" in page
    assert reverse("sas_activity_import_confirm") not in page
    assert not SasMonthlyActivity.objects.exists()
    # On a phone each row is a block whose cells name their column.
    assert 'class="table table-sm align-middle table-stack"' in page
    assert '<td class="text-end" data-label="Honorés">9</td>' in page


def test_an_unusable_file_is_refused_on_the_form(client, coordinator):
    client.force_login(coordinator)
    page = _upload(client, b"nom;prenom\r\nDupont;Jean\r\n").content.decode()
    assert "Colonne(s) obligatoire(s) absente(s)" in page
    page = _upload(client, b"x", name="activite.pdf").content.decode()
    assert "Envoyez un fichier .xlsx ou .csv." in page


def test_the_confirmation_runs_the_job_and_records_every_month(
    client, coordinator, django_capture_on_commit_callbacks
):
    SasMonthlyActivity.objects.create(
        month=date(2025, 2, 1), requests_received=1, appointments_given=1, honoured=1
    )
    client.force_login(coordinator)
    preview = _upload(client, csv_file(*GOOD)).content.decode()
    assert "2 mois à ajouter, 1 mois à remplacer." in preview
    token = preview.split('name="token" value="')[1].split('"')[0]
    assert SasMonthlyActivity.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("sas_activity_import_confirm"), {"token": token})
    document = GeneratedDocument.objects.get(kind=SAS_IMPORT_KIND)
    assert response.url == reverse("document_detail", args=[document.pk])
    document.refresh_from_db()
    assert document.status == GeneratedDocument.Status.DONE, document.error_message
    assert SasMonthlyActivity.objects.count() == 3
    assert SasMonthlyActivity.objects.get(month=date(2025, 2, 1)).requests_received == 98
    outcome = document.file.read().decode("utf-8-sig").splitlines()
    assert outcome == [
        "ligne;mois;résultat",
        "2;01/2025;ajouté",
        "3;02/2025;remplacé",
        "4;mars 2025;ajouté",
    ]
    assert load_pending(token) is None
    # The same file cannot be confirmed twice.
    again = client.post(reverse("sas_activity_import_confirm"), {"token": token}, follow=True)
    assert "Ce fichier n'est plus disponible" in unescape(again.content.decode())
    assert GeneratedDocument.objects.filter(kind=SAS_IMPORT_KIND).count() == 1


def test_a_token_of_another_session_is_refused(client, coordinator):
    token = store_pending(csv_file(*GOOD))
    client.force_login(coordinator)
    response = client.post(reverse("sas_activity_import_confirm"), {"token": token}, follow=True)
    assert "Ce fichier n'est plus disponible" in unescape(response.content.decode())
    assert not GeneratedDocument.objects.exists()


def test_the_job_checks_the_file_again_and_writes_nothing_on_error(
    coordinator, django_capture_on_commit_callbacks
):
    token = store_pending(csv_file(*GOOD, "03/2025;1;1;1;0;0"))
    with django_capture_on_commit_callbacks(execute=True):
        document = request_document(
            SAS_IMPORT_KIND,
            requested_by=coordinator,
            parameters={"token": token, "filename": "activite.csv"},
        )
    document.refresh_from_db()
    assert document.status == GeneratedDocument.Status.FAILED
    assert document.error_message == (
        "Import refusé, rien n'a été enregistré : "
        "ligne 5, mois: mois déjà présent à la ligne 4 du fichier"
    )
    assert not SasMonthlyActivity.objects.exists()
    assert load_pending(token) is None


def test_the_job_of_a_vanished_file_fails_with_a_french_message(
    coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = request_document(
            SAS_IMPORT_KIND,
            requested_by=coordinator,
            parameters={"token": "A" * 32, "filename": "activite.csv"},
        )
    document.refresh_from_db()
    assert document.status == GeneratedDocument.Status.FAILED
    assert "n'est plus disponible : déposez-le à nouveau" in document.error_message
