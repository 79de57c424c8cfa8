"""Detection of possible duplicates: same RPPS, same email (contact or account address), same
name and profession; merged and anonymised members are left out."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Member, Profession
from members.models.reference import MemberKind
from members.selectors.duplicates import duplicate_groups, possible_duplicates
from members.services.merging import merge_members
from tests.factories import MemberFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _nurse() -> Profession:
    return Profession.objects.get(code="infirmier")


def test_same_name_and_profession_ignoring_case_and_spaces():
    first = MemberFactory.create(last_name="Dupont", first_name="Jean")
    second = MemberFactory.create(last_name=" DUPONT", first_name="jean ")
    MemberFactory.create(last_name="Dupont", first_name="Jean", profession=_nurse())
    MemberFactory.create(last_name="Dupont", first_name="Jeanne")
    groups = duplicate_groups()
    assert [(g.reason, [m.pk for m in g.members]) for g in groups] == [
        ("name", [first.pk, second.pk])
    ]
    assert groups[0].reason_label == "même nom et même profession"
    assert [d.member for d in possible_duplicates(first)] == [second]
    assert possible_duplicates(first)[0].reasons == ["name"]


def test_same_email_between_a_contact_address_and_an_account():
    account = UserFactory.create(email="j.roux@exemple.fr")
    with_account = MemberFactory.create(email="autre@exemple.fr", user=account)
    with_contact = MemberFactory.create(email="J.Roux@exemple.fr")
    groups = duplicate_groups()
    assert [(g.reason, g.key, {m.pk for m in g.members}) for g in groups] == [
        ("email", "j.roux@exemple.fr", {with_account.pk, with_contact.pk})
    ]
    found = possible_duplicates(with_contact)
    assert [(d.member, d.reasons) for d in found] == [(with_account, ["email"])]


def test_an_unsaved_candidate_is_checked_against_the_base():
    existing = MemberFactory.create(rpps="10001234567", email="deja@exemple.fr")
    candidate = Member(kind=MemberKind.PERSON, last_name="Autre", rpps="10001234567")
    assert [(d.member, d.reasons) for d in possible_duplicates(candidate)] == [(existing, ["rpps"])]
    by_email = Member(kind=MemberKind.PERSON, last_name="Autre", email="DEJA@exemple.fr")
    assert [d.reasons for d in possible_duplicates(by_email)] == [["email"]]
    assert possible_duplicates(Member(kind=MemberKind.PERSON, last_name="Seul")) == []


def test_organisations_are_not_matched_on_names():
    OrganisationFactory.create(organisation_name="MSP du Lac")
    OrganisationFactory.create(organisation_name="MSP du Lac")
    assert duplicate_groups() == []


def test_merged_members_are_no_longer_duplicates():
    keep = MemberFactory.create(last_name="Bernard", first_name="Luc")
    remove = MemberFactory.create(last_name="Bernard", first_name="Luc")
    assert len(duplicate_groups()) == 1
    merge_members(keep, remove)
    assert duplicate_groups() == []
    assert possible_duplicates(keep) == []


def _count_queries() -> int:
    with CaptureQueriesContext(connection) as queries:
        groups = duplicate_groups()
        for group in groups:
            for member in group.members:
                str(member.profession)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_groups():
    account = UserFactory.create(email="a0@exemple.fr")
    MemberFactory.create(email="x0@exemple.fr", user=account)
    MemberFactory.create(email="a0@exemple.fr")
    MemberFactory.create(last_name="Petit", first_name="Ana")
    MemberFactory.create(last_name="Petit", first_name="Ana")
    few = _count_queries()
    for index in range(1, 5):
        account = UserFactory.create(email=f"a{index}@exemple.fr")
        MemberFactory.create(email=f"x{index}@exemple.fr", user=account)
        MemberFactory.create(email=f"a{index}@exemple.fr")
        MemberFactory.create(last_name=f"Nom{index}", first_name="Ana")
        MemberFactory.create(last_name=f"Nom{index}", first_name="Ana", profession=None)
        MemberFactory.create(last_name=f"Nom{index}", first_name="Ana")
    assert len(duplicate_groups()) == 10
    assert _count_queries() == few


def test_accented_names_are_matched():
    first = MemberFactory.create(last_name="Évrard", first_name="Élodie")
    second = MemberFactory.create(last_name="Évrard ", first_name="Élodie")
    assert [d.member for d in possible_duplicates(first)] == [second]
    assert [m.pk for m in duplicate_groups()[0].members] == [first.pk, second.pk]
