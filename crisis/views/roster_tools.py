"""The coordination's tools to fix a roster: put a member on a need of a shift (someone who
phoned in, a professional without an account), delete a site or a shift created by mistake
while it is empty. Everything needs ``crisis.manage``, like the roster's other writes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cpts.permissions import permission_required
from cpts.views.messaging import error_text
from crisis.forms import VolunteerForm
from crisis.models import ShiftNeed
from crisis.selectors.rosters import (
    candidates_page,
    need_for_adding,
    shift_for_delete,
    site_for_delete,
)
from crisis.services.rosters import (
    delete_shift,
    delete_site,
    shift_deletion_refusal,
    shift_label,
    sign_up,
    site_deletion_refusal,
)

MAX_QUERY = 100


def _roster_url(activation_pk: int, shift_pk: int | None = None) -> str:
    url = reverse("crisis_roster", args=[activation_pk])
    return f"{url}#creneau-{shift_pk}" if shift_pk else url


@permission_required("crisis.manage")
@require_http_methods(["GET", "POST"])
def roster_need_add(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the members who fit the need (searchable, paginated); POST ``member``: sign them
    up, past the deadline if need be, with every other rule of a sign-up."""
    need = need_for_adding(pk)
    if need is None:
        raise Http404
    query = str(request.GET.get("q", ""))[:MAX_QUERY].strip()
    status = 200
    refusal = ""
    if request.method == "POST":
        form = VolunteerForm(request.POST)
        if form.is_valid():
            member = form.cleaned_data["member"]
            try:
                sign_up(member, need, force=True)
            except ValidationError as error:
                refusal = error_text(error)
            else:
                messages.success(
                    request,
                    _("%(member)s est inscrit(e) : %(shift)s (%(need)s).")
                    % {
                        "member": member.display_name,
                        "shift": shift_label(need.shift),
                        "need": need.label,
                    },
                )
                return redirect(_roster_url(need.shift.site.activation_id, need.shift_id))
        else:
            refusal = " ".join(str(e) for e in form.errors["member"])
        status = 400
        need = need_for_adding(pk) or need  # the places left, as they are now
    return render(
        request,
        "crisis/need_add.html",
        _need_context(need, query, request.GET.get("page"), refusal),
        status=status,
    )


def _need_context(need: ShiftNeed, query: str, page: str | None, refusal: str) -> dict[str, Any]:
    shift = need.shift
    activation = shift.site.activation
    today = timezone.localdate()
    closed = activation.ended_on is not None and activation.ended_on < today
    missing = need.count - need.taken  # type: ignore[attr-defined]  # annotation
    return {
        "need": need,
        "shift": shift,
        "activation": activation,
        "missing": missing,
        "closed": closed,
        "past_deadline": timezone.now() > shift.changes_until,
        "query": query,
        "page": candidates_page(need, query, page) if missing > 0 and not closed else None,
        "refusal": refusal,
        "roster_url": _roster_url(activation.pk, shift.pk),
    }


@permission_required("crisis.manage")
@require_http_methods(["GET", "POST"])
def shift_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation (or why the shift stays); POST: the deletion."""
    shift = shift_for_delete(pk)
    if shift is None:
        raise Http404
    activation = shift.site.activation
    if request.method == "POST":
        label = shift_label(shift)
        try:
            delete_shift(shift)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect(_roster_url(activation.pk, pk))
        messages.success(request, _("Le créneau %(shift)s est supprimé.") % {"shift": label})
        return redirect(_roster_url(activation.pk))
    return render(
        request,
        "crisis/delete_confirm.html",
        {
            "activation": activation,
            "shift": shift,
            "refusal": shift_deletion_refusal(shift.taken),  # type: ignore[attr-defined]
            "back_url": _roster_url(activation.pk, shift.pk),
            "action_url": reverse("shift_delete", args=[shift.pk]),
        },
    )


@permission_required("crisis.manage")
@require_http_methods(["GET", "POST"])
def site_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation (or why the site stays); POST: the deletion."""
    site = site_for_delete(pk)
    if site is None:
        raise Http404
    activation = site.activation
    back = reverse("activation_detail", args=[activation.pk])
    if request.method == "POST":
        name = site.name
        try:
            delete_site(site)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect(back)
        messages.success(request, _("Le site « %(name)s » est supprimé.") % {"name": name})
        return redirect(back)
    return render(
        request,
        "crisis/delete_confirm.html",
        {
            "activation": activation,
            "site": site,
            "refusal": site_deletion_refusal(site, site.shift_count),  # type: ignore[attr-defined]
            "back_url": back,
            "action_url": reverse("site_delete", args=[site.pk]),
        },
    )


urlpatterns = [
    path("crise/besoins/<int:pk>/ajouter/", roster_need_add, name="roster_need_add"),
    path("crise/creneaux/<int:pk>/supprimer/", shift_delete, name="shift_delete"),
    path("crise/sites/<int:pk>/supprimer/", site_delete, name="site_delete"),
]
