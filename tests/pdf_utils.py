"""Helpers reading generated PDFs with poppler-utils (``pdftotext``, ``pdfinfo``).

When poppler is missing the calling test is skipped with a loud reason, unless
``REQUIRE_BROWSER=1`` (set by CI): then it fails, so CI never silently skips PDF checks.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path

import pytest

POPPLER_TOOLS = ("pdftotext", "pdfinfo")


def require_poppler() -> None:
    """Skip (or fail under REQUIRE_BROWSER=1) when pdftotext/pdfinfo are not installed."""
    missing = [tool for tool in POPPLER_TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    reason = (
        f"PDF CHECKS NOT RUN: {', '.join(missing)} not found. "
        "Install poppler-utils (apt-get install poppler-utils) to run them."
    )
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(reason + " REQUIRE_BROWSER=1 forbids skipping.")
    warnings.warn(reason, stacklevel=2)
    pytest.skip(reason)


PDF_PLACEHOLDER = "{pdf}"


def _run_on_pdf(content: bytes, command: list[str]) -> str:
    """Run a poppler tool on ``content`` (written to a temporary file that replaces the
    ``{pdf}`` argument) and return its standard output."""
    require_poppler()
    assert content.startswith(b"%PDF-"), "not a PDF file"
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "document.pdf"
        path.write_bytes(content)
        arguments = [str(path) if arg == PDF_PLACEHOLDER else arg for arg in command]
        result = subprocess.run(arguments, capture_output=True, check=True, timeout=60)
    return result.stdout.decode("utf-8")


def normalize_whitespace(text: str) -> str:
    """One plain space for every run of whitespace, including the no-break spaces (U+00A0,
    U+202F) French typography uses as thousands separator and before « : »."""
    return " ".join(text.split())


def pdf_text(content: bytes) -> str:
    """The text of every page, whitespace normalised (so "23 363" matches "23\u202f363")."""
    raw = _run_on_pdf(content, ["pdftotext", "-enc", "UTF-8", "-q", PDF_PLACEHOLDER, "-"])
    return normalize_whitespace(raw)


def pdf_page_count(content: bytes) -> int:
    info = _run_on_pdf(content, ["pdfinfo", PDF_PLACEHOLDER])
    match = re.search(r"^Pages:\s+(\d+)$", info, flags=re.MULTILINE)
    assert match, f"pdfinfo gave no page count:\n{info}"
    return int(match.group(1))


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page (pdftotext ends every page with a form feed), whitespace
    normalised; ``pdf_pages(pdf)[0]`` is page 1."""
    raw = _run_on_pdf(content, ["pdftotext", "-enc", "UTF-8", "-q", PDF_PLACEHOLDER, "-"])
    return [normalize_whitespace(page) for page in raw.split("\f")[:-1]]
