"""Writes of indicator lines: the line and its tiers or bands, its livrables and their proofs,
its assessed result, and the carrying of unreached lines into the next contract year.

Every write is atomic and validated first: parameters through ``missions.earning.terms_errors``,
whose paths (``target``, ``tiers[1].threshold``, ``bands[0].max``…) become the keys of the
``ValidationError`` raised, so forms can put each French message on its field."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from cpts.models import User
from governance.services.meetings import check_content
from missions.earning import INCREASING, Band, LineTerms, Tier, terms_errors
from missions.models import (
    AchievedSource,
    ContractYear,
    IndicatorLine,
    LineBand,
    LineKind,
    LineTier,
    Livrable,
    LivrableStatus,
    MissionEnvelope,
    Proof,
)
from missions.selectors.lines import carry_over_plan

MAX_PROOF_BYTES = 10 * 1024 * 1024
PROOF_EXTENSIONS = frozenset(
    {
        ".pdf",
        ".doc",
        ".docx",
        ".odt",
        ".xls",
        ".xlsx",
        ".ods",
        ".ppt",
        ".pptx",
        ".odp",
        ".csv",
        ".txt",
        ".rtf",
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
        ".heic",
    }
)
MEASURED_KINDS = frozenset({LineKind.TARGET, LineKind.TIERS, LineKind.BANDS})
DONE_KINDS = frozenset({LineKind.BINARY, LineKind.CRISIS})
LABEL_MAX = 300


@dataclass(frozen=True)
class LineData:
    """A line's parameters as typed in a form or an annex."""

    label: str
    kind: str
    direction: str = INCREASING
    amount: Decimal = Decimal("0")
    baseline: Decimal | None = None
    target: Decimal | None = None
    tiers: Sequence[Tier] = field(default_factory=tuple)
    bands: Sequence[Band] = field(default_factory=tuple)

    def terms(self) -> LineTerms:
        return LineTerms(
            kind=self.kind,
            amount=self.amount,
            direction=self.direction,
            baseline=self.baseline,
            target=self.target,
            tiers=tuple(self.tiers) if self.kind == LineKind.TIERS else (),
            bands=tuple(self.bands) if self.kind == LineKind.BANDS else (),
        )


def _raise(errors: list[tuple[str, str]]) -> None:
    if errors:
        grouped: dict[str, list[str]] = {}
        for path, message in errors:
            grouped.setdefault(path, []).append(message)
        raise ValidationError(grouped)


def line_data_errors(data: LineData) -> list[tuple[str, str]]:
    """Everything wrong with ``data``, as (field path, French message) pairs."""
    errors: list[tuple[str, str]] = []
    label = data.label.strip()
    if not label:
        errors.append(("label", _("Donnez un intitulé à la ligne.")))
    elif len(label) > LABEL_MAX:
        errors.append(("label", _("L'intitulé dépasse 300 caractères.")))
    errors += terms_errors(data.terms())
    for index, tier in enumerate(data.tiers if data.kind == LineKind.TIERS else ()):
        if len(tier.label) > 100:
            errors.append((f"tiers[{index}].label", _("Le nom du palier dépasse 100 caractères.")))
    return errors


def _line_amount(data: LineData) -> Decimal:
    """For tiers and bands, the line's amount is its best tier or band."""
    if data.kind == LineKind.TIERS:
        return max((t.amount for t in data.tiers), default=Decimal("0"))
    if data.kind == LineKind.BANDS:
        return max((b.amount for b in data.bands), default=Decimal("0"))
    return data.amount


def _write_parameters(line: IndicatorLine, data: LineData) -> None:
    line.label = data.label.strip()
    line.kind = data.kind
    line.direction = data.direction
    line.amount = _line_amount(data)
    line.baseline = data.baseline
    line.target = data.target if data.kind == LineKind.TARGET else None
    line.save()
    line.tiers.all().delete()
    line.bands.all().delete()
    if data.kind == LineKind.TIERS:
        for i, t in enumerate(data.tiers):
            LineTier.objects.create(
                line=line, position=i, label=t.label.strip(), threshold=t.threshold, amount=t.amount
            )
    if data.kind == LineKind.BANDS:
        for i, b in enumerate(data.bands):
            LineBand.objects.create(
                line=line, position=i, minimum=b.minimum, maximum=b.maximum, amount=b.amount
            )


def _next_position(envelope: MissionEnvelope) -> int:
    last = envelope.lines.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


@transaction.atomic
def create_line(
    envelope: MissionEnvelope,
    data: LineData,
    *,
    livrables: Sequence[str] = (),
    by: User | None = None,
) -> IndicatorLine:
    labels = [label.strip() for label in livrables if label.strip()]
    errors = line_data_errors(data)
    errors += [
        ("livrables", _("Un livrable dépasse 300 caractères."))
        for label in labels
        if len(label) > LABEL_MAX
    ][:1]
    _raise(errors)
    line = IndicatorLine(envelope=envelope, position=_next_position(envelope))
    _write_parameters(line, data)
    for i, label in enumerate(labels):
        Livrable.objects.create(line=line, position=i, label=label)
    return line


@transaction.atomic
def update_line(line: IndicatorLine, data: LineData, *, by: User | None = None) -> IndicatorLine:
    _raise(line_data_errors(data))
    _write_parameters(line, data)
    return line


def _delete_files_on_commit(files: Sequence[FieldFile]) -> None:
    for stored in files:
        if stored and stored.name:
            transaction.on_commit(partial(stored.storage.delete, stored.name))


@transaction.atomic
def delete_line(line: IndicatorLine, *, by: User | None = None) -> None:
    files = [proof.file for proof in Proof.objects.filter(livrable__line=line)]
    files.append(line.achieved_proof)
    line.delete()
    _delete_files_on_commit(files)


# --- Livrables and proofs ----------------------------------------------------------------


def _clean_label(label: str, field_name: str = "label") -> str:
    label = (label or "").strip()
    if not label:
        raise ValidationError({field_name: _("Indiquez le livrable attendu.")})
    if len(label) > LABEL_MAX:
        raise ValidationError({field_name: _("Le livrable dépasse 300 caractères.")})
    return label


@transaction.atomic
def add_livrable(line: IndicatorLine, label: str, *, by: User | None = None) -> Livrable:
    label = _clean_label(label)
    last = line.livrables.aggregate(last=Max("position"))["last"]
    return Livrable.objects.create(line=line, label=label, position=0 if last is None else last + 1)


@transaction.atomic
def update_livrable(
    livrable: Livrable,
    *,
    label: str | None = None,
    status: str | None = None,
    by: User | None = None,
) -> Livrable:
    """Rename a livrable and/or set its status (missing, provided, accepted)."""
    if label is not None:
        livrable.label = _clean_label(label)
    if status is not None:
        if status not in LivrableStatus.values:
            raise ValidationError({"status": _("Statut de livrable inconnu.")})
        livrable.status = status
    livrable.save()
    return livrable


@transaction.atomic
def delete_livrable(livrable: Livrable, *, by: User | None = None) -> None:
    files = [proof.file for proof in livrable.proofs.all()]
    livrable.delete()
    _delete_files_on_commit(files)


def check_proof_file(upload: UploadedFile, field_name: str = "file") -> None:
    """A PDF, an office document or an image of at most 10 Mo whose content matches its
    extension, else a French error."""
    if PurePath(upload.name or "").suffix.lower() not in PROOF_EXTENSIONS:
        raise ValidationError(
            {
                field_name: _(
                    "Format de fichier non accepté : déposez un PDF, un document bureautique "
                    "(Word, Excel, PowerPoint, LibreOffice, texte) ou une image."
                )
            }
        )
    if (upload.size or 0) > MAX_PROOF_BYTES:
        raise ValidationError({field_name: _("Le fichier dépasse la taille maximale de 10 Mo.")})
    check_content(upload, field_name)


@transaction.atomic
def add_proof(
    livrable: Livrable, upload: UploadedFile, *, title: str = "", by: User | None = None
) -> Proof:
    """Attach a file to a livrable; a missing livrable becomes provided."""
    check_proof_file(upload)
    name = PurePath(upload.name or "justificatif").name
    title = (title or "").strip() or PurePath(name).stem or _("Justificatif")
    proof = Proof(livrable=livrable, title=title[:200], uploaded_by=by)
    proof.file.save(name, upload, save=False)
    proof.save()
    if livrable.status == LivrableStatus.MISSING:
        livrable.status = LivrableStatus.PROVIDED
        livrable.save(update_fields=["status", "updated_at"])
    return proof


@transaction.atomic
def delete_proof(proof: Proof, *, by: User | None = None) -> None:
    """Remove a proof; a livrable left without any proof goes back to missing unless it was
    already accepted."""
    livrable = proof.livrable
    files = [proof.file]
    proof.delete()
    if livrable.status == LivrableStatus.PROVIDED and not livrable.proofs.exists():
        livrable.status = LivrableStatus.MISSING
        livrable.save(update_fields=["status", "updated_at"])
    _delete_files_on_commit(files)


# --- Result ------------------------------------------------------------------------------


@transaction.atomic
def assess_line(
    line: IndicatorLine,
    *,
    done: bool | None = None,
    achieved: Decimal | None = None,
    source: str = AchievedSource.MANUAL,
    note: str = "",
    proof_file: UploadedFile | None = None,
    by: User | None = None,
) -> IndicatorLine:
    """Record a line's result: ``done`` for binary and crisis lines, the ``achieved`` value
    for target, tiers and bands lines, with its source, a note and an optional proof."""
    errors: list[tuple[str, str]] = []
    if line.kind in DONE_KINDS:
        if achieved is not None:
            errors.append(
                ("achieved", _("Cette ligne se valide par « réalisée », pas par une valeur."))
            )
    elif achieved is None:
        errors.append(("achieved", _("Saisissez la valeur atteinte.")))
    elif not achieved.is_finite() or abs(achieved) >= Decimal("1e10"):
        errors.append(("achieved", _("La valeur atteinte est hors limites.")))
    elif achieved < 0:
        errors.append(("achieved", _("La valeur atteinte ne peut pas être négative.")))
    if source not in AchievedSource.values:
        errors.append(("source", _("Source de la valeur inconnue.")))
    note = (note or "").strip()
    if len(note) > 255:
        errors.append(("note", _("La précision dépasse 255 caractères.")))
    _raise(errors)
    if proof_file is not None:
        check_proof_file(proof_file, "proof_file")
    if line.kind in DONE_KINDS:
        line.done = bool(done)
        line.achieved = None
    else:
        line.done = False
        line.achieved = achieved
    line.achieved_source = source
    line.achieved_note = note
    previous = line.achieved_proof if proof_file is not None else None
    if proof_file is not None:
        line.achieved_proof.save(
            PurePath(proof_file.name or "justificatif").name, proof_file, save=False
        )
    line.assessed_at = timezone.now()
    line.assessed_by = by
    line.save()
    if previous is not None and previous.name and previous.name != line.achieved_proof.name:
        _delete_files_on_commit([previous])
    return line


# --- Carrying into the next year ----------------------------------------------------------


@transaction.atomic
def carry_over(year: ContractYear, *, by: User | None = None) -> int:
    """Copy every line of ``year`` that earned less than it could into the next contract
    year (same mission and parameters, labelled "<label> (report de l'année N)", its
    livrables without proofs, not assessed), once: lines the next year already has (same
    label, or carried before) are skipped. The next year's variable envelope grows by each
    carried line's potential, so every mission's lines still add up to its envelope."""
    plan = carry_over_plan(year)
    count = 0
    for mission in plan.missions:
        if not mission.carried:
            continue
        envelope = mission.next_envelope
        if envelope is None:
            envelope = MissionEnvelope.objects.create(
                year=plan.next_year, mission_id=mission.envelope.mission_id, fixed=0, variable=0
            )
        else:
            envelope = MissionEnvelope.objects.select_for_update().get(pk=envelope.pk)
        for item in mission.carried:
            _copy_line(item.line, envelope, item.label, item.result.livrables)
            count += 1
        envelope.variable += mission.growth
        envelope.save()
    return count


def _copy_line(
    original: IndicatorLine, envelope: MissionEnvelope, label: str, livrables: Sequence[Livrable]
) -> IndicatorLine:
    copy = IndicatorLine.objects.create(
        envelope=envelope,
        position=_next_position(envelope),
        label=label,
        kind=original.kind,
        direction=original.direction,
        amount=original.amount,
        baseline=original.baseline,
        target=original.target,
        carried_from=original,
    )
    for t in original.tiers.all():
        LineTier.objects.create(
            line=copy, position=t.position, label=t.label, threshold=t.threshold, amount=t.amount
        )
    for b in original.bands.all():
        LineBand.objects.create(
            line=copy, position=b.position, minimum=b.minimum, maximum=b.maximum, amount=b.amount
        )
    for livrable in livrables:
        Livrable.objects.create(line=copy, position=livrable.position, label=livrable.label)
    return copy
