"""Reads of bodies and mandates: the back-office list and detail pages and the adherents'
gouvernance page. Every function runs a fixed number of queries, whatever the number of
bodies, mandates or members."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from governance.models import (
    Body,
    BodyKind,
    Mandate,
    MandateRole,
    Meeting,
    MeetingStatus,
    Statutes,
)
from members.models import College, Member

# Functions in the order a board lists them.
ROLE_ORDER = {role: index for index, role in enumerate(MandateRole.values)}


def _mandates() -> QuerySet[Mandate]:
    return Mandate.objects.select_related("member__profession", "college", "body", "elected_at")


def _running_q(day: datetime.date) -> Q:
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


def _by_function(mandates: list[Mandate]) -> list[Mandate]:
    return sorted(
        mandates,
        key=lambda m: (ROLE_ORDER.get(m.role, 99), m.member.last_name, m.member.pk),
    )


def member_line(member: Member) -> str:
    """ "Jeanne ROUX, infirmière" (the name and what the member does)."""
    what = member.profession.label if member.profession else member.get_organisation_kind_display()
    return f"{member.display_name}, {what}" if what else member.display_name


# --- Back office ---------------------------------------------------------------------------


def body_list(*, include_archived: bool = False) -> QuerySet[Body]:
    """Bodies with ``current_members`` (running mandates today) and ``next_meeting_at``."""
    today = timezone.localdate()
    next_meeting = (
        Meeting.objects.filter(body=OuterRef("pk"), starts_at__gte=timezone.now())
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    running = Q(mandates__start_date__lte=today) & (
        Q(mandates__end_date__isnull=True) | Q(mandates__end_date__gte=today)
    )
    bodies = Body.objects.annotate(
        current_members=Count("mandates__member", filter=running, distinct=True),
        next_meeting_at=Subquery(next_meeting),
    )
    if not include_archived:
        bodies = bodies.filter(archived_on__isnull=True)
    return bodies.order_by("archived_on", "position", "name")


@dataclass
class CollegeSeats:
    college: College | None
    mandates: list[Mandate] = field(default_factory=list)

    @property
    def seats(self) -> int | None:
        return self.college.ca_seats if self.college is not None else None


@dataclass
class BodyMandates:
    current: list[Mandate]
    past: list[Mandate]
    upcoming: list[Mandate]
    by_college: list[CollegeSeats]


def _group_by_college(mandates: list[Mandate], colleges: list[College]) -> list[CollegeSeats]:
    groups = {c.pk: CollegeSeats(c) for c in colleges}
    without = CollegeSeats(None)
    for mandate in mandates:
        target = groups.get(mandate.college_id) if mandate.college_id else None
        if target is None and mandate.college is not None:
            target = groups.setdefault(mandate.college.pk, CollegeSeats(mandate.college))
        (target or without).mandates.append(mandate)
    rows = [g for g in groups.values() if g.mandates or (g.seats or 0) > 0]
    if without.mandates:
        rows.append(without)
    return rows


def body_mandates(body: Body, on: datetime.date | None = None) -> BodyMandates:
    """The mandates of ``body``: current (by function), past (latest first), upcoming, and,
    for the CA, the current ones by collège with its seats."""
    day = on or timezone.localdate()
    mandates = list(_mandates().filter(body=body).order_by("-start_date", "pk"))
    current = _by_function([m for m in mandates if m.is_active_on(day)])
    past = [m for m in mandates if m.end_date is not None and m.end_date < day]
    past.sort(key=lambda m: (m.end_date, m.start_date), reverse=True)
    upcoming = [m for m in mandates if m.start_date > day]
    by_college: list[CollegeSeats] = []
    if body.kind == BodyKind.CA:
        by_college = _group_by_college(current, list(College.objects.all()))
    return BodyMandates(current=current, past=past, upcoming=upcoming, by_college=by_college)


def upcoming_meetings(body: Body, limit: int = 5) -> list[Meeting]:
    return list(
        Meeting.objects.filter(body=body, starts_at__gte=timezone.now())
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at")[:limit]
    )


def active_members(keep: int | None = None) -> QuerySet[Member]:
    """Members who may receive a mandate, for the mandate form's select (``keep``: the
    current holder of an edited mandate, listed even if no longer active)."""
    wanted = Q(status="active", anonymised_at__isnull=True)
    if keep is not None:
        wanted |= Q(pk=keep)
    return (
        Member.objects.filter(wanted)
        .select_related("profession")
        .order_by("last_name", "first_name", "organisation_name", "pk")
    )


# --- Statutes, read only -------------------------------------------------------------------

STATUTES_SECTIONS = (
    (
        gettext_lazy("Quorum et procurations"),
        ("ag_quorum_percent", "ca_quorum_percent", "max_proxies_per_holder"),
    ),
    (
        gettext_lazy("Majorités"),
        ("ag_ordinary_majority", "ag_extraordinary_majority", "board_majority"),
    ),
    (
        gettext_lazy("Convocation"),
        (
            "convocation_notice_days",
            "second_convocation_without_quorum",
            "second_convocation_notice_days",
        ),
    ),
)


def _statutes_value(statutes: Statutes, name: str) -> str:
    value = getattr(statutes, name)
    if name.endswith("_percent"):
        places = 0 if value == value.to_integral_value() else 2
        return f"{number_format(value, decimal_pos=places)} %"
    if name.endswith("_days"):
        return ngettext("%(count)s jour", "%(count)s jours", value) % {"count": value}
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    display = getattr(statutes, f"get_{name}_display", None)
    return str(display()) if display else str(value)


def _statutes_label(name: str) -> str:
    field = Statutes._meta.get_field(name)
    return capfirst(str(getattr(field, "verbose_name", name)))


def statutes_sections(statutes: Statutes) -> list[tuple[str, list[tuple[str, str]]]]:
    """The statutes settings as (section, [(label, value shown)]), for the read-only page."""
    return [
        (
            str(title),
            [(_statutes_label(name), _statutes_value(statutes, name)) for name in names],
        )
        for title, names in STATUTES_SECTIONS
    ]


# --- The adherents' gouvernance page -------------------------------------------------------


@dataclass
class GroupCard:
    body: Body
    referents: list[Mandate] = field(default_factory=list)
    members: list[Mandate] = field(default_factory=list)
    viewer_role: str | None = None  # the viewer's function in the group, if they belong

    @property
    def size(self) -> int:
        return len(self.referents) + len(self.members)


@dataclass
class PastBody:
    body: Body
    mandates: list[Mandate] = field(default_factory=list)


@dataclass
class GovernanceOverview:
    bureau: Body | None
    bureau_mandates: list[Mandate]
    ca: Body | None
    ca_by_college: list[CollegeSeats]
    groups: list[GroupCard]
    past: list[PastBody]


def governance_overview(
    viewer: Member | None, on: datetime.date | None = None, past_limit: int = 200
) -> GovernanceOverview:
    """Everything the gouvernance page shows, in five queries."""
    day = on or timezone.localdate()
    bodies = list(Body.objects.filter(archived_on__isnull=True).order_by("position", "name"))
    by_kind = {b.kind: b for b in bodies if b.kind != BodyKind.GROUP}
    groups = {b.pk: GroupCard(b) for b in bodies if b.kind == BodyKind.GROUP}
    current = list(
        _mandates()
        .filter(_running_q(day), body__archived_on__isnull=True, member__status="active")
        .exclude(body__kind=BodyKind.AG)
    )
    bureau, ca = by_kind.get(BodyKind.BUREAU), by_kind.get(BodyKind.CA)
    bureau_mandates = _by_function([m for m in current if bureau and m.body_id == bureau.pk])
    ca_mandates = _by_function([m for m in current if ca and m.body_id == ca.pk])
    _fill_group_cards(groups, current, viewer, day)
    past_rows = list(
        _mandates()
        .filter(end_date__lt=day)
        .exclude(body__kind=BodyKind.AG)
        .order_by("body__position", "body__name", "-end_date", "pk")[:past_limit]
    )
    past: dict[int, PastBody] = {}
    for mandate in past_rows:
        past.setdefault(mandate.body_id, PastBody(mandate.body)).mandates.append(mandate)
    return GovernanceOverview(
        bureau=bureau,
        bureau_mandates=bureau_mandates,
        ca=ca,
        ca_by_college=_group_by_college(ca_mandates, list(College.objects.all())) if ca else [],
        groups=list(groups.values()),
        past=list(past.values()),
    )


def _fill_group_cards(
    cards: dict[int, GroupCard], mandates: list[Mandate], viewer: Member | None, day: Any
) -> None:
    """Spread running mandates over the cards of their groups. A membership ending today is
    one its holder left today (see ``governance.services.bodies.leave_group``): not shown."""
    for mandate in mandates:
        card = cards.get(mandate.body_id)
        if card is None:
            continue
        if mandate.role == MandateRole.MEMBRE and mandate.end_date == day:
            continue
        if mandate.role == MandateRole.REFERENT:
            card.referents.append(mandate)
        else:
            card.members.append(mandate)
        if viewer is not None and mandate.member_id == viewer.pk:
            card.viewer_role = mandate.role
    for card in cards.values():
        card.referents = _by_function(card.referents)
        card.members.sort(key=lambda m: (m.member.last_name, m.member.organisation_name, m.pk))


def group_card(body: Body, viewer: Member | None) -> GroupCard:
    """The card of one working group (after a join or leave), in one query."""
    day = timezone.localdate()
    card = GroupCard(body)
    mandates = list(_mandates().filter(_running_q(day), body=body, member__status="active"))
    _fill_group_cards({body.pk: card}, mandates, viewer, day)
    return card
