"""The renewal campaign: each year, at a configurable date, active members not yet "à jour"
for the year are emailed, then reminded a second time later. Every email is logged on the
member (``MemberEmail``) and its kind is checked first, so the same reminder never leaves
twice. The coordination can also remind selected members by hand."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from cpts.models import User
from members.models import EmailCategory, Member, MemberEmail
from members.models.members import MemberStatus
from members.selectors.email_preferences import accepting_q, accepts_email
from members.selectors.fees import fee_for, with_fee_status
from members.services.emails import send_member_email

DEFAULT_CAMPAIGN_DATE = "01-15"  # MM-DD: first email of the year
DEFAULT_SECOND_REMINDER_DAYS = 30  # after the first one
MANUAL_REMINDER_KIND = "relance_cotisation_manuelle"


def campaign_kind(year: int, step: int) -> str:
    """The ``MemberEmail.kind`` of the campaign's email ``step`` (1 or 2) for ``year``."""
    return f"relance_cotisation_{step}_{year}"


def campaign_dates(year: int) -> tuple[datetime.date, datetime.date]:
    """The dates of the first and second emails of ``year`` (from the settings)."""
    raw = str(getattr(settings, "MAILLAGE_RENEWAL_CAMPAIGN", DEFAULT_CAMPAIGN_DATE))
    month, day = (int(part) for part in raw.split("-"))
    first = datetime.date(year, month, day)
    days = int(getattr(settings, "MAILLAGE_RENEWAL_REMINDER_DAYS", DEFAULT_SECOND_REMINDER_DAYS))
    return first, first + datetime.timedelta(days=days)


def _not_up_to_date(on: datetime.date) -> QuerySet[Member]:
    return (
        with_fee_status(Member.objects.filter(status=MemberStatus.ACTIVE), on)
        .filter(accepting_q(EmailCategory.FEE_REMINDER), is_up_to_date=False)
        .exclude(email="")
        .select_related("college")
    )


def _received(kind: str) -> Exists:
    return Exists(MemberEmail.objects.filter(member=OuterRef("pk"), kind=kind))


def _send_reminder(
    member: Member, *, kind: str, year: int, step: int, sent_by: User | None = None
) -> None:
    fee = fee_for(member, year)
    subject = (
        _("Renouvellement de votre adhésion %(year)s")
        if step == 1
        else _("Rappel : votre cotisation %(year)s")
    ) % {"year": year}
    send_member_email(
        member,
        kind=kind,
        category=EmailCategory.FEE_REMINDER,
        subject=subject,
        template="renewal_reminder",
        context={"year": year, "fee": fee, "step": step},
        sent_by=sent_by,
    )


@dataclass
class CampaignResult:
    first: int = 0
    second: int = 0


def run_renewal_campaign(today: datetime.date) -> CampaignResult:
    """Send what is due on ``today``: the first email from the campaign date, the second one
    to members who got the first at least the configured number of days earlier. Each at
    most once per member and year: safe to run every day, or twice the same day."""
    result = CampaignResult()
    first_date, second_date = campaign_dates(today.year)
    delay = second_date - first_date
    if today >= first_date:
        result.first = _send_step(today, 1, _not_up_to_date(today))
    if today >= second_date:
        first_sent = MemberEmail.objects.filter(
            member=OuterRef("pk"),
            kind=campaign_kind(today.year, 1),
            sent_at__date__lte=today - delay,
        )
        result.second = _send_step(today, 2, _not_up_to_date(today).filter(Exists(first_sent)))
    return result


def _send_step(today: datetime.date, step: int, recipients: QuerySet[Member]) -> int:
    kind = campaign_kind(today.year, step)
    sent = 0
    for member in recipients.exclude(_received(kind)).iterator():
        with transaction.atomic():
            # Checked again under a row lock: two runs at once send one email.
            locked = Member.objects.select_for_update().get(pk=member.pk)
            if MemberEmail.objects.filter(member=locked, kind=kind).exists():
                continue
            _send_reminder(locked, kind=kind, year=today.year, step=step)
        sent += 1
    return sent


@dataclass
class ReminderSummary:
    sent: list[Member] = field(default_factory=list)
    up_to_date: list[Member] = field(default_factory=list)
    no_email: list[Member] = field(default_factory=list)
    opted_out: list[Member] = field(default_factory=list)  # switched fee reminders off
    inactive: list[Member] = field(default_factory=list)


def send_manual_reminders(ids: list[int], *, by: User, on: datetime.date) -> ReminderSummary:
    """Remind each selected member who is active, not up to date on ``on``, has an email and
    has not switched fee reminders off."""
    summary = ReminderSummary()
    members = with_fee_status(Member.objects.filter(pk__in=ids), on).order_by("pk")
    with transaction.atomic():
        for member in members:
            if member.status != MemberStatus.ACTIVE:
                summary.inactive.append(member)
            elif member.is_up_to_date:
                summary.up_to_date.append(member)
            elif not member.email:
                summary.no_email.append(member)
            elif not accepts_email(member, EmailCategory.FEE_REMINDER):
                summary.opted_out.append(member)
            else:
                _send_reminder(member, kind=MANUAL_REMINDER_KIND, year=on.year, step=2, sent_by=by)
                summary.sent.append(member)
    return summary
