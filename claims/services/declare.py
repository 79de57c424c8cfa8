"""Declaring claims: time (from a meeting attended, an action's event, a crisis shift, or by
hand with a justification), mileage, expenses with a receipt; editing and withdrawing while
the claim is still submitted. Every write is atomic and audited (django-auditlog)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims import rules
from claims.common import acting, day, member_of, money
from claims.models import ActivityKind, Claim, ClaimNature, ClaimStatus, RateBasis
from cpts.permissions import user_can

CRISIS_MISSION_KEY = "crise"
BOARD_KINDS = ("bureau", "ca")


@dataclass(frozen=True)
class Source:
    """What a claim's activity source gives: its date, activity kind, mission, duration."""

    date: datetime.date
    activity_kind: str
    mission: Any
    duration: Decimal | None
    label: str


def _hours_between(start: datetime.datetime, end: datetime.datetime | None) -> Decimal | None:
    if end is None:
        return None
    seconds = Decimal(int((end - start).total_seconds()))
    return money(seconds / Decimal(3600))


def _mission_of_meeting(meeting: Any) -> Any:
    action = meeting.actions.prefetch_related("missions").order_by("pk").first()
    if action is None:
        return None
    return action.missions.order_by("position").first()


def meeting_source(member: Any, meeting: Any) -> Source:
    from governance.models import AttendanceStatus, MeetingStatus

    kind = meeting.body.kind
    if kind == "ag":
        raise ValidationError({"meeting": _("L'assemblée générale n'est jamais indemnisée.")})
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"meeting": _("Cette réunion a été annulée.")})
    present = meeting.attendances.filter(member=member, status=AttendanceStatus.PRESENT).exists()
    if not present:
        raise ValidationError(
            {
                "meeting": _(
                    "%(name)s n'est pas noté·e présent·e à la réunion « %(title)s » : "
                    "seule une présence enregistrée peut être indemnisée."
                )
                % {"name": member.display_name, "title": meeting.title}
            }
        )
    activity = ActivityKind.BOARD_MEETING if kind in BOARD_KINDS else ActivityKind.GROUP_MEETING
    return Source(
        date=timezone.localdate(meeting.starts_at),
        activity_kind=activity,
        mission=_mission_of_meeting(meeting),
        duration=_hours_between(meeting.starts_at, meeting.ends_at),
        label=meeting.title,
    )


def event_source(member: Any, event: Any) -> Source:
    if not event.professionals.filter(pk=member.pk).exists():
        raise ValidationError(
            {
                "event": _(
                    "%(name)s ne figure pas parmi les professionnels mobilisés pour « %(title)s »."
                )
                % {"name": member.display_name, "title": event.title}
            }
        )
    mission = event.action.missions.order_by("position").first()
    return Source(
        date=event.date,
        activity_kind=ActivityKind.MISSION_ACTION,
        mission=mission,
        duration=event.hours,
        label=event.title,
    )


def shift_source(member: Any, shift: Any) -> Source:
    from missions.models import Mission

    if not shift.signups.filter(member=member).exists():
        raise ValidationError(
            {
                "shift": _("%(name)s n'était pas inscrit·e sur le créneau du %(date)s.")
                % {
                    "name": member.display_name,
                    "date": timezone.localtime(shift.starts_at).strftime("%d/%m/%Y %H:%M"),
                }
            }
        )
    return Source(
        date=timezone.localdate(shift.starts_at),
        activity_kind=ActivityKind.ON_CALL,
        mission=Mission.objects.filter(key=CRISIS_MISSION_KEY).first(),
        duration=money(Decimal(shift.duration_minutes) / Decimal(60)),
        label=str(shift),
    )


def source_of(member: Any, *, meeting: Any = None, event: Any = None, shift: Any = None) -> Source:
    if meeting is not None:
        return meeting_source(member, meeting)
    if event is not None:
        return event_source(member, event)
    return shift_source(member, shift)


def check_declarer(member: Any, by: Any) -> None:
    """A member declares for themself; the coordination may declare on a member's behalf."""
    own = member.user_id is not None and getattr(by, "pk", None) == member.user_id
    if not own and not user_can(by, "claims.validate"):
        raise PermissionDenied(_("Vous ne pouvez déclarer que vos propres demandes."))


def _check_date(value: datetime.date | None) -> datetime.date:
    if value is None:
        raise ValidationError({"date": _("Indiquez la date de l'activité.")})
    if value > timezone.localdate():
        raise ValidationError({"date": _("Une demande ne peut porter sur une date future.")})
    rules.check_open(value)
    return value


def _decimal(value: Any, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise ValidationError({field: _("Saisissez un nombre.")}) from None
    if not number.is_finite():
        raise ValidationError({field: _("Saisissez un nombre.")})
    return number


def check_km(km: Decimal | None) -> Decimal:
    if km is None or km <= 0:
        raise ValidationError({"km": _("Indiquez un nombre de kilomètres positif.")})
    if km > rules.MAX_KM:
        raise ValidationError(
            {
                "km": _("Plus de %(max)s km pour un déplacement : vérifiez la saisie.")
                % {"max": 2000}
            }
        )
    return km.quantize(Decimal("0.1"))


def indemnity_amount(claim: Claim, profession_id: int | None) -> None:
    """Set the unit rate and the amount of an indemnity from the tariff in force."""
    tariff = rules.tariff_for(claim.activity_kind, claim.date, profession_id)
    claim.unit_rate = tariff.amount
    if tariff.basis == RateBasis.FLAT:
        claim.amount = money(tariff.amount)
    else:
        claim.amount = money(tariff.amount * (claim.hours or Decimal("0")))


def mileage_amount(claim: Claim) -> None:
    rate = rules.mileage_rate_for(claim.date)
    claim.unit_rate = rate.per_km
    claim.amount = money(rate.per_km * (claim.km or Decimal("0")))


def _duplicate(member: Any, **source: Any) -> bool:
    key, value = next((k, v) for k, v in source.items() if v is not None)
    return (
        Claim.objects.filter(member=member, nature=ClaimNature.INDEMNITY, **{key: value})
        .exclude(status=ClaimStatus.REFUSED)
        .exists()
    )


def declare_time(
    member: Any,
    *,
    by: Any,
    meeting: Any = None,
    event: Any = None,
    shift: Any = None,
    activity_kind: str = "",
    date: datetime.date | None = None,
    hours: Decimal | None = None,
    justification: str = "",
    km: Decimal | None = None,
) -> list[Claim]:
    """One indemnity claim (plus a mileage claim when ``km`` is given), SUBMITTED."""
    check_declarer(member, by)
    sources = {"meeting": meeting, "event": event, "shift": shift}
    given = [name for name, value in sources.items() if value is not None]
    if len(given) > 1:
        raise ValidationError(_("Une demande porte sur une seule activité à la fois."))
    hours = _decimal(hours, "hours")
    km = _decimal(km, "km")
    justification = (justification or "").strip()
    mission = None
    if given:
        source = source_of(member, **sources)
        if _duplicate(member, **sources):
            raise ValidationError(
                {
                    given[0]: _("Une demande existe déjà pour « %(label)s ».")
                    % {"label": source.label}
                }
            )
        claim_date = _check_date(source.date)
        kind = source.activity_kind
        mission = source.mission
        if hours is None:
            hours = source.duration
        hours = rules.check_hours(hours, source.duration)
    else:
        errors: dict[str, str] = {}
        if activity_kind not in ActivityKind.values:
            errors["activity_kind"] = _("Choisissez le type d'activité.")
        if not justification:
            errors["justification"] = _(
                "Décrivez l'activité : une demande saisie à la main doit être justifiée."
            )
        if date is None:
            errors["date"] = _("Indiquez la date de l'activité.")
        if hours is None:
            errors["hours"] = _("Indiquez un nombre d'heures positif.")
        if errors:
            raise ValidationError(errors)
        claim_date = _check_date(date)
        kind = activity_kind
        hours = rules.check_hours(hours)
    if km is not None:
        km = check_km(km)
    with transaction.atomic(), acting(by):
        claim = Claim(
            member=member,
            nature=ClaimNature.INDEMNITY,
            activity_kind=kind,
            mission=mission,
            date=claim_date,
            hours=hours,
            justification=justification,
            submitted_by=by,
            **sources,
        )
        indemnity_amount(claim, member.profession_id)
        claims = [claim]
        if km is not None:
            mileage = Claim(
                member=member,
                nature=ClaimNature.MILEAGE,
                activity_kind=kind,
                mission=mission,
                date=claim_date,
                km=km,
                justification=justification,
                submitted_by=by,
                **sources,
            )
            mileage_amount(mileage)
            claims.append(mileage)
        try:
            with transaction.atomic():
                for item in claims:
                    item.save()
        except IntegrityError:
            raise ValidationError(_("Une demande existe déjà pour cette activité.")) from None
    return claims


def _check_expense_amount(amount: Decimal | None) -> Decimal:
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("Indiquez un montant positif.")})
    if amount > rules.MAX_EXPENSE:
        raise ValidationError(
            {
                "amount": _(
                    "Un montant de plus de 5 000 € ne peut être déclaré en ligne : "
                    "adressez-vous à la trésorerie."
                )
            }
        )
    return money(amount)


def declare_expense(
    member: Any,
    *,
    by: Any,
    date: datetime.date | None,
    amount: Decimal | None,
    receipt: UploadedFile | None,
    justification: str,
    mission: Any = None,
) -> Claim:
    """An expense reimbursed on its receipt (PDF or image, at most 5 MB), SUBMITTED."""
    check_declarer(member, by)
    amount = _check_expense_amount(_decimal(amount, "amount"))
    justification = (justification or "").strip()
    if not justification:
        raise ValidationError({"justification": _("Indiquez l'objet de la dépense.")})
    rules.check_receipt(receipt)
    claim_date = _check_date(date)
    with transaction.atomic(), acting(by):
        claim = Claim(
            member=member,
            nature=ClaimNature.EXPENSE,
            mission=mission,
            date=claim_date,
            amount=amount,
            justification=justification,
            submitted_by=by,
        )
        claim.receipt = receipt
        claim.save()
    return claim


def check_editor(claim: Claim, by: Any) -> None:
    from claims.selectors import can_validate

    if claim.status != ClaimStatus.SUBMITTED:
        raise ValidationError(
            _("Cette demande est « %(status)s » : elle ne peut plus être modifiée.")
            % {"status": claim.get_status_display()}
        )
    own = claim.member.user_id is not None and getattr(by, "pk", None) == claim.member.user_id
    if not own and not can_validate(by, claim):
        raise PermissionDenied(_("Vous ne pouvez pas modifier cette demande."))


EDITABLE = ("date", "hours", "km", "amount", "justification", "receipt", "activity_kind")


def update_claim(claim: Claim, *, by: Any, **fields: Any) -> Claim:
    """Edit a SUBMITTED claim (its member or a validator); the amount is recomputed and the
    audit trail keeps who changed what."""
    unknown = sorted(set(fields) - set(EDITABLE))
    if unknown:
        raise ValueError(f"not editable: {', '.join(unknown)}")
    with transaction.atomic(), acting(by):
        claim = Claim.objects.select_for_update().select_related("member").get(pk=claim.pk)
        check_editor(claim, by)
        sourced = claim.meeting_id or claim.event_id or claim.shift_id
        if "justification" in fields:
            claim.justification = (fields["justification"] or "").strip()
        if "date" in fields and fields["date"] != claim.date:
            if sourced:
                raise ValidationError(
                    {"date": _("La date est celle de l'activité déclarée : elle ne change pas.")}
                )
            claim.date = _check_date(fields["date"])
        else:
            rules.check_open(claim.date)
        if claim.nature == ClaimNature.INDEMNITY:
            if not sourced and not claim.justification:
                raise ValidationError(
                    {"justification": _("Une demande saisie à la main doit être justifiée.")}
                )
            if "activity_kind" in fields and not sourced:
                if fields["activity_kind"] not in ActivityKind.values:
                    raise ValidationError({"activity_kind": _("Choisissez le type d'activité.")})
                claim.activity_kind = fields["activity_kind"]
            if "hours" in fields:
                limit = None
                if sourced:
                    limit = source_of(
                        claim.member, meeting=claim.meeting, event=claim.event, shift=claim.shift
                    ).duration
                claim.hours = rules.check_hours(_decimal(fields["hours"], "hours"), limit)
            indemnity_amount(claim, claim.member.profession_id)
        elif claim.nature == ClaimNature.MILEAGE:
            if "km" in fields:
                claim.km = check_km(_decimal(fields["km"], "km"))
            mileage_amount(claim)
        else:
            if "amount" in fields:
                claim.amount = _check_expense_amount(_decimal(fields["amount"], "amount"))
            if not claim.justification:
                raise ValidationError({"justification": _("Indiquez l'objet de la dépense.")})
            if fields.get("receipt") is not None:
                rules.check_receipt(fields["receipt"])
                claim.receipt = fields["receipt"]
        claim.save()
    return claim


def withdraw_claim(claim: Claim, *, by: Any) -> None:
    """The member deletes a SUBMITTED claim of theirs (the deletion stays in the audit log)."""
    with transaction.atomic(), acting(by):
        claim = Claim.objects.select_for_update().select_related("member").get(pk=claim.pk)
        member = member_of(by)
        if member is None or member.pk != claim.member_id:
            raise PermissionDenied(_("Vous ne pouvez retirer que vos propres demandes."))
        if claim.status != ClaimStatus.SUBMITTED:
            raise ValidationError(
                _("Cette demande est « %(status)s » : elle ne peut plus être retirée.")
                % {"status": claim.get_status_display()}
            )
        claim.delete()


__all__ = [
    "Source",
    "day",
    "declare_expense",
    "declare_time",
    "update_claim",
    "withdraw_claim",
]
