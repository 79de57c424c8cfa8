"""Forms of the association area: the territory's commune codes and the identity of the CPTS."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cpts.models import Association
from cpts.services.association import IDENTITY_FIELDS
from cpts.validators import validate_bic, validate_finess, validate_iban, validate_siret

MAX_CODES = 2000
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg"}
_CODES_SEPARATORS = re.compile(r"[\s,;]+")
_PHONE_SEPARATORS = re.compile(r"[\s.\-/()]")
_PHONE_RE = re.compile(r"^0[1-9][0-9]{8}$")
_POSTAL_CODE_RE = re.compile(r"^[0-9]{5}$")


def split_codes(text: str) -> list[str]:
    """INSEE codes separated by spaces, commas, semicolons or new lines, in order, upper-cased."""
    return [code.upper() for code in _CODES_SEPARATORS.split(text or "") if code]


class BootstrapFormMixin:
    """Bootstrap classes on every widget, ``is-invalid`` on the fields in error."""

    fields: dict[str, forms.Field]
    errors: Any

    def _style_widgets(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            css = "form-check-input" if isinstance(widget, forms.CheckboxInput) else "form-control"
            widget.attrs["class"] = css

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        for name in self.errors:
            widget = self.fields[name].widget if name in self.fields else None
            if widget is not None and "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class TerritoryAddForm(BootstrapFormMixin, forms.Form):
    """One INSEE code (an autocomplete result) or a pasted list of codes."""

    codes = forms.CharField(
        label=_("Codes INSEE à ajouter"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_(
            "Un ou plusieurs codes INSEE, séparés par des espaces, virgules ou retours à la ligne."
        ),
        error_messages={"required": _("Indiquez au moins un code INSEE.")},
    )
    # The autocomplete query, echoed back so its results can be refreshed after an addition.
    q = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()

    def clean_codes(self) -> list[str]:
        codes = split_codes(self.cleaned_data["codes"])
        if not codes:
            raise ValidationError(_("Indiquez au moins un code INSEE."), code="required")
        if len(codes) > MAX_CODES:
            raise ValidationError(
                _("Au plus %(max)s codes INSEE à la fois (%(count)s reçus)."),
                code="too_many",
                params={"max": MAX_CODES, "count": len(codes)},
            )
        return codes


def normalize_phone(value: str) -> str:
    """A French number (0X XX XX XX XX, +33 X XX XX XX XX or 0033…) as "04 67 00 00 00"."""
    digits = _PHONE_SEPARATORS.sub("", value)
    if digits.startswith("+33"):
        digits = "0" + digits[3:].removeprefix("0")
    elif digits.startswith("0033"):
        digits = "0" + digits[4:].removeprefix("0")
    if not _PHONE_RE.match(digits):
        raise ValidationError(
            _(
                "Saisissez un numéro de téléphone français à 10 chiffres, "
                "par exemple 04 67 00 00 00 ou +33 4 67 00 00 00."
            ),
            code="phone_format",
        )
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))


class AssociationIdentityForm(BootstrapFormMixin, forms.ModelForm):
    """The identity of the CPTS. Identifiers are accepted with spaces and stored compact."""

    siret = forms.CharField(
        label=_("SIRET"),
        required=False,
        max_length=30,
        help_text=_("14 chiffres, espaces acceptés."),
    )
    finess_juridique = forms.CharField(
        label=_("FINESS juridique"),
        required=False,
        max_length=20,
        help_text=_("9 caractères, par exemple 340012345."),
    )
    finess_geographique = forms.CharField(
        label=_("FINESS géographique"),
        required=False,
        max_length=20,
        help_text=_("9 caractères, par exemple 340012346."),
    )
    website = forms.URLField(label=_("Site internet"), required=False, assume_scheme="https")
    logo = forms.ImageField(
        label=_("Logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
        help_text=_("Image PNG ou JPEG, 2 Mo au plus."),
        error_messages={
            "invalid_image": _(
                "Le logo doit être une image PNG ou JPEG valide : ce fichier n'est pas une "
                "image ou il est endommagé."
            ),
        },
    )
    remove_logo = forms.BooleanField(label=_("Supprimer le logo actuel"), required=False)
    payment_iban = forms.CharField(
        label=_("IBAN pour les virements"),
        required=False,
        max_length=50,
        help_text=_(
            "Montré aux adhérents qui ne sont pas à jour de cotisation ; espaces acceptés."
        ),
    )
    payment_bic = forms.CharField(label=_("BIC"), required=False, max_length=20)
    payment_url = forms.URLField(
        label=_("Lien de paiement en ligne"),
        required=False,
        assume_scheme="https",
        help_text=_("Par exemple la page HelloAsso de l'adhésion."),
    )

    class Meta:
        model = Association
        fields = [*IDENTITY_FIELDS, "logo"]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "payment_instructions": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "postal_code": _("5 chiffres."),
            "phone": _("Par exemple 04 67 00 00 00 ou +33 4 67 00 00 00."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()
        autocomplete = {
            "name": "organization",
            "address": "street-address",
            "postal_code": "postal-code",
            "city": "address-level2",
            "email": "email",
            "phone": "tel",
            "website": "url",
        }
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        self.fields["siret"].widget.attrs["inputmode"] = "numeric"
        self.fields["postal_code"].widget.attrs["inputmode"] = "numeric"
        self.fields["phone"].widget.attrs["inputmode"] = "tel"

    def clean_siret(self) -> str:
        value = re.sub(r"\s", "", self.cleaned_data["siret"])
        if value:
            validate_siret(value)
        return value

    def _clean_finess(self, name: str) -> str:
        value = re.sub(r"\s", "", self.cleaned_data[name]).upper()
        if value:
            validate_finess(value)
        return value

    def clean_payment_iban(self) -> str:
        value = re.sub(r"[\s-]", "", self.cleaned_data["payment_iban"]).upper()
        if value:
            validate_iban(value)
        return value

    def clean_payment_bic(self) -> str:
        value = re.sub(r"\s", "", self.cleaned_data["payment_bic"]).upper()
        if value:
            validate_bic(value)
        return value

    def clean_finess_juridique(self) -> str:
        return self._clean_finess("finess_juridique")

    def clean_finess_geographique(self) -> str:
        return self._clean_finess("finess_geographique")

    def clean_postal_code(self) -> str:
        value = self.cleaned_data["postal_code"].strip()
        if value and not _POSTAL_CODE_RE.match(value):
            raise ValidationError(
                _("Le code postal doit comporter exactement 5 chiffres."), code="postal_code"
            )
        return value

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        return normalize_phone(value) if value else ""

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        # An unchanged logo comes back as the stored file; only new uploads carry ``image``.
        image = getattr(logo, "image", None)
        if logo is None or image is None:
            return logo
        if image.format not in LOGO_FORMATS:
            raise ValidationError(
                _("Le logo doit être une image PNG ou JPEG (format reçu : %(format)s)."),
                code="logo_format",
                params={"format": image.format or "?"},
            )
        if logo.size > LOGO_MAX_BYTES:
            raise ValidationError(
                _("Le logo ne doit pas dépasser 2 Mo."),
                code="logo_size",
            )
        return logo

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        new_logo = getattr(cleaned.get("logo"), "image", None) is not None
        if cleaned.get("remove_logo") and new_logo:
            self.add_error(
                "remove_logo",
                _(
                    "Choisissez : envoyer un nouveau logo ou supprimer le logo actuel, "
                    "pas les deux."
                ),
            )
        return cleaned

    @property
    def new_logo(self) -> Any:
        """The uploaded logo file, or None when the logo is unchanged."""
        logo = self.cleaned_data.get("logo")
        return logo if getattr(logo, "image", None) is not None else None
