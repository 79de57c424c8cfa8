"""The member services, called directly: create, update, departure and reactivation, merge,
anonymisation, and their refusals."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from cpts.models import Commune
from members.models import (
    Adhesion,
    FeeRule,
    Member,
    MemberEmail,
    MembershipRequest,
    Payment,
    PracticeSite,
    Profession,
)
from members.models.adhesions import PaymentMethod
from members.models.members import MemberStatus, PracticeMode, StructureKind
from members.models.reference import MemberKind
from members.services.adhesions import ensure_adhesion, record_payment
from members.services.anonymisation import anonymise_member
from members.services.members import (
    create_member,
    depart_member,
    reactivate_member,
    update_member,
)
from members.services.merging import merge_members
from tests.factories import CollegeFactory, MemberFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = timezone.localdate()


def _gp() -> Profession:
    return Profession.objects.get(code="medecin_generaliste")


def _commune(code: str = "34079") -> Commune:
    return Commune.objects.get(insee_code=code)


def _person(**extra):
    data = {
        "kind": MemberKind.PERSON,
        "last_name": "Martin",
        "first_name": "Claire",
        "profession": _gp(),
        "email": "claire.martin@exemple.fr",
        "rpps": "10001234567",
    }
    return {**data, **extra}


@pytest.fixture
def fees():
    for year in (2025, 2026):
        FeeRule.objects.create(year=year, amount=D("20.00"))


# --- create and update ------------------------------------------------------------------


def test_create_a_person_with_sites_proposes_a_college():
    CollegeFactory.create(
        name="Structures", code="structures", position=0, eligible_kinds=["structure"]
    )
    liberaux = CollegeFactory.create(
        name="Libéraux", code="liberaux", position=1, eligible_kinds=["personne"]
    )
    sites = [
        {"commune": _commune(), "practice_mode": PracticeMode.LIBERAL},
        {
            "commune": _commune("34142"),
            "structure_kind": StructureKind.MSP,
            "is_primary": True,
        },
    ]
    member = create_member(_person(), sites)
    assert member.college == liberaux
    assert member.status == MemberStatus.ACTIVE
    primary = member.sites.get(is_primary=True)
    assert primary.commune.insee_code == "34142"
    assert member.sites.count() == 2
    assert LogEntry.objects.get_for_object(member).filter(action=LogEntry.Action.CREATE).exists()


def test_create_an_organisation_drops_person_fields():
    member = create_member(
        {
            "kind": MemberKind.ORGANISATION,
            "organisation_name": "MSP du Lac",
            "organisation_kind": "msp",
            "siret": "73282932000074",
            "rpps": "10001234567",
            "last_name": "Oubli",
        }
    )
    member.refresh_from_db()
    assert (member.rpps, member.last_name, member.siret) == ("", "", "73282932000074")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"last_name": ""}, "last_name", "Indiquez le nom"),
        ({"profession": None}, "profession", "Indiquez la profession"),
        ({"rpps": "123"}, "rpps", "11 chiffres"),
        ({"postal_code": "75001", "commune": "34079"}, "postal_code", "ne correspond pas"),
    ],
)
def test_create_refusals_name_the_field(data, field, message):
    if data.get("commune"):
        data["commune"] = _commune(data["commune"])
    with pytest.raises(ValidationError) as info:
        create_member(_person(**data))
    assert message in " ".join(info.value.message_dict[field])
    assert not Member.objects.exists()


def test_an_organisation_needs_a_name_and_a_kind():
    with pytest.raises(ValidationError) as info:
        create_member({"kind": MemberKind.ORGANISATION})
    assert set(info.value.message_dict) == {"organisation_name", "organisation_kind"}


def test_identifiers_already_used_are_refused_in_french_naming_the_member():
    other = MemberFactory.create(email="Claire.Martin@exemple.fr", rpps="10001234567")
    with pytest.raises(ValidationError) as info:
        create_member(_person())
    errors = info.value.message_dict
    assert f"n° {other.pk}" in errors["email"][0]
    assert "déjà utilisé par le membre" in errors["rpps"][0]
    structure = OrganisationFactory.create(siret="73282932000074")
    with pytest.raises(ValidationError) as info:
        create_member(
            {
                "kind": MemberKind.ORGANISATION,
                "organisation_name": "Autre",
                "organisation_kind": "cds",
                "siret": "73282932000074",
            }
        )
    assert structure.display_name in info.value.message_dict["siret"][0]


def test_a_college_that_does_not_admit_the_member_is_refused():
    structures = CollegeFactory.create(name="Structures", code="s", eligible_kinds=["structure"])
    with pytest.raises(ValidationError) as info:
        create_member(_person(college=structures))
    assert "n'admet pas" in info.value.message_dict["college"][0]


def test_update_replaces_sites_and_keeps_ids():
    member = create_member(_person(), [{"commune": _commune()}, {"commune": _commune("34142")}])
    first, second = member.sites.order_by("pk")
    update_member(
        member,
        {"phone": "04 67 00 00 00", "email": "nouvelle@exemple.fr"},
        [{"id": second.pk, "commune": _commune("34142"), "is_primary": True}],
    )
    member.refresh_from_db()
    assert member.email == "nouvelle@exemple.fr"
    assert list(member.sites.values_list("pk", "is_primary")) == [(second.pk, True)]
    assert not PracticeSite.objects.filter(pk=first.pk).exists()


def test_update_refuses_two_primary_sites_and_foreign_sites():
    member = create_member(_person())
    with pytest.raises(ValidationError, match="Un seul lieu"):
        update_member(
            member,
            {},
            [
                {"commune": _commune(), "is_primary": True},
                {"commune": _commune(), "is_primary": True},
            ],
        )
    foreign = create_member(
        _person(email="b@exemple.fr", rpps="", last_name="B"), [{"commune": _commune()}]
    )
    with pytest.raises(ValidationError, match="n'appartient pas"):
        update_member(member, {}, [{"id": foreign.sites.get().pk, "commune": _commune()}])
    assert member.sites.count() == 0


# --- departure and reactivation ---------------------------------------------------------


def test_depart_then_reactivate():
    member = MemberFactory.create(joined_on=datetime.date(2020, 1, 1))
    depart_member(member, TODAY, "Départ à la retraite")
    member.refresh_from_db()
    assert (member.status, member.departed_on, member.departure_reason) == (
        MemberStatus.DEPARTED,
        TODAY,
        "Départ à la retraite",
    )
    with pytest.raises(ValidationError, match="déjà parti"):
        depart_member(member, TODAY, "encore")
    reactivate_member(member)
    member.refresh_from_db()
    assert (member.status, member.departed_on, member.departure_reason) == (
        MemberStatus.ACTIVE,
        None,
        "",
    )
    with pytest.raises(ValidationError, match="Seul un membre parti"):
        reactivate_member(member)


@pytest.mark.parametrize(
    ("on", "reason", "field", "message"),
    [
        (TODAY + datetime.timedelta(days=1), "Démission", "departed_on", "dans le futur"),
        (datetime.date(2019, 12, 31), "Démission", "departed_on", "précéder la date d'adhésion"),
        (TODAY, "  ", "departure_reason", "Indiquez le motif"),
    ],
)
def test_depart_refusals(on, reason, field, message):
    member = MemberFactory.create(joined_on=datetime.date(2020, 1, 1))
    with pytest.raises(ValidationError) as info:
        depart_member(member, on, reason)
    assert message in info.value.message_dict[field][0]
    member.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE


# --- merge --------------------------------------------------------------------------------


def test_merge_moves_everything_and_keeps_the_removed_record(fees):
    account = UserFactory.create(email="compte@exemple.fr")
    keep = MemberFactory.create(phone="", rpps="")
    remove = MemberFactory.create(
        phone="04 67 11 22 33",
        rpps="10009876543",
        user=account,
        joined_on=datetime.date(2019, 5, 1),
    )
    PracticeSite.objects.create(member=keep, commune=_commune(), is_primary=True)
    PracticeSite.objects.create(member=remove, commune=_commune("34142"), is_primary=True)
    MemberEmail.objects.create(member=remove, kind="relance", subject="Relance")
    request = MembershipRequest.objects.create(last_name="X", email="x@exemple.fr", member=remove)
    paid_2025 = ensure_adhesion(remove, 2025)
    record_payment(paid_2025, amount=D("20"), method=PaymentMethod.CHEQUE, paid_on=TODAY)
    empty_keep_2026 = ensure_adhesion(keep, 2026)
    paid_remove_2026 = ensure_adhesion(remove, 2026)
    record_payment(paid_remove_2026, amount=D("20"), method=PaymentMethod.VIREMENT, paid_on=TODAY)

    merge_members(keep, remove)

    keep.refresh_from_db()
    remove.refresh_from_db()
    assert set(keep.adhesions.values_list("year", flat=True)) == {2025, 2026}
    assert keep.adhesions.get(year=2026).pk == paid_remove_2026.pk
    assert not Adhesion.objects.filter(pk=empty_keep_2026.pk).exists()
    assert Payment.objects.filter(adhesion__member=keep).count() == 2
    assert keep.sites.count() == 2 and keep.sites.filter(is_primary=True).count() == 1
    assert keep.emails_sent.count() == 1
    request.refresh_from_db()
    assert request.member == keep
    assert keep.user == account and remove.user is None
    assert (keep.phone, keep.rpps, keep.joined_on) == (
        "04 67 11 22 33",
        "10009876543",
        datetime.date(2019, 5, 1),
    )
    assert remove.status == MemberStatus.DEPARTED and remove.merged_into == keep
    assert remove.departure_reason.startswith("Fusionné avec")
    assert remove.rpps == ""


def test_merge_drops_the_unpaid_twin_of_the_removed_member(fees):
    keep, remove = MemberFactory.create(), MemberFactory.create()
    kept = ensure_adhesion(keep, 2026)
    record_payment(kept, amount=D("20"), method=PaymentMethod.CHEQUE, paid_on=TODAY)
    dropped = ensure_adhesion(remove, 2026)
    merge_members(keep, remove)
    assert list(keep.adhesions.values_list("pk", flat=True)) == [kept.pk]
    assert not Adhesion.objects.filter(pk=dropped.pk).exists()


def test_merge_refuses_when_both_paid_the_same_year(fees):
    keep, remove = MemberFactory.create(), MemberFactory.create()
    for member in (keep, remove):
        adhesion = ensure_adhesion(member, 2026)
        record_payment(adhesion, amount=D("20"), method=PaymentMethod.CHEQUE, paid_on=TODAY)
    with pytest.raises(
        ValidationError, match="Les deux membres ont des paiements pour l'adhésion 2026"
    ):
        merge_members(keep, remove)
    remove.refresh_from_db()
    assert remove.status == MemberStatus.ACTIVE and remove.adhesions.count() == 1


def test_merge_refusals():
    person, structure = MemberFactory.create(), OrganisationFactory.create()
    with pytest.raises(ValidationError, match="lui-même"):
        merge_members(person, person)
    with pytest.raises(ValidationError, match="personne et une structure"):
        merge_members(person, structure)
    other = MemberFactory.create()
    merge_members(person, other)
    with pytest.raises(ValidationError, match="déjà été fusionné"):
        merge_members(person, other)


# --- anonymisation ------------------------------------------------------------------------


def test_anonymise_only_a_departed_member():
    member = MemberFactory.create()
    with pytest.raises(ValidationError, match="Seul un membre parti"):
        anonymise_member(member)
    member.refresh_from_db()
    assert member.anonymised_at is None


def test_anonymise_removes_identity_and_keeps_finances(fees):
    account = UserFactory.create(email="parti@exemple.fr")
    member = MemberFactory.create(
        last_name="Durand",
        first_name="Paul",
        email="paul.durand@exemple.fr",
        phone="04 67 00 00 00",
        rpps="10001112223",
        adeli="341234567",
        address="1 rue du Port",
        commune=_commune(),
        user=account,
        directory_listed=True,
        directory_show_email=True,
    )
    PracticeSite.objects.create(member=member, commune=_commune(), address="2 rue Haute")
    adhesion = ensure_adhesion(member, 2026)
    record_payment(adhesion, amount=D("20"), method=PaymentMethod.CHEQUE, paid_on=TODAY)
    depart_member(member, TODAY, "Déménagement")
    anonymise_member(member)

    member.refresh_from_db()
    account.refresh_from_db()
    assert member.last_name == f"Membre anonymisé n° {member.pk}"
    assert (member.first_name, member.email, member.phone, member.rpps, member.adeli) == ("",) * 5
    assert member.address == "" and member.commune is None and member.user is None
    assert not member.directory_listed and not member.directory_show_email
    assert member.anonymised_at is not None
    assert member.profession == _gp() and member.status == MemberStatus.DEPARTED
    assert not member.sites.exists()
    assert not account.is_active
    assert Payment.objects.filter(adhesion__member=member).count() == 1
    history = " ".join(str(e.changes) + e.object_repr for e in LogEntry.objects.all())
    assert "Durand" not in history and "paul.durand" not in history and "rue Haute" not in history
    with pytest.raises(ValidationError, match="déjà anonymisé"):
        anonymise_member(member)
    with pytest.raises(ValidationError, match="anonymisé ne peut pas être réactivé"):
        reactivate_member(member)
    with pytest.raises(ValidationError, match="anonymisé ne peut plus être modifié"):
        update_member(member, {"last_name": "Retour"})


def test_anonymise_an_organisation_renames_it():
    structure = OrganisationFactory.create(siret="73282932000074", finess="340000000")
    depart_member(structure, TODAY, "Fermeture")
    anonymise_member(structure)
    structure.refresh_from_db()
    assert structure.organisation_name == f"Membre anonymisé n° {structure.pk}"
    assert (structure.siret, structure.finess) == ("", "")


def test_merge_takes_the_postal_address_as_a_whole():
    keep = MemberFactory.create(postal_code="34800")
    remove = MemberFactory.create(address="3 place du Marché", postal_code="34700")
    remove.commune = _commune("34142")
    remove.save()
    merge_members(keep, remove)
    keep.refresh_from_db()
    assert (keep.address, keep.postal_code, keep.commune) == ("", "34800", None)
    empty = MemberFactory.create()
    other = MemberFactory.create(
        address="1 rue Basse", postal_code="34700", commune=_commune("34142")
    )
    merge_members(empty, other)
    empty.refresh_from_db()
    assert (empty.address, empty.postal_code, empty.commune_id) == (
        "1 rue Basse",
        "34700",
        other.commune_id,
    )
