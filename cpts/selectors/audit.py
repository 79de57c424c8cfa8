"""Reads of the audit trail (django-auditlog): the latest entries for objects or models, and
display rows for templates/includes/audit_history.html. Every app's pages reuse these."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    BooleanField,
    DateField,
    DateTimeField,
    DecimalField,
    IntegerField,
    Model,
    QuerySet,
)
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


def history_for(*models_or_objects: type[Model] | Model, limit: int = 50) -> QuerySet[Any]:
    """Latest audit entries for the given model classes or instances, actor preloaded."""
    entries = LogEntry.objects.none()
    for item in models_or_objects:
        if isinstance(item, Model):
            entries |= LogEntry.objects.get_for_object(item)
        else:
            entries |= LogEntry.objects.get_for_model(item)
    return entries.select_related("actor", "content_type").order_by("-timestamp")[:limit]


ACTION_LABELS = {
    LogEntry.Action.CREATE: _("création"),
    LogEntry.Action.UPDATE: _("modification"),
    LogEntry.Action.DELETE: _("suppression"),
    LogEntry.Action.ACCESS: _("consultation"),
}
_EMPTY_VALUES = {"", "None"}
_VALUE_MAX_LENGTH = 120


@dataclass(frozen=True)
class AuditChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class AuditRow:
    timestamp: datetime
    actor: str
    action: int
    action_label: str
    object_repr: str
    changes: list[AuditChange] = field(default_factory=list)

    @property
    def is_creation(self) -> bool:
        return self.action == LogEntry.Action.CREATE

    @property
    def is_deletion(self) -> bool:
        return self.action == LogEntry.Action.DELETE


def _display_value(raw: Any, model_field: Any, related: dict[tuple[Any, str], str]) -> str:
    value = "" if raw is None else str(raw)
    if value in _EMPTY_VALUES:
        return "—"
    if model_field is not None and model_field.is_relation and model_field.many_to_one:
        return related.get((model_field.related_model, value), value)
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, BooleanField):
        return str(_("oui")) if value == "True" else str(_("non"))
    if isinstance(model_field, DateTimeField):
        # django-auditlog stores a moment as a naive UTC text ("2025-01-18 09:00:00").
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_naive(moment):
            moment = moment.replace(tzinfo=UTC)
        return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")
    if isinstance(model_field, DateField):
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if isinstance(model_field, (IntegerField, DecimalField)):
        try:
            number = Decimal(value)
        except InvalidOperation:
            return value
        places = max(0, -int(number.as_tuple().exponent))
        return str(floatformat(number, f"{places}g"))
    if len(value) > _VALUE_MAX_LENGTH:
        return value[: _VALUE_MAX_LENGTH - 1] + "…"
    return value


def _model_field(model: type[Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def audit_rows(entries: Iterable[LogEntry], skip_fields: Collection[str] = ()) -> list[AuditRow]:
    """Turn LogEntry rows (actor and content type preloaded, e.g. from
    ``cpts.audit.history_for``) into display rows: French action, field labels, old → new
    values. ``skip_fields`` leaves out fields that say nothing on a given page. Foreign keys
    are resolved with one query per related model, never per row."""
    entries = list(entries)
    wanted: dict[type[Model], set[str]] = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        for name, values in entry.changes_dict.items():
            model_field = _model_field(model, name)
            if name in skip_fields:
                continue
            if model_field is not None and model_field.is_relation and model_field.many_to_one:
                wanted[model_field.related_model].update(
                    str(v) for v in values if str(v) not in _EMPTY_VALUES
                )
    related: dict[tuple[Any, str], str] = {}
    for related_model, pks in wanted.items():
        for obj in related_model._default_manager.filter(pk__in=pks):
            related[(related_model, str(obj.pk))] = str(obj)
    rows = []
    for entry in entries:
        model = entry.content_type.model_class()
        changes = []
        for name, values in entry.changes_dict.items():
            model_field = _model_field(model, name)
            if name in skip_fields:
                continue
            if model_field is not None and (not model_field.concrete or model_field.primary_key):
                continue  # reverse relations and the primary key say nothing to a reader
            old, new = [*values, None, None][:2]
            change = AuditChange(
                label=capfirst(str(getattr(model_field, "verbose_name", name))),
                old=_display_value(old, model_field, related),
                new=_display_value(new, model_field, related),
            )
            if entry.action == LogEntry.Action.CREATE and change.new == "—":
                continue
            if entry.action == LogEntry.Action.DELETE and change.old == "—":
                continue
            changes.append(change)
        actor = entry.actor
        rows.append(
            AuditRow(
                timestamp=entry.timestamp,
                actor=(actor.get_full_name() or actor.email)
                if actor is not None
                else (entry.actor_email or str(_("système"))),
                action=entry.action,
                action_label=str(ACTION_LABELS.get(entry.action, entry.get_action_display())),
                object_repr=entry.object_repr,
                changes=changes,
            )
        )
    return rows
