"""Convocations: convene a meeting and re-send it (back-office), the emailed answer link
(public: its unguessable token is the credential), and the adherent's "Mes réunions" portal
page with answers and .ics downloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cpts.permissions import permission_required
from cpts.views.messaging import error_text, logged_in_user
from governance.access import meeting_for
from governance.ics import MIME_TYPE, ics_filename, meeting_ics
from governance.models import Convocation, ConvocationAnswer
from governance.selectors.meetings import (
    agenda,
    answers_open,
    convocation_by_token,
    member_convocation,
    member_convocations,
)
from governance.services import convocations as services
from governance.views.portal_sections import SECTION_FIELD, render_meetings_section
from members.selectors.portal import member_for_user

WRITE = ("governance.manage", "groups.lead")
# The field the confirmation button of the meeting page sends with the convocation.
CONFIRM_FIELD = "confirmation"


def _sent_message(count: int) -> str:
    return ngettext(
        "%(count)s convocation envoyée par e-mail.",
        "%(count)s convocations envoyées par e-mail.",
        count,
    ) % {"count": count}


def _update_message(count: int) -> str:
    return ngettext(
        "Convocation mise à jour envoyée par e-mail à %(count)s personne.",
        "Convocation mise à jour envoyée par e-mail à %(count)s personnes.",
        count,
    ) % {"count": count}


@permission_required(*WRITE)
@require_POST
def meeting_convene(request: HttpRequest, pk: int) -> HttpResponse:
    """Sends only with the confirmation of the meeting page's second button (the number of
    recipients, the notice and the agenda checked there)."""
    meeting = meeting_for(request.user, pk, manage=True)
    if request.POST.get(CONFIRM_FIELD) != "1":
        messages.error(
            request,
            _("Confirmez l'envoi de la convocation : rien n'a été envoyé."),
        )
        return redirect("meeting_detail", meeting.pk)
    try:
        sent = services.convene(
            meeting, by=logged_in_user(request), build_absolute_uri=request.build_absolute_uri
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _sent_message(sent))
    return redirect("meeting_detail", meeting.pk)


@permission_required(*WRITE)
@require_POST
def meeting_resend(request: HttpRequest, pk: int) -> HttpResponse:
    """To those who have not answered; with ``destinataires=tous``, the updated convocation
    to every invitee."""
    meeting = meeting_for(request.user, pk, manage=True)
    to_everyone = request.POST.get("destinataires") == "tous"
    send = services.send_update if to_everyone else services.resend
    try:
        sent = send(
            meeting, by=logged_in_user(request), build_absolute_uri=request.build_absolute_uri
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _update_message(sent) if to_everyone else _sent_message(sent))
    return redirect("meeting_detail", meeting.pk)


def _answer_context(convocation: Convocation) -> dict[str, object]:
    meeting = convocation.meeting
    return {
        "convocation": convocation,
        "meeting": meeting,
        "items": agenda(meeting),
        "answers_open": answers_open(meeting),
        "answers": ConvocationAnswer,
    }


@require_http_methods(["GET", "HEAD", "POST"])
def convocation_answer(request: HttpRequest, token: str) -> HttpResponse:
    """Public: whoever holds the emailed link answers for that invitee, without logging in."""
    convocation = convocation_by_token(token)
    if convocation is None:
        raise Http404
    if request.method == "POST":
        try:
            services.answer(convocation, request.POST.get("answer", ""))
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Merci, votre réponse est enregistrée."))
            return redirect("convocation_answer", token=token)
    context = _answer_context(convocation)
    return render(request, "governance/convocations/answer.html", context)


# --- Portal -------------------------------------------------------------------------------


@permission_required("portal.view")
@require_safe
def portal_meetings(request: HttpRequest) -> HttpResponse:
    member = member_for_user(request.user)
    if member is None:
        return render(request, "members/portal/no_member.html")
    upcoming, past = member_convocations(member, timezone.now())
    context = {"member": member, "upcoming": upcoming, "past": past, "answers": ConvocationAnswer}
    return render(request, "governance/convocations/portal_meetings.html", context)


def _own_convocation(request: HttpRequest, pk: int) -> Convocation:
    convocation = member_convocation(member_for_user(request.user), pk)
    if convocation is None:
        raise Http404
    return convocation


@permission_required("portal.view")
@require_safe
def portal_meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    convocation = _own_convocation(request, pk)
    url = request.build_absolute_uri(reverse("portal_meetings"))
    response = HttpResponse(meeting_ics(convocation.meeting, url=url), content_type=MIME_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{ics_filename(convocation.meeting)}"'
    return response


@permission_required("portal.view")
@require_POST
def portal_meeting_answer(request: HttpRequest, pk: int) -> HttpResponse:
    convocation = _own_convocation(request, pk)
    try:
        services.answer(convocation, request.POST.get("answer", ""))
    except ValidationError as error:
        level, text = messages.ERROR, error_text(error)
    else:
        level = messages.SUCCESS
        text = _("Réponse enregistrée pour « %(title)s ».") % {"title": convocation.meeting.title}
    if request.headers.get("HX-Request") and request.POST.get(SECTION_FIELD):
        # From the portal home's card: the refreshed section, the notice inside it.
        return render_meetings_section(request, text, level == messages.SUCCESS)
    messages.add_message(request, level, text)
    return redirect(f"{reverse('portal_meetings')}#reunion-{convocation.meeting_id}")


urlpatterns = [
    path("gouvernance/reunions/<int:pk>/convoquer/", meeting_convene, name="meeting_convene"),
    path("gouvernance/reunions/<int:pk>/renvoyer/", meeting_resend, name="meeting_resend"),
    path("convocation/<str:token>/", convocation_answer, name="convocation_answer"),
    path("portail/reunions/", portal_meetings, name="portal_meetings"),
    path("portail/reunions/<int:pk>/calendrier.ics", portal_meeting_ics, name="portal_meeting_ics"),
    path("portail/reunions/<int:pk>/reponse/", portal_meeting_answer, name="portal_meeting_answer"),
]
