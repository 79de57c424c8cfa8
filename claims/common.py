"""Helpers shared by the claims services: the acting user on the audit trail, the French
writing of amounts and dates in messages, the emails of decisions."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from auditlog.context import set_actor

from cpts.charts import format_euros

CENT = Decimal("0.01")


@contextmanager
def acting(by: Any) -> Iterator[None]:
    """Record ``by`` as the actor of the audit entries written inside the block."""
    if by is None or not getattr(by, "is_authenticated", False):
        yield
    else:
        with set_actor(by):
            yield


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def euros(value: Decimal) -> str:
    return format_euros(value)


def day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def member_of(user: Any) -> Any:
    """The member record of ``user`` (None for staff without one)."""
    from members.models import Member

    if user is None or not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_claims_member", False)
    if cached is not False:
        return cached
    member = Member.objects.filter(user=user).first()
    user._claims_member = member
    return member
