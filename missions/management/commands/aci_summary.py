"""``python manage.py aci_summary --year N [--json]``: what a year of the current contract
allots and has earned, from ``missions.selectors.earnings.year_result`` (never recomputed).

With ``--json``: one object, keys in English, amounts as JSON numbers in euros with at most two
decimals (``9000.0``), measured values as numbers, ``null`` when absent::

    {"contract": {"signed_on", "cpam", "ars", "taille"},
     "year": {"number", "start", "end", "crisis_recognised"},
     "missions": [{"key", "name", "start", "fixed", "variable", "potential", "earned",
                   "lines_mismatch",
                   "lines": [{"label", "kind", "direction", "amount", "baseline", "target",
                              "achieved", "done", "potential", "earned", "reached_tier",
                              "holding_band", "livrables", "livrables_missing"}]}],
     "totals": {"fixed", "variable", "potential", "earned", "lines"}}

Without: a readable French table."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from missions.annex_values import format_number
from missions.management.commands.export_contract import contract_year
from missions.models import LineKind
from missions.selectors.annex import euros
from missions.selectors.earnings import LineResult, MissionResult, YearResult, year_result


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def _line(result: LineResult) -> dict[str, Any]:
    line = result.line
    return {
        "label": line.label,
        "kind": line.kind,
        "direction": line.direction,
        "amount": _number(line.amount),
        "baseline": _number(line.baseline),
        "target": _number(line.target),
        "achieved": _number(line.achieved),
        "done": line.done,
        "potential": _number(result.potential),
        "earned": _number(result.earned),
        "reached_tier": result.reached_tier,
        "holding_band": result.holding_band,
        "livrables": len(result.livrables),
        "livrables_missing": result.livrables_missing,
    }


def _mission(result: MissionResult) -> dict[str, Any]:
    envelope = result.envelope
    return {
        "key": envelope.mission.key,
        "name": envelope.mission.name,
        "start": _date(envelope.start),
        "fixed": _number(envelope.fixed),
        "variable": _number(envelope.variable),
        "potential": _number(result.potential),
        "earned": _number(result.earned),
        "lines_mismatch": _number(result.lines_mismatch),
        "lines": [_line(line) for line in result.lines],
    }


def summary_data(result: YearResult) -> dict[str, Any]:
    year = result.year
    contract = year.contract
    return {
        "contract": {
            "signed_on": _date(contract.signed_on),
            "cpam": contract.cpam,
            "ars": contract.ars,
            "taille": contract.taille,
        },
        "year": {
            "number": year.number,
            "start": _date(year.start),
            "end": _date(year.end),
            "crisis_recognised": year.crisis_recognised,
        },
        "missions": [_mission(mission) for mission in result.missions],
        "totals": {
            "fixed": _number(result.fixed),
            "variable": _number(result.variable),
            "potential": _number(sum((m.potential for m in result.missions), Decimal(0))),
            "earned": _number(result.earned),
            "lines": len(result.lines),
        },
    }


class Command(BaseCommand):
    help = "Résumé d'une année du contrat ACI en cours : enveloppes, lignes et montants gagnés."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="Année du contrat (1 à 5)")
        parser.add_argument("--json", action="store_true", help="Sortie JSON (clés en anglais)")

    def handle(self, *args: Any, **options: Any) -> None:
        result = year_result(contract_year(options["year"]))
        if options["json"]:
            self.stdout.write(json.dumps(summary_data(result), ensure_ascii=False, indent=2))
            return
        for line in table(result):
            self.stdout.write(line)


def _result(result: LineResult) -> str:
    line = result.line
    if line.kind in (LineKind.BINARY, LineKind.CRISIS):
        return _("réalisée") if line.done else _("non réalisée")
    if line.achieved is None:
        return _("valeur non saisie")
    return _("atteint : %(value)s") % {"value": format_number(line.achieved).replace(".", ",")}


def table(result: YearResult) -> list[str]:
    year = result.year
    kinds = dict(LineKind.choices)
    out = [
        _("Contrat ACI signé le %(date)s — année %(number)s, du %(start)s au %(end)s")
        % {
            "date": year.contract.signed_on.strftime("%d/%m/%Y"),
            "number": year.number,
            "start": year.start.strftime("%d/%m/%Y"),
            "end": year.end.strftime("%d/%m/%Y"),
        },
        _("Crise sanitaire reconnue : %(answer)s")
        % {"answer": _("oui") if year.crisis_recognised else _("non")},
        "",
        f"{_('Mission'):<40} {_('Part fixe'):>16} {_('Part variable'):>16} {_('Gagné'):>16}",
    ]
    for mission in result.missions:
        envelope = mission.envelope
        out.append(
            f"{str(envelope.mission.name)[:40]:<40} {euros(envelope.fixed):>16} "
            f"{euros(envelope.variable):>16} {euros(mission.earned):>16}"
        )
        for line in mission.lines:
            out.append(
                f"    {line.line.label[:60]} — {kinds.get(line.line.kind, line.line.kind)}, "
                f"{_result(line)} : {euros(line.earned)} / {euros(line.potential)}"
            )
        if mission.lines_mismatch:
            out.append(
                "    "
                + _("Attention : les lignes ne totalisent pas la part variable (écart %(gap)s).")
                % {"gap": euros(mission.lines_mismatch)}
            )
    out.append(
        f"{_('Total'):<40} {euros(result.fixed):>16} {euros(result.variable):>16} "
        f"{euros(result.earned):>16}"
    )
    return out
