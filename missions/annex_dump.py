"""Writing the contract annex file back (missions.annex): the same structure as it is read,
so that export → import → export gives the same text."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml

from missions.annex import DONE_KINDS, MEASURED, Annex, AnnexLine, AnnexMission
from missions.annex_values import format_number


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format_number(value)
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _represent_decimal)


def annex_data(annex: Annex) -> dict[str, Any]:
    """The plain structure of the file (keys in the documented order)."""
    data: dict[str, Any] = {"contract_year": annex.contract_year}
    if annex.crisis_recognised is not None:
        data["crisis_recognised"] = annex.crisis_recognised
    data["missions"] = [_mission_data(mission) for mission in annex.missions]
    return data


def _mission_data(mission: AnnexMission) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": mission.key,
        "fixed": mission.fixed,
        "variable": mission.variable,
    }
    if mission.start is not None:
        data["start"] = mission.start
    data["lines"] = [_line_data(line) for line in mission.lines]
    return data


def _line_data(line: AnnexLine) -> dict[str, Any]:
    data: dict[str, Any] = {"label": line.label, "kind": line.kind, "amount": line.amount}
    if line.kind in MEASURED:
        data["direction"] = line.direction
        if line.baseline is not None:
            data["baseline"] = line.baseline
    if line.kind == "target" and line.target is not None:
        data["target"] = line.target
    if line.kind == "tiers":
        data["tiers"] = [
            {
                "threshold": t.threshold,
                "amount": t.amount,
                **({"label": t.label} if t.label else {}),
            }
            for t in line.tiers
        ]
    if line.kind == "bands":
        data["bands"] = [
            {
                **({"min": b.minimum} if b.minimum is not None else {}),
                **({"max": b.maximum} if b.maximum is not None else {}),
                "amount": b.amount,
            }
            for b in line.bands
        ]
    data["livrables"] = list(line.livrables)
    if line.kind in MEASURED and line.achieved is not None:
        data["achieved"] = line.achieved
    if line.kind in DONE_KINDS and line.done:
        data["done"] = True
    return data


def dump_annex(annex: Annex) -> str:
    return yaml.dump(
        annex_data(annex),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1000,
    )
