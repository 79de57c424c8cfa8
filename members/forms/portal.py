"""Forms of the adherent's portal: contact data and directory consents, practice sites."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from cpts.forms.association import BootstrapFormMixin, normalize_phone
from cpts.models import Commune
from cpts.selectors.territory import search_communes
from members.forms.members import clean_postal_code_format
from members.models import Member, PracticeSite
from members.services.members import postal_code_error

MAX_SITES = 10
_INSEE_RE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
_LABEL_CODE_RE = re.compile(r"\(([0-9][0-9ABab][0-9]{3})\)\s*$")
_CANDIDATES_SHOWN = 5


def commune_label(commune: Commune | None) -> str:
    """How a commune is written in the commune inputs: "Lodève (34142)"."""
    return f"{commune.name} ({commune.insee_code})" if commune else ""


class CommuneField(forms.CharField):
    """A commune typed as its INSEE code, its name, or picked from the suggestions
    ("Lodève (34142)"). Ambiguous names get an error listing the candidates."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 150)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Commune | None:
        text = " ".join(str(super().clean(value) or "").split())
        if not text:
            return None
        match = _LABEL_CODE_RE.search(text)
        code = (match.group(1) if match else text).upper()
        if _INSEE_RE.match(code):
            commune = Commune.objects.filter(insee_code=code).first()
            if commune is None:
                raise ValidationError(
                    _("Aucune commune n'a le code INSEE %(code)s."),
                    code="unknown_commune",
                    params={"code": code},
                )
            return commune
        search = search_communes(text, limit=_CANDIDATES_SHOWN)
        exact = [c for c in search.results if getattr(c, "rank", None) == 0]
        if len(search.results) == 1 and not search.truncated:
            return search.results[0]
        if len(exact) == 1:
            return exact[0]
        if not search.results:
            raise ValidationError(
                _("Aucune commune ne correspond à « %(text)s »."),
                code="unknown_commune",
                params={"text": text},
            )
        raise ValidationError(
            _("Plusieurs communes correspondent à « %(text)s » : choisissez-en une (%(list)s)."),
            code="ambiguous_commune",
            params={"text": text, "list": ", ".join(commune_label(c) for c in search.results)},
        )


def _commune_widget() -> forms.TextInput:
    return forms.TextInput(
        attrs={
            "list": "portal-commune-options",
            "autocomplete": "off",
            "placeholder": _("Nom ou code INSEE"),
            "hx-get": reverse_lazy("portal_commune_search"),
            "hx-trigger": "input changed delay:300ms",
            "hx-target": "#portal-commune-options",
            "hx-swap": "innerHTML",
            "hx-sync": "this:replace",
        }
    )


def _clean_postal_code(value: str, commune: Commune | None) -> str:
    """Five digits, and one of the commune's postal codes (same rules as the coordination's
    member form)."""
    value = clean_postal_code_format(value)
    message = postal_code_error(commune, value)
    if message:
        raise ValidationError(message, code="postal_code_commune")
    return value


class PortalProfileForm(BootstrapFormMixin, forms.ModelForm):
    """What an adherent may change themselves: contact data and directory consents. The
    email is the account's (read-only here); identity stays with the coordination."""

    commune = CommuneField(label=_("Commune"), required=False, widget=_commune_widget())

    class Meta:
        model = Member
        fields = [
            "phone",
            "address",
            "postal_code",
            "commune",
            "directory_listed",
            "directory_show_email",
            "directory_show_phone",
            "directory_show_address",
        ]
        labels = {
            "directory_listed": _("Figurer dans l'annuaire des adhérents"),
            "directory_show_email": _("Montrer mon adresse e-mail dans l'annuaire"),
            "directory_show_phone": _("Montrer mon téléphone dans l'annuaire"),
            "directory_show_address": _("Montrer mon adresse dans l'annuaire"),
        }
        help_texts = {
            "phone": _("Par exemple 06 12 34 56 78 ou +33 6 12 34 56 78."),
            "directory_listed": _(
                "Votre nom, votre profession et vos communes d'exercice sont alors visibles "
                "des autres adhérents."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["commune"] = commune_label(self.instance.commune)
        self._style_widgets()
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        self.fields["address"].widget.attrs["autocomplete"] = "street-address"
        self.fields["postal_code"].widget.attrs.update(
            {"autocomplete": "postal-code", "inputmode": "numeric"}
        )

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        return normalize_phone(value) if value else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "postal_code" in cleaned:
            try:
                cleaned["postal_code"] = _clean_postal_code(
                    cleaned["postal_code"], cleaned.get("commune")
                )
            except ValidationError as error:
                self.add_error("postal_code", error)
        return cleaned


class PracticeSiteForm(BootstrapFormMixin, forms.ModelForm):
    commune = CommuneField(label=_("Commune"), widget=_commune_widget())

    class Meta:
        model = PracticeSite
        fields = [
            "commune",
            "address",
            "postal_code",
            "practice_mode",
            "structure_kind",
            "structure_name",
            "is_primary",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["commune"] = commune_label(self.instance.commune)
        self._style_widgets()
        for name in ("practice_mode", "structure_kind"):
            self.fields[name].widget.attrs["class"] = "form-select"
        self.fields["postal_code"].widget.attrs["inputmode"] = "numeric"
        self.fields["commune"].error_messages["required"] = _(
            "Indiquez la commune de ce lieu d'exercice."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "postal_code" in cleaned:
            try:
                cleaned["postal_code"] = _clean_postal_code(
                    cleaned["postal_code"], cleaned.get("commune")
                )
            except ValidationError as error:
                self.add_error("postal_code", error)
        return cleaned


class BasePracticeSiteFormSet(BaseInlineFormSet):
    def add_fields(self, form: forms.BaseForm, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Supprimer ce lieu d'exercice")
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not form.cleaned_data.get("DELETE")
        ]
        primaries = [form for form in kept if form.cleaned_data.get("is_primary")]
        if len(primaries) > 1:
            raise ValidationError(
                _("Un seul lieu d'exercice peut être le lieu principal."), code="two_primaries"
            )


PracticeSiteFormSet = inlineformset_factory(
    Member,
    PracticeSite,
    form=PracticeSiteForm,
    formset=BasePracticeSiteFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_SITES,
    validate_max=True,
)
