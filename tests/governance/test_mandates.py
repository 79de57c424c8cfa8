"""The statutory rules of mandates (governance.services.mandates), one by one."""

from __future__ import annotations

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from governance.models import Body, BodyKind, Mandate, MandateRole
from governance.services.bodies import ensure_core_bodies
from governance.services.mandates import (
    create_mandate,
    end_mandate,
    update_mandate,
    validate_mandate,
)
from members.models import College
from members.models.members import MemberStatus
from tests.factories import CollegeFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

D = date


@pytest.fixture
def bodies(association):
    return ensure_core_bodies()


@pytest.fixture
def ca(bodies):
    return bodies[BodyKind.CA]


@pytest.fixture
def bureau(bodies):
    return bodies[BodyKind.BUREAU]


@pytest.fixture
def liberaux():
    return CollegeFactory.create(name="Libéraux de santé", code="liberaux", ca_seats=2)


@pytest.fixture
def group(association):
    return Body.objects.create(kind=BodyKind.GROUP, name="Soins non programmés")


def messages_of(error: pytest.ExceptionInfo[ValidationError], field: str) -> str:
    return " ".join(error.value.message_dict[field])


def test_a_mandate_is_created_for_an_active_member(bureau):
    member = MemberFactory.create()
    mandate = create_mandate(
        member=member, body=bureau, role=MandateRole.TRESORIER, start_date=D(2026, 1, 1)
    )
    assert mandate.pk and mandate.end_date is None


def test_an_inactive_member_gets_no_mandate(bureau):
    member = MemberFactory.create(status=MemberStatus.CANDIDATE)
    with pytest.raises(ValidationError) as error:
        create_mandate(
            member=member, body=bureau, role=MandateRole.MEMBRE, start_date=D(2026, 1, 1)
        )
    assert messages_of(error, "member") == "Seul un membre actif peut recevoir un mandat."
    assert not Mandate.objects.exists()


def test_the_end_cannot_precede_the_start(bureau):
    with pytest.raises(ValidationError) as error:
        create_mandate(
            member=MemberFactory.create(),
            body=bureau,
            role=MandateRole.MEMBRE,
            start_date=D(2026, 3, 1),
            end_date=D(2026, 2, 28),
        )
    assert "ne peut pas précéder son début" in messages_of(error, "end_date")


def test_a_mandate_may_last_a_single_day(bureau):
    mandate = create_mandate(
        member=MemberFactory.create(),
        body=bureau,
        role=MandateRole.MEMBRE,
        start_date=D(2026, 3, 1),
        end_date=D(2026, 3, 1),
    )
    assert mandate.is_active_on(D(2026, 3, 1))


def test_one_member_holds_one_mandate_at_a_time_in_a_body(group):
    member = MemberFactory.create()
    create_mandate(member=member, body=group, role=MandateRole.MEMBRE, start_date=D(2025, 1, 1))
    with pytest.raises(ValidationError) as error:
        create_mandate(
            member=member, body=group, role=MandateRole.REFERENT, start_date=D(2026, 1, 1)
        )
    assert "a déjà un mandat de membre dans cette instance depuis le 01/01/2025" in messages_of(
        error, "member"
    )


def test_unique_roles_overlap_on_the_boundary_day_is_refused(bureau):
    first = MemberFactory.create(first_name="Anne", last_name="Martin")
    create_mandate(
        member=first,
        body=bureau,
        role=MandateRole.TRESORIER,
        start_date=D(2023, 7, 1),
        end_date=D(2026, 6, 30),
    )
    second = MemberFactory.create()
    with pytest.raises(ValidationError) as error:
        create_mandate(
            member=second, body=bureau, role=MandateRole.TRESORIER, start_date=D(2026, 6, 30)
        )
    message = messages_of(error, "role")
    assert "trésorier·e" in message
    assert "Anne MARTIN" in message and "du 01/07/2023 au 30/06/2026" in message
    # The day after is free.
    create_mandate(member=second, body=bureau, role=MandateRole.TRESORIER, start_date=D(2026, 7, 1))


def test_unique_roles_are_per_body_but_administrators_are_many(bureau, ca):
    create_mandate(
        member=MemberFactory.create(),
        body=bureau,
        role=MandateRole.SECRETAIRE,
        start_date=D(2026, 1, 1),
    )
    create_mandate(
        member=MemberFactory.create(),
        body=ca,
        role=MandateRole.SECRETAIRE,
        start_date=D(2026, 1, 1),
    )
    for _ in range(3):
        create_mandate(
            member=MemberFactory.create(),
            body=ca,
            role=MandateRole.ADMINISTRATEUR,
            start_date=D(2026, 1, 1),
        )
    assert Mandate.objects.count() == 5


def test_no_two_presidents_at_once_across_bureau_and_ca(bureau, ca):
    president = MemberFactory.create(first_name="Jeanne", last_name="Roux")
    create_mandate(
        member=president, body=bureau, role=MandateRole.PRESIDENT, start_date=D(2025, 1, 1)
    )
    # The same person may chair the CA too.
    create_mandate(member=president, body=ca, role=MandateRole.PRESIDENT, start_date=D(2025, 1, 1))
    other = MemberFactory.create()
    Mandate.objects.filter(body=ca).delete()
    with pytest.raises(ValidationError) as error:
        create_mandate(member=other, body=ca, role=MandateRole.PRESIDENT, start_date=D(2026, 1, 1))
    message = messages_of(error, "role")
    assert "qu'un·e président·e à la fois" in message and "Jeanne ROUX" in message


def test_seats_of_a_college_exactly_full_then_refused(ca, liberaux):
    for _ in range(2):
        create_mandate(
            member=MemberFactory.create(),
            body=ca,
            role=MandateRole.ADMINISTRATEUR,
            college=liberaux,
            start_date=D(2025, 7, 1),
        )
    assert Mandate.objects.filter(college=liberaux).count() == 2  # exactly full is fine
    with pytest.raises(ValidationError) as error:
        create_mandate(
            member=MemberFactory.create(),
            body=ca,
            role=MandateRole.ADMINISTRATEUR,
            college=liberaux,
            start_date=D(2026, 1, 1),
        )
    message = messages_of(error, "college")
    assert "Libéraux de santé" in message and "2 siège(s)" in message


def test_seats_free_again_after_a_mandate_ends(ca, liberaux):
    create_mandate(
        member=MemberFactory.create(),
        body=ca,
        role=MandateRole.ADMINISTRATEUR,
        college=liberaux,
        start_date=D(2023, 7, 1),
        end_date=D(2026, 6, 30),
    )
    create_mandate(
        member=MemberFactory.create(),
        body=ca,
        role=MandateRole.ADMINISTRATEUR,
        college=liberaux,
        start_date=D(2023, 7, 1),
    )
    newcomer = MemberFactory.create()
    with pytest.raises(ValidationError):  # overlaps the leaving one's last day
        create_mandate(
            member=newcomer,
            body=ca,
            role=MandateRole.ADMINISTRATEUR,
            college=liberaux,
            start_date=D(2026, 6, 30),
        )
    create_mandate(
        member=newcomer,
        body=ca,
        role=MandateRole.ADMINISTRATEUR,
        college=liberaux,
        start_date=D(2026, 7, 1),
    )


def test_successive_holders_of_one_seat_do_not_add_up(ca, liberaux):
    for start, end in ((D(2022, 7, 1), D(2025, 6, 30)), (D(2025, 7, 1), None)):
        create_mandate(
            member=MemberFactory.create(),
            body=ca,
            role=MandateRole.ADMINISTRATEUR,
            college=liberaux,
            start_date=start,
            end_date=end,
        )
    # Overlaps both, but only one of them at a time: the second seat is free throughout.
    create_mandate(
        member=MemberFactory.create(),
        body=ca,
        role=MandateRole.ADMINISTRATEUR,
        college=liberaux,
        start_date=D(2024, 1, 1),
    )
    assert Mandate.objects.filter(college=liberaux).count() == 3


def test_a_college_without_seats_refuses(ca, liberaux):
    CollegeFactory.create(name="Usagers", code="usagers", ca_seats=0)
    usagers = College.objects.get(code="usagers")
    with pytest.raises(ValidationError) as error:
        create_mandate(
            member=MemberFactory.create(),
            body=ca,
            role=MandateRole.ADMINISTRATEUR,
            college=usagers,
            start_date=D(2026, 1, 1),
        )
    assert "n'a pas de siège" in messages_of(error, "college")


def test_a_ca_mandate_needs_a_college_when_colleges_have_seats(ca, liberaux):
    with pytest.raises(ValidationError) as error:
        create_mandate(
            member=MemberFactory.create(),
            body=ca,
            role=MandateRole.ADMINISTRATEUR,
            start_date=D(2026, 1, 1),
        )
    assert "Indiquez le collège" in messages_of(error, "college")


def test_college_is_optional_outside_the_ca(bureau, group, liberaux):
    create_mandate(
        member=MemberFactory.create(),
        body=bureau,
        role=MandateRole.MEMBRE,
        start_date=D(2026, 1, 1),
    )
    create_mandate(
        member=MemberFactory.create(), body=group, role=MandateRole.MEMBRE, start_date=D(2026, 1, 1)
    )


def test_a_college_must_admit_the_member(ca):
    structures = CollegeFactory.create(
        name="Structures", code="structures", ca_seats=3, eligible_kinds=["structure"]
    )
    with pytest.raises(ValidationError) as error:
        create_mandate(
            member=MemberFactory.create(),
            body=ca,
            role=MandateRole.ADMINISTRATEUR,
            college=structures,
            start_date=D(2026, 1, 1),
        )
    assert "n'admet pas ce membre" in messages_of(error, "college")


def test_referent_only_in_a_working_group(bureau, group):
    with pytest.raises(ValidationError) as error:
        create_mandate(
            member=MemberFactory.create(),
            body=bureau,
            role=MandateRole.REFERENT,
            start_date=D(2026, 1, 1),
        )
    assert "groupe de travail" in messages_of(error, "role")
    create_mandate(
        member=MemberFactory.create(),
        body=group,
        role=MandateRole.REFERENT,
        start_date=D(2026, 1, 1),
    )


def test_no_mandate_in_the_ag(bodies):
    with pytest.raises(ValidationError) as error:
        create_mandate(
            member=MemberFactory.create(),
            body=bodies[BodyKind.AG],
            role=MandateRole.MEMBRE,
            start_date=D(2026, 1, 1),
        )
    assert "assemblée générale" in messages_of(error, "body")


def test_update_is_validated_against_the_others_but_not_itself(bureau):
    mandate = create_mandate(
        member=MemberFactory.create(),
        body=bureau,
        role=MandateRole.TRESORIER,
        start_date=D(2025, 1, 1),
    )
    update_mandate(mandate, end_date=D(2027, 12, 31), notes="Réélu·e")
    mandate.refresh_from_db()
    assert mandate.end_date == D(2027, 12, 31) and mandate.notes == "Réélu·e"
    other = create_mandate(
        member=MemberFactory.create(),
        body=bureau,
        role=MandateRole.SECRETAIRE,
        start_date=D(2025, 1, 1),
    )
    with pytest.raises(ValidationError):
        update_mandate(other, role=MandateRole.TRESORIER)
    other.refresh_from_db()
    assert other.role == MandateRole.SECRETAIRE
    with pytest.raises(TypeError):
        update_mandate(other, pk=12)


def test_end_mandate_and_its_audit_record(bureau):
    user = UserFactory.create()
    mandate = create_mandate(
        member=MemberFactory.create(),
        body=bureau,
        role=MandateRole.MEMBRE,
        start_date=D(2025, 1, 1),
    )
    end_mandate(mandate, D(2026, 3, 31), by=user)
    mandate.refresh_from_db()
    assert mandate.end_date == D(2026, 3, 31)
    entry = LogEntry.objects.get_for_object(mandate).order_by("-timestamp").first()
    assert entry is not None and entry.actor == user and "end_date" in entry.changes_dict
    with pytest.raises(ValidationError) as error:
        end_mandate(mandate, D(2026, 12, 31))
    assert "déjà pris fin le 31/03/2026" in messages_of(error, "end_date")
    with pytest.raises(ValidationError):
        end_mandate(mandate, D(2024, 12, 31))  # before its start


def test_validate_mandate_reports_missing_fields():
    with pytest.raises(ValidationError) as error:
        validate_mandate(Mandate(role="inconnu"))
    assert set(error.value.message_dict) >= {"member", "body", "role", "start_date"}
