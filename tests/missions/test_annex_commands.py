"""import_contract, export_contract and aci_summary: exit codes, French messages, output."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from missions.models import Contract, IndicatorLine, MissionEnvelope, Proof
from tests.missions.test_annex import FILES, SAMPLE, add_proof, make_contract, year3

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(*args: str) -> tuple[CommandError, str]:
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(*args, stdout=StringIO(), stderr=err)
    return raised.value, err.getvalue()


@pytest.fixture
def contract() -> Contract:
    return make_contract()


@pytest.fixture
def sample() -> str:
    return str(FILES / "annexe_annee3.yaml")


def test_import_prints_what_it_did(contract: Contract, sample: str) -> None:
    out, _err = run("import_contract", sample)
    assert "Année 3 du contrat (du 01/01/2026 au 31/12/2026)" in out
    assert "prevention — Prévention : ajoutée" in out
    assert "  + « Taux de dépistage du cancer colorectal » (ajoutée)" in out
    assert "lignes ajoutées: 6, mises à jour: 0, inchangées: 0, supprimées: 0" in out
    assert "Annexe de l'année 3 importée." in out
    assert IndicatorLine.objects.count() == 6


def test_import_errors_on_stderr_exit_1_nothing_written(contract: Contract) -> None:
    error, err = fails("import_contract", str(FILES / "annexe_erreurs.yaml"))
    assert error.returncode == 1
    assert "Import refusé : 14 erreur(s), rien n'a été enregistré." in str(error)
    assert "missions[0].lines[0].tiers[1].threshold: Les paliers vont du plus facile" in err
    assert "missions[1].key: Mission inconnue « telemedecine »" in err
    assert not MissionEnvelope.objects.exists()


def test_unreadable_file_exit_1(contract: Contract, tmp_path: Path) -> None:
    error, _err = fails("import_contract", str(tmp_path / "absente.yaml"))
    assert error.returncode == 1
    assert str(error).startswith("Impossible de lire")


def test_dry_run_writes_nothing(contract: Contract, sample: str) -> None:
    out, _err = run("import_contract", sample, "--dry-run")
    assert "lignes ajoutées: 6" in out
    assert "Vérification seule : rien n'a été enregistré." in out
    assert not IndicatorLine.objects.exists()


def test_year_with_lines_needs_replace(contract: Contract, sample: str, tmp_path: Path) -> None:
    run("import_contract", sample)
    for extra in ((), ("--dry-run",)):
        error, _err = fails("import_contract", sample, *extra)
        assert error.returncode == 1
        assert "L'année 3 a déjà 6 ligne(s) d'indicateurs" in str(error)
    line = IndicatorLine.objects.get(label="Organiser 3 ateliers de prévention")
    proof = add_proof(line.livrables.get(label="Feuilles d'émargement"))
    changed = tmp_path / "annexe.yaml"
    changed.write_text(SAMPLE.replace("amount: 6500", "amount: 6000"), encoding="utf-8")
    out, _err = run("import_contract", str(changed), "--replace")
    assert "  ~ « Organiser 3 ateliers de prévention » (mise à jour : montant) — 1 " in out
    assert "justificatif(s) conservé(s)" in out
    assert "attention : les lignes totalisent 9\u202f500,00\u00a0€" in out
    assert Proof.objects.filter(pk=proof.pk).exists()


def test_export_to_stdout_and_file_round_trip(
    contract: Contract, sample: str, tmp_path: Path
) -> None:
    run("import_contract", sample)
    first, _err = run("export_contract", "--year", "3")
    assert first.startswith("contract_year: 3\ncrisis_recognised: false\nmissions:\n")
    exported = tmp_path / "export.yaml"
    _out, err = run("export_contract", "--year", "3", "--output", str(exported))
    assert f"Annexe de l'année 3 écrite dans {exported}." in err
    assert exported.read_text(encoding="utf-8") == first
    out, _err = run("import_contract", str(exported), "--replace")
    assert "lignes ajoutées: 0, mises à jour: 0, inchangées: 6, supprimées: 0" in out
    second, _err = run("export_contract", "--year", "3")
    assert second == first


def test_export_of_an_empty_year(contract: Contract) -> None:
    out, _err = run("export_contract", "--year", "1")
    assert out == "contract_year: 1\ncrisis_recognised: false\nmissions: []\n"


@pytest.mark.parametrize("command", ["export_contract", "aci_summary"])
def test_year_errors_exit_1(command: str) -> None:
    error, _err = fails(command, "--year", "2")
    assert error.returncode == 1
    assert "Aucun contrat signé" in str(error)
    make_contract()
    error, _err = fails(command, "--year", "6")
    assert error.returncode == 1
    assert "Le contrat en cours n'a pas d'année 6 (années 1 à 5)." in str(error)


def test_aci_summary_json(contract: Contract, sample: str) -> None:
    run("import_contract", sample)
    out, _err = run("aci_summary", "--year", "3", "--json")
    data: dict[str, Any] = json.loads(out)
    assert set(data) == {"contract", "year", "missions", "totals"}
    assert data["contract"] == {
        "signed_on": "2024-01-01",
        "cpam": "CPAM de l'Hérault",
        "ars": "ARS Occitanie",
        "taille": "T2",
    }
    assert data["year"] == {
        "number": 3,
        "start": "2026-01-01",
        "end": "2026-12-31",
        "crisis_recognised": False,
    }
    assert [m["key"] for m in data["missions"]] == ["acces_soins", "prevention", "crise"]
    prevention = data["missions"][1]
    assert prevention["fixed"] == 20000.0 and prevention["variable"] == 10000.0
    assert prevention["start"] == "2026-03-01"
    assert prevention["earned"] == 2500.0 and prevention["potential"] == 10000.0
    assert prevention["lines_mismatch"] == 0.0
    tiers = prevention["lines"][0]
    assert tiers == {
        "label": "Taux de dépistage du cancer colorectal",
        "kind": "tiers",
        "direction": "increasing",
        "amount": 3500.0,
        "baseline": 66.26,
        "target": None,
        "achieved": 73.1,
        "done": False,
        "potential": 3500.0,
        "earned": 2500.0,
        "reached_tier": 1,
        "holding_band": None,
        "livrables": 1,
        "livrables_missing": 1,
    }
    bands = data["missions"][0]["lines"][0]
    assert (bands["holding_band"], bands["earned"]) == (1, 6000.0)
    crisis = data["missions"][2]["lines"][0]
    assert (crisis["kind"], crisis["done"], crisis["earned"]) == ("crisis", True, 0.0)
    assert data["totals"] == {
        "fixed": 60000.0,
        "variable": 33000.0,
        "potential": 33000.0,
        "earned": 17500.0,
        "lines": 6,
    }


def test_aci_summary_follows_the_crisis_flag(contract: Contract, sample: str) -> None:
    run("import_contract", sample)
    year = year3(contract)
    year.crisis_recognised = True
    year.save()
    out, _err = run("aci_summary", "--year", "3", "--json")
    assert json.loads(out)["totals"]["earned"] == 22500.0


def test_aci_summary_table(contract: Contract, sample: str) -> None:
    run("import_contract", sample)
    out, _err = run("aci_summary", "--year", "3")
    assert "Contrat ACI signé le 01/01/2024 — année 3, du 01/01/2026 au 31/12/2026" in out
    assert "Crise sanitaire reconnue : non" in out
    assert "Taux de dépistage du cancer colorectal — Paliers, atteint : 73,1" in out
    assert "Patients en ALD sans médecin traitant — Tranches, atteint : 80 :" in out
    assert "2\u202f500,00\u00a0€ / 3\u202f500,00\u00a0€" in out
    assert [cell for cell in out.rstrip().splitlines()[-1].split(" ") if cell] == [
        "Total",
        "60\u202f000,00\u00a0€",
        "33\u202f000,00\u00a0€",
        "17\u202f500,00\u00a0€",
    ]
