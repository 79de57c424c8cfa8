"""Sites, shifts and sign-ups of the volunteer rosters. The rules (each refused with a French
message naming what is wrong): a shift ends after it starts and lasts at most a day; its
needs name each profession once; a member signs up for a need of their profession (or the
reception), never beyond the number needed, never on two overlapping shifts, never in a
crisis declared over, and only until the shift's deadline for sign-ups and withdrawals
(which the coordination may override). A site or a shift created by mistake may be deleted
while it is empty: no shift on the site, nobody signed up on the shift."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crisis.models import Activation, Shift, ShiftNeed, SignUp, Site
from members.models import Member, Profession
from members.models.members import MemberStatus

MAX_SHIFT = datetime.timedelta(hours=24)
NeedSpec = tuple[Profession | None, int]


def _moment(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


def shift_label(shift: Shift) -> str:
    start = timezone.localtime(shift.starts_at)
    end = timezone.localtime(shift.ends_at)
    return f"{shift.site.name}, {start:%d/%m/%Y %H:%M} à {end:%H:%M}"


@transaction.atomic
def save_site(site: Site | None, activation: Activation, values: dict[str, Any]) -> Site:
    name = " ".join(str(values.get("name") or "").split())
    if not name:
        raise ValidationError({"name": _("Donnez un nom au site.")})
    site = site or Site(activation=activation)
    site.name = name[:200]
    site.kind = values["kind"]
    site.address = str(values.get("address") or "")[:255]
    site.commune = values.get("commune")
    site.save()
    return site


def _check_times(
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    changes_until: datetime.datetime | None,
) -> None:
    errors: dict[str, str] = {}
    if starts_at is None:
        errors["starts_at"] = _("Indiquez le début du créneau.")
    if ends_at is None:
        errors["ends_at"] = _("Indiquez la fin du créneau.")
    if changes_until is None:
        errors["changes_until"] = _("Indiquez jusqu'à quand on peut s'inscrire ou se désister.")
    if starts_at and ends_at:
        if ends_at <= starts_at:
            errors["ends_at"] = _(
                "La fin du créneau (%(end)s) doit venir après son début (%(start)s)."
            ) % {"end": _moment(ends_at), "start": _moment(starts_at)}
        elif ends_at - starts_at > MAX_SHIFT:
            errors["ends_at"] = _("Un créneau dure au plus 24 heures : découpez-le.")
    if starts_at and changes_until and changes_until > starts_at:
        errors["changes_until"] = _(
            "La date limite des inscriptions (%(until)s) doit précéder le début du créneau."
        ) % {"until": _moment(changes_until)}
    if errors:
        raise ValidationError(errors)


def _check_needs(needs: Sequence[NeedSpec]) -> None:
    if not needs:
        raise ValidationError(
            {"needs": _("Indiquez au moins une profession attendue et son nombre.")}
        )
    seen: set[int | None] = set()
    for number, (profession, count) in enumerate(needs, start=1):
        key = profession.pk if profession else None
        if key in seen:
            raise ValidationError(
                {
                    "needs": _("Besoin n° %(row)s : « %(label)s » est déjà demandé plus haut.")
                    % {"row": number, "label": profession or _("Accueil")}
                }
            )
        seen.add(key)
        if count < 1:
            raise ValidationError(
                {
                    "needs": _("Besoin n° %(row)s : le nombre doit être au moins 1.")
                    % {"row": number}
                }
            )


@transaction.atomic
def save_shift(
    shift: Shift | None,
    site: Site,
    *,
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    changes_until: datetime.datetime | None,
    notes: str,
    needs: Sequence[NeedSpec],
) -> Shift:
    """Create or update a shift and its needs (an existing shift may move to another ``site``
    of its crisis). A need that has sign-ups may not go below them nor disappear."""
    _check_times(starts_at, ends_at, changes_until)
    _check_needs(needs)
    assert starts_at is not None and ends_at is not None and changes_until is not None
    _check_within_crisis(site.activation, starts_at)
    if shift is not None and shift.pk is not None and site.pk != shift.site_id:
        _check_move_to(shift, site)
    shift = shift or Shift(site=site)
    shift.site = site
    shift.starts_at, shift.ends_at, shift.changes_until = starts_at, ends_at, changes_until
    shift.duration_minutes = int((ends_at - starts_at).total_seconds() // 60)
    shift.notes = str(notes or "")[:255]
    if shift.pk is not None:
        _check_moved(shift)
    shift.save()
    wanted = {(p.pk if p else None): count for p, count in needs}
    for need in shift.needs.select_related("profession").all():
        key = need.profession_id
        taken = need.signups.count()
        if key not in wanted:
            if taken:
                raise ValidationError(
                    {
                        "needs": _(
                            "« %(label)s » a %(count)s inscrit(s) : ce besoin ne peut être retiré."
                        )
                        % {"label": need.label, "count": taken}
                    }
                )
            need.delete()
            continue
        if wanted[key] < taken:
            raise ValidationError(
                {
                    "needs": _(
                        "« %(label)s » a déjà %(count)s inscrit(s) : demandez-en au moins autant."
                    )
                    % {"label": need.label, "count": taken}
                }
            )
        if need.count != wanted[key]:
            need.count = wanted[key]
            need.save(update_fields=["count"])
        del wanted[key]
    professions = {p.pk: p for p, _count in needs if p is not None}
    for key, count in wanted.items():
        ShiftNeed.objects.create(
            shift=shift, profession=professions.get(key) if key else None, count=count
        )
    return shift


def _check_move_to(shift: Shift, site: Site) -> None:
    """A shift moves to another site of the same crisis only."""
    current = Site.objects.only("activation_id").get(pk=shift.site_id)
    if site.activation_id != current.activation_id:
        raise ValidationError(
            {"site": _("Un créneau ne peut passer que sur un autre site de la même crise.")}
        )


def _check_within_crisis(activation: Activation, starts_at: datetime.datetime) -> None:
    """A crisis declared over takes no shift after its last day (one may start before the
    declared start: the mobilisation often precedes the declaration)."""
    ended = activation.ended_on
    if ended is not None and timezone.localdate(starts_at) > ended:
        raise ValidationError(
            {
                "starts_at": _(
                    "La crise « %(title)s » est close depuis le %(end)s : un créneau ne peut "
                    "commencer après (modifiez d'abord la date de fin de la crise)."
                )
                % {"title": activation.title, "end": ended.strftime("%d/%m/%Y")}
            }
        )


def _check_moved(shift: Shift) -> None:
    """Moving a shift must not make two shifts of a signed-up member overlap."""
    clash = (
        SignUp.objects.filter(
            member__crisis_signups__shift=shift,
            shift__starts_at__lt=shift.ends_at,
            shift__ends_at__gt=shift.starts_at,
        )
        .exclude(shift=shift)
        .select_related("member")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "starts_at": _(
                    "%(member)s, inscrit(e) sur ce créneau, le serait aussi sur un autre "
                    "créneau qui chevaucherait ces horaires."
                )
                % {"member": clash.member.display_name}
            }
        )


def _check_open(shift: Shift, now: datetime.datetime) -> None:
    if now > shift.changes_until:
        raise ValidationError(
            _("Les inscriptions et désistements de ce créneau sont clos depuis le %(date)s.")
            % {"date": _moment(shift.changes_until)}
        )


def _check_crisis_open(activation: Activation, now: datetime.datetime) -> None:
    """A crisis whose last day is past takes no more sign-ups, even from the coordination."""
    ended = activation.ended_on
    if ended is not None and ended < timezone.localdate(now):
        raise ValidationError(
            _(
                "La crise « %(title)s » est close depuis le %(end)s : on ne s'inscrit plus sur "
                "ses créneaux (rouvrez-la en effaçant sa date de fin si besoin)."
            )
            % {"title": activation.title, "end": ended.strftime("%d/%m/%Y")}
        )


def _check_signup(
    member: Member,
    need: ShiftNeed,
    exclude: SignUp | None = None,
    *,
    now: datetime.datetime | None = None,
    by_coordination: bool = False,
) -> None:
    """The rules of a sign-up, whoever makes it; ``by_coordination``: the messages name the
    member instead of addressing them."""
    shift = need.shift
    _check_crisis_open(shift.site.activation, now or timezone.now())
    name = member.display_name
    if by_coordination and not member.is_person:
        raise ValidationError(
            _("« %(member)s » est une structure : on inscrit sur un créneau une personne.")
            % {"member": name}
        )
    if member.status != MemberStatus.ACTIVE:
        raise ValidationError(
            _("%(member)s n'est pas un membre actif : seul un membre actif va sur un créneau.")
            % {"member": name}
            if by_coordination
            else _("Seul un membre actif peut s'inscrire sur un créneau.")
        )
    if need.profession_id is not None and need.profession_id != member.profession_id:
        needed = ", ".join(f"{n.count} {n.label}" for n in shift.needs.select_related("profession"))
        values = {
            "need": need.label,
            "yours": member.profession or _("non renseignée"),
            "needed": needed,
            "member": name,
        }
        raise ValidationError(
            _(
                "Cette place est réservée à la profession « %(need)s » ; la profession de "
                "%(member)s (%(yours)s) n'y correspond pas. Le créneau demande : %(needed)s."
            )
            % values
            if by_coordination
            else _(
                "Cette place est réservée à la profession « %(need)s » ; votre profession "
                "(%(yours)s) n'y correspond pas. Le créneau demande : %(needed)s."
            )
            % values
        )
    signups = need.signups.all()
    if exclude is not None:
        signups = signups.exclude(pk=exclude.pk)
    if signups.count() >= need.count:
        raise ValidationError(
            _("Le besoin « %(label)s » de ce créneau est complet (%(count)s sur %(count)s).")
            % {"label": need.label, "count": need.count}
        )
    mine = SignUp.objects.filter(member=member)
    if exclude is not None:
        mine = mine.exclude(pk=exclude.pk)
    if mine.filter(shift=shift).exists():
        raise ValidationError(_already_on_shift(member, by_coordination))
    clash = (
        mine.filter(shift__starts_at__lt=shift.ends_at, shift__ends_at__gt=shift.starts_at)
        .select_related("shift__site")
        .first()
    )
    if clash is not None:
        values = {"shift": shift_label(clash.shift), "member": name}
        raise ValidationError(
            _("%(member)s est déjà inscrit(e) sur un créneau qui chevauche celui-ci : %(shift)s.")
            % values
            if by_coordination
            else _("Vous êtes déjà inscrit(e) sur un créneau qui chevauche celui-ci : %(shift)s.")
            % values
        )


def _already_on_shift(member: Member, by_coordination: bool) -> str:
    if by_coordination:
        return _("%(member)s est déjà inscrit(e) sur ce créneau.") % {"member": member.display_name}
    return _("Vous êtes déjà inscrit(e) sur ce créneau.")


def _locked_need(need: ShiftNeed) -> ShiftNeed:
    """The need re-read under a row lock (PostgreSQL), so two last sign-ups cannot both pass."""
    return (
        # Only the need's row is locked: PostgreSQL locks no row of an outer join's nullable
        # side (the reception has no profession).
        ShiftNeed.objects.select_for_update(of=("self",))
        .select_related("shift__site__activation", "profession")
        .get(pk=need.pk)
    )


@transaction.atomic
def sign_up(
    member: Member, need: ShiftNeed, *, now: datetime.datetime | None = None, force: bool = False
) -> SignUp:
    """Sign ``member`` up for ``need``. ``force``: the coordination puts the member on the
    shift, past the deadline too (every other rule holds, the messages name the member)."""
    moment = now or timezone.now()
    need = _locked_need(need)
    if not force:
        _check_open(need.shift, moment)
    _check_signup(member, need, now=moment, by_coordination=force)
    try:
        with transaction.atomic():
            return SignUp.objects.create(shift=need.shift, need=need, member=member)
    except IntegrityError as error:
        raise ValidationError(_already_on_shift(member, force)) from error


@transaction.atomic
def withdraw(signup: SignUp, *, now: datetime.datetime | None = None, force: bool = False) -> None:
    """Cancel a sign-up; ``force`` (the coordination) ignores the deadline."""
    if not force:
        _check_open(signup.shift, now or timezone.now())
    signup.delete()


@transaction.atomic
def swap(signup: SignUp, target: ShiftNeed, *, now: datetime.datetime | None = None) -> SignUp:
    """Move a sign-up to another shift (or another need), both before their deadlines; all
    or nothing."""
    moment = now or timezone.now()
    _check_open(signup.shift, moment)
    target = _locked_need(target)
    if target.pk == signup.need_id:
        raise ValidationError(_("Choisissez un autre créneau que celui où vous êtes inscrit(e)."))
    _check_open(target.shift, moment)
    _check_signup(signup.member, target, exclude=signup, now=moment)
    member = signup.member
    signup.delete()
    return SignUp.objects.create(shift=target.shift, need=target, member=member)


# --- Deleting what was created by mistake ---------------------------------------------


def shift_deletion_refusal(taken: int) -> str | None:
    """Why a shift with ``taken`` sign-ups cannot be deleted (None: it can)."""
    if not taken:
        return None
    return _(
        "Ce créneau a %(count)s inscrit(s) : il ne peut être supprimé. Retirez d'abord les "
        "bénévoles inscrits depuis le planning (ou modifiez le créneau plutôt que de le "
        "supprimer)."
    ) % {"count": taken}


def site_deletion_refusal(site: Site, shift_count: int) -> str | None:
    """Why a site with ``shift_count`` shifts cannot be deleted (None: it can)."""
    if not shift_count:
        return None
    return _(
        "Le site « %(name)s » a %(count)s créneau(x) : il ne peut être supprimé. Déplacez ses "
        "créneaux vers un autre site (« Modifier » sur le créneau) ou supprimez-les d'abord ; "
        "un créneau se supprime une fois ses bénévoles retirés."
    ) % {"name": site.name, "count": shift_count}


@transaction.atomic
def delete_shift(shift: Shift) -> None:
    """Delete a shift nobody is signed up for, with its needs. The needs are locked first
    (PostgreSQL): a sign-up arriving at the same moment waits, then finds the shift gone."""
    needs = ShiftNeed.objects.select_for_update(of=("self",)).filter(shift=shift).order_by()
    list(needs.values_list("pk", flat=True))
    refusal = shift_deletion_refusal(SignUp.objects.filter(shift=shift).count())
    if refusal:
        raise ValidationError(refusal)
    shift.delete()


@transaction.atomic
def delete_site(site: Site) -> None:
    """Delete a site that has no shift."""
    list(Site.objects.select_for_update().filter(pk=site.pk).values_list("pk", flat=True))
    refusal = site_deletion_refusal(site, Shift.objects.filter(site=site).count())
    if refusal:
        raise ValidationError(refusal)
    site.delete()
