"""The payments the CPAM made on the demo contract (see ``missions.demo``), following the
financing rules of DESIGN.md §2: fonctionnement in full at signature for year 1, then a 75 %
advance at each anniversary and the balance with the year's balance; each mission's fixed part
as a 75 % advance at its start, prorated to the anniversary, and the balance at the
anniversary; the variable part after the dialogue de gestion, for what the lines earned (read
from ``missions.selectors.earnings.year_result``). Payments arrive a few weeks after their
due date. The balance of year 2's fonctionnement was only partly paid, and the fixed-part
advance of the qualité mission for year 3 has not arrived yet: the schedule shows both gaps."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from cpts.models import User
from missions.aci import fonctionnement_for
from missions.models import Contract, ContractYear, PaymentNature, ReceivedPayment
from missions.selectors.earnings import year_result

CENT = Decimal("0.01")
ADVANCE = Decimal("0.75")
PAID_YEARS = (1, 2, 3)
LATE_MISSION = "qualite"  # its year-3 fixed advance has not been paid
PARTIAL_BALANCE = Decimal("10000.00")  # paid on year 2's fonctionnement balance


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _prorata(year: ContractYear, start: datetime.date | None) -> Decimal:
    if start is None or start <= year.start:
        return Decimal(1)
    if start > year.end:
        return Decimal(0)
    return Decimal((year.end - start).days + 1) / Decimal((year.end - year.start).days + 1)


def _later(day: datetime.date, days: int) -> datetime.date:
    return day + datetime.timedelta(days=days)


def _year_payments(year: ContractYear, user: User | None) -> list[ReceivedPayment]:
    payments: list[ReceivedPayment] = []
    anniversary = _later(year.end, 1)
    settled = year.dialogue_on

    def pay(day: datetime.date, amount: Decimal, nature: str, **extra: object) -> None:
        if amount > 0:
            number = f"{day:%Y%m}-{len(payments) + 1:02d}"
            payments.append(
                ReceivedPayment(
                    year=year,
                    received_on=day,
                    amount=amount,
                    nature=nature,
                    reference=f"VIR CPAM 34 ACI {number}",
                    recorded_by=user,
                    **extra,
                )
            )

    fonctionnement = _cents(fonctionnement_for(year))
    if year.number == 1:
        pay(_later(year.start, 28), fonctionnement, PaymentNature.FONCTIONNEMENT)
    else:
        advance = _cents(fonctionnement * ADVANCE)
        pay(_later(year.start, 30), advance, PaymentNature.FONCTIONNEMENT)
        if settled is not None:
            balance = fonctionnement - advance
            if year.number == 2:
                pay(
                    _later(settled, 30),
                    min(PARTIAL_BALANCE, balance),
                    PaymentNature.FONCTIONNEMENT,
                    note="Versement partiel du solde de fonctionnement : reste attendu.",
                )
            else:
                pay(_later(settled, 30), balance, PaymentNature.FONCTIONNEMENT)
    result = year_result(year)
    for mission in result.missions:
        envelope = mission.envelope
        due = _cents(envelope.fixed * _prorata(year, envelope.start))
        advance = _cents(due * ADVANCE)
        late = year.number == 3 and envelope.mission.key == LATE_MISSION
        if not late:
            start = max(envelope.start or year.start, year.start)
            pay(_later(start, 35), advance, PaymentNature.FIXED, mission=envelope.mission)
        if year.number < 3:
            pay(
                _later(anniversary, 45),
                due - advance,
                PaymentNature.FIXED,
                mission=envelope.mission,
            )
        if settled is not None:
            pay(
                _later(settled, 30),
                _cents(mission.earned),
                PaymentNature.VARIABLE,
                mission=envelope.mission,
            )
    today = timezone.localdate()
    return [payment for payment in payments if payment.received_on <= today]


def seed_payments(contract: Contract, user: User | None) -> list[ReceivedPayment]:
    """The received payments of years 1 to 3, for the years that have none yet."""
    paid = set(
        ReceivedPayment.objects.filter(year__contract=contract).values_list("year_id", flat=True)
    )
    payments: list[ReceivedPayment] = []
    years = contract.years.filter(number__in=PAID_YEARS).select_related("contract")
    for year in years.order_by("number"):
        if year.pk not in paid:
            payments += _year_payments(year, user)
    return ReceivedPayment.objects.bulk_create(payments)
