"""Reads of the crisis plan and of the crisis mission's place in the ACI contract."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from crisis.models import SECTION_FIELDS, PlanVersion
from missions.deadlines import MissionSchedule, mission_schedule
from missions.models import Contract, ContractMission, ContractStatus

CRISIS_MISSION_KEY = "crise"


@dataclass(frozen=True)
class CrisisMissionSchedule:
    contract: Contract
    contract_mission: ContractMission
    schedule: MissionSchedule


def crisis_mission_schedule() -> CrisisMissionSchedule | None:
    """The crisis mission's deadlines (start within 6 months of the signature, deployed
    within 18) and state today, for the signed contract that chose it (None otherwise)."""
    contract_mission = (
        ContractMission.objects.filter(
            mission__key=CRISIS_MISSION_KEY, contract__status=ContractStatus.SIGNED
        )
        .select_related("contract", "mission")
        .order_by("-contract__signed_on")
        .first()
    )
    if contract_mission is None:
        return None
    contract = contract_mission.contract
    schedule = mission_schedule(
        timezone.localdate(),
        contract.signed_on,
        contract_mission.mission,
        contract_mission.started_on,
        contract_mission.deployed_on,
    )
    return CrisisMissionSchedule(
        contract=contract, contract_mission=contract_mission, schedule=schedule
    )


# The parts of the plan whose last change is dated on the plan's page.
CELL_FIELDS = (
    "referent_sse_id",
    "referent_sse_deputy_id",
    "cell_place",
    "cell_fallback_place",
    "cell_activation",
)
PART_FIELDS: dict[str, tuple[str, ...]] = {
    "cell": CELL_FIELDS,
    "contact_tree": ("contact_tree",),
    **{str(key): (name,) for key, name in SECTION_FIELDS.items()},
}


@dataclass(frozen=True)
class PartUpdate:
    """The version in which a part of the plan last took its present content."""

    number: int
    updated_at: datetime.datetime


def part_updates(plan: PlanVersion) -> dict[str, PartUpdate]:
    """For each part of ``plan`` (the cell, the contact tree, each situation), the earliest
    version of the unbroken run of versions up to ``plan`` where it reads the same: the date
    that part was last updated. One query, whatever the number of versions."""
    names = sorted({name for fields in PART_FIELDS.values() for name in fields})
    rows = (
        PlanVersion.objects.filter(number__lte=plan.number)
        .order_by("-number")
        .values("number", "created_at", *names)
    )
    current = {part: [getattr(plan, n) for n in fields] for part, fields in PART_FIELDS.items()}
    pending = set(PART_FIELDS)
    found: dict[str, PartUpdate] = {}
    for row in rows:
        for part in list(pending):
            if [row[n] for n in PART_FIELDS[part]] == current[part]:
                found[part] = PartUpdate(number=row["number"], updated_at=row["created_at"])
            else:
                pending.discard(part)
        if not pending:
            break
    return found
