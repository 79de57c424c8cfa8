"""CA elections at a meeting: creation, candidates, votes and the count."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpts.permissions import permission_required
from governance.access import can_manage_body, meeting_for
from governance.forms.decisions import MAX_VOTES, CandidateForm, ElectionForm
from governance.models import BodyKind, Candidate, Election
from governance.selectors.decisions import election_candidates
from governance.selectors.voting import quorum_for
from governance.services.elections import (
    add_candidate,
    close_election,
    create_election,
    record_election_votes,
    remove_candidate,
)
from governance.services.resolutions import decisions_closed_reason
from governance.views.resolutions import READ, WRITE, add_errors


def election_for(user: Any, pk: int, *, manage: bool = False) -> Election:
    election = get_object_or_404(Election.objects.select_related("college", "body"), pk=pk)
    election.meeting = meeting_for(user, election.meeting_id, manage=manage)
    return election


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@permission_required(*WRITE)
def election_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk, manage=True)
    if meeting.body.kind == BodyKind.GROUP:
        messages.error(request, _("Un groupe de travail n'élit pas d'administrateurs."))
        return redirect("meeting_resolutions", pk=meeting.pk)
    locked = decisions_closed_reason(meeting)
    if locked:
        messages.error(request, locked)
        return redirect("meeting_resolutions", pk=meeting.pk)
    form = ElectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            election = create_election(
                meeting,
                college=data["college"],
                seats=data["seats"],
                mandate_start=data["mandate_start"],
                mandate_end=data["mandate_end"],
                by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("L'élection a été créée : ajoutez les candidatures."))
            return redirect("election_detail", pk=election.pk)
    return render(
        request, "governance/elections/election_form.html", {"meeting": meeting, "form": form}
    )


@permission_required(*READ)
def election_detail(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request.user, pk)
    locked = decisions_closed_reason(election.meeting)
    can_manage = (
        can_manage_body(request.user, election.meeting.body)
        and not locked
        and election.closed_at is None
    )
    return render(
        request,
        "governance/elections/election_detail.html",
        {
            "election": election,
            "meeting": election.meeting,
            "active_tab": "resolutions",
            "candidates": election_candidates(election),
            "quorum": quorum_for(election.meeting),
            "locked": locked,
            "can_manage": can_manage,
            "candidate_form": CandidateForm(election=election) if can_manage else None,
        },
    )


@permission_required(*WRITE)
@require_POST
def candidate_add(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request.user, pk, manage=True)
    form = CandidateForm(request.POST, election=election)
    if form.is_valid():
        try:
            add_candidate(election, form.cleaned_data["member"], by=request.user)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("La candidature a été ajoutée."))
    else:
        messages.error(
            request,
            _("Choisissez un membre actif du collège « %(college)s ».")
            % {"college": election.college},
        )
    return redirect("election_detail", pk=election.pk)


@permission_required(*WRITE)
@require_POST
def candidate_remove(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(Candidate.objects.select_related("election"), pk=pk)
    election = election_for(request.user, candidate.election_id, manage=True)
    candidate.election = election
    try:
        remove_candidate(candidate, by=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("La candidature a été retirée."))
    return redirect("election_detail", pk=election.pk)


def _posted_votes(request: HttpRequest, election: Election) -> tuple[dict[int, int], list[str]]:
    votes: dict[int, int] = {}
    errors: list[str] = []
    for candidate in election.candidates.select_related("member"):
        raw = request.POST.get(f"votes-{candidate.pk}", "").strip()
        if not (raw.isascii() and raw.isdigit()):
            errors.append(
                _("Nombre de voix invalide pour %(name)s : indiquez un nombre entier positif.")
                % {"name": candidate.member.display_name}
            )
        elif len(raw) > 20 or int(raw) > MAX_VOTES:
            errors.append(
                _("Nombre de voix trop grand pour %(name)s : 1 000 000 voix au plus.")
                % {"name": candidate.member.display_name}
            )
        else:
            votes[candidate.pk] = int(raw)
    return votes, errors


@permission_required(*WRITE)
@require_POST
def election_votes(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request.user, pk, manage=True)
    votes, errors = _posted_votes(request, election)
    if errors:
        for message in errors:
            messages.error(request, message)
        return redirect("election_detail", pk=election.pk)
    try:
        record_election_votes(election, votes, by=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Les voix ont été enregistrées."))
    return redirect("election_detail", pk=election.pk)


@permission_required(*WRITE)
@require_POST
def election_close(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request.user, pk, manage=True)
    try:
        winners = close_election(election, by=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        names = ", ".join(c.member.display_name for c in winners) or _("personne")
        messages.success(request, _("Élection close. Élu·e·s : %(names)s.") % {"names": names})
    return redirect("election_detail", pk=election.pk)


urlpatterns = [
    path(
        "gouvernance/reunions/<int:pk>/elections/nouvelle/",
        election_create,
        name="election_create",
    ),
    path("gouvernance/elections/<int:pk>/", election_detail, name="election_detail"),
    path("gouvernance/elections/<int:pk>/candidats/", candidate_add, name="candidate_add"),
    path("gouvernance/candidatures/<int:pk>/retirer/", candidate_remove, name="candidate_remove"),
    path("gouvernance/elections/<int:pk>/voix/", election_votes, name="election_votes"),
    path("gouvernance/elections/<int:pk>/clore/", election_close, name="election_close"),
]
