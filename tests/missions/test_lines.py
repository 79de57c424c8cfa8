"""Services of indicator lines: parameters validated with the right field, livrables and proofs,
assessment, carrying unreached lines into the next year."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from missions.annex import parse_annex
from missions.earning import Band, Tier
from missions.models import (
    Contract,
    ContractYear,
    IndicatorLine,
    LineKind,
    Livrable,
    LivrableStatus,
    Mission,
    MissionEnvelope,
    Proof,
    Taille,
)
from missions.selectors.annex import annex_plan, export_yaml
from missions.selectors.earnings import line_result, year_result
from missions.selectors.lines import carried_label, carry_over_plan
from missions.services import lines as services
from missions.services.lines import LineData
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SCREENING = (Tier(D("69.70"), D("1000"), "socle"), Tier(D("75"), D("3500"), "objectif"))
ALD = (Band(None, D("50"), D("9000")), Band(D("51"), D("100"), D("6000")))


def make_contract() -> Contract:
    contract = Contract.objects.create(
        signed_on=date(2024, 1, 1), cpam="CPAM", ars="ARS", taille=Taille.T2, population=50000
    )
    for number in range(1, 6):
        start = date(2023 + number, 1, 1)
        ContractYear.objects.create(
            contract=contract,
            number=number,
            start=start,
            end=start.replace(year=start.year + 1) - timedelta(days=1),
        )
    return contract


@pytest.fixture
def year(association: Any) -> ContractYear:
    return make_contract().years.get(number=2)


@pytest.fixture
def envelope(year: ContractYear) -> MissionEnvelope:
    return MissionEnvelope.objects.create(
        year=year, mission=Mission.objects.get(key="prevention"), variable=D("20000")
    )


def error_keys(excinfo: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(excinfo.value.message_dict)


HEADERS = {".jpg": b"\xff\xd8\xff\xe0", ".xlsx": b"PK\x03\x04"}


def upload(name: str = "emargement.pdf", size: int = 20) -> SimpleUploadedFile:
    """A small file whose content starts as its extension's type does."""
    header = HEADERS.get(name[name.rfind(".") :].lower(), b"%PDF-1.4\n")
    return SimpleUploadedFile(name, header + b"x" * size)


# --- Creating and editing lines ------------------------------------------------------------


def test_create_binary_line_with_livrables(envelope):
    line = services.create_line(
        envelope,
        LineData(label="  Organiser 3 réunions  ", kind="binary", amount=D("5000")),
        livrables=["Émargements", " ", "Comptes rendus"],
    )
    assert line.label == "Organiser 3 réunions"
    assert line.amount == D("5000")
    assert [lv.label for lv in line.livrables.all()] == ["Émargements", "Comptes rendus"]
    assert LogEntry.objects.get_for_object(line).exists()


def test_lines_are_appended_at_the_end(envelope):
    first = services.create_line(envelope, LineData(label="A", kind="binary"))
    second = services.create_line(envelope, LineData(label="B", kind="binary"))
    assert second.position == first.position + 1


def test_tiers_line_amount_is_its_best_tier(envelope):
    line = services.create_line(
        envelope, LineData(label="Dépistage", kind="tiers", amount=D("1"), tiers=SCREENING)
    )
    assert line.amount == D("3500")
    assert [(t.position, t.label, t.threshold) for t in line.tiers.all()] == [
        (0, "socle", D("69.70")),
        (1, "objectif", D("75")),
    ]


def test_bands_line_amount_is_its_best_band(envelope):
    line = services.create_line(envelope, LineData(label="ALD", kind="bands", bands=ALD))
    assert line.amount == D("9000")
    assert line.bands.count() == 2


@pytest.mark.parametrize(
    ("data", "keys"),
    [
        (LineData(label=" ", kind="binary"), {"label"}),
        (LineData(label="x" * 301, kind="binary"), {"label"}),
        (LineData(label="Cible", kind="target", amount=D("10")), {"target"}),
        (LineData(label="Négatif", kind="binary", amount=D("-1")), {"amount"}),
        (LineData(label="Sans palier", kind="tiers"), {"tiers"}),
        (
            LineData(
                label="Désordre",
                kind="tiers",
                tiers=(Tier(D("75"), D("1")), Tier(D("70"), D("2"))),
            ),
            {"tiers[1].threshold"},
        ),
        (
            LineData(
                label="Trou",
                kind="bands",
                bands=(Band(None, D("50"), D("1")), Band(D("60"), None, D("1"))),
            ),
            {"bands[1].min"},
        ),
        (LineData(label="Sens", kind="binary", direction="sideways"), {"direction"}),
        (LineData(label="Type", kind="autre"), {"kind"}),
    ],
)
def test_invalid_lines_are_refused_with_the_field(envelope, data, keys):
    with pytest.raises(ValidationError) as excinfo:
        services.create_line(envelope, data, livrables=["Émargements"])
    assert error_keys(excinfo) == keys
    assert not IndicatorLine.objects.exists()
    assert not Livrable.objects.exists()


def test_tiers_are_ignored_for_other_kinds(envelope):
    line = services.create_line(
        envelope, LineData(label="Binaire", kind="binary", amount=D("10"), tiers=SCREENING)
    )
    assert line.tiers.count() == 0


def test_update_line_replaces_tiers_and_can_change_kind(envelope):
    line = services.create_line(
        envelope, LineData(label="Dépistage", kind="tiers", tiers=SCREENING)
    )
    services.update_line(
        line,
        LineData(label="Dépistage", kind="tiers", tiers=(Tier(D("80"), D("7000")),)),
    )
    line.refresh_from_db()
    assert line.amount == D("7000")
    assert list(line.tiers.values_list("threshold", flat=True)) == [D("80")]
    services.update_line(
        line, LineData(label="Cible", kind="target", amount=D("500"), target=D("203"))
    )
    line.refresh_from_db()
    assert (line.kind, line.amount, line.target) == ("target", D("500"), D("203"))
    assert line.tiers.count() == 0


def test_invalid_update_writes_nothing(envelope):
    line = services.create_line(
        envelope, LineData(label="Dépistage", kind="tiers", tiers=SCREENING)
    )
    with pytest.raises(ValidationError):
        services.update_line(
            line,
            LineData(
                label="Nouveau",
                kind="tiers",
                tiers=(Tier(D("75"), D("1")), Tier(D("70"), D("2"))),
            ),
        )
    line.refresh_from_db()
    assert line.label == "Dépistage"
    assert line.tiers.count() == 2


def test_delete_line_removes_its_proof_files(envelope, django_capture_on_commit_callbacks):
    line = services.create_line(envelope, LineData(label="A", kind="binary"), livrables=["É"])
    proof = services.add_proof(line.livrables.get(), upload())
    storage, name = proof.file.storage, proof.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_line(line)
    assert not IndicatorLine.objects.exists()
    assert not storage.exists(name)


# --- Livrables and proofs ------------------------------------------------------------------


@pytest.fixture
def line(envelope: MissionEnvelope) -> IndicatorLine:
    return services.create_line(
        envelope,
        LineData(label="Organiser 3 réunions", kind="binary", amount=D("5000")),
        livrables=["Émargements"],
    )


def test_livrable_add_rename_status_delete(line):
    livrable = services.add_livrable(line, " Compte rendu ")
    assert (livrable.label, livrable.position, livrable.status) == ("Compte rendu", 1, "missing")
    services.update_livrable(livrable, label="Compte rendu signé", status="accepted")
    livrable.refresh_from_db()
    assert (livrable.label, livrable.status) == ("Compte rendu signé", "accepted")
    services.delete_livrable(livrable)
    assert line.livrables.count() == 1


@pytest.mark.parametrize(
    ("call", "key"),
    [
        (lambda line: services.add_livrable(line, "  "), "label"),
        (lambda line: services.add_livrable(line, "x" * 301), "label"),
        (lambda line: services.update_livrable(line.livrables.get(), status="lost"), "status"),
        (lambda line: services.update_livrable(line.livrables.get(), label=""), "label"),
    ],
)
def test_livrable_errors(line, call, key):
    with pytest.raises(ValidationError) as excinfo:
        call(line)
    assert error_keys(excinfo) == {key}


def test_uploading_a_proof_marks_a_missing_livrable_provided(line, coordinator):
    livrable = line.livrables.get()
    proof = services.add_proof(livrable, upload(), by=coordinator)
    livrable.refresh_from_db()
    assert livrable.status == LivrableStatus.PROVIDED
    assert proof.title == "emargement"
    assert proof.uploaded_by == coordinator
    assert proof.file.read().startswith(b"%PDF")


def test_uploading_a_proof_keeps_an_accepted_livrable_accepted(line):
    livrable = services.update_livrable(line.livrables.get(), status="accepted")
    services.add_proof(livrable, upload("photo.JPG"), title="Photo")
    livrable.refresh_from_db()
    assert livrable.status == LivrableStatus.ACCEPTED


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [
        ("script.exe", 10, "Format de fichier non accepté"),
        ("sans-extension", 10, "Format de fichier non accepté"),
        ("gros.pdf", 10 * 1024 * 1024 + 1, "10 Mo"),
    ],
)
def test_proof_files_are_checked(line, name, size, message):
    livrable = line.livrables.get()
    with pytest.raises(ValidationError) as excinfo:
        services.add_proof(livrable, upload(name, size))
    assert message in excinfo.value.message_dict["file"][0]
    assert not Proof.objects.exists()
    livrable.refresh_from_db()
    assert livrable.status == LivrableStatus.MISSING


def test_deleting_the_last_proof_makes_a_provided_livrable_missing_again(
    line, django_capture_on_commit_callbacks
):
    livrable = line.livrables.get()
    first = services.add_proof(livrable, upload("a.pdf"))
    second = services.add_proof(livrable, upload("b.pdf"))
    services.delete_proof(first)
    livrable.refresh_from_db()
    assert livrable.status == LivrableStatus.PROVIDED
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_proof(second)
    livrable.refresh_from_db()
    assert livrable.status == LivrableStatus.MISSING
    assert not second.file.storage.exists(second.file.name)


# --- Assessment ----------------------------------------------------------------------------


def test_assess_binary_line(line, coordinator):
    services.assess_line(line, done=True, source="manual", note="3 réunions", by=coordinator)
    line.refresh_from_db()
    assert line.done is True
    assert line.assessed_by == coordinator and line.assessed_at is not None
    assert line.achieved_note == "3 réunions"
    assert line_result(line, False).earned == D("5000")


def test_assess_binary_line_refuses_a_value(line):
    with pytest.raises(ValidationError) as excinfo:
        services.assess_line(line, achieved=D("3"))
    assert error_keys(excinfo) == {"achieved"}
    line.refresh_from_db()
    assert line.assessed_at is None


def test_assess_crisis_line_earns_only_when_recognised(envelope):
    line = services.create_line(envelope, LineData(label="Crise", kind="crisis", amount=D("8000")))
    services.assess_line(line, done=True)
    assert line_result(line, crisis_recognised=False).earned == 0
    assert line_result(line, crisis_recognised=True).earned == D("8000")


def test_assess_tiers_line_with_value_and_proof(envelope, coordinator):
    line = services.create_line(
        envelope, LineData(label="Dépistage", kind="tiers", tiers=SCREENING)
    )
    services.assess_line(
        line,
        achieved=D("75"),
        source="cpam",
        proof_file=upload("extraction.xlsx"),
        by=coordinator,
    )
    line = IndicatorLine.objects.get(pk=line.pk)
    assert line.achieved == D("75") and line.achieved_source == "cpam"
    assert line.achieved_proof.name.endswith(".xlsx")
    assert line_result(line, False).earned == D("3500")


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({}, "achieved"),
        ({"achieved": D("70"), "source": "rumeur"}, "source"),
        ({"achieved": D("70"), "note": "x" * 256}, "note"),
        ({"achieved": D("1e12")}, "achieved"),
        ({"achieved": D("-5")}, "achieved"),
        ({"achieved": D("70"), "proof_file": upload("virus.exe")}, "proof_file"),
    ],
)
def test_assess_measured_line_errors(envelope, kwargs, key):
    line = services.create_line(
        envelope, LineData(label="Dépistage", kind="tiers", tiers=SCREENING)
    )
    with pytest.raises(ValidationError) as excinfo:
        services.assess_line(line, **kwargs)
    assert error_keys(excinfo) == {key}
    line.refresh_from_db()
    assert line.achieved is None and line.assessed_at is None


# --- Carrying into the next year -----------------------------------------------------------


def test_carry_over_copies_unreached_lines_once(envelope, year):
    reached = services.create_line(envelope, LineData(label="Fait", kind="binary", amount=D("1")))
    services.assess_line(reached, done=True)
    partial = services.create_line(
        envelope, LineData(label="Dépistage", kind="tiers", tiers=SCREENING), livrables=["Extr."]
    )
    services.assess_line(partial, achieved=D("70"))  # first tier only: 1 000 of 3 500
    services.add_proof(partial.livrables.get(), upload())
    never = services.create_line(envelope, LineData(label="ALD", kind="bands", bands=ALD))

    assert services.carry_over(year) == 2

    next_year = year.contract.years.get(number=3)
    next_envelope = MissionEnvelope.objects.get(year=next_year, mission=envelope.mission)
    # Created with no fixed part; the variable part is the carried lines' potential.
    assert (next_envelope.fixed, next_envelope.variable) == (0, D("3500") + D("9000"))
    copies = {line.carried_from_id: line for line in next_envelope.lines.all()}
    assert set(copies) == {partial.pk, never.pk}
    copy = copies[partial.pk]
    assert copy.label == "Dépistage (report de l'année 2)"
    assert copy.kind == "tiers" and copy.amount == D("3500")
    assert [(t.threshold, t.amount) for t in copy.tiers.all()] == [
        (D("69.70"), D("1000")),
        (D("75"), D("3500")),
    ]
    assert copy.achieved is None and copy.assessed_at is None and not copy.done
    [livrable] = copy.livrables.all()
    assert livrable.label == "Extr." and livrable.status == "missing"
    assert not livrable.proofs.exists()
    assert copies[never.pk].bands.count() == 2
    assert copies[never.pk].label == "ALD (report de l'année 2)"

    assert services.carry_over(year) == 0  # idempotent
    assert next_envelope.lines.count() == 2
    next_envelope.refresh_from_db()
    assert next_envelope.variable == D("12500")


def lines_sum_to_envelopes(year: ContractYear) -> bool:
    return all(m.potential == m.envelope.variable for m in year_result(year).missions)


def test_carry_over_grows_the_existing_envelope_and_skips_labels_already_there(envelope, year):
    next_year = year.contract.years.get(number=3)
    existing = MissionEnvelope.objects.create(
        year=next_year, mission=envelope.mission, fixed=D("500"), variable=D("1010")
    )
    kept = services.create_line(
        existing, LineData(label="Déjà là", kind="binary", amount=D("1000"))
    )
    services.create_line(existing, LineData(label="Doublon", kind="binary", amount=D("10")))
    services.create_line(envelope, LineData(label="Raté", kind="binary", amount=D("10")))
    services.create_line(envelope, LineData(label="Doublon", kind="binary", amount=D("7")))
    services.create_line(
        envelope, LineData(label="Aussi raté", kind="target", target=D("5"), amount=D("20"))
    )
    assert lines_sum_to_envelopes(next_year)

    plan = carry_over_plan(year)
    [mission] = plan.missions
    assert [item.label for item in mission.carried] == [
        "Raté (report de l'année 2)",
        "Aussi raté (report de l'année 2)",
    ]
    assert [item.line.label for item in mission.skipped] == ["Doublon"]
    assert plan.growth == D("30")

    assert services.carry_over(year) == 2
    existing.refresh_from_db()
    assert (existing.fixed, existing.variable) == (D("500"), D("1040"))
    labels = [line.label for line in existing.lines.all()]
    assert labels == [
        "Déjà là",
        "Doublon",
        "Raté (report de l'année 2)",
        "Aussi raté (report de l'année 2)",
    ]
    assert len(set(labels)) == len(labels)
    assert existing.lines.get(label__startswith="Raté").position > kept.position
    assert lines_sum_to_envelopes(next_year)

    # A second run carries nothing, changes nothing, and lists every line as skipped.
    assert services.carry_over(year) == 0
    existing.refresh_from_db()
    assert existing.variable == D("1040") and existing.lines.count() == 4
    assert not carry_over_plan(year).carried

    # The next year's annex still imports: unique labels, lines adding up to the envelope.
    annex = parse_annex(export_yaml(next_year))
    annex_plan_ = annex_plan(next_year, annex)
    assert not any(m.lines_mismatch for m in annex_plan_.missions)


def test_carry_over_skips_a_line_whose_copy_was_renamed(envelope, year):
    services.create_line(envelope, LineData(label="Raté", kind="binary", amount=D("10")))
    assert services.carry_over(year) == 1
    IndicatorLine.objects.filter(carried_from__isnull=False).update(label="Renommée")
    assert services.carry_over(year) == 0
    [mission] = carry_over_plan(year).missions
    assert "déjà reportée" in mission.skipped[0].skipped


def test_carried_label_stays_within_300_characters():
    label = carried_label("x" * 300, 4)
    assert len(label) == 300 and label.endswith(" (report de l'année 4)")


def test_carry_over_skips_lines_worth_nothing(envelope, year):
    services.create_line(envelope, LineData(label="Zéro", kind="binary", amount=D("0")))
    assert services.carry_over(year) == 0


def test_carry_over_refused_for_year_five(year):
    last = year.contract.years.get(number=5)
    with pytest.raises(ValidationError) as excinfo:
        services.carry_over(last)
    assert "dernière année" in excinfo.value.messages[0]


def test_carry_over_refused_when_the_next_year_is_missing(envelope, year):
    services.create_line(envelope, LineData(label="Raté", kind="binary", amount=D("10")))
    year.contract.years.filter(number=3).delete()
    with pytest.raises(ValidationError) as excinfo:
        services.carry_over(year)
    assert "année 3" in excinfo.value.messages[0]
    assert IndicatorLine.objects.count() == 1


def test_carry_over_is_audited(envelope, year):
    services.create_line(envelope, LineData(label="Raté", kind="binary", amount=D("10")))
    user = UserFactory.create(is_staff=True)
    services.carry_over(year, by=user)
    copy = IndicatorLine.objects.get(carried_from__isnull=False)
    assert LogEntry.objects.get_for_object(copy).exists()
    assert copy.kind == LineKind.BINARY
