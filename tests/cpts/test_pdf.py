"""The PDF rendering service (local resources only, print stylesheet, French rendering) and the
identity sheet's PDF. The job pages are tested in test_documents.py."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from PIL import Image

from cpts.documents import build_identity_sheet
from cpts.models import Commune, GeneratedDocument
from cpts.pdf import LocalURLFetcher, PdfResourceError, render_html, render_pdf, resolve_local_url
from cpts.services.documents import run_document
from cpts.services.territory import add_communes
from tests.pdf_utils import normalize_whitespace, pdf_page_count, pdf_text


def _png_bytes(width: int = 8, height: int = 8) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (29, 78, 137)).save(buffer, format="PNG")
    return buffer.getvalue()


def _cœur_d_herault_codes() -> list[str]:
    """The 77 communes of the Pays Cœur d'Hérault's three EPCI (86 257 inhabitants)."""
    communes = Commune.objects.filter(epci_siren__in=["243400355", "200017341", "243400694"])
    return list(communes.order_by("insee_code").values_list("insee_code", flat=True))


@pytest.fixture
def pdf_templates(settings, tmp_path: Path) -> Path:
    """A template directory searched before the project's, for throw-away test templates."""
    directory = tmp_path / "templates"
    directory.mkdir()
    engine: dict[str, Any] = dict(django_settings.TEMPLATES[0])
    engine["DIRS"] = [directory, *engine["DIRS"]]
    settings.TEMPLATES = [engine]
    return directory


@pytest.fixture
def media_root(settings, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    (root / "association").mkdir(parents=True)
    settings.MEDIA_ROOT = root
    return root


def _write(directory: Path, name: str, body: str) -> str:
    (directory / name).write_text(
        '{% extends "pdf/base_pdf.html" %}{% block content %}' + body + "{% endblock %}",
        encoding="utf-8",
    )
    return name


def _context(**extra: object) -> dict[str, object]:
    from django.utils import timezone

    class _Association:
        name = "CPTS du Cœur d'Hérault"

    return {
        "association": _Association(),
        "document_title": "Document d'essai",
        "generated_at": timezone.now(),
        **extra,
    }


# --- The URL fetcher ---


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/logo.png",
        "https://example.com/style.css",
        "ftp://example.com/file",
        "file:///etc/passwd",
        "file://otherhost/static/css/print.css",
        "file:///static/../cpts/settings.py",
        "file:///static/%2e%2e/cpts/settings.py",
        "file:///media/../db.sqlite3",
        "file:///ailleurs/print.css",
    ],
)
def test_fetcher_refuses_everything_but_local_static_media_and_data(url, media_root):
    with pytest.raises(PdfResourceError):
        LocalURLFetcher().fetch(url)


def test_fetcher_error_message_is_clear_about_the_network():
    with pytest.raises(PdfResourceError, match="never uses the network"):
        LocalURLFetcher().fetch("http://example.com/logo.png")


def test_fetcher_reads_static_files_through_the_finders():
    response = LocalURLFetcher().fetch("file:///static/css/print.css")
    assert response.content_type == "text/css"
    assert b"@page" in response.read()
    assert resolve_local_url("file:///static/css/print.css").name == "print.css"


def test_fetcher_falls_back_to_static_root(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "print.0123abcd.css").write_text("@page { size: A4 }")
    assert resolve_local_url("file:///static/css/print.0123abcd.css").parent == tmp_path / "css"


def test_fetcher_reports_a_missing_static_file():
    with pytest.raises(PdfResourceError, match="not found among static files"):
        LocalURLFetcher().fetch("file:///static/css/absent.css")


def test_fetcher_reads_media_files(media_root):
    (media_root / "association" / "logo.png").write_bytes(_png_bytes())
    response = LocalURLFetcher().fetch("file:///media/association/logo.png")
    assert response.content_type == "image/png"
    assert response.read() == _png_bytes()
    with pytest.raises(PdfResourceError, match="MEDIA_ROOT"):
        LocalURLFetcher().fetch("file:///media/association/absent.png")


def test_fetcher_accepts_data_uris():
    encoded = base64.b64encode(b"body { color: red }").decode()
    response = LocalURLFetcher().fetch(f"data:text/css;base64,{encoded}")
    assert response.read() == b"body { color: red }"


# --- render_pdf ---


def test_render_pdf_applies_the_print_stylesheet_header_and_footer(pdf_templates):
    name = _write(pdf_templates, "essai.html", "<h1>Bonjour</h1><p>Texte d'essai.</p>")
    content = render_pdf(name, _context())
    assert content.startswith(b"%PDF-")
    assert pdf_page_count(content) == 1
    text = pdf_text(content)
    assert "Bonjour" in text
    # Header (running element) and footer with the page counters come from print.css.
    assert text.count("CPTS du Cœur d'Hérault") == 1
    assert "Document d'essai" in text
    assert "page 1 / 1" in text
    assert "Document généré par Maillage le" in text


def test_render_pdf_counts_pages(pdf_templates):
    body = "".join(f"<p style='break-after: page'>Page {n}</p>" for n in range(3))
    content = render_pdf(_write(pdf_templates, "pages.html", body), _context())
    assert pdf_page_count(content) == 3
    assert "page 3 / 3" in pdf_text(content)


def test_render_pdf_embeds_media_and_data_images(pdf_templates, media_root):
    (media_root / "association" / "logo.png").write_bytes(_png_bytes())
    data_uri = "data:image/png;base64," + base64.b64encode(_png_bytes()).decode()
    name = _write(
        pdf_templates,
        "images.html",
        f'<img src="/media/association/logo.png" alt="logo"><img src="{data_uri}" alt="data">',
    )
    content = render_pdf(name, _context())
    assert content.count(b"/Subtype /Image") == 2


def test_render_pdf_refuses_a_remote_resource_instead_of_fetching_it(pdf_templates):
    name = _write(pdf_templates, "distant.html", '<img src="http://example.com/logo.png">')
    with pytest.raises(PdfResourceError, match=r"example\.com"):
        render_pdf(name, _context())


def test_render_pdf_speaks_french_whatever_the_active_language(pdf_templates):
    from django.utils import translation

    name = _write(pdf_templates, "nombre.html", "{% load humanize %}<p>{{ n|intcomma }}</p>")
    with translation.override("en"):
        html = render_html(name, _context(n=23363))
    assert "23\u202f363" in html or "23\xa0363" in html
    assert normalize_whitespace("23\u202f363") == "23 363"


# --- The identity sheet's PDF (built directly; the end-to-end flow is in test_documents) ---


def test_the_whole_demo_territory_of_77_communes_still_fits_one_page(association):
    add_communes(association, _cœur_d_herault_codes())
    assert association.territory_links.count() == 77
    association.logo.save("logo.png", ContentFile(_png_bytes(400, 400)))  # a tall logo
    document = GeneratedDocument.objects.create(kind="identity_sheet")
    assert run_document(document.pk) == GeneratedDocument.Status.DONE
    document.refresh_from_db()
    content = document.file.read()
    assert pdf_page_count(content) == 1
    text = pdf_text(content)
    assert "86 257" in text
    assert "T3" in text


def test_communes_are_listed_in_french_alphabetical_order(association):
    add_communes(association, ["34029", "34041"])  # Bélarga, Brignac
    _name, content = build_identity_sheet(
        GeneratedDocument.objects.create(kind="identity_sheet"), lambda _p, _s: None
    )
    text = pdf_text(content)
    order = [text.index(name) for name in ("Bélarga", "Brignac", "Clermont-l'Hérault", "Gignac")]
    assert order == sorted(order)


def test_builder_reports_its_steps_in_french(association):
    steps: list[tuple[int, str]] = []
    document = GeneratedDocument.objects.create(kind="identity_sheet")
    name, content = build_identity_sheet(document, lambda p, s: steps.append((p, s)))
    assert steps == [(10, "Lecture de l'identité"), (50, "Territoire"), (80, "Mise en page")]
    assert re.fullmatch(r"fiche-identite-cpts-\d{4}-\d{2}-\d{2}\.pdf", name)
    assert content.startswith(b"%PDF-")


def test_identity_sheet_shows_the_logo_when_its_file_exists(association, media_root):
    association.logo.save("logo.png", ContentFile(_png_bytes(40, 20)))
    document = GeneratedDocument.objects.create(kind="identity_sheet")
    _name, with_logo = build_identity_sheet(document, lambda _p, _s: None)
    assert with_logo.count(b"/Subtype /Image") == 1

    Path(association.logo.path).unlink()  # a lost file is skipped, not a failure
    _name, without_logo = build_identity_sheet(document, lambda _p, _s: None)
    assert without_logo.count(b"/Subtype /Image") == 0


# --- The poppler helpers themselves ---


def test_missing_poppler_skips_loudly_or_fails_under_require_browser(monkeypatch):
    from tests import pdf_utils

    monkeypatch.setattr(pdf_utils.shutil, "which", lambda _tool: None)
    monkeypatch.delenv("REQUIRE_BROWSER", raising=False)
    with (
        pytest.warns(UserWarning, match="PDF CHECKS NOT RUN"),
        pytest.raises(pytest.skip.Exception),
    ):
        pdf_utils.require_poppler()
    monkeypatch.setenv("REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="forbids skipping"):
        pdf_utils.require_poppler()
