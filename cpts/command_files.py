"""Reading and writing the files named on a management command's line: an unreadable or
unwritable file stops the command with a French message (exit code 1), never a traceback."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def read_input(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CommandError(
            _("Impossible de lire %(path)s : %(error)s")
            % {"path": path, "error": error.strerror or error},
            returncode=1,
        ) from error


def write_output(path: Path, content: bytes) -> None:
    try:
        path.write_bytes(content)
    except OSError as error:
        raise CommandError(
            _("Impossible d'écrire %(path)s : %(error)s")
            % {"path": path, "error": error.strerror or error},
            returncode=1,
        ) from error
