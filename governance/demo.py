"""Demo data of governance, appended to ``cpts.services.demo.DEMO_STEPS``: the statutes, the
Bureau and a CA elected at the AG two years ago, six working groups with their référents and
members, two past AGs (convocations, attendance with proxies, resolutions, CA election,
approved minutes), past CA, Bureau and working-group meetings, and the meetings to come (a CA
in about three weeks, the next AG in about six weeks, working groups). The next AG is held
before the holidays when there is time to convene it; when it falls in January, most members
have renewed for the new year in advance, so the AG has its voters.

Dates follow today's date so the demo stays fresh, and every step is idempotent: past meetings
are keyed by body and title (the title carries the date), meetings to come by body and title
prefix among the future ones, mandates are recorded once (only while the CA and the Bureau have
none), so running the seed twice changes nothing. Rows are bulk-inserted (no audit entries for
demo rows), and the data respects the statutory rules: voting rights are the fee up to date on
the meeting date (``governance.selectors.voting``), proxies stay within the statutes' limit,
vote counts never exceed the voters and ``adopted`` comes from ``governance.rules``."""

from __future__ import annotations

import datetime
import random
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from governance.demo_calendar import (
    GROUPS,
    MeetingPlan,
    past_meeting_plans,
    seed_upcoming_meetings,
)
from governance.demo_meetings import fill_past_meeting, seed_minutes
from governance.demo_renewals import seed_early_renewals
from governance.models import (
    Body,
    BodyKind,
    Mandate,
    MandateRole,
    Meeting,
    MeetingStatus,
    Statutes,
)
from governance.selectors.voting import meeting_date, voting_members
from members.models import College, Member
from members.models.members import MemberStatus
from members.models.reference import MemberKind

if TYPE_CHECKING:
    from cpts.services.demo import DemoContext

SEED = 2026_06
PRESIDENT_EMAIL = "presidence@cpts-demo.fr"
TRESORIER_EMAIL = "tresorerie@cpts-demo.fr"
REFERENT_EMAIL = "referent@cpts-demo.fr"
ADHERENT_EMAIL = "adherent@cpts-demo.fr"

# The statutes of the demo CPTS, written out explicitly (they are also the defaults).
DEMO_STATUTES = {
    "ag_quorum_percent": 25,
    "ca_quorum_percent": 50,
    "max_proxies_per_holder": 2,
    "ag_ordinary_majority": "simple",
    "ag_extraordinary_majority": "two_thirds",
    "board_majority": "simple",
    "convocation_notice_days": 15,
    "second_convocation_without_quorum": True,
    "second_convocation_notice_days": 7,
}

CORE_BODIES = [
    (
        BodyKind.AG,
        "Assemblée générale",
        0,
        "Tous les membres ; les membres à jour de cotisation des collèges délibératifs y votent.",
    ),
    (
        BodyKind.CA,
        "Conseil d'administration",
        1,
        "Administrateurs élus par collège pour trois ans ; se réunit chaque trimestre.",
    ),
    (
        BodyKind.BUREAU,
        "Bureau",
        2,
        "Président, vice-président, trésorière et secrétaire, élus "
        "par le conseil d'administration.",
    ),
]


def seed_governance_statutes(context: DemoContext) -> None:
    """The demo statutes (saved only when a setting differs)."""
    statutes = Statutes.objects.get_solo()
    changed = [name for name, value in DEMO_STATUTES.items() if getattr(statutes, name) != value]
    for name in changed:
        setattr(statutes, name, DEMO_STATUTES[name])
    if changed:
        statutes.full_clean()
        statutes.save()
        context.log(_("Statuts de démonstration enregistrés."))
    context.created["seed_governance_statutes"] = 0


def seed_governance_bodies(context: DemoContext) -> None:
    """The AG, the CA, the Bureau and the six working groups (created or put back)."""
    existing = {body.name: body for body in Body.objects.all()}
    by_kind = {body.kind: body for body in existing.values() if body.kind != BodyKind.GROUP}
    created: list[Body] = []
    for kind, name, position, description in CORE_BODIES:
        body = by_kind.get(kind)
        if body is None:
            created.append(Body(kind=kind, name=name, position=position, description=description))
        elif not body.description:
            Body.objects.filter(pk=body.pk).update(description=description)
            context.log(_("Instance complétée : %(name)s.") % {"name": body.name})
    for position, (name, theme, description, open_to_join, _led) in enumerate(GROUPS, 10):
        wanted = {
            "kind": BodyKind.GROUP,
            "theme": theme,
            "description": description,
            "open_to_join": open_to_join,
            "position": position,
            "archived_on": None,
        }
        body = existing.get(name)
        if body is None:
            created.append(Body(name=name, **wanted))
        elif any(getattr(body, key) != value for key, value in wanted.items()):
            Body.objects.filter(pk=body.pk).update(**wanted)
            context.log(_("Groupe de travail remis en état : %(name)s.") % {"name": name})
    Body.objects.bulk_create(created)
    for body in created:
        context.log(_("Instance créée : %(name)s.") % {"name": body.name})
    context.created["seed_governance_bodies"] = len(created)


def _member(email: str) -> Member | None:
    return Member.objects.filter(email__iexact=email, status=MemberStatus.ACTIVE).first()


def _body(kind: str) -> Body:
    return Body.objects.get(kind=kind)


def _board(
    plans: list[MeetingPlan], meetings: dict[str, Meeting], rng: random.Random
) -> list[Mandate]:
    """The CA elected at the first past AG, collège by collège up to its seats, and the Bureau
    it elected that evening. Later on, the secretary hands over at the September CA of last
    year, and the treasurer resigns: the demo treasurer (who joined since) is co-opted in
    their seat at the next CA and elected treasurer."""
    president, treasurer = _member(PRESIDENT_EMAIL), _member(TRESORIER_EMAIL)
    ags = [p for p in plans if p.kind == "ag"]
    if president is None or treasurer is None or not ags:
        return []
    ag_day = ags[0].day
    term_end = datetime.date(ag_day.year + 3, 6, 30)
    ca_plans = [p for p in plans if p.kind == "ca" and p.day >= ag_day]
    constitutive = next((meetings[p.title] for p in ca_plans if p.day == ag_day), None)
    handover = next(
        (p for p in ca_plans if p.day.year == ag_day.year + 1 and p.day.month >= 9), None
    )
    replaced_on = max(treasurer.joined_on or ag_day, ag_day + datetime.timedelta(days=1))
    cooptation = next((p for p in ca_plans if p.day >= replaced_on), None)
    replaced_on = cooptation.day if cooptation else replaced_on
    coopted_at = meetings[cooptation.title] if cooptation else None
    excluded = {m.pk for m in (_member(REFERENT_EMAIL), _member(ADHERENT_EMAIL)) if m}
    excluded |= {president.pk, treasurer.pk}
    voting_ids = set(voting_members(ag_day).values_list("pk", flat=True))
    ca_id, bureau_id = _body(BodyKind.CA).pk, _body(BodyKind.BUREAU).pk
    elected_at = meetings[ags[0].title]
    mandates: list[Mandate] = []

    def add(member: Member, body_id: int, role: str, **fields: Any) -> None:
        values = {"start_date": ag_day, "end_date": term_end, **fields}
        mandates.append(Mandate(member=member, body_id=body_id, role=role, **values))

    officers: dict[str, Member] = {}
    colleges = College.objects.filter(is_voting=True, ca_seats__gt=0).order_by("position")
    for college in colleges:
        pool = list(
            Member.objects.filter(college=college, status=MemberStatus.ACTIVE, pk__in=voting_ids)
            .exclude(pk__in=excluded)
            .order_by("email")
        )
        rng.shuffle(pool)
        persons = [m for m in pool if m.kind == MemberKind.PERSON]
        seated: list[Member] = []
        if president.college_id == college.pk:
            seated.append(president)
        if treasurer.college_id == college.pk and persons:
            # The treasurer elected here resigns; the demo treasurer is co-opted in the seat.
            officers["former_treasurer"] = persons.pop(0)
            seated.append(officers["former_treasurer"])
            add(
                treasurer,
                ca_id,
                MandateRole.ADMINISTRATEUR,
                college=college,
                start_date=replaced_on,
                elected_at=coopted_at,
                notes="Cooptation par le conseil d'administration",
            )
        for key in ("vice_president", "former_secretary", "secretary"):
            if key not in officers and persons and len(seated) < college.ca_seats:
                officers[key] = persons.pop(0)
                seated.append(officers[key])
        others = [m for m in pool if m not in seated]
        seated += others[: max(college.ca_seats - len(seated), 0)]
        for member in seated:
            resigned = member == officers.get("former_treasurer")
            end = replaced_on - datetime.timedelta(days=1) if resigned else term_end
            add(
                member,
                ca_id,
                MandateRole.ADMINISTRATEUR,
                college=college,
                end_date=end,
                elected_at=elected_at,
                notes="Démission" if resigned else "",
            )
    bureau = {"elected_at": constitutive}
    add(president, bureau_id, MandateRole.PRESIDENT, **bureau)
    if "vice_president" in officers:
        add(officers["vice_president"], bureau_id, MandateRole.VICE_PRESIDENT, **bureau)
    if "former_treasurer" in officers:
        add(
            officers["former_treasurer"],
            bureau_id,
            MandateRole.TRESORIER,
            end_date=replaced_on - datetime.timedelta(days=1),
            notes="Démission",
            **bureau,
        )
        add(
            treasurer,
            bureau_id,
            MandateRole.TRESORIER,
            start_date=replaced_on,
            elected_at=coopted_at,
        )
    if handover is not None and {"former_secretary", "secretary"} <= set(officers):
        add(
            officers["former_secretary"],
            bureau_id,
            MandateRole.SECRETAIRE,
            end_date=handover.day - datetime.timedelta(days=1),
            **bureau,
        )
        add(
            officers["secretary"],
            bureau_id,
            MandateRole.SECRETAIRE,
            start_date=handover.day,
            elected_at=meetings[handover.title],
        )
    elif "secretary" in officers:
        add(officers["secretary"], bureau_id, MandateRole.SECRETAIRE, **bureau)
    return mandates


def _group_mandates(rng: random.Random, first_ag: datetime.date) -> list[Mandate]:
    """A référent and 4 to 10 members for each working group without mandates yet. The
    prevention group changed référent along the way, and two groups saw a member leave."""
    groups = Body.objects.filter(kind=BodyKind.GROUP, name__in=[g[0] for g in GROUPS])
    by_name = {body.name: body for body in groups}
    filled = set(Mandate.objects.filter(body__in=groups).values_list("body_id", flat=True))
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    accounts = {email: _member(email) for email in (REFERENT_EMAIL, ADHERENT_EMAIL)}
    busy = {m.pk for m in (_member(PRESIDENT_EMAIL), _member(TRESORIER_EMAIL)) if m}
    persons = [
        m
        for m in Member.objects.filter(
            status=MemberStatus.ACTIVE, kind=MemberKind.PERSON, joined_on__lt=yesterday
        ).order_by("email")
        if m.pk not in busy and m not in accounts.values()
    ]
    mandates: list[Mandate] = []

    def add(
        member: Member,
        body: Body,
        role: str,
        start: datetime.date,
        end: datetime.date | None = None,
    ) -> None:
        start = min(max(start, member.joined_on or start), yesterday)
        end = max(end, start) if end else None
        mandates.append(
            Mandate(member=member, body=body, role=role, start_date=start, end_date=end)
        )

    for index, (name, _theme, _description, _open, led_by_account) in enumerate(GROUPS):
        body = by_name.get(name)
        if body is None or body.pk in filled:
            continue
        started = min(first_ag + datetime.timedelta(days=60 + 45 * index), yesterday)
        drawn = rng.sample(persons, 12)
        referent = (accounts[REFERENT_EMAIL] if led_by_account else None) or drawn.pop()
        members = drawn[: rng.randint(4, 10)]
        adherent = accounts[ADHERENT_EMAIL]
        if index == 0 and adherent is not None:
            members[-1] = adherent
        if index == 2:
            former = drawn[-1]
            handover = min(started + datetime.timedelta(days=300), yesterday)
            add(former, body, MandateRole.REFERENT, started, handover - datetime.timedelta(1))
            add(referent, body, MandateRole.REFERENT, handover)
        else:
            add(referent, body, MandateRole.REFERENT, started)
        for position, member in enumerate(members):
            start = started + datetime.timedelta(days=rng.randint(0, 200))
            left = (
                start + datetime.timedelta(days=240) if index in (1, 3) and position == 0 else None
            )
            add(member, body, MandateRole.MEMBRE, start, min(left, yesterday) if left else None)
    return mandates


def seed_governance_history(context: DemoContext) -> None:
    """Mandates, past meetings of every body with their content, and minutes."""
    rng = random.Random(SEED)
    today = timezone.localdate()
    plans = past_meeting_plans(today)
    existing = {
        (m.body_id, m.title): m for m in Meeting.objects.filter(title__in=[p.title for p in plans])
    }
    new_meetings = [plan.meeting() for plan in plans if (plan.body.pk, plan.title) not in existing]
    Meeting.objects.bulk_create(new_meetings)
    meetings = {m.title: m for m in existing.values()}
    meetings.update({m.title: m for m in new_meetings})

    board = Body.objects.filter(kind__in=[BodyKind.CA, BodyKind.BUREAU])
    mandates: list[Mandate] = []
    if not Mandate.objects.filter(body__in=board).exists():
        mandates += _board(plans, meetings, rng)
    first_ag = next((p.day for p in plans if p.kind == "ag"), today)
    mandates += _group_mandates(rng, first_ag)
    Mandate.objects.bulk_create(mandates)

    new_titles = {m.title for m in new_meetings}
    for index, plan in enumerate(plans):
        if plan.title in new_titles:
            fill_past_meeting(plan, meetings[plan.title], index, rng)
    minutes = seed_minutes(plans, meetings, new_titles)
    if mandates:
        context.log(_("Mandats de démonstration créés : %(count)s.") % {"count": len(mandates)})
    if new_meetings:
        context.log(
            _("Réunions passées créées : %(count)s, avec %(minutes)s procès-verbaux.")
            % {"count": len(new_meetings), "minutes": minutes}
        )
    context.created["seed_governance_history"] = len(new_meetings) + len(mandates)


def seed_governance_upcoming(context: DemoContext) -> None:
    """The CA convened in about three weeks, the AG planned in about six weeks,
    working-group meetings, and (when that AG falls next year) the early renewals that give
    its voters."""
    created = seed_upcoming_meetings(random.Random(SEED + 1))
    for meeting in created:
        context.log(_("Réunion à venir créée : %(title)s.") % {"title": meeting.title})
    today = timezone.localdate()
    next_ag = (
        Meeting.objects.filter(body__kind=BodyKind.AG, starts_at__gte=timezone.now())
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at")
        .first()
    )
    renewed = seed_early_renewals(meeting_date(next_ag).year, today) if next_ag else 0
    if renewed:
        context.log(
            _("Adhésions renouvelées par avance pour l'AG à venir : %(count)s.")
            % {"count": renewed}
        )
    context.created["seed_governance_upcoming"] = len(created) + renewed


GOVERNANCE_DEMO_STEPS = [
    seed_governance_statutes,
    seed_governance_bodies,
    seed_governance_history,
    seed_governance_upcoming,
]
