"""Forms of fees: the fee schedule, the collèges, adhesions, payments and refunds."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpts.forms.invitations import BootstrapErrorsMixin
from members.models import College, FeeRule
from members.models.adhesions import PaymentMethod
from members.models.reference import MemberKind, ProfessionCategory

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
_TEXT = {"class": "form-control"}


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={**_TEXT, "type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Saisissez une date valide, par exemple 15/01/2026.")},
    )


def _year_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Année"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        widget=forms.NumberInput(attrs={**_TEXT, "min": 2000, "max": 2100}),
        error_messages={"invalid": _("Saisissez une année, par exemple 2026.")},
    )


def _amount_field(label: Any, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal("0"),
        max_digits=8,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={**_TEXT, "inputmode": "decimal"}),
        error_messages={"invalid": _("Saisissez un montant en euros, par exemple 20 ou 12,50.")},
    )


class FeeRuleForm(BootstrapErrorsMixin, forms.ModelForm):
    """A rule of the schedule: for a collège, or for a member kind, or the year's default."""

    year = _year_field()
    amount = _amount_field(_("Montant (€)"))

    class Meta:
        model = FeeRule
        fields = ["year", "college", "member_kind", "amount"]
        labels = {"college": _("Collège"), "member_kind": _("Type de membre")}
        help_texts = {
            "college": _("Laissez vide pour une règle par type de membre ou par défaut."),
            "member_kind": _("Laissez vide (avec le collège vide) pour le montant par défaut."),
        }
        widgets = {
            "college": forms.Select(attrs={"class": "form-select"}),
            "member_kind": forms.Select(attrs={"class": "form-select"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        college = self.fields["college"]
        assert isinstance(college, forms.ModelChoiceField)
        college.empty_label = _("— Aucun —")
        member_kind = self.fields["member_kind"]
        assert isinstance(member_kind, forms.ChoiceField)
        member_kind.choices = [("", _("— Tous —")), *MemberKind.choices]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        year, college = cleaned.get("year"), cleaned.get("college")
        kind = cleaned.get("member_kind") or ""
        if college and kind:
            self.add_error(
                "member_kind",
                _("Une règle vise un collège ou un type de membre, pas les deux."),
            )
            return cleaned
        if year is None:
            return cleaned
        rules = FeeRule.objects.filter(year=year)
        if self.instance.pk:
            rules = rules.exclude(pk=self.instance.pk)
        if college and rules.filter(college=college).exists():
            self.add_error(
                "college",
                _("Le collège « %(college)s » a déjà un montant pour %(year)s.")
                % {"college": college, "year": year},
            )
        elif not college and rules.filter(college__isnull=True, member_kind=kind).exists():
            target = MemberKind(kind).label if kind else _("le montant par défaut")
            self.add_error(
                "member_kind",
                _("Une règle existe déjà pour %(target)s en %(year)s.")
                % {"target": target, "year": year},
            )
        return cleaned

    def validate_unique(self) -> None:
        """Duplicates are reported by ``clean`` in French with the field named."""


class CollegeForm(BootstrapErrorsMixin, forms.ModelForm):
    eligible_kinds = forms.MultipleChoiceField(
        label=_("Types de membres admis"),
        choices=MemberKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucune case cochée : tous les types."),
    )
    eligible_categories = forms.MultipleChoiceField(
        label=_("Catégories de professions admises"),
        choices=ProfessionCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Pour les personnes. Aucune case cochée : toutes les professions."),
    )

    class Meta:
        model = College
        fields = [
            "name",
            "code",
            "description",
            "is_voting",
            "ca_seats",
            "eligible_kinds",
            "eligible_categories",
            "position",
        ]
        labels = {"is_voting": _("Collège délibératif (sinon consultatif)")}
        help_texts = {
            "code": _("Lettres minuscules, chiffres et tirets, par exemple « liberaux ».")
        }
        widgets = {
            "name": forms.TextInput(attrs=_TEXT),
            "code": forms.TextInput(attrs=_TEXT),
            "description": forms.Textarea(attrs={**_TEXT, "rows": 2}),
            "is_voting": forms.CheckboxInput(attrs={"class": "form-check-input"}),
            "ca_seats": forms.NumberInput(attrs={**_TEXT, "min": 0}),
            "position": forms.NumberInput(attrs={**_TEXT, "min": 0}),
        }


class AdhesionForm(BootstrapErrorsMixin, forms.Form):
    year = _year_field()
    started_on = _date_field(_("Date d'adhésion"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["started_on"].initial = today

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        year, started_on = cleaned.get("year"), cleaned.get("started_on")
        if year and started_on and started_on.year > year:
            self.add_error(
                "started_on",
                _("La date d'adhésion est postérieure à l'année %(year)s.") % {"year": year},
            )
        return cleaned


class PaymentForm(BootstrapErrorsMixin, forms.Form):
    paid_on = _date_field(_("Date du paiement"))
    amount = _amount_field(_("Montant (€)"), required=False)
    method = forms.ChoiceField(
        label=_("Moyen de paiement"),
        choices=PaymentMethod.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reference = forms.CharField(
        label=_("Référence"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs=_TEXT),
        help_text=_("N° de chèque, référence du virement ou de la transaction HelloAsso."),
    )
    refund = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()
        if self.refund:
            method = self.fields["method"]
            assert isinstance(method, forms.ChoiceField)
            method.choices = [
                choice for choice in PaymentMethod.choices if choice[0] != PaymentMethod.EXONERATION
            ]
            method.label = _("Moyen de remboursement")
            self.fields["paid_on"].label = _("Date du remboursement")
        else:
            self.fields["amount"].help_text = _(
                "Un paiement partiel est possible. Pour une exonération, le montant est ignoré."
            )

    def clean_paid_on(self) -> datetime.date:
        paid_on: datetime.date = self.cleaned_data["paid_on"]
        if paid_on > timezone.localdate():
            raise ValidationError(_("La date ne peut pas être dans le futur."))
        return paid_on

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        amount = cleaned.get("amount")
        exoneration = cleaned.get("method") == PaymentMethod.EXONERATION
        if "amount" not in self.errors and not exoneration and not amount:
            self.add_error("amount", _("Indiquez un montant supérieur à zéro."))
        if exoneration:
            cleaned["amount"] = Decimal("0.00")
        return cleaned


class RefundForm(PaymentForm):
    refund = True
