"""Reads of actions and events: who may see or run an action, the filtered list with its
per-action figures, the action sheet (fiche action) with its events, and the activity totals
of a period (events, participants, professionals mobilised) that reports and indicators reuse.
Every read runs in a fixed number of queries whatever the number of actions or events."""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear

from cpts.permissions import user_can
from governance.access import led_body_ids
from governance.models import Body, BodyKind, Meeting
from members.models import Member, Profession
from members.models.members import MemberStatus
from members.models.reference import MemberKind
from missions.models import (
    Action,
    ActionStatus,
    AgeBand,
    Event,
    EventDocument,
    Mission,
    ParticipantCount,
)

MAX_SEARCH = 100


# --- Access -----------------------------------------------------------------------------


def can_view_action(user: Any, action: Action) -> bool:
    """``missions.view`` reads every action; a référent, those of the groups they lead."""
    if user_can(user, "missions.view"):
        return True
    return (
        user_can(user, "groups.lead")
        and action.working_group_id is not None
        and action.working_group_id in led_body_ids(user)
    )


def can_manage_action(user: Any, action: Action) -> bool:
    if user_can(user, "missions.manage"):
        return True
    return (
        user_can(user, "groups.lead")
        and action.working_group_id is not None
        and action.working_group_id in led_body_ids(user)
    )


def choosable_groups(user: Any, current: Body | None = None) -> QuerySet[Body]:
    """The working groups ``user`` may give an action: every open group for the coordination,
    the groups they lead for a référent (plus the action's present group, kept as is)."""
    groups = Body.objects.filter(kind=BodyKind.GROUP)
    keep = Q(pk=current.pk) if current is not None else Q(pk__in=[])
    if user_can(user, "missions.manage"):
        return groups.filter(Q(archived_on__isnull=True) | keep).order_by("position", "name")
    led = led_body_ids(user) if user_can(user, "groups.lead") else set()
    return groups.filter(Q(pk__in=led) & (Q(archived_on__isnull=True) | keep)).order_by(
        "position", "name"
    )


def visible_actions(user: Any) -> QuerySet[Action]:
    if user_can(user, "missions.view"):
        return Action.objects.all()
    if user_can(user, "groups.lead"):
        return Action.objects.filter(working_group_id__in=led_body_ids(user))
    return Action.objects.none()


# --- The list -----------------------------------------------------------------------------


def _int(value: str) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


@dataclass(frozen=True)
class ActionFilters:
    mission: int | None = None
    status: str = ""
    group: int | None = None
    year: int | None = None
    search: str = ""

    @classmethod
    def from_query(cls, query: Any) -> ActionFilters:
        """Filters from a query string; values that do not parse are ignored."""
        year = _int(query.get("annee", ""))
        status = query.get("statut", "")
        search = " ".join(str(query.get("q", "")).split())[:MAX_SEARCH]
        return cls(
            mission=_int(query.get("mission", "")),
            status=status if status in ActionStatus.values else "",
            group=_int(query.get("groupe", "")),
            year=year if year is not None and 1900 < year < 3000 else None,
            search=search,
        )

    @property
    def active(self) -> bool:
        return bool(self.mission or self.status or self.group or self.year or self.search)


def _count_sum(category: Q) -> Coalesce:
    rows = (
        ParticipantCount.objects.filter(category, event__action=OuterRef("pk"))
        .order_by()
        .values("event__action")
        .annotate(total=Sum("count"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _mobilised() -> Coalesce:
    through: Any = Event.professionals.through
    rows = (
        through.objects.filter(event__action=OuterRef("pk"))
        .order_by()
        .values("event__action")
        .annotate(total=Count("member", distinct=True))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _with_figures(actions: QuerySet[Action]) -> QuerySet[Action]:
    events = Event.objects.filter(action=OuterRef("pk")).order_by().values("action")
    return actions.annotate(
        events_count=Coalesce(
            Subquery(events.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
            Value(0),
        ),
        professionals_count=_count_sum(Q(profession__isnull=False)),
        public_count=_count_sum(Q(profession__isnull=True)),
        mobilised_count=_mobilised(),
    )


def runs_during(first: datetime.date, last: datetime.date) -> Q:
    """Actions whose span meets ``first``..``last``: started on or before ``last``, planned
    end absent or on or after ``first`` (an action without a start never runs)."""
    return Q(start__lte=last) & (Q(planned_end__isnull=True) | Q(planned_end__gte=first))


def held_during(first: datetime.date, last: datetime.date) -> Exists:
    """Actions with an event held from ``first`` to ``last`` (both included)."""
    return Exists(Event.objects.filter(action=OuterRef("pk"), date__range=(first, last)))


def action_rows(user: Any, filters: ActionFilters) -> QuerySet[Action]:
    """The actions ``user`` may see, filtered, with their events count, participants
    (professionals and public) and distinct professionals mobilised."""
    actions = visible_actions(user)
    if filters.mission:
        actions = actions.filter(
            Exists(
                Action.missions.through.objects.filter(
                    action=OuterRef("pk"), mission_id=filters.mission
                )
            )
        )
    if filters.status:
        actions = actions.filter(status=filters.status)
    if filters.group:
        actions = actions.filter(working_group_id=filters.group)
    if filters.year:
        first = datetime.date(filters.year, 1, 1)
        last = datetime.date(filters.year, 12, 31)
        actions = actions.filter(runs_during(first, last) | held_during(first, last))
    if filters.search:
        actions = actions.filter(title__icontains=filters.search)
    return _with_figures(
        actions.select_related("working_group").prefetch_related(
            Prefetch("missions", queryset=Mission.objects.order_by("position"))
        )
    ).order_by("-start", "title", "pk")


def action_years(user: Any) -> list[int]:
    """The years of the visible actions' starts and events, latest first (filter choices)."""
    actions = visible_actions(user)
    starts = actions.exclude(start__isnull=True).annotate(y=ExtractYear("start")).values("y")
    held = (
        Event.objects.filter(action__in=actions.values("pk"))
        .annotate(y=ExtractYear("date"))
        .values("y")
    )
    years = {row["y"] for row in starts.distinct()} | {row["y"] for row in held.distinct()}
    return sorted(years, reverse=True)


def list_groups(user: Any) -> QuerySet[Body]:
    """The working groups offered by the list's filter."""
    groups = Body.objects.filter(kind=BodyKind.GROUP).order_by("position", "name")
    if user_can(user, "missions.view"):
        return groups
    return groups.filter(pk__in=led_body_ids(user))


# --- The action sheet ---------------------------------------------------------------------


@dataclass
class EventView:
    event: Event
    professions: list[ParticipantCount] = field(default_factory=list)
    public: list[ParticipantCount] = field(default_factory=list)

    @property
    def professionals_total(self) -> int:
        return sum(row.count for row in self.professions)

    @property
    def public_total(self) -> int:
        return sum(row.count for row in self.public)


def _events_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "events",
        queryset=Event.objects.order_by("date", "pk").prefetch_related(
            Prefetch(
                "counts",
                queryset=ParticipantCount.objects.select_related("profession").order_by(
                    "profession__label", "age_band"
                ),
            ),
            Prefetch(
                "professionals",
                queryset=Member.objects.select_related("profession").order_by(
                    "last_name", "first_name", "pk"
                ),
            ),
            Prefetch("documents", queryset=EventDocument.objects.order_by("title", "pk")),
        ),
    )


def event_view(event: Event) -> EventView:
    """An event with its counts split by category (counts prefetched)."""
    band_order = {value: i for i, value in enumerate(AgeBand.values)}
    rows = list(event.counts.all())
    return EventView(
        event=event,
        professions=[row for row in rows if row.profession_id is not None],
        public=sorted(
            (row for row in rows if row.profession_id is None),
            key=lambda row: band_order.get(row.age_band, 99),
        ),
    )


def action_sheet(pk: int) -> Action | None:
    """The action with its missions, group, contract, events (counts, professionals,
    documents) and linked meetings, in a fixed number of queries."""
    return (
        Action.objects.select_related("working_group", "contract")
        .prefetch_related(
            Prefetch("missions", queryset=Mission.objects.order_by("position")),
            Prefetch(
                "meetings",
                queryset=Meeting.objects.select_related("body").order_by("starts_at", "pk"),
            ),
            _events_prefetch(),
        )
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class ActivityTotals:
    """What a set of events adds up to. Participants are counts, never people."""

    events: int = 0
    professionals: int = 0  # professional participants, summed over the events
    public: int = 0  # public participants, summed over the events
    mobilised: int = 0  # distinct members mobilised

    @property
    def participants(self) -> int:
        return self.professionals + self.public


def sheet_totals(action: Action) -> ActivityTotals:
    """The action's totals from its prefetched events (no query)."""
    events = list(action.events.all())
    views = [event_view(event) for event in events]
    mobilised = {m.pk for event in events for m in event.professionals.all()}
    return ActivityTotals(
        events=len(events),
        professionals=sum(v.professionals_total for v in views),
        public=sum(v.public_total for v in views),
        mobilised=len(mobilised),
    )


def linkable_meetings(action: Action) -> QuerySet[Meeting]:
    """Meetings of the action's working group not linked yet, latest first."""
    if action.working_group_id is None:
        return Meeting.objects.none()
    return (
        Meeting.objects.filter(body_id=action.working_group_id)
        .exclude(actions=action)
        .order_by("-starts_at", "pk")
    )


# --- Events: the counts grid ----------------------------------------------------------------


def grid_professions(event: Event | None) -> list[Profession]:
    """The professions offered by the counts grid: those of the active members, plus those
    already counted on the event."""
    used = Q(
        pk__in=Member.objects.filter(
            status=MemberStatus.ACTIVE, kind=MemberKind.PERSON, profession__isnull=False
        ).values("profession")
    )
    if event is not None and event.pk:
        used |= Q(pk__in=event.counts.filter(profession__isnull=False).values("profession"))
    return sorted(Profession.objects.filter(used), key=lambda p: _folded(p.label))


def _folded(text: str) -> str:
    """Sort key ignoring accents and case ("Éducateur" among the E)."""
    return "".join(
        c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c)
    )


def mobilisable_members(event: Event | None) -> QuerySet[Member]:
    """Active persons, plus the members already mobilised on the event."""
    chosen = Q(status=MemberStatus.ACTIVE, kind=MemberKind.PERSON)
    if event is not None and event.pk:
        chosen |= Q(pk__in=event.professionals.values("pk"))
    return (
        Member.objects.filter(chosen)
        .select_related("profession")
        .order_by("last_name", "first_name", "pk")
    )


# --- Totals of a period -----------------------------------------------------------------------


def _period_events(
    start: datetime.date, end: datetime.date, mission: Mission | int | None
) -> QuerySet[Event]:
    events = Event.objects.filter(date__range=(start, end))
    if mission is not None:
        mission_id = mission.pk if isinstance(mission, Mission) else mission
        events = events.filter(
            Exists(
                Action.missions.through.objects.filter(
                    action=OuterRef("action"), mission_id=mission_id
                )
            )
        )
    return events


def activity_totals(
    start: datetime.date, end: datetime.date, mission: Mission | int | None = None
) -> ActivityTotals:
    """Events held from ``start`` to ``end`` (both included), of actions of ``mission`` when
    given: how many, their professional and public participants, and the distinct members
    mobilised. Three queries."""
    events = _period_events(start, end, mission)
    figures = ParticipantCount.objects.filter(event__in=events.values("pk")).aggregate(
        professionals=Coalesce(Sum("count", filter=Q(profession__isnull=False)), Value(0)),
        public=Coalesce(Sum("count", filter=Q(profession__isnull=True)), Value(0)),
    )
    mobilised = (
        Event.professionals.through.objects.filter(event__in=events.values("pk"))
        .values("member")
        .distinct()
        .count()
    )
    return ActivityTotals(
        events=events.count(),
        professionals=figures["professionals"],
        public=figures["public"],
        mobilised=mobilised,
    )


def activity_totals_by_mission(
    start: datetime.date, end: datetime.date
) -> dict[int, ActivityTotals]:
    """``activity_totals`` for every mission at once (key: mission pk; missions without an
    event in the period are absent). An action of several missions counts for each."""
    link: Any = Action.missions.through
    events = {
        row["mission"]: row["n"]
        for row in link.objects.filter(action__events__date__range=(start, end))
        .values("mission")
        .annotate(n=Count("action__events", distinct=True))
    }
    counts = (
        ParticipantCount.objects.filter(event__date__range=(start, end))
        .values("event__action__missions")
        .annotate(
            professionals=Sum("count", filter=Q(profession__isnull=False)),
            public=Sum("count", filter=Q(profession__isnull=True)),
        )
    )
    people = {
        row["event__action__missions"]: (row["professionals"] or 0, row["public"] or 0)
        for row in counts
    }
    through: Any = Event.professionals.through
    mobilised = {
        row["event__action__missions"]: row["n"]
        for row in through.objects.filter(event__date__range=(start, end))
        .values("event__action__missions")
        .annotate(n=Count("member", distinct=True))
    }
    return {
        mission_id: ActivityTotals(
            events=n,
            professionals=people.get(mission_id, (0, 0))[0],
            public=people.get(mission_id, (0, 0))[1],
            mobilised=mobilised.get(mission_id, 0),
        )
        for mission_id, n in events.items()
        if mission_id is not None
    }


def period_actions(first: datetime.date, last: datetime.date) -> QuerySet[Action]:
    """The actions that ran (``runs_during``) or held an event from ``first`` to ``last``, with
    their missions, working group and the events of the period (``period_events``, each
    annotated with its ``professionals_count`` and ``public_count`` participants). Four queries."""
    events = (
        Event.objects.filter(date__range=(first, last))
        .annotate(
            professionals_count=Coalesce(
                Sum("counts__count", filter=Q(counts__profession__isnull=False)), Value(0)
            ),
            public_count=Coalesce(
                Sum("counts__count", filter=Q(counts__profession__isnull=True)), Value(0)
            ),
        )
        .order_by("date", "pk")
    )
    return (
        Action.objects.filter(runs_during(first, last) | held_during(first, last))
        .select_related("working_group")
        .prefetch_related(
            Prefetch("missions", queryset=Mission.objects.order_by("position")),
            Prefetch("events", queryset=events, to_attr="period_events"),
        )
        .order_by("start", "title", "pk")
    )
