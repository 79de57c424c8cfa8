"""factory-boy factories shared by the whole suite."""

from __future__ import annotations

from typing import Any

import factory

from cpts.models import User
from cpts.roles import Role
from cpts.services.accounts import create_account

PASSWORD = "maillage-test-2026"


class UserFactory(factory.django.DjangoModelFactory[User]):
    """A user with a verified primary address, created through the accounts service."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    is_staff = False

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        roles: list[Role] = kwargs.pop("roles", [])
        password = kwargs.pop("password", PASSWORD)
        return create_account(password=password, roles=roles, **kwargs)
