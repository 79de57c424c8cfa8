"""The contract annex file: parsing (French numbers, every error with its path), the export in
the same structure, and the import (all or nothing, replace keeping the proofs)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from missions.annex import AnnexInvalid, parse_annex, to_decimal
from missions.catalogue import ensure_catalogue
from missions.models import (
    AchievedSource,
    Contract,
    ContractMission,
    ContractStatus,
    ContractYear,
    IndicatorLine,
    LineBand,
    LineTier,
    Livrable,
    MissionEnvelope,
    Proof,
    Taille,
)
from missions.selectors.annex import annex_plan, export_yaml
from missions.selectors.earnings import year_result
from missions.services.annex import AnnexRefused, import_annex

FILES = Path(__file__).parent / "files"
SAMPLE = (FILES / "annexe_annee3.yaml").read_text(encoding="utf-8")


def make_contract(signed_on: date = date(2024, 1, 1), **fields: object) -> Contract:
    """A signed contract with its five years (year 3: 01/01/2026 to 31/12/2026)."""
    ensure_catalogue()
    contract = Contract.objects.create(
        signed_on=signed_on,
        cpam="CPAM de l'Hérault",
        ars="ARS Occitanie",
        taille=Taille.T2,
        population=52000,
        **fields,
    )
    for number in range(1, 6):
        start = signed_on.replace(year=signed_on.year + number - 1)
        ContractYear.objects.create(
            contract=contract,
            number=number,
            start=start,
            end=start.replace(year=start.year + 1) - timedelta(days=1),
        )
    return contract


def year3(contract: Contract) -> ContractYear:
    return ContractYear.objects.get(contract=contract, number=3)


def errors_of(text: str) -> list[str]:
    with pytest.raises(AnnexInvalid) as raised:
        parse_annex(text)
    return [str(error) for error in raised.value.errors]


def add_proof(livrable: Livrable, title: str = "Émargement") -> Proof:
    proof = Proof(livrable=livrable, title=title)
    proof.file.save("preuve.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return proof


# --- Parsing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("9000", "9000"),
        ("9 000", "9000"),
        ("9\u202f000,50", "9000.50"),
        ("66,26", "66.26"),
        ("4 000,00 €", "4000.00"),
        ("72.4", "72.4"),
        (1500, "1500"),
        (66.26, "66.26"),
    ],
)
def test_numbers_french_or_yaml(written: object, expected: str) -> None:
    assert to_decimal(written, 4) == Decimal(expected)


def test_sample_file_is_read_into_decimals() -> None:
    annex = parse_annex(SAMPLE)
    assert annex.contract_year == 3
    assert annex.crisis_recognised is False
    access, prevention, crisis = annex.missions
    assert access.fixed == Decimal("30000")
    bands = access.lines[0]
    assert bands.kind == "bands" and bands.direction == "decreasing"
    assert bands.amount == Decimal("9000")  # the best band, when not written
    assert bands.bands[0].minimum is None and bands.bands[0].maximum == Decimal("50")
    assert access.lines[2].amount == Decimal("4000.00") and access.lines[2].done is True
    tiers = prevention.lines[0]
    assert tiers.baseline == Decimal("66.26")
    assert [t.threshold for t in tiers.tiers] == [Decimal("69.70"), Decimal("72.40"), Decimal(75)]
    assert tiers.tiers[1].label == "intermédiaire"
    assert tiers.achieved == Decimal("73.1")
    assert prevention.start == date(2026, 3, 1)
    assert crisis.lines[0].kind == "crisis" and crisis.lines[0].done is True


def test_every_error_has_its_path() -> None:
    errors = errors_of((FILES / "annexe_erreurs.yaml").read_text(encoding="utf-8"))
    assert errors == [
        "extra: Clé inconnue ; clés possibles : contract_year, crisis_recognised, missions.",
        "contract_year: L'année du contrat va de 1 à 5.",
        "crisis_recognised: true ou false est attendu ici.",
        "missions[0].fixed: Le montant ne peut pas être négatif.",
        "missions[0].start: « 2026-02-30 » n'est pas une date valide (AAAA-MM-JJ ou JJ/MM/AAAA).",
        "missions[0].lines[0].done: « done » ne vaut que pour une ligne binary ou crisis ; une "
        "ligne mesurée indique sa valeur dans « achieved ».",
        "missions[0].lines[0].tiers[1].threshold: Les paliers vont du plus facile au meilleur : "
        "ce seuil doit être plus haut que le précédent (70).",
        "missions[0].lines[1].target: Une ligne « cible » a besoin d'une cible.",
        "missions[0].lines[2].achieved: « achieved » ne vaut que pour une ligne mesurée (target, "
        "tiers, bands) ; une ligne binary indique « done: true ».",
        "missions[0].lines[2].amount: « trois mille » n'est pas un nombre (exemples : 9000, "
        "9 000, 66,26).",
        "missions[0].lines[3].bands[1].min: Cette tranche chevauche la précédente (qui va "
        "jusqu'à 50).",
        "missions[0].lines[4].kind: Type de ligne inconnu ; types possibles : binary, target, "
        "tiers, bands, crisis.",
        "missions[1].key: Mission inconnue « telemedecine » ; missions du catalogue : "
        "acces_soins, parcours, prevention, crise, qualite, accompagnement.",
        "missions[2].key: Mission « prevention » déjà décrite en missions[0].",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("contract_year: 3\n", "missions: La liste des missions est obligatoire."),
        ("missions: []\n", "contract_year: Indiquez l'année du contrat (1 à 5)."),
        ("contract_year: 2,5\nmissions: []\n", "contract_year: Un nombre entier est attendu ici."),
        ("- 1\n", "Une suite de clés (clé: valeur) est attendue ici."),
        (
            "contract_year: 3\nmissions: {key: prevention}\n",
            "missions: Une liste (éléments commençant par « - ») est attendue ici.",
        ),
        (
            "contract_year: 3\nmissions:\n- {key: crise, fixed: 1, variable: 1, lines: "
            "[{label: A, kind: tiers, tiers: [{threshold: 1, amount: 5}], amount: 3}]}\n",
            "missions[0].lines[0].amount: Le montant d'une ligne à paliers ou à tranches est celui "
            "du meilleur palier ou de la meilleure tranche (5) : corrigez-le ou retirez-le.",
        ),
        (
            "contract_year: 3\nmissions:\n- {key: crise, fixed: 1, variable: 1, lines: "
            "[{label: A, kind: tiers, direction: decreasing, tiers: [{threshold: 10, amount: 1},"
            " {threshold: 12, amount: 2}]}]}\n",
            "missions[0].lines[0].tiers[1].threshold: Les paliers vont du plus facile au meilleur :"
            " ce seuil doit être plus bas que le précédent (10).",
        ),
        (
            "contract_year: 3\nmissions:\n- {key: crise, fixed: 1, variable: 1, lines: "
            "[{label: A, kind: bands, bands: [{max: 50, amount: 2}, {min: 60, amount: 1}]}]}\n",
            "missions[0].lines[0].bands[1].min: Il manque des valeurs entre 50 et 60.",
        ),
        (
            "contract_year: 3\nmissions:\n- {key: crise, fixed: 1, variable: 1, lines: "
            "[{label: A, kind: binary, amount: 1}, {label: A, kind: binary, amount: 2}]}\n",
            "missions[0].lines[1].label: Intitulé déjà utilisé par missions[0].lines[0] : chaque "
            "ligne d'une mission a son propre intitulé.",
        ),
        (
            "contract_year: 3\nmissions:\n- {key: crise, fixed: 1, variable: 1, lines: "
            "[{label: A, kind: binary, amount: 1, tiers: []}]}\n",
            "missions[0].lines[0].tiers: « tiers » ne s'applique pas à une ligne binary.",
        ),
        (
            "contract_year: 3\nmissions:\n- {key: crise, fixed: 1, variable: 1, lines: "
            "[{label: 2026, kind: binary, amount: 1, livrables: [true]}]}\n",
            "missions[0].lines[0].livrables[0]: Un texte est attendu ici (mettez-le entre "
            "guillemets).",
        ),
        (
            "contract_year: 3\nmissions:\n- {key: crise, fixed: 1.234, variable: 1}\n",
            "missions[0].fixed: Au plus 2 chiffres après la virgule.",
        ),
        (
            "contract_year: 3\nmissions:\n- {key: crise, fixed: 1, variable: 1, colour: red}\n",
            "missions[0].colour: Clé inconnue ; clés possibles : key, fixed, variable, start, "
            "lines.",
        ),
        (
            "contract_year: 3\ncontract_year: 4\nmissions: []\n",
            "Le fichier n'est pas un YAML valide (ligne 2, colonne 1) : clé « contract_year » en "
            "double",
        ),
    ],
)
def test_one_error(text: str, expected: str) -> None:
    assert expected in errors_of(text)


def test_yaml_aliases_are_refused() -> None:
    text = "contract_year: 3\nmissions:\n- &m {key: crise, fixed: 1, variable: 1}\n- *m\n"
    assert errors_of(text) == [
        "Le fichier n'est pas un YAML valide (ligne 4, colonne 3) : les alias YAML (*nom) ne "
        "sont pas acceptés"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "contract_year: 3\nmissions:\n  - key: crise\n    fixed: 1\n   variable: 1\n",
            "Le fichier n'est pas un YAML valide (ligne 5, colonne 4) : l'indentation ne "
            "correspond pas",
        ),
        ("contract_year: 3: 4\n", "(ligne 1, colonne 17) : deux-points inattendu"),
        ("contract_year: 3\nmissions\nother: 1\n", "il manque le deux-points"),
        ("contract_year: 3\nmissions:\n\t- key: crise\n", "une tabulation"),
        ('contract_year: 3\nnotes: "abc\n', "des guillemets ouverts ne sont jamais fermés"),
        ("contract_year: 3\nmissions: [1, 2\n", "un crochet « [ » n'est pas refermé"),
        ("contract_year: !!python/name:os.system x\n", "les étiquettes YAML (!!…)"),
        ("contract_year: 3\nnotes: @x\n", "mettez la valeur entre guillemets"),
        (
            "contract_year: 3\n--- x\n- y\n",
            "structure YAML incorrecte (indentation, deux-points ou guillemets)",
        ),
    ],
)
def test_yaml_syntax_errors_in_french(text: str, expected: str) -> None:
    (message,) = errors_of(text)
    assert message.startswith("Le fichier n'est pas un YAML valide (ligne ")
    assert expected in message
    assert "expected" not in message
    assert "found" not in message


def test_not_yaml_or_not_utf8() -> None:
    assert errors_of("missions: [\n")[0].startswith("Le fichier n'est pas un YAML valide (ligne")
    assert errors_of("x".encode("utf-16")) == [  # type: ignore[arg-type]
        "Le fichier doit être un texte encodé en UTF-8."
    ]


# --- Import --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_creates_everything() -> None:
    contract = make_contract()
    year = year3(contract)
    ContractMission.objects.create(contract=contract, mission_id=_mission_pk("prevention"))
    plan = import_annex(parse_annex(SAMPLE))
    assert plan.counts == {"added": 6, "updated": 0, "unchanged": 0, "removed": 0}
    assert sorted(contract.missions.values_list("mission__key", flat=True)) == [
        "acces_soins",
        "crise",
        "prevention",
    ]
    prevention = MissionEnvelope.objects.get(year=year, mission__key="prevention")
    assert (prevention.fixed, prevention.variable) == (Decimal("20000"), Decimal("10000"))
    assert prevention.start == date(2026, 3, 1)
    tiers = IndicatorLine.objects.get(envelope=prevention, kind="tiers")
    assert tiers.position == 0 and tiers.achieved == Decimal("73.1")
    assert tiers.achieved_source == AchievedSource.IMPORT
    assert list(tiers.tiers.values_list("label", flat=True)) == [
        "socle",
        "intermédiaire",
        "objectif",
    ]
    bands = IndicatorLine.objects.get(kind="bands")
    assert list(bands.bands.values_list("minimum", "maximum", "amount")) == [
        (None, Decimal("50"), Decimal("9000")),
        (Decimal("51"), Decimal("100"), Decimal("6000")),
        (Decimal("101"), Decimal("219"), Decimal("3000")),
    ]
    binary = IndicatorLine.objects.get(label="Organiser 3 ateliers de prévention")
    assert list(binary.livrables.values_list("label", "position")) == [
        ("Feuilles d'émargement", 0),
        ("Supports des ateliers", 1),
    ]
    result = year_result(year)
    assert result.earned == Decimal("17500")  # 6000 + 5000 + 4000 + 2500, crisis not recognised


@pytest.mark.django_db
def test_crisis_flag_sets_the_year() -> None:
    contract = make_contract()
    import_annex(parse_annex(SAMPLE.replace("crisis_recognised: false", "crisis_recognised: true")))
    year = year3(contract)
    assert year.crisis_recognised is True
    assert year_result(year).earned == Decimal("22500")
    # Absent from the file: the flag is left as it is.
    text = SAMPLE.replace("crisis_recognised: false\n", "")
    import_annex(parse_annex(text), replace=True)
    year.refresh_from_db()
    assert year.crisis_recognised is True


@pytest.mark.django_db
def test_a_year_with_lines_needs_replace_and_nothing_is_written() -> None:
    contract = make_contract()
    import_annex(parse_annex(SAMPLE))
    changed = SAMPLE.replace('fixed: "30 000"', "fixed: 35000")
    with pytest.raises(AnnexRefused, match="--replace"):
        import_annex(parse_annex(changed))
    envelope = MissionEnvelope.objects.get(year=year3(contract), mission__key="acces_soins")
    assert envelope.fixed == Decimal("30000")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("setup", "text", "expected"),
    [
        (None, SAMPLE, "contract_year: Aucun contrat signé : saisissez d'abord le contrat."),
        (
            "draft",
            SAMPLE,
            "contract_year: Aucun contrat signé : saisissez d'abord le contrat.",
        ),
        (
            "signed",
            SAMPLE.replace("01/03/2026", "01/03/2027"),
            "missions[1].start: Le début doit tomber dans l'année 3 (du 01/01/2026 au 31/12/2026).",
        ),
    ],
)
def test_year_errors_write_nothing(setup: str | None, text: str, expected: str) -> None:
    if setup == "draft":
        make_contract(status=ContractStatus.DRAFT)
    elif setup == "signed":
        make_contract()
    with pytest.raises(AnnexInvalid) as raised:
        import_annex(parse_annex(text))
    assert [str(error) for error in raised.value.errors] == [expected]
    assert not MissionEnvelope.objects.exists()
    assert not IndicatorLine.objects.exists()


@pytest.mark.django_db
def test_missing_year_of_the_contract() -> None:
    contract = make_contract()
    ContractYear.objects.filter(contract=contract, number=5).delete()
    with pytest.raises(AnnexInvalid, match="Le contrat en cours n'a pas d'année 5"):
        import_annex(parse_annex(SAMPLE.replace("contract_year: 3", "contract_year: 5")))


@pytest.mark.django_db
def test_the_latest_signed_contract_is_the_current_one() -> None:
    old = make_contract(signed_on=date(2019, 6, 1))
    new = make_contract(signed_on=date(2024, 1, 1))
    import_annex(parse_annex(SAMPLE))
    assert MissionEnvelope.objects.filter(year__contract=new).count() == 3
    assert not MissionEnvelope.objects.filter(year__contract=old).exists()


@pytest.mark.django_db
def test_replace_keeps_proofs_of_matching_lines() -> None:
    contract = make_contract()
    import_annex(parse_annex(SAMPLE))
    binary = IndicatorLine.objects.get(label="Organiser 3 ateliers de prévention")
    signatures = binary.livrables.get(label="Feuilles d'émargement")
    supports = binary.livrables.get(label="Supports des ateliers")
    proof = add_proof(signatures)
    kept_for_proof = add_proof(supports, "Support atelier 1")
    removed_line = IndicatorLine.objects.get(label="Participer au service d'accès aux soins (SAS)")
    changed = (
        SAMPLE.replace("amount: 6500", "amount: 7000")
        .replace("          - Supports des ateliers\n", "          - Photos\n")
        .replace(
            "      - label: Participer au service d'accès aux soins (SAS)", "      - label: SAS"
        )
        .replace("variable: 10000", "variable: 10500")
    )
    plan = import_annex(parse_annex(changed), replace=True)
    binary.refresh_from_db()
    assert binary.amount == Decimal("7000")
    assert Proof.objects.filter(pk=proof.pk, livrable=signatures).exists()
    # The livrable left out of the file is kept for its proof, after the file's livrables.
    assert list(binary.livrables.values_list("label", "position")) == [
        ("Feuilles d'émargement", 0),
        ("Photos", 1),
        ("Supports des ateliers", 2),
    ]
    assert Proof.objects.filter(pk=kept_for_proof.pk).exists()
    line_plan = next(p for m in plan.missions for p in m.lines if p.line == binary)
    assert line_plan.livrables_kept == ["Supports des ateliers"]
    assert line_plan.proofs == 2
    assert not IndicatorLine.objects.filter(pk=removed_line.pk).exists()
    assert IndicatorLine.objects.filter(label="SAS", position=2).exists()
    assert plan.counts == {"added": 1, "updated": 1, "unchanged": 4, "removed": 1}
    assert IndicatorLine.objects.filter(envelope__year=year3(contract)).count() == 6


@pytest.mark.django_db
def test_replace_deletes_livrables_without_proofs_and_missions_left_out() -> None:
    contract = make_contract()
    import_annex(parse_annex(SAMPLE))
    crisis_start = SAMPLE.index("  - key: crise")
    text = SAMPLE[:crisis_start].replace("          - Supports des ateliers\n", "")
    plan = import_annex(parse_annex(text), replace=True)
    assert not Livrable.objects.filter(label="Supports des ateliers").exists()
    assert not MissionEnvelope.objects.filter(mission__key="crise").exists()
    # The contract still lists the mission: a year's file does not un-choose it.
    assert contract.missions.filter(mission__key="crise").exists()
    assert plan.counts["removed"] == 1


@pytest.mark.django_db
def test_replace_updates_tiers_and_results_in_place() -> None:
    contract = make_contract()
    import_annex(parse_annex(SAMPLE))
    line = IndicatorLine.objects.get(kind="tiers")
    tier_pks = set(LineTier.objects.filter(line=line).values_list("pk", flat=True))
    band_pks = set(LineBand.objects.values_list("pk", flat=True))
    text = SAMPLE.replace('achieved: "73,1"', "achieved: 76").replace('"72,40"', '"73,00"')
    import_annex(parse_annex(text), replace=True)
    line.refresh_from_db()
    assert line.achieved == Decimal("76")
    assert LineTier.objects.get(line=line, position=1).threshold == Decimal("73")
    assert set(LineTier.objects.filter(line=line).values_list("pk", flat=True)).isdisjoint(tier_pks)
    assert set(LineBand.objects.values_list("pk", flat=True)) == band_pks  # untouched
    assert year_result(year3(contract)).earned == Decimal("18500")


@pytest.mark.django_db
def test_results_absent_from_the_file_are_kept() -> None:
    make_contract()
    import_annex(parse_annex(SAMPLE))
    text = SAMPLE.replace('        achieved: "73,1"\n', "").replace(
        "          - Planning des médecins régulateurs\n        done: true\n",
        "          - Planning des médecins régulateurs\n",
    )
    plan = import_annex(parse_annex(text), replace=True)
    assert IndicatorLine.objects.get(kind="tiers").achieved == Decimal("73.1")
    assert IndicatorLine.objects.get(label__startswith="Participer").done is True
    assert not plan.has_changes


@pytest.mark.django_db
def test_round_trip_export_import_export() -> None:
    contract = make_contract()
    import_annex(parse_annex(SAMPLE))
    first = export_yaml(year3(contract))
    assert parse_annex(first) == parse_annex(SAMPLE)
    plan = import_annex(parse_annex(first), replace=True)
    assert not plan.has_changes
    assert export_yaml(year3(contract)) == first
    assert "  start: 2026-03-01\n" in first
    assert "    baseline: 66.26\n" in first


@pytest.mark.django_db
def test_plan_reads_a_constant_number_of_queries(
    django_assert_max_num_queries: object,
) -> None:
    contract = make_contract()
    import_annex(parse_annex(SAMPLE))
    annex = parse_annex(SAMPLE)
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        plan = annex_plan(year3(contract), annex)
    assert plan.existing_lines == 6


def _mission_pk(key: str) -> int:
    from missions.models import Mission

    return Mission.objects.get(key=key).pk


def test_documented_example_is_the_sample_file() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "contract-annex.md").read_text(encoding="utf-8")
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert parse_annex(example) == parse_annex(SAMPLE)


@pytest.mark.django_db
def test_replace_removes_a_second_stored_line_of_the_same_label() -> None:
    contract = make_contract()
    import_annex(parse_annex(SAMPLE))
    envelope = MissionEnvelope.objects.get(year=year3(contract), mission__key="crise")
    twin = IndicatorLine.objects.create(
        envelope=envelope,
        position=5,
        label="Activer le plan de réponse aux crises sanitaires graves",
        kind="binary",
        amount=Decimal(1),
    )
    plan = import_annex(parse_annex(SAMPLE), replace=True)
    assert plan.counts["removed"] == 1
    assert not IndicatorLine.objects.filter(pk=twin.pk).exists()
    assert IndicatorLine.objects.filter(envelope=envelope).count() == 1


@pytest.mark.django_db
def test_export_writes_the_best_tier_as_the_amount() -> None:
    contract = make_contract()
    import_annex(parse_annex(SAMPLE))
    IndicatorLine.objects.filter(kind="tiers").update(amount=Decimal(1))
    text = export_yaml(year3(contract))
    tiers = next(line for line in parse_annex(text).missions[1].lines if line.kind == "tiers")
    assert tiers.amount == Decimal("3500")
    plan = import_annex(parse_annex(text), replace=True)
    assert plan.counts["updated"] == 1  # the stored amount is put right
    assert IndicatorLine.objects.get(kind="tiers").amount == Decimal("3500")


@pytest.mark.django_db
def test_replace_with_stored_duplicate_livrables() -> None:
    make_contract()
    import_annex(parse_annex(SAMPLE))
    line = IndicatorLine.objects.get(label="Organiser 3 ateliers de prévention")
    with_proof = Livrable.objects.create(line=line, position=2, label="Feuilles d'émargement")
    add_proof(with_proof)
    Livrable.objects.create(line=line, position=3, label="Photos")
    Livrable.objects.create(line=line, position=4, label="Photos")
    plan = import_annex(parse_annex(SAMPLE), replace=True)
    line_plan = next(p for m in plan.missions for p in m.lines if p.line == line)
    assert line_plan.livrables_kept == ["Feuilles d'émargement"]
    assert line_plan.livrables_removed == ["Photos", "Photos"]
    assert list(line.livrables.values_list("label", "position")) == [
        ("Feuilles d'émargement", 0),
        ("Supports des ateliers", 1),
        ("Feuilles d'émargement", 2),
    ]
    assert Proof.objects.filter(livrable=with_proof).exists()
