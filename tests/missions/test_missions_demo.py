"""The ACI demo data (missions/demo.py, run by ``seed_demo``): a contract in its third year
with all six missions, lines of every kind with valid parameters, livrables and proofs,
received payments consistent with the financing rules, thirty actions and a hundred events;
idempotent. The demo is seeded once for the module (inside a transaction rolled back at the
end, files in a throw-away media folder)."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from cpts.selectors.territory import territory_summary
from missions import models as m
from missions.demo import DEMO_REFERENCE
from missions.earning import terms_errors
from missions.selectors.earnings import line_terms, year_result

pytestmark = pytest.mark.django_db

MISSION_MODELS = [
    m.Contract,
    m.ContractYear,
    m.ContractMission,
    m.MissionEnvelope,
    m.IndicatorLine,
    m.LineTier,
    m.LineBand,
    m.Livrable,
    m.Proof,
    m.ReceivedPayment,
    m.Action,
    m.Event,
    m.ParticipantCount,
    m.EventDocument,
]
D = Decimal


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    counts = {model.__name__: model._default_manager.count() for model in MISSION_MODELS}
    counts["professionals"] = m.Event.professionals.through.objects.count()
    counts["action_missions"] = m.Action.missions.through.objects.count()
    counts["action_meetings"] = m.Action.meetings.through.objects.count()
    return counts


@pytest.fixture(scope="module")
def seeded(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    media = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        first = _seed()
        after_first = _counts()
        second = _seed()
        yield {
            "first": first,
            "second": second,
            "after_first": after_first,
            "after_second": _counts(),
            "media": media,
        }
        transaction.set_rollback(True)


@pytest.fixture
def contract(seeded: dict[str, Any]) -> m.Contract:
    return m.Contract.objects.get(reference=DEMO_REFERENCE)


def _lines(contract: m.Contract) -> list[m.IndicatorLine]:
    return list(
        m.IndicatorLine.objects.filter(envelope__year__contract=contract)
        .select_related("envelope__year", "envelope__mission")
        .prefetch_related("tiers", "bands", "livrables")
    )


def test_seeding_twice_changes_no_contract_row(seeded: dict[str, Any]):
    assert seeded["after_second"] == seeded["after_first"]
    assert all(count > 0 for count in seeded["after_first"].values()), seeded["after_first"]
    for message in (
        "Contrat ACI de démonstration créé",
        "Lignes d'indicateurs créées",
        "Versements reçus enregistrés",
        "Fiches action créées",
        "Événements créés",
    ):
        assert message in seeded["first"]
    assert "rien à changer" in seeded["second"]


def test_contract_is_signed_and_today_falls_in_its_third_year(contract: m.Contract):
    today = timezone.localdate()
    assert contract.status == m.ContractStatus.SIGNED
    assert contract.cpam == "CPAM de l'Hérault"
    assert contract.ars == "ARS Occitanie"
    summary = territory_summary()
    assert (contract.taille, contract.population) == (summary.taille, summary.population)
    years = list(contract.years.order_by("number"))
    assert [y.number for y in years] == [1, 2, 3, 4, 5]
    assert years[0].start == contract.signed_on
    for previous, following in itertools.pairwise(years):
        assert (following.start - previous.end).days == 1
        assert following.start.replace(year=following.start.year - 1) == previous.start
    assert years[2].start <= today <= years[2].end
    assert 790 <= (today - contract.signed_on).days <= 900
    assert [y.crisis_recognised for y in years] == [False, True, False, False, False]
    assert all(y.dialogue_on for y in years[:2]) and not any(y.dialogue_on for y in years[2:])


def test_all_six_missions_with_one_late_deployment_and_one_optional_in_progress(
    contract: m.Contract,
):
    chosen = {
        cm.mission.key: cm for cm in contract.missions.select_related("mission").order_by("pk")
    }
    assert set(chosen) == {
        "acces_soins",
        "parcours",
        "prevention",
        "crise",
        "qualite",
        "accompagnement",
    }
    assert all(cm.started_on and cm.started_on > contract.signed_on for cm in chosen.values())
    for cm in chosen.values():
        if cm.mission.start_months is not None:
            deadline = contract.signed_on.replace(year=contract.signed_on.year + 2)
            assert cm.started_on is not None and cm.started_on < deadline
    not_deployed = {key for key, cm in chosen.items() if cm.deployed_on is None}
    assert not_deployed == {"parcours", "qualite"}
    assert chosen["qualite"].mission.kind == m.MissionKind.OPTIONAL
    assert chosen["parcours"].mission.deployed_months == 24  # passed: the demo's alert


def test_every_year_has_six_envelopes_and_the_lines_sum_to_the_variable_part(
    contract: m.Contract,
):
    for year in contract.years.order_by("number"):
        result = year_result(year)
        assert len(result.missions) == 6
        assert result.fixed + result.variable + D(75000) <= D(370000)  # T3 ceiling
        if year.number <= 3:
            assert all(mission.lines for mission in result.missions)
            assert all(mission.lines_mismatch == 0 for mission in result.missions)
        else:
            assert not result.lines


def test_lines_of_every_kind_with_valid_parameters_and_livrables(contract: m.Contract):
    lines = _lines(contract)
    assert {line.kind for line in lines} == {"binary", "target", "tiers", "bands", "crisis"}
    assert {line.direction for line in lines if line.kind == "target"} == {
        "increasing",
        "decreasing",
    }
    for line in lines:
        terms = line_terms(line, line.envelope.year.crisis_recognised)
        assert terms_errors(terms) == [], line.label
        assert line.livrables.all(), line.label
    assert len(lines) == 69


def test_screening_tiers_and_ald_bands_as_written_in_the_contract(contract: m.Contract):
    lines = _lines(contract)
    screening = [line for line in lines if "col de l'utérus" in line.label]
    assert len(screening) == 3
    for line in screening:
        assert line.kind == "tiers" and line.baseline == D("66.26")
        assert [(t.label, t.threshold, t.amount) for t in line.tiers.all()] == [
            ("Socle", D("69.70"), D("1000")),
            ("Intermédiaire", D("72.40"), D("2500")),
            ("Objectif", D("75.00"), D("3500")),
        ]
    ald = [line for line in lines if line.label == "Patients en ALD sans médecin traitant"]
    assert len(ald) == 3
    for line in ald:
        assert [(b.minimum, b.maximum, b.amount) for b in line.bands.all()] == [
            (None, D("50"), D("9000")),
            (D("51"), D("100"), D("6000")),
            (D("101"), D("219"), D("3000")),
        ]
    decreasing = next(line for line in lines if line.label.startswith("Patients de plus de 70"))
    assert decreasing.baseline == D("303") and decreasing.direction == "decreasing"


def test_years_one_and_two_assessed_year_three_partly(contract: m.Contract):
    results = {y.number: year_result(y) for y in contract.years.all()}
    for number in (1, 2):
        lines = results[number].lines
        non_crisis = [r for r in lines if r.line.kind != "crisis"]
        assert all(r.assessed for r in non_crisis if r.line.kind != "binary")
        assert any(r.earned == 0 for r in non_crisis), "some lines are not reached"
        assert results[number].earned > 0
    # The screening rate reached the socle in year 1, the intermédiaire tier in year 2.
    screening = {
        n: next(r for r in results[n].lines if "col de l'utérus" in r.line.label) for n in (1, 2)
    }
    assert (screening[1].reached_tier, screening[1].earned) == (0, D("1000"))
    assert (screening[2].reached_tier, screening[2].earned) == (1, D("2500"))
    ald = {n: next(r for r in results[n].lines if "ALD" in r.line.label) for n in (1, 2)}
    assert (ald[1].holding_band, ald[1].earned) == (2, D("3000"))
    assert (ald[2].holding_band, ald[2].earned) == (1, D("6000"))
    crisis = {n: [r for r in results[n].lines if r.line.kind == "crisis"] for n in (1, 2, 3)}
    assert sum(r.earned for r in crisis[2]) == D("25000")
    assert sum(r.earned for r in crisis[1] + crisis[3]) == 0
    third = results[3].lines
    assert 0 < sum(1 for r in third if r.assessed) < len(third) // 2
    carried = m.IndicatorLine.objects.filter(
        envelope__year__contract=contract, carried_from__isnull=False
    ).select_related("carried_from__envelope__year", "envelope__year")
    assert carried.count() == 1
    line = carried.get()
    assert line.carried_from is not None and line.label == line.carried_from.label
    assert (line.carried_from.envelope.year.number, line.envelope.year.number) == (1, 2)
    assert line.done and not line.carried_from.done


def test_livrable_statuses_and_uploaded_proofs(contract: m.Contract, seeded: dict[str, Any]):
    livrables = m.Livrable.objects.filter(line__envelope__year__contract=contract)
    statuses = Counter(livrables.values_list("status", flat=True))
    assert set(statuses) == {"missing", "provided", "accepted"}
    proofs = list(m.Proof.objects.filter(livrable__in=livrables))
    assert 20 <= len(proofs) < livrables.count()
    assert all(p.livrable.status != "missing" for p in proofs)
    with override_settings(MEDIA_ROOT=seeded["media"]):
        for proof in proofs[:5]:
            assert default_storage.exists(proof.file.name)
            with default_storage.open(proof.file.name) as handle:
                assert handle.read(5) == b"%PDF-"
        valued = m.IndicatorLine.objects.filter(envelope__year__contract=contract).exclude(
            achieved_proof=""
        )
        assert valued.exists()
        assert all(default_storage.exists(line.achieved_proof.name) for line in valued)


def test_received_payments_follow_the_financing_rules(contract: m.Contract):
    years = {y.number: y for y in contract.years.all()}
    payments = m.ReceivedPayment.objects.filter(year__contract=contract).select_related(
        "mission", "year"
    )
    assert {p.year.number for p in payments} == {1, 2, 3}
    today = timezone.localdate()
    assert all(p.received_on <= today and p.amount > 0 for p in payments)
    fonctionnement = [p for p in payments if p.nature == "fonctionnement"]
    by_year = {n: [p.amount for p in fonctionnement if p.year.number == n] for n in (1, 2, 3)}
    assert by_year[1] == [D("75000.00")]  # in full at signature
    assert sorted(by_year[2]) == [D("10000.00"), D("56250.00")]  # advance, partial balance
    assert by_year[3] == [D("56250.00")]
    assert any(p.note for p in fonctionnement)
    # Fixed part of year 2 (full year): 75 % advance and the balance, per mission.
    fixed_2 = [p for p in payments if p.nature == "fixe" and p.year.number == 2]
    for envelope in years[2].envelopes.select_related("mission"):
        amounts = sorted(p.amount for p in fixed_2 if p.mission == envelope.mission)
        assert amounts == sorted([envelope.fixed * D("0.75"), envelope.fixed * D("0.25")])
    # The qualité mission's fixed advance of year 3 has not arrived: the schedule's gap.
    fixed_3 = {
        p.mission.key for p in payments if p.mission and p.nature == "fixe" and p.year.number == 3
    }
    assert "qualite" not in fixed_3 and len(fixed_3) == 5
    # The variable part paid after the dialogue is what the lines earned.
    for number in (1, 2):
        paid = sum(
            (p.amount for p in payments if p.nature == "variable" and p.year.number == number),
            D(0),
        )
        assert paid == year_result(years[number]).earned
        dialogue_on = years[number].dialogue_on
        assert dialogue_on is not None
        assert all(
            p.received_on > dialogue_on
            for p in payments
            if p.nature == "variable" and p.year.number == number
        )
    assert not [p for p in payments if p.nature == "variable" and p.year.number == 3]


def test_actions_and_events_across_the_three_years(contract: m.Contract):
    actions = m.Action.objects.filter(contract=contract)
    assert actions.count() >= 30
    assert all(a.missions.exists() for a in actions.prefetch_related("missions"))
    assert all(a.diagnosis and a.general_objective and a.public for a in actions)
    assert actions.filter(working_group__kind="group").count() >= 15
    assert actions.filter(meetings__isnull=False).distinct().count() >= 3
    assert set(actions.values_list("status", flat=True)) >= {
        "in_progress",
        "done",
        "draft",
        "abandoned",
    }
    events = m.Event.objects.filter(action__contract=contract)
    assert events.count() >= 100
    years = list(contract.years.order_by("number")[:3])
    for year in years:
        assert events.filter(date__gte=year.start, date__lte=year.end).count() >= 10
    counts = m.ParticipantCount.objects.filter(event__in=events)
    assert counts.filter(profession__isnull=False).exists()
    assert counts.exclude(age_band="").exists()
    assert m.Event.professionals.through.objects.filter(event__in=events).count() >= 100
    assert m.EventDocument.objects.filter(event__in=events).count() >= 4


def test_bench_grows_the_current_year_to_its_measurement_lines(contract: m.Contract):
    from cpts.bench.missions import BENCH_LINE_PREFIX, bench_year, seed_contract_lines

    year = bench_year()
    assert year.contract == contract and year.number == 3
    assert seed_contract_lines(200) == 200
    assert seed_contract_lines(200) == 200  # idempotent
    assert seed_contract_lines(230) == 230  # cumulative
    bench = [r for r in year_result(year).lines if r.line.label.startswith(BENCH_LINE_PREFIX)]
    assert len(bench) == 230
    assert {r.line.kind for r in bench} == {"binary", "target", "tiers", "bands", "crisis"}
    assert all(terms_errors(r.terms) == [] for r in bench)
    assert all(len(r.livrables) == 2 for r in bench)
    assert any(r.earned > 0 for r in bench)
