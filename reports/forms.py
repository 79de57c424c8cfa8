from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import AgendaItem, BodyKind, MeetingStatus
from missions.models import ContractYear
from missions.selectors.contract import current_contract
from reports.rendering import FIRST_AG_YEAR


class AciReportForm(forms.Form):
    contract_year = forms.TypedChoiceField(label=_("Année du contrat"), coerce=int)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        contract = current_contract()
        years: list[ContractYear] = list(contract.years.order_by("number")) if contract else []
        self.contract = contract
        field = self.fields["contract_year"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (
                year.number,
                _("Année %(number)s (%(start)s au %(end)s)")
                % {
                    "number": year.number,
                    "start": year.start.strftime("%d/%m/%Y"),
                    "end": year.end.strftime("%d/%m/%Y"),
                },
            )
            for year in years
        ]
        today = timezone.localdate()
        current = next((y.number for y in years if y.start <= today <= y.end), None)
        if current:
            self.fields["contract_year"].initial = current


class AgReportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Année civile"), coerce=int)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        field = self.fields["year"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (year, str(year)) for year in range(this_year, max(FIRST_AG_YEAR, this_year - 10), -1)
        ]
        self.fields["year"].initial = this_year - 1 if timezone.localdate().month < 7 else this_year


def open_ag_items() -> QuerySet[AgendaItem]:
    """Agenda items of the general assemblies still to come whose agenda can change."""
    return (
        AgendaItem.objects.filter(
            meeting__body__kind=BodyKind.AG,
            meeting__status__in=(MeetingStatus.PLANNED, MeetingStatus.CONVENED),
            meeting__starts_at__gte=timezone.now(),
        )
        .select_related("meeting")
        .order_by("meeting__starts_at", "meeting__pk", "position", "pk")
    )


class AgendaItemChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: AgendaItem) -> str:
        starts = timezone.localtime(obj.meeting.starts_at)
        return _("%(meeting)s du %(date)s — point %(position)s : %(title)s") % {
            "meeting": obj.meeting.title,
            "date": starts.strftime("%d/%m/%Y"),
            "position": obj.position,
            "title": obj.title,
        }


class AttachReportForm(forms.Form):
    item = AgendaItemChoice(
        label=_("Point de l'ordre du jour"),
        queryset=AgendaItem.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choisissez un point d'une AG à venir.")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    title = forms.CharField(
        label=_("Titre du document"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = open_ag_items()
        field = self.fields["item"]
        assert isinstance(field, AgendaItemChoice)
        field.queryset = items
        self.items = list(items)
        # The "rapport d'activité" point of the next AG when there is one, else its first point.
        report_item = next((i for i in self.items if "rapport" in i.title.lower()), None)
        if report_item or self.items:
            field.initial = (report_item or self.items[0]).pk
        self.fields["title"].initial = _("Rapport d'activité %(year)s") % {"year": year}
