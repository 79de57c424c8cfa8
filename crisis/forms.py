"""Forms of the crisis mission. They read and check the input; the rules live in the
services (a service's refusal comes back on the field it names)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cpts.forms.association import BootstrapFormMixin
from cpts.models import Association, Commune
from crisis.models import SECTION_FIELDS, Activation, PlanVersion, Segment, Site, Situation
from crisis.services.plan import contact_tree_text, parse_contact_tree
from governance.models import Body, BodyKind
from members.models import Member, Profession
from members.models.members import MemberStatus
from members.models.reference import MemberKind

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
DATETIME_INPUTS = [DATETIME_FORMAT, "%d/%m/%Y %H:%M"]


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _datetime_field(label: Any, **kwargs: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=DATETIME_INPUTS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        error_messages={
            "invalid": _("Saisissez une date et une heure valides (jj/mm/aaaa hh:mm).")
        },
        **kwargs,
    )


class StyledForm(BootstrapFormMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select"


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        member = cast(Member, obj)
        return (
            f"{member.display_name} — {member.profession}"
            if member.profession
            else member.display_name
        )


def active_persons() -> QuerySet[Member]:
    return (
        Member.objects.filter(status=MemberStatus.ACTIVE, kind=MemberKind.PERSON)
        .select_related("profession")
        .order_by("last_name", "first_name", "pk")
    )


class PlanForm(StyledForm):
    summary = forms.CharField(
        label=_("Objet de la mise à jour"),
        max_length=255,
        help_text=_("Une ligne : ce que cette version change (elle restera dans l'historique)."),
    )
    referent_sse = MemberChoiceField(label=_("Référent SSE"), queryset=Member.objects.none())
    referent_sse_deputy = MemberChoiceField(
        label=_("Suppléant du référent SSE"), queryset=Member.objects.none(), required=False
    )
    cell_place = forms.CharField(label=_("Lieu de la cellule de crise"), max_length=255)
    cell_fallback_place = forms.CharField(label=_("Lieu de repli"), max_length=255, required=False)
    cell_activation = forms.CharField(
        label=_("Activation de la cellule de crise"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Qui déclenche la cellule, comment, dans quel délai."),
    )
    contact_tree = forms.CharField(
        label=_("Arbre d'appel"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Une personne par ligne, dans l'ordre des appels : « Rôle ; Nom ; Téléphone »."
        ),
    )
    section_injured = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    section_seasonal = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    section_emerging = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    section_nrbc = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    section_supply = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, current: PlanVersion | None = None, **kwargs: Any) -> None:
        if current is not None and not kwargs.get("data") and not args:
            kwargs["initial"] = {
                **{name: getattr(current, name) for name in SECTION_FIELDS.values()},
                "referent_sse": current.referent_sse_id,
                "referent_sse_deputy": current.referent_sse_deputy_id,
                "cell_place": current.cell_place,
                "cell_fallback_place": current.cell_fallback_place,
                "cell_activation": current.cell_activation,
                "contact_tree": contact_tree_text(current.contact_tree),
            }
        super().__init__(*args, **kwargs)
        for name in ("referent_sse", "referent_sse_deputy"):
            cast(forms.ModelChoiceField, self.fields[name]).queryset = active_persons()
        labels = PlanVersion._meta
        for name in SECTION_FIELDS.values():
            self.fields[name].label = cast(models.Field, labels.get_field(name)).verbose_name
            self.fields[name].help_text = _(
                "Organisation, moyens, rôle des professionnels et partenaires mobilisés."
            )

    def clean_contact_tree(self) -> list[dict[str, str]]:
        try:
            return parse_contact_tree(self.cleaned_data["contact_tree"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["contact_tree"]) from error

    def plan_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("summary", None)
        return data


class ActivationForm(StyledForm):
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    situation = forms.ChoiceField(label=_("Situation"), choices=Situation.choices)
    started_on = forms.DateField(label=_("Début"), widget=_date_widget())
    ended_on = forms.DateField(label=_("Fin"), widget=_date_widget(), required=False)
    ars_recognised = forms.BooleanField(label=_("Reconnue par l'ARS"), required=False)
    ars_recognised_on = forms.DateField(
        label=_("Reconnue le"), widget=_date_widget(), required=False
    )
    ars_reference = forms.CharField(
        label=_("Référence de la reconnaissance"), max_length=100, required=False
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    @classmethod
    def for_activation(cls, activation: Activation) -> ActivationForm:
        return cls(initial={name: getattr(activation, name) for name in cls.base_fields})


class SiteForm(StyledForm):
    name = forms.CharField(label=_("Nom du site"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=Site._meta.get_field("kind").choices)  # type: ignore[arg-type]
    address = forms.CharField(label=_("Adresse"), max_length=255, required=False)
    commune = forms.ModelChoiceField(
        label=_("Commune"), queryset=Commune.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        association = Association.objects.get_solo()
        cast(
            forms.ModelChoiceField, self.fields["commune"]
        ).queryset = association.communes.order_by("name")


NEED_ROWS = 5


class ShiftForm(StyledForm):
    """A shift with up to five need rows (« profession » or empty for the reception, and a
    number); empty rows are ignored."""

    starts_at = _datetime_field(_("Début"))
    ends_at = _datetime_field(_("Fin"))
    changes_until = _datetime_field(
        _("Inscriptions et désistements jusqu'au"),
        help_text=_("Après cette date, seule la coordination modifie le créneau."),
    )
    notes = forms.CharField(label=_("Consignes"), max_length=255, required=False)

    def __init__(self, *args: Any, sites: QuerySet[Site] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if sites is not None:
            # Editing: the shift may move to another site of its crisis.
            self.fields["site"] = forms.ModelChoiceField(
                label=_("Site"),
                queryset=sites,
                empty_label=None,
                error_messages={"invalid_choice": _("Site : choisissez un site de cette crise.")},
            )
            self.order_fields(["site"])
        professions = Profession.objects.order_by("label")
        for row in range(NEED_ROWS):
            self.fields[f"need_{row}_profession"] = forms.ModelChoiceField(
                label=_("Profession (besoin %(row)s)") % {"row": row + 1},
                queryset=professions,
                required=False,
                empty_label=str(_("Accueil (toute personne)")),
            )
            self.fields[f"need_{row}_count"] = forms.IntegerField(
                label=_("Nombre (besoin %(row)s)") % {"row": row + 1},
                min_value=1,
                max_value=99,
                required=False,
                error_messages={
                    "invalid": _("Besoin %(row)s : saisissez un nombre entier.") % {"row": row + 1},
                    "min_value": _("Besoin %(row)s : il faut au moins 1 personne.")
                    % {"row": row + 1},
                    "max_value": _("Besoin %(row)s : 99 personnes au plus.") % {"row": row + 1},
                },
            )
        self._style_widgets()
        for name, field in self.fields.items():
            if name == "site" or name.endswith("_profession"):
                field.widget.attrs["class"] = "form-select"

    @classmethod
    def initial_for(cls, shift: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "site": shift.site_id,
            "starts_at": shift.starts_at,
            "ends_at": shift.ends_at,
            "changes_until": shift.changes_until,
            "notes": shift.notes,
        }
        for row, need in enumerate(list(shift.needs.all())[:NEED_ROWS]):
            initial[f"need_{row}_profession"] = need.profession_id
            initial[f"need_{row}_count"] = need.count
        return initial

    def need_rows(self) -> list[tuple[Any, Any]]:
        return [
            (self[f"need_{row}_profession"], self[f"need_{row}_count"]) for row in range(NEED_ROWS)
        ]

    def needs(self) -> list[tuple[Profession | None, int]]:
        result = []
        for row in range(NEED_ROWS):
            count = self.cleaned_data.get(f"need_{row}_count")
            profession = self.cleaned_data.get(f"need_{row}_profession")
            if count:
                result.append((profession, int(count)))
        return result

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for row in range(NEED_ROWS):
            count = f"need_{row}_count"
            if (
                data.get(f"need_{row}_profession")
                and not data.get(count)
                and count not in self.errors
            ):
                self.add_error(
                    count,
                    _("Besoin %(row)s : indiquez combien de personnes il faut.") % {"row": row + 1},
                )
        return data


class VolunteerForm(forms.Form):
    """The member the coordination puts on a need (one button per listed candidate)."""

    member = forms.ModelChoiceField(
        label=_("Membre"),
        queryset=Member.objects.filter(kind=MemberKind.PERSON).select_related("profession"),
        error_messages={
            "required": _("Membre : choisissez la personne à inscrire dans la liste."),
            "invalid_choice": _("Membre : cette personne n'existe pas ou n'est pas une personne."),
        },
    )


class AlertForm(StyledForm):
    subject = forms.CharField(label=_("Objet"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}))
    segment = forms.ChoiceField(label=_("Destinataires"), choices=Segment.choices)
    profession = forms.ModelChoiceField(
        label=_("Profession"), queryset=Profession.objects.order_by("label"), required=False
    )
    commune = forms.ModelChoiceField(
        label=_("Commune"), queryset=Commune.objects.none(), required=False
    )
    group = forms.ModelChoiceField(
        label=_("Groupe de travail"),
        queryset=Body.objects.filter(kind=BodyKind.GROUP, archived_on__isnull=True).order_by(
            "name"
        ),
        required=False,
    )
    activation = forms.ModelChoiceField(
        label=_("Crise concernée"),
        queryset=Activation.objects.order_by("-started_on"),
        required=False,
        empty_label=str(_("— aucune —")),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        association = Association.objects.get_solo()
        cast(
            forms.ModelChoiceField, self.fields["commune"]
        ).queryset = association.communes.order_by("name")


def raise_on(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the form: on the field it names when the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)
