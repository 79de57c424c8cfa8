"""Shared fixtures of the indicator import tests, and the reading of numbers, files and
headers (no database needed for most)."""

from __future__ import annotations

import datetime
import io
from datetime import date, timedelta
from decimal import Decimal as D
from typing import Any

import pytest
from openpyxl import Workbook

from indicators.catalogue import ensure_catalogue
from indicators.importing import (
    NumberError,
    parse_number,
    read_indicator_file,
)
from indicators.views.imports import template_csv
from members.importing import ImportFileError
from missions.models import Contract, ContractStatus, ContractYear, Taille

HEADER = "indicateur;période;valeur;ventilation;commentaire"


def make_contract() -> Contract:
    """Signed on 01/01/2024: year N runs from 01/01/(2023+N) to 31/12/(2023+N)."""
    contract = Contract.objects.create(
        signed_on=date(2024, 1, 1),
        cpam="CPAM de l'Hérault",
        ars="ARS Occitanie",
        taille=Taille.T2,
        population=52000,
        status=ContractStatus.SIGNED,
    )
    for number in range(1, 6):
        start = date(2023 + number, 1, 1)
        ContractYear.objects.create(
            contract=contract,
            number=number,
            start=start,
            end=start.replace(year=start.year + 1) - timedelta(days=1),
        )
    return contract


def setup_catalogue() -> Contract:
    ensure_catalogue()
    return make_contract()


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8-sig") -> bytes:
    return "\r\n".join([header, *rows]).encode(encoding)


def xlsx_bytes(rows: list[list[Any]], percent_cells: tuple[str, ...] = ()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    for coordinate in percent_cells:
        sheet[coordinate].number_format = "0.00%"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@pytest.mark.parametrize(
    ("text", "expected", "percent"),
    [
        ("66,26", D("66.26"), False),
        ("66,26 %", D("66.26"), True),
        ("66,26%", D("66.26"), True),
        ("66,26\u00a0%", D("66.26"), True),
        ("1 234", D("1234"), False),
        ("1\u00a0234", D("1234"), False),
        ("1\u202f234", D("1234"), False),
        ("1 234,5", D("1234.5"), False),
        ("1\u00a0234,5", D("1234.5"), False),
        ("66.26", D("66.26"), False),
        ("1.234,5", D("1234.5"), False),
        ("1,234.5", D("1234.5"), False),
        ("1.234.567", D("1234567"), False),
        ("  303  ", D("303"), False),
        ("0", D("0"), False),
        ("-3", D("-3"), False),
        ("12,345678", D("12.3457"), False),
    ],
)
def test_french_numbers_are_read(text: str, expected: D, percent: bool) -> None:
    value, is_percent = parse_number(text)
    assert value == expected
    assert is_percent is percent


@pytest.mark.parametrize("text", ["abc", "12 patients", "1,2,3", "%", "", "6 6,2,6", "1.2.3"])
def test_text_is_not_a_number(text: str) -> None:
    with pytest.raises(NumberError, match="n'est pas un nombre"):
        parse_number(text)


def test_a_number_too_large_for_any_measurement_is_refused() -> None:
    with pytest.raises(NumberError, match="nombre trop grand"):
        parse_number("1" + "0" * 40)


def test_csv_with_semicolons_bom_and_accented_headers() -> None:
    content = csv_bytes(
        "national_no_mt_ald;A2;303;;", header="Indicateur;PÉRIODE;Valeur;Ventilation;Commentaire"
    )
    table = read_indicator_file(content, "cpam.csv")
    assert [(row.line, row.cells) for row in table.rows] == [
        (
            2,
            {
                "indicateur": "national_no_mt_ald",
                "periode": "A2",
                "valeur": "303",
                "ventilation": "",
                "commentaire": "",
            },
        )
    ]


def test_csv_with_commas_and_quoted_french_decimals() -> None:
    content = b'indicateur,periode,valeur\r\nscreening_colorectal_rate,2025,"66,26 %"\r\n'
    table = read_indicator_file(content, "cpam.csv")
    assert table.rows[0].cells == {
        "indicateur": "screening_colorectal_rate",
        "periode": "2025",
        "valeur": "66,26 %",
    }


def test_cp1252_csv_keeps_its_accents() -> None:
    content = csv_bytes(
        "Patients en ALD sans médecin traitant;Année 2;1 234;;relevé CPAM", encoding="cp1252"
    )
    row = read_indicator_file(content, "cpam.csv").rows[0]
    assert row.cells["indicateur"] == "Patients en ALD sans médecin traitant"
    assert row.cells["periode"] == "Année 2"
    assert row.cells["commentaire"] == "relevé CPAM"


def test_xlsx_numbers_dates_and_percent_cells() -> None:
    content = xlsx_bytes(
        [
            ["Titre : extraction CPAM"],
            ["indicateur", "période", "valeur", "territoire"],
            ["national_no_mt_ald", 2025, 303, "Lodève"],
            ["screening_colorectal_rate", datetime.datetime(2025, 3, 1), 0.6626, ""],
            ["screening_colorectal_rate", "T1 2025", 66.26, ""],
            [None, None, None, None],
        ],
        percent_cells=("C4",),
    )
    table = read_indicator_file(content, "cpam.xlsx")
    assert table.ignored_columns == ["territoire"]
    assert [row.line for row in table.rows] == [3, 4, 5]
    first, second, third = (row.cells for row in table.rows)
    assert first == {"indicateur": "national_no_mt_ald", "periode": "2025", "valeur": D("303")}
    assert second["periode"] == "03/2025"
    assert second["valeur"] == "66.2600 %"
    assert third["valeur"] == D("66.26")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Le fichier est vide."),
        (b" \r\n ;;\r\n", "Le fichier est vide."),
        (b"indicateur;periode;valeur\r\n", "aucune valeur sous la ligne d'en-tête"),
        (b"indicateur;valeur\r\nx;1\r\n", "Colonne(s) obligatoire(s) absente(s) : période"),
        (b"code;periode\r\nx;2025\r\n", "absente(s) : valeur"),
        (b"indicateur;code;periode;valeur\r\n", "Colonne(s) en double : indicateur"),
        (b"\xd0\xcf\x11\xe0rest", "Les fichiers .xls ne sont pas pris en charge"),
        (b"PK\x03\x04broken", "Ce classeur .xlsx ne peut pas être lu."),
    ],
)
def test_unreadable_files_are_refused_as_a_whole(content: bytes, message: str) -> None:
    with pytest.raises(ImportFileError) as excinfo:
        read_indicator_file(content, "f.csv")
    assert message in str(excinfo.value)


def test_the_csv_template_is_the_documented_header_row() -> None:
    assert template_csv().decode("utf-8-sig").strip() == HEADER
