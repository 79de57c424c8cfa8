"""Reads of the crisis plan and of the crisis mission's place in the ACI contract."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

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
