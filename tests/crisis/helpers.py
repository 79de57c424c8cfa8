"""Builders of crisis test data (plain functions, used by the tests and the access matrix)."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from crisis.models import Activation, Shift, Site, SiteKind, Situation
from crisis.services.rosters import save_shift
from members.models import Member, Profession
from tests.factories import MemberFactory

PARIS = ZoneInfo("Europe/Paris")


def paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS)


def profession(code: str) -> Profession:
    return Profession.objects.get(code=code)


def member(code: str = "infirmier", **kwargs: Any) -> Member:
    return MemberFactory.create(profession=profession(code), **kwargs)


def activation(**kwargs: Any) -> Activation:
    values = {
        "title": "Épidémie de grippe",
        "situation": Situation.SEASONAL,
        "started_on": timezone.localdate() - datetime.timedelta(days=10),
        **kwargs,
    }
    return Activation.objects.create(**values)


def site(crisis: Activation | None = None, name: str = "Centre de vaccination de Lodève") -> Site:
    return Site.objects.create(
        activation=crisis or activation(), name=name, kind=SiteKind.VACCINATION
    )


def shift(
    where: Site,
    starts_at: datetime.datetime,
    hours: float = 4,
    needs: list[tuple[str | None, int]] | None = None,
    changes_until: datetime.datetime | None = None,
) -> Shift:
    wanted = (
        needs if needs is not None else [("infirmier", 2), ("medecin_generaliste", 1), (None, 1)]
    )
    return save_shift(
        None,
        where,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours),
        changes_until=changes_until or starts_at - datetime.timedelta(hours=12),
        notes="",
        needs=[(profession(code) if code else None, count) for code, count in wanted],
    )


def need_of(s: Shift, code: str | None) -> Any:
    if code is None:
        return s.needs.get(profession__isnull=True)
    return s.needs.get(profession__code=code)
