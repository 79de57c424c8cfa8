"""Writes of bodies: the AG, the CA and the Bureau (one each, created by a migration) and the
working groups; an adherent joining or leaving an open working group."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import SINGLE_KINDS, Body, BodyKind, Mandate, MandateRole
from governance.services.mandates import acting, create_mandate, end_mandate, update_mandate
from members.models import Member
from members.models.members import MemberStatus

CORE_BODIES = (
    (BodyKind.AG, "Assemblée générale", 0),
    (BodyKind.CA, "Conseil d'administration", 1),
    (BodyKind.BUREAU, "Bureau", 2),
)


def ensure_core_bodies() -> dict[str, Body]:
    """The AG, the CA and the Bureau, created when missing; keyed by kind."""
    bodies = {}
    for kind, name, position in CORE_BODIES:
        bodies[str(kind)] = Body.objects.get_or_create(
            kind=kind, defaults={"name": name, "position": position}
        )[0]
    return bodies


def _check_body(body: Body) -> None:
    errors: dict[str, str] = {}
    body.name = (body.name or "").strip()
    if not body.name:
        errors["name"] = _("Indiquez le nom de l'instance.")
    elif body.name.casefold() in {
        name.casefold() for name in Body.objects.exclude(pk=body.pk).values_list("name", flat=True)
    }:
        errors["name"] = _("Une instance porte déjà ce nom.")
    if body.kind not in BodyKind.values:
        errors["kind"] = _("Choisissez le type d'instance.")
    elif body.kind in SINGLE_KINDS:
        existing = Body.objects.filter(kind=body.kind).exclude(pk=body.pk)
        if existing.exists():
            errors["kind"] = _(
                "L'association a déjà son instance « %(kind)s » : il n'en existe qu'une."
            ) % {"kind": BodyKind(body.kind).label}
    if body.kind != BodyKind.GROUP and body.open_to_join:
        errors["open_to_join"] = _("Seul un groupe de travail peut être ouvert à l'inscription.")
    if body.archived_on is not None and body.kind != BodyKind.GROUP:
        errors["archived_on"] = _("L'AG, le CA et le bureau ne s'archivent pas.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_body(body: Body, *, by: Any = None) -> Body:
    """Create or update ``body`` (an unsaved or changed instance) after checking it. The
    kind of an existing AG, CA or Bureau cannot change."""
    if body.pk:
        previous = Body.objects.select_for_update().get(pk=body.pk)
        if previous.kind != body.kind and (
            previous.kind in SINGLE_KINDS or Mandate.objects.filter(body=body).exists()
        ):
            raise ValidationError(
                {"kind": _("Le type d'une instance qui a des mandats ne peut pas changer.")}
            )
    _check_body(body)
    with acting(by):
        body.save()
    return body


@transaction.atomic
def archive_group(body: Body, *, on: datetime.date | None = None, by: Any = None) -> Body:
    """Archive a working group: it closes to joining and its running mandates end on ``on``."""
    body = Body.objects.select_for_update().get(pk=body.pk)
    if body.kind != BodyKind.GROUP:
        raise ValidationError(_("Seul un groupe de travail peut être archivé."))
    if body.archived_on is not None:
        raise ValidationError(_("Ce groupe est déjà archivé."))
    day = on or timezone.localdate()
    with acting(by):
        for mandate in Mandate.objects.active_on(day).filter(body=body):
            mandate.end_date = max(day, mandate.start_date)
            mandate.save(update_fields=["end_date", "updated_at"])
        for mandate in Mandate.objects.filter(body=body, start_date__gt=day):
            mandate.delete()
        body.archived_on = day
        body.open_to_join = False
        body.save()
    return body


def _check_joinable(member: Member | None, body: Body) -> Member:
    if member is None:
        raise ValidationError(
            _(
                "Votre compte n'est pas relié à une fiche d'adhérent : contactez la "
                "coordination pour rejoindre un groupe."
            )
        )
    if member.status != MemberStatus.ACTIVE:
        raise ValidationError(
            _("Seul un membre actif peut rejoindre ou quitter un groupe de travail.")
        )
    if body.kind != BodyKind.GROUP or body.archived_on is not None:
        raise ValidationError(
            _("« %(body)s » n'est pas un groupe de travail ouvert.") % {"body": body}
        )
    if not body.open_to_join:
        raise ValidationError(
            _(
                "Le groupe « %(body)s » n'est pas ouvert à l'inscription libre : adressez-vous "
                "à son ou sa référent·e."
            )
            % {"body": body}
        )
    return member


def staying_q(day: datetime.date) -> Q:
    """Mandates running on ``day`` and after it: someone who left a group today (their
    mandate ends today) no longer counts as one of its members."""
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gt=day))


@transaction.atomic
def join_group(member: Member | None, body: Body, by: Any = None) -> Mandate:
    """``member`` joins the open working group ``body`` as a member from today (a
    membership left earlier today is simply resumed)."""
    body = Body.objects.select_for_update().get(pk=body.pk)
    member = _check_joinable(member, body)
    today = timezone.localdate()
    if Mandate.objects.filter(staying_q(today), body=body, member=member).exists():
        raise ValidationError(_("Vous faites déjà partie du groupe « %(body)s ».") % {"body": body})
    left_today = (
        Mandate.objects.select_for_update()
        .filter(body=body, member=member, role=MandateRole.MEMBRE, end_date=today)
        .first()
    )
    if left_today is not None:
        return update_mandate(left_today, end_date=None, by=by)
    return create_mandate(
        member=member, body=body, role=MandateRole.MEMBRE, start_date=today, by=by
    )


@transaction.atomic
def leave_group(member: Member | None, body: Body, by: Any = None) -> None:
    """``member`` leaves the open working group ``body``: their mandate ends today (a
    membership begun today is simply removed). A référent·e hands over through the
    coordination."""
    body = Body.objects.select_for_update().get(pk=body.pk)
    member = _check_joinable(member, body)
    today = timezone.localdate()
    mandate = (
        Mandate.objects.filter(staying_q(today), body=body, member=member)
        .select_for_update()
        .first()
    )
    if mandate is None:
        raise ValidationError(
            _("Vous ne faites pas partie du groupe « %(body)s ».") % {"body": body}
        )
    if mandate.role != MandateRole.MEMBRE:
        raise ValidationError(
            _("Vous êtes %(role)s de ce groupe : la coordination met fin à ce mandat pour vous.")
            % {"role": mandate.get_role_display().lower()}
        )
    with acting(by):
        if mandate.start_date == today:
            mandate.delete()
        else:
            mandate.end_date = today
            mandate.save(update_fields=["end_date", "updated_at"])


def _check_active_group(body: Body) -> None:
    if body.kind != BodyKind.GROUP:
        raise ValidationError(_("Seul un groupe de travail reçoit des membres de cette façon."))
    if body.archived_on is not None:
        raise ValidationError(_("Ce groupe est archivé : il ne change plus de membres."))


@transaction.atomic
def add_group_member(
    body: Body, member: Member, start_date: datetime.date, *, by: Any = None
) -> Mandate:
    """The référent·e of ``body`` (or the coordination) makes ``member`` a member of the
    working group from ``start_date``, whether or not the group is open to joining."""
    body = Body.objects.select_for_update().get(pk=body.pk)
    _check_active_group(body)
    return create_mandate(
        member=member, body=body, role=MandateRole.MEMBRE, start_date=start_date, by=by
    )


@transaction.atomic
def end_group_membership(mandate: Mandate, end_date: datetime.date, *, by: Any = None) -> Mandate:
    """End a plain membership of a working group on ``end_date`` (its last day). A
    référent·e's own mandate is handed over by the coordination, not here."""
    mandate = Mandate.objects.select_related("body").get(pk=mandate.pk)
    _check_active_group(mandate.body)
    if mandate.role != MandateRole.MEMBRE:
        raise ValidationError(
            _(
                "Seul un mandat de membre du groupe se termine ici : adressez-vous à la "
                "coordination."
            )
        )
    return end_mandate(mandate, end_date, by=by)
