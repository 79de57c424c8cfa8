"""Forms of the claims pages. They read and parse the input; the rules (attendance, duration,
tariffs, closed periods, the PASS cap, receipts, IBAN) live in ``claims.services``, whose
refusal comes back on the field it names (``apply_service_error``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.models import ActivityKind, RateBasis
from cpts.forms.association import BootstrapFormMixin
from cpts.forms.fields import FrenchDecimalField
from members.models import Profession
from missions.models import Mission

SOURCE_KINDS = ("meeting", "event", "shift")


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_field(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=_date_widget(),
        error_messages={"invalid": _("Saisissez une date valide (jj/mm/aaaa).")},
        **kwargs,
    )


def _decimal_field(**kwargs: Any) -> forms.DecimalField:
    """A French number in a text box ("1,5", "1 234,56"), shown back the French way."""
    return FrenchDecimalField(
        localize=True, widget=forms.TextInput(attrs={"inputmode": "decimal"}), **kwargs
    )


class StyledForm(BootstrapFormMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select"


def apply_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's refusal on the fields it names; a key that is no field of the form
    (or a message without a key) becomes a form-wide error."""
    if hasattr(error, "error_dict"):
        for key, errors in error.error_dict.items():
            target = key if key in form.fields else None
            for item in errors:
                form.add_error(target, item.messages)
    else:
        form.add_error(None, error.messages)


class DeclareTimeForm(StyledForm):
    """Time spent for the CPTS: from an activity (``source_kind`` + ``source_id``, the date
    and the activity kind come from it), or by hand with a justification."""

    source_kind = forms.CharField(required=False, widget=forms.HiddenInput)
    source_id = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    activity_kind = forms.ChoiceField(
        label=_("Activité"), choices=[("", "—"), *ActivityKind.choices], required=False
    )
    date = _date_field(_("Date"), required=False)
    hours = _decimal_field(
        label=_("Heures"), max_digits=5, decimal_places=2, help_text=_("Par exemple 1,5")
    )
    km = _decimal_field(
        label=_("Kilomètres parcourus (aller-retour)"),
        max_digits=6,
        decimal_places=1,
        required=False,
        help_text=_("Laissez vide si vous ne demandez pas de frais kilométriques."),
    )
    justification = forms.CharField(
        label=_("Justification"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, from_source: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.from_source = from_source
        if from_source:
            for name in ("activity_kind", "date"):
                self.fields[name].widget = forms.HiddenInput()
            self.fields["justification"].label = _("Commentaire (facultatif)")

    def clean_source_kind(self) -> str:
        kind = self.cleaned_data.get("source_kind") or ""
        if kind and kind not in SOURCE_KINDS:
            raise ValidationError(_("Activité inconnue."))
        return kind

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("source_kind")) != bool(data.get("source_id")):
            raise ValidationError(_("Activité inconnue : repartez de votre espace adhérent."))
        return data

    def source(self) -> tuple[str, int] | None:
        data = getattr(self, "cleaned_data", {})
        kind, pk = data.get("source_kind"), data.get("source_id")
        return (kind, pk) if kind and pk else None

    def service_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of ``declare_time`` (the source object is added by the view)."""
        data = self.cleaned_data
        kwargs: dict[str, Any] = {
            "hours": data["hours"],
            "justification": data.get("justification", ""),
            "km": data.get("km"),
        }
        if not data.get("source_kind"):
            kwargs.update(activity_kind=data.get("activity_kind", ""), date=data.get("date"))
        return kwargs


class DeclareExpenseForm(StyledForm):
    date = _date_field(_("Date de la dépense"))
    amount = _decimal_field(label=_("Montant (€)"), max_digits=9, decimal_places=2)
    receipt = forms.FileField(
        label=_("Justificatif (PDF ou photo, 5 Mo au plus)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}),
    )
    justification = forms.CharField(
        label=_("Objet de la dépense"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    mission = forms.ModelChoiceField(
        label=_("Mission concernée"),
        queryset=Mission.objects.order_by("pk"),
        required=False,
        empty_label=_("— aucune en particulier —"),
    )


class EditClaimForm(StyledForm):
    """The fields a member (or a validator) may correct while the claim is submitted."""

    date = _date_field(_("Date"))
    hours = _decimal_field(label=_("Heures"), max_digits=5, decimal_places=2, required=False)
    km = _decimal_field(label=_("Kilomètres"), max_digits=6, decimal_places=1, required=False)
    amount = _decimal_field(label=_("Montant (€)"), max_digits=9, decimal_places=2, required=False)
    justification = forms.CharField(
        label=_("Justification"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, nature: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep = {"indemnity": {"hours"}, "mileage": {"km"}, "expense": {"amount"}}.get(nature, set())
        for name in ("hours", "km", "amount"):
            if name not in keep:
                del self.fields[name]
            else:
                self.fields[name].required = True

    def changed_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields}


class BankAccountForm(StyledForm):
    holder = forms.CharField(label=_("Titulaire du compte"), max_length=70)
    iban = forms.CharField(
        label=_("IBAN"),
        max_length=42,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    bic = forms.CharField(label=_("BIC (facultatif)"), max_length=14, required=False)


class RefuseForm(StyledForm):
    reason = forms.CharField(
        label=_("Motif du refus (communiqué au membre)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ApprovalFilterForm(StyledForm):
    """The filters of the approval queue (GET); bad values are ignored, never a 500."""

    year = forms.IntegerField(label=_("Année"), required=False, min_value=2000, max_value=2100)
    activity_kind = forms.ChoiceField(
        label=_("Activité"), choices=[("", _("Toutes")), *ActivityKind.choices], required=False
    )
    profession = forms.ModelChoiceField(
        label=_("Profession"),
        queryset=Profession.objects.order_by("label"),
        required=False,
        empty_label=_("Toutes"),
    )
    mission = forms.ModelChoiceField(
        label=_("Mission"),
        queryset=Mission.objects.order_by("pk"),
        required=False,
        empty_label=_("Toutes"),
    )
    near_cap = forms.BooleanField(label=_("Proches du plafond seulement"), required=False)

    def selector_kwargs(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "year": data.get("year"),
            "activity_kind": data.get("activity_kind") or None,
            "profession_id": data["profession"].pk if data.get("profession") else None,
            "mission_id": data["mission"].pk if data.get("mission") else None,
            "near_cap_only": bool(data.get("near_cap")),
        }


class BatchForm(StyledForm):
    paid_on = _date_field(_("Date du virement"))
    label = forms.CharField(label=_("Libellé du lot"), max_length=140)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["paid_on"].initial = today
        self.fields["label"].initial = _("Indemnisations du %(date)s") % {
            "date": f"{today:%d/%m/%Y}"
        }


class TariffForm(StyledForm):
    activity_kind = forms.ChoiceField(label=_("Activité"), choices=ActivityKind.choices)
    basis = forms.ChoiceField(label=_("Base"), choices=RateBasis.choices)
    amount = _decimal_field(label=_("Montant (€)"), max_digits=8, decimal_places=2)
    valid_from = _date_field(_("Applicable à partir du"))
    profession = forms.ModelChoiceField(
        label=_("Profession (si tarif spécifique)"),
        queryset=Profession.objects.order_by("label"),
        required=False,
        empty_label=_("Toutes les professions"),
    )


class MileageRateForm(StyledForm):
    per_km = _decimal_field(label=_("Montant par km (€)"), max_digits=5, decimal_places=3)
    valid_from = _date_field(_("Applicable à partir du"))


class PassForm(StyledForm):
    year = forms.IntegerField(label=_("Année"), min_value=2000, max_value=2100)
    amount = _decimal_field(label=_("Montant du PASS (€)"), max_digits=9, decimal_places=2)


class ClosePeriodForm(StyledForm):
    year = forms.IntegerField(label=_("Année"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(
        label=_("Mois"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", _("Toute l'année")), *((m, f"{m:02d}") for m in range(1, 13))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


def statement_years(today: date | None = None) -> list[int]:
    """The years a member may ask a statement for: this one and the two before."""
    year = (today or timezone.localdate()).year
    return [year, year - 1, year - 2]
