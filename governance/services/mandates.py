"""Writes of mandates: create, update and end a mandate, after checking the statutory rules.

Rules (``validate_mandate``):
- only an active member receives a mandate; a mandate ends on or after its start;
- a member holds one mandate at a time in a given body;
- nobody sits in the AG through a mandate (every member belongs to it);
- in the CA and the Bureau, président·e, vice-président·e, trésorier·e and secrétaire are held
  by one member at a time, and the association has one président·e at a time (the
  président·e of the Bureau and of the CA is the same person);
- a CA mandate represents a collège when collèges have CA seats, and the mandates of a
  collège running at the same time never exceed its seats;
- a référent·e leads a working group; a collège given must admit the member.
The end date is the last day of the mandate (see ``Mandate.is_active_on``)."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from typing import Any

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from governance.models import UNIQUE_ROLES, Body, BodyKind, Mandate, MandateRole
from members.models import College
from members.models.members import MemberStatus

BOARD_KINDS = (BodyKind.CA, BodyKind.BUREAU)
EDITABLE_FIELDS = frozenset(
    {"member", "body", "role", "start_date", "end_date", "college", "elected_at", "notes"}
)


def _d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def period_text(start: datetime.date, end: datetime.date | None) -> str:
    """ "du 01/01/2026 au 31/12/2028" or "depuis le 01/01/2026"."""
    if end is None:
        return _("depuis le %(start)s") % {"start": _d(start)}
    return _("du %(start)s au %(end)s") % {"start": _d(start), "end": _d(end)}


def _overlapping(
    queryset: QuerySet[Mandate], start: datetime.date, end: datetime.date | None
) -> QuerySet[Mandate]:
    """Mandates of ``queryset`` sharing at least one day with [start, end] (end inclusive)."""
    queryset = queryset.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    if end is not None:
        queryset = queryset.filter(start_date__lte=end)
    return queryset


def _peak(mandates: list[Mandate], start: datetime.date, end: datetime.date | None) -> int:
    """The largest number of ``mandates`` running on one day of [start, end]: the count only
    rises on a start date, so checking the period's start and the starts inside it is enough."""
    days = {start} | {m.start_date for m in mandates if m.start_date > start}
    if end is not None:
        days = {day for day in days if day <= end}
    return max((sum(1 for m in mandates if m.is_active_on(day)) for day in days), default=0)


def _seat_error(mandate: Mandate, college: College, others: QuerySet[Mandate]) -> str | None:
    if college.ca_seats == 0:
        return _("Le collège « %(college)s » n'a pas de siège au conseil d'administration.") % {
            "college": college
        }
    running = list(
        _overlapping(
            others.filter(body__kind=BodyKind.CA, college=college),
            mandate.start_date,
            mandate.end_date,
        )
    )
    if _peak(running, mandate.start_date, mandate.end_date) + 1 > college.ca_seats:
        return _(
            "Le collège « %(college)s » a %(seats)s siège(s) au conseil d'administration, "
            "tous occupés sur cette période."
        ) % {"college": college, "seats": college.ca_seats}
    return None


def _holder_error(conflict: Mandate, where: str) -> str:
    return _("La fonction de %(role)s %(where)s est déjà tenue par %(holder)s %(period)s.") % {
        "role": conflict.get_role_display().lower(),
        "where": where,
        "holder": conflict.member,
        "period": period_text(conflict.start_date, conflict.end_date),
    }


def validate_mandate(mandate: Mandate) -> None:
    """Raise a ValidationError (French messages keyed by field) unless ``mandate`` (saved or
    not) respects the statutes and the other mandates."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    member = mandate.member if mandate.member_id else None
    body: Body | None = mandate.body if mandate.body_id else None
    college = mandate.college if mandate.college_id else None
    if member is None:
        add("member", _("Choisissez le membre qui reçoit le mandat."))
    elif member.status != MemberStatus.ACTIVE:
        add("member", _("Seul un membre actif peut recevoir un mandat."))
    if body is None:
        add("body", _("Choisissez l'instance du mandat."))
    if mandate.role not in MandateRole.values:
        add("role", _("Choisissez une fonction."))
    if mandate.start_date is None:
        add("start_date", _("Indiquez la date de début du mandat."))
    elif mandate.end_date is not None and mandate.end_date < mandate.start_date:
        add("end_date", _("La fin du mandat ne peut pas précéder son début."))
    if errors or body is None or member is None:
        raise ValidationError(errors)

    if body.kind == BodyKind.AG:
        add(
            "body",
            _("L'assemblée générale réunit tous les membres : on n'y attribue pas de mandat."),
        )
    if body.archived_on is not None and mandate.pk is None:
        add("body", _("Cette instance est archivée : elle ne reçoit plus de mandat."))
    if mandate.role == MandateRole.REFERENT and body.kind != BodyKind.GROUP:
        add("role", _("La fonction de référent·e n'existe que dans un groupe de travail."))
    if college is not None and not college.admits(member.kind, member.profession):
        add(
            "college",
            _("Le collège « %(college)s » n'admet pas ce membre.") % {"college": college},
        )
    if errors:
        raise ValidationError(errors)

    start, end = mandate.start_date, mandate.end_date
    others = Mandate.objects.exclude(pk=mandate.pk) if mandate.pk else Mandate.objects.all()
    others = others.select_related("member", "body")
    same_member = _overlapping(others.filter(body=body, member=member), start, end).first()
    if same_member is not None:
        add(
            "member",
            _("%(member)s a déjà un mandat de %(role)s dans cette instance %(period)s.")
            % {
                "member": member,
                "role": same_member.get_role_display().lower(),
                "period": period_text(same_member.start_date, same_member.end_date),
            },
        )
    if body.kind in BOARD_KINDS and mandate.role in UNIQUE_ROLES:
        conflict = _overlapping(others.filter(body=body, role=mandate.role), start, end).first()
        if conflict is not None:
            add("role", _holder_error(conflict, _("dans cette instance")))
    if body.kind in BOARD_KINDS and mandate.role == MandateRole.PRESIDENT:
        other_president = (
            _overlapping(
                others.filter(body__kind__in=BOARD_KINDS, role=MandateRole.PRESIDENT),
                start,
                end,
            )
            .exclude(member=member)
            .exclude(body=body)
            .first()
        )
        if other_president is not None:
            add(
                "role",
                _(
                    "L'association n'a qu'un·e président·e à la fois : %(holder)s préside "
                    "déjà (%(body)s) %(period)s."
                )
                % {
                    "holder": other_president.member,
                    "body": other_president.body,
                    "period": period_text(other_president.start_date, other_president.end_date),
                },
            )
    if body.kind == BodyKind.CA:
        if college is None:
            if College.objects.filter(ca_seats__gt=0).exists():
                add(
                    "college",
                    _("Indiquez le collège que ce mandat représente au conseil d'administration."),
                )
        else:
            seat_error = _seat_error(mandate, college, others)
            if seat_error:
                add("college", seat_error)
    if errors:
        raise ValidationError(errors)


@contextlib.contextmanager
def acting(by: Any) -> Iterator[None]:
    """Attribute the audit entries written inside to ``by`` (when given)."""
    if by is None:
        yield
    else:
        with set_actor(by):
            yield


def _lock_bodies(*bodies: Body | None) -> None:
    """Serialise concurrent mandate writes on the bodies involved (and on the CA and the
    Bureau together, whose présidence is shared)."""
    ids: set[int] = {b.pk for b in bodies if b is not None and b.pk}
    if any(b is not None and b.kind in BOARD_KINDS for b in bodies):
        ids |= set(Body.objects.filter(kind__in=BOARD_KINDS).values_list("pk", flat=True))
    list(Body.objects.select_for_update().filter(pk__in=sorted(ids)).order_by("pk"))


def _save(mandate: Mandate, by: Any) -> Mandate:
    validate_mandate(mandate)
    with acting(by):
        mandate.save()
    return mandate


@transaction.atomic
def create_mandate(
    *,
    member: Any,
    body: Body,
    role: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    college: College | None = None,
    elected_at: Any = None,
    by: Any = None,
) -> Mandate:
    _lock_bodies(body)
    mandate = Mandate(
        member=member,
        body=body,
        role=role,
        start_date=start_date,
        end_date=end_date,
        college=college,
        elected_at=elected_at,
    )
    return _save(mandate, by)


@transaction.atomic
def update_mandate(mandate: Mandate, *, by: Any = None, **changes: Any) -> Mandate:
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"update_mandate() got unexpected field(s): {sorted(unknown)}")
    _lock_bodies(mandate.body, changes.get("body"))
    mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
    for name, value in changes.items():
        setattr(mandate, name, value)
    return _save(mandate, by)


@transaction.atomic
def end_mandate(mandate: Mandate, end_date: datetime.date, *, by: Any = None) -> Mandate:
    """End ``mandate`` on ``end_date`` (its last day)."""
    _lock_bodies(mandate.body)
    mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
    if end_date is None:
        raise ValidationError({"end_date": _("Indiquez la date de fin du mandat.")})
    if mandate.end_date is not None and mandate.end_date < end_date:
        raise ValidationError(
            {
                "end_date": _("Ce mandat a déjà pris fin le %(date)s.")
                % {"date": _d(mandate.end_date)}
            }
        )
    mandate.end_date = end_date
    return _save(mandate, by)
