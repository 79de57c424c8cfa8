"""Forms of the indicators pages: an imported or manual definition, and a value typed by hand
(period, value, breakdown, note, proof)."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from cpts.forms.fields import FrenchDecimalField
from governance.services.meetings import check_content
from indicators.models import IndicatorDefinition, IndicatorSource
from indicators.periods import Period, PeriodError, contract_year_period, outside_contract
from indicators.periods import parse_period as read_period
from indicators.services.measurements import value_error
from missions.models import Contract
from missions.services.lines import MAX_PROOF_BYTES

PROOF_EXTENSIONS = frozenset({".pdf", ".png", ".jpg", ".jpeg"})


def _style(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = css


class DefinitionForm(forms.ModelForm):
    source = forms.ChoiceField(
        label=_("Source des valeurs"),
        choices=[
            (IndicatorSource.IMPORTED.value, IndicatorSource.IMPORTED.label),
            (IndicatorSource.MANUAL.value, IndicatorSource.MANUAL.label),
        ],
    )

    class Meta:
        model = IndicatorDefinition
        fields = (
            "code",
            "label",
            "mission",
            "unit",
            "direction",
            "source",
            "description",
            "position",
            "is_active",
        )
        help_texts = {
            "code": _(
                "Identifiant court et unique (lettres minuscules, chiffres, tirets), utilisé "
                "dans les fichiers importés."
            ),
            "mission": _("Vide : l'indicateur relève de la vie de l'association."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mission = self.fields["mission"]
        assert isinstance(mission, forms.ModelChoiceField)
        mission.empty_label = _("Vie de l'association (aucune mission)")
        _style(self)

    def validate_unique(self) -> None:
        """The code's uniqueness is checked by the service, with its own French message."""


class MeasurementForm(forms.Form):
    contract_year = forms.ChoiceField(
        label=_("Année du contrat"),
        required=False,
        help_text=_("Choisissez une année du contrat, ou écrivez une autre période ci-dessous."),
    )
    period = forms.CharField(
        label=_("Période"),
        required=False,
        max_length=40,
        help_text=_("Par exemple 2025, T1 2025, 03/2025, mars 2025 ou A2."),
    )
    value = FrenchDecimalField(label=_("Valeur"), max_digits=16, decimal_places=4)
    breakdown = forms.CharField(
        label=_("Ventilation"),
        required=False,
        max_length=120,
        help_text=_("Vide pour le total ; sinon par exemple une profession ou une commune."),
    )
    note = forms.CharField(label=_("Commentaire"), required=False, max_length=500)
    proof = forms.FileField(
        label=_("Justificatif"),
        required=False,
        help_text=_("PDF ou image (PNG, JPEG), 10 Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )

    def __init__(
        self, *args: Any, indicator: IndicatorDefinition, contract: Contract | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.contract = contract
        self.years = {
            f"A{year.number}": contract_year_period(year)
            for year in (contract.years.all() if contract else [])
        }
        field = self.fields["contract_year"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("— Autre période —"))] + [
            (key, period.label) for key, period in sorted(self.years.items())
        ]
        _style(self)

    def clean_proof(self) -> UploadedFile | None:
        upload: UploadedFile | None = self.cleaned_data.get("proof")
        if not upload:
            return None
        if PurePath(upload.name or "").suffix.lower() not in PROOF_EXTENSIONS:
            raise ValidationError(
                _("Format non accepté : déposez un PDF ou une image PNG ou JPEG.")
            )
        if (upload.size or 0) > MAX_PROOF_BYTES:
            raise ValidationError(_("Le fichier dépasse la taille maximale de 10 Mo."))
        try:
            check_content(upload, "proof")
        except ValidationError as error:
            raise ValidationError(error.message_dict["proof"]) from error
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        period = self._period(data)
        if period is not None:
            data["period_value"] = period
        value = data.get("value")
        if value is not None:
            error = value_error(self.indicator, value)
            if error:
                self.add_error("value", error)
        return data

    def _period(self, data: dict[str, Any]) -> Period | None:
        chosen = data.get("contract_year") or ""
        text = (data.get("period") or "").strip()
        if chosen:
            if text:
                self.add_error(
                    "period",
                    _("Choisissez une année du contrat ou écrivez une période, pas les deux."),
                )
                return None
            return self.years.get(chosen)
        if not text:
            self.add_error("period", _("Indiquez la période de la valeur."))
            return None
        try:
            period = read_period(text, self.contract)
        except PeriodError as error:
            self.add_error("period", str(error))
            return None
        if outside_contract(period, self.contract):
            self.add_error(
                "period",
                _("« %(text)s » est en dehors des années du contrat ACI.") % {"text": text},
            )
            return None
        return period
