"""Writes of actions (the ARS "fiche action"), their events, the participants counted per
category, the professionals mobilised, the event documents and the meetings linked to an
action. Every write is atomic and refuses bad input with a French message naming the field.
Participants are counted, never named: no patient identity ever enters."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from cpts.models import User
from governance.models import Body, BodyKind, Meeting
from governance.services.meetings import check_document
from members.models import Member, Profession
from members.models.members import MemberStatus
from missions.models import (
    Action,
    ActionStatus,
    AgeBand,
    Contract,
    Event,
    EventDocument,
    EventKind,
    Mission,
    ParticipantCount,
)
from missions.selectors.contract import current_contract

TEXT_FIELDS = (
    "diagnosis",
    "general_objective",
    "operational_objectives",
    "description",
    "public",
    "actors",
    "key_stages",
)
MAX_TEXT = 20_000
MAX_COUNT = 100_000
MAX_HOURS = Decimal("999.99")


# --- Actions ----------------------------------------------------------------------------


def _clean_action(data: Mapping[str, Any]) -> tuple[dict[str, Any], list[Mission]]:
    errors: dict[str, str] = {}
    title = str(data.get("title") or "").strip()
    if not title:
        errors["title"] = _("Indiquez l'intitulé de l'action.")
    elif len(title) > 255:
        errors["title"] = _("L'intitulé ne peut dépasser 255 caractères.")
    missions = list(data.get("missions") or [])
    if not missions or not all(isinstance(m, Mission) for m in missions):
        errors["missions"] = _("Choisissez au moins une mission.")
    group = data.get("working_group")
    if group is not None and (not isinstance(group, Body) or group.kind != BodyKind.GROUP):
        errors["working_group"] = _("Le groupe de travail doit être un groupe de travail.")
    start = data.get("start")
    planned_end = data.get("planned_end")
    for name, value in (("start", start), ("planned_end", planned_end)):
        if value is not None and not isinstance(value, datetime.date):
            errors[name] = _("Saisissez une date valide, par exemple 15/01/2026.")
    if (
        isinstance(start, datetime.date)
        and isinstance(planned_end, datetime.date)
        and planned_end < start
    ):
        errors["planned_end"] = _("La fin prévue ne peut précéder le début de l'action.")
    status = data.get("status") or ActionStatus.DRAFT
    if status not in ActionStatus.values:
        errors["status"] = _("Choisissez un statut de la liste.")
    contract = data.get("contract")
    if contract is not None and not isinstance(contract, Contract):
        errors["contract"] = _("Choisissez un contrat de la liste.")
    values: dict[str, Any] = {
        "title": title,
        "working_group": group,
        "start": start,
        "planned_end": planned_end,
        "status": status,
    }
    for name in TEXT_FIELDS:
        text = str(data.get(name) or "").strip()
        if len(text) > MAX_TEXT:
            errors[name] = _("Ce texte ne peut dépasser %(max)s caractères.") % {"max": MAX_TEXT}
        values[name] = text
    if errors:
        raise ValidationError(errors)
    return values, missions


@transaction.atomic
def create_action(data: Mapping[str, Any]) -> Action:
    """A new action; without ``contract`` it belongs to the current contract."""
    values, missions = _clean_action(data)
    contract = data.get("contract") if "contract" in data else current_contract()
    action = Action.objects.create(contract=contract, **values)
    action.missions.set(missions)
    return action


@transaction.atomic
def update_action(action: Action, data: Mapping[str, Any]) -> Action:
    values, missions = _clean_action(data)
    new_group = values["working_group"]
    new_group_id = new_group.pk if new_group is not None else None
    if new_group_id != action.working_group_id and action.meetings.exists():
        raise ValidationError(
            {
                "working_group": _(
                    "Des réunions du groupe de travail sont liées à cette action : retirez-les "
                    "avant de changer de groupe."
                )
            }
        )
    for name, value in values.items():
        setattr(action, name, value)
    if "contract" in data:
        action.contract = data["contract"]
    action.save()
    action.missions.set(missions)
    return action


@transaction.atomic
def delete_action(action: Action) -> None:
    if action.events.exists():
        raise ValidationError(
            _(
                "Cette action a des événements : supprimez-les d'abord, ou passez l'action au "
                "statut « Abandonnée »."
            )
        )
    action.meetings.clear()
    action.missions.clear()
    action.delete()


@transaction.atomic
def link_meeting(action: Action, meeting: Meeting) -> None:
    """Link a meeting of the action's working group (only those)."""
    if action.working_group_id is None:
        raise ValidationError(
            {"meeting": _("Choisissez d'abord le groupe de travail de l'action.")}
        )
    if meeting.body_id != action.working_group_id:
        raise ValidationError(
            {
                "meeting": _(
                    "Seules les réunions du groupe de travail de l'action peuvent y être liées."
                )
            }
        )
    action.meetings.add(meeting)


@transaction.atomic
def unlink_meeting(action: Action, meeting: Meeting) -> None:
    action.meetings.remove(meeting)


# --- Events -----------------------------------------------------------------------------


def _clean_event(event: Event | None, data: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    kind = data.get("kind") or ""
    if kind not in EventKind.values:
        errors["kind"] = _("Choisissez le type d'événement.")
    title = str(data.get("title") or "").strip()
    if not title:
        errors["title"] = _("Indiquez l'intitulé de l'événement.")
    elif len(title) > 255:
        errors["title"] = _("L'intitulé ne peut dépasser 255 caractères.")
    date = data.get("date")
    if not isinstance(date, datetime.date):
        errors["date"] = _("Indiquez la date de l'événement, par exemple 15/01/2026.")
    place = str(data.get("place") or "").strip()
    if len(place) > 255:
        errors["place"] = _("Le lieu ne peut dépasser 255 caractères.")
    hours = data.get("hours")
    if hours is not None and hours != "":
        try:
            hours = Decimal(str(hours)).quantize(Decimal("0.01"))
        except InvalidOperation:
            errors["hours"] = _("Saisissez une durée en heures, par exemple 2,5.")
        else:
            if not Decimal(0) <= hours <= MAX_HOURS:
                errors["hours"] = _("La durée doit être comprise entre 0 et 999,99 heures.")
    else:
        hours = None
    notes = str(data.get("notes") or "").strip()
    if len(notes) > MAX_TEXT:
        errors["notes"] = _("Ce texte ne peut dépasser %(max)s caractères.") % {"max": MAX_TEXT}
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "title": title,
        "date": date,
        "place": place,
        "hours": hours,
        "notes": notes,
    }


def _check_professionals(event: Event | None, professionals: Iterable[Member]) -> list[Member]:
    """Professionals newly mobilised must be active members; those already recorded on the
    event stay even if they have left since."""
    chosen = list(professionals)
    already = set(event.professionals.values_list("pk", flat=True)) if event else set()
    inactive = [
        m.display_name for m in chosen if m.pk not in already and m.status != MemberStatus.ACTIVE
    ]
    if inactive:
        raise ValidationError(
            {
                "professionals": _("Seuls les membres actifs peuvent être mobilisés : %(names)s.")
                % {"names": ", ".join(inactive)}
            }
        )
    return chosen


@transaction.atomic
def create_event(
    action: Action,
    data: Mapping[str, Any],
    *,
    professionals: Iterable[Member] = (),
    profession_counts: Mapping[int, Any] | None = None,
    age_band_counts: Mapping[str, Any] | None = None,
) -> Event:
    values = _clean_event(None, data)
    chosen = _check_professionals(None, professionals)
    event = Event.objects.create(action=action, **values)
    event.professionals.set(chosen)
    if profession_counts is not None or age_band_counts is not None:
        set_participant_counts(event, profession_counts or {}, age_band_counts or {})
    return event


@transaction.atomic
def update_event(
    event: Event,
    data: Mapping[str, Any],
    *,
    professionals: Iterable[Member] | None = None,
    profession_counts: Mapping[int, Any] | None = None,
    age_band_counts: Mapping[str, Any] | None = None,
) -> Event:
    """Update an event; the professionals and the counts are replaced when given."""
    values = _clean_event(event, data)
    chosen = _check_professionals(event, professionals) if professionals is not None else None
    for name, value in values.items():
        setattr(event, name, value)
    event.save()
    if chosen is not None:
        event.professionals.set(chosen)
    if profession_counts is not None or age_band_counts is not None:
        set_participant_counts(event, profession_counts or {}, age_band_counts or {})
    return event


@transaction.atomic
def delete_event(event: Event) -> None:
    documents = list(event.documents.all())
    event.professionals.clear()
    event.delete()
    for document in documents:
        _delete_file_on_commit(document)


def _count(value: Any, field: str, label: str, errors: dict[str, str]) -> int:
    if value is None or value == "":
        return 0
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[field] = _("%(label)s : saisissez un nombre entier.") % {"label": label}
        return 0
    if isinstance(value, float) and number != value:
        errors[field] = _("%(label)s : saisissez un nombre entier.") % {"label": label}
    elif number < 0:
        errors[field] = _("%(label)s : le nombre de participants ne peut être négatif.") % {
            "label": label
        }
    elif number > MAX_COUNT:
        errors[field] = _("%(label)s : %(max)s participants au plus.") % {
            "label": label,
            "max": f"{MAX_COUNT:,}".replace(",", "\u202f"),
        }
    return number


@transaction.atomic
def set_participant_counts(
    event: Event, profession_counts: Mapping[int, Any], age_band_counts: Mapping[str, Any]
) -> None:
    """Replace the event's participant counts in one go: professionals by profession (keys:
    profession pk) and public by age band (keys: AgeBand values). Counts must be whole and
    ≥ 0; categories at zero are dropped. Error keys: ``profession_<pk>``, ``age_<band>``."""
    errors: dict[str, str] = {}
    professions = Profession.objects.in_bulk([k for k in profession_counts if isinstance(k, int)])
    wanted_professions: dict[int, int] = {}
    for key, value in profession_counts.items():
        profession = professions.get(key) if isinstance(key, int) else None
        if profession is None:
            errors[f"profession_{key}"] = _("Profession inconnue.")
            continue
        number = _count(value, f"profession_{key}", profession.label, errors)
        if number:
            wanted_professions[key] = number
    wanted_bands: dict[str, int] = {}
    labels = dict(AgeBand.choices)
    for band, value in age_band_counts.items():
        if band not in labels:
            errors[f"age_{band}"] = _("Tranche d'âge inconnue.")
            continue
        number = _count(value, f"age_{band}", str(labels[band]), errors)
        if number:
            wanted_bands[band] = number
    if errors:
        raise ValidationError(errors)
    for row in list(event.counts.all()):
        if row.profession_id is not None:
            number = wanted_professions.pop(row.profession_id, 0)
        else:
            number = wanted_bands.pop(row.age_band, 0)
        if not number:
            row.delete()
        elif number != row.count:
            row.count = number
            row.save(update_fields=["count"])
    for profession_id, number in wanted_professions.items():
        ParticipantCount.objects.create(event=event, profession_id=profession_id, count=number)
    for band, number in wanted_bands.items():
        ParticipantCount.objects.create(event=event, age_band=band, count=number)


# --- Event documents --------------------------------------------------------------------


@transaction.atomic
def add_event_document(
    event: Event, *, title: str, upload: UploadedFile, by: User | None = None
) -> EventDocument:
    """A document of the event (PDF, office document or image, 10 Mo at most)."""
    check_document(upload)
    title = (title or "").strip() or PurePath(upload.name or "").stem or _("Document")
    document = EventDocument(event=event, title=title[:200], uploaded_by=by)
    document.file.save(PurePath(upload.name or "document").name, upload, save=False)
    document.save()
    return document


def _delete_file_on_commit(document: EventDocument) -> None:
    stored = document.file.name
    storage = document.file.storage
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def delete_event_document(document: EventDocument) -> None:
    _delete_file_on_commit(document)
    document.delete()
