"""The ACI contract in a real browser: the coordinator records the signed contract, imports
the annex of the current year through its preview, then assesses two indicator lines — a
binary one marked done after a proof is uploaded on its livrable, a tiers one with a value
between the 2nd and 3rd thresholds — and watches the earned amounts reach the year page and
the variable part of the financing schedule."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cpts.models import Association, User
from missions.deadlines import add_months
from missions.models import (
    AchievedSource,
    Contract,
    ContractYear,
    IndicatorLine,
    LivrableStatus,
    Proof,
)

pytestmark = pytest.mark.browser

CPAM = "CPAM de l'Hérault"
ARS = "ARS Occitanie"
BINARY_LABEL = "Participer au service d'accès aux soins (SAS)"
BINARY_LIVRABLE = "Convention SAS signée"
TIERS_LABEL = "Taux de dépistage du cancer colorectal"
TIERS_LIVRABLE = "Extraction CPAM du taux de dépistage"
ACCESS_NAME = "Accès aux soins (médecin traitant, soins non programmés, SAS)"
PREVENTION_NAME = "Prévention"

# Year 3 of the contract: a binary line of 5 000 € and a tiers line whose best tier pays
# 3 500 €; 73,1 % sits between the 2nd (72,40) and 3rd (75) thresholds and earns 2 500 €.
ANNEX = f"""\
# Annexe de l'année 3 du contrat
contract_year: 3
missions:
  - key: acces_soins
    fixed: "20 000"
    variable: 5000
    lines:
      - label: {BINARY_LABEL}
        kind: binary
        amount: "5 000"
        livrables:
          - {BINARY_LIVRABLE}
  - key: prevention
    fixed: 15000
    variable: 3500
    lines:
      - label: {TIERS_LABEL}
        kind: tiers
        direction: increasing
        baseline: "66,26"
        tiers:
          - threshold: "69,70"
            amount: 1000
            label: socle
          - threshold: "72,40"
            amount: 2500
            label: intermédiaire
          - threshold: 75
            amount: 3500
            label: objectif
        livrables:
          - {TIERS_LIVRABLE}
"""

# A one-page PDF, small but well formed, as a scanned convention would be.
PROOF_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n"
    b"%%EOF\n"
)


def _alert(page: Any, text: str) -> Any:
    return page.get_by_role("alert").filter(has_text=text)


def _contract_menu(page: Any, item: str) -> None:
    """Open the "Contrat ACI" menu of the navigation bar and follow one of its entries."""
    page.get_by_role("navigation").get_by_role("button", name="Contrat ACI").click()
    page.get_by_role("link", name=item).click()


def _variable_part(page: Any, number: int) -> Any:
    """The expected amount of the variable part on the schedule's per-nature table."""
    section = page.locator(f"#annee-{number}")
    table = section.get_by_role("table", name=f"Attendu et reçu par nature, année {number}")
    row = table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Part variable des missions")
    )
    return row.get_by_role("cell").first


def _show_schedule_year(page: Any, number: int) -> Any:
    _contract_menu(page, "Échéancier de financement")
    expect(page.get_by_role("heading", level=1)).to_have_text("Échéancier de financement ACI")
    page.get_by_label("Année du contrat", exact=True).select_option(label=f"Année {number}")
    page.get_by_role("button", name="Afficher").click()
    section = page.locator(f"#annee-{number}")
    expect(section.get_by_role("heading", level=2)).to_contain_text(f"Année {number} :")
    return section


def test_annex_import_then_assessed_lines_feed_the_year_and_the_schedule(
    page: Any,
    live_server: Any,
    log_in: Callable[[User], None],
    association: Association,
    coordinator: User,
    tmp_path: Path,
) -> None:
    today = timezone.localdate()
    # Signed a little over two years ago: year 3 began a month ago and is the current one.
    signed_on = add_months(today - datetime.timedelta(days=30), -24)
    annex_file = tmp_path / "annexe-annee-3.yaml"
    annex_file.write_text(ANNEX, encoding="utf-8")
    proof_file = tmp_path / "convention-sas.pdf"
    proof_file.write_bytes(PROOF_PDF)

    # 1. No contract yet: the coordinator records the signed one.
    log_in(coordinator)
    _contract_menu(page, "Contrat et missions")
    expect(page.get_by_test_id("no-contract")).to_be_visible()
    page.get_by_role("link", name="Saisir le contrat signé").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouveau contrat ACI")
    page.get_by_label("Date de signature").fill(signed_on.isoformat())
    page.get_by_label(re.compile(r"^CPAM\b")).fill(CPAM)
    page.get_by_label(re.compile(r"^ARS\b")).fill(ARS)
    page.get_by_role("button", name="Enregistrer", exact=True).click()

    expect(_alert(page, "Contrat enregistré avec ses cinq années.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contrat ACI")
    expect(page.get_by_text(re.compile(rf"^Signé le {signed_on:%d/%m/%Y}"))).to_be_visible()
    contract = Contract.objects.get()
    assert (contract.signed_on, contract.cpam, contract.ars) == (signed_on, CPAM, ARS)
    year = ContractYear.objects.get(contract=contract, number=3)
    assert year.start <= today <= year.end
    current = page.get_by_test_id("years").locator("tr[aria-current=true]")
    expect(current).to_contain_text("3 en cours")

    # 2. Before any result, the schedule expects nothing for the variable part of year 3.
    section = _show_schedule_year(page, 3)
    expect(_variable_part(page, 3)).to_have_text("0,00 €")

    # 3. The annex of year 3, uploaded: the preview lists what will be created, nothing yet.
    _contract_menu(page, "Importer l'annexe du contrat")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Importer l'annexe d'une année du contrat"
    )
    page.get_by_label("Fichier de l'annexe (.yaml)").set_input_files(str(annex_file))
    page.get_by_role("button", name="Voir l'aperçu").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Aperçu de l'import de l'annexe")
    expect(page.get_by_text("année 3 du contrat", exact=False)).to_be_visible()
    expect(page.get_by_test_id("annex-counts")).to_contain_text("2 ligne(s) ajoutée(s)")
    expect(page.get_by_test_id("annex-errors")).to_have_count(0)
    for name, label, envelope in (
        (ACCESS_NAME, BINARY_LABEL, "Part fixe 20 000,00 € · part variable 5 000,00 €"),
        (PREVENTION_NAME, TIERS_LABEL, "Part fixe 15 000,00 € · part variable 3 500,00 €"),
    ):
        mission = page.get_by_role("region", name=name)
        expect(mission).to_contain_text(envelope)
        expect(mission.get_by_role("listitem").filter(has_text=label)).to_contain_text(
            f"ajoutée {label}"
        )
    assert not IndicatorLine.objects.exists()

    page.get_by_role("button", name="Confirmer l'import").click()

    # 4. The year page: both lines, 8 500 € possible, nothing earned yet.
    expect(
        _alert(
            page,
            "Annexe de l'année 3 importée : 2 ligne(s) ajoutée(s), 0 mise(s) à jour, "
            "0 supprimée(s).",
        )
    ).to_be_visible()
    expect(page).to_have_url(
        re.compile(re.escape(reverse("contract_year_detail", args=[year.pk])) + "$")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Année 3 du contrat")
    expect(page.get_by_test_id("line")).to_have_count(2)
    expect(page.get_by_test_id("total-variable")).to_have_text("8 500,00 €")
    expect(page.get_by_test_id("total-earned")).to_have_text("0,00 €")
    expect(page.get_by_test_id("mismatch-warning")).to_have_count(0)

    # 5. The binary line: a proof on its livrable, then marked done → its full 5 000 €.
    page.get_by_role("link", name=BINARY_LABEL).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(BINARY_LABEL)
    result = page.locator("#resultat")
    expect(result.get_by_test_id("earned")).to_have_text("0,00 €")
    livrable = page.get_by_test_id("livrable").filter(has_text=BINARY_LIVRABLE)
    expect(livrable).to_contain_text("Manquant")
    livrable.get_by_label("Déposer un justificatif").set_input_files(str(proof_file))
    livrable.get_by_role("button", name="Déposer", exact=True).click()
    expect(_alert(page, "Justificatif déposé.")).to_be_visible()
    livrable = page.get_by_test_id("livrable").filter(has_text=BINARY_LIVRABLE)
    expect(livrable).to_contain_text("Fourni")
    expect(livrable.get_by_role("link", name="convention-sas")).to_be_visible()

    result.get_by_label("Action réalisée").check()
    result.get_by_role("button", name="Enregistrer le résultat").click()
    result = page.locator("#resultat")  # swapped by htmx
    expect(result.get_by_role("status")).to_have_text("Le résultat de la ligne est enregistré.")
    expect(result.get_by_test_id("earned")).to_have_text("5 000,00 €")
    expect(result).to_contain_text("gagnés sur 5 000,00 € possibles")
    expect(result.get_by_label("Action réalisée")).to_be_checked()

    binary = IndicatorLine.objects.get(label=BINARY_LABEL)
    assert binary.done is True
    assert binary.assessed_by == coordinator
    proof = Proof.objects.get(livrable__line=binary)
    assert proof.livrable.status == LivrableStatus.PROVIDED
    assert proof.file.read().startswith(b"%PDF-")

    # 6. The tiers line: 73,1 reaches the 2nd tier ("intermédiaire") → 2 500 €.
    page.get_by_role("link", name="Année 3 du contrat").click()
    expect(page.get_by_test_id("total-earned")).to_have_text("5 000,00 €")
    page.get_by_role("link", name=TIERS_LABEL).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TIERS_LABEL)
    result = page.locator("#resultat")
    expect(result.get_by_test_id("earned")).to_have_text("0,00 €")
    expect(result).to_contain_text("gagnés sur 3 500,00 € possibles")
    result.get_by_label("Valeur atteinte").fill("73,1")
    result.get_by_label("Précision").fill("Extraction CPAM du trimestre")
    result.get_by_role("button", name="Enregistrer le résultat").click()
    result = page.locator("#resultat")
    expect(result.get_by_role("status")).to_have_text("Le résultat de la ligne est enregistré.")
    expect(result.get_by_test_id("earned")).to_have_text("2 500,00 €")
    expect(result.get_by_test_id("achieved")).to_have_text("73,10")
    expect(result).to_contain_text("Saisie manuelle")

    tiers = IndicatorLine.objects.get(label=TIERS_LABEL)
    assert tiers.achieved == Decimal("73.1")
    assert tiers.achieved_source == AchievedSource.MANUAL
    # Reloaded, the tiers table marks the reached tier.
    page.reload()
    reached = page.get_by_test_id("reached")
    expect(reached).to_have_count(1)
    expect(reached).to_contain_text("intermédiaire")
    expect(reached).to_contain_text("2 500,00 €")

    # 7. Back on the year page: 5 000 + 2 500 earned, line by line and in total.
    page.get_by_role("link", name="Année 3 du contrat").click()
    expect(page.get_by_test_id("total-earned")).to_have_text("7 500,00 €")
    rows = page.get_by_test_id("line")
    expect(rows.filter(has_text=BINARY_LABEL)).to_contain_text("réalisée")
    expect(rows.filter(has_text=BINARY_LABEL).locator("td").last).to_have_text("5 000,00 €")
    expect(rows.filter(has_text=TIERS_LABEL).locator("td").last).to_have_text("2 500,00 €")

    # 8. The schedule now expects the earned 7 500 € as the variable part of year 3.
    section = _show_schedule_year(page, 3)
    expect(_variable_part(page, 3)).to_have_text("7 500,00 €")
    expected = section.get_by_role("table", name="Versements attendus, année 3")
    for name, amount in ((ACCESS_NAME, "5 000,00 €"), (PREVENTION_NAME, "2 500,00 €")):
        row = expected.get_by_role("row").filter(
            has_text=f"Part variable {name} après le dialogue de gestion"
        )
        expect(row.get_by_role("cell").last).to_contain_text(amount)
