import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from cpts.bench.dataset import seed_scale
from cpts.bench.report import (
    X,
    aligned,
    drift_lines,
    parse_scales,
    query_count_drifts,
    report_lines,
)
from cpts.bench.runner import Measurement
from cpts.bench.targets import COMMANDS, JOBS, PAGES, BenchCommand, BenchJob, BenchPage
from cpts.models import Commune, TerritoryCommune
from cpts.services.demo import DEMO_EPCI


def _m(name: str, scale: int, queries: int, category: str = "page", status: str = "200"):
    return Measurement(
        category=category,
        name=name,
        scale=scale,
        status=status,
        median_ms=12.5,
        queries=queries,
        peak_kib=100.0,
        size_kib=20.0 if category == "job" else None,
    )


def test_bench_command_measures_every_declared_page_on_a_throwaway_database(tmp_path: Path):
    """The real command, in its own process: a row per declared page and job, no error
    status, and neither the configured database nor the media folder is created."""
    main_db = tmp_path / "developpeur.sqlite3"
    media = tmp_path / "media"
    output = tmp_path / "bench.json"
    env = {
        **os.environ,
        "DJANGO_ENV": "test",
        "DATABASE_URL": f"sqlite:///{main_db}",
        "DJANGO_MEDIA_ROOT": str(media),
    }
    env.pop("REDIS_URL", None)
    command = [sys.executable, "manage.py", "bench", "--runs", "1", "--scales", "1"]
    completed = subprocess.run(
        [*command, "--json", str(output)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    lines = completed.stdout.splitlines()

    targets: list[BenchPage | BenchJob | BenchCommand] = [*PAGES, *JOBS, *COMMANDS]
    for target in targets:
        rows = [line for line in lines if line.split("  ")[0].strip() == target.name]
        assert len(rows) == 1, f"no table row for {target.name}:\n{completed.stdout}"
    for page in PAGES:
        row = next(line for line in lines if line.split("  ")[0].strip() == page.name)
        status = row[len(page.name) :].split()[0]
        assert status.isdigit() and int(status) < 400, row
    assert "Une seule échelle mesurée" in completed.stdout

    data = json.loads(output.read_text(encoding="utf-8"))
    assert [row["name"] for row in data["pages"]] == [page.name for page in PAGES]
    assert all(int(row["status"]) < 400 for row in data["pages"])
    assert all(row["queries"] > 0 and row["median_ms"] > 0 for row in data["pages"])
    assert [row["name"] for row in data["jobs"]] == [job.name for job in JOBS]
    assert all(row["status"] == "done" and row["size_kib"] > 0 for row in data["jobs"])
    # The activity reports (cpts/bench/reports.py) among them, rendered at the scale.
    assert {"report_aci", "report_ag"} <= {row["name"] for row in data["jobs"]}
    assert [row["name"] for row in data["commands"]] == [c.name for c in COMMANDS]
    assert all(row["queries"] > 0 and row["median_ms"] > 0 for row in data["commands"])
    assert all(row["status"] == "ok" for row in data["commands"])
    assert "✗" not in completed.stdout, completed.stdout

    assert not main_db.exists(), "the bench opened the configured database"
    assert not media.exists(), "the bench wrote into the configured media folder"


def test_query_count_drift_is_flagged_per_page_and_job():
    results = [
        _m("territory", 1, 12),
        _m("user_list", 1, 9),
        _m("identity_sheet", 1, 10, category="job", status="done"),
        _m("territory", 10, 15),
        _m("user_list", 10, 9),
        _m("identity_sheet", 10, 11, category="job", status="done"),
    ]
    drifts = query_count_drifts(results)
    assert [(d.category, d.name, d.counts) for d in drifts] == [
        ("page", "territory", ((1, 12), (10, 15))),
        ("job", "identity_sheet", ((1, 10), (10, 11))),
    ]
    lines = drift_lines(results, [1, 10])
    assert len(lines) == 2
    assert "territory" in lines[0] and f"{X}1 : 12" in lines[0] and f"{X}10 : 15" in lines[0]


def test_no_flag_when_counts_are_stable_or_a_single_scale_is_measured():
    stable = [_m("territory", 1, 12), _m("territory", 10, 12)]
    assert query_count_drifts(stable) == []
    assert drift_lines(stable, [1, 10]) == [
        "Nombre de requêtes SQL identique à toutes les échelles, partout."
    ]
    single = [_m("territory", 1, 12)]
    assert query_count_drifts(single) == []
    assert "Une seule échelle" in drift_lines(single, [1])[0]


def test_report_puts_scales_side_by_side_and_lists_failures():
    results = [
        _m("territory", 1, 12),
        _m("territory", 10, 12),
        _m("user_list", 1, 9, status="500"),
        _m("user_list", 10, 9),
        _m("identity_sheet", 1, 10, category="job", status="done"),
        _m("identity_sheet", 10, 10, category="job", status="failed"),
    ]
    lines = report_lines(results, [1, 10], runs=7)
    header = next(line for line in lines if line.startswith("Page "))
    assert f"HTTP {X}1" in header and f"HTTP {X}10" in header
    territory = next(line for line in lines if line.startswith("territory "))
    assert territory.split() == [
        "territory",
        "200",
        "12,5",
        "12",
        "100",
        "200",
        "12,5",
        "12",
        "100",
    ]
    job = next(line for line in lines if line.startswith("identity_sheet "))
    assert "Terminé" in job and "Échec" in job
    assert f"✗ user_list {X}1 : statut 500." in lines
    assert f"✗ identity_sheet {X}10 : statut Échec." in lines


def test_aligned_table_columns_line_up():
    lines = aligned(["Page", "ms"], [["court", "1,5"], ["une page plus longue", "1 234,5"]])
    assert len({len(line) for line in lines}) == 1
    assert lines[2].endswith("    1,5")


@pytest.mark.parametrize(
    ("text", "expected"), [("1,10", [1, 10]), ("10, 1,1", [1, 10]), ("3", [3])]
)
def test_parse_scales(text, expected):
    assert parse_scales(text) == expected


@pytest.mark.parametrize("text", ["", "0,1", "un,dix", "-1"])
def test_parse_scales_rejects_bad_input_in_french(text):
    with pytest.raises(ValueError, match="--scales attend des entiers positifs"):
        parse_scales(text)


def test_command_rejects_bad_options_before_touching_any_database():
    with pytest.raises(CommandError, match="--runs"):
        call_command("bench", runs=0)
    with pytest.raises(CommandError, match="--scales"):
        call_command("bench", scales="dix")


@pytest.mark.django_db
def test_seed_scale_grows_cumulatively_and_is_idempotent(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo = Commune.objects.filter(epci_siren__in=DEMO_EPCI).count()
    one = seed_scale(1)
    assert (one.communes, one.documents, one.users, one.invitations) == (demo, 10, 20, 10)
    two = seed_scale(2)
    assert (two.communes, two.documents, two.users, two.invitations) == (2 * demo, 20, 40, 20)
    assert TerritoryCommune.objects.filter(commune__departement="34").count() == 2 * demo
    assert seed_scale(2) == two


def test_a_streamed_page_is_read_whole_inside_the_measure():
    from django.http import StreamingHttpResponse

    from cpts.bench.runner import _fetch

    produced: list[int] = []

    def rows():
        for n in range(3):
            produced.append(n)
            yield f"{n}\n".encode()

    class FakeClient:
        def get(self, url, headers):
            return StreamingHttpResponse(rows())

    _fetch(FakeClient(), "/x", {})  # type: ignore[arg-type]
    assert produced == [0, 1, 2]


def test_only_measures_the_targets_whose_name_matches(tmp_path: Path):
    env = {
        **os.environ,
        "DJANGO_ENV": "test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'developpeur.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("REDIS_URL", None)
    output = tmp_path / "bench.json"
    options = ["--runs", "1", "--scales", "1", "--only", "crisis_roster, portal_crisis"]
    completed = subprocess.run(
        [sys.executable, "manage.py", "bench", *options, "--json", str(output)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    data = json.loads(output.read_text(encoding="utf-8"))
    assert [row["name"] for row in data["pages"]] == [
        "crisis_roster",
        "crisis_roster?manques=1&page=2",
        "portal_crisis_cards (adhérent)",
    ]
    assert data["jobs"] == [] and data["commands"] == []
