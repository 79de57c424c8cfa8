"""Demo data of the ACI contract, appended to ``cpts.services.demo.DEMO_STEPS``: a contract
signed with the CPAM de l'Hérault two years and four months ago (so today falls in its third
year), its five contract years and all six missions (the parcours mission not yet fully
deployed after its deadline: the alert of the demo; the optional qualité mission started, not
deployed), the envelopes of the five years, the indicator lines of years 1 to 3 with every
kind (``missions.demo_lines``), their livrables and some uploaded proofs, the payments the
CPAM made, and about thirty actions with a hundred events (``missions.demo_actions``).

Every date derives from the contract's signature date, itself set from today's date when the
contract is created; the steps create what is missing and leave the rest untouched (the
contract by its reference, envelopes by year and mission, lines by envelope, payments by year,
actions by title, events by action and title), so running the seed twice changes nothing.
Rows are bulk-inserted (no audit entries for demo rows)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from cpts.models import Association, User
from cpts.selectors.territory import territory_summary
from missions.catalogue import CATALOGUE_KEYS, ensure_catalogue
from missions.demo_actions import add_months
from missions.demo_events import seed_actions_and_events
from missions.demo_lines import ENVELOPES, LINE_YEARS
from missions.demo_payments import seed_payments
from missions.demo_results import create_lines
from missions.models import (
    CONTRACT_YEARS,
    Contract,
    ContractMission,
    ContractStatus,
    ContractYear,
    IndicatorLine,
    Mission,
    MissionEnvelope,
)

if TYPE_CHECKING:
    from cpts.services.demo import DemoContext

DEMO_REFERENCE = "ACI-CPTS-34-CDH"
COORDINATION_EMAIL = "coordination@cpts-demo.fr"
SIGNED_MONTHS_AGO = 28  # two years and four months: today falls in the third contract year
# Months after the signature when each mission started and was fully deployed (None: not yet).
MISSION_DATES: dict[str, tuple[int, int | None]] = {
    "acces_soins": (2, 15),
    "parcours": (6, None),  # deployment due within 24 months: late, the demo's alert
    "prevention": (4, 20),
    "crise": (5, 17),
    "qualite": (11, None),  # optional: no deadline
    "accompagnement": (3, 21),
}
MISSION_NOTES = {
    "parcours": "Le parcours santé mentale attend encore la convention avec le CMP.",
    "qualite": "Mission optionnelle engagée en fin de première année.",
}


def demo_contract() -> Contract | None:
    return Contract.objects.filter(reference=DEMO_REFERENCE).first()


def coordination_user() -> User | None:
    return User.objects.filter(email__iexact=COORDINATION_EMAIL).first()


def seed_missions_contract(context: DemoContext) -> None:
    """The signed contract, its five years (anniversary to anniversary) and its six missions
    with their start and deployment dates. Year 2 saw a crisis recognised by the ARS."""
    ensure_catalogue()
    created = 0
    contract = demo_contract()
    if contract is None:
        today = timezone.localdate()
        signed_on = add_months(today.replace(day=min(today.day, 28)), -SIGNED_MONTHS_AGO)
        summary = territory_summary(Association.objects.get_solo())
        contract = Contract.objects.create(
            reference=DEMO_REFERENCE,
            signed_on=signed_on,
            cpam="CPAM de l'Hérault",
            ars="ARS Occitanie",
            taille=summary.taille or "T3",
            population=summary.population,
            status=ContractStatus.SIGNED,
            notes="Contrat tripartite signé avec la CPAM de l'Hérault et l'ARS Occitanie.",
        )
        created += 1
        context.log(
            _("Contrat ACI de démonstration créé (signé le %(date)s, %(taille)s).")
            % {"date": signed_on.strftime("%d/%m/%Y"), "taille": contract.taille}
        )
    signed_on = contract.signed_on
    have = set(contract.years.values_list("number", flat=True))
    years = [
        ContractYear(
            contract=contract,
            number=number,
            start=add_months(signed_on, 12 * (number - 1)),
            end=add_months(signed_on, 12 * number) - datetime.timedelta(days=1),
            crisis_recognised=number == 2,
            dialogue_on=(
                add_months(signed_on, 12 * number) + datetime.timedelta(days=40)
                if number in (1, 2)
                else None
            ),
        )
        for number in range(1, CONTRACT_YEARS + 1)
        if number not in have
    ]
    ContractYear.objects.bulk_create(years)
    missions = {m.key: m for m in Mission.objects.filter(key__in=CATALOGUE_KEYS)}
    chosen = set(contract.missions.values_list("mission__key", flat=True))
    rows = []
    for key in CATALOGUE_KEYS:
        if key in chosen:
            continue
        start, deployed = MISSION_DATES[key]
        rows.append(
            ContractMission(
                contract=contract,
                mission=missions[key],
                started_on=add_months(signed_on, start),
                deployed_on=add_months(signed_on, deployed) if deployed is not None else None,
                notes=MISSION_NOTES.get(key, ""),
            )
        )
    ContractMission.objects.bulk_create(rows)
    if years:
        context.log(_("Années de contrat créées : %(count)s.") % {"count": len(years)})
    if rows:
        context.log(_("Missions du contrat choisies : %(count)s.") % {"count": len(rows)})
    context.created["seed_missions_contract"] = created + len(years) + len(rows)


def seed_missions_lines(context: DemoContext) -> None:
    """The envelopes of the five years (fixed and variable parts per mission, each mission's
    year-1 envelope starting with the mission), and for years 1 to 3 the indicator lines with
    their tiers, bands, livrables, results and some proofs."""
    contract = demo_contract()
    if contract is None:
        return
    starts = dict(contract.missions.values_list("mission__key", "started_on"))
    missions = {m.key: m for m in Mission.objects.filter(key__in=CATALOGUE_KEYS)}
    years = list(contract.years.order_by("number"))
    have = set(
        MissionEnvelope.objects.filter(year__contract=contract).values_list(
            "year__number", "mission__key"
        )
    )
    envelopes = []
    for year in years:
        for key in CATALOGUE_KEYS:
            if (year.number, key) in have:
                continue
            fixed, variable = ENVELOPES[key]
            start = starts.get(key)
            envelopes.append(
                MissionEnvelope(
                    year=year,
                    mission=missions[key],
                    start=start if start and year.start < start <= year.end else None,
                    fixed=fixed,
                    variable=variable,
                )
            )
    MissionEnvelope.objects.bulk_create(envelopes)
    if envelopes:
        context.log(_("Enveloppes de mission créées : %(count)s.") % {"count": len(envelopes)})
    filled = set(
        IndicatorLine.objects.filter(envelope__year__contract=contract).values_list(
            "envelope_id", flat=True
        )
    )
    empty = list(
        MissionEnvelope.objects.filter(year__contract=contract, year__number__in=LINE_YEARS)
        .exclude(pk__in=filled)
        .select_related("year", "mission")
        .order_by("year__number", "mission__position")
    )
    lines, proofs = create_lines(empty, coordination_user())
    if lines:
        context.log(
            _("Lignes d'indicateurs créées : %(lines)s, avec %(proofs)s justificatifs déposés.")
            % {"lines": lines, "proofs": proofs}
        )
    context.created["seed_missions_lines"] = len(envelopes) + lines


def seed_missions_payments(context: DemoContext) -> None:
    """The payments the CPAM made for years 1 to 3 (one partial, one late)."""
    contract = demo_contract()
    created = seed_payments(contract, coordination_user()) if contract else []
    if created:
        total = sum((p.amount for p in created), Decimal(0))
        context.log(
            _("Versements reçus enregistrés : %(count)s, pour %(total)s €.")
            % {
                "count": len(created),
                "total": number_format(total, decimal_pos=2, force_grouping=True),
            }
        )
    context.created["seed_missions_payments"] = len(created)


def seed_missions_actions(context: DemoContext) -> None:
    """About thirty actions with their events, participant counts, professionals mobilised
    and a few documents; some linked to the working groups and their meetings."""
    contract = demo_contract()
    actions, events = seed_actions_and_events(contract) if contract else (0, 0)
    if actions:
        context.log(_("Fiches action créées : %(count)s.") % {"count": actions})
    if events:
        context.log(_("Événements créés : %(count)s.") % {"count": events})
    context.created["seed_missions_actions"] = actions + events


MISSIONS_DEMO_STEPS = [
    seed_missions_contract,
    seed_missions_lines,
    seed_missions_payments,
    seed_missions_actions,
]
