"""Export of the filtered member list: CSV for Excel (``;``, UTF-8 with BOM) and XLSX, with
the import template's French headers, the list's filters applied, in a constant number of
queries."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cpts.models import Association, Commune, User
from members.models import FeeRule, Member, PracticeSite, Profession
from members.models.adhesions import PaymentMethod
from members.services.adhesions import ensure_adhesion, record_payment
from tests.factories import CollegeFactory, MemberFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

EXPORT = reverse("member_export")
TODAY = timezone.localdate()
YEAR = TODAY.year
HEADER_LINE = (
    "type;civilite;nom;prenom;raison_sociale;profession;rpps;adeli;finess;siret;email;telephone;"
    "adresse;code_postal;commune;code_insee;mode_exercice;structure;college;date_adhesion;"
    "cotisation_payee"
)
HEADER = HEADER_LINE.split(";")


@pytest.fixture
def members(association: Association) -> dict[str, Member]:
    clermont = Commune.objects.get(insee_code="34079")
    lodeve = Commune.objects.get(insee_code="34142")
    college = CollegeFactory.create(name="Libéraux de santé", code="liberaux")
    FeeRule.objects.create(year=YEAR, amount=Decimal("20.00"))
    alice = MemberFactory.create(
        last_name="Durand",
        first_name="Alice",
        email="alice.durand@exemple.fr",
        rpps="10001234567",
        commune=clermont,
        college=college,
    )
    bruno = MemberFactory.create(
        last_name="Élie",
        first_name="Bruno",
        email="bruno.elie@exemple.fr",
        profession=Profession.objects.get(code="infirmier"),
        commune=lodeve,
    )
    msp = OrganisationFactory.create(
        organisation_name="MSP du Salagou", email="msp@exemple.fr", commune=clermont
    )
    record_payment(
        ensure_adhesion(alice, YEAR, started_on=TODAY.replace(month=1, day=15)),
        amount=Decimal("20.00"),
        method=PaymentMethod.CHEQUE,
        paid_on=TODAY,
    )
    ensure_adhesion(bruno, YEAR)
    return {"alice": alice, "bruno": bruno, "msp": msp}


def _csv_rows(response: Any) -> list[list[str]]:
    assert response.streaming, "the CSV is streamed, not built in memory"
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 BOM"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_csv_export_of_the_whole_list(client: Any, coordinator: User, members: Any) -> None:
    client.force_login(coordinator)
    response = client.get(EXPORT, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="membres-{TODAY.isoformat()}.csv"'
    )
    rows = _csv_rows(response)
    assert rows[0] == HEADER
    by_name = {row[2] or row[4]: dict(zip(HEADER, row, strict=True)) for row in rows[1:]}
    assert list(by_name) == ["Durand", "Élie", "MSP du Salagou"]  # the list's order
    alice = by_name["Durand"]
    assert alice["type"] == "personne" and alice["prenom"] == "Alice"
    assert alice["rpps"] == "10001234567" and alice["email"] == "alice.durand@exemple.fr"
    assert alice["profession"] == "Médecin généraliste"
    assert alice["commune"] == "Clermont-l'Hérault" and alice["code_insee"] == "34079"
    assert alice["college"] == "Libéraux de santé"
    assert alice["date_adhesion"] == f"15/01/{YEAR}" and alice["cotisation_payee"] == "oui"
    assert by_name["Élie"]["cotisation_payee"] == "non"
    assert by_name["MSP du Salagou"]["type"] == "structure"


def test_format_defaults_to_csv(client: Any, coordinator: User, members: Any) -> None:
    client.force_login(coordinator)
    response = client.get(EXPORT)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert len(_csv_rows(response)) == 4


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"q": "lodeve"}, ["Élie"]),
        ({"fee": "a_jour"}, ["Durand"]),
        ({"fee": "en_retard"}, ["Élie", "MSP du Salagou"]),
        ({"kind": "structure"}, ["MSP du Salagou"]),
        ({"commune": "34079", "sort": "-nom"}, ["MSP du Salagou", "Durand"]),
        ({"college": "liberaux"}, ["Durand"]),
        ({"profession": "infirmier"}, ["Élie"]),
        ({"status": "departed"}, []),
        ({"q": "%%", "sort": "n'importe quoi", "fee": "?"}, []),
    ],
)
def test_export_applies_the_list_filters(
    client: Any, coordinator: User, members: Any, params: dict[str, str], names: list[str]
) -> None:
    client.force_login(coordinator)
    rows = _csv_rows(client.get(EXPORT, {"format": "csv", **params}))
    assert rows[0] == HEADER
    assert [row[2] or row[4] for row in rows[1:]] == names


def test_xlsx_export(client: Any, coordinator: User, members: Any) -> None:
    client.force_login(coordinator)
    response = client.get(EXPORT, {"format": "xlsx", "fee": "en_retard"})
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith(f'filename="membres-{TODAY.isoformat()}.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    assert [(row[2] or row[4]) for row in rows[1:]] == ["Élie", "MSP du Salagou"]
    assert rows[1][HEADER.index("email")] == "bruno.elie@exemple.fr"


def test_unknown_format_is_a_404(client: Any, coordinator: User, members: Any) -> None:
    client.force_login(coordinator)
    assert client.get(EXPORT, {"format": "pdf"}).status_code == 404


@pytest.mark.parametrize("persona", ["adherent", "referent"])
def test_refused_personas(client: Any, personas: dict[str, User], persona: str) -> None:
    client.force_login(personas[persona])
    assert client.get(EXPORT, {"format": "csv"}).status_code == 403


def test_anonymous_is_sent_to_login(client: Any, db: None) -> None:
    response = client.get(EXPORT, {"format": "xlsx"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", ["president", "tresorier"])
def test_board_may_export(
    client: Any, personas: dict[str, User], members: Any, persona: str
) -> None:
    client.force_login(personas[persona])
    # The fixture's four members, plus the officers' own member records (their mandates).
    expected = 4 + Member.objects.filter(user__isnull=False).count()
    assert len(_csv_rows(client.get(EXPORT, {"format": "csv"}))) == expected


def test_export_query_count_does_not_grow(client: Any, coordinator: User, members: Any) -> None:
    clermont = Commune.objects.get(insee_code="34079")

    def add(count: int) -> None:
        for member in MemberFactory.create_batch(count, commune=clermont):
            ensure_adhesion(member, YEAR)
            PracticeSite.objects.create(member=member, commune=clermont, is_primary=True)

    def count(file_format: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(EXPORT, {"format": file_format, "q": "clermont"})
        assert response.status_code == 200
        return len(captured)

    client.force_login(coordinator)
    add(5)
    few = (count("csv"), count("xlsx"))
    add(35)
    assert (count("csv"), count("xlsx")) == few
    assert len(_csv_rows(client.get(EXPORT, {"q": "clermont"}))) == 1 + 2 + 40


def test_cells_a_spreadsheet_would_run_are_neutralised(
    client: Any, coordinator: User, members: Any
) -> None:
    Member.objects.filter(pk=members["bruno"].pk).update(
        first_name='=HYPERLINK("http://x")', phone="+33 6 12 34 56 78", address="@SUM(A1)"
    )
    client.force_login(coordinator)
    row = dict(zip(HEADER, _csv_rows(client.get(EXPORT, {"q": "elie"}))[1], strict=True))
    assert row["prenom"] == '\'=HYPERLINK("http://x")'
    assert row["adresse"] == "'@SUM(A1)"
    assert row["telephone"] == "+33 6 12 34 56 78"  # a phone number is left alone
    response = client.get(EXPORT, {"q": "elie", "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cell = sheet.cell(row=2, column=HEADER.index("prenom") + 1)
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
