"""Forms of the users page: the roles the coordination assigns by hand."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cpts.forms.invitations import BootstrapErrorsMixin
from cpts.roles import Role

# Roles granted by hand on the users page. Coordination comes from the staff flag and
# adherent is everyone's: neither is assigned here.
ASSIGNABLE_ROLES = [
    Role.PRESIDENT,
    Role.TRESORIER,
    Role.SECRETAIRE,
    Role.MEMBRE_BUREAU,
    Role.ADMINISTRATEUR,
    Role.REFERENT,
]


class UserRolesForm(BootstrapErrorsMixin, forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Rôles de cette personne"),
        choices=[(role.value, role.label) for role in ASSIGNABLE_ROLES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


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
