"""The activity reports in a real browser: the président of the demo CPTS opens « Rapports »,
generates the ACI report of a contract year, waits on the progress page and downloads the
PDF, whose text carries the report's sections and the database's figures.

Jobs run eagerly in the live server's thread (tests/conftest.py forces it even when REDIS_URL
points Celery at a broker): the progress page is waited on through its ``data-status``."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cpts.models import GeneratedDocument
from cpts.services.demo import DEMO_PASSWORD
from members.selectors.statistics import member_counts
from missions.selectors.contract import current_contract
from reports.documents import ACI_KIND
from reports.sections.aci import ACI_SECTIONS
from tests.conftest import ensure_reference_data
from tests.pdf_utils import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PRESIDENT = "presidence@cpts-demo.fr"


@pytest.fixture
def demo() -> None:
    ensure_reference_data()  # an earlier browser test's flush emptied the professions
    call_command("seed_demo", stdout=StringIO())


def _open_reports(page: Any) -> None:
    navigation = page.get_by_role("navigation")
    navigation.get_by_role("button", name="Rapports", exact=True).click()
    navigation.get_by_role("link", name="Rapports d'activité", exact=True).click()


def test_president_generates_and_downloads_the_aci_report(
    page: Any, demo: None, tmp_path: Path
) -> None:
    page.goto(reverse("account_login"))
    page.locator("input[name=login]").fill(PRESIDENT)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()

    _open_reports(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapports d'activité")
    form = page.get_by_test_id("aci-report-form")
    form.get_by_label("Année du contrat").select_option("2")
    form.get_by_role("button", name="Générer le rapport ACI").click()

    expect(page).to_have_url(re.compile(r"/documents/\d+/$"))
    expect(page.locator("#document-progress")).to_have_attribute(
        "data-status", "done", timeout=60_000
    )
    document = GeneratedDocument.objects.get(kind=ACI_KIND)
    assert document.requested_by is not None and document.requested_by.email == PRESIDENT
    assert document.parameters["contract_year"] == 2

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger").click()
    download = download_info.value
    assert download.suggested_filename.startswith("rapport-activite-aci-annee-2-")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    text = pdf_text(target.read_bytes())
    for section in ACI_SECTIONS:
        assert str(section.title) in text
    contract = current_contract()
    assert contract is not None
    year = contract.years.get(number=2)
    on = min(year.end, timezone.localdate())
    assert f"Cotisations {on.year} encaissées {member_counts(on).active} " in text

    # The version is listed on the reports page with its parameters.
    _open_reports(page)
    row = page.locator(f"tr[data-document='{document.pk}']")
    expect(row).to_contain_text("Année 2 du contrat")
