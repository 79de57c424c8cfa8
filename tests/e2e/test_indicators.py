"""The indicators and the coordinator's dashboard in a real browser: the dashboard's blocks
and figures for the coordinator and, read-only, for the présidente; an import of CPAM values
through its preview (a bad row refused, then the corrected file confirmed as a job) whose value
reaches the indicator page, the contract line that follows it and the dashboard; the
recomputation of the computed indicators from the catalogue.

Jobs run eagerly in the live server's thread (tests/conftest.py forces it even when REDIS_URL
points Celery at a broker): the progress page is waited on through its ``data-status``."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cpts.models import Association, GeneratedDocument, User
from governance.models import Body, BodyKind, Meeting
from indicators.catalogue import ensure_catalogue
from indicators.models import IndicatorDefinition, Measurement, MeasurementSource
from indicators.periods import contract_year_period
from indicators.services.measurements import NewMeasurement, record_measurements
from members.models import Adhesion, MembershipRequest
from members.services.adhesions import record_payment
from missions.deadlines import add_months
from missions.models import (
    AchievedSource,
    ContractYear,
    IndicatorLine,
    LineKind,
    LineTier,
    Mission,
    MissionEnvelope,
)
from missions.services.contract import create_contract
from tests.factories import MemberFactory

pytestmark = pytest.mark.browser

FEE = Decimal("20")
MEETING_TITLE = "Conseil d'administration de rentrée"
DONE_LINE = "Ateliers de prévention réalisés"
FOLLOWING_LINE = "Participation au dépistage du cancer colorectal"
COLORECTAL = "screening_colorectal_rate"
COLORECTAL_LABEL = "Taux de participation au dépistage du cancer colorectal"
NO_MT_ALD = "national_no_mt_ald"
HEADER = "indicateur;période;valeur;ventilation;commentaire"
# Rows 2 and 3 of the file are right (French formats); row 4 names an unknown indicator.
GOOD_ROWS = [
    f"{COLORECTAL};A1;66,26 %;;Extraction CPAM du trimestre",
    f"{NO_MT_ALD};A1;1 234;;",
]
BAD_ROW = "inconnu_x;A1;5;;"


@dataclass(frozen=True)
class World:
    today: datetime.date
    year: ContractYear
    line: IndicatorLine


def _members(today: datetime.date, year_start: datetime.date) -> None:
    """Three members joined a year ago, up to date with this year's 20 € fee; a fourth joined
    on the contract year's first day, not paid: 4 active, 3 up to date (75,0 %), 60 € of
    80 € collected, one new member in contract year 1."""
    for index in range(3):
        member = MemberFactory.create(
            last_name=f"Ancien{index}", joined_on=today - datetime.timedelta(days=365)
        )
        adhesion = Adhesion.objects.create(
            member=member, year=today.year, fee_due=FEE, started_on=today.replace(day=1)
        )
        record_payment(adhesion, amount=FEE, method="virement", paid_on=today)
    late = MemberFactory.create(last_name="Nouvelle", joined_on=year_start)
    Adhesion.objects.create(member=late, year=today.year, fee_due=FEE, started_on=year_start)


def _contract_lines(year: ContractYear) -> IndicatorLine:
    """Prevention, variable 7 500 €: a done action of 4 000 € (earned) and a tiers line that
    follows the colorectal screening rate, nothing measured yet (3 500 € reachable): 66,26
    will reach its 2nd tier (66) and earn 2 500 €."""
    envelope = MissionEnvelope.objects.create(
        year=year,
        mission=Mission.objects.get(key="prevention"),
        fixed=Decimal("15000"),
        variable=Decimal("7500"),
    )
    IndicatorLine.objects.create(
        envelope=envelope,
        position=1,
        label=DONE_LINE,
        kind=LineKind.BINARY,
        amount=Decimal("4000"),
        done=True,
    )
    line = IndicatorLine.objects.create(
        envelope=envelope,
        position=2,
        label=FOLLOWING_LINE,
        kind=LineKind.TIERS,
        amount=Decimal("0"),
        baseline=Decimal("60"),
        indicator=IndicatorDefinition.objects.get(code=COLORECTAL),
    )
    for position, (threshold, amount) in enumerate(
        [("64", "1000"), ("66", "2500"), ("70", "3500")]
    ):
        LineTier.objects.create(
            line=line, position=position, threshold=Decimal(threshold), amount=Decimal(amount)
        )
    return line


@pytest.fixture
def world(association: Association) -> World:
    """A contract signed five months ago (year 1 running), its prevention lines, four
    members, a membership request, a CA to convene in three days, a failed job, and the
    current value 1 300 of the patients in ALD without médecin traitant for year 1."""
    ensure_catalogue()  # the indicator catalogue, emptied by an earlier test's flush
    now = timezone.now()
    today = timezone.localdate(now)
    contract = create_contract(
        signed_on=add_months(today, -5), cpam="CPAM de l'Hérault", ars="ARS Occitanie"
    )
    year = contract.years.get(number=1)
    assert year.start <= today <= year.end
    _members(today, year.start)
    MembershipRequest.objects.create(last_name="Demande", email="demande@exemple.fr")
    # The AG, CA and bureau come from a data migration, emptied by an earlier test's flush;
    # recreated here with their names as plain strings (before the présidente's mandate).
    bodies = {
        kind: Body.objects.get_or_create(kind=kind, defaults={"name": str(BodyKind(kind).label)})[0]
        for kind in (BodyKind.AG, BodyKind.CA, BodyKind.BUREAU)
    }
    ca = bodies[BodyKind.CA]
    Meeting.objects.create(body=ca, title=MEETING_TITLE, starts_at=now + datetime.timedelta(days=3))
    GeneratedDocument.objects.create(kind="identity_sheet", status=GeneratedDocument.Status.FAILED)
    line = _contract_lines(year)
    record_measurements(
        [
            NewMeasurement(
                IndicatorDefinition.objects.get(code=NO_MT_ALD),
                contract_year_period(year),
                Decimal("1300"),
            )
        ],
        source=MeasurementSource.IMPORTED,
        source_name="extraction-precedente.csv",
    )
    return World(today=today, year=year, line=line)


@pytest.fixture
def president(world: World, president: User) -> User:
    """The suite's présidente, given her bureau mandate once ``world`` has recreated the
    bodies."""
    return president


def _alert(page: Any, text: str) -> Any:
    return page.get_by_role("alert").filter(has_text=text)


def _catalogue_value(page: Any, label: str) -> Any:
    """The value cell of an indicator's row in the catalogue."""
    row = page.get_by_test_id("indicator-row").filter(
        has=page.get_by_role("link", name=label, exact=True)
    )
    return row.get_by_test_id("value")


def _wait_for_job(page: Any) -> None:
    expect(page).to_have_url(re.compile(r"/documents/\d+/$"))
    expect(page.locator("#document-progress")).to_have_attribute(
        "data-status", "done", timeout=30_000
    )


def _open_indicators(page: Any) -> None:
    navigation = page.get_by_role("navigation")
    navigation.get_by_role("button", name="Contrat ACI", exact=True).click()
    navigation.get_by_role("link", name="Indicateurs", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicateurs")


# --- 1. The coordinator's dashboard -------------------------------------------------------


def test_coordinator_lands_on_the_dashboard_with_its_figures_charts_and_links(
    page: Any, log_in: Callable[[User], None], world: World, coordinator: User
) -> None:
    log_in(coordinator)
    expect(page).to_have_url(re.compile(re.escape(reverse("backoffice_home")) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("CPTS du Cœur d'Hérault")

    members = page.get_by_role("region", name="Adhérents", exact=True)
    expect(members.get_by_test_id("members-active")).to_have_text("4")
    expect(members.get_by_test_id("members-up-to-date")).to_have_text("75,0 %")
    expect(members.get_by_test_id("fees-collected")).to_have_text("60,00 €")
    expect(members.get_by_test_id("fees-expected")).to_have_text("sur 80,00 € attendus")
    expect(members.get_by_test_id("pending-requests")).to_have_text("1")
    expect(members.get_by_test_id("members-actions")).to_be_visible()
    for chart_id, title in (
        ("tableau-de-bord-professions", "Adhérents par profession"),
        ("tableau-de-bord-adherents", "Évolution du nombre d'adhérents"),
    ):
        chart = members.get_by_role("img", name=title)
        expect(chart).to_be_visible()
        expect(chart).to_have_attribute("id", chart_id)
        expect(chart.locator("title").first).to_have_text(title)
        assert chart.evaluate("node => node.tagName.toLowerCase()") == "svg"
    # The numbers of the profession chart, as a table.
    members.get_by_text("Les chiffres : Adhérents par profession").click()
    figures = members.get_by_role("table", name="Adhérents par profession")
    doctors = figures.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Médecin généraliste")
    )
    expect(doctors.get_by_role("cell")).to_have_text(["4"])

    governance = page.get_by_role("region", name="Gouvernance", exact=True)
    expect(governance.get_by_test_id("upcoming-meetings")).to_contain_text(MEETING_TITLE)
    expect(governance.get_by_test_id("to-convene-count")).to_have_text("1")
    expect(governance.get_by_test_id("to-convene")).to_contain_text(MEETING_TITLE)

    contract = page.get_by_role("region", name="Contrat ACI", exact=True)
    expect(contract).to_contain_text("Année 1 en cours")
    expect(contract.get_by_test_id("variable-earned")).to_have_text("4 000,00 €")
    expect(contract.get_by_test_id("variable-reachable")).to_have_text("3 500,00 €")
    expect(contract.get_by_test_id("variable-envelope")).to_have_text("7 500,00 €")
    expect(contract.get_by_test_id("open-lines-count")).to_have_text("1")
    expect(contract.get_by_test_id("indicator-lines")).to_contain_text(FOLLOWING_LINE)
    expect(contract.get_by_test_id("contract-actions")).to_be_visible()

    jobs = page.get_by_role(
        "region", name="Documents en cours de génération ou en échec", exact=True
    )
    expect(jobs).to_contain_text("0 en attente ou en cours, 1 en échec")
    expect(jobs.get_by_test_id("jobs").get_by_role("listitem")).to_have_count(1)
    expect(jobs.get_by_test_id("jobs")).to_contain_text("Échec")

    # Each block leads to its page.
    members.get_by_role("link", name="→ la liste des membres").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("member_list")) + "$"))
    page.go_back()
    page.get_by_role("region", name="Gouvernance", exact=True).get_by_role(
        "link", name="→ les réunions"
    ).click()
    expect(page).to_have_url(re.compile(re.escape(reverse("meeting_list")) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Réunions")
    page.go_back()
    page.get_by_role("region", name="Contrat ACI", exact=True).get_by_role(
        "link", name=FOLLOWING_LINE
    ).click()
    expect(page).to_have_url(
        re.compile(re.escape(reverse("line_detail", args=[world.line.pk])) + "$")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(FOLLOWING_LINE)


# --- 2. The présidente reads it, writes nothing -------------------------------------------


def test_president_reads_the_dashboard_without_write_buttons_and_is_refused_the_writes(
    page: Any, log_in: Callable[[User], None], world: World, president: User
) -> None:
    log_in(president)
    expect(page).to_have_url(re.compile(re.escape(reverse("backoffice_home")) + "$"))
    members = page.get_by_role("region", name="Adhérents", exact=True)
    expect(members.get_by_test_id("members-active")).to_have_text("4")
    expect(members.get_by_test_id("fees-collected")).to_have_text("60,00 €")
    contract = page.get_by_role("region", name="Contrat ACI", exact=True)
    expect(contract.get_by_test_id("variable-earned")).to_have_text("4 000,00 €")
    expect(page.get_by_test_id("dashboard-jobs")).to_be_visible()
    # No button of the members or the contract, whose management is the coordination's.
    expect(page.get_by_test_id("members-actions")).to_have_count(0)
    expect(page.get_by_test_id("contract-actions")).to_have_count(0)
    expect(page.get_by_role("link", name="Ajouter un membre")).to_have_count(0)
    expect(page.get_by_role("link", name="Saisir les résultats de l'année")).to_have_count(0)

    # The catalogue is readable, without its write buttons.
    _open_indicators(page)
    expect(_catalogue_value(page, COLORECTAL_LABEL)).to_have_text("—")
    expect(page.get_by_role("button", name="Recalculer les indicateurs calculés")).to_have_count(0)
    expect(page.get_by_role("link", name="Importer des valeurs CPAM")).to_have_count(0)
    expect(page.get_by_role("link", name="Nouvel indicateur")).to_have_count(0)

    # Typing the write addresses: refused.
    for name in ("indicator_import", "indicator_create"):
        response = page.goto(reverse(name))
        assert response is not None and response.status == 403, name
        expect(page.get_by_role("heading", name="Accès refusé")).to_be_visible()
    assert not GeneratedDocument.objects.exclude(kind="identity_sheet").exists()


# --- 3. An import of CPAM values through the preview --------------------------------------


def test_import_preview_refuses_a_bad_row_then_the_value_reaches_the_line_it_follows(
    page: Any,
    log_in: Callable[[User], None],
    world: World,
    coordinator: User,
    tmp_path: Path,
) -> None:
    bad_file = tmp_path / "valeurs-cpam.csv"
    bad_file.write_text("\n".join([HEADER, *GOOD_ROWS, BAD_ROW]) + "\n", encoding="utf-8")
    good_file = tmp_path / "valeurs-cpam-corrigees.csv"
    good_file.write_text("\n".join([HEADER, *GOOD_ROWS]) + "\n", encoding="utf-8")
    recorded = Measurement.objects.count()

    log_in(coordinator)
    _open_indicators(page)
    expect(_catalogue_value(page, COLORECTAL_LABEL)).to_have_text("—")
    page.get_by_role("link", name="Importer des valeurs CPAM").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importer des valeurs d'indicateurs")

    # 1. The file with an unknown code: the row is named, nothing can be confirmed.
    page.get_by_label("Fichier des valeurs (.xlsx ou .csv)").set_input_files(str(bad_file))
    page.get_by_role("button", name="Voir l'aperçu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aperçu de l'import de valeurs")
    expect(page.get_by_text("valeurs-cpam.csv · 3 lignes")).to_be_visible()
    expect(_alert(page, "Le fichier contient des lignes en erreur")).to_be_visible()
    expect(page.locator("[data-count=invalid]")).to_have_text("1")
    error_rows = page.get_by_role("table", name="Erreurs par ligne et par colonne").locator(
        "tbody tr"
    )
    expect(error_rows).to_have_count(1)
    expect(error_rows.locator("td")).to_have_text(
        ["4", "indicateur", re.compile(r"« inconnu_x » : indicateur inconnu")]
    )
    expect(page.get_by_role("button", name="Confirmer l'import")).to_have_count(0)
    assert Measurement.objects.count() == recorded, "the preview must not write anything"

    # 2. The corrected file: one new value, one changed (1 300 → 1 234).
    page.get_by_role("link", name="Déposer un fichier corrigé").click()
    page.get_by_label("Fichier des valeurs (.xlsx ou .csv)").set_input_files(str(good_file))
    page.get_by_role("button", name="Voir l'aperçu").click()
    expect(page.get_by_text("valeurs-cpam-corrigees.csv · 2 lignes")).to_be_visible()
    expect(page.locator("[data-count=new]")).to_have_text("1")
    expect(page.locator("[data-count=update]")).to_have_text("1")
    expect(page.locator("[data-count=invalid]")).to_have_text("0")
    rows = page.get_by_role("table", name="Ce que l'import fait de chaque ligne").locator(
        "tbody tr"
    )
    expect(rows.filter(has_text=COLORECTAL_LABEL)).to_contain_text("66,26 %")
    expect(rows.filter(has_text=COLORECTAL_LABEL)).to_contain_text("nouveau")
    ald = rows.filter(has_text="Patients en ALD sans médecin traitant")
    expect(ald).to_contain_text("1 234")
    expect(ald).to_contain_text("1 300")
    expect(ald).to_contain_text("modifié")
    assert Measurement.objects.count() == recorded

    # 3. Confirmed: the job runs to its end.
    page.get_by_role("button", name="Confirmer l'import").click()
    expect(
        _alert(page, "L'import de valeurs-cpam-corrigees.csv est lancé : suivez sa progression")
    ).to_be_visible()
    _wait_for_job(page)
    assert Measurement.objects.count() == recorded + 2
    imported = Measurement.objects.get(indicator__code=COLORECTAL)
    assert (imported.value, imported.period_key, imported.contract_year_id) == (
        Decimal("66.26"),
        "A1",
        world.year.pk,
    )
    assert imported.source == MeasurementSource.IMPORTED
    assert imported.source_name == "valeurs-cpam-corrigees.csv"
    assert imported.recorded_by == coordinator
    assert Measurement.objects.filter(indicator__code=NO_MT_ALD).latest("recorded_at").value == (
        Decimal("1234")
    )

    # 4. The catalogue and the indicator page show it, with the line that follows it.
    _open_indicators(page)
    expect(_catalogue_value(page, COLORECTAL_LABEL)).to_have_text("66,26 %")
    expect(_catalogue_value(page, "Patients en ALD sans médecin traitant")).to_have_text("1 234")
    page.get_by_role("link", name=COLORECTAL_LABEL, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COLORECTAL_LABEL)
    expect(page.get_by_test_id("trend-table")).to_contain_text("66,26 %")
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("66,26")
    expect(history).to_contain_text("valeurs-cpam-corrigees.csv")
    line_row = page.get_by_test_id("line-row").filter(has_text=FOLLOWING_LINE)
    expect(line_row).to_contain_text("66,26")
    expect(line_row.get_by_test_id("earned")).to_contain_text("2 500,00 €")

    # 5. The line page: the achieved value followed from the measurement, 2 500 € earned.
    line_row.get_by_role("link", name=FOLLOWING_LINE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(FOLLOWING_LINE)
    result = page.locator("#resultat")
    expect(result.get_by_test_id("linked-note")).to_contain_text(COLORECTAL_LABEL)
    expect(result.get_by_test_id("achieved")).to_have_text("66,26")
    expect(result.get_by_test_id("earned")).to_have_text("2 500,00 €")
    expect(page.get_by_test_id("reached")).to_contain_text("2 500,00 €")
    world.line.refresh_from_db()
    assert world.line.achieved == Decimal("66.26")
    assert world.line.achieved_source == AchievedSource.CPAM

    # 6. And the dashboard's variable part: 4 000 + 2 500 earned, nothing left open.
    page.goto(reverse("backoffice_home"))
    contract = page.get_by_role("region", name="Contrat ACI", exact=True)
    expect(contract.get_by_test_id("variable-earned")).to_have_text("6 500,00 €")
    expect(contract.get_by_test_id("variable-reachable")).to_have_text("0,00 €")
    expect(contract.get_by_test_id("open-lines-count")).to_have_text("0")


# --- 4. The recomputation from the catalogue ----------------------------------------------


def test_recomputation_from_the_catalogue_fills_the_computed_values(
    page: Any, log_in: Callable[[User], None], world: World, coordinator: User
) -> None:
    period = contract_year_period(world.year)
    log_in(coordinator)
    _open_indicators(page)
    expect(page.get_by_test_id("period-label")).to_have_text(
        f"Valeurs de la période : {period.label}"
    )
    expect(_catalogue_value(page, "Adhérents actifs")).to_have_text("—")
    expect(_catalogue_value(page, "Nouveaux adhérents")).to_have_text("—")

    page.get_by_role("button", name="Recalculer les indicateurs calculés").click()
    expect(
        _alert(page, f"Le recalcul des indicateurs pour la période « {period.label} » est lancé.")
    ).to_be_visible()
    _wait_for_job(page)

    _open_indicators(page)
    # Active on the year's last day: the four members; new in the year: the one who joined
    # on its first day (the three others joined before the contract).
    expect(_catalogue_value(page, "Adhérents actifs")).to_have_text("4")
    expect(_catalogue_value(page, "Nouveaux adhérents")).to_have_text("1")
    expect(_catalogue_value(page, "Adhérents à jour de cotisation")).not_to_have_text("—")
    active = Measurement.objects.get(
        indicator__code="members_active", period_key="A1", breakdown=""
    )
    assert (active.value, active.source, active.contract_year_id) == (
        Decimal("4"),
        MeasurementSource.COMPUTED,
        world.year.pk,
    )
    document = GeneratedDocument.objects.get(kind="indicator_recompute")
    assert document.status == GeneratedDocument.Status.DONE
    assert document.requested_by == coordinator
