import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.utils import timezone

from cpts.permissions import (
    PERMISSIONS,
    ROLE_PERMISSIONS,
    forget_roles,
    permission_required,
    register_role_holder_provider,
    register_role_provider,
    role_holder_names,
    roles_of,
    user_can,
)
from cpts.roles import Role
from governance.models import Body, BodyKind, Mandate, MandateRole
from members.models.members import MemberStatus
from tests.factories import give_roles_through_mandates

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


def _bureau_mandate(user):
    return Mandate.objects.get(member__user=user, body__kind=BodyKind.BUREAU)


def test_a_treasurer_whose_mandate_ended_yesterday_no_longer_approves(tresorier):
    assert user_can(tresorier, "finance.approve")
    today = timezone.localdate()
    mandate = _bureau_mandate(tresorier)
    mandate.end_date = today
    mandate.save()
    forget_roles(tresorier)
    assert user_can(tresorier, "finance.approve"), "the end date is the mandate's last day"

    mandate.end_date = today - datetime.timedelta(days=1)
    mandate.save()
    forget_roles(tresorier)
    assert not user_can(tresorier, "finance.approve")
    assert not user_can(tresorier, "finance.view")
    assert roles_of(tresorier) == {Role.ADHERENT}


def test_a_mandate_starting_tomorrow_grants_nothing_yet(adherent):
    bureau = Body.objects.get_or_create(kind=BodyKind.BUREAU, defaults={"name": "Bureau"})[0]
    record = give_roles_through_mandates(adherent, [])
    Mandate.objects.create(
        member=record,
        body=bureau,
        role=MandateRole.TRESORIER,
        start_date=timezone.localdate() + datetime.timedelta(days=1),
    )
    forget_roles(adherent)
    assert not user_can(adherent, "finance.approve")


def test_a_departed_member_loses_the_roles_of_their_mandates(president):
    record = president.member
    record.status = MemberStatus.DEPARTED
    record.departed_on = timezone.localdate()
    record.save()
    forget_roles(president)
    assert roles_of(president) == {Role.ADHERENT}


def test_no_role_is_granted_by_hand(adherent):
    from cpts import permissions

    assert set(permissions._core_roles(adherent)) == {Role.ADHERENT}
    adherent.is_staff = True
    assert set(permissions._core_roles(adherent)) == {Role.ADHERENT, Role.COORDINATEUR}


def test_role_holders_come_from_running_mandates(president, tresorier):
    president_record = president.member
    president_record.first_name, president_record.last_name = "Jeanne", "Roux"
    president_record.save()
    treasurer_record = tresorier.member
    treasurer_record.first_name, treasurer_record.last_name = "Paul", "Fabre"
    treasurer_record.save()
    assert role_holder_names(Role.PRESIDENT) == ["Jeanne Roux"]
    assert role_holder_names(Role.TRESORIER) == ["Paul Fabre"]
    assert role_holder_names(Role.COORDINATEUR) == []

    mandate = _bureau_mandate(president)
    mandate.end_date = timezone.localdate() - datetime.timedelta(days=1)
    mandate.save()
    assert role_holder_names(Role.PRESIDENT) == []


def test_a_registered_role_holder_provider_is_asked(db):
    from cpts import permissions

    def provider(role):
        return ["Alex Martin"] if role == Role.SECRETAIRE else []

    register_role_holder_provider(provider)
    try:
        assert role_holder_names(Role.SECRETAIRE) == ["Alex Martin"]
        assert role_holder_names(Role.TRESORIER) == []
    finally:
        permissions._role_holder_providers.remove(provider)


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
