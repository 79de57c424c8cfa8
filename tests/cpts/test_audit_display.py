"""The history tables show audited values the French way, whatever the page."""

from __future__ import annotations

from datetime import date
from typing import Any

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


def test_moments_are_written_in_paris_time() -> None:
    from django.db.models import DateTimeField

    from cpts.selectors.audit import _display_value

    field: DateTimeField[Any, Any] = DateTimeField()
    # django-auditlog keeps a moment as naive UTC text: 09:00 UTC is 10:00 in Paris in winter.
    assert _display_value("2025-01-18 09:00:00", field, {}) == "18/01/2025 10:00"
    assert _display_value("2025-07-01 22:30:00+00:00", field, {}) == "02/07/2025 00:30"
    assert _display_value("pas une date", field, {}) == "pas une date"
    assert _display_value("None", field, {}) == "—"
