"""Forms of the joining flow: the public request form and the coordination's refusal form."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cpts.forms.association import normalize_phone
from cpts.forms.invitations import BootstrapErrorsMixin
from cpts.models import Association
from cpts.validators import validate_finess, validate_siret
from members.models import College, MembershipRequest, Profession
from members.models.members import OrganisationKind
from members.models.reference import MemberKind
from members.selectors.joining import admits_text, colleges_admitting

HONEYPOT_FIELD = "site_web"

_TEXT = {"class": "form-control"}


class MembershipRequestForm(BootstrapErrorsMixin, forms.ModelForm):
    """Who wants to join. The collège list only offers the collèges that admit the chosen
    kind and profession; left empty, the first of them is proposed."""

    # Honeypot: hidden from people (and from assistive technologies), filled in by bots.
    site_web = forms.CharField(
        label=_("Ne remplissez pas ce champ"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = MembershipRequest
        fields = [
            "kind",
            "last_name",
            "first_name",
            "profession",
            "rpps",
            "adeli",
            "organisation_name",
            "organisation_kind",
            "finess",
            "siret",
            "email",
            "phone",
            "commune",
            "college",
            "message",
        ]
        labels = {
            "kind": _("Vous adhérez en tant que"),
            "commune": _("Commune d'exercice"),
            "college": _("Collège"),
            "message": _("Message à la coordination (facultatif)"),
        }
        help_texts = {
            "rpps": _("11 chiffres, pour les professions inscrites au RPPS."),
            "adeli": _("9 caractères, pour les professions encore enregistrées à l'ADELI."),
            "finess": _("9 caractères (2A ou 2B pour la Corse)."),
            "siret": _("14 chiffres."),
            "phone": _("Par exemple 04 67 00 00 00 ou +33 4 67 00 00 00."),
        }
        widgets = {
            "kind": forms.RadioSelect(attrs={"class": "form-check-input"}),
            "last_name": forms.TextInput(attrs={**_TEXT, "autocomplete": "family-name"}),
            "first_name": forms.TextInput(attrs={**_TEXT, "autocomplete": "given-name"}),
            "profession": forms.Select(attrs={"class": "form-select"}),
            "rpps": forms.TextInput(attrs={**_TEXT, "inputmode": "numeric"}),
            "adeli": forms.TextInput(attrs=_TEXT),
            "organisation_name": forms.TextInput(attrs={**_TEXT, "autocomplete": "organization"}),
            "organisation_kind": forms.Select(attrs={"class": "form-select"}),
            "finess": forms.TextInput(attrs=_TEXT),
            "siret": forms.TextInput(attrs={**_TEXT, "inputmode": "numeric"}),
            "email": forms.EmailInput(attrs={**_TEXT, "autocomplete": "email"}),
            "phone": forms.TextInput(attrs={**_TEXT, "autocomplete": "tel", "inputmode": "tel"}),
            "commune": forms.Select(attrs={"class": "form-select"}),
            "college": forms.Select(attrs={"class": "form-select"}),
            "message": forms.Textarea(attrs={**_TEXT, "rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = MemberKind.choices
        profession = self.fields["profession"]
        assert isinstance(profession, forms.ModelChoiceField)
        profession.queryset = Profession.objects.order_by("label")
        profession.empty_label = _("— Choisissez votre profession —")
        commune = self.fields["commune"]
        assert isinstance(commune, forms.ModelChoiceField)
        commune.queryset = Association.objects.get_solo().communes.order_by("search_name")
        commune.empty_label = _("Hors du territoire ou non précisée")
        organisation_kind = self.fields["organisation_kind"]
        assert isinstance(organisation_kind, forms.ChoiceField)
        organisation_kind.choices = [
            ("", _("— Type de structure —")),
            *OrganisationKind.choices,
        ]
        self.configure_colleges(*self.candidate())

    def candidate(self) -> tuple[str, Profession | None]:
        """The kind and profession typed so far (bound data, else initial values)."""
        source = self.data if self.is_bound else self.initial
        kind = source.get("kind") or MemberKind.PERSON
        if kind not in MemberKind.values:
            kind = MemberKind.PERSON
        profession = None
        raw = source.get("profession")
        if isinstance(raw, Profession):
            profession = raw
        elif raw and str(raw).isdigit():
            profession = Profession.objects.filter(pk=int(raw)).first()
        return kind, profession

    def configure_colleges(self, kind: str, profession: Profession | None) -> None:
        self.admitting: list[College] = colleges_admitting(kind, profession)
        self.admitting_rows = [(college, admits_text(college)) for college in self.admitting]
        college = self.fields["college"]
        assert isinstance(college, forms.ModelChoiceField)
        college.queryset = College.objects.filter(pk__in=[c.pk for c in self.admitting])
        college.empty_label = _("— Proposé d'après votre profession —")
        if self.admitting and not self.is_bound:
            # Keep a choice that still fits, else propose the first collège admitting them.
            current = str(self.initial.get("college") or "")
            if current not in {str(c.pk) for c in self.admitting}:
                self.initial["college"] = self.admitting[0].pk

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD))

    def clean_rpps(self) -> str:
        value = re.sub(r"\s", "", self.cleaned_data.get("rpps") or "")
        if value and not re.fullmatch(r"[0-9]{11}", value):
            raise ValidationError(_("Le RPPS doit comporter exactement 11 chiffres."))
        return value

    def clean_adeli(self) -> str:
        value = re.sub(r"\s", "", self.cleaned_data.get("adeli") or "").upper()
        if value and not re.fullmatch(r"[0-9A-Z]{9}", value):
            raise ValidationError(_("Le numéro ADELI doit comporter exactement 9 caractères."))
        return value

    def clean_finess(self) -> str:
        value = re.sub(r"\s", "", self.cleaned_data.get("finess") or "").upper()
        if value:
            validate_finess(value)
        return value

    def clean_siret(self) -> str:
        value = re.sub(r"\s", "", self.cleaned_data.get("siret") or "")
        if value:
            validate_siret(value)
        return value

    def clean_phone(self) -> str:
        value = (self.cleaned_data.get("phone") or "").strip()
        return normalize_phone(value) if value else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind") or MemberKind.PERSON
        required: dict[str, Any]
        if kind == MemberKind.PERSON:
            required = {
                "last_name": _("Indiquez votre nom."),
                "first_name": _("Indiquez votre prénom."),
                "profession": _("Choisissez votre profession."),
            }
        else:
            required = {
                "organisation_name": _("Indiquez la raison sociale de la structure."),
                "organisation_kind": _("Choisissez le type de structure."),
            }
        for field, message in required.items():
            if not cleaned.get(field) and field not in self.errors:
                self.add_error(field, message)
        college = cleaned.get("college")
        if college is None and self.admitting:
            cleaned["college"] = self.admitting[0]
        return cleaned

    def request_data(self) -> dict[str, Any]:
        """The cleaned values for ``submit_request``."""
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class DeclineForm(BootstrapErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        help_text=_("Il est envoyé par e-mail à la personne."),
        error_messages={"required": _("Indiquez le motif du refus.")},
    )
