"""Require TOTP for the coordination team when MAILLAGE_MFA_REQUIRED_FOR_COORDINATOR is on.

A coordinator without an authenticator app is sent to the TOTP activation page, with a
French message, from every page but the account pages (allauth, mounted at /comptes/: MFA
set-up, reauthentication, logout, password) and static files. An htmx request gets an
``HX-Redirect`` header instead of a 302, so htmx loads the whole page instead of swapping
the activation page into a fragment.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from cpts.roles import Role

# Pages a coordinator without TOTP may still reach: account pages (MFA set-up, logout…) and
# static assets.
ALLOWED_PREFIXES = ("/comptes/", "/static/")


class MfaRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if settings.MAILLAGE_MFA_REQUIRED_FOR_COORDINATOR and self._must_enrol(request):
            messages.warning(
                request,
                _(
                    "La double authentification est obligatoire pour l'équipe de coordination : "
                    "activez une application d'authentification pour continuer."
                ),
            )
            target = reverse("mfa_activate_totp")
            if getattr(request, "htmx", False):
                return HttpResponseClientRedirect(target)
            return redirect(target)
        return self.get_response(request)

    @staticmethod
    def _must_enrol(request: HttpRequest) -> bool:
        from allauth.mfa.models import Authenticator

        from cpts.permissions import roles_of

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if request.path_info.startswith(ALLOWED_PREFIXES):
            return False
        if Role.COORDINATEUR not in roles_of(user):
            return False
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RejectNullCharactersMiddleware:
    """A NUL character is never legitimate in a query string or a form field, and PostgreSQL
    refuses it in any query: answer 400 (French page) before a view passes it to the database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            from cpts.views.errors import bad_request

            return bad_request(request)
        return self.get_response(request)


def _has_nul(data: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in v for v in data.getlist(key)) for key in data)
