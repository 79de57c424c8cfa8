"""What every file import shares, whatever it reads: the size limit and the error a reader
raises when the file as a whole cannot be used (the readers live in the apps:
``members.importing``, ``indicators.importing``, ``registries.importing``)."""

from __future__ import annotations

MAX_BYTES = 10 * 1024 * 1024


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, encoding, headers): a French message."""
