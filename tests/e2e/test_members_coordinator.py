"""The coordinator's membership work in a real browser: import a spreadsheet of members
(preview, then confirmation), record a member's fee payment, then request the member's
attestation and download it once the progress page reports it ready."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from playwright.sync_api import expect

import cpts.tasks
from cpts.models import Association, User
from cpts.services.documents import run_document
from members.models import Adhesion, FeeRule, Member
from members.models.adhesions import PaymentMethod
from members.models.reference import MemberKind
from tests.factories import UserFactory
from tests.pdf_utils import pdf_text

pytestmark = pytest.mark.browser

TEMPLATE = Path(settings.BASE_DIR) / "members" / "data" / "modele-import-membres.csv"
FEE = Decimal("20.00")


def _template_headers() -> list[str]:
    """The header row of the downloadable import template, as a coordinator copies it."""
    first_line = TEMPLATE.read_text(encoding="utf-8-sig").splitlines()[0]
    return first_line.split(";")


def _members_workbook(path: Path, joined_on: datetime.date) -> Path:
    """Two health professionals with their RPPS and one structure, nothing paid yet; the
    joining date is a real date cell, as Excel stores it."""
    headers = _template_headers()
    rows: list[dict[str, str | datetime.date]] = [
        {
            "type": "personne",
            "civilite": "Mme",
            "nom": "Martin",
            "prenom": "Claire",
            "profession": "Infirmière",
            "rpps": "10001234567",
            "email": "claire.martin@exemple.fr",
            "code_postal": "34700",
            "commune": "Lodève",
            "mode_exercice": "libéral",
            "date_adhesion": joined_on,
            "cotisation_payee": "non",
        },
        {
            "type": "personne",
            "civilite": "M.",
            "nom": "Durand",
            "prenom": "Paul",
            "profession": "Médecin généraliste",
            "rpps": "10009876543",
            "email": "paul.durand@exemple.fr",
            "code_postal": "34800",
            "commune": "Clermont-l'Hérault",
            "mode_exercice": "salarié",
            "date_adhesion": joined_on,
        },
        {
            "type": "structure",
            "raison_sociale": "Maison de santé du Lodévois",
            "finess": "340012345",
            "siret": "73282932000074",
            "email": "contact@msp-lodevois.fr",
            "code_postal": "34700",
            "commune": "Lodève",
            "structure": "MSP",
            "date_adhesion": joined_on,
        },
    ]
    assert all(set(row) <= set(headers) for row in rows)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Membres"
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header, "") for header in headers])
    workbook.save(path)
    return path


def test_coordinator_imports_members_records_a_payment_and_downloads_an_attestation(
    page: Any,
    log_in: Callable[[User], None],
    association: Association,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    coordinator: User = UserFactory.create(is_staff=True)
    today = timezone.localdate()
    year = today.year
    FeeRule.objects.create(year=year, amount=FEE)
    workbook = _members_workbook(tmp_path / "adherents.xlsx", today)

    log_in(coordinator)

    # 1. Import: upload, preview of the three rows to create, confirmation, summary.
    page.goto(reverse("member_import"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Importer des membres")
    page.get_by_label("Fichier des membres (.xlsx ou .csv)").set_input_files(str(workbook))
    page.get_by_role("button", name="Voir l'aperçu").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Aperçu de l'import")
    expect(page.get_by_text("adherents.xlsx · 3 lignes")).to_be_visible()
    expect(page.locator("[data-count=new]")).to_have_text("3")
    expect(page.locator("[data-count=invalid]")).to_have_text("0")
    rows = page.locator("#import-rows tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="à créer")).to_have_count(3)
    assert not Member.objects.exists(), "the preview must not write anything"

    page.get_by_role("button", name="Confirmer l'import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import terminé")
    expect(page.get_by_role("alert").filter(has_text="Import terminé")).to_be_visible()
    expect(page.locator("[data-count=new]")).to_have_text("3")
    expect(page.locator("#import-rows tbody tr").filter(has_text="créé")).to_have_count(3)

    members = {member.email: member for member in Member.objects.all()}
    assert set(members) == {
        "claire.martin@exemple.fr",
        "paul.durand@exemple.fr",
        "contact@msp-lodevois.fr",
    }
    claire = members["claire.martin@exemple.fr"]
    assert (claire.kind, claire.last_name, claire.rpps) == (
        MemberKind.PERSON,
        "Martin",
        "10001234567",
    )
    assert members["paul.durand@exemple.fr"].rpps == "10009876543"
    structure = members["contact@msp-lodevois.fr"]
    assert structure.kind == MemberKind.ORGANISATION
    assert structure.siret == "73282932000074"
    assert Adhesion.objects.filter(year=year, fee_due=FEE).count() == 3

    # 2. Claire Martin's page: her adhesion of the year is due; record a 20 € transfer.
    page.get_by_role("link", name="Voir les membres").click()
    page.get_by_role("link", name=claire.display_name).click()
    expect(page).to_have_url(re.compile(re.escape(reverse("member_detail", args=[claire.pk]))))
    expect(page.get_by_test_id("member-name")).to_have_text(claire.display_name)
    adhesions = page.get_by_test_id("member-adhesions")
    adhesion_row = adhesions.locator("tbody tr").filter(has_text=str(year))
    expect(adhesion_row).to_contain_text("à régler")

    adhesion_row.get_by_role("link", name=f"Paiement {year}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Enregistrer un paiement pour {year}"
    )
    page.get_by_label("Montant (€)").fill("20")
    page.get_by_label("Moyen de paiement").select_option(PaymentMethod.VIREMENT.value)
    page.get_by_role("button", name="Enregistrer le paiement").click()

    expect(page).to_have_url(re.compile(re.escape(reverse("member_detail", args=[claire.pk]))))
    expect(
        page.get_by_role("alert").filter(has_text=f"enregistré pour l'adhésion {year}")
    ).to_be_visible()
    adhesion_row = page.get_by_test_id("member-adhesions").locator("tbody tr")
    adhesion_row = adhesion_row.filter(has_text=str(year))
    expect(adhesion_row.locator(".badge")).to_have_text("réglée")
    expect(adhesion_row).to_contain_text("20,00 €")
    expect(adhesion_row).to_contain_text("Virement")
    payment = Adhesion.objects.get(member=claire, year=year).payments.get()
    assert (payment.amount, payment.method) == (FEE, PaymentMethod.VIREMENT)

    # 3. The attestation: the job waits for a worker, the progress page polls until it is
    # ready, then offers the download. The worker is played here, once the page is waiting.
    queued: list[int] = []
    monkeypatch.setattr(cpts.tasks.build_document, "delay", queued.append)
    adhesion_row.get_by_role("button", name=f"Attestation {year}").click()
    expect(page).to_have_url(re.compile(r"/documents/\d+/$"))
    progress = page.locator("#document-progress")
    expect(progress).to_have_attribute("data-status", "queued")
    expect(page.get_by_role("link", name="Télécharger")).to_have_count(0)
    assert len(queued) == 1
    page.evaluate("window.stillTheSamePage = true")

    run_document(queued[0])
    expect(progress).to_have_attribute("data-status", "done", timeout=30_000)
    assert page.evaluate("window.stillTheSamePage === true"), "the page was reloaded"
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger").click()
    download = download_info.value
    pdf_path = tmp_path / download.suggested_filename
    download.save_as(pdf_path)

    assert pdf_path.name == f"attestation-adhesion-{year}-{claire.pk}.pdf"
    text = pdf_text(pdf_path.read_bytes())
    assert "Claire MARTIN" in text
    assert f"pour l'année {year}" in text
    assert f"Cotisation {year} : à jour" in text
    assert association.name in text
