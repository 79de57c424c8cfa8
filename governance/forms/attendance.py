"""Forms of the attendance page (a status button, a paper proxy) and of the portal's proxy
page (the chosen holder)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from governance.models import AttendanceStatus
from members.models import Member


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class AttendanceMarkForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Présence"),
        choices=AttendanceStatus.choices,
        error_messages={
            "required": _("Choisissez une présence."),
            "invalid_choice": _("Choisissez une présence valide."),
        },
    )


class PaperProxyForm(forms.Form):
    """A signed paper proxy recorded by the coordination: giver and holder among the
    members expected at the AG (the service checks the statutory rules)."""

    giver = MemberChoiceField(
        label=_("Mandant·e (qui donne procuration)"),
        queryset=Member.objects.none(),
        error_messages={
            "required": _("Choisissez le membre qui donne procuration."),
            "invalid_choice": _("Ce membre n'est pas convoqué à cette AG."),
        },
    )
    holder = MemberChoiceField(
        label=_("Mandataire (qui porte la procuration)"),
        queryset=Member.objects.none(),
        error_messages={
            "required": _("Choisissez le membre qui porte la procuration."),
            "invalid_choice": _("Ce membre n'est pas convoqué à cette AG."),
        },
    )

    def __init__(self, *args: Any, members: QuerySet[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ordered = members.order_by("last_name", "first_name", "organisation_name", "pk")
        for name in ("giver", "holder"):
            cast(MemberChoiceField, self.fields[name]).queryset = ordered
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


class PortalProxyForm(forms.Form):
    holder = MemberChoiceField(
        label=_("Mandataire"),
        queryset=Member.objects.all(),
        error_messages={
            "required": _("Choisissez le membre à qui vous donnez procuration."),
            "invalid_choice": _("Ce membre n'existe pas."),
        },
    )
