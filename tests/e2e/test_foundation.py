"""The foundation's key flows in a real browser: the coordinator logs in, reads the dashboard,
extends the territory with the autocomplete and downloads the identity sheet; an adherent
lands on the portal."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cpts.models import Association, Commune, User
from cpts.selectors.territory import territory_summary
from tests.pdf_utils import pdf_text

pytestmark = pytest.mark.browser

ADDED_INSEE = "34010"  # Aniane (Hérault), next to Gignac


def _number(value: int) -> re.Pattern[str]:
    """The whole text of a number printed with any thousands separator: 30521 → "30 521"."""
    groups = f"{value:,}".split(",")
    return re.compile(r"^\s*" + r"\D?".join(groups) + r"\s*$")


def test_coordinator_extends_territory_and_downloads_identity_sheet(
    page: Any,
    log_in: Callable[[User], None],
    association: Association,
    coordinator: User,
    tmp_path: Path,
) -> None:
    before = territory_summary(association)
    added = Commune.objects.get(insee_code=ADDED_INSEE)

    log_in(coordinator)
    expect(page).to_have_url(re.compile(re.escape(reverse("backoffice_home")) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(association.name)
    summary = page.get_by_test_id("dashboard-territory")
    expect(summary).to_contain_text(f"{before.commune_count} communes")
    expect(summary).to_contain_text(f"taille ACI {before.taille}")

    page.get_by_role("link", name="Gérer le territoire").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("territory")) + "$"))
    expect(page.get_by_test_id("commune-count")).to_have_text(str(before.commune_count))

    page.get_by_label("Rechercher une commune").press_sequentially("anian", delay=30)
    results = page.get_by_test_id("search-results")
    expect(results).to_contain_text(added.name)
    results.locator(f"button[data-insee='{ADDED_INSEE}']").click()

    expect(page.get_by_test_id("commune-count")).to_have_text(str(before.commune_count + 1))
    expect(page.get_by_test_id("population")).to_have_text(
        _number(before.population + added.population)
    )
    assert territory_summary(association).commune_count == before.commune_count + 1

    page.get_by_role("button", name=re.compile("Fiche d'identité de la CPTS")).click()
    expect(page).to_have_url(re.compile(r"/documents/\d+/$"))
    expect(page.locator("#document-progress")).to_have_attribute(
        "data-status", "done", timeout=60_000
    )
    download_link = page.get_by_role("link", name="Télécharger")
    with page.expect_download() as download_info:
        download_link.click()
    pdf_path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(pdf_path)

    assert pdf_path.suffix == ".pdf"
    text = pdf_text(pdf_path.read_bytes())
    assert "Fiche d'identité de la CPTS" in text
    assert association.name in text
    assert added.name in text


def test_adherent_lands_on_portal(
    page: Any, log_in: Callable[[User], None], association: Association, adherent: User
) -> None:
    log_in(adherent)
    expect(page).to_have_url(re.compile(re.escape(reverse("portal_home")) + "$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    expect(page.get_by_text(f"Votre espace adhérent de la {association.name}")).to_be_visible()
