"""Writes of the statutes settings: the ``Statutes`` record and the CA seats of each collège,
saved together or not at all."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import BodyKind, Mandate, Statutes
from governance.services.mandates import acting
from members.models import College

STATUTES_FIELDS = frozenset(
    {
        "ag_quorum_percent",
        "ca_quorum_percent",
        "max_proxies_per_holder",
        "ag_ordinary_majority",
        "ag_extraordinary_majority",
        "board_majority",
        "convocation_notice_days",
        "second_convocation_without_quorum",
        "second_convocation_notice_days",
    }
)
MAX_CA_SEATS = 50


def _check_seats(seats: Mapping[int, int]) -> dict[int, College]:
    colleges = College.objects.in_bulk(list(seats))
    today = timezone.localdate()
    errors = []
    for college_id, count in seats.items():
        college = colleges.get(college_id)
        if college is None:
            errors.append(_("Collège inconnu."))
            continue
        if count is None or count < 0 or count > MAX_CA_SEATS:
            errors.append(
                _("Sièges au CA du collège « %(college)s » : indiquez un nombre de 0 à %(max)s.")
                % {"college": college, "max": MAX_CA_SEATS}
            )
            continue
        sitting = (
            Mandate.objects.active_on(today).filter(body__kind=BodyKind.CA, college=college).count()
        )
        if count < sitting:
            errors.append(
                _(
                    "Le collège « %(college)s » compte %(sitting)s administrateur·rice(s) en "
                    "mandat : ses sièges au CA ne peuvent pas descendre à %(count)s avant la "
                    "fin de ces mandats."
                )
                % {"college": college, "sitting": sitting, "count": count}
            )
    if errors:
        raise ValidationError({"ca_seats": errors})
    return colleges


@transaction.atomic
def update_statutes(
    *, changes: Mapping[str, Any], seats: Mapping[int, int] | None = None, by: Any = None
) -> Statutes:
    """Apply ``changes`` (fields of ``Statutes``) and ``seats`` (collège pk → CA seats)."""
    unknown = set(changes) - STATUTES_FIELDS
    if unknown:
        raise TypeError(f"update_statutes() got unexpected field(s): {sorted(unknown)}")
    statutes = Statutes.objects.get_solo()
    statutes = Statutes.objects.select_for_update().get(pk=statutes.pk)
    for name, value in changes.items():
        setattr(statutes, name, value)
    statutes.full_clean(exclude=["created_at", "updated_at"])
    colleges = _check_seats(seats or {})
    with acting(by):
        statutes.save()
        for college_id, count in (seats or {}).items():
            college = colleges[college_id]
            if college.ca_seats != count:
                college.ca_seats = count
                college.save(update_fields=["ca_seats", "updated_at"])
    return statutes
