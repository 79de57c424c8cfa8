"""Writes of the ACI contract: the contract with its five years and chosen missions, the dates
each mission reached, the per-year settings and the mission envelopes. Every write is atomic
and validated here (French messages naming the field); auditlog records each change."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cpts.models import Association
from cpts.selectors.territory import territory_summary
from missions.deadlines import all_year_dates
from missions.models import (
    Contract,
    ContractMission,
    ContractStatus,
    ContractYear,
    IndicatorLine,
    Mission,
    MissionEnvelope,
    MissionKind,
)


def _territory_size(association: Association | None) -> tuple[str, int]:
    summary = territory_summary(association)
    if summary.taille is None:
        raise ValidationError(
            _(
                "Le territoire de la CPTS ne compte aucune commune : ajoutez ses communes "
                "avant de saisir le contrat, la taille en dépend."
            )
        )
    return summary.taille, summary.population


def _check_texts(cpam: str, ars: str, status: str) -> None:
    errors = {}
    if not cpam.strip():
        errors["cpam"] = _("Indiquez la CPAM signataire.")
    if not ars.strip():
        errors["ars"] = _("Indiquez l'ARS signataire.")
    if status not in ContractStatus.values:
        errors["status"] = _("Statut du contrat inconnu.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_contract(
    *,
    signed_on: date,
    cpam: str,
    ars: str,
    reference: str = "",
    status: str = ContractStatus.SIGNED,
    notes: str = "",
    optional_missions: Iterable[Mission] = (),
    association: Association | None = None,
) -> Contract:
    """A contract with its five years and its missions: every socle mission, plus the
    optional ones chosen. The taille and population come from the territory today."""
    _check_texts(cpam, ars, status)
    taille, population = _territory_size(association)
    contract = Contract.objects.create(
        signed_on=signed_on,
        cpam=cpam.strip(),
        ars=ars.strip(),
        reference=reference.strip(),
        status=status,
        notes=notes,
        taille=taille,
        population=population,
    )
    for number, (start, end) in enumerate(all_year_dates(signed_on), start=1):
        ContractYear.objects.create(contract=contract, number=number, start=start, end=end)
    chosen = {m.pk for m in optional_missions if m.kind == MissionKind.OPTIONAL}
    for mission in Mission.objects.all():
        if mission.kind == MissionKind.SOCLE or mission.pk in chosen:
            ContractMission.objects.create(contract=contract, mission=mission)
    return contract


@transaction.atomic
def update_contract(
    contract: Contract,
    *,
    signed_on: date,
    cpam: str,
    ars: str,
    reference: str = "",
    status: str = ContractStatus.SIGNED,
    notes: str = "",
    retake_taille: bool = False,
    association: Association | None = None,
) -> Contract:
    """Edit a contract. The taille stays the one taken at signature unless ``retake_taille``
    recomputes it from the territory. A new signature date moves the five years."""
    _check_texts(cpam, ars, status)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if retake_taille:
        contract.taille, contract.population = _territory_size(association)
    if signed_on != contract.signed_on:
        _move_years(contract, signed_on)
    contract.signed_on = signed_on
    contract.cpam = cpam.strip()
    contract.ars = ars.strip()
    contract.reference = reference.strip()
    contract.status = status
    contract.notes = notes
    contract.save()
    return contract


def _move_years(contract: Contract, signed_on: date) -> None:
    dates = dict(enumerate(all_year_dates(signed_on), start=1))
    years = list(contract.years.all())
    outside = MissionEnvelope.objects.filter(year__in=years, start__isnull=False).select_related(
        "year", "mission"
    )
    for envelope in outside:
        start, end = dates[envelope.year.number]
        if envelope.start is not None and not start <= envelope.start <= end:
            raise ValidationError(
                {
                    "signed_on": _(
                        "Avec cette date de signature, le début de la mission « %(mission)s » "
                        "(%(date)s) sortirait de l'année %(number)s : corrigez d'abord son "
                        "enveloppe."
                    )
                    % {
                        "mission": envelope.mission,
                        "date": envelope.start.strftime("%d/%m/%Y"),
                        "number": envelope.year.number,
                    }
                }
            )
    for year in years:
        year.start, year.end = dates[year.number]
        year.save(update_fields=["start", "end", "updated_at"])


@transaction.atomic
def set_mission_chosen(contract: Contract, mission: Mission, chosen: bool) -> None:
    """Choose or drop an optional mission (socle missions are always part of the contract;
    a mission with envelopes cannot be dropped)."""
    existing = ContractMission.objects.filter(contract=contract, mission=mission).first()
    if chosen:
        if existing is None:
            ContractMission.objects.create(contract=contract, mission=mission)
        return
    if mission.kind == MissionKind.SOCLE:
        raise ValidationError({"chosen": _("Une mission socle fait toujours partie du contrat.")})
    if MissionEnvelope.objects.filter(year__contract=contract, mission=mission).exists():
        raise ValidationError(
            {
                "chosen": _(
                    "La mission « %(mission)s » a des enveloppes : supprimez-les avant de la "
                    "retirer du contrat."
                )
                % {"mission": mission}
            }
        )
    if existing is not None:
        existing.delete()


@transaction.atomic
def record_mission_dates(
    contract_mission: ContractMission, started_on: date | None, deployed_on: date | None
) -> ContractMission:
    """The dates a mission actually started and was fully deployed: neither before the
    contract's signature nor in the future."""
    signed_on = contract_mission.contract.signed_on
    today = timezone.localdate()
    errors: dict[str, str] = {}
    fields = (
        ("started_on", _("La date de démarrage"), started_on),
        ("deployed_on", _("La date de déploiement complet"), deployed_on),
    )
    for field, label, value in fields:
        if value is None:
            continue
        if value < signed_on:
            errors[field] = _(
                "%(field)s (%(date)s) ne peut précéder la signature du contrat (%(signed)s)."
            ) % {
                "field": label,
                "date": value.strftime("%d/%m/%Y"),
                "signed": signed_on.strftime("%d/%m/%Y"),
            }
        elif value > today:
            errors[field] = _(
                "%(field)s (%(date)s) ne peut être dans le futur : nous sommes le %(today)s."
            ) % {
                "field": label,
                "date": value.strftime("%d/%m/%Y"),
                "today": today.strftime("%d/%m/%Y"),
            }
    if errors:
        raise ValidationError(errors)
    if deployed_on is not None and started_on is None:
        raise ValidationError(
            {"deployed_on": _("Indiquez d'abord la date de démarrage de la mission.")}
        )
    if deployed_on is not None and started_on is not None and deployed_on < started_on:
        raise ValidationError(
            {"deployed_on": _("Le déploiement complet ne peut précéder le démarrage.")}
        )
    contract_mission.started_on = started_on
    contract_mission.deployed_on = deployed_on
    contract_mission.save(update_fields=["started_on", "deployed_on", "updated_at"])
    return contract_mission


@transaction.atomic
def update_year(
    year: ContractYear,
    *,
    fonctionnement: Decimal | None,
    crisis_recognised: bool,
    dialogue_on: date | None,
) -> ContractYear:
    """A year's own fonctionnement (None: the taille's amount), the ARS's recognition of a
    crisis and the date of the dialogue de gestion."""
    if fonctionnement is not None and fonctionnement < 0:
        raise ValidationError({"fonctionnement": _("Le montant ne peut pas être négatif.")})
    year.fonctionnement = fonctionnement
    year.crisis_recognised = crisis_recognised
    year.dialogue_on = dialogue_on
    year.save(update_fields=["fonctionnement", "crisis_recognised", "dialogue_on", "updated_at"])
    return year


def _check_envelope(
    year: ContractYear,
    mission: Mission,
    start: date | None,
    fixed: Decimal,
    variable: Decimal,
    envelope: MissionEnvelope | None,
) -> None:
    errors: dict[str, str] = {}
    if not ContractMission.objects.filter(contract_id=year.contract_id, mission=mission).exists():
        errors["mission"] = _("La mission « %(mission)s » n'est pas choisie par le contrat.") % {
            "mission": mission
        }
    others = MissionEnvelope.objects.filter(year=year, mission=mission)
    if envelope is not None:
        others = others.exclude(pk=envelope.pk)
    if others.exists():
        errors["mission"] = _(
            "L'année %(number)s a déjà une enveloppe pour la mission « %(mission)s »."
        ) % {"number": year.number, "mission": mission}
    if start is not None and not year.start <= start <= year.end:
        errors["start"] = _("Le début doit tomber dans l'année, du %(start)s au %(end)s.") % {
            "start": year.start.strftime("%d/%m/%Y"),
            "end": year.end.strftime("%d/%m/%Y"),
        }
    if fixed < 0:
        errors["fixed"] = _("La part fixe ne peut pas être négative.")
    if variable < 0:
        errors["variable"] = _("La part variable ne peut pas être négative.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_envelope(
    year: ContractYear,
    *,
    mission: Mission,
    start: date | None,
    fixed: Decimal,
    variable: Decimal,
) -> MissionEnvelope:
    _check_envelope(year, mission, start, fixed, variable, None)
    return MissionEnvelope.objects.create(
        year=year, mission=mission, start=start, fixed=fixed, variable=variable
    )


@transaction.atomic
def update_envelope(
    envelope: MissionEnvelope, *, start: date | None, fixed: Decimal, variable: Decimal
) -> MissionEnvelope:
    """Amounts and start of an envelope (its mission and year never change: lines hang on
    it)."""
    _check_envelope(envelope.year, envelope.mission, start, fixed, variable, envelope)
    envelope.start = start
    envelope.fixed = fixed
    envelope.variable = variable
    envelope.save(update_fields=["start", "fixed", "variable", "updated_at"])
    return envelope


@transaction.atomic
def delete_envelope(envelope: MissionEnvelope) -> None:
    """Remove an envelope that has no indicator line yet."""
    if IndicatorLine.objects.filter(envelope=envelope).exists():
        raise ValidationError(
            _(
                "Cette enveloppe a des lignes d'indicateurs : supprimez-les avant de "
                "supprimer l'enveloppe."
            )
        )
    envelope.delete()
