"""Batch exports for the accounts: CSV and XLSX."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from claims.exports import batch_csv, batch_xlsx
from tests.claims.batch_data import paid_batch

pytestmark = pytest.mark.django_db


def test_batch_csv(association: Any) -> None:
    batch, _first, _second = paid_batch()
    content = batch_csv(batch)
    assert content.startswith("\ufeff".encode())
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Membre;Profession;IBAN (référence);Nature;Activité;Date;Heures;Montant"
    assert len(lines) == 4
    assert "Anne DURAND" in lines[1]
    assert "FR76 •••• 0189" in lines[1]
    assert lines[1].endswith(";03/03/2026;2,00;1234,56")
    assert lines[3].startswith("Marc PETIT;") and lines[3].endswith(";09/03/2026;;30,00")


def test_batch_xlsx(association: Any) -> None:
    batch, _first, _second = paid_batch()
    sheet = load_workbook(io.BytesIO(batch_xlsx(batch))).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Membre" and len(rows) == 4
    assert rows[1][7] == pytest.approx(1234.56)
    assert sum(row[7] for row in rows[1:]) == pytest.approx(1290.00)
