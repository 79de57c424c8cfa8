"""The activity reports on the demo data: every section title, the key figures equal to the
database's (through the dashboard's selectors), a sane page count, the command, the pages."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.template.defaultfilters import floatformat
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from claims.models import Claim, MileageRate, Tariff
from claims.selectors import cap_summary, period_totals, year_totals
from claims.services import approve_claim, create_batch, declare_time, validate_claim
from cpts.charts import format_euros
from cpts.models import GeneratedDocument
from governance.models import Attendance, AttendanceStatus, BodyKind, MeetingStatus
from governance.selectors.indicators import body_activity, meetings_held
from indicators.selectors.dashboard import dashboard_for
from members.selectors.statistics import member_counts
from missions.models import ContractYear
from missions.selectors.contract import current_contract
from missions.selectors.earnings import year_result
from reports.rendering import ACI, AG, RenderedReport, render_report, scope_for
from reports.sections.aci import ACI_SECTIONS, INDEMNITIES, build_financing, build_missions
from reports.sections.ag import AG_SECTIONS, FINANCES
from tests.claims.conftest import set_tariffs
from tests.pdf_utils import normalize_whitespace, pdf_page_count, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db

NO_CLAIMS = "aucun remboursement de frais"


@pytest.fixture
def demo() -> None:
    call_command("seed_demo", stdout=StringIO())


def _noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _held(start: datetime.date, end: datetime.date) -> int:
    """The computed indicator of meetings held, all bodies together."""
    values = meetings_held(start, end)
    assert isinstance(values, Mapping)
    return int(values[""])


def test_aci_report_on_the_demo_has_every_section_and_the_database_figures(demo: None) -> None:
    steps: list[tuple[int, str]] = []
    rendered = render_report(ACI, {"contract_year": 2}, lambda p, s: steps.append((p, s)))
    text = pdf_text(rendered.content)
    for section in ACI_SECTIONS:
        assert str(section.title) in text, section.title
        assert any(str(section.title) in step for _p, step in steps)
    assert [p for p, _s in steps] == sorted(p for p, _s in steps)
    year = current_contract().years.get(number=2)  # type: ignore[union-attr]
    on = min(year.end, timezone.localdate())
    # Key figures are set side by side: pdftotext gives the labels, then the values.
    active = member_counts(on).active
    assert (
        f"Adhérents actifs au {on:%d/%m/%Y} À jour de cotisation {on.year} "
        f"Cotisations {on.year} encaissées {active} "
    ) in text
    held = _held(year.start, year.end)  # the computed indicator
    assert held == sum(row.held for row in body_activity(year.start, year.end)) > 0
    assert re.search(
        rf"Réunions tenues Présences enregistrées Présents ou représentés {held} ", text
    )
    earned = year_result(year).earned
    assert earned > 0
    assert normalize_whitespace(f"Variable gagné {format_euros(earned)}") in text or (
        normalize_whitespace(format_euros(earned)) in text
    )
    # The members' indemnities of the contract year, whether the demo has claims or not.
    indemnities = period_totals(year.start, year.end)
    paid = _section(rendered, str(INDEMNITIES.title))
    if indemnities.is_empty:
        assert f"Aucune indemnité ni {NO_CLAIMS} approuvé sur la période." in paid
    else:
        assert f"Membres indemnisés {_euros(indemnities.total_amount)} " in paid
    assert "SOMMAIRE" in text and "Année 2 du contrat ACI" in text
    assert 8 <= pdf_page_count(rendered.content) <= 40


def test_ag_report_on_the_demo(demo: None) -> None:
    last_year = timezone.localdate().year - 1
    rendered = render_report(AG, {"year": last_year})
    text = pdf_text(rendered.content)
    for section in AG_SECTIONS:
        assert str(section.title) in text, section.title
    end = datetime.date(last_year, 12, 31)
    held = _held(datetime.date(last_year, 1, 1), end)
    active = member_counts(end).active
    assert f"Adhérents actifs Réunions tenues Décisions adoptées {active} {held} " in text
    assert 5 <= pdf_page_count(rendered.content) <= 30


def _euros(value: Any) -> str:
    """An amount as the templates write it (``floatformat:"2g"`` in French, then " €")."""
    with translation.override("fr"):
        return normalize_whitespace(f"{floatformat(value, '2g')} €")


def _hours(value: Any) -> str:
    with translation.override("fr"):
        return normalize_whitespace(f"{floatformat(value, '-2g')} h")


def _section(rendered: RenderedReport, title: str) -> str:
    """The text of a section: from the page its title opens to the next section's page."""
    pages = pdf_pages(rendered.content)
    number = rendered.sections.index(title) + 1

    def opens(index: int, heading: str) -> bool:
        return heading in pages[index] and "SOMMAIRE" not in pages[index]

    start = next(i for i in range(len(pages)) if opens(i, f"{number}. {title}"))
    if number == len(rendered.sections):
        return " ".join(pages[start:])
    following = f"{number + 1}. {rendered.sections[number]}"
    end = next(i for i in range(start, len(pages)) if opens(i, following))
    return " ".join(pages[start:end])


def _claims_of(year: ContractYear, coordinator: Any, tresorier: Any) -> list[Claim]:
    """Claims declared, validated and approved through the services for meetings attended
    during the contract year; half of them paid in a batch."""
    if not Tariff.objects.exists():
        set_tariffs()
    mileage = MileageRate.objects.exists()
    attendances = (
        Attendance.objects.filter(
            status=AttendanceStatus.PRESENT,
            meeting__status=MeetingStatus.HELD,
            meeting__starts_at__date__gte=year.start,
            meeting__starts_at__date__lte=min(year.end, timezone.localdate()),
        )
        .exclude(meeting__body__kind=BodyKind.AG)
        .select_related("meeting__body", "member")
        .order_by("meeting__starts_at", "pk")
    )
    claims: list[Claim] = []
    for attendance in attendances[:60]:
        if len(claims) >= 8:
            break
        km = Decimal("18") if mileage and len(claims) % 3 == 0 else None
        try:
            claims += declare_time(
                attendance.member, by=coordinator, meeting=attendance.meeting, km=km
            )
        except ValidationError:
            continue  # no duration recorded, a closed month, already claimed
    for claim in claims:
        validate_claim(claim, by=coordinator)
        approve_claim(claim, by=tresorier)
    create_batch(claims[::2], by=tresorier, paid_on=year.end, label="Indemnités du contrat")
    return claims


def test_indemnities_in_both_reports_are_the_claims_totals(
    demo: None, coordinator: Any, tresorier: Any
) -> None:
    year = current_contract().years.get(number=2)  # type: ignore[union-attr]
    claims = _claims_of(year, coordinator, tresorier)
    assert len(claims) >= 6
    totals = period_totals(year.start, year.end)
    assert totals.members_paid >= 2 and totals.paid_amount and totals.approved_unpaid_amount
    rendered = render_report(ACI, {"contract_year": 2})
    text = _section(rendered, str(INDEMNITIES.title))
    assert (
        f"Indemnités et frais Heures indemnisées Membres indemnisés {_euros(totals.total_amount)} "
        f"{_hours(totals.total_hours)} {totals.members_paid} "
    ) in text
    # pdftotext sets a two-column table's cells row by row or column by column.
    # So the labels and the amounts are each checked in their order.
    paid_table = text[text.index("Versé aux membres (lots de paiement)") :]
    assert re.search(r"^Versé aux membres.*Approuvé, restant à verser.*Total", paid_table)
    assert re.search(
        rf"{_euros(totals.paid_amount)}.*{_euros(totals.approved_unpaid_amount)}.*"
        rf"{_euros(totals.total_amount)}",
        paid_table,
    )
    for rows in (totals.by_mission, totals.by_activity_kind, totals.by_profession):
        for label, _hours_done, amount in rows:
            assert normalize_whitespace(label) in text and _euros(amount) in text, label
    for calendar_year in range(year.start.year, year.end.year + 1):
        cap = cap_summary(calendar_year)
        assert cap.respected
        assert (
            f"{calendar_year} (PASS {_euros(cap.pass_amount)}) : plafond respecté, aucun membre "
            "ne le dépasse."
        ) in text
    assert "Aucune indemnité" not in text
    # The AG report of a calendar year the claims fall in: its finances give the year's totals.
    calendar_year = claims[0].date.year
    ag_totals = year_totals(calendar_year)
    ag = _section(render_report(AG, {"year": calendar_year}), str(FINANCES.title))
    assert (
        f"Indemnités (temps) {_euros(ag_totals.indemnity_amount)} Frais kilométriques et sur "
        f"justificatif {_euros(ag_totals.expense_amount)} Total {_euros(ag_totals.total_amount)} "
        f"Sur ce total, {_euros(ag_totals.paid_amount)} ont été versés"
    ) in ag


def test_a_contract_year_without_claims_says_so_in_one_sentence(demo: None) -> None:
    year = current_contract().years.get(number=1)  # type: ignore[union-attr]
    Claim.objects.filter(date__gte=year.start, date__lte=year.end).delete()
    assert period_totals(year.start, year.end).is_empty
    text = _section(render_report(ACI, {"contract_year": 1}), str(INDEMNITIES.title))
    assert f"Aucune indemnité ni {NO_CLAIMS} approuvé sur la période." in text
    assert "Par mission" not in text and "Membres indemnisés" not in text
    assert "plafond respecté" in text


def test_report_and_dashboard_agree(demo: None, coordinator: Any) -> None:
    """The current contract year read by the dashboard today and by the ACI report."""
    today = timezone.localdate()
    contract = current_contract()
    assert contract is not None
    year = next(y for y in contract.years.all() if y.start <= today <= y.end)
    scope = scope_for(ACI, {"contract_year": year.number}, _noon(today))
    dashboard = dashboard_for(coordinator, _noon(today))
    assert dashboard.contract is not None and dashboard.members is not None
    missions = build_missions(scope)
    assert missions["result"].earned == dashboard.contract.earned
    assert [p.result.earned for p in missions["parts"]] == [
        row.earned for row in dashboard.contract.mission_rows
    ]
    financing = build_financing(scope)["financing"]
    assert dashboard.contract.financing is not None
    assert financing.by_nature == dashboard.contract.financing.by_nature
    from reports.sections.common import build_governance, build_members

    members = build_members(scope)["block"]
    assert members.counts == dashboard.members.counts
    assert members.by_profession == dashboard.members.by_profession
    assert members.by_college == dashboard.members.by_college
    ag_scope = scope_for(AG, {"year": today.year}, _noon(today))
    governance = build_governance(ag_scope)
    assert dashboard.governance is not None
    assert governance["held"] == dashboard.governance.held_this_year


def test_unknown_year_is_a_french_error_naming_the_years(demo: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="pas d'année 9") as error:
        call_command(
            "render_report", "aci", "--contract-year", "9", "--output", str(tmp_path / "r.pdf")
        )
    assert error.value.returncode == 1
    with pytest.raises(CommandError, match="--year") as error:
        call_command("render_report", "ag", "--output", str(tmp_path / "r.pdf"))
    assert error.value.returncode == 2
    with pytest.raises(CommandError, match="entre 2000 et"):
        call_command("render_report", "ag", "--year", "1900", "--output", str(tmp_path / "r.pdf"))
    assert not (tmp_path / "r.pdf").exists()


def test_command_writes_the_pdf(demo: None, tmp_path: Path) -> None:
    target = tmp_path / "ag.pdf"
    err = StringIO()
    call_command(
        "render_report",
        "ag",
        "--year",
        str(timezone.localdate().year),
        "--output",
        str(target),
        stderr=err,
    )
    assert target.read_bytes().startswith(b"%PDF-")
    assert "Rapport écrit" in err.getvalue()


def test_president_generates_and_downloads_the_aci_report(
    demo: None, president: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    client.force_login(president)
    page = client.get(reverse("report_home"))
    assert page.status_code == 200 and "Générer le rapport ACI" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("report_aci_request"), {"contract_year": "1"})
    document = GeneratedDocument.objects.get(kind="report_aci")
    assert response.status_code == 302 and response["Location"] == reverse(
        "document_detail", args=[document.pk]
    )
    document.refresh_from_db()
    assert document.status == GeneratedDocument.Status.DONE, document.error_message
    assert document.parameters["contract_year"] == 1
    listed = client.get(reverse("report_home")).content.decode()
    assert "Année 1 du contrat" in listed
    download = client.get(reverse("document_download", args=[document.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]
    # Regenerated on demand: a second version, the first kept.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("document_retry", args=[document.pk]))
    assert GeneratedDocument.objects.filter(kind="report_aci").count() == 2


def test_bad_parameters_are_refused_in_french(demo: None, president: Any) -> None:
    client = Client()
    client.force_login(president)
    response = client.post(reverse("report_ag_request"), {"year": "1200"})
    assert response.status_code == 200
    assert "choisissez une année civile" in response.content.decode()
    response = client.post(reverse("report_aci_request"), {"contract_year": "abc"})
    assert response.status_code == 200
    assert not GeneratedDocument.objects.exists()


def test_adherent_cannot_read_or_generate(demo: None, adherent: Any) -> None:
    client = Client()
    client.force_login(adherent)
    assert client.get(reverse("report_home")).status_code == 403
    assert client.post(reverse("report_ag_request"), {"year": "2025"}).status_code == 403
