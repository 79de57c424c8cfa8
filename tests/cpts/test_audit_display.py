"""The history tables show audited values the French way, whatever the page."""

from __future__ import annotations

from datetime import date

import pytest

from cpts.selectors.audit import audit_rows, history_for
from missions.models import Contract, Taille


@pytest.mark.django_db
def test_dates_and_numbers_are_written_the_french_way(association):
    contract = Contract.objects.create(
        signed_on=date(2024, 7, 22), cpam="CPAM", ars="ARS", taille=Taille.T3, population=86257
    )
    contract.population = 90000
    contract.signed_on = date(2024, 8, 1)
    contract.save()
    rows = audit_rows(history_for(contract))
    latest = next(row for row in rows if not row.is_creation)
    changes = {change.label: change for change in latest.changes}
    assert (changes["Date de signature"].old, changes["Date de signature"].new) == (
        "22/07/2024",
        "01/08/2024",
    )
    assert changes["Population à la signature"].new == "90\u00a0000"
