"""The indicators' demo data (indicators/demo.py, run by ``seed_demo``): CPAM values of the
contract years begun, the demo lines measured by the CPAM following their indicator, computed
values for the contract years begun and the last calendar years; idempotent. Seeded once for
the module inside a transaction rolled back at the end."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from indicators.demo import CONTRACT_YEAR_VALUES, LINE_LINKS
from indicators.models import Measurement, MeasurementSource
from indicators.periods import contract_year_period
from indicators.selectors.measurements import contract_year_value
from missions.demo import DEMO_REFERENCE
from missions.models import Contract, IndicatorLine

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")),
        transaction.atomic(),
    ):
        first = _seed()
        count = Measurement.objects.count()
        second = _seed()
        yield {
            "first": first,
            "second": second,
            "count": count,
            "after": Measurement.objects.count(),
        }
        transaction.set_rollback(True)


def test_seeding_twice_adds_no_measurement(seeded: dict[str, Any]):
    assert seeded["count"] > 0
    assert seeded["after"] == seeded["count"]
    assert "Valeurs d'indicateurs CPAM importées" in seeded["first"]
    assert "Valeurs d'indicateurs CPAM importées" not in seeded["second"]


def test_cpam_values_of_every_contract_year_begun(seeded: dict[str, Any]):
    contract = Contract.objects.get(reference=DEMO_REFERENCE)
    begun = list(contract.years.filter(start__lte=timezone.localdate()).order_by("number"))
    assert [year.number for year in begun] == [1, 2, 3]
    imported = Measurement.objects.filter(
        source=MeasurementSource.IMPORTED, contract_year__in=begun
    )
    assert imported.count() == len(CONTRACT_YEAR_VALUES) * len(begun)
    computed_periods = set(
        Measurement.objects.filter(source=MeasurementSource.COMPUTED).values_list(
            "period_kind", "period_key"
        )
    )
    for year in begun:
        assert (contract_year_period(year).kind, f"A{year.number}") in computed_periods


def test_linked_lines_show_the_measured_value(seeded: dict[str, Any]):
    lines = list(
        IndicatorLine.objects.filter(
            envelope__year__contract__reference=DEMO_REFERENCE, indicator__isnull=False
        ).select_related("envelope__year", "indicator")
    )
    # Five kinds of CPAM lines in each of the three years with lines.
    assert len(lines) == len(LINE_LINKS) * 3
    for line in lines:
        assert line.indicator_id is not None
        measurement = contract_year_value(line.indicator_id, line.envelope.year_id)
        assert measurement is not None, line.label
        assert line.achieved == measurement.value, line.label
        assert line.achieved_source == "cpam"
