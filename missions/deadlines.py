"""Dates of the ACI contract as pure functions (DESIGN.md §2): the five contract years, each
mission's start and deployment deadlines counted from the signature, its state on a given day
and the alert it raises. No database access: callers pass dates and catalogue missions."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

CONTRACT_YEARS = 5
ALERT_DAYS = 60

NOT_STARTED = "not_started"
STARTED = "started"
DEPLOYED = "deployed"
LATE = "late"

OVERDUE = "overdue"
SOON = "soon"


class CatalogueMission(Protocol):
    """What the deadlines need of a catalogue mission (``missions.models.Mission``)."""

    @property
    def start_months(self) -> int | None: ...

    @property
    def deployed_months(self) -> int | None: ...


def add_months(day: date, months: int) -> date:
    """``day`` plus calendar months; the 31st falls back on the last day of a shorter month
    (31/08 + 6 months = 28/02 or 29/02)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def year_dates(signed_on: date, number: int) -> tuple[date, date]:
    """Start and end (the day before the next anniversary) of contract year ``number``
    (1-based). Each anniversary is counted from the signature, so a contract signed on
    29/02 has its anniversaries on 28/02 in common years and on 29/02 in leap years."""
    start = add_months(signed_on, 12 * (number - 1))
    end = add_months(signed_on, 12 * number) - timedelta(days=1)
    return start, end


def all_year_dates(signed_on: date) -> list[tuple[date, date]]:
    return [year_dates(signed_on, number) for number in range(1, CONTRACT_YEARS + 1)]


def start_deadline(signed_on: date, mission: CatalogueMission) -> date | None:
    """The last day the mission may start (None: the catalogue sets no deadline)."""
    if mission.start_months is None:
        return None
    return add_months(signed_on, mission.start_months)


def deployment_deadline(signed_on: date, mission: CatalogueMission) -> date | None:
    """The last day the mission must be fully deployed (None: no deadline)."""
    if mission.deployed_months is None:
        return None
    return add_months(signed_on, mission.deployed_months)


def _reached(when: date | None, on: date) -> bool:
    return when is not None and when <= on


def mission_state(
    on: date,
    signed_on: date,
    mission: CatalogueMission,
    started_on: date | None,
    deployed_on: date | None,
) -> str:
    """``deployed``, ``started``, ``not_started`` or ``late`` on day ``on``. Late: not started
    after the start deadline, or started but not deployed after the deployment deadline (a
    deadline day itself is still in time)."""
    if _reached(deployed_on, on):
        return DEPLOYED
    started = _reached(started_on, on)
    if started:
        deadline = deployment_deadline(signed_on, mission)
        return LATE if deadline is not None and on > deadline else STARTED
    deadline = start_deadline(signed_on, mission)
    return LATE if deadline is not None and on > deadline else NOT_STARTED


def _pending_deadlines(
    on: date,
    signed_on: date,
    mission: CatalogueMission,
    started_on: date | None,
    deployed_on: date | None,
) -> list[date]:
    """The deadlines still unmet on day ``on``."""
    pending = []
    if not _reached(deployed_on, on):
        if not _reached(started_on, on):
            deadline = start_deadline(signed_on, mission)
            if deadline is not None:
                pending.append(deadline)
        deadline = deployment_deadline(signed_on, mission)
        if deadline is not None:
            pending.append(deadline)
    return pending


def alert_level(
    on: date,
    signed_on: date,
    mission: CatalogueMission,
    started_on: date | None,
    deployed_on: date | None,
) -> str | None:
    """``overdue`` when a deadline passed unmet, ``soon`` when an unmet deadline falls within
    the next 60 days (the deadline day included), else None."""
    pending = _pending_deadlines(on, signed_on, mission, started_on, deployed_on)
    if any(on > deadline for deadline in pending):
        return OVERDUE
    if any((deadline - on).days <= ALERT_DAYS for deadline in pending):
        return SOON
    return None


@dataclass(frozen=True)
class MissionSchedule:
    start_deadline: date | None
    deployment_deadline: date | None
    state: str
    alert: str | None
    next_deadline: date | None  # the nearest unmet deadline


def mission_schedule(
    on: date,
    signed_on: date,
    mission: CatalogueMission,
    started_on: date | None,
    deployed_on: date | None,
) -> MissionSchedule:
    pending = _pending_deadlines(on, signed_on, mission, started_on, deployed_on)
    return MissionSchedule(
        start_deadline=start_deadline(signed_on, mission),
        deployment_deadline=deployment_deadline(signed_on, mission),
        state=mission_state(on, signed_on, mission, started_on, deployed_on),
        alert=alert_level(on, signed_on, mission, started_on, deployed_on),
        next_deadline=min(pending) if pending else None,
    )
