"""Suite-wide fixtures: the commune reference table (loaded once per run, as in production),
and one user per persona of the access matrix."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from cpts.models import Association, Commune, User
from cpts.roles import Role
from cpts.services.territory import add_communes
from members.models import Profession
from missions.catalogue import ensure_catalogue
from tests.factories import UserFactory

# The demo CPTS's core communes: Clermont-l'Hérault, Lodève, Gignac (Hérault).
DEMO_CODES = ["34079", "34142", "34114"]

PERSONAS = ["anonymous", "adherent", "referent", "tresorier", "president", "coordinator"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """Load the commune reference table once into the test database."""
    with django_db_blocker.unblock():
        call_command("load_communes", verbosity=0)


def ensure_reference_data() -> None:
    """Communes and professions, emptied by an earlier transactional test's flush (the
    professions come from a data migration, the communes from load_communes)."""
    if not Commune.objects.exists():
        call_command("load_communes", verbosity=0)
    if not Profession.objects.exists():
        call_command("load_professions", verbosity=0)
    ensure_catalogue()


@pytest.fixture
def association(db: None) -> Association:
    ensure_reference_data()
    association = Association.objects.get_solo()
    association.name = "CPTS du Cœur d'Hérault"
    association.save()
    add_communes(association, DEMO_CODES)
    return association


@pytest.fixture
def coordinator(db: None) -> User:
    return UserFactory.create(email="coordination@exemple.fr", is_staff=True)


@pytest.fixture
def president(db: None) -> User:
    return UserFactory.create(email="presidence@exemple.fr", roles=[Role.PRESIDENT])


@pytest.fixture
def tresorier(db: None) -> User:
    return UserFactory.create(email="tresorerie@exemple.fr", roles=[Role.TRESORIER])


@pytest.fixture
def referent(db: None) -> User:
    return UserFactory.create(email="referent@exemple.fr", roles=[Role.REFERENT])


@pytest.fixture
def adherent(db: None) -> User:
    return UserFactory.create(email="adherent@exemple.fr")


@pytest.fixture
def personas(
    adherent: User, referent: User, tresorier: User, president: User, coordinator: User
) -> dict[str, User | None]:
    return {
        "anonymous": None,
        "adherent": adherent,
        "referent": referent,
        "tresorier": tresorier,
        "president": president,
        "coordinator": coordinator,
    }


@pytest.fixture(autouse=True)
def _celery_eager() -> Any:
    """Run tasks in-process in every test, even when REDIS_URL points Celery at a broker (CI):
    only the real-worker integration test switches this off, with its own fixture."""
    from cpts.celery import app as celery_app

    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: with REDIS_URL (CI) the cache outlives the test and
    the run, and allauth keeps its e-mail confirmation cooldown there, so a second run within
    three minutes would see no confirmation sent."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Generated files and uploads go to a throw-away folder, never the repository's media/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
