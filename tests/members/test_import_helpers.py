"""Shared set-up of the member-import tests (no test here): collèges, fee schedule and the
sample files of tests/members/files/."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from members.models import College, FeeRule
from members.models.reference import MemberKind
from tests.factories import CollegeFactory

FILES = Path(__file__).resolve().parent / "files"
TODAY = datetime.date(2026, 6, 1)


def setup_reference_data() -> tuple[College, College]:
    """Two collèges and the 2026 fee schedule (20 € a person, 50 € a structure)."""
    liberaux = CollegeFactory.create(
        name="Libéraux de santé", code="liberaux", eligible_kinds=[MemberKind.PERSON]
    )
    structures = CollegeFactory.create(
        name="Structures d'exercice coordonné",
        code="structures",
        eligible_kinds=[MemberKind.ORGANISATION],
    )
    FeeRule.objects.create(year=2026, amount=Decimal("20.00"))
    FeeRule.objects.create(year=2026, member_kind=MemberKind.ORGANISATION, amount=Decimal("50.00"))
    return liberaux, structures


def good_csv() -> bytes:
    return (FILES / "membres.csv").read_bytes()


def good_text() -> str:
    return good_csv().decode("utf-8")


def good_rows() -> list[list[str]]:
    return [line.split(";") for line in good_text().splitlines()]


def csv_bytes(rows: list[list[str]], separator: str = ";", encoding: str = "utf-8") -> bytes:
    lines = []
    for row in rows:
        cells = [f'"{cell}"' if separator in cell else cell for cell in row]
        lines.append(separator.join(cells))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def with_row(values: dict[str, str]) -> bytes:
    """The good file plus one row filled from ``values`` (column → cell)."""
    rows = good_rows()
    rows.append([values.get(header, "") for header in rows[0]])
    return csv_bytes(rows)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
