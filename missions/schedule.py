"""The ACI financing schedule (DESIGN.md §2) as pure functions of plain inputs: what the CPAM
is expected to pay, when, and for what. Nothing here reads the database.

Per contract year:
- **fonctionnement** by taille (overridable per year): paid in full at signature for year 1;
  for years 2 to 5, a 75 % advance at the year's start (the anniversary) and the 25 % balance
  with the year's balance (the dialogue de gestion, or the day after the year's end when its
  date is not known yet);
- each mission's **fixed part**: a 75 % advance at the mission's start (its envelope's start,
  or the year's start), prorated to the next anniversary (days from the start to the year's
  end, both included, over the days of the year), and the balance at the anniversary;
- the **variable part**: what the indicator lines earned, paid after the dialogue de gestion;
  an estimate until the dialogue has taken place. Until then, what the lines could still earn
  (their potential minus what they earned) is kept apart: ``variable_possible``.

Amounts are rounded to the cent (ROUND_HALF_UP); balances are what is left, so an advance and
its balance always add up to the prorated amount.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from missions import aci

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
ADVANCE_RATE = Decimal("0.75")

FONCTIONNEMENT = "fonctionnement"
FIXED = "fixe"
VARIABLE = "variable"
NATURES = (FONCTIONNEMENT, FIXED, VARIABLE)

# Fonctionnement per contract year, by taille (DESIGN.md §2): one table, in missions.aci.
FONCTIONNEMENT_BY_TAILLE = aci.FONCTIONNEMENT_BY_TAILLE


def cents(value: Decimal) -> Decimal:
    """``value`` rounded to the cent, half up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class EnvelopeTerms:
    """A mission's envelope for one year, as the schedule needs it."""

    mission_key: str
    mission_name: str
    fixed: Decimal = ZERO
    variable: Decimal = ZERO
    earned: Decimal = ZERO  # what its lines earned (missions.selectors.earnings)
    potential: Decimal = ZERO  # what its lines could earn at most
    start: datetime.date | None = None  # None: from the year's start


@dataclass(frozen=True)
class YearTerms:
    """One contract year, as the schedule needs it."""

    number: int
    start: datetime.date
    end: datetime.date  # the day before the next anniversary
    taille: str
    fonctionnement: Decimal | None = None  # None: the taille's amount
    dialogue_on: datetime.date | None = None
    envelopes: Sequence[EnvelopeTerms] = field(default_factory=tuple)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def settlement_on(self) -> datetime.date:
        """When the year's balance and variable part are paid: the dialogue de gestion, or
        the day after the year's end while its date is unknown."""
        return self.dialogue_on or self.end + datetime.timedelta(days=1)

    @property
    def anniversary(self) -> datetime.date:
        return self.end + datetime.timedelta(days=1)


@dataclass(frozen=True)
class ExpectedPayment:
    """One payment the schedule expects."""

    date: datetime.date
    nature: str  # FONCTIONNEMENT, FIXED or VARIABLE
    label: str
    amount: Decimal
    mission_key: str = ""
    mission_name: str = ""
    estimated: bool = False  # the amount may still change (variable before the dialogue)
    date_presumed: bool = False  # the date is the rule's default, not a known date

    @property
    def nature_label(self) -> str:
        labels = {
            FONCTIONNEMENT: _("Fonctionnement"),
            FIXED: _("Part fixe"),
            VARIABLE: _("Part variable"),
        }
        return labels[self.nature]


def fonctionnement_amount(year: YearTerms) -> Decimal:
    if year.fonctionnement is not None:
        return cents(year.fonctionnement)
    return FONCTIONNEMENT_BY_TAILLE.get(year.taille, ZERO)


def prorata(year: YearTerms, start: datetime.date | None) -> Decimal:
    """The share of the year from ``start`` (included) to the year's end (included): 1 from
    the year's start (or before), 0 after its end."""
    if start is None or start <= year.start:
        return Decimal(1)
    if start > year.end:
        return Decimal(0)
    return Decimal((year.end - start).days + 1) / Decimal(year.days)


def fonctionnement_payments(year: YearTerms) -> list[ExpectedPayment]:
    amount = fonctionnement_amount(year)
    if amount <= 0:
        return []
    if year.number == 1:
        return [
            ExpectedPayment(
                date=year.start,
                nature=FONCTIONNEMENT,
                label=_("Fonctionnement, versé en totalité à la signature"),
                amount=amount,
            )
        ]
    advance = cents(amount * ADVANCE_RATE)
    return [
        ExpectedPayment(
            date=year.start,
            nature=FONCTIONNEMENT,
            label=_("Fonctionnement : avance de 75 % à la date anniversaire"),
            amount=advance,
        ),
        ExpectedPayment(
            date=year.settlement_on,
            nature=FONCTIONNEMENT,
            label=_("Fonctionnement : solde de 25 % avec le solde de l'année"),
            amount=amount - advance,
            date_presumed=year.dialogue_on is None,
        ),
    ]


def fixed_payments(year: YearTerms, envelope: EnvelopeTerms) -> list[ExpectedPayment]:
    """The fixed part of one mission: the 75 % advance at its start and the balance at the
    anniversary, both on the part prorated to the anniversary."""
    prorated = cents(envelope.fixed * prorata(year, envelope.start))
    if prorated <= 0:
        return []
    start = max(envelope.start or year.start, year.start)
    advance = cents(prorated * ADVANCE_RATE)
    names = {"mission": envelope.mission_name}
    return [
        ExpectedPayment(
            date=start,
            label=_("Part fixe %(mission)s : avance de 75 %% au démarrage") % names,
            amount=advance,
            nature=FIXED,
            mission_key=envelope.mission_key,
            mission_name=envelope.mission_name,
        ),
        ExpectedPayment(
            date=year.anniversary,
            label=_("Part fixe %(mission)s : solde à la date anniversaire") % names,
            amount=prorated - advance,
            nature=FIXED,
            mission_key=envelope.mission_key,
            mission_name=envelope.mission_name,
        ),
    ]


def variable_payment(
    year: YearTerms, envelope: EnvelopeTerms, today: datetime.date
) -> ExpectedPayment | None:
    """What the mission's lines earned, paid after the dialogue de gestion; an estimate
    until then (None when the mission has no variable part and earned nothing)."""
    if envelope.variable <= 0 and envelope.earned <= 0:
        return None
    held = dialogue_held(year, today)
    return ExpectedPayment(
        date=year.settlement_on,
        nature=VARIABLE,
        label=_("Part variable %(mission)s après le dialogue de gestion")
        % {"mission": envelope.mission_name},
        amount=cents(envelope.earned),
        mission_key=envelope.mission_key,
        mission_name=envelope.mission_name,
        estimated=not held,
        date_presumed=year.dialogue_on is None,
    )


def dialogue_held(year: YearTerms, today: datetime.date) -> bool:
    return year.dialogue_on is not None and year.dialogue_on <= today


def variable_possible(year: YearTerms, today: datetime.date) -> Decimal:
    """The variable part the lines could still earn on top of what they earned: the
    potential of each envelope's lines minus its earned amount, until the dialogue de gestion
    has taken place (then the year's variable part is settled: nothing more is possible)."""
    if dialogue_held(year, today):
        return ZERO
    return cents(sum((max(e.potential - e.earned, ZERO) for e in year.envelopes), ZERO))


_NATURE_ORDER = {nature: index for index, nature in enumerate(NATURES)}


def year_schedule(year: YearTerms, today: datetime.date) -> list[ExpectedPayment]:
    """Every payment expected for ``year``, by date (then fonctionnement, fixed, variable,
    in the order of the envelopes)."""
    payments = fonctionnement_payments(year)
    for envelope in year.envelopes:
        payments += fixed_payments(year, envelope)
    for envelope in year.envelopes:
        variable = variable_payment(year, envelope, today)
        if variable is not None:
            payments.append(variable)
    return sorted(payments, key=lambda p: (p.date, _NATURE_ORDER[p.nature]))


def total(payments: Iterable[ExpectedPayment]) -> Decimal:
    return sum((p.amount for p in payments), ZERO)


def cumulative(
    dated_amounts: Iterable[tuple[datetime.date, Decimal]],
) -> list[tuple[datetime.date, Decimal]]:
    """Running totals by date: one point per distinct date, in date order."""
    by_date: dict[datetime.date, Decimal] = {}
    for day, amount in dated_amounts:
        by_date[day] = by_date.get(day, ZERO) + amount
    running = ZERO
    points = []
    for day in sorted(by_date):
        running += by_date[day]
        points.append((day, running))
    return points
