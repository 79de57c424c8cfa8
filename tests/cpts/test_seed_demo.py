from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from auditlog.models import LogEntry
from django.core.management import call_command
from stdnum.fr import siret

from cpts.models import Association, Commune, TerritoryCommune, User
from cpts.permissions import roles_of, user_can
from cpts.roles import Role
from cpts.services import demo
from cpts.services.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_URL
from governance.models import Mandate

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "mandates": Mandate.objects.count(),
        "addresses": EmailAddress.objects.count(),
        "territory": TerritoryCommune.objects.count(),
        "communes": Commune.objects.count(),
        "audit": LogEntry.objects.count(),
    }


def test_seed_twice_changes_nothing():
    first_output = _seed()
    after_first = _counts()
    association = Association.objects.get_solo()
    updated_at = association.updated_at
    second_output = _seed()

    assert _counts() == after_first
    assert Association.objects.get_solo().updated_at == updated_at
    # The demo accounts, and the former treasurer's, without a password, who approved the
    # claims of her time (claims/demo_history.py).
    assert after_first["users"] == len(DEMO_ACCOUNTS) + 1
    assert after_first["mandates"] > 0
    assert "Compte créé : coordination@cpts-demo.fr." in first_output
    assert "Compte créé" not in second_output
    assert "rien à changer" in second_output


def test_association_identity_and_territory():
    output = _seed()
    association = Association.objects.get_solo()
    assert association.name == "CPTS du Cœur d'Hérault"
    assert association.short_name == "CPTS Cœur d'Hérault"
    assert siret.is_valid(association.siret)
    assert association.finess_juridique.startswith("34")
    assert association.finess_geographique.startswith("34")
    assert (association.postal_code, association.city) == ("34800", "Clermont-l'Hérault")
    assert association.email == "contact@cpts-demo.fr"
    assert association.phone.startswith("04 67")
    association.full_clean()

    communes = Commune.objects.filter(territory_links__association=association)
    expected = Commune.objects.filter(epci_siren__in=["243400355", "200017341", "243400694"])
    assert set(communes.values_list("insee_code", flat=True)) == set(
        expected.values_list("insee_code", flat=True)
    )
    assert {"34079", "34142", "34114"} <= set(communes.values_list("insee_code", flat=True))
    population = sum(expected.values_list("population", flat=True))
    assert population > 80_000  # the three EPCI together make a taille 3 CPTS
    assert "Taille 3" in output
    assert f"{communes.count()} communes" in output
    # Each commune addition went through the audited service.
    assert LogEntry.objects.get_for_model(TerritoryCommune).count() == communes.count()


def test_demo_accounts_log_in_with_their_roles(client):
    _seed()
    for account in DEMO_ACCOUNTS:
        assert client.login(email=account.email, password=DEMO_PASSWORD), account.email
        client.logout()
        user = User.objects.get(email=account.email)
        assert EmailAddress.objects.get(user=user).verified
    coordinator = User.objects.get(email="coordination@cpts-demo.fr")
    assert coordinator.is_staff and not coordinator.is_superuser
    assert Role.COORDINATEUR in roles_of(coordinator)
    # Roles come from the mandates the governance demo data records, as printed.
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(email=account.email)
        assert set(account.roles) <= roles_of(user), account.email
    assert user_can(User.objects.get(email="presidence@cpts-demo.fr"), "governance.manage")
    assert user_can(User.objects.get(email="tresorerie@cpts-demo.fr"), "finance.approve")
    assert user_can(User.objects.get(email="referent@cpts-demo.fr"), "groups.lead")
    adherent = User.objects.get(email="adherent@cpts-demo.fr")
    assert roles_of(adherent) == {Role.ADHERENT}
    assert not user_can(adherent, "backoffice.view")


def test_output_lists_url_logins_and_password():
    output = _seed()
    assert DEMO_URL in output
    assert f"Mot de passe de tous ces comptes : {DEMO_PASSWORD}" in output
    for account in DEMO_ACCOUNTS:
        line = next(line for line in output.splitlines() if line.startswith(f"  {account.email}"))
        assert account.role_label in line
    assert "Coordinateur·rice (Camille Roux)" in output


def test_a_tampered_demo_account_is_restored():
    _seed()
    user = User.objects.get(email="presidence@cpts-demo.fr")
    user.is_active = False
    user.set_password("autre-chose-2026")
    user.save()
    EmailAddress.objects.filter(user=user).update(verified=False)

    output = _seed()

    user.refresh_from_db()
    assert user.is_active and user.check_password(DEMO_PASSWORD)
    assert Role.PRESIDENT in roles_of(user)  # through the Bureau mandate, untouched
    assert EmailAddress.objects.get(user=user).verified
    assert "Compte remis en état de démonstration : presidence@cpts-demo.fr." in output


def test_an_empty_commune_table_is_loaded_first():
    Commune.objects.all().delete()
    _seed()
    assert Commune.objects.count() > 30_000
    assert TerritoryCommune.objects.count() > 0


def test_a_failing_step_leaves_nothing_half_written(monkeypatch):
    def broken_step(context: demo.DemoContext) -> None:
        raise RuntimeError("panne simulée")

    monkeypatch.setattr(demo, "DEMO_STEPS", [*demo.DEMO_STEPS, broken_step])
    with pytest.raises(RuntimeError):
        _seed()
    assert not User.objects.exists()
    assert not TerritoryCommune.objects.exists()
    assert Association.objects.get_solo().name != "CPTS du Cœur d'Hérault"
