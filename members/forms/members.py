"""Forms of the coordinator's member pages: the member (person or organisation), its practice
sites (inline formset), departure. Identifiers are accepted with spaces and stored compact;
every refusal is a French message on the field at fault."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpts.forms.association import BootstrapFormMixin, normalize_phone
from cpts.models import Commune
from cpts.validators import validate_finess, validate_siret
from members.models import Member, PracticeSite, Profession
from members.models.members import MemberStatus
from members.models.reference import MemberKind
from members.selectors.joining import proposed_college
from members.services.members import identifier_conflicts, postal_code_error

_SPACES = re.compile(r"[\s.\-]")
_RPPS_RE = re.compile(r"^[0-9]{11}$")
# ADELI: 9 characters, digits with at most one letter (e.g. the 2A/2B of Corsica).
_ADELI_RE = re.compile(r"^(?=[0-9]*[A-Z]?[0-9]*$)[0-9A-Z]{9}$")
_POSTAL_CODE_RE = re.compile(r"^[0-9]{5}$")
_INSEE_RE = re.compile(r"^[0-9][0-9AB][0-9]{3}")


def compact(value: str) -> str:
    return _SPACES.sub("", value or "").upper()


class CommuneField(forms.CharField):
    """A commune chosen by its INSEE code (typed, or picked in the searchable list, whose
    options read "34079 — Clermont-l'Hérault (34)")."""

    default_error_messages = {
        "unknown": _("Aucune commune ne porte le code INSEE « %(code)s »."),
        "format": _("Saisissez le code INSEE de la commune (5 caractères, par exemple 34079)."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Commune):
            return f"{value.insee_code} — {value}"
        if isinstance(value, int):
            commune = Commune.objects.filter(pk=value).first()
            return f"{commune.insee_code} — {commune}" if commune else ""
        return value

    def to_python(self, value: Any) -> Commune | None:  # type: ignore[override]
        text = (super().to_python(value) or "").strip().upper()
        if not text:
            return None
        match = _INSEE_RE.match(text)
        if not match:
            raise ValidationError(self.error_messages["format"], code="format")
        code = match.group(0)
        commune = Commune.objects.filter(insee_code=code).first()
        if commune is None:
            raise ValidationError(
                self.error_messages["unknown"], code="unknown", params={"code": code}
            )
        return commune

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value: Any) -> None:
        return None

    def has_changed(self, initial: Any, data: Any) -> bool:
        initial_text = self.prepare_value(initial) if initial else ""
        return str(initial_text or "").split(" ")[:1] != str(data or "").strip().split(" ")[:1]


def _style(form: Any) -> None:
    """Bootstrap classes (``form-select`` for selects), the searchable commune list, and the
    commune of an existing row as initial value without a query per field."""
    form._style_widgets()
    form.fields["commune"].widget.attrs.update(
        {
            "list": "commune-options",
            "autocomplete": "off",
            "hx-get": reverse("member_commune_options"),
            "hx-trigger": "input changed delay:300ms",
            "hx-target": "#commune-options",
            "hx-swap": "innerHTML",
        }
    )
    for field in form.fields.values():
        if isinstance(field.widget, forms.Select) and not isinstance(
            field.widget, forms.RadioSelect
        ):
            field.widget.attrs["class"] = "form-select"
    instance = form.instance
    if instance.pk and instance.commune_id:
        form.initial["commune"] = instance.commune


def clean_postal_code_format(value: str) -> str:
    value = (value or "").strip()
    if value and not _POSTAL_CODE_RE.match(value):
        raise ValidationError(
            _("Le code postal doit comporter exactement 5 chiffres."), code="postal_code"
        )
    return value


def _check_postal_code(form: forms.BaseForm, cleaned: dict[str, Any]) -> None:
    """Postal code consistent with the commune; filled in when the commune has only one."""
    commune = cleaned.get("commune")
    postal_code = cleaned.get("postal_code", "")
    if commune is None or "postal_code" in form.errors:
        return
    if not postal_code and len(commune.postal_code_list) == 1:
        cleaned["postal_code"] = commune.postal_code_list[0]
        return
    message = postal_code_error(commune, postal_code)
    if message:
        form.add_error("postal_code", message)


class MemberForm(BootstrapFormMixin, forms.ModelForm):
    """A member: the person fields or the organisation fields apply depending on ``kind``."""

    commune = CommuneField(
        label=_("Commune"),
        required=False,
        help_text=_("Code INSEE, ou tapez le nom et choisissez dans la liste."),
    )
    status = forms.ChoiceField(
        label=_("Statut"),
        choices=[
            (MemberStatus.ACTIVE, MemberStatus.ACTIVE.label),
            (MemberStatus.CANDIDATE, MemberStatus.CANDIDATE.label),
        ],
        initial=MemberStatus.ACTIVE,
    )
    rpps = forms.CharField(
        label=_("RPPS"), required=False, max_length=30, help_text=_("11 chiffres.")
    )
    adeli = forms.CharField(
        label=_("ADELI"),
        required=False,
        max_length=30,
        help_text=_("9 caractères (chiffres, une lettre possible)."),
    )
    finess = forms.CharField(
        label=_("FINESS"),
        required=False,
        max_length=30,
        help_text=_("9 caractères, 2A ou 2B pour la Corse."),
    )
    siret = forms.CharField(
        label=_("SIRET"),
        required=False,
        max_length=30,
        help_text=_("14 chiffres, espaces acceptés."),
    )
    phone = forms.CharField(
        label=_("Téléphone"),
        required=False,
        max_length=30,
        help_text=_("Par exemple 04 67 00 00 00 ou +33 4 67 00 00 00."),
    )

    class Meta:
        model = Member
        fields = [
            "kind",
            "status",
            "civility",
            "last_name",
            "first_name",
            "profession",
            "rpps",
            "adeli",
            "organisation_name",
            "organisation_kind",
            "finess",
            "siret",
            "representative",
            "practice_mode",
            "email",
            "phone",
            "address",
            "postal_code",
            "commune",
            "college",
            "joined_on",
            "directory_listed",
            "directory_show_email",
            "directory_show_phone",
            "directory_show_address",
            "notes",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "joined_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "college": _("Laissé vide, le premier collège qui admet le membre est proposé."),
            "postal_code": _("5 chiffres ; rempli d'après la commune quand elle n'en a qu'un."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
        self.fields["kind"].widget.attrs["class"] = "form-check-input"
        self.fields["kind"].required = True
        if self.instance.pk:
            del self.fields["status"]
        profession_field = cast(forms.ModelChoiceField, self.fields["profession"])
        profession_field.queryset = Profession.objects.order_by("label")
        representatives = Member.objects.filter(kind=MemberKind.PERSON).exclude(
            status=MemberStatus.DEPARTED
        )
        if self.instance.pk:
            representatives = representatives.exclude(pk=self.instance.pk)
        representative_field = cast(forms.ModelChoiceField, self.fields["representative"])
        representative_field.queryset = representatives.only(
            "kind", "last_name", "first_name", "organisation_name"
        ).order_by("last_name", "first_name")
        for name, value in {
            "email": "email",
            "phone": "tel",
            "address": "street-address",
            "postal_code": "postal-code",
        }.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        for name in ("rpps", "siret", "postal_code"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        self.fields["phone"].widget.attrs["inputmode"] = "tel"

    @property
    def person_fields(self) -> list[Any]:
        names = ("civility", "last_name", "first_name", "profession", "rpps", "adeli")
        return [self[name] for name in names]

    @property
    def organisation_fields(self) -> list[Any]:
        names = ("organisation_name", "organisation_kind", "finess", "siret", "representative")
        return [self[name] for name in names]

    @property
    def contact_fields(self) -> list[Any]:
        names = ("email", "phone", "address", "postal_code", "commune")
        return [self[name] for name in names]

    @property
    def membership_fields(self) -> list[Any]:
        names = ("status", "college", "practice_mode", "joined_on", "notes")
        return [self[name] for name in names if name in self.fields]

    @property
    def consent_fields(self) -> list[Any]:
        names = (
            "directory_listed",
            "directory_show_email",
            "directory_show_phone",
            "directory_show_address",
        )
        return [self[name] for name in names]

    def clean_rpps(self) -> str:
        value = compact(self.cleaned_data["rpps"])
        if value and not _RPPS_RE.match(value):
            raise ValidationError(
                _("Le RPPS doit comporter exactement 11 chiffres."), code="rpps_format"
            )
        return value

    def clean_adeli(self) -> str:
        value = compact(self.cleaned_data["adeli"])
        if value and not _ADELI_RE.match(value):
            raise ValidationError(
                _(
                    "L'ADELI doit comporter exactement 9 caractères : des chiffres, "
                    "avec au plus une lettre."
                ),
                code="adeli_format",
            )
        return value

    def clean_finess(self) -> str:
        value = compact(self.cleaned_data["finess"])
        if value:
            validate_finess(value)
        return value

    def clean_siret(self) -> str:
        value = compact(self.cleaned_data["siret"])
        if value:
            validate_siret(value)
        return value

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        return normalize_phone(value) if value else ""

    def clean_email(self) -> str:
        return (self.cleaned_data.get("email") or "").strip().lower()

    def clean_postal_code(self) -> str:
        return clean_postal_code_format(self.cleaned_data["postal_code"])

    def clean_joined_on(self) -> Any:
        value = self.cleaned_data.get("joined_on")
        if value and value > timezone.localdate():
            raise ValidationError(_("La date d'adhésion ne peut pas être dans le futur."))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        kind = cleaned.get("kind")
        if kind == MemberKind.PERSON:
            self._require(cleaned, "last_name", _("Indiquez le nom de la personne."))
            self._require(cleaned, "profession", _("Indiquez la profession de la personne."))
            for name in ("organisation_name", "organisation_kind", "finess", "siret"):
                cleaned[name] = ""
            cleaned["representative"] = None
        elif kind == MemberKind.ORGANISATION:
            self._require(
                cleaned, "organisation_name", _("Indiquez la raison sociale de la structure.")
            )
            self._require(cleaned, "organisation_kind", _("Indiquez le type de structure."))
            for name in ("civility", "last_name", "first_name", "rpps", "adeli"):
                cleaned[name] = ""
            cleaned["profession"] = None
        _check_postal_code(self, cleaned)
        conflicts = identifier_conflicts(
            email=cleaned.get("email", ""),
            rpps=cleaned.get("rpps", ""),
            siret=cleaned.get("siret", ""),
            exclude_pk=self.instance.pk,
        )
        for name, message in conflicts.items():
            if name not in self.errors:
                self.add_error(name, message)
        if kind:
            college = cleaned.get("college")
            profession = cleaned.get("profession")
            if college is None:
                cleaned["college"] = proposed_college(kind, profession)
            elif not college.admits(kind, profession):
                self.add_error(
                    "college",
                    _(
                        "Le collège « %(college)s » n'admet pas ce membre (type de membre ou "
                        "profession)."
                    )
                    % {"college": college},
                )
        return cleaned

    def _require(self, cleaned: dict[str, Any], name: str, message: Any) -> None:
        value = cleaned.get(name)
        if (value is None or (isinstance(value, str) and not value.strip())) and (
            name not in self.errors
        ):
            self.add_error(name, message)

    def validate_unique(self) -> None:
        """Uniqueness is checked in ``clean`` with messages naming the other member."""

    def _post_clean(self) -> None:
        # The model's own checks would repeat ``clean`` in English; the service re-checks.
        return None


class PracticeSiteForm(BootstrapFormMixin, forms.ModelForm):
    commune = CommuneField(
        label=_("Commune"),
        help_text=_("Code INSEE ou nom."),
        error_messages={"required": _("Indiquez la commune du lieu d'exercice.")},
    )

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
        _style(self)
        self.fields["postal_code"].widget.attrs["inputmode"] = "numeric"

    def clean_postal_code(self) -> str:
        return clean_postal_code_format(self.cleaned_data["postal_code"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        _check_postal_code(self, cleaned)
        return cleaned

    def validate_unique(self) -> None:
        """The single primary site is checked by the formset."""

    def _post_clean(self) -> None:
        return None


class BasePracticeSiteFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        primaries = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("is_primary")
        ]
        if len(primaries) > 1:
            raise ValidationError(_("Un seul lieu d'exercice peut être le lieu principal."))

    def validate_unique(self) -> None:
        return None

    def add_fields(self, form: Any, index: Any) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def sites(self) -> list[dict[str, Any]]:
        """The sites to keep, as dicts for the service (``id`` set for existing sites)."""
        rows = []
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            if form.instance.pk is None and not form.has_changed():
                continue
            row = {name: data.get(name) for name in PracticeSiteForm.Meta.fields}
            row["id"] = form.instance.pk
            rows.append(row)
        return rows


PracticeSiteFormSet = inlineformset_factory(
    Member,
    PracticeSite,
    form=PracticeSiteForm,
    formset=BasePracticeSiteFormSet,
    extra=1,
    can_delete=True,
    max_num=20,
    validate_max=True,
)


class DepartureForm(BootstrapFormMixin, forms.Form):
    departed_on = forms.DateField(
        label=_("Date de départ"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Indiquez la date de départ."),
            "invalid": _("Saisissez une date valide, par exemple 31/12/2026."),
        },
    )
    departure_reason = forms.CharField(
        label=_("Motif du départ"),
        max_length=255,
        error_messages={"required": _("Indiquez le motif du départ.")},
        help_text=_("Par exemple : démission, départ du territoire, radiation pour non-paiement."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()

    def clean_departed_on(self) -> Any:
        value = self.cleaned_data["departed_on"]
        if value > timezone.localdate():
            raise ValidationError(_("La date de départ ne peut pas être dans le futur."))
        return value
