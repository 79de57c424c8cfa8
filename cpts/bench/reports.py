"""The activity reports in the benchmark: the ACI report of the measured contract year (its
200 indicator lines per scale unit, cpts/bench/missions.py) and the AG report of the last full
calendar year, both over the five years of grown history (cpts/bench/history.py) and the
claims of the last twelve months (cpts/bench/claims.py: the indemnities section)."""

from __future__ import annotations

from django.utils import timezone

from cpts.bench import claims, history, missions

# The demo contract was signed 28 months ago: today falls in its third year (bench_year).
ACI_CONTRACT_YEAR = 3
AG_YEAR = timezone.localdate().year - 1


def grow() -> None:
    """Grow what both reports read to the scale (idempotent)."""
    history.grow_history()
    missions.grow()
    claims.seed_claims()
