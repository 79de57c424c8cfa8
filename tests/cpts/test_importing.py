"""The pieces every file import shares (cpts/importing.py): the counts of a report, the
refusal message of a confirmed import, and the management command around an import."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cpts.importing import (
    INVALID,
    NEW,
    SKIP,
    UPDATE,
    RowError,
    StatusCounts,
    changed_since_preview,
    quoted_errors,
)


@dataclass(frozen=True)
class _Row:
    status: str
    errors: tuple[RowError, ...] = ()


@dataclass
class _Report(StatusCounts):
    rows: list[_Row] = field(default_factory=list)


def _errors(count: int) -> list[RowError]:
    return [
        RowError(line=index + 2, column="email", reason="adresse invalide")
        for index in range(count)
    ]


def test_counts_follow_the_rows_statuses() -> None:
    bad = RowError(line=4, column="", reason="ligne vide")
    report = _Report(rows=[_Row(NEW), _Row(NEW), _Row(UPDATE), _Row(SKIP), _Row(INVALID, (bad,))])
    assert (report.created, report.updated, report.unchanged, report.invalid) == (2, 1, 1, 1)
    assert report.has_errors and report.errors == [bad]
    assert not _Report(rows=[_Row(NEW), _Row(SKIP)]).has_errors


def test_row_error_names_its_line_and_column() -> None:
    assert str(RowError(3, "email", "adresse invalide")) == "ligne 3, email: adresse invalide"
    assert str(RowError(5, "", "ligne vide")) == "ligne 5: ligne vide"


def test_quoted_errors_stop_at_ten_and_count_the_rest() -> None:
    assert quoted_errors(_errors(2)) == (
        "ligne 2, email: adresse invalide ; ligne 3, email: adresse invalide"
    )
    text = quoted_errors(_errors(13))
    assert text.count("adresse invalide") == 10
    assert "ligne 11, email" in text and "ligne 12, email" not in text
    assert text.endswith("… et 3 autres.")


def test_changed_since_preview_says_nothing_was_written() -> None:
    message = changed_since_preview("créés: 0, mis à jour: 0, inchangés: 1, erreurs: 1", _errors(1))
    assert message == (
        "Import refusé, rien n'a été enregistré : la base a changé depuis l'aperçu. "
        "créés: 0, mis à jour: 0, inchangés: 1, erreurs: 1. ligne 2, email: adresse invalide"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["import_members", "import_indicator_values"])
def test_import_commands_name_an_unreadable_file(command: str, tmp_path: Path) -> None:
    missing = tmp_path / "absent.csv"
    with pytest.raises(CommandError, match=r"Impossible de lire .*absent\.csv"):
        call_command(command, str(missing))
    empty = tmp_path / "vide.csv"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="Le fichier est vide"):
        call_command(command, str(empty))
