"""Forms of invitations: the coordination's invitation form and the invitee's password form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cpts.models import Invitation, User
from cpts.services.invitations import ensure_invitable


class BootstrapErrorsMixin:
    """Marks the widgets of fields in error with Bootstrap's ``is-invalid`` class (Django adds
    ``aria-invalid`` itself)."""

    fields: dict[str, forms.Field]
    _errors: Any

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self._errors or {}:
            if name in self.fields:
                widget = self.fields[name].widget
                classes = widget.attrs.get("class", "")
                if "is-invalid" not in classes:
                    widget.attrs["class"] = f"{classes} is-invalid".strip()


class InvitationForm(BootstrapErrorsMixin, forms.Form):
    """An invitation creates an adherent's account: roles come from mandates afterwards."""

    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    as_coordinator = forms.BooleanField(
        label=_("Membre de l'équipe de coordination"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        help_text=_(
            "Pour un·e salarié·e de la CPTS : son compte aura le rôle coordinateur. "
            "Réservé aux super-utilisateurs."
        ),
    )

    def __init__(self, *args: Any, inviter: User, **kwargs: Any) -> None:
        """Only a superuser sees (and may tick) the coordination team box; everyone else
        invites adherents, whose roles then come from their mandates."""
        super().__init__(*args, **kwargs)
        if not inviter.is_superuser:
            del self.fields["as_coordinator"]

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        try:
            ensure_invitable(email)
        except ValidationError as error:
            raise ValidationError(error.message_dict["email"]) from error
        return email


class AcceptInvitationForm(BootstrapErrorsMixin, forms.Form):
    """The invitee's password, checked by the project's password validators."""

    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Confirmation du mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "new-password"}),
        help_text=_("Saisissez le même mot de passe, pour vérification."),
    )

    def __init__(self, invitation: Invitation, *args: Any, **kwargs: Any) -> None:
        self.invitation = invitation
        super().__init__(*args, **kwargs)
        self.fields[
            "password1"
        ].help_text = password_validation.password_validators_help_text_html()

    def clean_password1(self) -> str:
        password: str = self.cleaned_data["password1"]
        # An unsaved user lets the similarity validator compare with the invitee's names.
        future_user = User(
            email=self.invitation.email,
            first_name=self.invitation.first_name,
            last_name=self.invitation.last_name,
        )
        password_validation.validate_password(password, user=future_user)
        return password

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Les deux mots de passe ne correspondent pas."))
        return cleaned
