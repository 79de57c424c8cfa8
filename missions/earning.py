"""What an indicator line earns, as pure functions of its parameters and its assessed result
(DESIGN.md §2). Nothing here reads the database: the rules are tested on their own, at every
edge (exactly at a threshold, decreasing tiers, a value in no band, crisis not recognised).

- ``binary``: the amount when marked done;
- ``target``: the amount when the achieved value reaches the target (≥ for an increasing
  indicator, ≤ for a decreasing one);
- ``tiers``: thresholds from the easiest to the best, each with an amount; the best threshold
  reached earns its amount;
- ``bands``: ranges of the achieved value (bounds included, open when None), each with an
  amount; the band holding the value earns its amount, a value in no band earns nothing;
- ``crisis``: the amount when the ARS recognised a crisis during the year and the line is done.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

ZERO = Decimal("0")
INCREASING = "increasing"
DECREASING = "decreasing"
KINDS = ("binary", "target", "tiers", "bands", "crisis")


@dataclass(frozen=True)
class Tier:
    threshold: Decimal
    amount: Decimal
    label: str = ""


@dataclass(frozen=True)
class Band:
    minimum: Decimal | None
    maximum: Decimal | None
    amount: Decimal

    def holds(self, value: Decimal) -> bool:
        return (self.minimum is None or value >= self.minimum) and (
            self.maximum is None or value <= self.maximum
        )


@dataclass(frozen=True)
class LineTerms:
    """A line's parameters and result, independent of the ORM."""

    kind: str
    amount: Decimal = ZERO
    direction: str = INCREASING
    baseline: Decimal | None = None
    target: Decimal | None = None
    tiers: Sequence[Tier] = field(default_factory=tuple)
    bands: Sequence[Band] = field(default_factory=tuple)
    done: bool = False
    achieved: Decimal | None = None
    crisis_recognised: bool = False


def reaches(value: Decimal, threshold: Decimal, direction: str) -> bool:
    """Whether ``value`` reaches ``threshold``: ≥ when increasing, ≤ when decreasing."""
    return value <= threshold if direction == DECREASING else value >= threshold


def reached_tier(terms: LineTerms) -> int | None:
    """The index of the best tier reached (tiers are ordered from the easiest), or None."""
    if terms.achieved is None:
        return None
    best = None
    for index, tier in enumerate(terms.tiers):
        if reaches(terms.achieved, tier.threshold, terms.direction):
            best = index
    return best


def holding_band(terms: LineTerms) -> int | None:
    if terms.achieved is None:
        return None
    return next((i for i, band in enumerate(terms.bands) if band.holds(terms.achieved)), None)


def earned(terms: LineTerms) -> Decimal:
    """The euros the line earns."""
    if terms.kind == "binary":
        return terms.amount if terms.done else ZERO
    if terms.kind == "crisis":
        return terms.amount if terms.crisis_recognised and terms.done else ZERO
    if terms.kind == "target":
        if terms.achieved is None or terms.target is None:
            return ZERO
        return terms.amount if reaches(terms.achieved, terms.target, terms.direction) else ZERO
    if terms.kind == "tiers":
        index = reached_tier(terms)
        return terms.tiers[index].amount if index is not None else ZERO
    if terms.kind == "bands":
        index = holding_band(terms)
        return terms.bands[index].amount if index is not None else ZERO
    raise ValueError(f"Unknown line kind: {terms.kind!r}")


def potential(terms: LineTerms) -> Decimal:
    """The most the line can earn (its share of the variable envelope)."""
    if terms.kind == "tiers":
        return max((t.amount for t in terms.tiers), default=ZERO)
    if terms.kind == "bands":
        return max((b.amount for b in terms.bands), default=ZERO)
    return terms.amount


def terms_errors(terms: LineTerms) -> list[tuple[str, str]]:
    """What is wrong with a line's parameters, as (field path, French message) pairs; the
    path is relative to the line (``tiers[1].threshold``, ``bands[0].max``…)."""
    errors: list[tuple[str, str]] = []
    if terms.kind not in KINDS:
        return [("kind", _("Type de ligne inconnu : %(kind)s.") % {"kind": terms.kind})]
    if terms.direction not in (INCREASING, DECREASING):
        errors.append(("direction", _("Le sens doit être « increasing » ou « decreasing ».")))
    if terms.amount < 0:
        errors.append(("amount", _("Le montant ne peut pas être négatif.")))
    if terms.kind == "target" and terms.target is None:
        errors.append(("target", _("Une ligne « cible » a besoin d'une cible.")))
    if terms.kind == "tiers":
        errors += _tiers_errors(terms)
    if terms.kind == "bands":
        errors += _bands_errors(terms.bands)
    return errors


def _tiers_errors(terms: LineTerms) -> list[tuple[str, str]]:
    if not terms.tiers:
        return [("tiers", _("Une ligne à paliers a besoin d'au moins un palier."))]
    errors = []
    for index, tier in enumerate(terms.tiers):
        if tier.amount < 0:
            errors.append((f"tiers[{index}].amount", _("Le montant ne peut pas être négatif.")))
        if index == 0:
            continue
        previous = terms.tiers[index - 1]
        harder = (
            tier.threshold < previous.threshold
            if terms.direction == DECREASING
            else tier.threshold > previous.threshold
        )
        if not harder:
            errors.append(
                (
                    f"tiers[{index}].threshold",
                    _(
                        "Les paliers vont du plus facile au meilleur : ce seuil doit être "
                        "%(sense)s que le précédent (%(previous)s)."
                    )
                    % {
                        "sense": _("plus bas") if terms.direction == DECREASING else _("plus haut"),
                        "previous": previous.threshold,
                    },
                )
            )
        if tier.amount < previous.amount:
            errors.append(
                (
                    f"tiers[{index}].amount",
                    _("Un meilleur palier ne peut pas rapporter moins que le précédent."),
                )
            )
    return errors


def _bands_errors(bands: Sequence[Band]) -> list[tuple[str, str]]:
    """Bands must be ordered by value, must not overlap and must leave no gap: the next band
    starts one step after the previous ends, at the precision written ("≤ 50, 51-100" or
    "≤ 60,5 ; 60,6-70"). Only the first may be open below and the last open above."""
    if not bands:
        return [("bands", _("Une ligne à tranches a besoin d'au moins une tranche."))]
    errors = []
    for index, band in enumerate(bands):
        if band.amount < 0:
            errors.append((f"bands[{index}].amount", _("Le montant ne peut pas être négatif.")))
        if band.minimum is not None and band.maximum is not None and band.maximum < band.minimum:
            errors.append((f"bands[{index}].max", _("La borne haute est inférieure à la basse.")))
        if index == 0:
            continue
        previous = bands[index - 1]
        if previous.maximum is None:
            errors.append(
                (f"bands[{index - 1}].max", _("Seule la dernière tranche peut être ouverte."))
            )
            continue
        if band.minimum is None:
            errors.append(
                (f"bands[{index}].min", _("Seule la première tranche peut être ouverte."))
            )
            continue
        if band.minimum <= previous.maximum:
            errors.append(
                (
                    f"bands[{index}].min",
                    _("Cette tranche chevauche la précédente (qui va jusqu'à %(max)s).")
                    % {"max": previous.maximum},
                )
            )
        elif band.minimum - previous.maximum != _unit(band.minimum, previous.maximum):
            errors.append(
                (
                    f"bands[{index}].min",
                    _("Il manque des valeurs entre %(max)s et %(min)s.")
                    % {"max": previous.maximum, "min": band.minimum},
                )
            )
    return errors


def _unit(*values: Decimal) -> Decimal:
    """The step between consecutive values at the precision written: 1 for whole numbers
    ("≤ 50, 51-100"), 0.01 for "60,00 / 60,01"."""
    places = 0
    for value in values:
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int):
            places = max(places, -exponent)
    return Decimal(1).scaleb(-places)
