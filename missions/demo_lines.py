"""The indicator lines of the demo contract (see ``missions.demo``): per contract year and
mission, lines of every kind as real ACI annexes write them, with their livrables and the
results assessed at the dialogue de gestion (years 1 and 2 in full, year 3 partly).

The lines of a mission sum to its variable envelope (``ENVELOPES``): the amount of a binary,
target or crisis line, the best tier or band of a tiers or bands line."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

D = Decimal
UP = "increasing"
DOWN = "decreasing"

# Per mission: (fixed, variable) of each contract year 1 to 5, for a taille 3 CPTS.
ENVELOPES: dict[str, tuple[Decimal, Decimal]] = {
    "acces_soins": (D("25000"), D("25000")),
    "parcours": (D("40000"), D("40000")),
    "prevention": (D("15000"), D("15000")),
    "crise": (D("20000"), D("25000")),
    "qualite": (D("15000"), D("15000")),
    "accompagnement": (D("15000"), D("15000")),
}

ASSESSED_YEARS = (1, 2)  # the dialogue de gestion of these years took place
CRISIS_YEAR = 2  # the ARS recognised a crisis during this year (winter epidemics)
CRISIS_NOTE = "Épidémies hivernales de grippe et de bronchiolite reconnues par l'ARS Occitanie"


@dataclass(frozen=True)
class LineSpec:
    label: str
    kind: str
    amount: Decimal  # for tiers and bands: the best tier or band
    livrables: tuple[str, ...]
    direction: str = UP
    baseline: Decimal | None = None
    target: Decimal | None = None
    tiers: tuple[tuple[str, Decimal, Decimal], ...] = ()  # (label, threshold, amount)
    bands: tuple[tuple[Decimal | None, Decimal | None, Decimal], ...] = ()  # (min, max, amount)
    done: bool = False
    achieved: Decimal | None = None
    source: str = ""  # an AchievedSource value when a value is recorded
    note: str = ""
    carried: bool = False  # carried from the line of the same label in the previous year


EMARGEMENTS = "Feuilles d'émargement"
COMPTES_RENDUS = "Comptes rendus des réunions"
EXTRAIT_CPAM = "Extrait des données CPAM (tableau de bord de l'Assurance maladie)"
SUPPORTS = "Supports de présentation"
CONVENTION = "Convention signée"
BILAN = "Bilan annuel de l'action"

SCREENING_TIERS = (
    ("Socle", D("69.70"), D("1000")),
    ("Intermédiaire", D("72.40"), D("2500")),
    ("Objectif", D("75.00"), D("3500")),
)
COLORECTAL_TIERS = (
    ("Socle", D("30.00"), D("1000")),
    ("Intermédiaire", D("32.00"), D("2000")),
    ("Objectif", D("35.00"), D("3000")),
)
ALD_BANDS = (
    (None, D("50"), D("9000")),
    (D("51"), D("100"), D("6000")),
    (D("101"), D("219"), D("3000")),
)
SUICIDE_TIERS = (
    ("Socle", D("10"), D("4000")),
    ("Intermédiaire", D("20"), D("8000")),
    ("Objectif", D("30"), D("10000")),
)
INSTALLED_BANDS = (
    (D("3"), D("5"), D("2500")),
    (D("6"), None, D("5000")),
)


def _value(number: int, values: tuple[str | None, str | None, str | None]) -> Decimal | None:
    value = values[number - 1]
    return D(value) if value is not None else None


def acces_soins(number: int) -> list[LineSpec]:
    targets_70 = ("263", "233", "203")
    sas_targets = ("18", "22", "25")
    return [
        LineSpec(
            "Patients en ALD sans médecin traitant",
            "bands",
            D("9000"),
            (EXTRAIT_CPAM, "Tableau de suivi des demandes de médecin traitant"),
            direction=DOWN,
            baseline=D("219"),
            bands=ALD_BANDS,
            achieved=_value(number, ("142", "87", None)),
            source="cpam" if number in ASSESSED_YEARS else "",
        ),
        LineSpec(
            f"Patients de plus de 70 ans sans médecin traitant : 303 → {targets_70[number - 1]}",
            "target",
            D("6000"),
            (EXTRAIT_CPAM,),
            direction=DOWN,
            baseline=D("303"),
            target=D(targets_70[number - 1]),
            achieved=_value(number, ("255", "241", None)),
            source="cpam" if number in ASSESSED_YEARS else "",
        ),
        LineSpec(
            "Médecins participant au service d'accès aux soins (SAS 34)",
            "target",
            D("4000"),
            ("Liste des médecins inscrits sur la plateforme SAS", EXTRAIT_CPAM),
            baseline=D("12"),
            target=D(sas_targets[number - 1]),
            achieved=_value(number, ("19", "21", "23")),
            source="manual" if number < 3 else "computed",
            note="Décompte de la plateforme SAS au dernier jour de l'année",
        ),
        LineSpec(
            "Protocole de soins non programmés signé avec les médecins volontaires",
            "binary",
            D("3000"),
            ("Protocole signé", "Liste des cabinets participants"),
            done=number == 2,
            carried=number == 2,
        ),
        LineSpec(
            "Organiser 3 réunions pluriprofessionnelles de suivi de l'accès aux soins",
            "binary",
            D("3000"),
            (EMARGEMENTS, COMPTES_RENDUS),
            done=number in ASSESSED_YEARS,
        ),
    ]


def parcours(number: int) -> list[LineSpec]:
    return [
        LineSpec(
            "Formaliser le parcours insuffisance cardiaque avec la cardiologie du CH",
            "binary",
            D("10000"),
            ("Protocole de parcours signé", CONVENTION, SUPPORTS),
            done=number in ASSESSED_YEARS,
        ),
        LineSpec(
            "Patients insuffisants cardiaques inclus dans le parcours",
            "target",
            D("10000"),
            ("Tableau anonymisé des inclusions",),
            baseline=D("0"),
            target=D(("40", "60", "80")[number - 1]),
            achieved=_value(number, ("44", "57", None)),
            source="manual" if number in ASSESSED_YEARS else "",
        ),
        LineSpec(
            "Organiser 3 réunions pluriprofessionnelles de suivi",
            "binary",
            D("6000"),
            (EMARGEMENTS, COMPTES_RENDUS),
            done=number in (1, 2, 3),
        ),
        LineSpec(
            "Professionnels formés au repérage de la crise suicidaire",
            "tiers",
            D("10000"),
            ("Attestations de formation", EMARGEMENTS),
            baseline=D("4"),
            tiers=SUICIDE_TIERS,
            achieved=_value(number, ("14", "31", None)),
            source="manual" if number in ASSESSED_YEARS else "",
        ),
        LineSpec(
            "Messagerie sécurisée commune et annuaire partagé des professionnels",
            "binary",
            D("4000"),
            ("Capture de l'annuaire en ligne", "Charte d'utilisation signée"),
            done=number in ASSESSED_YEARS,
        ),
    ]


def prevention(number: int) -> list[LineSpec]:
    return [
        LineSpec(
            "Taux de dépistage du cancer du col de l'utérus",
            "tiers",
            D("3500"),
            (EXTRAIT_CPAM,),
            baseline=D("66.26"),
            tiers=SCREENING_TIERS,
            achieved=_value(number, ("70.10", "72.85", None)),
            source="cpam" if number in ASSESSED_YEARS else "",
        ),
        LineSpec(
            "Taux de dépistage du cancer colorectal",
            "tiers",
            D("3000"),
            (EXTRAIT_CPAM, "Bilan de la campagne Mars bleu"),
            baseline=D("28.50"),
            tiers=COLORECTAL_TIERS,
            achieved=_value(number, ("29.10", "31.20", None)),
            source="cpam" if number in ASSESSED_YEARS else "",
        ),
        LineSpec(
            "Organiser 4 ateliers mémoire pour les plus de 60 ans",
            "binary",
            D("2500"),
            (EMARGEMENTS, SUPPORTS),
            done=number in ASSESSED_YEARS,
        ),
        LineSpec(
            "Participants aux actions de prévention de l'année",
            "target",
            D("3000"),
            (EMARGEMENTS, BILAN),
            baseline=D("150"),
            target=D(("250", "300", "350")[number - 1]),
            achieved=_value(number, ("212", "334", None)),
            source="computed" if number in ASSESSED_YEARS else "",
            note="Somme des participants des événements de prévention",
        ),
        LineSpec(
            "Campagnes Octobre rose et Mars bleu avec les pharmacies du territoire",
            "binary",
            D("3000"),
            (SUPPORTS, "Photos des stands", BILAN),
            done=number in ASSESSED_YEARS,
        ),
    ]


def crise(number: int) -> list[LineSpec]:
    recognised = number == CRISIS_YEAR
    return [
        LineSpec(
            "Mobilisation des professionnels pendant la crise sanitaire reconnue",
            "crisis",
            D("15000"),
            ("Liste des professionnels mobilisés", "Planning des permanences"),
            done=recognised,
        ),
        LineSpec(
            "Retour d'expérience de la crise transmis à l'ARS",
            "crisis",
            D("10000"),
            ("Rapport de retour d'expérience", COMPTES_RENDUS),
            done=recognised,
        ),
    ]


def qualite(number: int) -> list[LineSpec]:
    return [
        LineSpec(
            "Organiser 2 groupes d'analyse de pratiques pluriprofessionnels",
            "binary",
            D("5000"),
            (EMARGEMENTS, COMPTES_RENDUS),
            done=number in ASSESSED_YEARS,
        ),
        LineSpec(
            "Part des patients de plus de 75 ans avec 10 médicaments ou plus (%)",
            "target",
            D("5000"),
            (EXTRAIT_CPAM,),
            direction=DOWN,
            baseline=D("18.40"),
            target=D(("17.80", "17.00", "16.00")[number - 1]),
            achieved=_value(number, ("17.95", "16.90", None)),
            source="cpam" if number in ASSESSED_YEARS else "",
        ),
        LineSpec(
            "Revue de pertinence des prescriptions d'antibiotiques avec les pharmaciens",
            "binary",
            D("5000"),
            (COMPTES_RENDUS, SUPPORTS),
            done=number == 2,
        ),
    ]


def accompagnement(number: int) -> list[LineSpec]:
    return [
        LineSpec(
            "Stagiaires accueillis sur le territoire (internes et étudiants)",
            "target",
            D("6000"),
            ("Conventions de stage", "Liste des maîtres de stage"),
            baseline=D("8"),
            target=D(("12", "15", "18")[number - 1]),
            achieved=_value(number, ("13", "16", None)),
            source="computed" if number in ASSESSED_YEARS else "",
        ),
        LineSpec(
            "Journée d'accueil des professionnels nouvellement installés",
            "binary",
            D("4000"),
            (EMARGEMENTS, "Programme de la journée"),
            done=number in ASSESSED_YEARS,
        ),
        LineSpec(
            "Professionnels nouvellement installés accompagnés",
            "bands",
            D("5000"),
            ("Tableau de suivi des installations",),
            baseline=D("2"),
            bands=INSTALLED_BANDS,
            achieved=_value(number, ("4", "7", None)),
            source="manual" if number in ASSESSED_YEARS else "",
        ),
    ]


BUILDERS = {
    "acces_soins": acces_soins,
    "parcours": parcours,
    "prevention": prevention,
    "crise": crise,
    "qualite": qualite,
    "accompagnement": accompagnement,
}
LINE_YEARS = (1, 2, 3)  # the annexes received so far; years 4 and 5 only have envelopes


def year_lines(mission_key: str, number: int) -> list[LineSpec]:
    """The lines of ``mission_key`` in contract year ``number`` (1 to 3)."""
    return BUILDERS[mission_key](number)
