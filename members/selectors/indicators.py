"""Indicators computed from the members' data (see cpts/indicator_registry.py): each one a few
SQL aggregates over a period (first and last day included).

Breakdowns: the total under ``""``, then one key per profession ("Profession : Infirmier(ère)")
and one per collège ("Collège : Libéraux de santé"). Organisations have no profession: they are
counted under "Profession : (structure)"; a person whose profession is not filled in under
"Profession : (non renseignée)", and a member without collège under "Collège : (aucun)"."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Aggregate, Count, Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cpts.indicator_registry import Value, computed_indicator
from members.models import Member
from members.models.members import MemberStatus
from members.models.reference import MemberKind
from members.selectors.fees import up_to_date_q

# Measurement.breakdown holds 120 characters (a collège name alone may hold as many).
BREAKDOWN_LENGTH = 120
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def members_on(day: date) -> Q:
    """Members who belonged to the association on ``day``: joined on or before it and not
    departed before it (a member departed on ``day`` still counts that day). A record merged
    into another one is a duplicate: never counted."""
    return (
        Q(joined_on__isnull=False, joined_on__lte=day, merged_into__isnull=True)
        & ~Q(status=MemberStatus.CANDIDATE)
        & (Q(departed_on__isnull=True) | Q(departed_on__gte=day))
    )


def profession_key(kind: str, label: str | None) -> str:
    if label:
        name = label
    elif kind == MemberKind.ORGANISATION:
        name = gettext("(structure)")
    else:
        name = gettext("(non renseignée)")
    return (gettext("Profession : %(name)s") % {"name": name})[:BREAKDOWN_LENGTH]


def college_key(name: str | None) -> str:
    key = gettext("Collège : %(name)s") % {"name": name or gettext("(aucun)")}
    return key[:BREAKDOWN_LENGTH]


def grouped_counts(members: QuerySet[Any], **aggregates: Aggregate) -> dict[str, dict[str, int]]:
    """``aggregates`` computed over ``members`` as a whole (key ``""``), per profession and per
    collège: three queries whatever the number of members. The loops below run over the
    aggregated groups (one row per profession or collège), never over members."""
    members = members.order_by()  # the default ordering would split the groups
    result: dict[str, dict[str, int]] = {"": members.aggregate(**aggregates)}
    for row in members.values("kind", "profession__label").annotate(**aggregates):
        key = profession_key(row["kind"], row["profession__label"])
        _add(result, key, row, aggregates)
    for row in members.values("college__name").annotate(**aggregates):
        _add(result, college_key(row["college__name"]), row, aggregates)
    return result


def _add(
    result: dict[str, dict[str, int]],
    key: str,
    row: Mapping[str, Any],
    aggregates: Mapping[str, Aggregate],
) -> None:
    # Two professions sharing a label (or a person and an organisation without one on a
    # collège key) fall under the same key: their counts add up.
    counts = result.setdefault(key, dict.fromkeys(aggregates, 0))
    for name in aggregates:
        counts[name] += row[name] or 0


def percent(part: int, whole: int) -> Decimal:
    """``part`` as a percentage of ``whole`` with two decimals; 0 when ``whole`` is 0."""
    if not whole:
        return Decimal("0.00")
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


def active_members(day: date) -> QuerySet[Member]:
    return Member.objects.filter(members_on(day))


def fee_counts(day: date) -> dict[str, dict[str, int]]:
    """Per breakdown key: ``active`` members on ``day`` and those ``up`` to date with the fee
    of the calendar year of ``day`` (every group of active members is present, even with no
    one up to date)."""
    members = active_members(day).annotate(is_up_to_date=up_to_date_q(day))
    return grouped_counts(members, active=Count("pk"), up=Count("pk", filter=Q(is_up_to_date=True)))


@computed_indicator(
    "members_active",
    label=_("Adhérents actifs"),
    description=_(
        "Nombre de membres adhérents au dernier jour de la période : date d'adhésion au plus "
        "tard ce jour-là, sans départ antérieur (un membre parti ce jour-là compte encore), "
        "hors candidats et hors fiches fusionnées dans une autre. Ventilé par profession (les "
        "structures sous « (structure) ») et par collège."
    ),
    position=1,
)
def members_active(start: date, end: date) -> Value:
    counts = grouped_counts(active_members(end), n=Count("pk"))
    return {key: row["n"] for key, row in counts.items()}


@computed_indicator(
    "members_up_to_date",
    label=_("Adhérents à jour de cotisation"),
    description=_(
        "Parmi les adhérents actifs au dernier jour de la période, ceux dont la cotisation de "
        "l'année civile de ce jour est réglée (paiements nets des remboursements au moins égaux "
        "à la cotisation due, ou exonération). Ventilé par profession et par collège."
    ),
    position=2,
)
def members_up_to_date(start: date, end: date) -> Value:
    return {key: row["up"] for key, row in fee_counts(end).items()}


@computed_indicator(
    "members_up_to_date_share",
    label=_("Part des adhérents à jour de cotisation"),
    description=_(
        "Adhérents à jour de cotisation au dernier jour de la période divisés par les adhérents "
        "actifs ce même jour, en pourcentage arrondi à deux décimales (0 s'il n'y a aucun "
        "adhérent actif). Ventilé par profession et par collège."
    ),
    unit="percent",
    position=3,
)
def members_up_to_date_share(start: date, end: date) -> Value:
    return {key: percent(row["up"], row["active"]) for key, row in fee_counts(end).items()}


@computed_indicator(
    "members_new",
    label=_("Nouveaux adhérents"),
    description=_(
        "Nombre de membres dont la date d'adhésion tombe dans la période (premier et dernier "
        "jour compris), même s'ils sont partis depuis ; hors candidats et hors fiches fusionnées "
        "dans une autre. Ventilé par profession et par collège."
    ),
    position=4,
)
def members_new(start: date, end: date) -> Value:
    members = Member.objects.filter(
        joined_on__gte=start, joined_on__lte=end, merged_into__isnull=True
    ).exclude(status=MemberStatus.CANDIDATE)
    counts = grouped_counts(members, n=Count("pk"))
    return {key: row["n"] for key, row in counts.items()}
