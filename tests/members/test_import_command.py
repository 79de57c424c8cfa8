"""``manage.py import_members FILE [--dry-run]``: output lines and exit codes."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cpts.models import Association
from members.models import Adhesion, Member
from tests.members.test_import_helpers import FILES, good_csv, setup_reference_data, with_row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reference(association: Association) -> None:
    setup_reference_data()


def run(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("import_members", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def test_a_good_file_is_imported_and_exits_0() -> None:
    code, output = run(str(FILES / "membres.csv"))
    assert code == 0
    assert output.splitlines() == ["créés: 4, mis à jour: 0, inchangés: 0, erreurs: 0"]
    assert Member.objects.count() == 4
    code, output = run(str(FILES / "membres.xlsx"))
    assert (code, output.strip()) == (0, "créés: 0, mis à jour: 0, inchangés: 4, erreurs: 0")


def test_dry_run_writes_nothing() -> None:
    code, output = run(str(FILES / "membres.xlsx"), "--dry-run")
    assert code == 0
    assert output.splitlines()[0] == "créés: 4, mis à jour: 0, inchangés: 0, erreurs: 0"
    assert "rien n'a été enregistré" in output
    assert not Member.objects.exists()


def test_wrong_rows_print_one_line_each_exit_1_and_write_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "membres.csv"
    bad.write_bytes(
        with_row({"type": "personne", "nom": "X", "rpps": "123", "email": "pas-une-adresse"})
    )
    code, output = run(str(bad))
    assert code == 1
    lines = output.splitlines()
    assert lines[:3] == [
        "ligne 6, rpps: le RPPS doit comporter exactement 11 chiffres.",
        "ligne 6, email: « pas-une-adresse » n'est pas une adresse e-mail valide.",
        "créés: 4, mis à jour: 0, inchangés: 0, erreurs: 1",
    ]
    assert not Member.objects.exists() and not Adhesion.objects.exists()
    code, _ = run(str(bad), "--dry-run")
    assert code == 1


def test_an_unreadable_or_missing_file_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "membres.csv"
    bad.write_bytes(b"nom;prenom\r\nX;Y\r\n")
    code, output = run(str(bad))
    assert code == 1 and "« type »" in output
    code, output = run(str(tmp_path / "absent.csv"))
    assert code == 1 and "Impossible de lire" in output
    assert good_csv()  # the sample file itself is untouched
