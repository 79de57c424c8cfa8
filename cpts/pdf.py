"""The one PDF rendering service of Maillage: a Django template rendered by WeasyPrint.

Every PDF of the project goes through ``render_pdf``. Resources are read from disk only:

- ``/static/…`` (``STATIC_URL``) from Django's staticfiles finders, then ``STATIC_ROOT``;
- ``/media/…`` (``MEDIA_URL``) from ``MEDIA_ROOT`` (e.g. the association's logo);
- ``data:`` URIs as they are.

Anything else (``http(s)://``, other files of the machine, unknown paths) stops the rendering
with a ``PdfResourceError``: the worker never reaches the network and a broken reference is
found by the tests instead of producing a PDF with a hole in it. Fonts are the system's
(DejaVu Sans, Debian package fonts-dejavu-core), found by fontconfig: no web fonts.
"""

from __future__ import annotations

import mimetypes
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import translation
from django.utils._os import safe_join
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

# Relative references ("/static/css/print.css") are resolved against this base, so the
# fetcher sees "file:///static/css/print.css" and maps it to the real file below.
BASE_URL = "file:///"


class PdfResourceError(Exception):
    """A template referenced a resource the PDF renderer refuses or cannot find.

    This is a programming or deployment error (the job pipeline logs it and shows the person a
    generic message), so its text is written for the technical team."""


def _url_prefix(setting_value: str) -> str:
    """The path part of STATIC_URL / MEDIA_URL, with one leading and one trailing slash."""
    path = urlsplit(setting_value).path.strip("/")
    return f"/{path}/" if path else "/"


def _relative_path(path: str, prefix: str) -> str | None:
    """The path below ``prefix``, or None when outside it or trying to climb out of it."""
    if not path.startswith(prefix):
        return None
    relative = unquote(path[len(prefix) :])
    if not relative or ".." in relative.split("/") or "\\" in relative:
        return None
    return posixpath.normpath(relative)


def _static_file(relative: str) -> Path | None:
    found = finders.find(relative)
    if isinstance(found, str) and Path(found).is_file():
        return Path(found)
    if settings.STATIC_ROOT:
        try:
            candidate = Path(safe_join(str(settings.STATIC_ROOT), relative))
        except SuspiciousFileOperation:
            return None
        if candidate.is_file():
            return candidate
    return None


def _media_file(relative: str) -> Path | None:
    try:
        candidate = Path(safe_join(str(settings.MEDIA_ROOT), relative))
    except SuspiciousFileOperation:
        return None
    return candidate if candidate.is_file() else None


def resolve_local_url(url: str) -> Path:
    """The file on disk behind a ``file:///static/…`` or ``file:///media/…`` URL.

    Raises PdfResourceError for any other URL or for a file that does not exist."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in {"", "localhost"}:
        raise PdfResourceError(
            f"PDF resource refused: {url!r}. Only /static/… files, /media/… files and data: "
            "URIs are allowed; the PDF renderer never uses the network."
        )
    static_relative = _relative_path(parts.path, _url_prefix(settings.STATIC_URL))
    if static_relative is not None:
        found = _static_file(static_relative)
        if found is None:
            raise PdfResourceError(f"PDF resource not found among static files: {url!r}.")
        return found
    media_relative = _relative_path(parts.path, _url_prefix(settings.MEDIA_URL))
    if media_relative is not None:
        found = _media_file(media_relative)
        if found is None:
            raise PdfResourceError(f"PDF resource not found in MEDIA_ROOT: {url!r}.")
        return found
    raise PdfResourceError(
        f"PDF resource refused: {url!r} is neither under STATIC_URL nor under MEDIA_URL."
    )


class LocalURLFetcher(URLFetcher):
    """WeasyPrint URL fetcher reading static and media files from disk; nothing else."""

    def __init__(self) -> None:
        super().__init__(
            allowed_protocols={"data", "file"}, allow_redirects=False, fail_on_errors=True
        )

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        path = resolve_local_url(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )


def render_html(template_name: str, context: dict[str, Any] | None = None) -> str:
    """The HTML given to WeasyPrint, rendered in the project's language (French)."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(template_name, context or {})


def render_pdf(template_name: str, context: dict[str, Any] | None = None) -> bytes:
    """Render a template (normally extending ``pdf/base_pdf.html``) to PDF bytes."""
    html = render_html(template_name, context)
    try:
        pdf = HTML(string=html, base_url=BASE_URL, url_fetcher=LocalURLFetcher()).write_pdf()
    except FatalURLFetchingError as exc:
        # WeasyPrint stops on the first refused resource with a BaseException; turn it back
        # into an ordinary error so the job pipeline records the failure.
        raise PdfResourceError(str(exc.__cause__ or exc)) from exc
    if pdf is None:  # only when a target file is given, which we never do
        raise PdfResourceError("WeasyPrint returned no PDF bytes.")
    return pdf
