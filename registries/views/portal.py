"""The member's own availability from the portal: cards on the portal home (htmx fragment:
new patients and maître de stage, and their unplanned-care slots of this week and the next)
and the page where a professional says whether they take new patients as médecin traitant,
how many, and whether they are a maître de stage. ``portal.view``; a member edits only their
own profile (an account without a member record gets a 404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cpts.permissions import permission_required
from members.selectors.portal import member_for_user
from registries.forms import ProfileForm
from registries.models import ProfessionalProfile
from registries.selectors import SlotWeek, member_slot_weeks
from registries.services import profile_for, save_profile
from registries.views.registers import _add_errors


@permission_required("portal.view")
@require_safe
def portal_registry_card(request: HttpRequest) -> HttpResponse:
    member = member_for_user(request.user)
    profile = None
    slot_weeks: list[SlotWeek] = []
    if member is not None and member.is_person:
        profile = ProfessionalProfile.objects.filter(member=member).first()
        slot_weeks = member_slot_weeks(
            member, timezone.localdate(), back=0, ahead=1, editable_back=0
        )
    return render(
        request,
        "registries/portal/_card.html",
        {
            "member": member if member and member.is_person else None,
            "profile": profile,
            "slot_weeks": slot_weeks,
        },
    )


@permission_required("portal.view")
def portal_registry_profile(request: HttpRequest) -> HttpResponse:
    member = member_for_user(request.user)
    if member is None or not member.is_person:
        raise Http404
    form = ProfileForm(request.POST or None, instance=profile_for(member))
    if request.method == "POST" and form.is_valid():
        try:
            save_profile(form.instance)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Vos disponibilités sont enregistrées."))
            return redirect("portal_home")
    return render(
        request, "registries/profile_form.html", {"form": form, "member": member, "portal": True}
    )


urlpatterns = [
    path("portail/disponibilites/", portal_registry_profile, name="portal_registry_profile"),
    path("portail/disponibilites/carte/", portal_registry_card, name="portal_registry_card"),
]
