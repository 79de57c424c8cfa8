"""``manage.py import_indicator_values FILE [--dry-run]``: output lines and exit codes."""

from __future__ import annotations

from decimal import Decimal as D
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from indicators.models import Measurement, MeasurementSource
from tests.indicators.test_import_helpers import csv_bytes, setup_catalogue, xlsx_bytes

pytestmark = pytest.mark.django_db

ALD = "national_no_mt_ald"
SCREENING = "screening_colorectal_rate"


@pytest.fixture(autouse=True)
def contract(association: Any) -> None:
    setup_catalogue()


def run(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("import_indicator_values", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    path = tmp_path / "cpam-2025.csv"
    path.write_bytes(csv_bytes(f"{ALD};A2;303;;", f"{SCREENING};A2;66,26 %;;"))
    return path


def test_a_good_file_is_imported_and_exits_0(good_file: Path) -> None:
    code, output = run(str(good_file))
    assert code == 0
    assert output.splitlines() == ["nouvelles: 2, modifiées: 0, inchangées: 0, erreurs: 0"]
    assert sorted(Measurement.objects.values_list("value", "source", "source_name")) == [
        (D("66.26"), MeasurementSource.IMPORTED, "cpam-2025.csv"),
        (D("303"), MeasurementSource.IMPORTED, "cpam-2025.csv"),
    ]
    code, output = run(str(good_file))
    assert (code, output.strip()) == (0, "nouvelles: 0, modifiées: 0, inchangées: 2, erreurs: 0")
    assert Measurement.objects.count() == 2


def test_dry_run_writes_nothing(good_file: Path) -> None:
    code, output = run(str(good_file), "--dry-run")
    assert code == 0
    assert output.splitlines() == [
        "nouvelles: 2, modifiées: 0, inchangées: 0, erreurs: 0",
        "Vérification seule : rien n'a été enregistré.",
    ]
    assert not Measurement.objects.exists()


def test_an_xlsx_file(tmp_path: Path) -> None:
    path = tmp_path / "cpam.xlsx"
    path.write_bytes(xlsx_bytes([["indicateur", "période", "valeur"], [ALD, "T1 2025", 12]]))
    assert run(str(path))[0] == 0
    assert Measurement.objects.get().period_key == "2025-T1"


@pytest.mark.parametrize("dry_run", [False, True])
def test_wrong_rows_print_one_line_each_exit_1_and_write_nothing(
    tmp_path: Path, dry_run: bool
) -> None:
    path = tmp_path / "cpam.csv"
    path.write_bytes(csv_bytes(f"{ALD};A2;303;;", f"{SCREENING};A2;101 %;;", "inconnu;A2;1;;"))
    code, output = run(str(path), *(["--dry-run"] if dry_run else []))
    assert code == 1
    assert output.splitlines() == [
        "ligne 3, valeur: Un pourcentage ne peut pas dépasser 100.",
        "ligne 4, indicateur: « inconnu » : indicateur inconnu (ni un code ni un intitulé du "
        "catalogue).",
        "nouvelles: 1, modifiées: 0, inchangées: 0, erreurs: 2",
        "Import refusé : corrigez les lignes en erreur, rien n'a été enregistré.",
    ]
    assert not Measurement.objects.exists()


def test_an_unreadable_or_missing_file_exits_1(tmp_path: Path) -> None:
    code, output = run(str(tmp_path / "absent.csv"))
    assert code == 1 and "Impossible de lire" in output
    empty = tmp_path / "vide.csv"
    empty.write_bytes(b"")
    assert run(str(empty)) == (1, "Le fichier est vide.")
    no_value = tmp_path / "sans-valeur.csv"
    no_value.write_bytes(b"indicateur;periode\r\nx;2025\r\n")
    code, output = run(str(no_value))
    assert code == 1 and "Colonne(s) obligatoire(s) absente(s) : valeur" in output
    assert not Measurement.objects.exists()


def test_the_documented_example_imports_cleanly(tmp_path: Path) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "indicator-import.md").read_text()
    example = doc.split("```csv\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "exemple.csv"
    path.write_text(example, encoding="utf-8")
    code, output = run(str(path))
    assert (code, output.strip()) == (0, "nouvelles: 5, modifiées: 0, inchangées: 0, erreurs: 0")
    assert sorted(Measurement.objects.values_list("period_key", "breakdown", "value")) == [
        ("2025", "", D("66.26")),
        ("2026-T1", "", D("18")),
        ("2026-T1", "Lodève", D("7")),
        ("A2", "", D("303")),
        ("A2", "", D("1234")),
    ]
