"""Member import: good files, the messy variants coordinators really have, wrong rows (all
or nothing), re-import, and matching for updates (services and resource, no views)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from cpts.models import Association
from members.import_values import PAID_IN_FULL, french_phone, label_variants, parse_date, parse_paid
from members.importing import ImportFileError, read_member_file
from members.models import Adhesion, Member, Payment, PracticeSite
from members.models.members import Civility, OrganisationKind, PracticeMode, StructureKind
from members.selectors.fees import adhesions_with_balance
from members.services.imports import INVALID, NEW, SKIP, UPDATE, ImportReport, run_import
from tests.factories import MemberFactory, OrganisationFactory
from tests.members.test_import_helpers import (
    FILES,
    TODAY,
    csv_bytes,
    good_csv,
    good_rows,
    good_text,
    setup_reference_data,
    with_row,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reference(association: Association) -> None:
    setup_reference_data()


def do_import(content: bytes, *, dry_run: bool = False, filename: str = "") -> ImportReport:
    return run_import(read_member_file(content, filename), dry_run=dry_run, today=TODAY)


def assert_good_file_imported(report: ImportReport) -> None:
    assert not report.has_errors, report.errors
    assert (report.created, report.updated, report.unchanged, report.invalid) == (4, 0, 0, 0)
    assert [row.line for row in report.rows] == [2, 3, 4, 5]
    claire = Member.objects.get(rpps="10001234567")
    assert (claire.last_name, claire.first_name, claire.civility) == ("Martin", "Claire", "mme")
    assert claire.profession is not None and claire.profession.code == "infirmier"
    assert claire.college is not None and claire.college.code == "liberaux"
    assert claire.commune is not None and claire.commune.insee_code == "34142"
    assert (claire.phone, claire.postal_code) == ("04 67 44 00 01", "34700")
    assert claire.practice_mode == PracticeMode.LIBERAL
    assert claire.joined_on == datetime.date(2026, 1, 15)
    site = PracticeSite.objects.get(member=claire)
    assert site.is_primary and site.structure_kind == StructureKind.MSP
    assert site.structure_name == "MSP du Lodévois" and site.commune.insee_code == "34142"
    adhesion = adhesions_with_balance().get(member=claire, year=2026)
    assert adhesion.started_on == datetime.date(2026, 1, 15)
    assert (adhesion.fee_due, adhesion.paid, adhesion.is_settled) == (Decimal(20), 20, True)
    paul = Member.objects.get(email="paul.durand@exemple.fr")
    assert paul.commune is not None and paul.commune.insee_code == "34079"
    assert adhesions_with_balance().get(member=paul).paid == Decimal("10.00")
    assert PracticeSite.objects.get(member=paul).structure_kind == StructureKind.CENTRE_SANTE
    anne = Member.objects.get(adeli="341234567")
    assert anne.commune is not None and anne.commune.name == "Gignac"
    assert not anne.adhesions.exists()
    msp = Member.objects.get(siret="73282932000074")
    assert msp.kind == "structure" and msp.organisation_kind == OrganisationKind.MSP
    assert msp.organisation_name == "Maison de santé du Lodévois" and msp.finess == "340012345"
    assert msp.college is not None and msp.college.code == "structures"
    assert adhesions_with_balance().get(member=msp).fee_due == Decimal("50.00")
    assert not Payment.objects.filter(adhesion__member=msp).exists()


def test_the_good_csv_file_is_imported() -> None:
    assert_good_file_imported(do_import(good_csv()))


def test_the_good_xlsx_file_is_imported() -> None:
    assert_good_file_imported(do_import((FILES / "membres.xlsx").read_bytes(), filename="m.xlsx"))


def test_a_dry_run_reports_everything_and_writes_nothing() -> None:
    report = do_import(good_csv(), dry_run=True)
    assert [row.status for row in report.rows] == [NEW, NEW, NEW, NEW]
    assert report.rows[0].name == "Claire MARTIN"
    assert not Member.objects.exists() and not Adhesion.objects.exists()


def test_re_importing_the_same_file_changes_nothing() -> None:
    do_import(good_csv())
    before = (Member.objects.count(), Adhesion.objects.count(), Payment.objects.count())
    report = do_import(good_csv())
    assert [row.status for row in report.rows] == [SKIP] * 4
    assert report.summary == "créés: 0, mis à jour: 0, inchangés: 4, erreurs: 0"
    assert (Member.objects.count(), Adhesion.objects.count(), Payment.objects.count()) == before
    xlsx = do_import((FILES / "membres.xlsx").read_bytes())
    assert xlsx.unchanged == 4, xlsx.rows


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda: csv_bytes(good_rows(), separator=","), id="comma-separator"),
        pytest.param(lambda: "\ufeff".encode() + good_csv(), id="utf8-bom"),
        pytest.param(lambda: good_text().encode("cp1252"), id="windows-1252"),
        pytest.param(
            lambda: csv_bytes([[f"  {cell}  " for cell in row] for row in good_rows()]),
            id="stray-spaces",
        ),
        pytest.param(lambda: good_csv() + b";;;;\r\n\r\n;;\r\n", id="empty-trailing-rows"),
        pytest.param(
            lambda: csv_bytes(
                [
                    [
                        h.upper().replace("PRENOM", "Prénom").replace("COLLEGE", "Collège")
                        for h in good_rows()[0]
                    ],
                    *good_rows()[1:],
                ]
            ),
            id="headers-other-case-and-accents",
        ),
        pytest.param(
            lambda: (
                good_text()
                .replace("date_adhesion", "Date d'adhésion")
                .replace("raison_sociale", "Raison sociale")
                .replace("code_postal", "Code postal")
                .encode()
            ),
            id="headers-with-spaces",
        ),
    ],
)
def test_messy_variants_of_the_good_file_import_the_same(variant: Callable[[], bytes]) -> None:
    assert_good_file_imported(do_import(variant()))


def test_a_cp1252_file_keeps_its_accents() -> None:
    do_import(good_text().encode("cp1252"))
    assert Member.objects.get(siret="73282932000074").organisation_name == (
        "Maison de santé du Lodévois"
    )


def test_xlsx_numbers_and_dates_are_read_as_typed() -> None:
    rows: list[list[object]] = [list(good_rows()[0]), [""] * 21]
    header = rows[0]
    values = {
        "type": "personne",
        "nom": "Zéro",
        "rpps": 10001234567,
        "code_insee": 34142,
        "code_postal": 34700,
        "date_adhesion": datetime.datetime(2026, 3, 4),
        "cotisation_payee": 12.5,
    }
    rows[1] = [values.get(str(h)) for h in header]
    report = do_import(xlsx_bytes(rows))
    assert not report.has_errors, report.errors
    member = Member.objects.get(rpps="10001234567")
    assert member.joined_on == datetime.date(2026, 3, 4)
    assert adhesions_with_balance().get(member=member).paid == Decimal("12.50")


BAD_ROWS = [
    ({"type": "personnes", "nom": "X", "email": "x@exemple.fr"}, "type", "personne ou structure"),
    ({"type": "personne", "email": "x@exemple.fr"}, "nom", "obligatoire"),
    ({"type": "structure", "email": "x@exemple.fr"}, "raison_sociale", "obligatoire"),
    ({"type": "personne", "nom": "X", "rpps": "1234"}, "rpps", "11 chiffres"),
    ({"type": "personne", "nom": "X", "email": "x@exemple.fr", "adeli": "12"}, "adeli", "9"),
    (
        {"type": "structure", "raison_sociale": "S", "email": "s@exemple.fr", "finess": "3400"},
        "finess",
        "9 caractères",
    ),
    (
        {"type": "structure", "raison_sociale": "S", "siret": "73282932000075"},
        "siret",
        "Luhn",
    ),
    ({"type": "personne", "nom": "X", "email": "pas-une-adresse"}, "email", "e-mail valide"),
    ({"type": "personne", "nom": "X"}, "email", "au moins un RPPS"),
    (
        {"type": "personne", "nom": "X", "email": "x@exemple.fr", "profession": "Astronaute"},
        "profession",
        "aucune profession",
    ),
    (
        {"type": "personne", "nom": "X", "email": "x@exemple.fr", "college": "Inconnu"},
        "college",
        "aucun collège",
    ),
    (
        {"type": "personne", "nom": "X", "email": "x@exemple.fr", "college": "structures"},
        "college",
        "n'admet pas",
    ),
    (
        {"type": "personne", "nom": "X", "email": "x@exemple.fr", "commune": "Atlantide"},
        "commune",
        "inconnue",
    ),
    (
        {"type": "personne", "nom": "X", "email": "x@exemple.fr", "code_insee": "99999"},
        "code_insee",
        "aucune commune",
    ),
    (
        {"type": "personne", "nom": "X", "email": "x@exemple.fr", "commune": "Saint-Denis"},
        "commune",
        "plusieurs communes",
    ),
    (
        {
            "type": "personne",
            "nom": "X",
            "email": "x@exemple.fr",
            "code_insee": "34142",
            "code_postal": "34000",
        },
        "code_postal",
        "n'est pas un code postal de Lodève",
    ),
    (
        {"type": "personne", "nom": "X", "email": "x@exemple.fr", "date_adhesion": "31/02/2026"},
        "date_adhesion",
        "jj/mm/aaaa",
    ),
    (
        {"type": "personne", "nom": "X", "email": "x@exemple.fr", "date_adhesion": "01/01/2031"},
        "date_adhesion",
        "hors des années",
    ),
    (
        {"type": "personne", "nom": "X", "email": "x@exemple.fr", "date_adhesion": "01/01/2025"},
        "date_adhesion",
        "aucun barème",
    ),
    (
        {"type": "personne", "nom": "X", "email": "x@exemple.fr", "cotisation_payee": "oui"},
        "cotisation_payee",
        "date d'adhésion",
    ),
    (
        {
            "type": "personne",
            "nom": "X",
            "email": "x@exemple.fr",
            "date_adhesion": "01/01/2026",
            "cotisation_payee": "25",
        },
        "cotisation_payee",
        "dépasse la cotisation due",
    ),
    (
        {"type": "personne", "nom": "X", "email": "x@exemple.fr", "cotisation_payee": "peut-être"},
        "cotisation_payee",
        "oui, non ou le montant",
    ),
    (
        {"type": "personne", "nom": "X", "email": "x@exemple.fr", "telephone": "12"},
        "telephone",
        "10 chiffres",
    ),
    (
        {"type": "personne", "nom": "X", "email": "x@exemple.fr", "civilite": "Dr"},
        "civilite",
        "civilité",
    ),
    (
        {"type": "personne", "nom": "X", "email": "x@exemple.fr", "mode_exercice": "bénévole"},
        "mode_exercice",
        "libéral, salarié ou mixte",
    ),
    (
        {"type": "personne", "nom": "X", "email": "x@exemple.fr", "structure": "MSP"},
        "structure",
        "demande une commune",
    ),
    (
        {
            "type": "structure",
            "raison_sociale": "S",
            "email": "s@exemple.fr",
            "rpps": "10001234567",
        },
        "rpps",
        "qu'aux personnes",
    ),
    ({"type": "personne", "nom": "X", "rpps": "10001234567"}, "rpps", "figure déjà ligne 2"),
    ({"type": "personne", "nom": "X", "email": "CLAIRE.martin@exemple.fr"}, "email", "ligne 2"),
    ({"type": "structure", "raison_sociale": "S", "siret": "73282932000074"}, "siret", "ligne 5"),
]


@pytest.mark.parametrize(("values", "column", "reason"), BAD_ROWS)
def test_a_wrong_row_is_reported_and_nothing_is_written(
    values: dict[str, str], column: str, reason: str
) -> None:
    report = do_import(with_row(values))
    assert report.has_errors
    assert [row.status for row in report.rows[:4]] == [NEW] * 4  # the good rows
    assert report.rows[4].status == INVALID and report.rows[4].line == 6
    errors = [(e.line, e.column) for e in report.errors]
    assert (6, column) in errors, report.errors
    assert any(reason in e.reason for e in report.errors if e.column == column), report.errors
    assert str(report.errors[0]).startswith(f"ligne 6, {report.errors[0].column}: ")
    assert not Member.objects.exists()
    assert not Adhesion.objects.exists() and not PracticeSite.objects.exists()


def test_rows_match_existing_members_by_rpps_then_siret_then_email() -> None:
    by_rpps = MemberFactory.create(rpps="10001234567", email="ancienne@exemple.fr", phone="")
    by_email = MemberFactory.create(last_name="Durand", email="Paul.Durand@exemple.fr")
    by_siret = OrganisationFactory.create(siret="73282932000074", email="")
    report = do_import(good_csv())
    assert [row.status for row in report.rows] == [UPDATE, UPDATE, NEW, UPDATE]
    by_rpps.refresh_from_db()
    assert (by_rpps.email, by_rpps.last_name) == ("claire.martin@exemple.fr", "Martin")
    by_email.refresh_from_db()
    assert by_email.rpps == "10009876543"
    assert by_email.email == "Paul.Durand@exemple.fr"  # same address: left as it was
    by_siret.refresh_from_db()
    assert by_siret.organisation_name == "Maison de santé du Lodévois"
    assert Member.objects.count() == 4


def test_an_empty_cell_never_erases_a_known_value() -> None:
    do_import(good_csv())
    rows = good_rows()
    rows[1][rows[0].index("telephone")] = ""
    rows[1][rows[0].index("prenom")] = "Claire-Marie"
    report = do_import(csv_bytes(rows))
    assert [row.status for row in report.rows] == [UPDATE, SKIP, SKIP, SKIP]
    claire = Member.objects.get(rpps="10001234567")
    assert (claire.first_name, claire.phone) == ("Claire-Marie", "04 67 44 00 01")


def test_identifiers_of_two_different_members_are_refused() -> None:
    MemberFactory.create(rpps="10001234567", email="une@exemple.fr")
    MemberFactory.create(email="claire.martin@exemple.fr")
    report = do_import(good_csv())
    assert report.rows[0].status == INVALID
    assert report.errors[0].column == "email"
    assert "autre membre" in report.errors[0].reason


def test_a_person_matched_as_a_structure_is_refused() -> None:
    OrganisationFactory.create(email="paul.durand@exemple.fr")
    report = do_import(good_csv())
    assert [(e.line, e.column) for e in report.errors] == [(3, "type")]


def test_a_later_payment_tops_up_the_adhesion() -> None:
    do_import(good_csv())
    rows = good_rows()
    rows[2][rows[0].index("cotisation_payee")] = "oui"
    report = do_import(csv_bytes(rows))
    assert [row.status for row in report.rows] == [SKIP, UPDATE, SKIP, SKIP]
    paul = Member.objects.get(rpps="10009876543")
    adhesion = adhesions_with_balance().get(member=paul)
    assert (adhesion.paid, adhesion.is_settled) == (Decimal(20), True)
    assert do_import(csv_bytes(rows)).unchanged == 4


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "vide"),
        (b"type;nom\r\n", "aucune ligne"),
        (b"type;nom;inconnue\r\npersonne;X;1\r\n", "Colonne(s) inconnue(s) : inconnue"),
        (b"nom;email\r\nX;x@exemple.fr\r\n", "« type »"),
        (b"type;nom;Nom\r\npersonne;X;Y\r\n", "en double"),
        (b"type;nom\r\npersonne;X;Y;Z\r\n", "plus de valeurs que de colonnes"),
        (b"\xd0\xcf\x11\xe0rest", ".xls"),
        (b"PK\x03\x04broken", "ne peut pas être lu"),
    ],
)
def test_unreadable_files_get_a_french_message(content: bytes, message: str) -> None:
    with pytest.raises(ImportFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_member_file(content)


def test_the_resource_exports_the_template_columns_and_round_trips() -> None:
    from members.importing import TEMPLATE_HEADERS
    from members.resources import MemberResource, export_members

    do_import(good_csv())
    dataset = MemberResource().export(Member.objects.all())
    assert tuple(dataset.headers) == TEMPLATE_HEADERS
    claire = dict(
        zip(dataset.headers, dataset[list(dataset["rpps"]).index("10001234567")], strict=True)
    )
    assert claire["civilite"] == str(Civility.MADAME.label)
    assert claire["profession"] == "Infirmier(ère)"
    assert claire["commune"] == "Lodève" and claire["code_insee"] == "34142"
    assert claire["date_adhesion"] == "15/01/2026" and claire["cotisation_payee"] == "oui"
    assert claire["raison_sociale"] == "MSP du Lodévois" and claire["structure"] == "msp"
    csv_file = export_members(Member.objects.all(), "csv")
    assert csv_file.startswith("\ufefftype;civilite;nom".encode())
    assert do_import(csv_file).unchanged == 4
    assert do_import(export_members(Member.objects.all(), "xlsx")).unchanged == 4


def test_the_export_runs_a_constant_number_of_queries(django_assert_max_num_queries: Any) -> None:
    from members.resources import export_members

    MemberFactory.create_batch(30)
    with django_assert_max_num_queries(3):
        export_members(Member.objects.all(), "xlsx")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("04 67 44 00 01", "04 67 44 00 01"),
        ("+33 4 67 44 00 01", "04 67 44 00 01"),
        ("0033467440001", "04 67 44 00 01"),
        ("467440001", "04 67 44 00 01"),
        ("04.67.44.00.01", "04 67 44 00 01"),
        ("00 00 00 00 00", None),
        ("1234", None),
    ],
)
def test_french_phone_numbers(value: str, expected: str | None) -> None:
    assert french_phone(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("oui", PAID_IN_FULL),
        ("Payée", PAID_IN_FULL),
        ("non", None),
        ("0", None),
        ("20", Decimal("20.00")),
        ("12,50 €", Decimal("12.50")),
        ("1 234,56", Decimal("1234.56")),
        ("-5", False),
        ("beaucoup", False),
        ("NaN", False),
    ],
)
def test_the_cotisation_payee_cell(value: str, expected: object) -> None:
    assert parse_paid(value) == expected


def test_dates_and_labels() -> None:
    assert parse_date("05/03/2026") == datetime.date(2026, 3, 5)
    assert parse_date("5/3/2026") == datetime.date(2026, 3, 5)
    assert parse_date("2026-03-05") == datetime.date(2026, 3, 5)
    assert parse_date("05/13/2026") is None
    assert {"infirmier", "infirmiere"} <= label_variants("Infirmier(ère)")
    assert "educatrice specialisee" in label_variants("Éducateur(trice) spécialisé(e)")
    assert "msp" in label_variants("Maison de santé pluriprofessionnelle (MSP)")


def test_checking_unchanged_rows_costs_no_query_a_row() -> None:
    rows = good_rows()
    for n in range(4):
        values = {"type": "personne", "nom": f"Nom{n}", "rpps": f"2000000000{n}"}
        values |= {"commune": "Lodève", "code_postal": "34700", "date_adhesion": "01/02/2026"}
        rows.append([values.get(header, "") for header in rows[0]])
    do_import(csv_bytes(rows))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as four:
        assert do_import(good_csv()).unchanged == 4
    with CaptureQueriesContext(connection) as eight:
        assert do_import(csv_bytes(rows)).unchanged == 8
    selects = [
        len([q for q in c.captured_queries if q["sql"].startswith("SELECT")]) for c in (four, eight)
    ]
    assert selects[1] == selects[0], selects  # lookups are loaded once a file (and a commune)


def test_a_file_above_the_row_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("members.importing.MAX_ROWS", 3)
    with pytest.raises(ImportFileError, match="dépasse 3 lignes"):
        read_member_file(good_csv())


def test_a_title_above_the_header_row_is_skipped() -> None:
    report = do_import(b"Liste des adherents 2026;;\r\n;;\r\n" + good_csv())
    assert not report.has_errors, report.errors
    assert [row.line for row in report.rows] == [4, 5, 6, 7]


def test_codes_that_lost_their_leading_zero_and_dates_with_a_time() -> None:
    report = do_import(
        with_row(
            {
                "type": "personne",
                "nom": "Ain",
                "email": "ain@exemple.fr",
                "code_insee": "1053",
                "code_postal": "1000",
                "date_adhesion": "15/01/2026 00:00:00",
            }
        )
    )
    assert not report.has_errors, report.errors
    member = Member.objects.get(email="ain@exemple.fr")
    assert member.commune is not None and member.commune.insee_code == "01053"
    assert (member.postal_code, member.joined_on) == ("01000", datetime.date(2026, 1, 15))


def test_the_preview_writes_nothing_and_costs_no_query_a_row() -> None:
    rows = good_rows()
    for n in range(4):
        values = {"type": "personne", "nom": f"Nom{n}", "email": f"nom{n}@exemple.fr"}
        values |= {"commune": "Lodève", "code_postal": "34700", "college": "liberaux"}
        values |= {"date_adhesion": "01/02/2026", "cotisation_payee": "oui"}
        rows.append([values.get(header, "") for header in rows[0]])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as four:
        assert do_import(good_csv(), dry_run=True).created == 4
    with CaptureQueriesContext(connection) as eight:
        assert do_import(csv_bytes(rows), dry_run=True).created == 8
    for context in (four, eight):
        assert not [
            q for q in context.captured_queries if q["sql"].startswith(("INSERT", "UPDATE"))
        ]
    selects = [
        len([q for q in c.captured_queries if q["sql"].startswith("SELECT")]) for c in (four, eight)
    ]
    assert selects[1] == selects[0], selects


def test_the_export_neutralises_formulas() -> None:
    from members.resources import export_members

    OrganisationFactory.create(organisation_name="=HYPERLINK(1)", phone="+33 4 67 00 00 00")
    text = export_members(Member.objects.all(), "csv").decode("utf-8-sig")
    assert ";'=HYPERLINK(1);" in text and ";+33 4 67 00 00 00;" in text
