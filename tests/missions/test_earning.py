"""The earning rules of indicator lines as pure functions (missions/earning.py): every kind and
edge, and the parameter checks with their field paths."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from missions.earning import (
    Band,
    LineTerms,
    Tier,
    earned,
    holding_band,
    potential,
    reached_tier,
    reaches,
    terms_errors,
)

# The screening-rate example of DESIGN.md §2: baseline 66.26 %, three tiers.
SCREENING = (
    Tier(D("69.70"), D("1000"), "socle"),
    Tier(D("72.40"), D("2500"), "intermédiaire"),
    Tier(D("75"), D("3500"), "objectif"),
)
# The same line written for a decreasing indicator (fewer is better).
FEWER = (Tier(D("250"), D("1000")), Tier(D("220"), D("2500")), Tier(D("203"), D("3500")))
# ALD patients without a GP: ≤ 50 → 9 000 €, 51-100 → 6 000 €, 101-219 → 3 000 €.
ALD = (
    Band(None, D("50"), D("9000")),
    Band(D("51"), D("100"), D("6000")),
    Band(D("101"), D("219"), D("3000")),
)


def tiers(achieved: str | None, direction: str = "increasing", levels=SCREENING) -> LineTerms:
    return LineTerms(
        kind="tiers",
        direction=direction,
        baseline=D("66.26"),
        tiers=levels,
        achieved=None if achieved is None else D(achieved),
    )


def bands(achieved: str | None, levels=ALD) -> LineTerms:
    return LineTerms(kind="bands", bands=levels, achieved=None if achieved is None else D(achieved))


def paths(terms: LineTerms) -> list[str]:
    return [path for path, _message in terms_errors(terms)]


# --- reaches ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "threshold", "direction", "expected"),
    [
        ("10", "10", "increasing", True),
        ("10.01", "10", "increasing", True),
        ("9.99", "10", "increasing", False),
        ("10", "10", "decreasing", True),
        ("9.99", "10", "decreasing", True),
        ("10.01", "10", "decreasing", False),
    ],
)
def test_reaches_is_inclusive_in_both_directions(value, threshold, direction, expected):
    assert reaches(D(value), D(threshold), direction) is expected


# --- binary and crisis ---------------------------------------------------------------------


@pytest.mark.parametrize(("done", "expected"), [(True, D("5000")), (False, D("0"))])
def test_binary_earns_its_amount_only_when_done(done, expected):
    assert earned(LineTerms(kind="binary", amount=D("5000"), done=done)) == expected


def test_binary_ignores_an_achieved_value():
    assert earned(LineTerms(kind="binary", amount=D("5000"), achieved=D("999"))) == 0


@pytest.mark.parametrize(
    ("recognised", "done", "expected"),
    [(True, True, D("8000")), (False, True, D("0")), (True, False, D("0")), (False, False, 0)],
)
def test_crisis_is_due_only_when_recognised_and_done(recognised, done, expected):
    terms = LineTerms(kind="crisis", amount=D("8000"), done=done, crisis_recognised=recognised)
    assert earned(terms) == expected
    assert potential(terms) == D("8000")


# --- target ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("achieved", "direction", "expected"),
    [
        ("203", "decreasing", D("4000")),  # exactly at the target
        ("180", "decreasing", D("4000")),
        ("204", "decreasing", D("0")),
        ("303", "decreasing", D("0")),  # still at the baseline
        ("75", "increasing", D("0")),
        ("203", "increasing", D("4000")),
        ("250", "increasing", D("4000")),
    ],
)
def test_target_in_both_directions(achieved, direction, expected):
    terms = LineTerms(
        kind="target",
        amount=D("4000"),
        direction=direction,
        baseline=D("303"),
        target=D("203"),
        achieved=D(achieved),
    )
    assert earned(terms) == expected


def test_target_without_a_value_or_a_target_earns_nothing():
    assert earned(LineTerms(kind="target", amount=D("10"), target=D("5"))) == 0
    assert earned(LineTerms(kind="target", amount=D("10"), achieved=D("5"))) == 0


# --- tiers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("achieved", "index", "expected"),
    [
        (None, None, D("0")),
        ("66.26", None, D("0")),  # the baseline
        ("69.69", None, D("0")),  # just under the first tier
        ("69.70", 0, D("1000")),  # exactly at the first threshold
        ("72.39", 0, D("1000")),
        ("72.40", 1, D("2500")),  # exactly at the second
        ("74.99", 1, D("2500")),
        ("75", 2, D("3500")),  # exactly at the objective
        ("75.00", 2, D("3500")),
        ("98", 2, D("3500")),  # beyond the best
    ],
)
def test_increasing_tiers_earn_the_best_reached(achieved, index, expected):
    terms = tiers(achieved)
    assert reached_tier(terms) == index
    assert earned(terms) == expected


@pytest.mark.parametrize(
    ("achieved", "index", "expected"),
    [
        ("303", None, D("0")),
        ("251", None, D("0")),
        ("250", 0, D("1000")),  # exactly at the first threshold
        ("221", 0, D("1000")),
        ("220", 1, D("2500")),
        ("203", 2, D("3500")),  # exactly at the best
        ("0", 2, D("3500")),
    ],
)
def test_decreasing_tiers_earn_the_best_reached(achieved, index, expected):
    terms = tiers(achieved, "decreasing", FEWER)
    assert reached_tier(terms) == index
    assert earned(terms) == expected


def test_tiers_potential_is_the_best_tier_not_the_line_amount():
    terms = LineTerms(kind="tiers", amount=D("99"), tiers=SCREENING)
    assert potential(terms) == D("3500")
    assert potential(LineTerms(kind="tiers")) == 0


# --- bands ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("achieved", "index", "expected"),
    [
        ("0", 0, D("9000")),
        ("50", 0, D("9000")),  # upper bound included
        ("51", 1, D("6000")),  # lower bound included
        ("100", 1, D("6000")),
        ("101", 2, D("3000")),
        ("219", 2, D("3000")),
        ("220", None, D("0")),  # in no band
        ("50.5", None, D("0")),  # between two bands written as whole numbers
        (None, None, D("0")),
    ],
)
def test_bands_earn_the_band_holding_the_value(achieved, index, expected):
    terms = bands(achieved)
    assert holding_band(terms) == index
    assert earned(terms) == expected
    assert potential(terms) == D("9000")


def test_a_band_open_above_holds_every_larger_value():
    open_above = (Band(None, D("10"), D("1")), Band(D("11"), None, D("2")))
    assert earned(bands("1000000", open_above)) == D("2")


def test_an_unknown_kind_raises():
    with pytest.raises(ValueError, match="Unknown line kind"):
        earned(LineTerms(kind="autre"))


# --- terms_errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "terms",
    [
        LineTerms(kind="binary", amount=D("5000")),
        LineTerms(kind="crisis", amount=D("0")),
        LineTerms(kind="target", amount=D("1"), target=D("203"), direction="decreasing"),
        LineTerms(kind="tiers", tiers=SCREENING),
        LineTerms(kind="tiers", tiers=FEWER, direction="decreasing"),
        LineTerms(kind="tiers", tiers=(Tier(D("1"), D("1")),)),
        LineTerms(kind="bands", bands=ALD),
        LineTerms(
            kind="bands",
            bands=(Band(None, D("60.5"), D("3")), Band(D("60.6"), D("70"), D("2"))),
        ),
        LineTerms(
            kind="bands", bands=(Band(D("0"), D("0.99"), D("1")), Band(D("1"), None, D("2")))
        ),
    ],
)
def test_valid_terms_have_no_error(terms):
    assert terms_errors(terms) == []


def test_unknown_kind_and_direction():
    assert paths(LineTerms(kind="autre")) == ["kind"]
    assert paths(LineTerms(kind="binary", direction="sideways")) == ["direction"]


def test_negative_line_amount():
    errors = terms_errors(LineTerms(kind="binary", amount=D("-1")))
    assert errors == [("amount", "Le montant ne peut pas être négatif.")]


def test_target_missing():
    assert paths(LineTerms(kind="target", amount=D("10"))) == ["target"]


def test_tiers_missing():
    assert paths(LineTerms(kind="tiers")) == ["tiers"]


@pytest.mark.parametrize(
    ("levels", "direction", "expected"),
    [
        # increasing tiers must go up
        (
            (Tier(D("70"), D("1")), Tier(D("69"), D("2")), Tier(D("75"), D("3"))),
            "increasing",
            ["tiers[1].threshold"],
        ),
        # equal thresholds are not "harder"
        ((Tier(D("70"), D("1")), Tier(D("70"), D("2"))), "increasing", ["tiers[1].threshold"]),
        # decreasing tiers must go down
        ((Tier(D("250"), D("1")), Tier(D("260"), D("2"))), "decreasing", ["tiers[1].threshold"]),
        # the increasing order is wrong for a decreasing line
        (SCREENING, "decreasing", ["tiers[1].threshold", "tiers[2].threshold"]),
        # a better tier cannot pay less
        ((Tier(D("70"), D("2000")), Tier(D("75"), D("1000"))), "increasing", ["tiers[1].amount"]),
        ((Tier(D("70"), D("-5")),), "increasing", ["tiers[0].amount"]),
    ],
)
def test_tiers_out_of_order(levels, direction, expected):
    assert paths(LineTerms(kind="tiers", tiers=levels, direction=direction)) == expected


def test_tier_order_message_names_the_previous_threshold():
    levels = (Tier(D("70"), D("1")), Tier(D("69"), D("2")))
    [(_path, message)] = terms_errors(LineTerms(kind="tiers", tiers=levels))
    assert "plus haut" in message and "70" in message


def test_bands_missing():
    assert paths(LineTerms(kind="bands")) == ["bands"]


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        # overlapping: 51-100 then 100-219
        (
            (
                Band(None, D("50"), D("1")),
                Band(D("51"), D("100"), D("1")),
                Band(D("100"), D("219"), D("1")),
            ),
            ["bands[2].min"],
        ),
        # a gap: ≤ 50 then 60-100
        ((Band(None, D("50"), D("1")), Band(D("60"), D("100"), D("1"))), ["bands[1].min"]),
        # a gap at the precision written: 60,5 then 60,7
        ((Band(None, D("60.5"), D("1")), Band(D("60.7"), D("70"), D("1"))), ["bands[1].min"]),
        # open in the middle, above
        (
            (
                Band(None, D("50"), D("1")),
                Band(D("51"), None, D("1")),
                Band(D("101"), D("200"), D("1")),
            ),
            ["bands[1].max"],
        ),
        # open in the middle, below
        ((Band(None, D("50"), D("1")), Band(None, D("100"), D("1"))), ["bands[1].min"]),
        # upper bound below the lower one
        ((Band(D("10"), D("5"), D("1")),), ["bands[0].max"]),
        # negative amount
        ((Band(None, D("50"), D("-1")),), ["bands[0].amount"]),
        # out of order: the second band starts below the first
        ((Band(D("51"), D("100"), D("1")), Band(D("0"), D("50"), D("1"))), ["bands[1].min"]),
    ],
)
def test_bands_overlapping_gaps_and_open_ends(levels, expected):
    assert paths(LineTerms(kind="bands", bands=levels)) == expected


def test_gap_message_names_both_bounds():
    levels = (Band(None, D("50"), D("1")), Band(D("60"), D("100"), D("1")))
    [(_path, message)] = terms_errors(LineTerms(kind="bands", bands=levels))
    assert message == "Il manque des valeurs entre 50 et 60."


def test_several_errors_are_all_reported():
    terms = LineTerms(
        kind="tiers",
        amount=D("-1"),
        tiers=(Tier(D("70"), D("-1")), Tier(D("60"), D("5"))),
    )
    assert paths(terms) == ["amount", "tiers[0].amount", "tiers[1].threshold"]
