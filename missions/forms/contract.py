"""Forms of the contract pages: the contract, a chosen mission's dates, a contract year's
settings and a mission envelope. They only clean input; the services validate and write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cpts.forms.fields import FrenchDecimalField
from cpts.forms.invitations import BootstrapErrorsMixin
from missions.models import ContractStatus, Mission, MissionKind

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
_TEXT = {"class": "form-control"}


def _date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={**_TEXT, "type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Saisissez une date valide, par exemple 15/01/2026.")},
    )


def _amount_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DecimalField:
    return FrenchDecimalField(
        label=label,
        required=required,
        help_text=help_text,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={**_TEXT, "inputmode": "decimal"}),
        error_messages={
            "invalid": _("Saisissez un montant en euros, par exemple 20000 ou 12500,50."),
            "min_value": _("Le montant ne peut pas être négatif."),
        },
    )


class ContractForm(BootstrapErrorsMixin, forms.Form):
    signed_on = _date_field(_("Date de signature"))
    cpam = forms.CharField(label=_("CPAM"), max_length=200, widget=forms.TextInput(attrs=_TEXT))
    ars = forms.CharField(label=_("ARS"), max_length=200, widget=forms.TextInput(attrs=_TEXT))
    reference = forms.CharField(
        label=_("Référence"), max_length=100, required=False, widget=forms.TextInput(attrs=_TEXT)
    )
    status = forms.ChoiceField(
        label=_("Statut"),
        choices=ContractStatus.choices,
        initial=ContractStatus.SIGNED,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    notes = forms.CharField(
        label=_("Remarques"),
        required=False,
        widget=forms.Textarea(attrs={**_TEXT, "rows": 3}),
    )


class ContractCreateForm(ContractForm):
    optional_missions = forms.ModelMultipleChoiceField(
        label=_("Missions optionnelles choisies"),
        queryset=Mission.objects.filter(kind=MissionKind.OPTIONAL).order_by("position"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("Les missions socle font toujours partie du contrat."),
    )


class ContractEditForm(ContractForm):
    retake_taille = forms.BooleanField(
        label=_("Recalculer depuis le territoire"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        help_text=_(
            "Remplace la taille et la population enregistrées à la signature par celles du "
            "territoire aujourd'hui."
        ),
    )


class ContractMissionForm(BootstrapErrorsMixin, forms.Form):
    chosen = forms.BooleanField(
        label=_("Mission choisie"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    started_on = _date_field(_("Démarrée le"), required=False)
    deployed_on = _date_field(_("Pleinement déployée le"), required=False)


class ContractYearForm(BootstrapErrorsMixin, forms.Form):
    fonctionnement = _amount_field(
        _("Fonctionnement propre à l'année (€)"),
        required=False,
        help_text=_("Laissez vide pour appliquer le montant de la taille du contrat."),
    )
    crisis_recognised = forms.BooleanField(
        label=_("Crise sanitaire reconnue par l'ARS cette année"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    dialogue_on = _date_field(_("Date du dialogue de gestion"), required=False)


class EnvelopeForm(BootstrapErrorsMixin, forms.Form):
    mission = forms.ModelChoiceField(
        label=_("Mission"),
        queryset=Mission.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("Choisissez une mission du contrat sans enveloppe.")},
    )
    start = _date_field(
        _("Début de la mission sur l'année"),
        required=False,
        help_text=_("Vide : dès le début de l'année. Sert au prorata de la part fixe."),
    )
    fixed = _amount_field(_("Part fixe (€)"))
    variable = _amount_field(_("Part variable (€)"))

    def __init__(self, *args: Any, missions: list[Mission] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if missions is None:
            del self.fields["mission"]  # editing: the mission of an envelope never changes
        else:
            field = self.fields["mission"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = Mission.objects.filter(pk__in=[m.pk for m in missions]).order_by(
                "position"
            )
