"""Running a member import (dry run or for real, all or nothing) and keeping an uploaded file
server-side between the preview and the confirmation (the indicator and SAS imports keep theirs
here too)."""

from __future__ import annotations

import csv
import datetime
import io
import logging
import re
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tablib
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from import_export.results import Result, RowResult

from cpts.importing import INVALID, NEW, SKIP, UPDATE, RowError, StatusCounts
from cpts.models import User
from members.importing import LINE_COLUMN
from members.resources import ATTRIBUTE_COLUMNS, MemberResource

logger = logging.getLogger(__name__)

PENDING_FOLDER = "imports"
PENDING_MAX_AGE = datetime.timedelta(days=1)
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
PENDING_PER_SESSION = 5  # an uploader's session remembers its last five previewed files


@dataclass(frozen=True)
class RowReport:
    line: int
    status: str  # NEW, UPDATE, SKIP or INVALID
    name: str
    errors: tuple[RowError, ...] = ()


@dataclass
class ImportReport(StatusCounts):
    """Every row of a file with what the import does (or would do) with it."""

    dry_run: bool
    rows: list[RowReport] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return _(
            "créés: %(new)s, mis à jour: %(update)s, inchangés: %(skip)s, erreurs: %(invalid)s"
        ) % {
            "new": self.created,
            "update": self.updated,
            "skip": self.unchanged,
            "invalid": self.invalid,
        }


def run_import(
    dataset: tablib.Dataset,
    *,
    dry_run: bool,
    user: User | None = None,
    today: datetime.date | None = None,
) -> ImportReport:
    """Import (or, with ``dry_run``, only check) every row. For real, nothing is written
    unless every row is valid: all or nothing, in one transaction. A dry run checks every
    row without writing (fast enough for the preview page); what only the database could
    refuse is then caught by the real import, which writes nothing in that case."""
    resource = MemberResource(user=user, today=today, check_only=dry_run)
    with transaction.atomic():
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            use_transactions=True,
            rollback_on_validation_errors=True,
        )
        report = _report(result, dry_run)
        if dry_run or report.has_errors:
            transaction.set_rollback(True)
    return report


def report_csv(report: ImportReport) -> bytes:
    """The outcome of every row as a CSV file (``;``, UTF-8 with BOM, for Excel)."""
    labels = {
        NEW: _("à créer") if report.dry_run else _("créé"),
        UPDATE: _("à mettre à jour") if report.dry_run else _("mis à jour"),
        SKIP: _("inchangé"),
        INVALID: _("erreur"),
    }
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("ligne"), _("membre"), _("résultat"), _("colonne"), _("raison")])
    for row in report.rows:
        if not row.errors:
            writer.writerow([row.line, row.name, labels[row.status], "", ""])
        for error in row.errors:
            writer.writerow([row.line, row.name, labels[row.status], error.column, error.reason])
    writer.writerow([])
    writer.writerow([report.summary])
    return ("\ufeff" + output.getvalue()).encode("utf-8")


def _report(result: Result, dry_run: bool) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    for error in result.base_errors:
        logger.error("Member import failed: %s", error.error, exc_info=error.error)
        report.rows.append(
            RowReport(0, INVALID, "", (RowError(0, "", _("le fichier n'a pas pu être importé.")),))
        )
    for row_result in result.rows:
        values: dict[str, Any] = row_result.row_values or {}
        line = int(values.get(LINE_COLUMN) or 0)
        name = row_result.object_repr or _row_name(values)
        if row_result.import_type in (NEW, UPDATE, SKIP):
            report.rows.append(RowReport(line, row_result.import_type, name))
            continue
        report.rows.append(RowReport(line, INVALID, name, _row_errors(line, row_result)))
    return report


def _row_errors(line: int, row_result: RowResult) -> tuple[RowError, ...]:
    errors: list[RowError] = []
    if isinstance(row_result.validation_error, ValidationError):
        error = row_result.validation_error
        by_column = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        for key, messages in by_column.items():
            column = "" if key == NON_FIELD_ERRORS else ATTRIBUTE_COLUMNS.get(key, key)
            errors.extend(RowError(line, column, str(message)) for message in messages)
    for failure in row_result.errors:
        logger.error("Member import row %s failed", line, exc_info=failure.error)
        errors.append(RowError(line, "", _("erreur à l'enregistrement de cette ligne.")))
    return tuple(errors) or (RowError(line, "", _("ligne refusée.")),)


def _row_name(values: dict[str, Any]) -> str:
    person = " ".join(str(values.get(key) or "") for key in ("prenom", "nom")).strip()
    return person or str(values.get("raison_sociale") or "")


# -- files kept between the preview and the confirmation ----------------------------------


def _pending_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / PENDING_FOLDER


def store_pending(content: bytes) -> str:
    """Keep an uploaded file until it is confirmed; returns its unguessable token."""
    folder = _pending_dir()
    folder.mkdir(parents=True, exist_ok=True)
    _prune(folder)
    token = secrets.token_urlsafe(24)
    (folder / token).write_bytes(content)
    return token


def load_pending(token: str) -> bytes | None:
    if not _TOKEN_RE.match(token or ""):
        return None
    path = _pending_dir() / token
    return path.read_bytes() if path.is_file() else None


def discard_pending(token: str) -> None:
    if _TOKEN_RE.match(token or ""):
        (_pending_dir() / token).unlink(missing_ok=True)


def remember_pending(session: SessionBase, key: str, content: bytes, **entry: Any) -> str:
    """Keep an uploaded file until it is confirmed and note its token, with ``entry`` (its
    name…), in the uploader's session under ``key``; returns the token."""
    token = store_pending(content)
    pending = dict(session.get(key, {}))
    pending[token] = entry
    session[key] = dict(list(pending.items())[-PENDING_PER_SESSION:])
    return token


def take_pending(session: SessionBase, key: str, token: str) -> tuple[dict[str, Any], bytes] | None:
    """The entry and the bytes of a file kept by ``remember_pending``, its token then
    forgotten by the session (the file itself stays until ``discard_pending``); None when this
    session does not know the token or the file is gone."""
    pending: dict[str, dict[str, Any]] = dict(session.get(key, {}))
    entry = pending.get(token)
    content = load_pending(token) if entry else None
    if entry is None or content is None:
        return None
    pending.pop(token)
    session[key] = pending
    return entry, content


def _prune(folder: Path) -> None:
    """Forget files uploaded more than a day ago and never confirmed."""
    limit = time.time() - PENDING_MAX_AGE.total_seconds()
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
