from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
        self.fields["contract_year"].choices = [
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
        self.fields["year"].choices = [
            (year, str(year)) for year in range(this_year, max(FIRST_AG_YEAR, this_year - 10), -1)
        ]
        self.fields["year"].initial = this_year - 1 if timezone.localdate().month < 7 else this_year
