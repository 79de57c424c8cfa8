"""Reads of the ACI contract pages: the current contract with its years and missions (deadlines,
state, alert), one contract year with its envelopes and earnings (from
``missions.selectors.earnings.year_result``, never recomputed here), and the coordinator's
alerts. Constant number of queries whatever the number of lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Model
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from cpts.selectors.audit import AuditRow, audit_rows, history_for
from missions.aci import ceiling_for, default_fonctionnement, fonctionnement_for
from missions.deadlines import MissionSchedule, mission_schedule
from missions.earning import DECREASING, Band
from missions.models import (
    Contract,
    ContractMission,
    ContractStatus,
    ContractYear,
    Mission,
    MissionEnvelope,
)
from missions.selectors.earnings import LineResult, MissionResult, YearResult, year_result

HISTORY_SHOWN = 30


def current_contract() -> Contract | None:
    """The latest signed contract, else the latest contract whatever its status."""
    signed = Contract.objects.filter(status=ContractStatus.SIGNED).order_by("-signed_on", "-pk")
    return signed.first() or Contract.objects.order_by("-signed_on", "-pk").first()


def year_covering(years: list[ContractYear], on: date) -> ContractYear | None:
    return next((year for year in years if year.start <= on <= year.end), None)


@dataclass(frozen=True)
class MissionRow:
    mission: Mission
    contract_mission: ContractMission | None  # None: an optional mission not chosen
    schedule: MissionSchedule | None

    @property
    def chosen(self) -> bool:
        return self.contract_mission is not None


@dataclass(frozen=True)
class ContractOverview:
    contract: Contract
    years: list[ContractYear]
    current_year: ContractYear | None
    missions: list[MissionRow]
    history: list[AuditRow]

    @property
    def alerts(self) -> list[MissionRow]:
        return [row for row in self.missions if row.schedule and row.schedule.alert]


def _mission_rows(contract: Contract, on: date) -> list[MissionRow]:
    chosen = {
        cm.mission_id: cm
        for cm in ContractMission.objects.filter(contract=contract).select_related("mission")
    }
    rows = []
    for mission in Mission.objects.order_by("position", "key"):
        contract_mission = chosen.get(mission.pk)
        schedule = (
            mission_schedule(
                on,
                contract.signed_on,
                mission,
                contract_mission.started_on,
                contract_mission.deployed_on,
            )
            if contract_mission is not None
            else None
        )
        rows.append(MissionRow(mission, contract_mission, schedule))
    return rows


def contract_overview(contract: Contract, on: date) -> ContractOverview:
    years = list(contract.years.order_by("number"))
    missions = _mission_rows(contract, on)
    tracked: list[Model] = [contract, *years]
    tracked += [row.contract_mission for row in missions if row.contract_mission is not None]
    history = audit_rows(history_for(*tracked, limit=HISTORY_SHOWN), skip_fields={"contract"})
    return ContractOverview(
        contract=contract,
        years=years,
        current_year=year_covering(years, on),
        missions=missions,
        history=history,
    )


@dataclass(frozen=True)
class YearOverview:
    year: ContractYear
    years: list[ContractYear]  # every year of the contract, for navigation
    result: YearResult
    fonctionnement: Decimal
    fonctionnement_default: Decimal
    ceiling: Decimal
    missing_missions: list[Mission]  # chosen missions without an envelope this year

    @property
    def total(self) -> Decimal:
        return self.fonctionnement + self.result.fixed + self.result.variable

    @property
    def over_ceiling(self) -> Decimal:
        """How much the year exceeds its ceiling (0 when within it)."""
        return max(self.total - self.ceiling, Decimal("0"))

    @property
    def mismatched(self) -> list[MissionResult]:
        return [m for m in self.result.missions if m.lines_mismatch]

    @property
    def missions_with_objectives(self) -> list[tuple[MissionResult, list[tuple[LineResult, str]]]]:
        """Each mission's result with its lines, each next to the objective its result is
        measured against."""
        return [(m, [(r, line_objective(r)) for r in m.lines]) for m in self.result.missions]


def _number(value: Decimal) -> str:
    """``Decimal("66.2600")`` → "66,26", ``Decimal("12000.0000")`` → "12 000"."""
    exponent = value.normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return str(floatformat(value, f"{places}g"))


def _euros(value: Decimal) -> str:
    return f"{floatformat(value, '2g')} €"


def _threshold(value: Decimal, direction: str) -> str:
    sign = "≤" if direction == DECREASING else "≥"
    return f"{sign} {_number(value)}"


def _band(band: Band) -> str:
    if band.minimum is not None and band.maximum is not None:
        return _("de %(minimum)s à %(maximum)s") % {
            "minimum": _number(band.minimum),
            "maximum": _number(band.maximum),
        }
    if band.minimum is not None:
        return _("%(minimum)s et plus") % {"minimum": _number(band.minimum)}
    if band.maximum is not None:
        return _("jusqu'à %(maximum)s") % {"maximum": _number(band.maximum)}
    return _("toutes valeurs")


def line_objective(result: LineResult) -> str:
    """What a line's result is measured against, in words: the target with ≥ or ≤ by
    direction, the next tier to reach, or the band held."""
    terms = result.terms
    if terms.kind == "binary":
        return _("action à réaliser")
    if terms.kind == "crisis":
        return _("action réalisée, si la crise est reconnue par l'ARS")
    if terms.kind == "target":
        if terms.target is None:
            return _("cible non renseignée")
        return _("cible %(threshold)s") % {"threshold": _threshold(terms.target, terms.direction)}
    if terms.kind == "tiers":
        if not terms.tiers:
            return _("aucun palier renseigné")
        following = 0 if result.reached_tier is None else result.reached_tier + 1
        if following >= len(terms.tiers):
            return _("dernier palier atteint")
        tier = terms.tiers[following]
        message = (
            _("premier palier : %(threshold)s (%(amount)s)")
            if result.reached_tier is None
            else _("palier suivant : %(threshold)s (%(amount)s)")
        )
        return message % {
            "threshold": _threshold(tier.threshold, terms.direction),
            "amount": _euros(tier.amount),
        }
    if terms.kind == "bands":
        if not terms.bands:
            return _("aucune tranche renseignée")
        if result.holding_band is None:
            if terms.achieved is None:
                return _("%(count)s tranches, jusqu'à %(amount)s") % {
                    "count": len(terms.bands),
                    "amount": _euros(result.potential),
                }
            return _("aucune tranche tenue")
        band = terms.bands[result.holding_band]
        return _("tranche tenue : %(band)s (%(amount)s)") % {
            "band": _band(band),
            "amount": _euros(band.amount),
        }
    return ""


def year_overview(year: ContractYear) -> YearOverview:
    contract = year.contract
    years = list(contract.years.order_by("number"))
    result = year_result(year)
    with_envelope = {m.envelope.mission_id for m in result.missions}
    missing = [
        cm.mission
        for cm in ContractMission.objects.filter(contract=contract)
        .select_related("mission")
        .order_by("mission__position")
        if cm.mission_id not in with_envelope
    ]
    return YearOverview(
        year=year,
        years=years,
        result=result,
        fonctionnement=fonctionnement_for(year),
        fonctionnement_default=default_fonctionnement(contract.taille),
        ceiling=ceiling_for(contract.taille, year.start),
        missing_missions=missing,
    )


def envelope_missions(year: ContractYear, envelope: MissionEnvelope | None = None) -> list[Mission]:
    """Missions an envelope of ``year`` may be created for: chosen by the contract and
    without an envelope this year yet."""
    taken = MissionEnvelope.objects.filter(year=year)
    if envelope is not None:
        taken = taken.exclude(pk=envelope.pk)
    return list(
        Mission.objects.filter(contracts__contract_id=year.contract_id)
        .exclude(pk__in=taken.values("mission_id"))
        .order_by("position", "key")
    )


@dataclass(frozen=True)
class Alerts:
    contract: Contract | None
    deadlines: list[MissionRow]
    year: ContractYear | None
    mismatched: list[MissionResult]

    def __bool__(self) -> bool:
        return bool(self.deadlines or self.mismatched)


def contract_alerts(on: date) -> Alerts:
    """Deadlines near or passed on the current contract, and the current year's missions whose
    lines do not sum to their variable envelope."""
    contract = current_contract()
    if contract is None:
        return Alerts(contract=None, deadlines=[], year=None, mismatched=[])
    deadlines = [row for row in _mission_rows(contract, on) if row.schedule and row.schedule.alert]
    year = year_covering(list(contract.years.order_by("number")), on)
    mismatched = []
    if year is not None:
        mismatched = [m for m in year_result(year).missions if m.lines_mismatch]
    return Alerts(contract=contract, deadlines=deadlines, year=year, mismatched=mismatched)
