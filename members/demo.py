"""Demo data of the member base, appended to ``cpts.services.demo.DEMO_STEPS``: the four
collèges, three years of fee rules, and about 350 fictitious members (persons and structures)
spread over the territory's communes, with practice sites, directory consents, adhesions and
payments. Everything is drawn from a seeded random generator, so every run builds the same
members; rows are keyed by email and only what is missing is created (bulk inserts, no audit
entries for these demo rows)."""

from __future__ import annotations

import datetime
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import luhn

from cpts.models import Commune, User
from members.models import Adhesion, College, FeeRule, Member, Payment, PracticeSite, Profession
from members.models.adhesions import PaymentKind, PaymentMethod
from members.models.members import (
    Civility,
    MemberStatus,
    OrganisationKind,
    PracticeMode,
    StructureKind,
)
from members.models.reference import MemberKind, ProfessionCategory
from members.selectors.fees import pick_fee_rule

if TYPE_CHECKING:
    from cpts.services.demo import DemoContext

SEED = 20_26
EMAIL_DOMAIN = "membres.cpts-demo.fr"
STRUCTURE_DOMAIN = "structures.cpts-demo.fr"

HEALTH = [ProfessionCategory.MEDICALE, ProfessionCategory.PHARMACIE]
HEALTH += [ProfessionCategory.AUXILIAIRE_MEDICAL]

# (code, name, voting, CA seats, eligible kinds, eligible profession categories, description)
COLLEGES = [
    (
        "liberaux",
        "Libéraux de santé",
        True,
        6,
        [MemberKind.PERSON],
        [str(c) for c in HEALTH],
        "Professionnels de santé exerçant en libéral ou en mixte.",
    ),
    (
        "exercice-coordonne",
        "Structures d'exercice coordonné",
        True,
        3,
        [MemberKind.ORGANISATION],
        [],
        "Maisons de santé pluriprofessionnelles, centres de santé, équipes de soins primaires.",
    ),
    (
        "etablissements",
        "Établissements et médico-social",
        True,
        3,
        [],
        [],
        "Établissements de santé et médico-sociaux, services à domicile, DAC, professionnels "
        "salariés et du social.",
    ),
    (
        "usagers-elus",
        "Usagers et élus",
        False,
        0,
        [],
        [],
        "Représentants des usagers et élus du territoire (collège consultatif).",
    ),
]

PERSON_FEE = Decimal("20.00")
STRUCTURE_FEE = Decimal("50.00")
USAGERS_FEE = Decimal("0.00")

# Persons per profession (the demo accounts' four members come on top).
PROFESSION_COUNTS = {
    "medecin_generaliste": 113,
    "infirmier": 50,
    "pharmacien": 28,
    "masseur_kinesitherapeute": 28,
    "chirurgien_dentiste": 9,
    "medecin_specialiste": 8,
    "sage_femme": 7,
    "orthophoniste": 7,
    "psychologue": 7,
    "pedicure_podologue": 5,
    "infirmier_pratique_avancee": 4,
    "dieteticien": 4,
    "osteopathe": 4,
    "ergotherapeute": 3,
    "psychomotricien": 3,
    "assistant_service_social": 3,
    "aide_soignant": 3,
    "orthoptiste": 2,
    "ambulancier": 2,
    "opticien_lunetier": 2,
    "manipulateur_radio": 2,
    "assistant_medical": 2,
    "enseignant_apa": 2,
    "educateur_specialise": 2,
    "audioprothesiste": 1,
    "technicien_laboratoire": 1,
    "orthoprothesiste": 1,
    "auxiliaire_puericulture": 1,
    "assistant_dentaire": 1,
    "chiropracteur": 1,
    "conseiller_esf": 1,
    "mediateur_sante": 1,
    "coordinateur_parcours": 1,
    "autre": 1,
}
USAGERS_PERSONS = 8

# Share of libéral / mixte practice by profession (the rest is salaried).
LIBERAL_SHARE = {
    "medecin_generaliste": 0.95,
    "infirmier": 0.85,
    "pharmacien": 0.8,
    "masseur_kinesitherapeute": 0.95,
    "chirurgien_dentiste": 0.95,
    "medecin_specialiste": 0.7,
    "sage_femme": 0.7,
    "orthophoniste": 0.9,
    "psychologue": 0.6,
    "pedicure_podologue": 1.0,
    "osteopathe": 1.0,
    "dieteticien": 0.6,
    "orthoptiste": 0.8,
    "opticien_lunetier": 0.5,
    "audioprothesiste": 0.5,
    "chiropracteur": 1.0,
    "infirmier_pratique_avancee": 0.6,
    "ergotherapeute": 0.4,
    "psychomotricien": 0.5,
}
MOSTLY_WOMEN = {"infirmier", "sage_femme", "orthophoniste", "auxiliaire_puericulture"}

# (organisation kind, name or "{of_commune}" template, commune INSEE code or "" for anywhere)
STRUCTURES = [
    (OrganisationKind.MSP, "Maison de santé pluriprofessionnelle {of_commune}", "34079"),
    (OrganisationKind.MSP, "Maison de santé pluriprofessionnelle {of_commune}", "34142"),
    (OrganisationKind.MSP, "Maison de santé pluriprofessionnelle {of_commune}", "34114"),
    (OrganisationKind.MSP, "Maison de santé pluriprofessionnelle {of_commune}", ""),
    (OrganisationKind.MSP, "Maison de santé pluriprofessionnelle {of_commune}", ""),
    (OrganisationKind.MSP, "Maison de santé pluriprofessionnelle {of_commune}", ""),
    (OrganisationKind.MSP, "Maison de santé pluriprofessionnelle {of_commune}", ""),
    (OrganisationKind.CDS, "Centre de santé municipal {of_commune}", ""),
    (OrganisationKind.CDS, "Centre de soins infirmiers {of_commune}", ""),
    (OrganisationKind.EHPAD, "EHPAD Les Oliviers", ""),
    (OrganisationKind.EHPAD, "EHPAD La Garrigue", ""),
    (OrganisationKind.EHPAD, "EHPAD Le Val d'Hérault", "34114"),
    (OrganisationKind.EHPAD, "EHPAD Les Tilleuls", ""),
    (OrganisationKind.EHPAD, "EHPAD Saint-Fulcran", "34142"),
    (OrganisationKind.SSIAD, "SSIAD du Clermontais", "34079"),
    (OrganisationKind.SSIAD, "SSIAD du Lodévois et Larzac", "34142"),
    (OrganisationKind.SSIAD, "SSIAD de la Vallée de l'Hérault", "34114"),
    (OrganisationKind.HOPITAL, "Centre hospitalier du Cœur d'Hérault", "34079"),
    (OrganisationKind.HOPITAL, "Clinique du Lodévois", "34142"),
    (OrganisationKind.DAC, "DAC de l'Hérault, antenne Cœur d'Hérault", "34079"),
    (OrganisationKind.ASSOCIATION, "Aide à domicile du Lodévois", "34142"),
    (OrganisationKind.ASSOCIATION, "Association des usagers de santé du Cœur d'Hérault", ""),
    (OrganisationKind.ASSOCIATION, "Comité local de la Ligue contre le cancer", ""),
    (OrganisationKind.COLLECTIVITE, "Mairie {of_commune}", "34142"),
    (OrganisationKind.COLLECTIVITE, "Communauté de communes du Clermontais", "34079"),
]
_USAGERS_NAMES = {"Association des usagers de santé du Cœur d'Hérault"}
_USAGERS_NAMES.add("Comité local de la Ligue contre le cancer")

WOMEN = (  # noqa: SIM905  (one name a word, easier to read and extend)
    "Marie Nathalie Isabelle Sylvie Catherine Christine Sandrine Valérie Céline Julie "
    "Aurélie Émilie Camille Laura Sarah Pauline Manon Claire Anne Sophie Élodie Mathilde "
    "Chloé Lucie Hélène Florence Audrey Caroline Virginie Agnès Laure Marion Charlotte "
    "Justine Amandine Delphine Stéphanie Patricia Martine Cécile Inès Margaux Anaïs Noémie "
    "Brigitte Corinne"
).split()
MEN = (  # noqa: SIM905  (one name a word, easier to read and extend)
    "Jean Pierre Michel Philippe Alain Nicolas Christophe Laurent Frédéric Stéphane Olivier "
    "David Julien Sébastien Thomas Guillaume Antoine Maxime Romain Vincent François Éric "
    "Jérôme Benoît Mathieu Hugo Lucas Alexandre Cédric Damien Fabrice Yannick Arnaud Bruno "
    "Gilles Patrick Thierry Xavier Rémi Baptiste Florian Adrien Kevin Loïc Serge Didier"
).split()
LAST_NAMES = (  # noqa: SIM905  (one name a word, easier to read and extend)
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
    "Lefebvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Mercier "
    "Dupont Lambert Bonnet François Martinez Legrand Garnier Faure Rousseau Blanc Guérin "
    "Muller Henry Roussel Nicolas Perrin Morin Mathieu Clément Gauthier Dumont Lopez "
    "Fontaine Chevalier Robin Masson Sanchez Gérard Nguyen Boyer Denis Lemaire Duval Joly "
    "Gautier Roger Roche Roy Noël Meyer Lucas Meunier Perez Marchand Dufour Blanchard "
    "Barbier Brun Dumas Brunet Schmitt Leroux Colin Fernandez Vidal Marty Fabre Cabanel "
    "Teissier Bousquet Combes Delmas Granier Jourdan Pagès Rouquette Sabatier Salles Puech "
    "Cros Estève Guiraud Maurel Arnal Carrière Fages Lafont Valette Soulier Causse Massol "
    "Cazals Vergnes Azéma Bouissou"
).split()
STREETS = [
    "rue de la République",
    "avenue de Lodève",
    "boulevard Gambetta",
    "place de la Mairie",
    "rue des Écoles",
    "chemin des Oliviers",
    "rue du Château",
    "avenue Jean Jaurès",
    "rue Victor Hugo",
    "rue de la Gare",
    "allée des Platanes",
    "rue Pasteur",
    "place du Marché",
    "impasse des Vignes",
    "route de Montpellier",
    "rue du Pont",
    "avenue du Lac du Salagou",
    "rue Neuve",
]
METHODS = [
    (PaymentMethod.VIREMENT, 40),
    (PaymentMethod.CARTE, 28),
    (PaymentMethod.CHEQUE, 25),
    (PaymentMethod.ESPECES, 5),
    (PaymentMethod.EXONERATION, 2),
]

# The demo accounts that are members (email, civility, profession, INSEE code).
ACCOUNT_MEMBERS = [
    ("presidence@cpts-demo.fr", Civility.MONSIEUR, "medecin_generaliste", "34142"),
    ("tresorerie@cpts-demo.fr", Civility.MADAME, "pharmacien", "34114"),
    ("referent@cpts-demo.fr", Civility.MONSIEUR, "masseur_kinesitherapeute", "34079"),
    ("adherent@cpts-demo.fr", Civility.MADAME, "infirmier", "34079"),
]
UNPAID_SHARE = 0.08
DIRECTORY_SHARE = 0.6


def demo_years(today: datetime.date | None = None) -> list[int]:
    """The three years of demo adhesions, oldest first, ending with the current year."""
    year = (today or timezone.localdate()).year
    return [year - 2, year - 1, year]


def _slug(text: str) -> str:
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text.lower()).split())


def _of(name: str) -> str:
    """French "de" before a commune name: "de Gignac", "d'Aniane", "du Pouget", "des Plans"."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if unicodedata.normalize("NFKD", name[:1]).lower()[:1] in set("aeiouyh"):
        return "d'" + name
    return "de " + name


def _with_check_digit(digits: str) -> str:
    return digits + luhn.calc_check_digit(digits)


# --- Collèges and fee rules -------------------------------------------------------------


def seed_colleges(context: DemoContext) -> None:
    """The four collèges of the demo statutes (created or put back in their demo state)."""
    existing = {college.code: college for college in College.objects.all()}
    created: list[College] = []
    for position, (code, name, voting, seats, kinds, categories, description) in enumerate(
        COLLEGES, start=1
    ):
        wanted = {
            "name": name,
            "is_voting": voting,
            "ca_seats": seats,
            "eligible_kinds": [str(k) for k in kinds],
            "eligible_categories": categories,
            "description": description,
            "position": position,
        }
        college = existing.get(code)
        if college is None:
            created.append(College(code=code, **wanted))
        elif any(getattr(college, key) != value for key, value in wanted.items()):
            College.objects.filter(pk=college.pk).update(**wanted)
            context.log(_("Collège remis en état de démonstration : %(name)s.") % {"name": name})
    College.objects.bulk_create(created)
    for college in created:
        context.log(_("Collège créé : %(name)s.") % {"name": college.name})
    context.created["seed_colleges"] = len(created)


def seed_fee_rules(context: DemoContext) -> None:
    """Fees of the three demo years: 20 € a person, 50 € a structure, 0 € for usagers."""
    usagers = College.objects.get(code="usagers-elus")
    created = 0
    for year in demo_years():
        targets: list[tuple[dict[str, object], Decimal]] = [
            ({"college": None, "member_kind": MemberKind.PERSON}, PERSON_FEE),
            ({"college": None, "member_kind": MemberKind.ORGANISATION}, STRUCTURE_FEE),
            ({"college": usagers, "member_kind": ""}, USAGERS_FEE),
        ]
        for target, amount in targets:
            rules = FeeRule.objects.filter(year=year, **target)
            rule = rules.first()
            if rule is None:
                FeeRule.objects.bulk_create([FeeRule(year=year, amount=amount, **target)])
                created += 1
            elif rule.amount != amount:
                rules.update(amount=amount)
                context.log(_("Barème %(year)s corrigé.") % {"year": year})
    if created:
        context.log(_("Barèmes de cotisation créés : %(count)s.") % {"count": created})
    context.created["seed_fee_rules"] = created


# --- Members ----------------------------------------------------------------------------


@dataclass
class MemberSpec:
    member: Member
    sites: list[PracticeSite] = field(default_factory=list)
    representative_email: str = ""
    account_email: str = ""


class _Generator:
    """Draws the demo members from a seeded random generator (same input, same members)."""

    def __init__(self, communes: list[Commune], professions: dict[str, Profession]) -> None:
        self.rng = random.Random(SEED)
        self.communes = communes
        self.weights = [max(c.population, 50) for c in communes]
        self.by_code = {c.insee_code: c for c in communes}
        self.professions = professions
        self.colleges = {c.code: c for c in College.objects.all()}
        self.emails: set[str] = set()
        self.rpps: set[str] = set()
        self.msp_by_commune: dict[int, str] = {}

    def commune(self, code: str = "") -> Commune:
        if code and code in self.by_code:
            return self.by_code[code]
        return self.rng.choices(self.communes, weights=self.weights)[0]

    def address(self) -> str:
        return f"{self.rng.randint(1, 60)} {self.rng.choice(STREETS)}"

    def phone(self, mobile: bool) -> str:
        prefix = self.rng.choice(["06", "07"]) if mobile else "04 67"
        count = 4 if mobile else 3
        return " ".join([prefix, *(f"{self.rng.randint(0, 99):02d}" for _ in range(count))])

    def email(self, local: str, domain: str = EMAIL_DOMAIN) -> str:
        base, number = _slug(local).replace("-", ".")[:50], 1
        candidate = f"{base}@{domain}"
        while candidate in self.emails:
            number += 1
            candidate = f"{base}{number}@{domain}"
        self.emails.add(candidate)
        return candidate

    def rpps_number(self) -> str:
        while True:
            value = _with_check_digit("10" + f"{self.rng.randint(0, 99_999_999):08d}")
            if value not in self.rpps:
                self.rpps.add(value)
                return value

    def siret(self) -> str:
        siren = _with_check_digit(f"{self.rng.randint(10_000_000, 99_999_999)}")
        return _with_check_digit(siren + f"{self.rng.randint(1, 9999):04d}")

    def finess(self) -> str:
        return _with_check_digit("34" + f"{self.rng.randint(0, 999_999):06d}")

    def consents(self, member: Member, share: float = DIRECTORY_SHARE) -> None:
        member.directory_listed = self.rng.random() < share
        if member.directory_listed:
            member.directory_show_email = self.rng.random() < 0.7
            member.directory_show_phone = self.rng.random() < 0.5
            member.directory_show_address = self.rng.random() < 0.4

    def person(
        self,
        profession: Profession | None,
        *,
        commune_code: str = "",
        names: tuple[str, str, str] | None = None,  # civility, first name, last name
        email: str = "",
        force_liberal: bool | None = None,
    ) -> MemberSpec:
        rng = self.rng
        code = profession.code if profession else ""
        if names is None:
            woman = rng.random() < (0.88 if code in MOSTLY_WOMEN else 0.58)
            civility: str = Civility.MADAME if woman else Civility.MONSIEUR
            first = rng.choice(WOMEN if woman else MEN)
            names = (civility, first, rng.choice(LAST_NAMES))
        civility, first, last = names
        commune = self.commune(commune_code)
        liberal = profession is not None and rng.random() < LIBERAL_SHARE.get(code, 0.0)
        liberal = liberal if force_liberal is None else force_liberal
        if profession is None:
            mode = ""
        elif liberal:
            mode = PracticeMode.MIXTE if rng.random() < 0.1 else PracticeMode.LIBERAL
        else:
            mode = PracticeMode.SALARIE
        health = profession is not None and profession.category in HEALTH
        if profession is None:
            college = self.colleges["usagers-elus"]
        elif health and liberal:
            college = self.colleges["liberaux"]
        else:
            college = self.colleges["etablissements"]
        identifier = profession.identifier if profession else ""
        member = Member(
            kind=MemberKind.PERSON,
            civility=civility,
            first_name=first,
            last_name=last,
            profession=profession,
            rpps=self.rpps_number() if identifier == "RPPS" else "",
            adeli=("34" + f"{rng.randint(0, 9_999_999):07d}") if identifier == "ADELI" else "",
            practice_mode=mode,
            email=email or self.email(f"{first}.{last}"),
            phone=self.phone(mobile=rng.random() < 0.6),
            address=self.address(),
            postal_code=commune.postal_code_list[0] if commune.postal_code_list else "",
            commune=commune,
            college=college,
            status=MemberStatus.ACTIVE,
        )
        self.consents(member)
        spec = MemberSpec(member=member)
        if profession is not None:
            spec.sites.append(self.site(commune, mode, primary=True))
            if rng.random() < 0.12:
                spec.sites.append(self.site(self.commune(), mode, primary=False))
        return spec

    def site(self, commune: Commune, mode: str, *, primary: bool) -> PracticeSite:
        rng = self.rng
        if mode == PracticeMode.SALARIE:
            kind = StructureKind.CENTRE_SANTE if rng.random() < 0.3 else StructureKind.ETABLISSEMENT
        else:
            kind = rng.choices(
                [StructureKind.MSP, StructureKind.CABINET_GROUPE, StructureKind.EXERCICE_ISOLE],
                weights=[30, 45, 25],
            )[0]
        name = ""
        if kind == StructureKind.MSP:
            name = self.msp_by_commune.get(
                commune.pk, f"Maison de santé pluriprofessionnelle {_of(commune.name)}"
            )
        return PracticeSite(
            commune=commune,
            address=self.address(),
            postal_code=commune.postal_code_list[0] if commune.postal_code_list else "",
            practice_mode=mode,
            structure_kind=kind,
            structure_name=name,
            is_primary=primary,
        )

    def structure(self, kind: str, template: str, commune_code: str) -> MemberSpec:
        commune = self.commune(commune_code)
        name = template.format(of_commune=_of(commune.name), commune=commune.name)
        if name in _USAGERS_NAMES or kind == OrganisationKind.COLLECTIVITE:
            college = self.colleges["usagers-elus"]
        elif kind in {OrganisationKind.MSP, OrganisationKind.CDS}:
            college = self.colleges["exercice-coordonne"]
        else:
            college = self.colleges["etablissements"]
        if kind == OrganisationKind.MSP:
            self.msp_by_commune[commune.pk] = name
        health = kind in {
            OrganisationKind.MSP,
            OrganisationKind.CDS,
            OrganisationKind.EHPAD,
            OrganisationKind.SSIAD,
            OrganisationKind.HOPITAL,
        }
        member = Member(
            kind=MemberKind.ORGANISATION,
            organisation_name=name,
            organisation_kind=kind,
            siret=self.siret(),
            finess=self.finess() if health else "",
            email=self.email(name, STRUCTURE_DOMAIN),
            phone=self.phone(mobile=False),
            address=self.address(),
            postal_code=commune.postal_code_list[0] if commune.postal_code_list else "",
            commune=commune,
            college=college,
            status=MemberStatus.ACTIVE,
        )
        self.consents(member, share=0.85)
        structure_kind: str = {
            str(OrganisationKind.MSP): StructureKind.MSP,
            str(OrganisationKind.CDS): StructureKind.CENTRE_SANTE,
        }.get(kind, StructureKind.ETABLISSEMENT)
        site = PracticeSite(
            commune=commune,
            address=member.address,
            postal_code=member.postal_code,
            structure_kind=structure_kind if health else "",
            structure_name=name if health else "",
            is_primary=True,
        )
        return MemberSpec(member=member, sites=[site] if health else [])


def _account_names() -> dict[str, tuple[str, str]]:
    from cpts.services.demo import DEMO_ACCOUNTS

    return {a.email: (a.first_name, a.last_name) for a in DEMO_ACCOUNTS}


def build_member_specs(communes: list[Commune]) -> list[MemberSpec]:
    """Every demo member, in a fixed order (persons first, then structures)."""
    professions = {p.code: p for p in Profession.objects.all()}
    generator = _Generator(communes, professions)
    # Structures first in the draw so that MSP sites can carry their MSP's name.
    structures = [generator.structure(*spec) for spec in STRUCTURES]
    persons: list[MemberSpec] = []
    names = _account_names()
    for email, civility, code, commune_code in ACCOUNT_MEMBERS:
        first, last = names.get(email, ("", email.split("@")[0].title()))
        spec = generator.person(
            professions[code],
            commune_code=commune_code,
            names=(civility, first, last),
            email=email,
            force_liberal=True,
        )
        spec.account_email = email
        spec.member.directory_listed = spec.member.directory_show_email = True
        generator.emails.add(email)
        persons.append(spec)
    for code, count in PROFESSION_COUNTS.items():
        persons.extend(generator.person(professions[code]) for _ in range(count))
    persons.extend(generator.person(None) for _ in range(USAGERS_PERSONS))
    general_practitioners = [
        s for s in persons if s.member.profession_id == professions["medecin_generaliste"].pk
    ]
    for spec in structures:
        pool = (
            general_practitioners
            if spec.member.organisation_kind == OrganisationKind.MSP
            else persons
        )
        spec.representative_email = generator.rng.choice(pool).member.email
    return persons + structures


def _adhesion_plan(
    rng: random.Random, years: list[int], today: datetime.date
) -> Iterator[tuple[int, datetime.date, bool]]:
    """(year, date of adhesion, paid) for each year since the member joined."""
    first_year = rng.choices(years, weights=[70, 18, 12])[0]
    unpaid_now = rng.random() < UNPAID_SHARE
    for year in years:
        if year < first_year:
            continue
        started = datetime.date(year, rng.randint(1, 3), rng.randint(1, 28))
        started = min(started, today)
        yield year, started, not (year == today.year and unpaid_now)


def _payment(rng: random.Random, adhesion: Adhesion, today: datetime.date, number: int) -> Payment:
    method = rng.choices([m for m, _ in METHODS], weights=[w for _, w in METHODS])[0]
    paid_on = min(adhesion.started_on + datetime.timedelta(days=rng.randint(0, 45)), today)
    reference = {
        PaymentMethod.VIREMENT: f"VIR-{adhesion.year}-{number:04d}",
        PaymentMethod.CHEQUE: f"Chèque n° {rng.randint(1_000_000, 9_999_999)}",
        PaymentMethod.CARTE: f"HelloAsso {rng.randint(10_000_000, 99_999_999)}",
    }.get(method, "")
    return Payment(
        adhesion=adhesion,
        kind=PaymentKind.PAYMENT,
        paid_on=paid_on,
        amount=Decimal("0.00") if method == PaymentMethod.EXONERATION else adhesion.fee_due,
        method=method,
        reference=reference,
    )


def seed_members(context: DemoContext) -> None:
    """About 350 members with sites, three years of adhesions and payments (≈ 8 % of the
    current year unpaid), the demo accounts linked to their member records."""
    from cpts.models import Association
    from cpts.selectors.territory import territory_communes

    communes = list(territory_communes(Association.objects.get_solo()).order_by("insee_code"))
    already_seeded = Member.objects.filter(
        email__iendswith=f"@{EMAIL_DOMAIN}"
    ).exists()  # created once: a later change of territory must not add a second population
    if not communes or already_seeded:
        context.created["seed_members"] = 0
        return
    specs = build_member_specs(communes)
    emails = [spec.member.email for spec in specs]
    existing = {
        e.lower() for e in Member.objects.filter(email__in=emails).values_list("email", flat=True)
    }
    taken_rpps = set(Member.objects.exclude(rpps="").values_list("rpps", flat=True))
    new_persons = [
        s.member for s in specs if s.member.is_person and s.member.email.lower() not in existing
    ]
    for member in new_persons:
        if member.rpps in taken_rpps:
            member.rpps = ""
    Member.objects.bulk_create(new_persons)
    ids = dict(Member.objects.filter(email__in=emails).values_list("email", "pk"))
    new_structures = []
    for spec in specs:
        member = spec.member
        if member.is_person or member.email.lower() in existing:
            continue
        member.representative_id = ids.get(spec.representative_email)
        new_structures.append(member)
    Member.objects.bulk_create(new_structures)
    ids = dict(Member.objects.filter(email__in=emails).values_list("email", "pk"))
    created = len(new_persons) + len(new_structures)

    with_sites = set(
        PracticeSite.objects.filter(member_id__in=ids.values()).values_list("member_id", flat=True)
    )
    sites = []
    for spec in specs:
        member_id = ids.get(spec.member.email)
        if member_id is None or member_id in with_sites:
            continue
        for site in spec.sites:
            site.member_id = member_id
            sites.append(site)
    PracticeSite.objects.bulk_create(sites)

    adhesions, payments = _seed_adhesions(specs, ids)
    # A member has been one since their first adhesion.
    first_adhesion = Adhesion.objects.filter(member=OuterRef("pk")).order_by("started_on")
    Member.objects.filter(pk__in=ids.values(), joined_on__isnull=True).update(
        joined_on=Subquery(first_adhesion.values("started_on")[:1])
    )
    linked = _link_accounts(specs, ids)
    if created:
        context.log(_("Membres de démonstration créés : %(count)s.") % {"count": created})
    if adhesions:
        context.log(
            _("Adhésions créées : %(adhesions)s, avec %(payments)s paiements.")
            % {"adhesions": adhesions, "payments": payments}
        )
    if linked:
        context.log(
            _("Comptes de démonstration reliés à leur fiche de membre : %(count)s.")
            % {"count": linked}
        )
    context.created["seed_members"] = created


def _seed_adhesions(specs: list[MemberSpec], ids: dict[str, int]) -> tuple[int, int]:
    today = timezone.localdate()
    years = demo_years(today)
    rules = {
        (rule.college_id, rule.member_kind): rule.amount
        for rule in FeeRule.objects.filter(year__in=years)
    }
    held = set(
        Adhesion.objects.filter(member_id__in=ids.values(), year__in=years).values_list(
            "member_id", "year"
        )
    )
    rng = random.Random(SEED + 1)
    planned: list[tuple[Adhesion, bool]] = []
    for spec in specs:
        member_id = ids.get(spec.member.email)
        plan = list(_adhesion_plan(rng, years, today))
        if spec.account_email == "adherent@cpts-demo.fr":
            plan = [(year, started, True) for year, started, _paid in plan]
        if member_id is None:
            continue
        college_id = spec.member.college.pk if spec.member.college else None
        for year, started, paid in plan:
            if (member_id, year) in held:
                continue
            fee = pick_fee_rule(rules, college_id, spec.member.kind)
            fee = PERSON_FEE if fee is None else fee
            adhesion = Adhesion(member_id=member_id, year=year, fee_due=fee, started_on=started)
            planned.append((adhesion, paid))
    Adhesion.objects.bulk_create([adhesion for adhesion, _paid in planned])
    payments = [
        _payment(rng, adhesion, today, number)
        for number, (adhesion, paid) in enumerate(planned, start=1)
        if paid and adhesion.fee_due > 0
    ]
    Payment.objects.bulk_create(payments)
    return len(planned), len(payments)


def _link_accounts(specs: list[MemberSpec], ids: dict[str, int]) -> int:
    """Link each demo account to its member record (when neither is linked yet)."""
    accounts = {spec.account_email for spec in specs if spec.account_email}
    users = {u.email.lower(): u for u in User.objects.filter(email__in=accounts)}
    already = set(Member.objects.filter(user__in=users.values()).values_list("user_id", flat=True))
    linked = 0
    for email in sorted(accounts):
        user = users.get(email.lower())
        member_id = ids.get(email)
        if user is None or member_id is None or user.pk in already:
            continue
        linked += Member.objects.filter(pk=member_id, user__isnull=True).update(user=user)
    return linked


MEMBER_DEMO_STEPS = [seed_colleges, seed_fee_rules, seed_members]
