"""Convocations: convene a meeting's body (one Convocation and one email with its .ics per
invitee), re-send to those who have not answered, remind them before the date, record their
answers, and tell them of a cancellation. Emails leave after the transaction commits
(``send_member_email``)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cpts.models import User
from governance.ics import MIME_TYPE, ics_filename, meeting_ics
from governance.models import (
    BodyKind,
    Convocation,
    ConvocationAnswer,
    Meeting,
    MeetingStatus,
    Proxy,
)
from governance.selectors.decisions import meeting_label
from governance.selectors.meetings import agenda, answers_open
from governance.selectors.voting import body_members, meeting_date, voting_q
from members.models import EmailCategory
from members.services.emails import send_member_email

UriBuilder = Callable[[str], str]
TEMPLATES = "emails/governance"
REMINDER_WINDOW = datetime.timedelta(hours=48)
DEFAULT_SITE_URL = "http://localhost:8000"


def absolute_url(path: str, build_absolute_uri: UriBuilder | None = None) -> str:
    """``path`` as a full link: from the request when there is one (the host the team is
    using), else from ``settings.MAILLAGE_SITE_URL`` (background tasks)."""
    if build_absolute_uri is not None:
        return build_absolute_uri(path)
    base = getattr(settings, "MAILLAGE_SITE_URL", "") or DEFAULT_SITE_URL
    return base.rstrip("/") + path


def answer_path(convocation: Convocation) -> str:
    return reverse("convocation_answer", kwargs={"token": convocation.token})


def proxy_path(meeting: Meeting) -> str:
    """The portal page where an adherent gives a proxy for ``meeting`` ("" if not installed)."""
    try:
        return reverse("proxy_give", args=[meeting.pk])
    except NoReverseMatch:
        return ""


@dataclass
class _Mailer:
    """Sends the emails of one meeting (its agenda and .ics are computed once)."""

    meeting: Meeting
    build_absolute_uri: UriBuilder | None
    by: User | None

    def __post_init__(self) -> None:
        self.items = agenda(self.meeting)
        self.proxy_url = ""
        if self.meeting.is_ag and proxy_path(self.meeting):
            self.proxy_url = absolute_url(proxy_path(self.meeting), self.build_absolute_uri)

    def send(
        self,
        convocation: Convocation,
        *,
        kind: str,
        subject: str,
        template: str,
        category: str = EmailCategory.CONVOCATION,
        extra: dict[str, str] | None = None,
    ) -> bool:
        url = absolute_url(answer_path(convocation), self.build_absolute_uri)
        context = {
            "meeting": self.meeting,
            "items": self.items,
            "convocation": convocation,
            "answer_url": url,
            "proxy_url": self.proxy_url if convocation.can_vote else "",
            **(extra or {}),
        }
        ics = meeting_ics(self.meeting, url=url)
        logged = send_member_email(
            convocation.member,
            kind=kind,
            category=category,
            subject=subject,
            template=f"{TEMPLATES}/{template}",
            context=context,
            sent_by=self.by,
            attachments=[(ics_filename(self.meeting), ics, MIME_TYPE)],
        )
        return logged is not None


def _subject(meeting: Meeting, prefix: str) -> str:
    """ "Convocation — Conseil d'administration — 08/09/2026": the body and the date once."""
    return f"{prefix} — {meeting_label(meeting)}"


def _invitees(meeting: Meeting) -> list[tuple[int, bool]]:
    """(member pk, voting right) of everyone ``meeting`` convenes: at an AG every active
    member, voting if up to date on the meeting date; elsewhere the body's members (who all
    vote at a CA or Bureau, nobody in a working group)."""
    on = meeting_date(meeting)
    members = body_members(meeting.body, on)
    member_pks = list(members.values_list("pk", flat=True))
    if meeting.body.kind == BodyKind.AG:
        voters = set(members.filter(voting_q(on)).values_list("pk", flat=True))
        return [(pk, pk in voters) for pk in member_pks]
    return [(pk, meeting.body.kind != BodyKind.GROUP) for pk in member_pks]


def _create_convocations(meeting: Meeting, skip: set[int]) -> list[Convocation]:
    created = []
    for member_pk, can_vote in _invitees(meeting):
        if member_pk in skip:
            continue
        created.append(
            Convocation.objects.create(meeting=meeting, member_id=member_pk, can_vote=can_vote)
        )
    return created


def _send_convocations(
    mailer: _Mailer,
    convocations: list[Convocation],
    now: datetime.datetime,
    *,
    again: bool,
    update: bool = False,
) -> int:
    meeting = mailer.meeting
    if update:
        prefix, template = _("Convocation mise à jour"), "update"
    else:
        prefix = _("Rappel de convocation") if again else _("Convocation")
        template = "convocation"
    sent = 0
    for convocation in Convocation.objects.filter(
        pk__in=[c.pk for c in convocations]
    ).select_related("member"):
        if mailer.send(
            convocation,
            kind=f"convocation_{meeting.pk}",
            subject=_subject(meeting, prefix),
            template=template,
        ):
            convocation.sent_at = now
            convocation.save(update_fields=["sent_at", "updated_at"])
            sent += 1
    return sent


@transaction.atomic
def convene(
    meeting: Meeting,
    *,
    by: User | None = None,
    build_absolute_uri: UriBuilder | None = None,
    now: datetime.datetime | None = None,
) -> int:
    """Convene ``meeting``: a convocation per invitee, each emailed with the agenda, the
    answer link and the .ics file. Returns the number of emails sent."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    if meeting.status == MeetingStatus.CONVENED:
        raise ValidationError(
            _("Cette réunion est déjà convoquée : utilisez « Renvoyer la convocation ».")
        )
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(
            _("Une réunion %(status)s ne peut pas être convoquée.")
            % {"status": meeting.get_status_display().lower()}
        )
    if meeting.starts_at <= now:
        raise ValidationError(
            _("Impossible de convoquer une réunion déjà passée : modifiez sa date.")
        )
    if meeting.body.kind == BodyKind.AG and not meeting.agenda_items.exists():
        raise ValidationError(
            _(
                "L'ordre du jour est vide : une assemblée générale ne peut pas être convoquée "
                "sans ordre du jour. Ajoutez d'abord ses points."
            )
        )
    existing = set(meeting.convocations.values_list("member_id", flat=True))
    convocations = _create_convocations(meeting, existing)
    if not convocations and not existing:
        raise ValidationError(
            _("Cette instance n'a aucun membre à convoquer : ajoutez d'abord ses membres.")
        )
    meeting.status = MeetingStatus.CONVENED
    meeting.convened_at = now
    meeting.save()
    _mark_sent_version(meeting, now)
    everyone = list(meeting.convocations.all())
    return _send_convocations(_Mailer(meeting, build_absolute_uri, by), everyone, now, again=False)


def _mark_sent_version(meeting: Meeting, now: datetime.datetime) -> None:
    """Date the meeting's current version ``now``, the moment it is sent to everyone: the page
    then knows of no change the invitees were not told, and the .ics SEQUENCE of this sending
    is above those of the earlier ones."""
    Meeting.objects.filter(pk=meeting.pk).update(updated_at=now)
    meeting.updated_at = now


@transaction.atomic
def send_update(
    meeting: Meeting,
    *,
    by: User | None = None,
    build_absolute_uri: UriBuilder | None = None,
    now: datetime.datetime | None = None,
) -> int:
    """Send the convocation as it now stands (agenda, details, .ics with a higher SEQUENCE) to
    every invitee, whatever their answer, and for the first time to members who joined the
    body since. Returns the number of emails sent."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    if meeting.status != MeetingStatus.CONVENED:
        raise ValidationError(_("Seule une réunion convoquée peut recevoir une mise à jour."))
    if not answers_open(meeting, now):
        raise ValidationError(
            _("La réunion a commencé : la convocation ne peut plus être mise à jour.")
        )
    _mark_sent_version(meeting, now)
    existing = set(meeting.convocations.values_list("member_id", flat=True))
    newcomers = _create_convocations(meeting, existing)
    mailer = _Mailer(meeting, build_absolute_uri, by)
    sent = _send_convocations(mailer, newcomers, now, again=False)
    others = list(meeting.convocations.exclude(pk__in=[c.pk for c in newcomers]))
    return sent + _send_convocations(mailer, others, now, again=False, update=True)


@transaction.atomic
def resend(
    meeting: Meeting,
    *,
    by: User | None = None,
    build_absolute_uri: UriBuilder | None = None,
    now: datetime.datetime | None = None,
) -> int:
    """Send the convocation again to the invitees who have not answered, and for the first
    time to members who joined the body since. Returns the number of emails sent."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    if meeting.status != MeetingStatus.CONVENED:
        raise ValidationError(_("Seule une réunion convoquée peut recevoir un renvoi."))
    if not answers_open(meeting, now):
        raise ValidationError(
            _("La réunion a commencé : la convocation ne peut plus être renvoyée.")
        )
    existing = set(meeting.convocations.values_list("member_id", flat=True))
    newcomers = _create_convocations(meeting, existing)
    mailer = _Mailer(meeting, build_absolute_uri, by)
    sent = _send_convocations(mailer, newcomers, now, again=False)
    pending = list(
        meeting.convocations.filter(answer=ConvocationAnswer.PENDING).exclude(
            pk__in=[c.pk for c in newcomers]
        )
    )
    return sent + _send_convocations(mailer, pending, now, again=True)


@transaction.atomic
def send_reminders(now: datetime.datetime | None = None) -> int:
    """Remind the invitees of convened meetings starting within 48 hours who have not said
    they will be absent or represented; each meeting is reminded once. Returns the number of
    emails sent."""
    now = now or timezone.now()
    meetings = (
        Meeting.objects.select_for_update()
        .select_related("body")
        .filter(
            status=MeetingStatus.CONVENED,
            reminded_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + REMINDER_WINDOW,
        )
    )
    sent = 0
    for meeting in meetings:
        mailer = _Mailer(meeting, None, None)
        invitees = meeting.convocations.filter(
            answer__in=(ConvocationAnswer.PENDING, ConvocationAnswer.PRESENT)
        ).select_related("member")
        for convocation in invitees:
            if mailer.send(
                convocation,
                kind=f"rappel_reunion_{meeting.pk}",
                subject=_subject(meeting, _("Rappel")),
                template="reminder",
                category=EmailCategory.MEETING_REMINDER,
            ):
                convocation.reminded_at = now
                convocation.save(update_fields=["reminded_at", "updated_at"])
                sent += 1
        meeting.reminded_at = now
        # ``updated_at`` stays the date of the meeting's last change (not of this reminder).
        meeting.save(update_fields=["reminded_at"])
    return sent


def send_cancellation(meeting: Meeting, reason: str, *, by: User | None = None) -> int:
    """Tell every invitee that ``meeting`` is cancelled (the .ics cancels the event)."""
    mailer = _Mailer(meeting, None, by)
    sent = 0
    for convocation in meeting.convocations.select_related("member"):
        if mailer.send(
            convocation,
            kind=f"annulation_reunion_{meeting.pk}",
            subject=_subject(meeting, _("Annulation")),
            template="cancellation",
            extra={"reason": reason},
        ):
            sent += 1
    return sent


ANSWERABLE = (ConvocationAnswer.PRESENT, ConvocationAnswer.ABSENT)


@transaction.atomic
def answer(
    convocation: Convocation, value: str, *, now: datetime.datetime | None = None
) -> Convocation:
    """Record an invitee's answer (present or absent) while answers are open."""
    now = now or timezone.now()
    if value not in ANSWERABLE:
        raise ValidationError({"answer": _("Choisissez « Présent·e » ou « Absent·e ».")})
    if not answers_open(convocation.meeting, now):
        raise ValidationError(_("Les réponses à cette convocation sont closes."))
    if Proxy.objects.filter(meeting=convocation.meeting, giver=convocation.member).exists():
        raise ValidationError(
            _(
                "Vous avez donné procuration pour cette réunion : retirez d'abord la "
                "procuration pour changer de réponse."
            )
        )
    convocation.answer = value
    convocation.answered_at = now
    convocation.save(update_fields=["answer", "answered_at", "updated_at"])
    return convocation
