"""Forms of bodies, mandates and the statutes settings (with the CA seats per collège)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpts.forms.invitations import BootstrapErrorsMixin
from governance.models import SINGLE_KINDS, Body, BodyKind, Mandate, MandateRole, Meeting, Statutes
from governance.selectors.bodies import active_members, member_line
from governance.services.statutes import MAX_CA_SEATS
from members.models import College, Member

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
_TEXT = {"class": "form-control"}
_SELECT = {"class": "form-select"}
_CHECK = {"class": "form-check-input"}


def date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={**_TEXT, "type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": _("Saisissez une date valide, par exemple 15/01/2026."),
            "required": _("Indiquez une date."),
        },
    )


MAX_POSITION = 999


class BodyForm(BootstrapErrorsMixin, forms.ModelForm):
    """A body. The AG, the CA and the Bureau keep their kind and are never open to joining."""

    position = forms.IntegerField(
        label=_("Ordre"),
        min_value=0,
        max_value=MAX_POSITION,
        initial=0,
        widget=forms.NumberInput(attrs={**_TEXT, "min": 0, "max": MAX_POSITION}),
        help_text=_("Rang d'affichage dans les listes, de 0 à 999 (le plus petit en premier)."),
        error_messages={
            "required": _("Indiquez l'ordre d'affichage (un nombre de 0 à 999)."),
            "invalid": _("L'ordre d'affichage est un nombre entier de 0 à 999."),
            "min_value": _("L'ordre d'affichage est un nombre de 0 à 999."),
            "max_value": _("L'ordre d'affichage est un nombre de 0 à 999."),
        },
    )

    class Meta:
        model = Body
        fields = ("name", "kind", "theme", "description", "open_to_join", "position")
        widgets = {
            "name": forms.TextInput(attrs=_TEXT),
            "kind": forms.Select(attrs=_SELECT),
            "theme": forms.TextInput(attrs=_TEXT),
            "description": forms.Textarea(attrs={**_TEXT, "rows": 4}),
            "open_to_join": forms.CheckboxInput(attrs=_CHECK),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        if self.instance.pk and self.instance.kind in SINGLE_KINDS:
            kind.disabled = True
            del self.fields["open_to_join"]
        elif not self.instance.pk:
            taken = set(Body.objects.filter(kind__in=SINGLE_KINDS).values_list("kind", flat=True))
            kind.choices = [  # type: ignore[attr-defined]
                (value, label) for value, label in BodyKind.choices if value not in taken
            ]
            kind.initial = BodyKind.GROUP
        else:
            kind.choices = [(BodyKind.GROUP.value, BodyKind.GROUP.label)]  # type: ignore[attr-defined]


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return member_line(obj)


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} — {obj.body} ({timezone.localtime(obj.starts_at):%d/%m/%Y})"


class MandateForm(BootstrapErrorsMixin, forms.Form):
    member = MemberChoiceField(
        label=_("Membre"),
        queryset=Member.objects.none(),
        widget=forms.Select(attrs=_SELECT),
        empty_label=_("— Choisir un membre actif —"),
        error_messages={
            "required": _("Choisissez le membre qui reçoit le mandat."),
            "invalid_choice": _("Choisissez un membre actif de la liste."),
        },
    )
    role = forms.ChoiceField(
        label=_("Fonction"),
        choices=MandateRole.choices,
        widget=forms.Select(attrs=_SELECT),
        error_messages={"required": _("Choisissez une fonction.")},
    )
    start_date = date_field(_("Début du mandat"))
    end_date = date_field(
        _("Fin du mandat"),
        required=False,
        help_text=_("Dernier jour du mandat ; laissez vide pour un mandat sans terme fixé."),
    )
    college = forms.ModelChoiceField(
        label=_("Collège représenté"),
        queryset=College.objects.all(),
        required=False,
        widget=forms.Select(attrs=_SELECT),
        empty_label=_("— Aucun —"),
    )
    elected_at = MeetingChoiceField(
        label=_("Élu·e lors de la réunion"),
        queryset=Meeting.objects.none(),
        required=False,
        widget=forms.Select(attrs=_SELECT),
        empty_label=_("— Sans objet —"),
    )
    notes = forms.CharField(
        label=_("Remarque"), max_length=255, required=False, widget=forms.TextInput(attrs=_TEXT)
    )

    def __init__(self, *args: Any, body: Body, mandate: Mandate | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        members = active_members(keep=mandate.member_id if mandate is not None else None)
        self.fields["member"].queryset = members  # type: ignore[attr-defined]
        since = timezone.now() - timedelta(days=6 * 366)
        self.fields["elected_at"].queryset = (  # type: ignore[attr-defined]
            Meeting.objects.filter(starts_at__gte=since)
            .select_related("body")
            .order_by("-starts_at")
        )
        if body.kind == BodyKind.GROUP:
            self.fields["role"].choices = [  # type: ignore[attr-defined]
                (MandateRole.REFERENT.value, MandateRole.REFERENT.label),
                (MandateRole.MEMBRE.value, MandateRole.MEMBRE.label),
            ]
        else:
            self.fields["role"].choices = [  # type: ignore[attr-defined]
                choice for choice in MandateRole.choices if choice[0] != MandateRole.REFERENT
            ]
        # A new CA seat is most often an administrateur·rice; elsewhere a plain member.
        self.fields["role"].initial = (
            MandateRole.ADMINISTRATEUR if body.kind == BodyKind.CA else MandateRole.MEMBRE
        )
        if body.kind == BodyKind.CA:
            self.fields["college"].help_text = _(
                "Obligatoire au CA dès que des collèges y ont des sièges."
            )
        if mandate is not None:
            self.initial.update(
                {
                    "member": mandate.member_id,
                    "role": mandate.role,
                    "start_date": mandate.start_date,
                    "end_date": mandate.end_date,
                    "college": mandate.college_id,
                    "elected_at": mandate.elected_at_id,
                    "notes": mandate.notes,
                }
            )


class MandateEndForm(BootstrapErrorsMixin, forms.Form):
    end_date = date_field(
        _("Dernier jour du mandat"),
        help_text=_("Le mandat court jusqu'à ce jour inclus."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["end_date"].initial = timezone.localdate()


class GroupMemberForm(BootstrapErrorsMixin, forms.Form):
    """A référent·e (or the coordination) adds an active member to a working group."""

    member = MemberChoiceField(
        label=_("Membre à ajouter"),
        queryset=Member.objects.none(),
        widget=forms.Select(attrs=_SELECT),
        empty_label=_("— Choisir un membre actif —"),
        error_messages={
            "required": _("Choisissez le membre à ajouter au groupe."),
            "invalid_choice": _(
                "Choisissez un membre actif qui ne fait pas déjà partie du groupe."
            ),
        },
    )
    start_date = date_field(_("Membre du groupe à partir du"))

    def __init__(self, *args: Any, body: Body, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        sitting = Mandate.objects.active_on(today).filter(body=body).values("member_id")
        self.fields["member"].queryset = active_members().exclude(  # type: ignore[attr-defined]
            pk__in=sitting
        )
        self.fields["start_date"].initial = today


class StatutesForm(BootstrapErrorsMixin, forms.ModelForm):
    class Meta:
        model = Statutes
        fields = (
            "ag_quorum_percent",
            "ca_quorum_percent",
            "max_proxies_per_holder",
            "ag_ordinary_majority",
            "ag_extraordinary_majority",
            "board_majority",
            "convocation_notice_days",
            "second_convocation_without_quorum",
            "second_convocation_notice_days",
        )
        widgets = {
            "ag_quorum_percent": forms.NumberInput(attrs={**_TEXT, "step": "0.01", "min": 0}),
            "ca_quorum_percent": forms.NumberInput(attrs={**_TEXT, "step": "0.01", "min": 0}),
            "max_proxies_per_holder": forms.NumberInput(attrs={**_TEXT, "min": 0, "max": 50}),
            "ag_ordinary_majority": forms.Select(attrs=_SELECT),
            "ag_extraordinary_majority": forms.Select(attrs=_SELECT),
            "board_majority": forms.Select(attrs=_SELECT),
            "convocation_notice_days": forms.NumberInput(attrs={**_TEXT, "min": 0, "max": 365}),
            "second_convocation_without_quorum": forms.CheckboxInput(attrs=_CHECK),
            "second_convocation_notice_days": forms.NumberInput(
                attrs={**_TEXT, "min": 0, "max": 365}
            ),
        }


class CollegeSeatsForm(BootstrapErrorsMixin, forms.Form):
    college = forms.IntegerField(widget=forms.HiddenInput)
    ca_seats = forms.IntegerField(
        label=_("Sièges au CA"),
        min_value=0,
        max_value=MAX_CA_SEATS,
        widget=forms.NumberInput(attrs={**_TEXT, "min": 0, "max": MAX_CA_SEATS}),
        error_messages={"required": _("Indiquez un nombre de sièges (0 si aucun).")},
    )


class BaseCollegeSeatsFormSet(forms.BaseFormSet):
    """One row per collège, labelled with its name; rows are fixed (no add or delete)."""

    def __init__(self, *args: Any, colleges: list[College], **kwargs: Any) -> None:
        self.colleges = colleges
        kwargs.setdefault("initial", [{"college": c.pk, "ca_seats": c.ca_seats} for c in colleges])
        super().__init__(*args, **kwargs)
        for form, college in zip(self.forms, colleges, strict=False):
            form.fields["ca_seats"].label = _("Sièges au CA — %(college)s") % {"college": college}

    def clean(self) -> None:
        known = {c.pk for c in self.colleges}
        for form in self.forms:
            college_id = form.cleaned_data.get("college")
            if college_id is not None and college_id not in known:
                raise forms.ValidationError(_("Collège inconnu : rechargez la page."))

    def seats(self) -> dict[int, int]:
        return {
            form.cleaned_data["college"]: form.cleaned_data["ca_seats"]
            for form in self.forms
            if form.cleaned_data
        }


def college_seats_formset(
    data: Any, *, colleges: list[College], prefix: str = "sieges"
) -> BaseCollegeSeatsFormSet:
    """The CA seats formset: one row per collège, rows fixed."""
    formset_class = forms.formset_factory(
        CollegeSeatsForm, formset=BaseCollegeSeatsFormSet, extra=0, max_num=200, validate_max=True
    )
    return formset_class(data, colleges=colleges, prefix=prefix)  # type: ignore[call-arg,return-value]
