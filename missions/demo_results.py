"""The indicator lines of the demo contract written to the database (see ``missions.demo``):
lines, tiers, bands and livrables from ``missions.demo_lines``, the results assessed at the
dialogue de gestion (years 1 and 2) or since the start of year 3, the line carried from year 1
into year 2, livrable statuses following the results, and small PDF proofs uploaded through
the file fields' storage (so ``MEDIA_ROOT`` applies)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from cpts.models import User
from missions.demo_files import demo_pdf
from missions.demo_lines import ASSESSED_YEARS, CRISIS_YEAR, LineSpec, year_lines
from missions.earning import Band, LineTerms, Tier, earned
from missions.models import (
    IndicatorLine,
    LineBand,
    LineKind,
    LineTier,
    Livrable,
    LivrableStatus,
    MissionEnvelope,
    Proof,
)


def spec_terms(spec: LineSpec, crisis_recognised: bool) -> LineTerms:
    """The pure-rule view of a demo line (to check its parameters and its result)."""
    return LineTerms(
        kind=spec.kind,
        amount=spec.amount,
        direction=spec.direction,
        baseline=spec.baseline,
        target=spec.target,
        tiers=tuple(Tier(threshold=t, amount=a, label=label) for label, t, a in spec.tiers),
        bands=tuple(Band(minimum=lo, maximum=hi, amount=a) for lo, hi, a in spec.bands),
        done=spec.done,
        achieved=spec.achieved,
        crisis_recognised=crisis_recognised,
    )


def _assessed_at(envelope: MissionEnvelope) -> datetime.datetime:
    year = envelope.year
    if year.dialogue_on is not None:
        day = year.dialogue_on
    else:
        day = min(year.start + datetime.timedelta(days=90), timezone.localdate())
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def _livrable_status(spec: LineSpec, number: int) -> str:
    has_result = spec.done or spec.achieved is not None
    if number in ASSESSED_YEARS and earned(spec_terms(spec, number == CRISIS_YEAR)) > 0:
        return LivrableStatus.ACCEPTED
    return LivrableStatus.PROVIDED if has_result else LivrableStatus.MISSING


def _pdf(title: str, envelope: MissionEnvelope, line_label: str) -> ContentFile[bytes]:
    year = envelope.year
    body = [
        "CPTS du Cœur d'Hérault — contrat ACI",
        f"Année {year.number} du contrat ({year.start:%d/%m/%Y} au {year.end:%d/%m/%Y})",
        f"Mission : {envelope.mission.name}",
        f"Indicateur : {line_label}",
        "Document de démonstration, sans donnée de patient.",
    ]
    return ContentFile(demo_pdf(title, body))


def create_lines(envelopes: Sequence[MissionEnvelope], user: User | None) -> tuple[int, int]:
    """The lines of ``envelopes`` (none of which has lines yet, years and missions selected)
    with everything hanging from them; returns the numbers of lines and proofs created."""
    plans: list[tuple[MissionEnvelope, LineSpec, IndicatorLine]] = []
    for envelope in envelopes:
        number = envelope.year.number
        for position, spec in enumerate(year_lines(envelope.mission.key, number)):
            line = IndicatorLine(
                envelope=envelope,
                position=position,
                label=spec.label,
                kind=spec.kind,
                direction=spec.direction,
                amount=spec.amount,
                baseline=spec.baseline,
                target=spec.target,
                done=spec.done,
                achieved=spec.achieved,
                achieved_source=spec.source if spec.achieved is not None else "",
                achieved_note=spec.note if spec.achieved is not None else "",
            )
            if spec.done or spec.achieved is not None:
                line.assessed_at = _assessed_at(envelope)
                line.assessed_by = user
            if spec.kind == LineKind.TIERS and spec.achieved is not None:
                title = f"Extrait CPAM — {spec.label}"
                line.achieved_proof.save(
                    f"extrait-cpam-annee-{number}-{slugify(spec.label)[:60]}.pdf",
                    _pdf(title, envelope, spec.label),
                    save=False,
                )
            plans.append((envelope, spec, line))
    IndicatorLine.objects.bulk_create([line for _e, _s, line in plans])
    _carry(plans)
    tiers, bands, livrables = [], [], []
    for envelope, spec, line in plans:
        tiers += [
            LineTier(line=line, position=i, label=label, threshold=threshold, amount=amount)
            for i, (label, threshold, amount) in enumerate(spec.tiers)
        ]
        bands += [
            LineBand(line=line, position=i, minimum=low, maximum=high, amount=amount)
            for i, (low, high, amount) in enumerate(spec.bands)
        ]
        status = _livrable_status(spec, envelope.year.number)
        livrables += [
            Livrable(line=line, position=i, label=label, status=status)
            for i, label in enumerate(spec.livrables)
        ]
    LineTier.objects.bulk_create(tiers)
    LineBand.objects.bulk_create(bands)
    Livrable.objects.bulk_create(livrables)
    proofs = _proofs(plans, livrables, user)
    return len(plans), len(proofs)


def _carry(plans: list[tuple[MissionEnvelope, LineSpec, IndicatorLine]]) -> None:
    """Link the lines carried from the previous year to the line of the same label."""
    for envelope, spec, line in plans:
        if not spec.carried:
            continue
        previous = (
            IndicatorLine.objects.filter(
                envelope__year__contract_id=envelope.year.contract_id,
                envelope__year__number=envelope.year.number - 1,
                envelope__mission_id=envelope.mission_id,
                label=spec.label,
            )
            .order_by("pk")
            .first()
        )
        if previous is not None:
            IndicatorLine.objects.filter(pk=line.pk).update(carried_from=previous)


def _proofs(
    plans: list[tuple[MissionEnvelope, LineSpec, IndicatorLine]],
    livrables: list[Livrable],
    user: User | None,
) -> list[Proof]:
    """A PDF proof for the first livrable provided or accepted of each line."""
    envelopes = {line.pk: envelope for envelope, _spec, line in plans}
    proofs = []
    for livrable in livrables:
        if livrable.position != 0 or livrable.status == LivrableStatus.MISSING:
            continue
        envelope = envelopes[livrable.line.pk]
        proof = Proof(livrable=livrable, title=livrable.label, uploaded_by=user)
        name = f"{slugify(livrable.label)[:50]}-annee-{envelope.year.number}.pdf"
        proof.file.save(name, _pdf(livrable.label, envelope, livrable.line.label), save=False)
        proofs.append(proof)
    Proof.objects.bulk_create(proofs)
    return proofs
