import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from cpts.models import User
from cpts.permissions import user_can

pytestmark = pytest.mark.django_db


def test_creates_a_verified_coordinator(monkeypatch, client):
    monkeypatch.setenv("MAILLAGE_COORDINATOR_PASSWORD", "un-mot-de-passe-solide-2026")
    call_command("create_coordinator", email="Camille@CPTS.fr", first_name="Camille")
    user = User.objects.get(email="camille@cpts.fr")
    assert user.is_staff and not user.is_superuser
    assert user_can(user, "accounts.invite")
    assert EmailAddress.objects.get(user=user).verified
    assert client.login(email="camille@cpts.fr", password="un-mot-de-passe-solide-2026")


def test_refuses_a_weak_password_a_bad_email_and_a_duplicate(monkeypatch, coordinator):
    monkeypatch.setenv("MAILLAGE_COORDINATOR_PASSWORD", "123")
    with pytest.raises(CommandError, match="Mot de passe refusé"):
        call_command("create_coordinator", email="x@cpts.fr")
    with pytest.raises(CommandError, match="Adresse e-mail invalide"):
        call_command("create_coordinator", email="pas-une-adresse")
    with pytest.raises(CommandError, match="existe déjà"):
        call_command("create_coordinator", email=coordinator.email.upper())
    assert not User.objects.filter(email="x@cpts.fr").exists()
