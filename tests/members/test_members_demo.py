"""The member base's demo data (members/demo.py, run by ``seed_demo``): collèges, fee rules,
about 350 realistic members with adhesions, idempotent."""

from __future__ import annotations

import re
from collections import Counter
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.utils import timezone
from stdnum.fr import siret

from cpts.models import Association, User
from members.demo import demo_years
from members.models import Adhesion, College, FeeRule, Member, Payment, PracticeSite, Profession
from members.models.members import MemberStatus
from members.models.reference import MemberKind
from members.selectors.fees import adhesions_with_balance, with_fee_status

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {
        "colleges": College.objects.count(),
        "fee_rules": FeeRule.objects.count(),
        "members": Member.objects.count(),
        "sites": PracticeSite.objects.count(),
        "adhesions": Adhesion.objects.count(),
        "payments": Payment.objects.count(),
        "linked": Member.objects.filter(user__isnull=False).count(),
        "audit": LogEntry.objects.count(),
    }


@pytest.fixture
def seeded() -> str:
    return _seed()


def _years_with_adhesions() -> set[int]:
    """The demo years, plus next year when the demo's next AG falls in it: then most members
    up to date have already renewed for it (``governance.demo_renewals``)."""
    from governance.models import BodyKind, Meeting

    years = set(demo_years())
    next_ag = (
        Meeting.objects.filter(body__kind=BodyKind.AG, starts_at__gte=timezone.now())
        .order_by("starts_at")
        .first()
    )
    if next_ag is not None and timezone.localtime(next_ag.starts_at).year > max(years):
        years.add(max(years) + 1)
    return years


def test_seed_twice_changes_nothing(seeded: str):
    first = _counts()
    second_output = _seed()
    assert _counts() == first
    assert "Membres de démonstration créés" in seeded
    assert "Membres de démonstration créés" not in second_output
    assert "rien à changer" in second_output


def test_expected_counts(seeded: str):
    counts = _counts()
    assert counts["colleges"] == 4
    assert counts["fee_rules"] == 3 * len(_years_with_adhesions())
    assert 340 <= counts["members"] <= 360
    assert counts["linked"] == 5  # four demo accounts and the former treasurer's
    assert counts["sites"] >= counts["members"] - 20  # usagers and some structures have none
    # No audit entry for the bulk demo rows.
    assert not LogEntry.objects.get_for_model(Member).exists()
    assert not LogEntry.objects.get_for_model(Adhesion).exists()


def test_colleges_and_fee_rules(seeded: str):
    colleges = {c.code: c for c in College.objects.all()}
    assert [c.name for c in College.objects.order_by("position")] == [
        "Libéraux de santé",
        "Structures d'exercice coordonné",
        "Établissements et médico-social",
        "Usagers et élus",
    ]
    assert (colleges["liberaux"].is_voting, colleges["liberaux"].ca_seats) == (True, 6)
    assert colleges["exercice-coordonne"].ca_seats == 3
    assert colleges["etablissements"].ca_seats == 3
    assert (colleges["usagers-elus"].is_voting, colleges["usagers-elus"].ca_seats) == (False, 0)
    for year in demo_years():
        rules = FeeRule.objects.filter(year=year)
        assert str(rules.get(member_kind=MemberKind.PERSON).amount) == "20.00"
        assert str(rules.get(member_kind=MemberKind.ORGANISATION).amount) == "50.00"
        assert str(rules.get(college=colleges["usagers-elus"]).amount) == "0.00"
    # Every member fits their collège's eligibility rules.
    for member in Member.objects.select_related("college", "profession"):
        assert member.college is not None
        assert member.college.admits(member.kind, member.profession), member


def test_realistic_mix(seeded: str):
    persons = Member.objects.filter(kind=MemberKind.PERSON)
    professions = Counter(persons.values_list("profession__code", flat=True))
    total = Member.objects.count()
    assert 0.28 <= professions["medecin_generaliste"] / total <= 0.38
    top = [code for code, _ in professions.most_common(5)]
    assert top[:2] == ["medecin_generaliste", "infirmier"]
    assert {"pharmacien", "masseur_kinesitherapeute"} <= set(top)
    assert set(Profession.objects.values_list("code", flat=True)) <= set(professions)
    structures = Member.objects.filter(kind=MemberKind.ORGANISATION)
    assert 20 <= structures.count() <= 30
    assert {"msp", "cds", "ehpad", "ssiad"} <= set(
        structures.values_list("organisation_kind", flat=True)
    )
    for structure in structures:
        assert siret.is_valid(structure.siret)
        assert structure.representative is not None and structure.representative.is_person
    assert Member.objects.filter(status=MemberStatus.ACTIVE).count() == total


def test_identifiers_and_contacts(seeded: str):
    rpps = list(Member.objects.exclude(rpps="").values_list("rpps", flat=True))
    assert len(rpps) > 200
    assert len(set(rpps)) == len(rpps)
    assert all(re.fullmatch(r"[0-9]{11}", value) for value in rpps)
    emails = [e.lower() for e in Member.objects.values_list("email", flat=True)]
    assert all(emails) and len(set(emails)) == len(emails)
    for member in Member.objects.select_related("commune")[:50]:
        member.full_clean()
        assert member.commune is not None
        if member.commune.postal_code_list:
            assert member.postal_code in member.commune.postal_code_list


def test_spread_over_the_territory(seeded: str):
    territory = set(Association.objects.get_solo().communes.values_list("insee_code", flat=True))
    communes = Counter(Member.objects.values_list("commune__insee_code", flat=True))
    assert set(communes) <= territory
    assert len(communes) >= 20
    # Weighted by population: the main towns hold the most members.
    assert communes.most_common(1)[0][0] in {"34079", "34142", "34114", "34281", "34129"}
    assert PracticeSite.objects.filter(is_primary=True).count() == (
        PracticeSite.objects.values("member").distinct().count()
    )


def test_directory_consents_about_sixty_percent(seeded: str):
    total = Member.objects.count()
    listed = Member.objects.filter(directory_listed=True)
    assert 0.5 <= listed.count() / total <= 0.7
    assert not Member.objects.filter(directory_listed=False, directory_show_phone=True).exists()
    assert listed.filter(directory_show_phone=False).exists()


def test_adhesions_payments_and_unpaid_share(seeded: str):
    years = demo_years()
    assert set(Adhesion.objects.values_list("year", flat=True)) == _years_with_adhesions()
    current = adhesions_with_balance().filter(year=years[-1])
    unpaid = current.filter(is_settled=False).count()
    assert 0.04 <= unpaid / current.count() <= 0.12
    methods = set(Payment.objects.values_list("method", flat=True))
    assert {"virement", "cheque", "carte"} <= methods
    assert not Payment.objects.filter(paid_on__gt=timezone.localdate()).exists()
    older = adhesions_with_balance().filter(year=years[0])
    assert older.count() > 200 and not older.filter(is_settled=False).exists()
    # Every member joined on the date of their first adhesion.
    assert not Member.objects.filter(adhesions__isnull=False, joined_on__isnull=True).exists()
    first = Adhesion.objects.order_by("started_on").select_related("member").first()
    assert first is not None and first.member.joined_on == first.started_on


def test_demo_accounts_are_members(seeded: str):
    adherent = User.objects.get(email="adherent@cpts-demo.fr")
    member = Member.objects.get(user=adherent)
    assert (member.first_name, member.last_name) == ("Léa", "Bonnet")
    assert member.profession is not None and member.profession.code == "infirmier"
    up_to_date = with_fee_status(Member.objects.filter(pk=member.pk), timezone.localdate())
    assert up_to_date.get().is_up_to_date
    assert member.directory_listed
    assert member.sites.filter(is_primary=True).exists()
    president = Member.objects.get(user__email="presidence@cpts-demo.fr")
    assert president.profession is not None
    assert president.profession.code == "medecin_generaliste"
    assert not Member.objects.filter(user__email="coordination@cpts-demo.fr").exists()
