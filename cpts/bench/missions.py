"""The benchmark's ACI contract data set, grown with the scale.

The demo data (``seed_demo``, run by ``cpts.bench.dataset.seed_scale``) already holds the
demo contract in its third year with the lines of its annexes. On top of it, the current
contract year receives ``LINES_PER_SCALE`` measurement lines per scale unit (200 at scale 1),
spread over the year's six envelopes and mixing every kind (binary, increasing and decreasing
targets, three tiers, three bands, crisis), each with two livrables, some with a result.

The contract pages measured in ``cpts.bench.targets`` take their URL arguments from
``home_kwargs`` and ``year_kwargs``, which grow this data set first (the scale is read from
the generated accounts of ``seed_scale``). Growing is idempotent and cumulative; bulk inserts,
no audit trail: throw-away measurement data.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from cpts.bench.dataset import BENCH_EMAIL_DOMAIN, USERS_PER_SCALE
from cpts.models import User
from missions.demo import DEMO_REFERENCE
from missions.models import (
    Contract,
    ContractYear,
    IndicatorLine,
    LineBand,
    LineTier,
    Livrable,
    LivrableStatus,
    MissionEnvelope,
)

BENCH_LINE_PREFIX = "Ligne de mesure n°"
LINES_PER_SCALE = 200
KINDS = ("binary", "target", "target", "tiers", "bands", "crisis")
D = Decimal


def bench_scale() -> int:
    """The scale ``seed_scale`` reached, from its generated accounts."""
    users = User.objects.filter(email__endswith=f"@{BENCH_EMAIL_DOMAIN}").count()
    return max(1, users // USERS_PER_SCALE)


def bench_year() -> ContractYear:
    """The demo contract's year covering today (its third year)."""
    contract = Contract.objects.get(reference=DEMO_REFERENCE)
    today = timezone.localdate()
    years = contract.years.order_by("number")
    return years.filter(start__lte=today, end__gte=today).first() or years.last() or years.get()


def _line(envelope: MissionEnvelope, number: int) -> IndicatorLine:
    kind = KINDS[number % len(KINDS)]
    decreasing = kind == "target" and number % 12 == 2
    line = IndicatorLine(
        envelope=envelope,
        position=100 + number,
        label=f"{BENCH_LINE_PREFIX} {number:05d}",
        kind=kind,
        direction="decreasing" if decreasing else "increasing",
        amount=D("1000") + number % 7 * 250,
    )
    if kind == "target":
        line.baseline, line.target = (D("300"), D("200")) if decreasing else (D("10"), D("25"))
    if kind in ("tiers", "bands", "target") and number % 3 == 0:
        line.achieved = D(number % 80)
        line.achieved_source = "manual"
    line.done = kind in ("binary", "crisis") and number % 2 == 0
    return line


@transaction.atomic
def seed_contract_lines(wanted: int) -> int:
    """Bring the current year to ``wanted`` measurement lines (idempotent); returns the
    number of measurement lines of the year."""
    year = bench_year()
    envelopes = list(year.envelopes.order_by("mission__position"))
    mine = IndicatorLine.objects.filter(
        envelope__year=year, label__startswith=BENCH_LINE_PREFIX
    ).count()
    if mine >= wanted or not envelopes:
        return mine
    lines = IndicatorLine.objects.bulk_create(
        [
            _line(envelopes[number % len(envelopes)], number)
            for number in range(mine + 1, wanted + 1)
        ],
        batch_size=500,
    )
    tiers, bands, livrables = [], [], []
    for line in lines:
        if line.kind == "tiers":
            tiers += [
                LineTier(line=line, position=i, label=label, threshold=t, amount=a)
                for i, (label, t, a) in enumerate(
                    (
                        ("Socle", D("20"), D("400")),
                        ("Intermédiaire", D("40"), D("800")),
                        ("Objectif", D("60"), line.amount),
                    )
                )
            ]
        if line.kind == "bands":
            bands += [
                LineBand(line=line, position=i, minimum=low, maximum=high, amount=a)
                for i, (low, high, a) in enumerate(
                    (
                        (None, D("30"), line.amount),
                        (D("31"), D("60"), D("500")),
                        (D("61"), D("100"), D("250")),
                    )
                )
            ]
        status = LivrableStatus.PROVIDED if line.done else LivrableStatus.MISSING
        livrables += [
            Livrable(line=line, position=0, label="Feuilles d'émargement", status=status),
            Livrable(line=line, position=1, label="Comptes rendus", status=LivrableStatus.MISSING),
        ]
    LineTier.objects.bulk_create(tiers, batch_size=500)
    LineBand.objects.bulk_create(bands, batch_size=500)
    Livrable.objects.bulk_create(livrables, batch_size=500)
    return mine + len(lines)


def grow() -> ContractYear:
    seed_contract_lines(LINES_PER_SCALE * bench_scale())
    return bench_year()


def home_kwargs() -> dict[str, Any]:
    """URL arguments of the contract home (none), once the data set is grown."""
    grow()
    return {}


def year_kwargs() -> dict[str, Any]:
    """URL arguments of the measured contract year's pages, once the data set is grown."""
    return {"pk": grow().pk}
