"""Reads of the financing schedule: per contract year and for the whole contract, the payments
expected by date (missions.schedule, fed with the earned amounts of
missions.selectors.earnings) against those received, with totals, gaps, cumulative series and
the charts (cpts.charts) that pages and PDFs show alike.

Queries: the years (1), the received payments of the whole contract (1), and year_result for
each year shown (5 each): never more with more payments, envelopes or lines."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from cpts.charts import Series, bar_chart, line_chart
from missions.models import Contract, ContractYear, PaymentNature, ReceivedPayment
from missions.schedule import (
    ZERO,
    EnvelopeTerms,
    ExpectedPayment,
    YearTerms,
    cumulative,
    total,
    variable_possible,
    year_schedule,
)
from missions.selectors.earnings import YearResult, year_result

EXPECTED_COLOR = "#2f6f9f"
RECEIVED_COLOR = "#d9822b"


def year_terms(year: ContractYear, taille: str, result: YearResult) -> YearTerms:
    """The schedule's view of a year, its envelopes and what their lines earned."""
    return YearTerms(
        number=year.number,
        start=year.start,
        end=year.end,
        taille=taille,
        fonctionnement=year.fonctionnement,
        dialogue_on=year.dialogue_on,
        envelopes=tuple(
            EnvelopeTerms(
                mission_key=mission.envelope.mission.key,
                mission_name=mission.envelope.mission.name,
                fixed=mission.envelope.fixed,
                variable=mission.envelope.variable,
                earned=mission.earned,
                potential=mission.potential,
                start=mission.envelope.start,
            )
            for mission in result.missions
        ),
    )


@dataclass(frozen=True)
class NatureRow:
    nature: str
    label: str
    expected: Decimal
    received: Decimal

    @property
    def gap(self) -> Decimal:
        return self.received - self.expected


@dataclass(frozen=True)
class YearFinancing:
    year: ContractYear
    terms: YearTerms
    expected: list[ExpectedPayment]
    received: list[ReceivedPayment]
    today: datetime.date

    @property
    def expected_total(self) -> Decimal:
        return total(self.expected)

    @property
    def expected_due(self) -> Decimal:
        """What should have come in by today."""
        return total(p for p in self.expected if p.date <= self.today)

    @property
    def received_total(self) -> Decimal:
        return sum((p.amount for p in self.received), ZERO)

    @property
    def gap(self) -> Decimal:
        """Received minus due by today: negative when payments are late."""
        return self.received_total - self.expected_due

    @property
    def remaining(self) -> Decimal:
        """What is still to come over the whole year's schedule."""
        return self.expected_total - self.received_total

    @property
    def variable_possible(self) -> Decimal:
        """The variable part still possible on top of the schedule, until the dialogue de
        gestion: not counted in ``expected_total``."""
        return variable_possible(self.terms, self.today)

    @property
    def maximum_total(self) -> Decimal:
        """The schedule plus every variable euro still possible."""
        return self.expected_total + self.variable_possible

    @property
    def has_estimates(self) -> bool:
        return any(p.estimated for p in self.expected)

    @property
    def by_nature(self) -> list[NatureRow]:
        expected: dict[str, Decimal] = defaultdict(lambda: ZERO)
        received: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for payment in self.expected:
            expected[payment.nature] += payment.amount
        for item in self.received:
            received[item.nature] += item.amount
        return [
            NatureRow(nature, str(label), expected[nature], received[nature])
            for nature, label in PaymentNature.choices
            if expected[nature] or received[nature] or nature != PaymentNature.OTHER
        ]

    def cumulative_series(
        self,
    ) -> tuple[list[datetime.date], list[Decimal], list[Decimal]]:
        """The dates of every expected or received payment, and the running totals of both
        at each date."""
        expected = dict(cumulative((p.date, p.amount) for p in self.expected))
        received = dict(cumulative((p.received_on, p.amount) for p in self.received))
        dates = sorted(set(expected) | set(received))
        return dates, _carry(dates, expected), _carry(dates, received)

    def nature_chart(self) -> SafeString:
        rows = self.by_nature
        return bar_chart(
            [row.label for row in rows],
            [
                Series(_("Attendu"), [row.expected for row in rows], EXPECTED_COLOR),
                Series(_("Reçu"), [row.received for row in rows], RECEIVED_COLOR),
            ],
            title=_("Année %(number)s : attendu et reçu par nature") % {"number": self.year.number},
            description=_(
                "Montants attendus selon l'échéancier et montants reçus, par nature de "
                "versement, pour l'année %(number)s du contrat."
            )
            % {"number": self.year.number},
            chart_id=f"financement-annee-{self.year.number}-natures",
        )

    def cumulative_chart(self) -> SafeString:
        dates, expected, received = self.cumulative_series()
        return line_chart(
            [day.strftime("%d/%m/%Y") for day in dates],
            [
                Series(_("Attendu cumulé"), list(expected), EXPECTED_COLOR),
                Series(_("Reçu cumulé"), list(received), RECEIVED_COLOR),
            ],
            title=_("Année %(number)s : cumul attendu et reçu") % {"number": self.year.number},
            description=_(
                "Total cumulé des versements attendus et des versements reçus, date par date, "
                "pour l'année %(number)s du contrat."
            )
            % {"number": self.year.number},
            step=True,
            chart_id=f"financement-annee-{self.year.number}-cumul",
        )


def _carry(dates: list[datetime.date], running: dict[datetime.date, Decimal]) -> list[Decimal]:
    """A running total at each of ``dates``, holding its last value between its own dates."""
    values, last = [], ZERO
    for day in dates:
        last = running.get(day, last)
        values.append(last)
    return values


@dataclass(frozen=True)
class ContractFinancing:
    contract: Contract
    years: list[YearFinancing]  # every year, or the one asked for

    @property
    def expected_total(self) -> Decimal:
        return sum((y.expected_total for y in self.years), ZERO)

    @property
    def expected_due(self) -> Decimal:
        return sum((y.expected_due for y in self.years), ZERO)

    @property
    def variable_possible(self) -> Decimal:
        return sum((y.variable_possible for y in self.years), ZERO)

    @property
    def maximum_total(self) -> Decimal:
        return sum((y.maximum_total for y in self.years), ZERO)

    @property
    def received_total(self) -> Decimal:
        return sum((y.received_total for y in self.years), ZERO)

    @property
    def gap(self) -> Decimal:
        return self.received_total - self.expected_due

    @property
    def remaining(self) -> Decimal:
        return self.expected_total - self.received_total

    def years_chart(self) -> SafeString:
        return bar_chart(
            [str(_("Année %(number)s") % {"number": y.year.number}) for y in self.years],
            [
                Series(_("Attendu"), [y.expected_total for y in self.years], EXPECTED_COLOR),
                Series(_("Reçu"), [y.received_total for y in self.years], RECEIVED_COLOR),
            ],
            title=_("Contrat : attendu et reçu par année"),
            description=_(
                "Montants attendus selon l'échéancier et montants reçus, pour chaque année du "
                "contrat."
            ),
            chart_id="financement-contrat-annees",
        )


def contract_financing(
    contract: Contract, today: datetime.date, *, number: int | None = None
) -> ContractFinancing:
    """The schedule of every year of ``contract`` (or of year ``number`` only) against the
    payments received."""
    years = list(contract.years.order_by("number"))
    if number is not None:
        years = [year for year in years if year.number == number]
    payments = (
        ReceivedPayment.objects.filter(year__in=years)
        .select_related("mission")
        .order_by("received_on", "pk")
    )
    received: dict[int, list[ReceivedPayment]] = defaultdict(list)
    for payment in payments:
        received[payment.year_id].append(payment)
    financing = []
    for year in years:
        year.contract = contract
        terms = year_terms(year, contract.taille, year_result(year))
        financing.append(
            YearFinancing(
                year=year,
                terms=terms,
                expected=year_schedule(terms, today),
                received=received[year.pk],
                today=today,
            )
        )
    return ContractFinancing(contract=contract, years=financing)


def received_during(start: datetime.date, end: datetime.date) -> list[NatureRow]:
    """Payments received from ``start`` to ``end`` (both included), whatever their contract
    year, per nature (one query): the AG report's finances summary."""
    totals = dict(
        ReceivedPayment.objects.filter(received_on__range=(start, end))
        .order_by()
        .values("nature")
        .annotate(total=Sum("amount"))
        .values_list("nature", "total")
    )
    return [
        NatureRow(nature, str(label), ZERO, totals.get(nature) or ZERO)
        for nature, label in PaymentNature.choices
        if totals.get(nature)
    ]
