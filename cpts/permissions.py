"""The permission registry: every named permission of Maillage, the roles that grant it, and
the one entry point that answers "may this user do X".

- ``PERMISSIONS`` names each permission with its French label;
- ``ROLE_PERMISSIONS`` grants permissions to roles (see ``cpts.roles.Role``);
- role providers say which roles a user holds. The core provides the adherent role of
  every account and the staff flag (coordinator); every other role comes from the mandates
  the governance app registers a provider for (no role is ever granted by hand);
- role-holder providers say who holds a role today (e.g. the président named on an
  attestation), so lower apps can ask without importing governance;
- ``user_can(user, "members.view")`` is the entry point; ``permission_required`` and
  ``PermissionRequiredMixin`` enforce it on views (login redirect for anonymous users,
  403 for the others); ``RegistryBackend`` makes ``user.has_perm`` and ``{{ perms }}`` agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext_lazy as _

from cpts.roles import Role

PERMISSIONS: dict[str, Any] = {
    "portal.view": _("Accéder à l'espace adhérent"),
    "backoffice.view": _("Accéder au tableau de bord de la CPTS"),
    "association.view": _("Consulter l'identité et le territoire de la CPTS"),
    "association.manage": _("Modifier l'identité et le territoire de la CPTS"),
    "accounts.invite": _("Inviter des personnes à créer un compte"),
    "accounts.manage": _("Gérer les comptes et leurs rôles"),
    "members.view": _("Consulter les membres"),
    "members.manage": _("Gérer les membres et les adhésions"),
    "finance.view": _("Consulter les finances et les demandes d'indemnisation"),
    "finance.approve": _("Approuver les indemnisations et les paiements"),
    "governance.view": _("Consulter la gouvernance et les réunions"),
    "governance.manage": _("Gérer les instances, mandats et réunions"),
    "groups.lead": _("Animer un groupe de travail"),
    "missions.view": _("Consulter le contrat ACI et les missions"),
    "missions.manage": _("Gérer le contrat ACI, les missions et les actions"),
    "indicators.view": _("Consulter les indicateurs et leurs valeurs"),
    "indicators.manage": _("Recalculer, importer et saisir les valeurs des indicateurs"),
    "reports.view": _("Consulter les rapports et documents générés"),
    "reports.generate": _("Générer les rapports et documents"),
    # Documents shared with the members (governance/views/library.py).
    "library.manage": _("Gérer les documents partagés avec les adhérents"),
    # Crisis mission (crisis app): plan, activations, alerts, sites and shifts.
    "crisis.view": _("Consulter le plan de crise, les alertes et les plannings de crise"),
    "crisis.manage": _("Gérer le plan de crise, les crises, les alertes et les plannings"),
    # Claims (claims app): validation by the coordinator (référents through groups.lead and
    # claims.selectors.can_validate), tariffs, mileage scale and PASS by the bureau.
    "claims.validate": _("Valider les demandes d'indemnisation"),
    "claims.tariffs": _("Fixer les tarifs, le barème kilométrique et le PASS"),
}

_BOARD = {
    "portal.view",
    "backoffice.view",
    "association.view",
    "members.view",
    "governance.view",
    "missions.view",
    "indicators.view",
    "reports.view",
    "crisis.view",
}

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.COORDINATEUR: frozenset(PERMISSIONS),
    Role.PRESIDENT: frozenset(
        _BOARD
        | {
            "association.manage",
            "finance.view",
            "governance.manage",
            "reports.generate",
            "crisis.manage",
            "claims.tariffs",
        }
    ),
    Role.TRESORIER: frozenset(
        _BOARD | {"finance.view", "finance.approve", "reports.generate", "claims.tariffs"}
    ),
    Role.SECRETAIRE: frozenset(
        _BOARD | {"governance.manage", "reports.generate", "library.manage"}
    ),
    Role.MEMBRE_BUREAU: frozenset(_BOARD),
    Role.ADMINISTRATEUR: frozenset(_BOARD),
    Role.REFERENT: frozenset({"portal.view", "groups.lead"}),
    Role.ADHERENT: frozenset({"portal.view"}),
}

# Mission registries (registries app): the coordination keeps them, the bureau reads them.
PERMISSIONS.update(
    {
        "registries.view": _("Consulter les registres des missions"),
        "registries.manage": _("Tenir les registres des missions (accès aux soins, SAS, stages)"),
    }
)
ROLE_PERMISSIONS[Role.COORDINATEUR] |= {"registries.view", "registries.manage"}
for _role in (Role.PRESIDENT, Role.TRESORIER, Role.SECRETAIRE, Role.MEMBRE_BUREAU):
    ROLE_PERMISSIONS[_role] |= {"registries.view"}

RoleProvider = Callable[[Any], Iterable[Role]]
_role_providers: list[RoleProvider] = []


def register_role_provider(provider: RoleProvider) -> RoleProvider:
    """Add a source of roles (usable as a decorator). Providers must be cheap: their result
    is cached on the user object for the request."""
    if provider not in _role_providers:
        _role_providers.append(provider)
    return provider


@register_role_provider
def _core_roles(user: Any) -> Iterable[Role]:
    """Every account is an adherent; the coordination team (staff flag) coordinates."""
    roles = {Role.ADHERENT}
    if user.is_staff:
        roles.add(Role.COORDINATEUR)
    return roles


RoleHolderProvider = Callable[[Role], Iterable[str]]
_role_holder_providers: list[RoleHolderProvider] = []


def register_role_holder_provider(provider: RoleHolderProvider) -> RoleHolderProvider:
    """Add a source of "who holds this role today": ``provider(role)`` returns the display
    names of those people (usable as a decorator)."""
    if provider not in _role_holder_providers:
        _role_holder_providers.append(provider)
    return provider


def role_holder_names(role: Role) -> list[str]:
    """The display names of the people holding ``role`` today, in the providers' order,
    without duplicates (empty when nobody does)."""
    names: list[str] = []
    for provider in _role_holder_providers:
        names.extend(name for name in provider(role) if name not in names)
    return names


_CACHE_ATTR = "_maillage_roles"


def roles_of(user: Any) -> frozenset[Role]:
    """The roles a user holds now (none for anonymous or inactive users)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        collected: set[Role] = set()
        for provider in _role_providers:
            collected.update(provider(user))
        cached = frozenset(collected)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_roles(user: Any) -> None:
    """Drop the per-request cache after a change of roles."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def permissions_of(user: Any) -> frozenset[str]:
    granted: set[str] = set()
    for role in roles_of(user):
        granted |= ROLE_PERMISSIONS[role]
    return frozenset(granted)


def user_can(user: Any, permission: str) -> bool:
    """The entry point: may ``user`` do ``permission``? Unknown names are a programming
    error and raise, so a typo never silently denies or grants."""
    if permission not in PERMISSIONS:
        raise ImproperlyConfigured(f"Unknown Maillage permission: {permission!r}")
    if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
        return True
    return permission in permissions_of(user)


class RegistryBackend(BaseBackend):
    """Lets ``user.has_perm("members.view")`` and ``{{ perms.members.view }}`` use the registry.
    Names outside the registry (Django's model permissions) are left to ModelBackend."""

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return perm in PERMISSIONS and user_can(user_obj, perm)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return any(p.startswith(f"{app_label}.") for p in permissions_of(user_obj))


def check(request: HttpRequest, permission: str) -> None:
    """Raise PermissionDenied unless the request's user holds ``permission``."""
    if not user_can(request.user, permission):
        raise PermissionDenied


V = TypeVar("V", bound=Callable[..., HttpResponseBase])


def permission_required(*permissions: str) -> Callable[[V], V]:
    """View decorator: anonymous users go to the login page, others holding none of the
    ``permissions`` get a 403. Several names mean *any of them* (e.g. the meetings pages:
    ``"governance.view"`` for the board, ``"groups.lead"`` for a référent, who then only
    reaches their own group's meetings, checked by the view). The names are stored on the
    view, joined by " | ", for the access-matrix test."""
    if not permissions:
        raise ImproperlyConfigured("permission_required needs at least one permission")
    for permission in permissions:
        if permission not in PERMISSIONS:
            raise ImproperlyConfigured(f"Unknown Maillage permission: {permission!r}")

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not any(user_can(request.user, p) for p in permissions):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.maillage_permission = " | ".join(permissions)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator


class PermissionRequiredMixin:
    """Class-based equivalent of ``permission_required``; set ``permission`` on the view."""

    permission: str = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if self.permission not in PERMISSIONS:
            raise ImproperlyConfigured(f"{type(self).__name__}.permission is not a known name")
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        check(request, self.permission)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
