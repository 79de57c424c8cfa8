"""Forms of meetings, agenda items and agenda documents, and the cancellation reason."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpts.forms.association import BootstrapFormMixin
from governance.models import AgendaItem, AgKind, Body, BodyKind, Meeting
from governance.selectors.decisions import meeting_title
from governance.services.meetings import check_document, check_meeting

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
# A meeting's date is refused this far from today (a typo such as 31/12/9999).
MAX_YEARS_AWAY = 5
# The longest a meeting may last (a seminar over several days at most).
MAX_DURATION = datetime.timedelta(days=7)
AG_ONLY_FIELDS = ("ag_kind", "second_convocation_of")


class _Styled(BootstrapFormMixin):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()
        # Drop-downs get Bootstrap's select style (with its arrow), not a text box's.
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select) and not isinstance(
                field.widget, forms.SelectMultiple
            ):
                field.widget.attrs["class"] = "form-select"


class FirstAgField(forms.ModelChoiceField):
    """The first AG a second convocation follows, its date written once."""

    def label_from_instance(self, obj: Any) -> str:
        return meeting_title(obj)


def _years_from(moment: datetime.datetime, years: int) -> datetime.datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


class MeetingForm(_Styled, forms.ModelForm):
    video_url = forms.URLField(
        label=_("Lien de visioconférence"),
        required=False,
        assume_scheme="https",
        max_length=200,
        error_messages={"invalid": _("Saisissez une adresse web valide (https://…).")},
    )

    class Meta:
        model = Meeting
        fields = [
            "body",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "video_url",
            "ag_kind",
            "second_convocation_of",
            "notes",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_FORMAT
            ),
            "ends_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_FORMAT
            ),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"second_convocation_of": FirstAgField}
        help_texts = {
            "ag_kind": _("Pour une assemblée générale uniquement."),
            "second_convocation_of": _(
                "Pour une AG convoquée à nouveau faute de quorum : la première AG."
            ),
        }

    def __init__(self, *args: Any, bodies: QuerySet[Body], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        body_field = cast(forms.ModelChoiceField, self.fields["body"])
        body_field.queryset = bodies
        body_field.empty_label = None if bodies.count() == 1 else "—"
        if bodies.filter(kind=BodyKind.AG).exists():
            cast(forms.ChoiceField, self.fields["ag_kind"]).choices = [
                ("", "—"),
                *AgKind.choices,
            ]
            first_ags = Meeting.objects.filter(body__kind=BodyKind.AG)
            if self.instance.pk:
                first_ags = first_ags.exclude(pk=self.instance.pk)
            first_field = cast(forms.ModelChoiceField, self.fields["second_convocation_of"])
            first_field.queryset = first_ags.order_by("-starts_at")
            first_field.empty_label = _("— aucune —")
        else:
            # Only an AG has a nature and a second convocation: not shown for other bodies.
            for name in AG_ONLY_FIELDS:
                del self.fields[name]
        for name in ("starts_at", "ends_at"):
            field = cast(forms.DateTimeField, self.fields[name])
            field.input_formats = [DATETIME_FORMAT, "%d/%m/%Y %H:%M"]
        if self.instance.pk:
            # The body of an existing meeting does not change (its convocations depend on it).
            body_field.disabled = True

    def clean_starts_at(self) -> datetime.datetime:
        starts_at: datetime.datetime = self.cleaned_data["starts_at"]
        now = timezone.now()
        if starts_at > _years_from(now, MAX_YEARS_AWAY):
            raise ValidationError(
                _("Début : la date est à plus de %(years)s ans d'ici ; vérifiez l'année.")
                % {"years": MAX_YEARS_AWAY}
            )
        if starts_at < _years_from(now, -MAX_YEARS_AWAY):
            raise ValidationError(
                _("Début : la date remonte à plus de %(years)s ans ; vérifiez l'année.")
                % {"years": MAX_YEARS_AWAY}
            )
        return starts_at

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        probe = Meeting(
            pk=self.instance.pk,
            body=cleaned.get("body"),
            title=cleaned.get("title") or "",
            starts_at=cleaned["starts_at"],
            ends_at=cleaned.get("ends_at"),
            ag_kind=cleaned.get("ag_kind") or "",
            second_convocation_of=cleaned.get("second_convocation_of"),
        )
        try:
            check_meeting(probe)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        ends_at = cleaned.get("ends_at")
        if "ends_at" not in self.errors and ends_at and ends_at - probe.starts_at > MAX_DURATION:
            self.add_error(
                "ends_at",
                _("La fin doit tomber au plus 7 jours après le début : vérifiez la date."),
            )
        return cleaned


class AgendaItemForm(_Styled, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "description", "needs_vote"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class AgendaDocumentForm(_Styled, forms.Form):
    title = forms.CharField(label=_("Titre du document"), max_length=200, required=False)
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_("PDF, document bureautique ou image, 10 Mo au plus."),
        error_messages={"required": _("Choisissez le fichier à déposer.")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            check_document(upload)
        except ValidationError as error:
            raise ValidationError(error.message_dict["file"]) from error
        return upload


class CancelForm(_Styled, forms.Form):
    reason = forms.CharField(
        label=_("Motif de l'annulation"),
        max_length=500,
        error_messages={"required": _("Indiquez le motif de l'annulation.")},
    )
