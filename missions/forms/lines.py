"""Forms of indicator lines: the line with its tiers and bands (compact row editors), its
result, its livrables and their proofs. Amounts and values accept French writing
("1 234,56", "72,4 %", "9 000 €")."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from cpts.forms.association import BootstrapFormMixin
from cpts.forms.fields import FrenchDecimalField
from missions.earning import Band, Tier
from missions.models import AchievedSource, Direction, IndicatorLine, LineKind, LivrableStatus
from missions.services.lines import MEASURED_KINDS, LineData, check_proof_file

TIER_ROWS = 6
BAND_ROWS = 6


def indicator_model() -> type[Model]:
    """IndicatorDefinition, reached through the line's foreign key (missions does not import
    the indicators application)."""
    model = IndicatorLine._meta.get_field("indicator").related_model
    assert isinstance(model, type)
    return model


class IndicatorChoiceField(forms.ModelChoiceField):
    """Active indicators, ordered and labelled by mission ("Prévention · Événements tenus")."""

    def label_from_instance(self, obj: Any) -> str:
        if obj.mission_id is None:
            return str(_("Sans mission · %(label)s") % {"label": obj.label})
        return f"{obj.mission.name} · {obj.label}"


def french_number(value: Decimal | None) -> str | None:
    """A stored decimal as a person writes it: "66,26", "303", "9000"."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def _decimal(label: Any, *, places: int = 4, digits: int = 14, required: bool = False) -> Any:
    return FrenchDecimalField(
        label=label,
        required=required,
        max_digits=digits,
        decimal_places=places,
        widget=forms.TextInput(),
    )


def _amount(label: Any, required: bool = False) -> Any:
    field = _decimal(label, places=2, digits=12, required=required)
    field.validators.append(_not_negative)
    return field


def _not_negative(value: Decimal) -> None:
    if value is not None and value < 0:
        raise ValidationError(_("Le montant ne peut pas être négatif."))


class _Styled(BootstrapFormMixin):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select"


class LineForm(_Styled, forms.Form):
    label = forms.CharField(label=_("Intitulé"), max_length=300)
    kind = forms.ChoiceField(label=_("Type de ligne"), choices=LineKind.choices)
    direction = forms.ChoiceField(
        label=_("Sens de l'indicateur"), choices=Direction.choices, initial=Direction.INCREASING
    )
    amount = _amount(_("Montant (€)"))
    baseline = _decimal(_("Valeur de départ"))
    target = _decimal(_("Cible"))
    indicator = IndicatorChoiceField(
        label=_("Indicateur suivi"),
        queryset=IndicatorLine.objects.none(),
        required=False,
        empty_label=_("Aucun : valeur atteinte saisie à la main"),
        help_text=_(
            "Pour une ligne à cible, à paliers ou à tranches : la valeur atteinte suit alors la "
            "dernière mesure de l'indicateur pour l'année de contrat."
        ),
        error_messages={"invalid_choice": _("Cet indicateur n'existe pas ou n'est plus actif.")},
    )

    def __init__(self, *args: Any, with_livrables: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        indicator_field: Any = self.fields["indicator"]
        indicator_field.queryset = (
            indicator_model()
            ._default_manager.filter(is_active=True)
            .select_related("mission")
            .order_by("mission__position", "mission__key", "position", "code")
        )
        self.fields["label"].error_messages["required"] = _("Donnez un intitulé à la ligne.")
        self.fields["amount"].help_text = _(
            "Pour les paliers et les tranches, le montant est celui du meilleur palier ou de la "
            "meilleure tranche."
        )
        self.fields["target"].help_text = _("Pour une ligne « cible à atteindre ».")
        if with_livrables:
            self.fields["livrables"] = forms.CharField(
                label=_("Livrables attendus"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
                help_text=_("Un livrable par ligne (émargements, compte rendu, extraction CPAM…)."),
            )

    @classmethod
    def initial_for(cls, line: IndicatorLine) -> dict[str, Any]:
        return {
            "label": line.label,
            "kind": line.kind,
            "direction": line.direction,
            "amount": french_number(line.amount),
            "baseline": french_number(line.baseline),
            "target": french_number(line.target),
            "indicator": line.indicator_id,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("indicator") is not None and data.get("kind") not in MEASURED_KINDS:
            self.add_error(
                "indicator",
                _(
                    "Seule une ligne à cible, à paliers ou à tranches peut suivre un indicateur : "
                    "une action se valide par « réalisée »."
                ),
            )
        return data


class TierRowForm(_Styled, forms.Form):
    label = forms.CharField(label=_("Nom du palier"), max_length=100, required=False)
    threshold = _decimal(_("Seuil"))
    amount = _amount(_("Montant (€)"))

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return all(data.get(name) in (None, "") for name in ("label", "threshold", "amount"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.is_blank():
            if data.get("threshold") is None and "threshold" not in self.errors:
                self.add_error("threshold", _("Indiquez le seuil du palier."))
            if data.get("amount") is None and "amount" not in self.errors:
                self.add_error("amount", _("Indiquez le montant du palier."))
        return data


class BandRowForm(_Styled, forms.Form):
    minimum = _decimal(_("De"))
    maximum = _decimal(_("À"))
    amount = _amount(_("Montant (€)"))

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return all(data.get(name) is None for name in ("minimum", "maximum", "amount"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.is_blank() and data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Indiquez le montant de la tranche."))
        return data


TierFormSet = forms.formset_factory(TierRowForm, extra=0, max_num=30, absolute_max=30)
BandFormSet = forms.formset_factory(BandRowForm, extra=0, max_num=30, absolute_max=30)

_PATH = re.compile(r"^(tiers|bands)\[(\d+)\]\.(\w+)$")
_ROW_FIELD = {"min": "minimum", "max": "maximum"}


class LineEditor:
    """The line form with its two row editors; turns the service's error paths back into
    errors on the right row and field."""

    def __init__(
        self,
        data: Any = None,
        *,
        line: IndicatorLine | None = None,
        with_livrables: bool = False,
    ) -> None:
        initial = LineForm.initial_for(line) if line is not None else None
        self.form = LineForm(data, initial=initial, with_livrables=with_livrables)
        tiers = [
            {
                "label": t.label,
                "threshold": french_number(t.threshold),
                "amount": french_number(t.amount),
            }
            for t in (line.tiers.all() if line is not None else [])
        ]
        bands = [
            {
                "minimum": french_number(b.minimum),
                "maximum": french_number(b.maximum),
                "amount": french_number(b.amount),
            }
            for b in (line.bands.all() if line is not None else [])
        ]
        tier_initial = tiers + [{}] * max(TIER_ROWS - len(tiers), 2)
        band_initial = bands + [{}] * max(BAND_ROWS - len(bands), 2)
        self.tiers = TierFormSet(data, initial=tier_initial, prefix="tiers")
        self.bands = BandFormSet(data, initial=band_initial, prefix="bands")
        self._tier_rows: list[int] = []
        self._band_rows: list[int] = []
        self.errors: list[str] = []

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        kind = self.form.cleaned_data.get("kind") if self.form.is_bound else None
        # Only the row editor of the chosen kind matters.
        editors: dict[str, Any] = {LineKind.TIERS: self.tiers, LineKind.BANDS: self.bands}
        editor = editors.get(kind or "")
        if editor is not None and not editor.is_valid():
            self.errors.append(str(_("Vérifiez les lignes signalées ci-dessous.")))
            valid = False
        return valid

    def data(self) -> LineData:
        cleaned = self.form.cleaned_data
        kind = cleaned["kind"]
        tiers: list[Tier] = []
        bands: list[Band] = []
        if kind == LineKind.TIERS:
            for index, row in enumerate(self.tiers.forms):
                if row.is_blank():
                    continue
                self._tier_rows.append(index)
                tiers.append(
                    Tier(
                        threshold=row.cleaned_data["threshold"],
                        amount=row.cleaned_data["amount"],
                        label=row.cleaned_data.get("label") or "",
                    )
                )
        if kind == LineKind.BANDS:
            for index, band_row in enumerate(self.bands.forms):
                if band_row.is_blank():
                    continue
                self._band_rows.append(index)
                bands.append(
                    Band(
                        minimum=band_row.cleaned_data.get("minimum"),
                        maximum=band_row.cleaned_data.get("maximum"),
                        amount=band_row.cleaned_data["amount"],
                    )
                )
        return LineData(
            label=cleaned["label"],
            kind=kind,
            direction=cleaned["direction"],
            amount=cleaned.get("amount") or Decimal("0"),
            baseline=cleaned.get("baseline"),
            target=cleaned.get("target"),
            tiers=tiers,
            bands=bands,
        )

    def indicator(self) -> Any:
        """The indicator chosen for the line (an IndicatorDefinition), or None."""
        return self.form.cleaned_data.get("indicator")

    def livrables(self) -> list[str]:
        text = self.form.cleaned_data.get("livrables") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def add_service_errors(self, error: ValidationError) -> None:
        """Put each message of the service on its field, row or, failing that, on top."""
        for path, messages in error.message_dict.items():
            match = _PATH.match(path)
            if match:
                editor, index, name = match.group(1), int(match.group(2)), match.group(3)
                rows = self._tier_rows if editor == "tiers" else self._band_rows
                formset: Any = self.tiers if editor == "tiers" else self.bands
                name = _ROW_FIELD.get(name, name)
                if index < len(rows):
                    row = formset.forms[rows[index]]
                    for message in messages:
                        row.add_error(name if name in row.fields else None, message)
                    continue
            if path in self.form.fields:
                for message in messages:
                    self.form.add_error(path, message)
            else:
                self.errors.extend(messages)


class AssessForm(_Styled, forms.Form):
    """The result of a line: ``done`` for binary and crisis lines, else the achieved value."""

    done = forms.BooleanField(label=_("Action réalisée"), required=False)
    achieved = _decimal(_("Valeur atteinte"))
    source = forms.ChoiceField(
        label=_("Source de la valeur"),
        choices=AchievedSource.choices,
        initial=AchievedSource.MANUAL,
    )
    note = forms.CharField(label=_("Précision"), max_length=255, required=False)
    proof_file = forms.FileField(
        label=_("Justificatif"),
        required=False,
        help_text=_("PDF, document bureautique ou image, 10 Mo au plus."),
    )

    def __init__(self, *args: Any, line: IndicatorLine, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "done": line.done,
                "achieved": french_number(line.achieved),
                "source": line.achieved_source or AchievedSource.MANUAL,
                "note": line.achieved_note,
            },
        )
        super().__init__(*args, **kwargs)
        self.line = line
        if line.kind in (LineKind.BINARY, LineKind.CRISIS):
            del self.fields["achieved"]
        else:
            del self.fields["done"]
            self.fields["achieved"].required = True
            self.fields["achieved"].error_messages["required"] = _("Saisissez la valeur atteinte.")
            if line.indicator_id is not None:
                # The value comes from the indicator's measurements: shown, not typed.
                # The note is the measurement's too (the sync writes it); a proof may be added.
                for name in ("achieved", "source", "note"):
                    self.fields[name].disabled = True
                self.fields["achieved"].required = False
                self.fields["achieved"].help_text = _(
                    "Valeur suivie par un indicateur : elle change avec ses mesures."
                )

    @property
    def follows_indicator(self) -> bool:
        return self.line.indicator_id is not None and "achieved" in self.fields

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.follows_indicator and self.line.achieved is None:
            raise ValidationError(
                _(
                    "L'indicateur suivi n'a pas encore de mesure pour cette année de contrat : "
                    "la valeur atteinte viendra de sa prochaine mesure."
                )
            )
        return data

    def clean_achieved(self) -> Any:
        achieved = self.cleaned_data.get("achieved")
        if achieved is not None and achieved < 0:
            raise ValidationError(_("La valeur atteinte ne peut pas être négative."))
        return achieved

    def clean_proof_file(self) -> Any:
        upload = self.cleaned_data.get("proof_file")
        if upload:
            try:
                check_proof_file(upload, "proof_file")
            except ValidationError as error:
                raise ValidationError(error.message_dict["proof_file"]) from error
        return upload


class LivrableForm(_Styled, forms.Form):
    label = forms.CharField(
        label=_("Livrable attendu"),
        max_length=300,
        error_messages={"required": _("Indiquez le livrable attendu.")},
    )


class LivrableUpdateForm(_Styled, forms.Form):
    label = forms.CharField(label=_("Livrable attendu"), max_length=300, required=False)
    status = forms.ChoiceField(
        label=_("Statut"), choices=[("", "—"), *LivrableStatus.choices], required=False
    )


class ProofForm(_Styled, forms.Form):
    title = forms.CharField(label=_("Titre du justificatif"), max_length=200, required=False)
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_("PDF, document bureautique ou image, 10 Mo au plus."),
        error_messages={"required": _("Choisissez le fichier à déposer.")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            check_proof_file(upload)
        except ValidationError as error:
            raise ValidationError(error.message_dict["file"]) from error
        return upload
