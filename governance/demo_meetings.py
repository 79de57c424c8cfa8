"""The content of the past meetings of the governance demo data (see ``governance.demo``):
convocations, attendance with proxies, resolutions, the CA election, and the minutes."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from governance.demo_calendar import MeetingPlan, add_agenda
from governance.demo_minutes import ag_items, board_items, minutes_text, person_name
from governance.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Body,
    BodyKind,
    Candidate,
    Convocation,
    ConvocationAnswer,
    Election,
    Mandate,
    MandateRole,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Proxy,
    Resolution,
    Statutes,
)
from governance.rules import VoteCounts, is_adopted
from governance.selectors.voting import voting_members
from members.models import College, Member
from members.models.members import MemberStatus


def _running(body: Body, day: datetime.date) -> list[Mandate]:
    return list(
        Mandate.objects.active_on(day)
        .filter(body=body, member__status=MemberStatus.ACTIVE)
        .select_related("member")
        .order_by("member__email")
    )


def _officer(role: str, day: datetime.date) -> Member | None:
    mandate = (
        Mandate.objects.active_on(day)
        .filter(body__kind=BodyKind.BUREAU, role=role)
        .select_related("member")
        .first()
    )
    return mandate.member if mandate else None


def _counts(rng: random.Random, voters: int, against: int = 3) -> VoteCounts:
    """Counts of a show of hands: a few votes against and abstentions (at most one of each
    in a small board), the rest for; a couple of voters may not raise their hand at all."""
    small = voters < 30
    no = rng.randint(0, min(1 if small else against, voters))
    abstentions = rng.randint(0, min(1 if small else 4, voters - no))
    silent = 0 if small else rng.randint(0, min(2, voters - no - abstentions))
    return VoteCounts(voters - no - abstentions - silent, no, abstentions)


def _resolutions(
    meeting: Meeting,
    agenda: list[AgendaItem],
    texts: list[str],
    rule: str,
    voters: int,
    rng: random.Random,
) -> None:
    resolutions: list[Resolution] = []
    voted_at = meeting.starts_at + datetime.timedelta(minutes=20)
    for item, text in zip(agenda, texts, strict=True):
        if not text:
            continue
        counts = _counts(rng, voters, against=8 if "cotisation" in item.title else 3)
        voted_at += datetime.timedelta(minutes=12)
        resolutions.append(
            Resolution(
                meeting=meeting,
                agenda_item=item,
                position=len(resolutions) + 1,
                title=item.title,
                text=text,
                majority=rule,
                votes_for=counts.votes_for,
                votes_against=counts.votes_against,
                abstentions=counts.abstentions,
                voters=voters,
                adopted=is_adopted(rule, counts, voters),
                voted_at=voted_at,
            )
        )
    Resolution.objects.bulk_create(resolutions)


def _fill_ag(plan: MeetingPlan, meeting: Meeting, rng: random.Random) -> None:
    """Convocations of the active members, attendance (voting rights on the AG date), proxies
    within the statutes' limit, resolutions and, at the first AG, the CA election."""
    statutes = Statutes.objects.get_solo()
    day = plan.day
    convened_day = timezone.localdate(meeting.convened_at or meeting.starts_at)
    invited = list(
        Member.objects.filter(status=MemberStatus.ACTIVE, joined_on__lte=day)
        .order_by("email")
        .values_list("pk", flat=True)
    )
    voting = set(voting_members(day).values_list("pk", flat=True))
    voting_when_convened = set(voting_members(convened_day).values_list("pk", flat=True))
    board = set(
        Mandate.objects.active_on(day)
        .filter(body__kind__in=[BodyKind.CA, BodyKind.BUREAU])
        .values_list("member_id", flat=True)
    )
    board |= set(Member.objects.filter(user__isnull=False).values_list("pk", flat=True))
    previous = Meeting.objects.filter(body=plan.body, starts_at__lt=meeting.starts_at).first()
    shares = (0.30, 0.09, 0.12) if previous is None else (0.25, 0.07, 0.14)
    status: dict[int, str] = {}
    for pk in invited:
        draw = rng.random()
        if pk in board:
            status[pk] = AttendanceStatus.PRESENT
        elif pk not in voting:
            status[pk] = (
                AttendanceStatus.PRESENT
                if draw < 0.1
                else (AttendanceStatus.EXCUSED if draw < 0.2 else AttendanceStatus.ABSENT)
            )
        elif draw < shares[0]:
            status[pk] = AttendanceStatus.PRESENT
        elif draw < shares[0] + shares[1]:
            status[pk] = AttendanceStatus.REPRESENTED
        elif draw < sum(shares):
            status[pk] = AttendanceStatus.EXCUSED
        else:
            status[pk] = AttendanceStatus.ABSENT
    held: dict[int, int] = {
        pk: 0 for pk in invited if pk in voting and status[pk] == AttendanceStatus.PRESENT
    }
    holder_of: dict[int, int] = {}
    for pk in invited:
        if status[pk] != AttendanceStatus.REPRESENTED:
            continue
        free = [h for h, count in held.items() if count < statutes.max_proxies_per_holder]
        if not free:
            status[pk] = AttendanceStatus.EXCUSED
            continue
        holder = rng.choice(free)
        held[holder] += 1
        holder_of[pk] = holder
    answers: dict[str, str] = {
        AttendanceStatus.PRESENT: ConvocationAnswer.PRESENT,
        AttendanceStatus.REPRESENTED: ConvocationAnswer.PROXY,
        AttendanceStatus.EXCUSED: ConvocationAnswer.ABSENT,
        AttendanceStatus.ABSENT: ConvocationAnswer.PENDING,
    }
    sent = meeting.convened_at
    Convocation.objects.bulk_create(
        [
            Convocation(
                meeting=meeting,
                member_id=pk,
                can_vote=pk in voting_when_convened,
                sent_at=sent,
                reminded_at=meeting.reminded_at,
                answer=answers[status[pk]],
                answered_at=sent + datetime.timedelta(days=rng.randint(1, 12))
                if sent and answers[status[pk]] != ConvocationAnswer.PENDING
                else None,
            )
            for pk in invited
        ],
        batch_size=500,
    )
    Attendance.objects.bulk_create(
        [
            Attendance(
                meeting=meeting,
                member_id=pk,
                status=status[pk],
                represented_by_id=holder_of.get(pk),
            )
            for pk in invited
        ],
        batch_size=500,
    )
    Proxy.objects.bulk_create(
        [
            Proxy(meeting=meeting, giver_id=giver, holder_id=holder)
            for giver, holder in holder_of.items()
        ]
    )
    voters = len(held) + len(holder_of)
    items = ag_items(meeting, previous)
    agenda = add_agenda(meeting, items)
    _resolutions(
        meeting,
        agenda,
        [text for _t, _d, text in items],
        statutes.ag_ordinary_majority,
        voters,
        rng,
    )
    if previous is None:
        _ca_election(meeting, plan, voters, rng)


def _ca_election(meeting: Meeting, plan: MeetingPlan, voters: int, rng: random.Random) -> None:
    """One election per collège with CA seats: the administrators elected at this AG and,
    where the collège had more candidates than seats, a candidate who was not elected."""
    ca = Body.objects.get(kind=BodyKind.CA)
    elected = list(Mandate.objects.filter(elected_at=meeting, body=ca))
    voting = set(voting_members(plan.day).values_list("pk", flat=True))
    for college in College.objects.filter(ca_seats__gt=0, is_voting=True):
        winners = [m for m in elected if m.college_id == college.pk]
        if not winners:
            continue
        election = Election.objects.bulk_create(
            [
                Election(
                    meeting=meeting,
                    body=ca,
                    college=college,
                    seats=college.ca_seats,
                    mandate_start=plan.day,
                    mandate_end=max(m.end_date or plan.day for m in winners),
                    closed_at=meeting.starts_at + datetime.timedelta(minutes=110),
                )
            ]
        )[0]
        candidates = [
            Candidate(
                election=election,
                member_id=m.member_id,
                elected=True,
                votes=voters - rng.randint(0, max(voters // 6, 1)),
            )
            for m in winners
        ]
        taken = {m.member_id for m in elected}
        loser = (
            Member.objects.filter(college=college, pk__in=voting)
            .exclude(pk__in=taken)
            .order_by("email")
            .first()
        )
        if loser is not None and college.ca_seats > 2:
            lowest = min(c.votes or 0 for c in candidates)
            candidates.append(
                Candidate(
                    election=election,
                    member=loser,
                    elected=False,
                    votes=rng.randint(lowest // 4, lowest // 2),
                )
            )
        Candidate.objects.bulk_create(candidates)


def _fill_board(plan: MeetingPlan, meeting: Meeting, index: int, rng: random.Random) -> None:
    """CA or Bureau: the members sitting that day convened and ticked, and the CA's votes."""
    mandates = _running(plan.body, plan.day)
    chairs = {
        m.pk
        for m in (
            _officer(MandateRole.PRESIDENT, plan.day),
            _officer(MandateRole.SECRETAIRE, plan.day),
        )
        if m
    }
    status: dict[int, str] = {}
    for mandate in mandates:
        draw = rng.random()
        if mandate.member_id in chairs or draw < 0.8:
            status[mandate.member_id] = AttendanceStatus.PRESENT
        else:
            status[mandate.member_id] = (
                AttendanceStatus.EXCUSED if draw < 0.95 else AttendanceStatus.ABSENT
            )
    Convocation.objects.bulk_create(
        [
            Convocation(
                meeting=meeting,
                member_id=pk,
                can_vote=plan.kind != "group",
                sent_at=meeting.convened_at,
                answer=ConvocationAnswer.PRESENT
                if value == AttendanceStatus.PRESENT
                else ConvocationAnswer.ABSENT,
                answered_at=meeting.convened_at,
            )
            for pk, value in status.items()
        ]
    )
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, member_id=pk, status=value) for pk, value in status.items()]
    )
    if plan.kind == "group":
        add_agenda(
            meeting,
            [
                ("Tour de table et situations rencontrées", "", ""),
                ("Avancement du plan d'action", "", ""),
                ("Prochaines étapes et date de la prochaine réunion", "", ""),
            ],
        )
        return
    items = board_items(plan, meeting, index)
    agenda = add_agenda(meeting, items)
    present = sum(1 for value in status.values() if value == AttendanceStatus.PRESENT)
    rule = Statutes.objects.get_solo().board_majority
    _resolutions(meeting, agenda, [text for _t, _d, text in items], rule, present, rng)


def fill_past_meeting(plan: MeetingPlan, meeting: Meeting, index: int, rng: random.Random) -> None:
    if plan.kind == "ag":
        _fill_ag(plan, meeting, rng)
    else:
        _fill_board(plan, meeting, index, rng)


def seed_minutes(plans: list[MeetingPlan], meetings: dict[str, Meeting], new: set[str]) -> int:
    """The minutes of the new AG, CA and Bureau meetings, approved at the body's next meeting
    (the last AG's at the CA that follows it); the last CA's and Bureau's wait in draft."""
    created = 0
    for position, plan in enumerate(plans):
        if plan.title not in new or plan.kind == "group":
            continue
        meeting = meetings[plan.title]
        later = [p for p in plans[position + 1 :] if p.body == plan.body]
        if plan.kind == "ag" and not later:
            later = [p for p in plans[position + 1 :] if p.kind == "ca"]
        approver = meetings[later[0].title] if later else None
        chair = _officer(MandateRole.PRESIDENT, plan.day)
        secretary = _officer(MandateRole.SECRETAIRE, plan.day)
        Minutes.objects.bulk_create(
            [
                Minutes(
                    meeting=meeting,
                    text=minutes_text(meeting, chair, secretary),
                    status=MinutesStatus.APPROVED if approver else MinutesStatus.DRAFT,
                    approved_at=approver,
                    approved_on=later[0].day if later else None,
                    chair_name=person_name(chair) if chair else "",
                    secretary_name=person_name(secretary) if secretary else "",
                )
            ]
        )
        if approver is not None:
            Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.MINUTES_APPROVED)
            meeting.status = MeetingStatus.MINUTES_APPROVED
        created += 1
    return created
