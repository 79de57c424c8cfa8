"""Forms of the mission registries. They parse and check the fields (French messages naming
the field); the services validate the row again and write it."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.validators import MaxValueValidator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpts.forms.association import BootstrapFormMixin
from cpts.forms.fields import FrenchDecimalField
from members.models import Member, Profession
from registries.identifiers import identifier_problem
from registries.models import (
    GpRequest,
    Installation,
    Mentorship,
    ProfessionalProfile,
    SasMonthlyActivity,
    SasParticipation,
    Trainee,
    UnplannedSlotOffer,
)
from registries.selectors import person_members, territory_communes
from registries.services import slot_week_problem, week_monday

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
# More new patients than a doctor could take at once is a typing mistake.
MAX_NEW_PATIENTS = 500


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MemberField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        member: Member = obj
        if member.profession_id:
            return f"{member.display_name} — {member.profession}"
        return member.display_name


class _Styled(BootstrapFormMixin):
    date_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select"
            if name in self.date_fields and isinstance(field, forms.DateField):
                field.input_formats = DATE_FORMATS
                field.widget = _date_widget()
                field.widget.attrs["class"] = "form-control"


def doctors() -> QuerySet[Member]:
    return person_members().filter(profession__code__startswith="medecin")


class GpRequestForm(_Styled, forms.ModelForm):
    date_fields = ("received_on",)

    class Meta:
        model = GpRequest
        fields = [
            "reference",
            "received_on",
            "origin",
            "commune",
            "age_band",
            "ald",
            "aged_70",
            "c2s_ame",
            "precarity",
            "hospital_discharge",
        ]
        error_messages = {
            "reference": {
                "unique": _(
                    "Cette référence est déjà celle d'une autre demande : choisissez-en une autre "
                    "(ex. le numéro suivant de l'année)."
                )
            }
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = territory_communes()  # type: ignore[attr-defined]
        self.fields["reference"].widget.attrs["autocomplete"] = "off"

    def clean_reference(self) -> str:
        reference = " ".join(str(self.cleaned_data.get("reference", "")).split())
        problem = identifier_problem(reference)
        if problem:
            raise forms.ValidationError(problem)
        return reference

    def clean_received_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("La date de la demande ne peut pas être dans le futur."))
        return day


class TransitionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("propose", "accept", "decline", "no_solution", "reopen")]
    )
    on = forms.DateField(
        label=_("Date"), input_formats=DATE_FORMATS, required=False, widget=_date_widget()
    )
    doctor = forms.ModelChoiceField(queryset=Member.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["doctor"].queryset = doctors()  # type: ignore[attr-defined]
        self.fields["doctor"].error_messages["invalid_choice"] = _(
            "Ce médecin n'est pas (ou plus) un membre actif."
        )


class ProfileForm(_Styled, forms.ModelForm):
    date_fields = ("capacity_since", "supervisor_since")

    class Meta:
        model = ProfessionalProfile
        fields = [
            "accepts_new_patients",
            "new_patients_capacity",
            "capacity_since",
            "internship_supervisor",
            "supervisor_since",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        capacity = self.fields["new_patients_capacity"]
        capacity.max_value = MAX_NEW_PATIENTS  # type: ignore[attr-defined]
        capacity.validators.append(MaxValueValidator(MAX_NEW_PATIENTS))
        capacity.widget.attrs["max"] = MAX_NEW_PATIENTS

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("accepts_new_patients") and not cleaned.get("new_patients_capacity"):
            self.add_error(
                "new_patients_capacity",
                _("Indiquez combien de nouveaux patients peuvent être pris (au moins 1)."),
            )
        return cleaned


class SasParticipationForm(_Styled, forms.ModelForm):
    date_fields = ("start", "end")
    member = MemberField(label=_("Médecin"), queryset=Member.objects.none())

    class Meta:
        model = SasParticipation
        fields = ["member", "start", "end"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = doctors()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("La fin ne peut pas précéder le début."))
        return cleaned


class MonthField(forms.CharField):
    """A month typed 2026-03 (the browser's month picker), 03/2026 or 3/2026."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-03"})

    def to_python(self, value: Any) -> datetime.date | None:  # type: ignore[override]
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        text = str(value or "").strip()
        if not text:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", text) or re.fullmatch(r"(\d{1,2})/(\d{4})", text)
        if match is None:
            raise forms.ValidationError(_("Saisissez un mois, par exemple 03/2026."))
        first, second = int(match[1]), int(match[2])
        year, month = (first, second) if first > 12 else (second, first)
        if not 1 <= month <= 12 or not 2000 <= year <= 2100:
            raise forms.ValidationError(_("Saisissez un mois, par exemple 03/2026."))
        return datetime.date(year, month, 1)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime.date):
            return value.strftime("%Y-%m")
        return value


class SasActivityForm(_Styled, forms.ModelForm):
    month = MonthField(
        label=_("Mois"),
        error_messages={
            "unique": _(
                "L'activité de ce mois est déjà enregistrée : modifiez la ligne du mois dans "
                "la liste plutôt que d'en créer une nouvelle."
            )
        },
    )

    class Meta:
        model = SasMonthlyActivity
        fields = [
            "month",
            "requests_received",
            "appointments_given",
            "honoured",
            "not_honoured",
            "oriented_elsewhere",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        month = cleaned.get("month")
        if month and month > timezone.localdate():
            self.add_error("month", _("Le mois ne peut pas être dans le futur."))
        error = activity_error(cleaned)
        if error:
            self.add_error(*error)
        return cleaned


def activity_error(values: dict[str, Any]) -> tuple[str, str] | None:
    """The inconsistency of a month's counts as (field, French message), or None."""
    requests = values.get("requests_received")
    given = values.get("appointments_given")
    honoured = values.get("honoured")
    not_honoured = values.get("not_honoured")
    oriented = values.get("oriented_elsewhere")
    if not (
        isinstance(requests, int)
        and isinstance(given, int)
        and isinstance(honoured, int)
        and isinstance(not_honoured, int)
        and isinstance(oriented, int)
    ):
        return None
    if honoured + not_honoured > given:
        return (
            "honoured",
            str(_("Honorés et non honorés ne peuvent dépasser les rendez-vous donnés.")),
        )
    if given + oriented > requests:
        return (
            "requests_received",
            str(_("Rendez-vous donnés et réorientations ne peuvent dépasser les demandes reçues.")),
        )
    return None


class SlotOfferForm(_Styled, forms.ModelForm):
    date_fields = ("week",)
    member = MemberField(label=_("Professionnel"), queryset=Member.objects.none())

    class Meta:
        model = UnplannedSlotOffer
        fields = ["member", "week", "slots"]
        error_messages = {
            NON_FIELD_ERRORS: {
                "unique_together": _(
                    "Ce professionnel a déjà des créneaux enregistrés pour cette semaine : "
                    "modifiez la ligne existante plutôt que d'en créer une seconde."
                )
            }
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = person_members()  # type: ignore[attr-defined]
        self.fields["week"].help_text = _("N'importe quel jour : la semaine est celle du lundi.")

    def clean_week(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["week"]
        return day - datetime.timedelta(days=day.weekday())

    def clean_slots(self) -> int:
        """At least one slot for a new week; 0 keeps an existing week as withdrawn (as a
        member's withdrawal from the portal does)."""
        slots: int = self.cleaned_data["slots"]
        if slots < 1 and not (slots == 0 and self.instance.pk):
            raise forms.ValidationError(_("Indiquez au moins un créneau."))
        return slots


FIRST_NAME = re.compile(r"^[A-Za-zÀ-ÿ]+(?:[-'][A-Za-zÀ-ÿ]+)?$")


class TraineeForm(_Styled, forms.ModelForm):
    date_fields = ("start", "end")
    host = MemberField(label=_("Maître de stage"), queryset=Member.objects.none())

    class Meta:
        model = Trainee
        fields = ["first_name", "profession", "level", "host", "start", "end", "housing_provided"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = person_members()  # type: ignore[attr-defined]
        self.fields["profession"].queryset = Profession.objects.filter(  # type: ignore[attr-defined]
            is_health_profession=True
        )
        self.fields["first_name"].help_text = _(
            "Facultatif, le prénom seul : aucune autre donnée personnelle du stagiaire."
        )

    def clean_first_name(self) -> str:
        name = str(self.cleaned_data.get("first_name", "")).strip()
        if name and not FIRST_NAME.match(name):
            raise forms.ValidationError(
                _("Le prénom seul, sans nom ni chiffres (ex. Léa, Jean-Marc).")
            )
        return name

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("La fin du stage ne peut pas précéder son début."))
        return cleaned


class InstallationForm(_Styled, forms.ModelForm):
    date_fields = ("installed_on",)
    professional = MemberField(label=_("Professionnel"), queryset=Member.objects.none())

    class Meta:
        model = Installation
        fields = [
            "professional",
            "installed_on",
            "commune",
            "help_premises",
            "help_administrative",
            "help_introductions",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["professional"].queryset = person_members()  # type: ignore[attr-defined]
        self.fields["commune"].queryset = territory_communes()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        helps = ("help_premises", "help_administrative", "help_introductions")
        if not any(cleaned.get(name) for name in helps):
            self.add_error(
                "help_premises", _("Cochez au moins une aide apportée à l'installation.")
            )
        return cleaned


class MentorshipForm(_Styled, forms.ModelForm):
    date_fields = ("start",)
    mentor = MemberField(label=_("Parrain / marraine"), queryset=Member.objects.none())
    newcomer = MemberField(label=_("Nouvel arrivant"), queryset=Member.objects.none())
    hours = FrenchDecimalField(
        label=_("Heures"), max_digits=6, decimal_places=1, min_value=0, initial=0
    )

    class Meta:
        model = Mentorship
        fields = ["mentor", "newcomer", "start", "hours"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = person_members()  # type: ignore[attr-defined]
        self.fields["newcomer"].queryset = person_members()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("mentor") and cleaned.get("mentor") == cleaned.get("newcomer"):
            self.add_error("newcomer", _("Le nouvel arrivant doit être une autre personne."))
        hours = cleaned.get("hours")
        if hours is not None and hours < 0:
            self.add_error("hours", _("Les heures ne peuvent pas être négatives."))
        return cleaned


class PortalSlotForm(_Styled, forms.Form):
    """A member's own slots for one week (any day of the week, kept as its Monday)."""

    date_fields = ("week",)
    week = forms.DateField(
        label=_("Semaine du"),
        help_text=_("N'importe quel jour de la semaine : elle est enregistrée au lundi."),
    )
    slots = forms.IntegerField(
        label=_("Créneaux de soins non programmés proposés"),
        min_value=0,
        max_value=200,
        help_text=_("0 pour retirer les créneaux déclarés cette semaine-là."),
    )

    def clean_week(self) -> datetime.date:
        monday = week_monday(self.cleaned_data["week"])
        problem = slot_week_problem(monday)
        if problem:
            raise forms.ValidationError(problem)
        return monday
