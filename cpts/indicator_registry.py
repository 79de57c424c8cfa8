"""The registry of computed indicators (issue "indicators"): each computation is one function,
kept in the selectors of the application that owns the data, registered under its code with
``@computed_indicator``. The indicators application turns the registry into
``IndicatorDefinition`` rows and runs the functions for a period.

A computation receives the first and last day of the period (both included) and returns one
number, or a mapping of breakdowns to numbers in which the key ``""`` is the total (e.g.
``{"": 120, "Infirmier·e": 30, …}``). It must be a few SQL aggregates whatever the data size:
no loop over rows in Python.

It lives in ``cpts`` so that every application can register without importing ``indicators``
(dependencies point one way: indicators → missions → governance → members → cpts).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Number = int | Decimal
Value = Number | Mapping[str, Number]
Computation = Callable[[date, date], Value]

UNITS = ("count", "percent", "euros", "hours")
DIRECTIONS = ("increasing", "decreasing")


@dataclass(frozen=True)
class ComputedIndicator:
    code: str
    label: StrOrPromise
    description: StrOrPromise
    function: Computation
    unit: str = "count"
    direction: str = "increasing"
    mission: str = ""  # a key of the mission catalogue (missions.catalogue.CATALOGUE_KEYS), or ""
    position: int = 0


_REGISTRY: dict[str, ComputedIndicator] = {}


def computed_indicator(
    code: str,
    *,
    label: StrOrPromise,
    description: StrOrPromise,
    unit: str = "count",
    direction: str = "increasing",
    mission: str = "",
    position: int = 0,
) -> Callable[[Computation], Computation]:
    """Register ``function`` as the computation of the indicator ``code``."""
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r} for {code}")
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown direction {direction!r} for {code}")

    def register(function: Computation) -> Computation:
        existing = _REGISTRY.get(code)
        if existing is not None and existing.function is not function:
            raise ValueError(f"indicator {code} registered twice")
        _REGISTRY[code] = ComputedIndicator(
            code=code,
            label=label,
            description=description,
            function=function,
            unit=unit,
            direction=direction,
            mission=mission,
            position=position,
        )
        return function

    return register


def registered_indicators() -> dict[str, ComputedIndicator]:
    return dict(_REGISTRY)


def as_breakdown(value: Value) -> dict[str, Decimal]:
    """A computation's result as {breakdown: value}, the total under ``""``."""
    if isinstance(value, Mapping):
        result = {str(key): Decimal(number) for key, number in value.items()}
        if "" not in result:
            raise ValueError("a breakdown must carry its total under the key ''")
        return result
    return {"": Decimal(value)}
