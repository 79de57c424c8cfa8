"""Forms of actions (fiche action), events with their participant counts grid, event
documents and the meeting to link. They only parse: the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cpts.forms.association import BootstrapFormMixin
from governance.models import Body, Meeting
from governance.selectors.decisions import meeting_title
from members.models import Member, Profession
from missions.models import Action, AgeBand, Event, EventKind, Mission

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DATE_ERROR = _("Saisissez une date valide, par exemple 15/01/2026.")


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _Styled(BootstrapFormMixin):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        member: Member = obj
        if member.profession_id:
            return f"{member.display_name} — {member.profession}"
        return member.display_name


class ActionForm(_Styled, forms.ModelForm):
    missions = forms.ModelMultipleChoiceField(
        label=_("Mission(s)"),
        queryset=Mission.objects.order_by("position"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins une mission.")},
    )

    class Meta:
        model = Action
        fields = [
            "title",
            "missions",
            "diagnosis",
            "general_objective",
            "operational_objectives",
            "description",
            "public",
            "actors",
            "working_group",
            "start",
            "key_stages",
            "planned_end",
            "status",
        ]
        widgets = {
            "diagnosis": forms.Textarea(attrs={"rows": 3}),
            "general_objective": forms.Textarea(attrs={"rows": 2}),
            "operational_objectives": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "public": forms.Textarea(attrs={"rows": 2}),
            "actors": forms.Textarea(attrs={"rows": 2}),
            "key_stages": forms.Textarea(attrs={"rows": 3}),
            "start": _date_widget(),
            "planned_end": _date_widget(),
        }

    def __init__(
        self, *args: Any, groups: QuerySet[Body], group_required: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        group_field = self.fields["working_group"]
        assert isinstance(group_field, forms.ModelChoiceField)
        group_field.queryset = groups
        group_field.required = group_required
        group_field.empty_label = _("— aucun —")
        group_field.error_messages["required"] = _(
            "Choisissez l'un des groupes de travail que vous animez."
        )
        group_field.error_messages["invalid_choice"] = _(
            "Choisissez un groupe de travail de la liste."
        )
        for name in ("start", "planned_end"):
            date_field = self.fields[name]
            assert isinstance(date_field, forms.DateField)
            date_field.input_formats = DATE_FORMATS
            date_field.error_messages["invalid"] = DATE_ERROR

    def _post_clean(self) -> None:
        """The services validate (and the model constraint is theirs to honour)."""


class EventForm(_Styled, forms.ModelForm):
    """The event's fields, the professionals mobilised, and the counts grid: one number per
    profession offered (``profession_<pk>``) and per age band (``age_<band>``)."""

    professionals = MemberChoiceField(
        label=_("Professionnels mobilisés"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Membres actifs ; maintenez Ctrl (ou Cmd) pour en choisir plusieurs."),
    )
    extra_profession = forms.ModelChoiceField(
        label=_("Autre profession"),
        queryset=Profession.objects.order_by("label"),
        required=False,
        empty_label=_("— choisir —"),
    )
    extra_count = forms.IntegerField(
        label=_("Nombre de participants de cette profession"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
    )

    class Meta:
        model = Event
        fields = ["kind", "title", "date", "place", "hours", "notes"]
        widgets = {
            "date": _date_widget(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "hours": forms.TextInput(attrs={"inputmode": "decimal"}),
        }

    def __init__(
        self,
        *args: Any,
        professions: list[Profession],
        members: QuerySet[Member],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.professions = professions
        members_field = self.fields["professionals"]
        assert isinstance(members_field, forms.ModelMultipleChoiceField)
        members_field.queryset = members
        hours_field = self.fields["hours"]
        hours_field.localize = True
        hours_field.widget.is_localized = True
        hours_field.error_messages["invalid"] = _("Saisissez une durée en heures, par exemple 2,5.")
        date_field = self.fields["date"]
        assert isinstance(date_field, forms.DateField)
        date_field.input_formats = DATE_FORMATS
        date_field.error_messages["invalid"] = DATE_ERROR
        counted: dict[Any, int] = {}
        if self.instance.pk:
            members_field.initial = list(self.instance.professionals.values_list("pk", flat=True))
            for row in self.instance.counts.all():
                counted[row.profession_id or row.age_band] = row.count
        for profession in professions:
            self.fields[f"profession_{profession.pk}"] = self._count_field(
                profession.label, counted.get(profession.pk)
            )
        for band, label in AgeBand.choices:
            self.fields[f"age_{band}"] = self._count_field(label, counted.get(band))
        self._style_widgets()
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [("", _("— choisir —")), *EventKind.choices]
        for name in ("kind", "extra_profession"):
            self.fields[name].widget.attrs["class"] = "form-select"

    @staticmethod
    def _count_field(label: Any, initial: int | None) -> forms.IntegerField:
        return forms.IntegerField(
            label=label,
            required=False,
            min_value=0,
            initial=initial,
            widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "step": 1}),
            error_messages={
                "min_value": _("Le nombre de participants ne peut être négatif."),
                "invalid": _("Saisissez un nombre entier."),
            },
        )

    def profession_fields(self) -> list[forms.BoundField]:
        return [self[f"profession_{p.pk}"] for p in self.professions]

    def age_fields(self) -> list[forms.BoundField]:
        return [self[f"age_{band}"] for band in AgeBand.values]

    def profession_counts(self) -> dict[int, int]:
        counts = {p.pk: self.cleaned_data.get(f"profession_{p.pk}") or 0 for p in self.professions}
        extra = self.cleaned_data.get("extra_profession")
        if extra is not None and self.cleaned_data.get("extra_count"):
            counts[extra.pk] = counts.get(extra.pk, 0) + self.cleaned_data["extra_count"]
        return counts

    def age_band_counts(self) -> dict[str, int]:
        return {band: self.cleaned_data.get(f"age_{band}") or 0 for band in AgeBand.values}

    def _post_clean(self) -> None:
        """The services validate."""


class EventDocumentForm(_Styled, forms.Form):
    title = forms.CharField(label=_("Titre du document"), max_length=200, required=False)
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_("PDF, document bureautique ou image, 10 Mo au plus."),
        error_messages={"required": _("Choisissez un fichier à déposer.")},
    )


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        meeting: Meeting = obj
        return meeting_title(meeting)


class MeetingLinkForm(_Styled, forms.Form):
    meeting = MeetingChoiceField(
        label=_("Réunion du groupe à lier"),
        queryset=Meeting.objects.none(),
        empty_label=_("— choisir —"),
        error_messages={
            "required": _("Choisissez la réunion à lier."),
            "invalid_choice": _("Choisissez une réunion du groupe de travail de l'action."),
        },
    )

    def __init__(self, *args: Any, meetings: QuerySet[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["meeting"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = meetings
