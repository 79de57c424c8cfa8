"""factory-boy factories shared by the whole suite."""

from __future__ import annotations

from datetime import date
from typing import Any

import factory

from cpts.models import User
from cpts.permissions import forget_roles
from cpts.roles import Role
from cpts.services.accounts import create_account
from governance.models import Body, BodyKind, Mandate, MandateRole
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
        user = create_account(password=password, **kwargs)
        if roles:
            give_roles_through_mandates(user, roles)
        return user


# The mandate that grants each registry role (body kind, mandate role).
MANDATE_FOR_ROLE: dict[Role, tuple[str, str]] = {
    Role.PRESIDENT: (BodyKind.BUREAU, MandateRole.PRESIDENT),
    Role.TRESORIER: (BodyKind.BUREAU, MandateRole.TRESORIER),
    Role.SECRETAIRE: (BodyKind.BUREAU, MandateRole.SECRETAIRE),
    Role.MEMBRE_BUREAU: (BodyKind.BUREAU, MandateRole.MEMBRE),
    Role.ADMINISTRATEUR: (BodyKind.CA, MandateRole.ADMINISTRATEUR),
    Role.REFERENT: (BodyKind.GROUP, MandateRole.REFERENT),
}
MANDATES_SINCE = date(2020, 1, 1)


def give_roles_through_mandates(user: User, roles: list[Role]) -> Member:
    """Roles come from mandates: give ``user`` a member record (if it has none) and a running
    mandate for each role. A référent leads a working group of their own."""
    member = Member.objects.filter(user=user).first() or MemberFactory.create(
        user=user,
        email=user.email,
        first_name=user.first_name or "Prénom",
        last_name=user.last_name or "Nom",
    )
    for role in roles:
        if role in (Role.ADHERENT, Role.COORDINATEUR):
            continue
        kind, mandate_role = MANDATE_FOR_ROLE[role]
        if kind == BodyKind.GROUP:
            body = Body.objects.create(
                kind=kind, name=f"Groupe de {member.display_name} ({member.pk})"
            )
        else:
            body = Body.objects.get_or_create(kind=kind, defaults={"name": BodyKind(kind).label})[0]
        Mandate.objects.create(
            member=member, body=body, role=mandate_role, start_date=MANDATES_SINCE
        )
    forget_roles(user)
    return member


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
