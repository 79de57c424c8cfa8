"""The adherent's side of the rosters, made for a phone: the portal card, the open shifts
fitting the member's profession, sign-up, withdrawal and swap before each shift's deadline.
Every view needs ``portal.view`` and a member record."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cpts.permissions import permission_required
from cpts.views.messaging import error_text
from crisis.models import Shift, ShiftNeed, SignUp
from crisis.selectors.rosters import member_signups, open_shifts_for
from crisis.services.rosters import shift_label, sign_up, swap, withdraw
from members.models import Member
from members.selectors.portal import member_for_user
from members.views.portal import member_required

CARD_SHIFTS = 3
PAGE_SHIFTS = 30


@permission_required("portal.view")
@require_safe
def portal_crisis_cards(request: HttpRequest) -> HttpResponse:
    """The portal home card: the member's next shifts and how many open shifts fit them."""
    member = member_for_user(request.user)
    if member is None:
        return HttpResponse("")
    now = timezone.now()
    upcoming = list(member_signups(member, upcoming_from=now)[:CARD_SHIFTS])
    open_count = open_shifts_for(member, now).count()
    return render(
        request,
        "crisis/portal/_home_cards.html",
        {"upcoming": upcoming, "open_count": open_count},
    )


@permission_required("portal.view")
@require_safe
@member_required
def portal_shifts(request: HttpRequest, member: Member) -> HttpResponse:
    now = timezone.now()
    mine = list(member_signups(member, upcoming_from=now))
    page = Paginator(open_shifts_for(member, now), PAGE_SHIFTS).get_page(request.GET.get("page"))
    shifts: list[Shift] = list(page.object_list)
    for shift in shifts:
        # One of the member's own shifts at the same time: no sign-up button, the reason.
        shift.clash = next(  # type: ignore[attr-defined]
            (
                signup.shift
                for signup in mine
                if signup.shift.starts_at < shift.ends_at and shift.starts_at < signup.shift.ends_at
            ),
            None,
        )
        shift.fitting = [  # type: ignore[attr-defined]
            need
            for need in shift.needs.all()
            if need.profession_id in (None, member.profession_id) and need.taken < need.count  # type: ignore[attr-defined]
        ]
    return render(
        request,
        "crisis/portal/shifts.html",
        {"member": member, "mine": mine, "shifts": shifts, "page": page, "now": now},
    )


def _own_signup(member: Member, pk: int) -> SignUp:
    signup = (
        SignUp.objects.select_related("shift__site", "need").filter(pk=pk, member=member).first()
    )
    if signup is None:
        raise Http404
    return signup


@permission_required("portal.view")
@require_POST
@member_required
def portal_shift_signup(request: HttpRequest, member: Member, pk: int) -> HttpResponse:
    need = get_object_or_404(ShiftNeed.objects.select_related("shift__site"), pk=pk)
    try:
        signup = sign_up(member, need)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, _("Vous êtes inscrit(e) : %(shift)s.") % {"shift": shift_label(signup.shift)}
        )
    return redirect("portal_shifts")


@permission_required("portal.view")
@require_POST
@member_required
def portal_shift_withdraw(request: HttpRequest, member: Member, pk: int) -> HttpResponse:
    signup = _own_signup(member, pk)
    label = shift_label(signup.shift)
    try:
        withdraw(signup)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, _("Votre inscription est annulée : %(shift)s.") % {"shift": label}
        )
    return redirect("portal_shifts")


@permission_required("portal.view")
@require_POST
@member_required
def portal_shift_swap(request: HttpRequest, member: Member, pk: int) -> HttpResponse:
    signup = _own_signup(member, pk)
    raw = str(request.POST.get("need", ""))
    target = (
        ShiftNeed.objects.select_related("shift__site").filter(pk=int(raw)).first()
        if raw.isdigit() and len(raw) < 10
        else None
    )
    if target is None:
        messages.error(request, _("Choisissez le créneau qui remplace celui-ci."))
        return redirect("portal_shifts")
    try:
        moved = swap(signup, target)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("Votre inscription passe sur : %(shift)s.") % {"shift": shift_label(moved.shift)},
        )
    return redirect("portal_shifts")


urlpatterns = [
    path("portail/crise/carte/", portal_crisis_cards, name="portal_crisis_cards"),
    path("portail/crise/creneaux/", portal_shifts, name="portal_shifts"),
    path(
        "portail/crise/besoins/<int:pk>/inscription/",
        portal_shift_signup,
        name="portal_shift_signup",
    ),
    path(
        "portail/crise/inscriptions/<int:pk>/desistement/",
        portal_shift_withdraw,
        name="portal_shift_withdraw",
    ),
    path(
        "portail/crise/inscriptions/<int:pk>/echange/",
        portal_shift_swap,
        name="portal_shift_swap",
    ),
]
