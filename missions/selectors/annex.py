"""Reads of the contract annex file: the current contract and the year a file is about, the
export of a year in the file's structure, and the plan of an import (what it adds, updates,
removes and keeps) that the preview shows and ``missions.services.annex`` carries out."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _

from missions.annex import (
    DONE_KINDS,
    MEASURED,
    Annex,
    AnnexError,
    AnnexInvalid,
    AnnexLine,
    AnnexMission,
)
from missions.annex_dump import dump_annex
from missions.earning import Band, LineTerms, Tier, potential
from missions.models import (
    Contract,
    ContractMission,
    ContractStatus,
    ContractYear,
    IndicatorLine,
    LineBand,
    LineTier,
    Livrable,
    Mission,
    MissionEnvelope,
)
from missions.selectors import contract as contract_selectors

ADDED, UPDATED, UNCHANGED, REMOVED = "added", "updated", "unchanged", "removed"


def current_contract() -> Contract | None:
    """The contract an annex goes into: the current contract (missions.selectors.contract),
    provided it is signed — never a draft."""
    contract = contract_selectors.current_contract()
    return contract if contract is not None and contract.status == ContractStatus.SIGNED else None


def current_year(number: int) -> ContractYear | None:
    """Year ``number`` of the current contract, if any."""
    contract = current_contract()
    if contract is None:
        return None
    return (
        ContractYear.objects.select_related("contract")
        .filter(contract=contract, number=number)
        .first()
    )


def annex_year(annex: Annex) -> ContractYear:
    """The year of the current contract the file is about, or ``AnnexInvalid``."""
    contract = current_contract()
    if contract is None:
        raise AnnexInvalid(
            [AnnexError("contract_year", _("Aucun contrat signé : saisissez d'abord le contrat."))]
        )
    year = ContractYear.objects.select_related("contract").filter(
        contract=contract, number=annex.contract_year
    )
    found = year.first()
    if found is None:
        raise AnnexInvalid(
            [
                AnnexError(
                    "contract_year",
                    _("Le contrat en cours n'a pas d'année %(number)s.")
                    % {"number": annex.contract_year},
                )
            ]
        )
    errors = [
        AnnexError(
            f"missions[{index}].start",
            _("Le début doit tomber dans l'année %(number)s (du %(start)s au %(end)s).")
            % {
                "number": found.number,
                "start": found.start.strftime("%d/%m/%Y"),
                "end": found.end.strftime("%d/%m/%Y"),
            },
        )
        for index, mission in enumerate(annex.missions)
        if mission.start is not None and not found.start <= mission.start <= found.end
    ]
    if errors:
        raise AnnexInvalid(errors)
    return found


def _envelopes(year: ContractYear) -> list[MissionEnvelope]:
    livrables = Livrable.objects.annotate(proof_count=Count("proofs")).order_by("position", "pk")
    lines = IndicatorLine.objects.order_by("position", "pk").prefetch_related(
        Prefetch("tiers", queryset=LineTier.objects.order_by("position", "pk")),
        Prefetch("bands", queryset=LineBand.objects.order_by("position", "pk")),
        Prefetch("livrables", queryset=livrables),
    )
    return list(
        MissionEnvelope.objects.filter(year=year)
        .select_related("mission")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by("mission__position", "pk")
    )


def _annex_line(line: IndicatorLine, *, export: bool = False) -> AnnexLine:
    """A stored line in the file's structure (its tiers, bands and livrables prefetched). The
    export writes the amount of a tiers or bands line as its best tier or band, the only one
    the import accepts."""
    tiers = tuple(
        Tier(threshold=t.threshold, amount=t.amount, label=t.label) for t in line.tiers.all()
    )
    bands = tuple(
        Band(minimum=b.minimum, maximum=b.maximum, amount=b.amount) for b in line.bands.all()
    )
    amount = line.amount
    steps = tiers if line.kind == "tiers" else bands if line.kind == "bands" else ()
    if export and steps:
        amount = max(step.amount for step in steps)
    return AnnexLine(
        label=line.label,
        kind=line.kind,
        amount=amount,
        direction=line.direction,
        baseline=line.baseline if line.kind in MEASURED else None,
        target=line.target if line.kind == "target" else None,
        tiers=tiers if line.kind == "tiers" else (),
        bands=bands if line.kind == "bands" else (),
        livrables=tuple(livrable.label for livrable in line.livrables.all()),
        achieved=line.achieved if line.kind in MEASURED else None,
        done=line.done if line.kind in DONE_KINDS else None,
    )


def year_annex(year: ContractYear) -> Annex:
    """The year in the file's structure (what ``export_contract`` writes)."""
    return Annex(
        contract_year=year.number,
        crisis_recognised=year.crisis_recognised,
        missions=tuple(
            AnnexMission(
                key=envelope.mission.key,
                fixed=envelope.fixed,
                variable=envelope.variable,
                start=envelope.start,
                lines=tuple(_annex_line(line, export=True) for line in envelope.lines.all()),
            )
            for envelope in _envelopes(year)
        ),
    )


def export_yaml(year: ContractYear) -> str:
    return dump_annex(year_annex(year))


# --- The plan of an import -------------------------------------------------------------------


@dataclass
class LinePlan:
    annex: AnnexLine | None  # None: the stored line is removed
    line: IndicatorLine | None  # None: a new line
    changes: list[str] = field(default_factory=list)  # French names of what changes
    proofs: int = 0  # proofs of the stored line: kept when matched, deleted when removed
    livrables_kept: list[str] = field(default_factory=list)  # not in the file, kept for proofs
    livrables_removed: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.annex.label if self.annex else self.line.label if self.line else ""

    @property
    def status(self) -> str:
        if self.line is None:
            return ADDED
        if self.annex is None:
            return REMOVED
        return UPDATED if self.changes or self.livrables_removed else UNCHANGED


@dataclass
class MissionPlan:
    mission: Mission
    annex: AnnexMission | None  # None: the stored envelope is removed
    envelope: MissionEnvelope | None  # None: a new envelope
    choose_mission: bool = False  # the contract does not list the mission yet
    envelope_changes: list[tuple[str, str, str]] = field(default_factory=list)
    lines: list[LinePlan] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.envelope is None:
            return ADDED
        if self.annex is None:
            return REMOVED
        changed = self.envelope_changes or any(p.status != UNCHANGED for p in self.lines)
        return UPDATED if changed else UNCHANGED

    @property
    def lines_potential(self) -> Decimal:
        """What the file's lines can earn at most."""
        lines = self.annex.lines if self.annex else ()
        return sum((potential(_terms(line)) for line in lines), Decimal(0))

    @property
    def lines_mismatch(self) -> bool:
        return self.annex is not None and self.lines_potential != self.annex.variable


@dataclass
class AnnexPlan:
    year: ContractYear
    annex: Annex
    missions: list[MissionPlan]
    existing_lines: int  # lines the year has before the import
    crisis_change: tuple[bool, bool] | None = None

    @property
    def needs_replace(self) -> bool:
        return self.existing_lines > 0

    def count(self, status: str) -> int:
        return sum(1 for m in self.missions for p in m.lines if p.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {status: self.count(status) for status in (ADDED, UPDATED, UNCHANGED, REMOVED)}

    @property
    def proofs_kept(self) -> int:
        return sum(p.proofs for m in self.missions for p in m.lines if p.status != REMOVED)

    @property
    def proofs_deleted(self) -> int:
        return sum(p.proofs for m in self.missions for p in m.lines if p.status == REMOVED)

    @property
    def has_changes(self) -> bool:
        return self.crisis_change is not None or any(
            m.status != UNCHANGED or m.choose_mission for m in self.missions
        )


def _terms(line: AnnexLine) -> LineTerms:
    return LineTerms(kind=line.kind, amount=line.amount, tiers=line.tiers, bands=line.bands)


def euros(value: Decimal | None) -> str:
    """``Decimal("1234.5")`` → ``1 234,50 €`` (narrow no-break space between thousands)."""
    if value is None:
        return "—"
    return f"{value:,.2f}".replace(",", "\u202f").replace(".", ",") + "\u00a0€"


def _line_changes(old: AnnexLine, new: AnnexLine, moved: bool) -> list[str]:
    names = {
        "kind": _("type"),
        "amount": _("montant"),
        "direction": _("sens"),
        "baseline": _("valeur de départ"),
        "target": _("cible"),
        "tiers": _("paliers"),
        "bands": _("tranches"),
    }
    changes = [str(name) for key, name in names.items() if getattr(old, key) != getattr(new, key)]
    if new.achieved is not None and new.achieved != old.achieved:
        changes.append(_("valeur atteinte"))
    if new.done is not None and new.done != bool(old.done) and new.kind in DONE_KINDS:
        changes.append(_("réalisée"))
    if moved:
        changes.append(_("ordre"))
    return changes


def _line_plan(line: IndicatorLine | None, new: AnnexLine | None, position: int) -> LinePlan:
    if line is None:
        return LinePlan(annex=new, line=None)
    livrables = list(line.livrables.all())
    proofs = sum(getattr(livrable, "proof_count", 0) for livrable in livrables)
    if new is None:
        return LinePlan(annex=None, line=line, proofs=proofs)
    plan = LinePlan(annex=new, line=line, proofs=proofs)
    plan.changes = _line_changes(_annex_line(line), new, line.position != position)
    matched: set[str] = set()
    for livrable in livrables:
        if livrable.label in new.livrables and livrable.label not in matched:
            matched.add(livrable.label)
            continue
        has_proofs = getattr(livrable, "proof_count", 0)
        target = plan.livrables_kept if has_proofs else plan.livrables_removed
        target.append(livrable.label)
    # After the import: the file's livrables in its order, then those kept for their proofs.
    if [*new.livrables, *plan.livrables_kept] != [livrable.label for livrable in livrables]:
        plan.changes.append(_("livrables"))
    return plan


def _envelope_changes(envelope: MissionEnvelope, new: AnnexMission) -> list[tuple[str, str, str]]:
    changes = []
    if envelope.fixed != new.fixed:
        changes.append((_("part fixe"), euros(envelope.fixed), euros(new.fixed)))
    if envelope.variable != new.variable:
        changes.append((_("part variable"), euros(envelope.variable), euros(new.variable)))
    if envelope.start != new.start:

        def day(value: Any) -> str:
            return value.strftime("%d/%m/%Y") if value else "—"

        changes.append((_("début"), day(envelope.start), day(new.start)))
    return changes


def annex_plan(year: ContractYear, annex: Annex) -> AnnexPlan:
    """What importing ``annex`` into ``year`` would do (a constant number of queries)."""
    envelopes = {envelope.mission.key: envelope for envelope in _envelopes(year)}
    catalogue = {mission.key: mission for mission in Mission.objects.all()}
    chosen = set(
        ContractMission.objects.filter(contract_id=year.contract_id).values_list(
            "mission__key", flat=True
        )
    )
    plans = []
    for new in annex.missions:
        envelope = envelopes.pop(new.key, None)
        stored: dict[str, list[IndicatorLine]] = {}
        for line in envelope.lines.all() if envelope else ():
            stored.setdefault(line.label, []).append(line)
        plan = MissionPlan(
            mission=catalogue[new.key],
            annex=new,
            envelope=envelope,
            choose_mission=new.key not in chosen,
            envelope_changes=_envelope_changes(envelope, new) if envelope else [],
        )
        plan.lines = [
            _line_plan(_first(stored, line.label), line, position)
            for position, line in enumerate(new.lines)
        ]
        # Stored lines the file does not name (including a second line of the same label).
        plan.lines += [_line_plan(line, None, 0) for same in stored.values() for line in same]
        plans.append(plan)
    for envelope in envelopes.values():
        plan = MissionPlan(mission=envelope.mission, annex=None, envelope=envelope)
        plan.lines = [_line_plan(line, None, 0) for line in envelope.lines.all()]
        plans.append(plan)
    crisis = annex.crisis_recognised
    return AnnexPlan(
        year=year,
        annex=annex,
        missions=plans,
        existing_lines=sum(len(envelope.lines.all()) for envelope in _all(plans)),
        crisis_change=(year.crisis_recognised, crisis)
        if crisis is not None and crisis != year.crisis_recognised
        else None,
    )


def _first(stored: dict[str, list[IndicatorLine]], label: str) -> IndicatorLine | None:
    same = stored.get(label)
    return same.pop(0) if same else None


def _all(plans: list[MissionPlan]) -> list[MissionEnvelope]:
    return [plan.envelope for plan in plans if plan.envelope is not None]
