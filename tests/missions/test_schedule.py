"""The financing schedule as pure functions: fonctionnement by taille and override, year 1 vs
later years, the fixed part prorated at every edge (start on the anniversary, on the last day,
in a leap year), the variable part estimated until the dialogue de gestion."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from missions.schedule import (
    FIXED,
    FONCTIONNEMENT,
    VARIABLE,
    EnvelopeTerms,
    YearTerms,
    cents,
    cumulative,
    fixed_payments,
    fonctionnement_payments,
    prorata,
    total,
    variable_payment,
    variable_possible,
    year_schedule,
)

D = Decimal


def _year(number: int = 2, start: date = date(2025, 3, 1), **kwargs: object) -> YearTerms:
    end = start.replace(year=start.year + 1) - (date(2000, 1, 2) - date(2000, 1, 1))
    defaults: dict[str, object] = {"taille": "T2"}
    defaults.update(kwargs)
    return YearTerms(number=number, start=start, end=end, **defaults)  # type: ignore[arg-type]


def _envelope(**kwargs: object) -> EnvelopeTerms:
    defaults: dict[str, object] = {"mission_key": "prevention", "mission_name": "Prévention"}
    defaults.update(kwargs)
    return EnvelopeTerms(**defaults)  # type: ignore[arg-type]


def test_cents_rounds_half_up() -> None:
    assert cents(D("0.005")) == D("0.01")
    assert cents(D("1.234")) == D("1.23")
    assert cents(D("2.675")) == D("2.68")


def test_year_one_fonctionnement_paid_in_full_at_signature() -> None:
    year = _year(number=1, taille="T3")
    [payment] = fonctionnement_payments(year)
    assert payment.date == year.start
    assert payment.amount == D("75000.00")
    assert payment.nature == FONCTIONNEMENT
    assert "signature" in payment.label


def test_later_years_fonctionnement_advance_and_balance_at_dialogue() -> None:
    year = _year(number=3, taille="T4", dialogue_on=date(2026, 4, 15))
    advance, balance = fonctionnement_payments(year)
    assert (advance.date, advance.amount) == (date(2025, 3, 1), D("67500.00"))
    assert (balance.date, balance.amount) == (date(2026, 4, 15), D("22500.00"))
    assert not balance.date_presumed


def test_balance_the_day_after_the_end_without_a_dialogue_date() -> None:
    year = _year(number=2, taille="T1")
    _advance, balance = fonctionnement_payments(year)
    assert year.end == date(2026, 2, 28)
    assert balance.date == date(2026, 3, 1)
    assert balance.date_presumed
    assert balance.amount == D("12500.00")


def test_override_replaces_the_taille_amount_and_keeps_cents_whole() -> None:
    year = _year(number=2, taille="T1", fonctionnement=D("87500.01"))
    advance, balance = fonctionnement_payments(year)
    assert advance.amount == D("65625.01")  # 65 625,0075 rounded half up
    assert advance.amount + balance.amount == D("87500.01")


def test_zero_override_expects_no_fonctionnement() -> None:
    assert fonctionnement_payments(_year(fonctionnement=D("0"))) == []


def test_prorata_edges() -> None:
    year = _year(start=date(2025, 3, 1))  # 365 days
    assert prorata(year, None) == 1
    assert prorata(year, year.start) == 1
    assert prorata(year, date(2024, 1, 1)) == 1
    assert prorata(year, year.end) == D(1) / D(365)
    assert prorata(year, year.end.replace(day=1)) == D(28) / D(365)
    assert prorata(year, year.anniversary) == 0


def test_fixed_part_from_the_anniversary_day_is_not_prorated() -> None:
    year = _year(start=date(2025, 3, 1))
    advance, balance = fixed_payments(year, _envelope(fixed=D("20000"), start=year.start))
    assert (advance.date, advance.amount, advance.nature) == (year.start, D("15000.00"), FIXED)
    assert (balance.date, balance.amount) == (date(2026, 3, 1), D("5000.00"))
    assert advance.mission_key == "prevention"
    assert "Prévention" in advance.label and "75 %" in advance.label


def test_fixed_part_starting_on_the_last_day() -> None:
    year = _year(start=date(2025, 3, 1))
    advance, balance = fixed_payments(year, _envelope(fixed=D("36500"), start=year.end))
    assert advance.date == year.end
    assert advance.amount == D("75.00")
    assert balance.amount == D("25.00")
    assert balance.date == year.anniversary


def test_fixed_part_prorated_in_a_leap_year() -> None:
    year = _year(start=date(2027, 7, 1))  # 01/07/2027 → 30/06/2028 holds 29/02/2028: 366 days
    assert year.days == 366
    start = date(2028, 1, 1)  # 182 days to 30/06/2028
    advance, balance = fixed_payments(year, _envelope(fixed=D("10000"), start=start))
    prorated = cents(D("10000") * D(182) / D(366))
    assert prorated == D("4972.68")
    assert advance.amount == D("3729.51")
    assert advance.amount + balance.amount == prorated


def test_fixed_part_starting_after_the_year_or_empty_expects_nothing() -> None:
    year = _year()
    assert fixed_payments(year, _envelope(fixed=D("1000"), start=year.anniversary)) == []
    assert fixed_payments(year, _envelope(fixed=D("0"))) == []


def test_variable_part_estimated_until_the_dialogue() -> None:
    envelope = _envelope(variable=D("30000"), earned=D("12345.675"))
    before = _year(dialogue_on=date(2026, 4, 15))
    payment = variable_payment(before, envelope, today=date(2026, 4, 14))
    assert payment is not None
    assert payment.estimated and not payment.date_presumed
    assert payment.nature == VARIABLE
    assert payment.amount == D("12345.68")
    assert payment.date == date(2026, 4, 15)
    held = variable_payment(before, envelope, today=date(2026, 4, 15))
    assert held is not None and not held.estimated
    unknown = variable_payment(_year(), envelope, today=date(2030, 1, 1))
    assert unknown is not None and unknown.estimated and unknown.date_presumed


def test_variable_part_of_a_mission_without_variable_is_left_out() -> None:
    assert variable_payment(_year(), _envelope(), today=date(2026, 1, 1)) is None
    nothing_earned = variable_payment(_year(), _envelope(variable=D("10")), date(2026, 1, 1))
    assert nothing_earned is not None and nothing_earned.amount == D("0.00")


def test_year_schedule_sorted_by_date_and_totals() -> None:
    year = _year(
        number=1,
        start=date(2025, 3, 1),
        taille="T2",
        envelopes=(
            _envelope(fixed=D("20000"), variable=D("10000"), earned=D("4000")),
            _envelope(
                mission_key="acces_soins",
                mission_name="Accès aux soins",
                fixed=D("36500"),
                start=date(2025, 9, 1),  # 181 days to 28/02/2026
            ),
        ),
    )
    payments = year_schedule(year, today=date(2025, 6, 1))
    assert [p.date for p in payments] == sorted(p.date for p in payments)
    assert [p.nature for p in payments[:2]] == [FONCTIONNEMENT, FIXED]
    assert total(payments) == D("60000") + D("20000") + D("18100.00") + D("4000")


def test_cumulative_merges_dates() -> None:
    points = cumulative(
        [
            (date(2025, 3, 1), D("10")),
            (date(2025, 1, 1), D("5")),
            (date(2025, 3, 1), D("2.50")),
        ]
    )
    assert points == [(date(2025, 1, 1), D("5.00")), (date(2025, 3, 1), D("17.50"))]
    assert cumulative([]) == []


def test_variable_still_possible_until_the_dialogue() -> None:
    envelopes = (
        _envelope(variable=D("30000"), potential=D("30000"), earned=D("12000")),
        _envelope(mission_key="crise", variable=D("5000"), potential=D("4000.005")),
        _envelope(mission_key="qualite", potential=D("1000"), earned=D("1000")),
    )
    year = _year(dialogue_on=date(2026, 4, 15), envelopes=envelopes)
    assert variable_possible(year, today=date(2026, 4, 14)) == D("22000.01")
    # Held: the variable part is settled, nothing more is possible.
    assert variable_possible(year, today=date(2026, 4, 15)) == D("0")
    unknown = _year(envelopes=envelopes)
    assert variable_possible(unknown, today=date(2030, 1, 1)) == D("22000.01")
    # The schedule itself still counts only what was earned.
    assert total(p for p in year_schedule(unknown, date(2030, 1, 1)) if p.nature == VARIABLE) == (
        D("13000.00")
    )
