"""Require TOTP for the coordination team when MAILLAGE_MFA_REQUIRED_FOR_COORDINATOR is on."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from cpts.roles import Role

# Pages a coordinator without TOTP may still reach: MFA set-up, logout, static assets.
_ALLOWED_PREFIXES = ("/comptes/", "/static/")


class MfaRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.MAILLAGE_MFA_REQUIRED_FOR_COORDINATOR and self._must_enrol(request):
            messages.warning(
                request,
                _(
                    "La double authentification est obligatoire pour l'équipe de coordination : "
                    "activez une application d'authentification pour continuer."
                ),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _must_enrol(request: HttpRequest) -> bool:
        from allauth.mfa.models import Authenticator

        from cpts.permissions import roles_of

        user = request.user
        if not user.is_authenticated or request.path.startswith(_ALLOWED_PREFIXES):
            return False
        if Role.COORDINATEUR not in roles_of(user):
            return False
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
