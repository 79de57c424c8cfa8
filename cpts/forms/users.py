"""Forms of the users page: the search box (roles are not edited there: they come from
mandates and the coordination team's staff flag)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class UserSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Rechercher"),
        max_length=100,
        required=False,
        widget=forms.SearchInput(
            attrs={
                "class": "form-control",
                "placeholder": _("Adresse e-mail, prénom ou nom"),
                "autocomplete": "off",
            }
        ),
    )
