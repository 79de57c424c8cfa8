"""Invitations: the coordination invites people to create an account (sign-up is closed
otherwise), and the invitee accepts through the emailed link."""

from __future__ import annotations

from allauth.account.utils import perform_login
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpts.adapters import SKIP_LOGIN_MESSAGE
from cpts.forms.invitations import AcceptInvitationForm, InvitationForm
from cpts.models import Invitation
from cpts.permissions import permission_required
from cpts.roles import Role
from cpts.selectors.accounts import INVITATION_STATUSES, invitation_by_token, invitations
from cpts.services.invitations import (
    InvitationUnavailable,
    accept_invitation,
    create_invitation,
    invitation_state,
    resend_invitation,
    revoke_invitation,
)

PAGE_SIZE = 25

# Why an invitation link no longer works, shown to whoever follows it.
_UNAVAILABLE_STATUS = {"unknown": 404, "accepted": 410, "revoked": 410, "expired": 410}


@permission_required("accounts.invite")
def invitation_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("statut", "")
    if status not in INVITATION_STATUSES:
        status = ""
    page = Paginator(invitations(status), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/invitation_list.html",
        {
            "page": page,
            "status": status,
            "statuses": INVITATION_STATUSES,
            "form": InvitationForm(inviter=request.user),  # type: ignore[arg-type]
            "invitation_days": settings.MAILLAGE_INVITATION_DAYS,
        },
    )


@permission_required("accounts.invite")
def invitation_create(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(
        request.POST if request.method == "POST" else None,
        inviter=request.user,  # type: ignore[arg-type]
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation = create_invitation(
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                role=Role.COORDINATEUR
                if form.cleaned_data.get("as_coordinator")
                else Role.ADHERENT,
                invited_by=request.user,  # type: ignore[arg-type]
                build_absolute_uri=request.build_absolute_uri,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request,
                _("Invitation envoyée à %(email)s.") % {"email": invitation.email},
            )
            return redirect("invitation_list")
    return render(
        request,
        "accounts/invitation_form.html",
        {"form": form, "invitation_days": settings.MAILLAGE_INVITATION_DAYS},
    )


@permission_required("accounts.invite")
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        resend_invitation(invitation, build_absolute_uri=request.build_absolute_uri)
    except InvitationUnavailable as error:
        messages.error(request, _unusable_message(error.reason))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Invitation renvoyée à %(email)s avec un nouveau lien.")
            % {"email": invitation.email},
        )
    return redirect("invitation_list")


@permission_required("accounts.invite")
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        revoke_invitation(invitation)
    except InvitationUnavailable as error:
        messages.error(request, _unusable_message(error.reason))
    else:
        messages.success(
            request,
            _("Invitation de %(email)s révoquée : son lien ne fonctionne plus.")
            % {"email": invitation.email},
        )
    return redirect("invitation_list")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """PUBLIC on purpose: the invitee has no account yet. The unguessable token of the
    emailed link (32 random bytes) is the credential; it works once, until its expiry, and
    stops working when the invitation is revoked or sent again. Unknown token → 404;
    expired, revoked or used → 410. A logged-in person is told to log out first."""
    invitation = invitation_by_token(token)
    if invitation is None:
        return _unavailable(request, "unknown")
    state = invitation_state(invitation)
    if state != "pending":
        return _unavailable(request, state)
    if request.user.is_authenticated:
        return render(request, "accounts/invitation_logged_in.html", {"invitation": invitation})
    form = AcceptInvitationForm(invitation, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = accept_invitation(invitation, form.cleaned_data["password1"])
        except InvitationUnavailable as error:
            return _unavailable(request, error.reason)
        messages.success(request, _("Bienvenue ! Votre compte est créé."))
        setattr(request, SKIP_LOGIN_MESSAGE, True)  # the welcome above says it already
        return perform_login(request, user, redirect_url=reverse("home"))
    return render(
        request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form}
    )


def _unavailable(request: HttpRequest, reason: str) -> HttpResponse:
    return render(
        request,
        "accounts/invitation_unavailable.html",
        {"reason": reason},
        status=_UNAVAILABLE_STATUS.get(reason, 410),
    )


def _unusable_message(reason: str) -> str:
    if reason == "accepted":
        return _("Cette invitation a déjà été acceptée.")
    return _("Cette invitation a été révoquée.")


urlpatterns = [
    path("", invitation_list, name="invitation_list"),
    path("nouvelle/", invitation_create, name="invitation_create"),
    path("<int:pk>/renvoyer/", invitation_resend, name="invitation_resend"),
    path("<int:pk>/revoquer/", invitation_revoke, name="invitation_revoke"),
    path("accepter/<str:token>/", invitation_accept, name="invitation_accept"),
]
