"""The statutory rules of governance/rules.py as pure functions: no database."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from governance.models import MajorityRule
from governance.rules import (
    Quorum,
    VoteCounts,
    is_adopted,
    proxy_error,
    quorum_required,
    vote_errors,
    votes_needed,
)

# --- Quorum ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("members", "percent", "required"),
    [
        (10, Decimal("25"), 3),  # 2.5 rounds up
        (8, Decimal("25"), 2),  # exact share
        (9, Decimal("50"), 5),  # 4.5 rounds up
        (100, Decimal("33.33"), 34),  # 33.33 rounds up
        (3, Decimal("100"), 3),
        (1, Decimal("0.01"), 1),  # any positive share needs somebody
        (0, Decimal("25"), 0),  # nobody to count
        (10, Decimal("0"), 0),  # no quorum in the statutes
    ],
)
def test_quorum_required_rounds_the_share_up(members, percent, required):
    assert quorum_required(members, percent) == required


def test_quorum_exactly_at_the_quorum_is_reached():
    quorum = Quorum(voting_members=10, present=2, represented=1, percent=Decimal("25"))
    assert quorum.counted == 3
    assert quorum.required == 3
    assert quorum.reached
    assert quorum.missing == 0


def test_quorum_just_below_is_not_reached_and_says_what_is_missing():
    quorum = Quorum(voting_members=10, present=1, represented=1, percent=Decimal("25"))
    assert not quorum.reached
    assert quorum.missing == 1


def test_quorum_counts_represented_members():
    quorum = Quorum(voting_members=12, present=0, represented=3, percent=Decimal("25"))
    assert quorum.reached


def test_quorum_with_no_member_is_trivially_reached():
    quorum = Quorum(voting_members=0, present=0, represented=0, percent=Decimal("25"))
    assert quorum.required == 0
    assert quorum.reached
    assert quorum.missing == 0


def test_a_waived_quorum_is_reached_whoever_is_there():
    quorum = Quorum(
        voting_members=100, present=1, represented=0, percent=Decimal("25"), waived=True
    )
    assert quorum.reached
    assert quorum.missing == 0
    assert quorum.required == 25  # still shown for the record


# --- Majorities ----------------------------------------------------------------------------


def counts(votes_for: int, against: int, abstentions: int = 0) -> VoteCounts:
    return VoteCounts(votes_for=votes_for, votes_against=against, abstentions=abstentions)


def test_vote_counts_cast_excludes_abstentions():
    c = counts(3, 2, 4)
    assert c.cast == 5
    assert c.total == 9


@pytest.mark.parametrize(
    ("votes", "adopted"),
    [
        ((3, 2, 0), True),
        ((2, 2, 0), False),  # a tie is rejected
        ((1, 0, 10), True),  # abstentions do not count
        ((0, 0, 5), False),  # nobody for
        ((0, 0, 0), False),  # no votes at all
        ((2, 3, 0), False),
    ],
)
def test_simple_majority(votes, adopted):
    assert is_adopted(MajorityRule.SIMPLE, counts(*votes), voters=20) is adopted


@pytest.mark.parametrize(
    ("votes", "voters", "adopted"),
    [
        ((6, 0, 0), 10, True),  # more than half of 10
        ((5, 0, 0), 10, False),  # exactly half is not a majority
        ((5, 0, 0), 9, True),  # 5 of 9
        ((4, 0, 0), 9, False),
        ((5, 1, 4), 10, False),  # abstentions count against
        ((0, 0, 0), 0, False),
    ],
)
def test_absolute_majority(votes, voters, adopted):
    assert is_adopted(MajorityRule.ABSOLUTE, counts(*votes), voters=voters) is adopted


@pytest.mark.parametrize(
    ("votes", "adopted"),
    [
        ((2, 1, 0), True),  # exactly two thirds
        ((3, 2, 0), False),  # 60 %
        ((4, 2, 7), True),  # abstentions are not cast votes
        ((1, 0, 0), True),
        ((0, 0, 3), False),
        ((0, 0, 0), False),
        ((6, 4, 0), False),
        ((7, 3, 0), True),
    ],
)
def test_two_thirds_majority(votes, adopted):
    assert is_adopted(MajorityRule.TWO_THIRDS, counts(*votes), voters=30) is adopted


def test_an_unknown_rule_is_a_programming_error():
    with pytest.raises(ValueError):
        is_adopted("unanimity", counts(1, 0), voters=1)
    with pytest.raises(ValueError):
        votes_needed("unanimity", counts(1, 0), voters=1)


@pytest.mark.parametrize(
    ("rule", "votes", "voters", "needed"),
    [
        (MajorityRule.SIMPLE, (0, 0, 0), 10, 1),
        (MajorityRule.SIMPLE, (0, 4, 2), 10, 5),
        (MajorityRule.ABSOLUTE, (0, 0, 0), 10, 6),
        (MajorityRule.ABSOLUTE, (0, 0, 0), 9, 5),
        (MajorityRule.TWO_THIRDS, (0, 0, 0), 10, 1),
        (MajorityRule.TWO_THIRDS, (0, 3, 0), 10, 6),
    ],
)
def test_votes_needed(rule, votes, voters, needed):
    assert votes_needed(rule, counts(*votes), voters) == needed


@pytest.mark.parametrize("rule", list(MajorityRule))
@pytest.mark.parametrize("against", [0, 1, 2, 5])
def test_votes_needed_is_the_smallest_adopting_count(rule, against):
    voters = 20
    needed = votes_needed(rule, counts(0, against), voters)
    assert is_adopted(rule, counts(needed, against), voters)
    assert not is_adopted(rule, counts(needed - 1, against), voters)


def test_vote_errors_accepts_counts_within_the_voters():
    assert vote_errors(counts(3, 2, 1), voters=6) == []


def test_vote_errors_refuses_more_votes_than_voters():
    errors = vote_errors(counts(4, 2, 1), voters=6)
    assert len(errors) == 1
    assert "7 voix" in errors[0] and "6 votants" in errors[0]


def test_vote_errors_refuses_negative_counts():
    errors = vote_errors(counts(-1, 0, 0), voters=6)
    assert errors == ["Les nombres de voix ne peuvent pas être négatifs."]


# --- Proxies --------------------------------------------------------------------------------

ALLOWED: dict[str, Any] = {
    "giver_can_vote": True,
    "holder_can_vote": True,
    "same_person": False,
    "holder_proxies": 0,
    "max_per_holder": 2,
}


def test_proxy_allowed():
    assert proxy_error(**ALLOWED) is None


def test_proxy_up_to_the_limit_minus_one_is_allowed():
    assert proxy_error(**{**ALLOWED, "holder_proxies": 1}) is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"same_person": True}, "soi-même"),
        ({"giver_can_vote": False}, "Seul un membre votant"),
        ({"holder_can_vote": False}, "donnée à un membre votant"),
        ({"holder_gave_proxy": True}, "lui-même donné procuration"),
        ({"giver_holds_proxies": True}, "Vous détenez des procurations"),
        ({"holder_proxies": 2}, "détient déjà 2 procuration(s)"),
        ({"holder_proxies": 3}, "détient déjà 3 procuration(s)"),
        ({"max_per_holder": 0}, "détient déjà 0 procuration(s)"),
    ],
)
def test_proxy_refusals(changes, message):
    error = proxy_error(**{**ALLOWED, **changes})
    assert error is not None
    assert message in error
