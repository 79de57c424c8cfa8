"""What every file import shares, whatever it reads: the size limit, the error a reader raises
when the file as a whole cannot be used, the outcome of a row (its status and errors), the
counts of a report, the refusal of a confirmed import whose rows no longer pass, and the
management command around an import (the readers and the writes live in the apps:
``members.importing``, ``indicators.importing``, ``registries.importing``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from cpts.command_files import read_input

MAX_BYTES = 10 * 1024 * 1024
NEW, UPDATE, SKIP, INVALID = "new", "update", "skip", "invalid"
SHOWN_ERRORS = 10  # errors quoted in a refused job's message; the outcome file has them all


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, encoding, headers): a French message."""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str  # a template column, or "" when the reason concerns the whole row
    reason: str

    def __str__(self) -> str:
        if self.column:
            return _("ligne %(line)s, %(column)s: %(reason)s") % {
                "line": self.line,
                "column": self.column,
                "reason": self.reason,
            }
        return _("ligne %(line)s: %(reason)s") % {"line": self.line, "reason": self.reason}


class ReportedRow(Protocol):
    @property
    def status(self) -> str: ...  # NEW, UPDATE, SKIP or INVALID

    @property
    def errors(self) -> tuple[RowError, ...]: ...


class StatusCounts:
    """The counts of an import report, whose ``rows`` each carry a status and errors."""

    rows: Sequence[ReportedRow]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def created(self) -> int:
        return self.count(NEW)

    @property
    def updated(self) -> int:
        return self.count(UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(SKIP)

    @property
    def invalid(self) -> int:
        return self.count(INVALID)

    @property
    def errors(self) -> list[RowError]:
        return [error for row in self.rows for error in row.errors]

    @property
    def has_errors(self) -> bool:
        return self.invalid > 0


def quoted_errors(errors: Sequence[RowError]) -> str:
    """The first errors, joined for a one-line message, with how many more there are."""
    lines = [str(error) for error in errors[:SHOWN_ERRORS]]
    if len(errors) > SHOWN_ERRORS:
        lines.append(_("… et %(count)s autres.") % {"count": len(errors) - SHOWN_ERRORS})
    return " ; ".join(lines)


def changed_since_preview(summary: str, errors: Sequence[RowError]) -> str:
    """Why a confirmed import wrote nothing although its preview passed."""
    return _(
        "Import refusé, rien n'a été enregistré : la base a changé depuis l'aperçu. "
        "%(summary)s. %(errors)s"
    ) % {"summary": summary, "errors": quoted_errors(errors)}


class ImportReportLike(Protocol):
    @property
    def errors(self) -> list[RowError]: ...

    @property
    def has_errors(self) -> bool: ...

    @property
    def summary(self) -> str: ...


class FileImportCommand(BaseCommand):
    """``manage.py <command> FILE [--dry-run]``: reads the file, prints one line per error
    (``ligne N, colonne: raison``) and the summary; exits 1 and writes nothing when any row is
    wrong. A subclass reads and imports the content in ``run_import``."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Fichier .xlsx ou .csv")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Vérifie le fichier et affiche ce qui serait fait, sans rien enregistrer.",
        )

    def run_import(self, content: bytes, filename: str, *, dry_run: bool) -> ImportReportLike:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        content = read_input(path)
        try:
            report = self.run_import(content, path.name, dry_run=options["dry_run"])
        except ImportFileError as error:
            raise CommandError(str(error), returncode=1) from error
        for row_error in report.errors:
            self.stdout.write(str(row_error))
        self.stdout.write(report.summary)
        if report.has_errors:
            raise CommandError(
                _("Import refusé : corrigez les lignes en erreur, rien n'a été enregistré."),
                returncode=1,
            )
        if options["dry_run"]:
            self.stdout.write(_("Vérification seule : rien n'a été enregistré."))
