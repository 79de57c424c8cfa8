"""Form of the financing schedule: a payment received from the CPAM."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cpts.forms.fields import FrenchDecimalField
from cpts.forms.invitations import BootstrapErrorsMixin
from missions.models import Mission, PaymentNature

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
_TEXT = {"class": "form-control"}


class ReceivedPaymentForm(BootstrapErrorsMixin, forms.Form):
    """The fields of a received payment; the rules (amount above zero, date neither in the
    future nor before the signature, mission of the contract) live in the service."""

    received_on = forms.DateField(
        label=_("Reçu le"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={**_TEXT, "type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Indiquez la date de réception du versement."),
            "invalid": _("Saisissez une date valide, par exemple 15/01/2026."),
        },
    )
    amount = FrenchDecimalField(
        label=_("Montant (€)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        localize=True,
        widget=forms.TextInput(attrs={**_TEXT, "inputmode": "decimal"}),
        error_messages={
            "required": _("Indiquez le montant du versement."),
            "invalid": _("Saisissez un montant en euros, par exemple 45000 ou 12 500,50."),
            "min_value": _("Le montant d'un versement doit être supérieur à 0 €."),
            "max_digits": _("Le montant doit être en euros et centimes, sous 10 milliards."),
            "max_decimal_places": _("Le montant s'écrit avec deux décimales au plus."),
            "max_whole_digits": _("Le montant doit être en euros et centimes, sous 10 milliards."),
        },
    )
    nature = forms.ChoiceField(
        label=_("Nature"),
        choices=PaymentNature.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "required": _("Choisissez la nature du versement."),
            "invalid_choice": _("Choisissez la nature du versement."),
        },
    )
    mission: forms.ModelChoiceField[Mission] = forms.ModelChoiceField(
        label=_("Mission"),
        queryset=None,
        required=False,
        empty_label=_("— Aucune —"),
        help_text=_(
            "Seulement pour une part fixe ou variable : la mission concernée, si l'avis de "
            "paiement la précise. Laissez « — Aucune — » pour le fonctionnement."
        ),
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("Cette mission ne fait pas partie du contrat.")},
    )
    reference = forms.CharField(
        label=_("Référence du virement"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs=_TEXT),
        error_messages={"max_length": _("La référence tient en 100 caractères au plus.")},
    )
    note = forms.CharField(
        label=_("Remarque"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs=_TEXT),
        error_messages={"max_length": _("La remarque tient en 255 caractères au plus.")},
    )

    def __init__(self, *args: Any, missions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mission = self.fields["mission"]
        assert isinstance(mission, forms.ModelChoiceField)
        mission.queryset = missions
