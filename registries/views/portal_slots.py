"""A professional member's own unplanned-care slots from the portal: a card on the portal
home (in the registries' portal fragment) and the page listing their recent and coming weeks,
where they declare or update the number of slots of a week (0 withdraws it). ``portal.view``;
a member sees and writes only their own rows (an account without a person member gets a 404).
A fixed number of queries whatever the member's history."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cpts.permissions import permission_required
from members.models import Member
from members.selectors.portal import member_for_user
from registries.forms import DATE_FORMATS, PortalSlotForm
from registries.selectors import member_slot_weeks
from registries.services import (
    PORTAL_SLOT_WEEKS_AHEAD,
    PORTAL_SLOT_WEEKS_BACK,
    declare_slots,
    week_monday,
)
from registries.views.registers import _add_errors

# The page shows a few more past weeks than a member may still correct.
SHOWN_WEEKS_BACK = 6
SHOWN_WEEKS_AHEAD = 8


def _person(request: HttpRequest) -> Member:
    member = member_for_user(request.user)
    if member is None or not member.is_person:
        raise Http404
    return member


def _week_from_query(text: str) -> datetime.date | None:
    for layout in DATE_FORMATS:
        try:
            return week_monday(datetime.datetime.strptime(text, layout).date())
        except ValueError:
            continue
    return None


@permission_required("portal.view")
def portal_slot_offers(request: HttpRequest) -> HttpResponse:
    member = _person(request)
    today = timezone.localdate()
    if request.method == "POST":
        form = PortalSlotForm(request.POST)
        if form.is_valid():
            week = form.cleaned_data["week"]
            slots = form.cleaned_data["slots"]
            try:
                declare_slots(member, week, slots)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                day = week.strftime("%d/%m/%Y")
                if slots:
                    text = _("%(slots)s créneau(x) déclaré(s) pour la semaine du %(week)s.")
                else:
                    text = _("Aucun créneau proposé pour la semaine du %(week)s.")
                messages.success(request, text % {"slots": slots, "week": day})
                return redirect(reverse("portal_slot_offers") + f"#semaine-{week:%Y-%m-%d}")
    else:
        week = _week_from_query(str(request.GET.get("semaine", ""))[:10]) or week_monday(today)
        form = PortalSlotForm(initial={"week": week, "slots": None})
    weeks = member_slot_weeks(
        member,
        today,
        back=SHOWN_WEEKS_BACK,
        ahead=SHOWN_WEEKS_AHEAD,
        editable_back=PORTAL_SLOT_WEEKS_BACK,
    )
    if request.method == "GET":
        chosen = form.initial["week"]
        known = next((w.slots for w in weeks if w.monday == chosen), None)
        form.initial["slots"] = known
    context = {
        "member": member,
        "form": form,
        "weeks": weeks,
        "weeks_back": PORTAL_SLOT_WEEKS_BACK,
        "weeks_ahead": PORTAL_SLOT_WEEKS_AHEAD,
    }
    return render(request, "registries/portal/slots.html", context)


urlpatterns = [
    path("portail/soins-non-programmes/", portal_slot_offers, name="portal_slot_offers"),
]
