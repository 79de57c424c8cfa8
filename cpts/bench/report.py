"""What ``manage.py bench`` prints: aligned tables with the scales side by side, the lines
flagging failures and query counts that change with the scale, and the JSON export."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from cpts.bench.runner import Measurement
from cpts.models import GeneratedDocument

X = "\u00d7"  # the multiplication sign written before a scale, as in "ms x10"


def parse_scales(text: str) -> list[int]:
    """``"1,10"`` → ``[1, 10]`` (sorted, without duplicates); ValueError with a French
    message naming the option otherwise."""
    try:
        scales = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        scales = []
    if not scales or scales[0] < 1:
        raise ValueError(
            _("--scales attend des entiers positifs séparés par des virgules (par exemple 1,10).")
        )
    return scales


def _number(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "—"
    return number_format(value, decimal_pos=decimals, force_grouping=True)


def aligned(headers: list[str], rows: list[list[str]]) -> list[str]:
    """A plain-text table: first column left-aligned, the others right-aligned."""
    widths = [max([len(headers[i]), *(len(row[i]) for row in rows)]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    return [line(headers), "  ".join("-" * width for width in widths), *map(line, rows)]


def _grouped(results: Iterable[Measurement], category: str) -> dict[str, dict[int, Measurement]]:
    """Measurements of one category by name (in measuring order), then by scale."""
    grouped: dict[str, dict[int, Measurement]] = {}
    for measurement in results:
        if measurement.category == category:
            grouped.setdefault(measurement.name, {})[measurement.scale] = measurement
    return grouped


def _job_status(status: str) -> str:
    if status in GeneratedDocument.Status.values:
        return str(GeneratedDocument.Status(status).label)
    return status


def pages_table(results: list[Measurement], scales: list[int], category: str = "page") -> list[str]:
    headers = [_("Page") if category == "page" else _("Commande")]
    for scale in scales:
        headers += [f"HTTP {X}{scale}", f"ms {X}{scale}", f"SQL {X}{scale}", f"Kio {X}{scale}"]
    rows = []
    for name, by_scale in _grouped(results, category).items():
        row = [name]
        for scale in scales:
            m = by_scale.get(scale)
            row += (
                [m.status, _number(m.median_ms), str(m.queries), _number(m.peak_kib, 0)]
                if m
                else ["—"] * 4
            )
        rows.append(row)
    return aligned(headers, rows)


def jobs_table(results: list[Measurement], scales: list[int]) -> list[str]:
    headers = [_("Tâche")]
    for scale in scales:
        headers += [
            _("statut %(x)s%(scale)s") % {"x": X, "scale": scale},
            f"ms {X}{scale}",
            f"SQL {X}{scale}",
            f"Kio {X}{scale}",
            _("PDF Kio %(x)s%(scale)s") % {"x": X, "scale": scale},
        ]
    rows = []
    for name, by_scale in _grouped(results, "job").items():
        row = [name]
        for scale in scales:
            m = by_scale.get(scale)
            row += (
                [
                    _job_status(m.status),
                    _number(m.median_ms),
                    str(m.queries),
                    _number(m.peak_kib, 0),
                    _number(m.size_kib),
                ]
                if m
                else ["—"] * 5
            )
        rows.append(row)
    return aligned(headers, rows)


@dataclass(frozen=True)
class QueryDrift:
    """A page or job whose SQL query count is not the same at every scale."""

    category: str
    name: str
    counts: tuple[tuple[int, int], ...]  # (scale, queries), smallest scale first


def query_count_drifts(results: Iterable[Measurement]) -> list[QueryDrift]:
    results = list(results)
    drifts = []
    for category in ("page", "job"):
        for name, by_scale in _grouped(results, category).items():
            counts = tuple(sorted((scale, m.queries) for scale, m in by_scale.items()))
            if len({queries for _scale, queries in counts}) > 1:
                drifts.append(QueryDrift(category=category, name=name, counts=counts))
    return drifts


def drift_lines(results: list[Measurement], scales: list[int]) -> list[str]:
    if len(scales) < 2:
        return [_("Une seule échelle mesurée : nombre de requêtes SQL non comparé.")]
    drifts = query_count_drifts(results)
    if not drifts:
        return [_("Nombre de requêtes SQL identique à toutes les échelles, partout.")]
    return [
        _("⚠ Le nombre de requêtes SQL varie avec l'échelle : %(name)s (%(counts)s).")
        % {
            "name": drift.name,
            "counts": ", ".join(f"{X}{scale} : {queries}" for scale, queries in drift.counts),
        }
        for drift in drifts
    ]


def failure_lines(results: list[Measurement]) -> list[str]:
    return [
        _("✗ %(name)s %(x)s%(scale)s : statut %(status)s.")
        % {
            "name": m.name,
            "x": X,
            "scale": m.scale,
            "status": _job_status(m.status) if m.category == "job" else m.status,
        }
        for m in results
        if m.failed
    ]


def report_lines(results: list[Measurement], scales: list[int], runs: int) -> list[str]:
    return [
        "",
        _("Pages (coordinateur·rice ; médiane de %(runs)s passage(s), mémoire de pointe)")
        % {"runs": runs},
        *pages_table(results, scales),
        "",
        _("Tâches (génération complète d'un document par passage)"),
        *jobs_table(results, scales),
        "",
        _("Commandes (exécutées dans le processus, sortie ignorée)"),
        *pages_table(results, scales, category="command"),
        "",
        *failure_lines(results),
        *drift_lines(results, scales),
    ]


def as_json(results: list[Measurement], scales: list[int], runs: int) -> dict[str, Any]:
    return {
        "scales": scales,
        "runs": runs,
        "pages": [m.as_dict() for m in results if m.category == "page"],
        "jobs": [m.as_dict() for m in results if m.category == "job"],
        "commands": [m.as_dict() for m in results if m.category == "command"],
        "query_count_drifts": [
            {"category": d.category, "name": d.name, "counts": dict(d.counts)}
            for d in query_count_drifts(results)
        ],
    }
