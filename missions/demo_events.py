"""The actions and events of the demo contract written to the database (see
``missions.demo`` and the specs in ``missions.demo_actions``): fiches action linked to their
missions and to the governance demo's working groups (the first action of each group also to
the group's first meetings), events with participants counted by profession and by age band
(counts only), professionals mobilised among the demo members, and a few event documents."""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from governance.models import Body, BodyKind, Meeting, MeetingStatus
from members.models import Member, Profession
from members.models.members import MemberStatus
from members.models.reference import MemberKind
from missions.demo_actions import ACTIONS, ActionSpec, EventSpec, months_after
from missions.demo_files import demo_pdf
from missions.models import (
    Action,
    ActionStatus,
    AgeBand,
    Contract,
    Event,
    EventDocument,
    Mission,
    ParticipantCount,
)

SEED = 2026_05
PUBLIC_KINDS = {"atelier", "stand", "campagne"}
# The age bands each kind of public event reaches, with a typical count range.
PUBLIC_BANDS = {
    "atelier": ((AgeBand.SENIORS, 3, 9), (AgeBand.ELDERLY, 2, 7), (AgeBand.ADULTS, 0, 3)),
    "stand": (
        (AgeBand.YOUNG, 2, 10),
        (AgeBand.ADULTS, 10, 35),
        (AgeBand.SENIORS, 8, 25),
        (AgeBand.ELDERLY, 2, 10),
        (AgeBand.UNKNOWN, 0, 8),
    ),
    "campagne": ((AgeBand.ADULTS, 8, 30), (AgeBand.SENIORS, 10, 40), (AgeBand.ELDERLY, 3, 15)),
}
DOCUMENTS = ("Feuille d'émargement", "Support de présentation")
DOCUMENTED_EVERY = 12  # one event in twelve keeps its documents


def _status(spec: ActionSpec, contract: Contract) -> str:
    if spec.status:
        return spec.status
    today = timezone.localdate()
    if months_after(contract.signed_on, spec.start) > today:
        return ActionStatus.PLANNED
    if months_after(contract.signed_on, spec.start + spec.months) < today:
        return ActionStatus.DONE
    return ActionStatus.IN_PROGRESS


def _seed_actions(contract: Contract) -> dict[str, Action]:
    existing = {a.title: a for a in Action.objects.filter(contract=contract)}
    groups = {b.name: b for b in Body.objects.filter(kind=BodyKind.GROUP)}
    new = [
        Action(
            contract=contract,
            title=spec.title,
            diagnosis=spec.diagnosis,
            general_objective=spec.general,
            operational_objectives=spec.operational,
            description=spec.description,
            public=spec.public,
            actors=spec.actors,
            working_group=groups.get(spec.group) if spec.group else None,
            start=months_after(contract.signed_on, spec.start),
            key_stages=spec.stages,
            planned_end=months_after(contract.signed_on, spec.start + spec.months),
            status=_status(spec, contract),
        )
        for spec in ACTIONS
        if spec.title not in existing
    ]
    Action.objects.bulk_create(new)
    missions = {m.key: m.pk for m in Mission.objects.all()}
    specs = {spec.title: spec for spec in ACTIONS}
    Action.missions.through.objects.bulk_create(
        [
            Action.missions.through(action_id=action.pk, mission_id=missions[key])
            for action in new
            for key in specs[action.title].missions
        ]
    )
    _link_meetings(new, groups)
    return {**existing, **{action.title: action for action in new}}


def _link_meetings(actions: list[Action], groups: dict[str, Body]) -> None:
    """The first new action of each working group is linked to the group's first two
    meetings held."""
    linked: set[int] = set()
    rows = []
    for action in actions:
        group_id = action.working_group_id
        if group_id is None or group_id in linked:
            continue
        linked.add(group_id)
        meetings = Meeting.objects.filter(body_id=group_id, status=MeetingStatus.HELD).order_by(
            "starts_at"
        )[:2]
        rows += [Action.meetings.through(action_id=action.pk, meeting_id=m.pk) for m in meetings]
    Action.meetings.through.objects.bulk_create(rows)


def _event_title(spec: EventSpec, index: int) -> str:
    return f"{spec.title} n°{index + 1}" if len(spec.at) > 1 else spec.title


def _counts(
    event: Event, spec: EventSpec, professions: dict[str, int], rng: random.Random
) -> list[ParticipantCount]:
    counts = []
    for code in spec.professions:
        if code in professions:
            high = 3 if spec.public else 12
            counts.append(
                ParticipantCount(
                    event=event, profession_id=professions[code], count=rng.randint(1, high)
                )
            )
    if spec.public:
        for band, low, high in PUBLIC_BANDS.get(spec.kind, PUBLIC_BANDS["atelier"]):
            count = rng.randint(low, high)
            if count:
                counts.append(ParticipantCount(event=event, age_band=band, count=count))
    return counts


def seed_actions_and_events(contract: Contract) -> tuple[int, int]:
    """Create the missing actions and events; returns how many of each were created."""
    before = Action.objects.filter(contract=contract).count()
    actions = _seed_actions(contract)
    rng = random.Random(SEED)
    existing = set(
        Event.objects.filter(action__contract=contract).values_list("action_id", "title")
    )
    professions = dict(Profession.objects.values_list("code", "pk"))
    members_by_code: dict[str, list[int]] = defaultdict(list)
    persons = Member.objects.filter(status=MemberStatus.ACTIVE, kind=MemberKind.PERSON)
    for pk, code in persons.order_by("pk").values_list("pk", "profession__code"):
        members_by_code[code or ""].append(pk)
    events: list[Event] = []
    plans: list[tuple[Event, EventSpec]] = []
    for action_spec in ACTIONS:
        action = actions[action_spec.title]
        for spec in action_spec.events:
            for index, at in enumerate(spec.at):
                title = _event_title(spec, index)
                if (action.pk, title) in existing:
                    continue
                event = Event(
                    action=action,
                    kind=spec.kind,
                    title=title,
                    date=months_after(contract.signed_on, at),
                    place=spec.place,
                    hours=Decimal(spec.hours),
                )
                events.append(event)
                plans.append((event, spec))
    Event.objects.bulk_create(events)
    counts: list[ParticipantCount] = []
    mobilised = []
    today = timezone.localdate()
    for event, spec in plans:
        if event.date > today:
            continue  # an event to come: nobody counted yet
        counts += _counts(event, spec, professions, rng)
        pool = sorted({pk for code in spec.professions for pk in members_by_code.get(code, [])})
        for member_id in rng.sample(pool, min(len(pool), rng.randint(2, 4))):
            mobilised.append(Event.professionals.through(event_id=event.pk, member_id=member_id))
    ParticipantCount.objects.bulk_create(counts)
    Event.professionals.through.objects.bulk_create(mobilised)
    _documents([e for e, _s in plans if e.date <= today])
    return len(actions) - before, len(events)


def _documents(events: list[Event]) -> None:
    documents = []
    for index, event in enumerate(events):
        if index % DOCUMENTED_EVERY:
            continue
        for title in DOCUMENTS:
            document = EventDocument(event=event, title=title)
            lines = [
                "CPTS du Cœur d'Hérault",
                f"{event.title} — {event.date:%d/%m/%Y}",
                event.place,
                "Document de démonstration.",
            ]
            name = f"{slugify(title)}-{event.date:%Y-%m-%d}.pdf"
            document.file.save(name, ContentFile(demo_pdf(title, lines)), save=False)
            documents.append(document)
    EventDocument.objects.bulk_create(documents)
