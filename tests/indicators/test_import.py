"""Import of indicator values: each bad row with its line number and reason, all or nothing,
French formats through CSV (``;`` and ``,``, UTF-8 and Windows-1252) and XLSX, the comparison
with current values, and the contract lines that follow an imported indicator."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from indicators.importing import check_rows, read_indicator_file
from indicators.models import IndicatorDefinition, Measurement, MeasurementSource
from indicators.periods import calendar_year, contract_year_period
from indicators.services.imports import INVALID, NEW, SKIP, UPDATE, run_import
from indicators.services.measurements import NewMeasurement, record_measurements
from missions.models import (
    AchievedSource,
    Contract,
    IndicatorLine,
    LineKind,
    Mission,
    MissionEnvelope,
)
from tests.factories import UserFactory
from tests.indicators.test_import_helpers import csv_bytes, setup_catalogue, xlsx_bytes

pytestmark = pytest.mark.django_db

ALD = "national_no_mt_ald"
SCREENING = "screening_colorectal_rate"


@pytest.fixture
def contract(association: Any) -> Contract:
    return setup_catalogue()


def indicator(code: str) -> IndicatorDefinition:
    return IndicatorDefinition.objects.get(code=code)


def check(content: bytes, name: str = "cpam.csv") -> Any:
    return run_import(read_indicator_file(content, name), dry_run=True)


def errors_of(content: bytes) -> list[str]:
    return [str(error) for error in check(content).errors]


# --- French formats, end to end ------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "text", "expected"),
    [
        (SCREENING, "66,26", D("66.26")),
        (SCREENING, "66,26 %", D("66.26")),
        (SCREENING, "66,26\u00a0%", D("66.26")),
        (SCREENING, "66.26", D("66.26")),
        (ALD, "1 234", D("1234")),
        (ALD, "1\u00a0234", D("1234")),
        (ALD, "1 234,5", D("1234.5")),
        (ALD, "1\u00a0234,5", D("1234.5")),
        (ALD, "303", D("303")),
    ],
)
def test_french_numbers_are_recorded(contract: Contract, code: str, text: str, expected: D) -> None:
    report = run_import(
        read_indicator_file(csv_bytes(f"{code};A2;{text};;"), "cpam.csv"),
        dry_run=False,
        source_name="cpam.csv",
    )
    assert report.summary == "nouvelles: 1, modifiées: 0, inchangées: 0, erreurs: 0"
    measurement = Measurement.objects.get()
    assert measurement.value == expected
    assert measurement.period_kind == "contract_year" and measurement.period_key == "A2"
    assert measurement.contract_year == contract.years.get(number=2)
    assert measurement.source == MeasurementSource.IMPORTED
    assert measurement.source_name == "cpam.csv"


@pytest.mark.parametrize(
    ("text", "kind", "key"),
    [
        ("2025", "year", "2025"),
        ("T1 2025", "quarter", "2025-T1"),
        ("2025-T1", "quarter", "2025-T1"),
        ("03/2025", "month", "2025-03"),
        ("mars 2025", "month", "2025-03"),
        ("A2", "contract_year", "A2"),
        ("Année 2", "contract_year", "A2"),
        ("01/2024", "month", "2024-01"),  # first month of the contract
        ("12/2028", "month", "2028-12"),  # last month of the contract
    ],
)
def test_period_formats(contract: Contract, text: str, kind: str, key: str) -> None:
    run_import(read_indicator_file(csv_bytes(f"{ALD};{text};10;;")), dry_run=False)
    measurement = Measurement.objects.get()
    assert (measurement.period_kind, measurement.period_key) == (kind, key)


def test_indicator_by_label_ignores_case_and_accents(contract: Contract) -> None:
    report = check(csv_bytes("PATIENTS EN ALD SANS MEDECIN TRAITANT;A1;10;;"))
    assert [row.status for row in report.rows] == [NEW]
    assert report.rows[0].indicator == "Patients en ALD sans médecin traitant"


# --- Bad rows --------------------------------------------------------------------------------


def test_every_bad_row_is_reported_with_its_line_and_reason(contract: Contract) -> None:
    content = csv_bytes(
        f"{ALD};A1;303;;",  # 2: fine
        "inconnu_x;A1;10;;",  # 3
        "members_active;A1;10;;",  # 4
        f"{ALD};semaine 12;10;;",  # 5
        f"{ALD};2023;10;;",  # 6: the year before the contract
        f"{ALD};A1;beaucoup;;",  # 7
        f"{SCREENING};A1;100,5 %;;",  # 8
        f"{ALD};A1;-3;;",  # 9
        f"{ALD};A1;304;;",  # 10: same as line 2
        ";A1;10;;",  # 11
        f"{ALD};;;;",  # 12
        f"{ALD};A1;12 %;;",  # 13: a percentage for a count
        f"{ALD};A7;10;;",  # 14
        f"{ALD};A3;1 000 000 000 000;;",  # 15
    )
    assert errors_of(content) == [
        "ligne 3, indicateur: « inconnu_x » : indicateur inconnu (ni un code ni un intitulé du "
        "catalogue).",
        "ligne 4, indicateur: « Adhérents actifs » est calculé par Maillage, non importable.",
        "ligne 5, période: « semaine 12 » n'est pas une période reconnue (exemples : 2025, "
        "T1 2025, 03/2025, mars 2025, A2 pour la deuxième année du contrat).",
        "ligne 6, période: « 2023 » est hors du contrat ACI (du 01/01/2024 au 31/12/2028).",
        "ligne 7, valeur: « beaucoup » n'est pas un nombre (exemples : 66,26 ; 66,26 % ; 1 234,5).",
        "ligne 8, valeur: Un pourcentage ne peut pas dépasser 100.",
        "ligne 9, valeur: La valeur ne peut pas être négative.",
        "ligne 10: même indicateur, même période et même ventilation qu'à la ligne 2.",
        "ligne 11, indicateur: indicateur manquant (code ou intitulé).",
        "ligne 12, période: La période est vide.",
        "ligne 12, valeur: valeur manquante.",
        "ligne 13, valeur: « 12 % » est un pourcentage, or « Patients en ALD sans médecin "
        "traitant » n'en est pas un.",
        "ligne 14, période: « A7 » : le contrat n'a pas d'année 7.",
        "ligne 15, valeur: La valeur est trop grande.",
    ]


def test_the_computed_indicator_label_is_the_catalogue_one(contract: Contract) -> None:
    label = indicator("members_active").label
    assert f"« {label} » est calculé par Maillage" in errors_of(csv_bytes(f"{label};A1;1;;"))[0]


@pytest.mark.parametrize(
    ("period", "outside"),
    [
        ("12/2023", True),  # the day before the contract ends this month
        ("01/2024", False),  # the first day of the contract is in it
        ("12/2028", False),  # its last day too
        ("01/2029", True),  # the day after
        ("T4 2023", True),
        ("2029", True),
    ],
)
def test_period_outside_the_contract_boundaries(
    contract: Contract, period: str, outside: bool
) -> None:
    errors = errors_of(csv_bytes(f"{ALD};{period};10;;"))
    assert bool(errors) is outside
    if outside:
        assert "est hors du contrat ACI" in errors[0]


def test_same_indicator_and_period_with_other_breakdowns_is_fine(contract: Contract) -> None:
    report = check(csv_bytes(f"{ALD};A1;30;;", f"{ALD};A1;10;Lodève;", f"{ALD};A1;20;Clermont;"))
    assert not report.has_errors and report.created == 3
    duplicate = errors_of(csv_bytes(f"{ALD};A1;10;Lodève;", f"{ALD};A1;11;lodeve;"))
    assert duplicate == [
        "ligne 3: même indicateur, même période et même ventilation qu'à la ligne 2."
    ]


def test_an_ambiguous_label_asks_for_the_code(contract: Contract) -> None:
    IndicatorDefinition.objects.create(
        code="local_ald", label="Patients en ALD sans médecin traitant", source="manual"
    )
    errors = errors_of(csv_bytes("Patients en ALD sans médecin traitant;A1;3;;"))
    assert errors == [
        "ligne 2, indicateur: « Patients en ALD sans médecin traitant » : plusieurs indicateurs "
        f"portent cet intitulé, indiquez le code (local_ald, {ALD})."
    ]


# --- All or nothing, statuses, history -------------------------------------------------------


def test_one_bad_row_and_nothing_is_written(contract: Contract) -> None:
    content = csv_bytes(f"{ALD};A1;303;;", f"{SCREENING};A1;66,26 %;;", f"{ALD};A2;abc;;")
    report = run_import(read_indicator_file(content), dry_run=False)
    assert [row.status for row in report.rows] == [NEW, NEW, INVALID]
    assert report.summary == "nouvelles: 2, modifiées: 0, inchangées: 0, erreurs: 1"
    assert Measurement.objects.count() == 0


def test_the_dry_run_writes_nothing(contract: Contract) -> None:
    report = check(csv_bytes(f"{ALD};A1;303;;"))
    assert report.created == 1 and Measurement.objects.count() == 0


def test_new_changed_and_unchanged_rows(contract: Contract) -> None:
    user = UserFactory.create()
    a1 = contract_year_period(contract.years.get(number=1))
    record_measurements(
        [
            NewMeasurement(indicator(ALD), a1, D("303")),
            NewMeasurement(indicator(SCREENING), a1, D("66.26")),
        ],
        source=MeasurementSource.MANUAL,
    )
    content = csv_bytes(
        f"{ALD};A1;250;;", f"{SCREENING};Année 1;66,26 %;;", f"{ALD};A2;203;;relevé CPAM 2025"
    )
    preview = check(content)
    assert [(row.line, row.status) for row in preview.rows] == [(2, UPDATE), (3, SKIP), (4, NEW)]
    changed = preview.rows[0]
    assert (changed.current, changed.value) == (D("303"), D("250"))
    assert changed.current_display == "303" and changed.value_display == "250"
    assert changed.change_display == "\u221253"
    assert preview.rows[1].value_display == "66,26\u00a0%"
    report = run_import(
        read_indicator_file(content), dry_run=False, user=user, source_name="cpam.csv"
    )
    assert report.summary == "nouvelles: 1, modifiées: 1, inchangées: 1, erreurs: 0"
    imported = Measurement.objects.filter(source=MeasurementSource.IMPORTED)
    assert sorted((m.period_key, m.value, m.note) for m in imported) == [
        ("A1", D("250"), ""),
        ("A2", D("203"), "relevé CPAM 2025"),
    ]
    assert {m.recorded_by for m in imported} == {user}
    # History kept: the manual 303 is still there, 250 is the current value.
    assert Measurement.objects.filter(indicator__code=ALD, period_key="A1").count() == 2
    again = run_import(read_indicator_file(content), dry_run=False)
    assert again.summary == "nouvelles: 0, modifiées: 0, inchangées: 3, erreurs: 0"
    assert Measurement.objects.count() == 4


def test_the_preview_queries_do_not_grow_with_rows(
    contract: Contract, django_assert_max_num_queries: Any
) -> None:
    few = read_indicator_file(csv_bytes(f"{ALD};A1;1;;"))
    many = read_indicator_file(
        csv_bytes(
            *(
                f"{ALD};{month:02d}/{year};{month};;"
                for year in (2024, 2025)
                for month in range(1, 13)
            )
        )
    )
    with django_assert_max_num_queries(6):
        run_import(few, dry_run=True)
    with django_assert_max_num_queries(6):
        assert run_import(many, dry_run=True).created == 24


# --- File kinds --------------------------------------------------------------------------------


def test_csv_with_commas(contract: Contract) -> None:
    content = f'indicateur,période,valeur\r\n{SCREENING},2025,"66,26 %"\r\n{ALD},T2 2025,1 234\r\n'
    run_import(read_indicator_file(content.encode()), dry_run=False)
    assert sorted(Measurement.objects.values_list("period_key", "value")) == [
        ("2025", D("66.26")),
        ("2025-T2", D("1234")),
    ]


def test_cp1252_csv(contract: Contract) -> None:
    content = csv_bytes(
        "Patients en ALD sans médecin traitant;Année 2;1\u00a0234,5;;relevé", encoding="cp1252"
    )
    report = run_import(read_indicator_file(content), dry_run=False)
    assert not report.has_errors
    assert Measurement.objects.get().value == D("1234.5")


def test_xlsx_with_numeric_and_percent_cells(contract: Contract) -> None:
    content = xlsx_bytes(
        [
            ["Indicateur", "Période", "Valeur", "Ventilation"],
            [ALD, "A2", 303, None],
            [SCREENING, "A2", 0.6626, None],
            [SCREENING, 2025, 72.4, None],
            [ALD, "A2", 12, "Lodève"],
        ],
        percent_cells=("C3",),
    )
    report = run_import(read_indicator_file(content, "cpam.xlsx"), dry_run=False)
    assert report.summary == "nouvelles: 4, modifiées: 0, inchangées: 0, erreurs: 0"
    assert sorted(Measurement.objects.values_list("period_key", "breakdown", "value")) == [
        ("2025", "", D("72.4")),
        ("A2", "", D("66.26")),
        ("A2", "", D("303")),
        ("A2", "Lodève", D("12")),
    ]


def test_xlsx_numbers_in_messages_are_written_as_typed(contract: Contract) -> None:
    content = xlsx_bytes([["indicateur", "période", "valeur"], ["inconnu", "A2", 1000]])
    (row,) = check_rows(read_indicator_file(content, "cpam.xlsx"))
    assert (row.value_text, row.value) == ("1000", D("1000"))
    assert check(content, "cpam.xlsx").rows[0].value_display == "1\u00a0000"


def test_xlsx_percent_cell_for_a_count_is_refused(contract: Contract) -> None:
    content = xlsx_bytes([["indicateur", "période", "valeur"], [ALD, "A2", 0.5]], ("C2",))
    assert errors_of(content) == [
        "ligne 2, valeur: « 50.0 % » est un pourcentage, or « Patients en ALD sans médecin "
        "traitant » n'en est pas un."
    ]


# --- Contract lines follow the imported contract-year value ----------------------------------


def test_a_linked_contract_line_follows_the_imported_contract_year_value(
    contract: Contract,
) -> None:
    year2 = contract.years.get(number=2)
    envelope = MissionEnvelope.objects.create(
        year=year2, mission=Mission.objects.get(key="prevention"), variable=D("3500")
    )
    line = IndicatorLine.objects.create(
        envelope=envelope,
        label="Taux de dépistage du cancer colorectal",
        kind=LineKind.TARGET,
        amount=D("3500"),
        baseline=D("66.26"),
        target=D("75"),
        indicator=indicator(SCREENING),
    )
    # A calendar-year value (even over the same dates) is not the contract-year one.
    run_import(read_indicator_file(csv_bytes(f"{SCREENING};2025;70;;")), dry_run=False)
    line.refresh_from_db()
    assert line.achieved is None
    run_import(read_indicator_file(csv_bytes(f"{SCREENING};A2;72,40 %;;")), dry_run=False)
    line.refresh_from_db()
    assert line.achieved == D("72.40")
    assert line.achieved_source == AchievedSource.CPAM
    # The year-1 value of the same indicator leaves the year-2 line alone.
    run_import(read_indicator_file(csv_bytes(f"{SCREENING};A1;60;;")), dry_run=False)
    line.refresh_from_db()
    assert line.achieved == D("72.40")
    assert calendar_year(2025).start == year2.start  # the hand-checked premise above
