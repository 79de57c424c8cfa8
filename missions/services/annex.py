"""Importing a contract annex file into its contract year, all or nothing.

A year without lines receives the file's envelopes, lines, tiers, bands, livrables and
results. A year that has lines is only replaced on request (``replace``), and never loses an
uploaded proof silently: a line matching by mission and label is updated in place, its
livrables matched by label keep their proofs, and a livrable absent from the file is deleted
only when it has none (otherwise kept, and reported by the plan). Every write goes through the
ORM one object at a time, so that the audit log records it."""

from __future__ import annotations

import re
import secrets
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cpts.models import User
from missions.annex import DONE_KINDS, MEASURED, Annex, AnnexLine, AnnexMission
from missions.models import (
    AchievedSource,
    ContractMission,
    ContractYear,
    IndicatorLine,
    LineBand,
    LineTier,
    Livrable,
    MissionEnvelope,
)
from missions.selectors.annex import (
    AnnexPlan,
    LinePlan,
    MissionPlan,
    annex_plan,
    annex_year,
)


class AnnexRefused(Exception):
    """The import cannot run as asked (a year that has lines, without ``replace``)."""


def replace_refusal(plan: AnnexPlan) -> str:
    return _(
        "L'année %(number)s a déjà %(count)s ligne(s) d'indicateurs : demandez explicitement "
        "leur remplacement (--replace, ou la case « Remplacer » de la page d'import). Les "
        "justificatifs déposés des lignes retrouvées par mission et intitulé sont conservés."
    ) % {"number": plan.year.number, "count": plan.existing_lines}


@transaction.atomic
def import_annex(annex: Annex, *, replace: bool = False, user: User | None = None) -> AnnexPlan:
    """Carry out the import of ``annex``; returns the plan it followed. Raises
    ``AnnexInvalid`` (no such year…) or ``AnnexRefused``; nothing is written then."""
    year = annex_year(annex)
    ContractYear.objects.select_for_update().filter(pk=year.pk).first()
    plan = annex_plan(year, annex)
    if plan.needs_replace and not replace:
        raise AnnexRefused(replace_refusal(plan))
    for mission_plan in plan.missions:
        _apply_mission(year, mission_plan, user)
    if annex.crisis_recognised is not None and plan.crisis_change is not None:
        year.crisis_recognised = annex.crisis_recognised
        year.save(update_fields=["crisis_recognised", "updated_at"])
    return plan


def _apply_mission(year: ContractYear, plan: MissionPlan, user: User | None) -> None:
    if plan.annex is None:
        if plan.envelope is not None:
            for line_plan in plan.lines:
                if line_plan.line is not None:
                    line_plan.line.delete()
            plan.envelope.delete()
        return
    new: AnnexMission = plan.annex
    if plan.choose_mission:
        ContractMission.objects.get_or_create(contract_id=year.contract_id, mission=plan.mission)
    envelope = plan.envelope or MissionEnvelope(year=year, mission=plan.mission)
    if envelope.pk is None or plan.envelope_changes:
        envelope.fixed, envelope.variable, envelope.start = new.fixed, new.variable, new.start
        envelope.save()
    position = 0
    for line_plan in plan.lines:
        if line_plan.annex is None:
            if line_plan.line is not None:
                line_plan.line.delete()
            continue
        _apply_line(envelope, line_plan, line_plan.annex, position, user)
        position += 1


def _apply_line(
    envelope: MissionEnvelope, plan: LinePlan, new: AnnexLine, position: int, user: User | None
) -> None:
    line = plan.line or IndicatorLine(envelope=envelope)
    if line.pk is not None and not plan.changes and not plan.livrables_removed:
        return
    line.position = position
    line.label = new.label
    line.kind = new.kind
    line.amount = new.amount
    line.direction = new.direction
    line.baseline = new.baseline
    line.target = new.target
    if new.kind in MEASURED:
        line.done = False
        if new.achieved is not None and new.achieved != line.achieved:
            line.achieved = new.achieved
            line.achieved_source = AchievedSource.IMPORT
            _assessed(line, user)
    else:
        line.achieved, line.achieved_source = None, ""
        if new.done is not None and new.kind in DONE_KINDS and new.done != line.done:
            line.done = new.done
            _assessed(line, user)
    line.save()
    _apply_tiers_and_bands(line, plan.line is not None, new)
    _apply_livrables(line, plan, new)


def _apply_tiers_and_bands(line: IndicatorLine, stored: bool, new: AnnexLine) -> None:
    if stored:
        tiers, bands = list(line.tiers.all()), list(line.bands.all())
        same_tiers = [(t.threshold, t.amount, t.label) for t in tiers] == [
            (t.threshold, t.amount, t.label) for t in new.tiers
        ]
        same_bands = [(b.minimum, b.maximum, b.amount) for b in bands] == [
            (b.minimum, b.maximum, b.amount) for b in new.bands
        ]
        if same_tiers and same_bands:
            return
        for tier in tiers:
            tier.delete()
        for band in bands:
            band.delete()
    for index, tier_terms in enumerate(new.tiers):
        LineTier.objects.create(
            line=line,
            position=index,
            label=tier_terms.label,
            threshold=tier_terms.threshold,
            amount=tier_terms.amount,
        )
    for index, band_terms in enumerate(new.bands):
        LineBand.objects.create(
            line=line,
            position=index,
            minimum=band_terms.minimum,
            maximum=band_terms.maximum,
            amount=band_terms.amount,
        )


def _apply_livrables(line: IndicatorLine, plan: LinePlan, new: AnnexLine) -> None:
    """The file's livrables in its order (a stored one matched by label keeps its status and
    proofs), then the stored ones the file leaves out but that have proofs; the others go.
    Same matching as ``missions.selectors.annex._line_plan``."""
    matched: dict[str, Livrable] = {}
    kept: list[Livrable] = []
    for livrable in line.livrables.all() if plan.line else ():
        if livrable.label in new.livrables and livrable.label not in matched:
            matched[livrable.label] = livrable
        elif getattr(livrable, "proof_count", 0):
            kept.append(livrable)
        else:
            livrable.delete()
    for index, label in enumerate(new.livrables):
        livrable = matched.get(label) or Livrable(line=line, label=label)
        if livrable.pk is None or livrable.position != index:
            livrable.position = index
            livrable.save()
    for index, livrable in enumerate(kept, start=len(new.livrables)):
        if livrable.position != index:
            livrable.position = index
            livrable.save()


def _assessed(line: IndicatorLine, user: User | None) -> None:
    line.assessed_at = timezone.now()
    line.assessed_by = user


# --- Files waiting between the preview and the confirmation ----------------------------------

PENDING_FOLDER = "annex-imports"
PENDING_MAX_AGE = timedelta(days=1)
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _pending_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / PENDING_FOLDER


def store_pending(content: bytes) -> str:
    """Keep an uploaded annex until it is confirmed; returns its unguessable token."""
    folder = _pending_dir()
    folder.mkdir(parents=True, exist_ok=True)
    limit = time.time() - PENDING_MAX_AGE.total_seconds()
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    (folder / token).write_bytes(content)
    return token


def load_pending(token: str) -> bytes | None:
    if not _TOKEN_RE.match(token or ""):
        return None
    path = _pending_dir() / token
    return path.read_bytes() if path.is_file() else None


def discard_pending(token: str) -> None:
    if _TOKEN_RE.match(token or ""):
        (_pending_dir() / token).unlink(missing_ok=True)
