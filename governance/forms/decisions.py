"""Forms of what meetings decide: resolutions and their votes, elections and candidates,
minutes, and the decision register's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import AgendaItem, Body, Election, MajorityRule, Meeting
from members.models import College, Member
from members.models.members import MemberStatus

MAX_VOTES = 1_000_000


class StyledForm(forms.Form):
    """Bootstrap classes on every widget."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()


class ResolutionForm(StyledForm):
    title = forms.CharField(label=_("Titre"), max_length=255)
    text = forms.CharField(
        label=_("Texte de la résolution"), widget=forms.Textarea(attrs={"rows": 5})
    )
    majority = forms.ChoiceField(label=_("Règle de majorité"), choices=MajorityRule.choices)
    agenda_item = forms.ModelChoiceField(
        label=_("Point de l'ordre du jour"),
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label=_("— aucun —"),
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.order_by("position", "pk")  # type: ignore[attr-defined]


def _count(label: Any) -> forms.IntegerField:
    whole = _("Saisissez un nombre entier positif.")
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_VOTES,
        error_messages={
            "required": _("Saisissez un nombre de voix (0 s'il n'y en a aucune)."),
            "invalid": whole,
            "min_value": whole,
            "max_value": _("Saisissez au plus 1 000 000 voix."),
        },
        widget=forms.NumberInput(attrs={"min": 0, "max": MAX_VOTES}),
    )


class VoteForm(StyledForm):
    votes_for = _count(_("Pour"))
    votes_against = _count(_("Contre"))
    abstentions = _count(_("Abstentions"))


class ElectionForm(StyledForm):
    college = forms.ModelChoiceField(label=_("Collège"), queryset=College.objects.none())
    seats = forms.IntegerField(
        label=_("Sièges à pourvoir"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("Laissez vide : les sièges du collège moins les mandats encore en cours."),
    )
    mandate_start = forms.DateField(
        label=_("Début des mandats"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Laissez vide : la date de la réunion."),
    )
    mandate_end = forms.DateField(
        label=_("Fin des mandats"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Laissez vide : trois ans moins un jour après le début."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["college"].queryset = College.objects.order_by("position", "name")  # type: ignore[attr-defined]


class CandidateForm(StyledForm):
    member = forms.ModelChoiceField(label=_("Candidat·e"), queryset=Member.objects.none())

    def __init__(self, *args: Any, election: Election, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (  # type: ignore[attr-defined]
            Member.objects.filter(college=election.college, status=MemberStatus.ACTIVE)
            .exclude(candidacies__election=election)
            .order_by("last_name", "first_name", "organisation_name")
        )


class MinutesForm(StyledForm):
    chair_name = forms.CharField(label=_("Président·e de séance"), max_length=200, required=False)
    secretary_name = forms.CharField(
        label=_("Secrétaire de séance"), max_length=200, required=False
    )
    text = forms.CharField(
        label=_("Texte du procès-verbal"),
        widget=forms.Textarea(attrs={"rows": 24, "class": "font-monospace"}),
        help_text=_(
            "Une ligne commençant par « ## » est un titre, « ### » un sous-titre, « - » un "
            "élément de liste."
        ),
    )


class ApproveForm(StyledForm):
    at_meeting = forms.ModelChoiceField(
        label=_("Approuvé lors de la réunion"), queryset=Meeting.objects.none()
    )

    def __init__(self, *args: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["at_meeting"].queryset = meetings  # type: ignore[attr-defined]


class RegisterFilterForm(StyledForm):
    """The decision register's search; bad values are ignored (the field is dropped)."""

    q = forms.CharField(label=_("Rechercher"), max_length=100, required=False)
    instance = forms.ModelChoiceField(
        label=_("Instance"), queryset=Body.objects.none(), required=False, empty_label=_("Toutes")
    )
    annee = forms.TypedChoiceField(
        label=_("Année"), coerce=int, required=False, choices=(), empty_value=None
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instance"].queryset = Body.objects.order_by("position", "name")  # type: ignore[attr-defined]
        self.fields["annee"].choices = [("", _("Toutes")), *((y, str(y)) for y in years)]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """The valid values only: an invalid field is ignored, never an error page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": (data.get("q") or "").replace("\x00", "").strip(),
            "body": data.get("instance"),
            "year": data.get("annee"),
        }
