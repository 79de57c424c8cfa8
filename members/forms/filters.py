"""The filter form of the member list (GET). It only renders and reports the filters: the
query string itself is read by ``MemberFilters.from_params``, which ignores bad values."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cpts.forms.invitations import BootstrapErrorsMixin
from cpts.models import Commune, TerritoryCommune
from members.models import College, Member, PracticeSite, Profession
from members.models.members import MemberStatus
from members.models.reference import MemberKind
from members.selectors.members import FEE_LATE, FEE_UP_TO_DATE, QUERY_MAX_LENGTH

_SELECT = {"class": "form-select"}


def _with_blank(label: Any, choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", label), *choices]


def commune_choices() -> list[tuple[str, str]]:
    """Communes of the territory and those where members live or practise (one query)."""
    communes = (
        Commune.objects.filter(
            Q(pk__in=TerritoryCommune.objects.values("commune_id"))
            | Q(pk__in=Member.objects.filter(commune__isnull=False).values("commune_id"))
            | Q(pk__in=PracticeSite.objects.values("commune_id"))
        )
        .order_by("name", "insee_code")
        .values_list("insee_code", "name", "departement")
    )
    return [(code, f"{name} ({departement})") for code, name, departement in communes]


class MemberFilterForm(BootstrapErrorsMixin, forms.Form):
    q = forms.CharField(
        label=_("Rechercher"),
        required=False,
        max_length=QUERY_MAX_LENGTH,
        widget=forms.SearchInput(
            attrs={
                "class": "form-control",
                "placeholder": _("Nom, e-mail, RPPS ou commune"),
                "autocomplete": "off",
                "maxlength": QUERY_MAX_LENGTH,
            }
        ),
    )
    profession = forms.ChoiceField(
        label=_("Profession"), required=False, widget=forms.Select(attrs=_SELECT)
    )
    college = forms.ChoiceField(
        label=_("Collège"), required=False, widget=forms.Select(attrs=_SELECT)
    )
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=_with_blank(_("Personnes et structures"), list(MemberKind.choices)),
        widget=forms.Select(attrs=_SELECT),
    )
    commune = forms.ChoiceField(
        label=_("Commune"), required=False, widget=forms.Select(attrs=_SELECT)
    )
    status = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=_with_blank(_("Tous les statuts"), list(MemberStatus.choices)),
        widget=forms.Select(attrs=_SELECT),
    )
    fee = forms.ChoiceField(
        label=_("Cotisation"),
        required=False,
        choices=[
            ("", _("À jour ou non")),
            (FEE_UP_TO_DATE, _("À jour")),
            (FEE_LATE, _("En retard")),
        ],
        widget=forms.Select(attrs=_SELECT),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Choices from the database are read once here (one query each), not at each use.
        self.fields["profession"].choices = _with_blank(  # type: ignore[attr-defined]
            _("Toutes les professions"),
            list(Profession.objects.order_by("label").values_list("code", "label")),
        )
        self.fields["college"].choices = _with_blank(  # type: ignore[attr-defined]
            _("Tous les collèges"),
            list(College.objects.order_by("position", "name").values_list("code", "name")),
        )
        self.fields["commune"].choices = _with_blank(  # type: ignore[attr-defined]
            _("Toutes les communes"), list(commune_choices())
        )
