"""factory-boy factories shared by the whole suite."""

from __future__ import annotations

from typing import Any

import factory

from cpts.models import User
from cpts.roles import Role
from cpts.services.accounts import create_account
from members.models import College, Member, Profession
from members.models.members import MemberStatus, OrganisationKind
from members.models.reference import MemberKind

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


class CollegeFactory(factory.django.DjangoModelFactory[College]):
    class Meta:
        model = College
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Collège {n}")
    code = factory.Sequence(lambda n: f"college-{n}")


class MemberFactory(factory.django.DjangoModelFactory[Member]):
    """A practising person, active, in the demo territory's first commune."""

    class Meta:
        model = Member

    kind = MemberKind.PERSON
    last_name = factory.Faker("last_name", locale="fr_FR")
    first_name = factory.Faker("first_name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"membre{n}@exemple.fr")
    profession = factory.LazyFunction(lambda: Profession.objects.get(code="medecin_generaliste"))
    status = MemberStatus.ACTIVE


class OrganisationFactory(factory.django.DjangoModelFactory[Member]):
    """An MSP, active."""

    class Meta:
        model = Member

    kind = MemberKind.ORGANISATION
    organisation_name = factory.Sequence(lambda n: f"Maison de santé n° {n}")
    organisation_kind = OrganisationKind.MSP
    email = factory.Sequence(lambda n: f"structure{n}@exemple.fr")
    status = MemberStatus.ACTIVE
