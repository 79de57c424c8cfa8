import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from cpts.permissions import (
    PERMISSIONS,
    ROLE_PERMISSIONS,
    permission_required,
    register_role_provider,
    roles_of,
    user_can,
)
from cpts.roles import Role
from cpts.services.accounts import set_roles

pytestmark = pytest.mark.django_db


def test_every_role_is_in_the_registry_and_grants_only_known_permissions():
    assert set(ROLE_PERMISSIONS) == set(Role)
    for granted in ROLE_PERMISSIONS.values():
        assert granted <= set(PERMISSIONS)


def test_permission_labels_are_french_sentences():
    for name, label in PERMISSIONS.items():
        assert "." in name
        assert str(label)[0].isupper(), name


def test_staff_flag_makes_a_coordinator(coordinator):
    assert Role.COORDINATEUR in roles_of(coordinator)
    assert all(user_can(coordinator, p) for p in PERMISSIONS)


def test_adherent_only_reaches_the_portal(adherent):
    assert roles_of(adherent) == {Role.ADHERENT}
    assert user_can(adherent, "portal.view")
    assert not user_can(adherent, "backoffice.view")
    assert not user_can(adherent, "members.view")


def test_treasurer_approves_but_president_does_not(tresorier, president):
    assert user_can(tresorier, "finance.approve")
    assert not user_can(president, "finance.approve")
    assert user_can(president, "association.manage")
    assert not user_can(tresorier, "association.manage")


def test_anonymous_and_inactive_users_have_no_permission(adherent):
    from django.contrib.auth.models import AnonymousUser

    assert not user_can(AnonymousUser(), "portal.view")
    adherent.is_active = False
    assert not user_can(adherent, "portal.view")


def test_unknown_permission_is_a_programming_error(adherent):
    with pytest.raises(ImproperlyConfigured):
        user_can(adherent, "members.veiw")
    with pytest.raises(ImproperlyConfigured):
        permission_required("nope.nothing")


def test_role_assignment_change_is_seen_after_forget(adherent):
    assert not user_can(adherent, "finance.approve")
    set_roles(adherent, [Role.TRESORIER])
    assert user_can(adherent, "finance.approve")
    set_roles(adherent, [])
    assert not user_can(adherent, "finance.approve")


def test_has_perm_and_template_perms_agree_with_the_registry(tresorier):
    assert tresorier.has_perm("finance.approve")
    assert not tresorier.has_perm("association.manage")
    assert tresorier.has_module_perms("finance")


def test_a_registered_role_provider_adds_roles(adherent):
    from cpts import permissions

    def provider(user):
        return [Role.SECRETAIRE] if user.email == adherent.email else []

    register_role_provider(provider)
    try:
        fresh = type(adherent).objects.get(pk=adherent.pk)
        assert user_can(fresh, "governance.manage")
    finally:
        permissions._role_providers.remove(provider)


def test_decorator_redirects_anonymous_and_refuses_others(adherent, coordinator):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied
    from django.http import HttpResponse

    @permission_required("members.view")
    def view(request):
        return HttpResponse("ok")

    request = RequestFactory().get("/membres/")
    request.user = AnonymousUser()
    response = view(request)
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]
    request.user = adherent
    with pytest.raises(PermissionDenied):
        view(request)
    request.user = coordinator
    assert view(request).status_code == 200
    assert getattr(view, "maillage_permission") == "members.view"  # noqa: B009
