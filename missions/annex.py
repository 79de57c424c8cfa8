"""The contract annex file (docs/contract-annex.md): one contract year as YAML, read into plain
dataclasses and written back. Pure: no database access (the year's existence, the current
contract and what is already stored are checked by ``missions.services.annex``).

``parse_annex`` checks everything before anything can be written and collects every error
with the exact path of the faulty entry (``missions[2].lines[4].tiers[1].threshold``, positions
counted from 0) and a French message. Numbers may be written as YAML numbers or as French text
("66,26", "9 000", "9 000 €"); they become Decimals, never floats. ``dump_annex`` writes the same
structure back, so that export → import → export gives the same text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from missions.annex_values import (
    AnnexError,
    AnnexInvalid,
    ValueProblem,
    format_number,
    load_yaml,
    to_bool,
    to_date,
    to_decimal,
    to_text,
)
from missions.catalogue import CATALOGUE_KEYS
from missions.earning import KINDS, Band, LineTerms, Tier, terms_errors

MEASURED = ("target", "tiers", "bands")
DONE_KINDS = ("binary", "crisis")
TOP_KEYS = ("contract_year", "crisis_recognised", "missions")
MISSION_KEYS = ("key", "fixed", "variable", "start", "lines")
LINE_KEYS = (
    "label",
    "kind",
    "amount",
    "direction",
    "baseline",
    "target",
    "tiers",
    "bands",
    "livrables",
    "achieved",
    "done",
)
KIND_PARAMETERS = ("direction", "baseline", "target", "tiers", "bands", "achieved", "done")
TIER_KEYS = ("threshold", "amount", "label")
BAND_KEYS = ("min", "max", "amount")
# The parameters each kind takes (besides label, kind, amount, livrables).
KIND_KEYS: dict[str, tuple[str, ...]] = {
    "binary": ("done",),
    "crisis": ("done",),
    "target": ("direction", "baseline", "target", "achieved"),
    "tiers": ("direction", "baseline", "tiers", "achieved"),
    "bands": ("direction", "baseline", "bands", "achieved"),
}
LABEL_MAX = 300
TIER_LABEL_MAX = 100
AMOUNT_PLACES = 2  # euros and cents (the models' decimal_places)
VALUE_PLACES = 4  # baselines, targets, thresholds, bounds, achieved values


@dataclass(frozen=True)
class AnnexLine:
    label: str
    kind: str
    amount: Decimal
    direction: str = "increasing"
    baseline: Decimal | None = None
    target: Decimal | None = None
    tiers: tuple[Tier, ...] = ()
    bands: tuple[Band, ...] = ()
    livrables: tuple[str, ...] = ()
    achieved: Decimal | None = None  # None: no value in the file
    done: bool | None = None  # None: not said in the file


@dataclass(frozen=True)
class AnnexMission:
    key: str
    fixed: Decimal
    variable: Decimal
    start: date | None = None
    lines: tuple[AnnexLine, ...] = ()


@dataclass(frozen=True)
class Annex:
    contract_year: int
    missions: tuple[AnnexMission, ...]
    crisis_recognised: bool | None = None  # None: not said in the file


# --- Reading ---------------------------------------------------------------------------------


class _Reader:
    """Collects the errors while reading one file."""

    def __init__(self) -> None:
        self.errors: list[AnnexError] = []

    def error(self, path: str, message: str) -> None:
        problem = AnnexError(path, message)
        if problem not in self.errors:
            self.errors.append(problem)

    def mapping(self, data: Any, path: str, allowed: tuple[str, ...]) -> dict[str, Any] | None:
        if not isinstance(data, dict):
            self.error(path, _("Une suite de clés (clé: valeur) est attendue ici."))
            return None
        for key in data:
            if key not in allowed:
                self.error(
                    f"{path}.{key}" if path else str(key),
                    _("Clé inconnue ; clés possibles : %(keys)s.") % {"keys": ", ".join(allowed)},
                )
        return data

    def items(self, data: Any, path: str) -> list[Any]:
        if data is None:
            return []
        if not isinstance(data, list):
            self.error(path, _("Une liste (éléments commençant par « - ») est attendue ici."))
            return []
        return data

    def value(self, parse: Any, data: Any, path: str, *args: Any) -> Any:
        try:
            return parse(data, *args)
        except ValueProblem as problem:
            self.error(path, str(problem))
            return None

    def amount(self, data: Any, path: str, *, required: bool = True) -> Decimal | None:
        if data is None:
            if required:
                self.error(path, _("Montant obligatoire."))
            return None
        value = self.value(to_decimal, data, path, AMOUNT_PLACES)
        if value is not None and value < 0:
            self.error(path, _("Le montant ne peut pas être négatif."))
        return value

    def number(self, data: Any, path: str) -> Decimal | None:
        return None if data is None else self.value(to_decimal, data, path, VALUE_PLACES)

    def text(self, data: Any, path: str, limit: int, *, required: bool = True) -> str:
        if data is None or data == "":
            if required:
                self.error(path, _("Texte obligatoire."))
            return ""
        return self.value(to_text, data, path, limit) or ""


def parse_annex(content: bytes | str) -> Annex:
    """The annex of ``content``, or ``AnnexInvalid`` with every error found."""
    reader = _Reader()
    data = reader.mapping(load_yaml(content), "", TOP_KEYS)
    if data is None:
        raise AnnexInvalid(reader.errors)
    number = None
    if "contract_year" not in data:
        reader.error("contract_year", _("Indiquez l'année du contrat (1 à 5)."))
    else:
        number = reader.value(to_decimal, data["contract_year"], "contract_year", 0)
        if number is not None and not 1 <= number <= 5:
            reader.error("contract_year", _("L'année du contrat va de 1 à 5."))
    crisis = None
    if data.get("crisis_recognised") is not None:
        crisis = reader.value(to_bool, data["crisis_recognised"], "crisis_recognised")
    if "missions" not in data:
        reader.error("missions", _("La liste des missions est obligatoire."))
    missions = []
    seen: dict[str, int] = {}
    for index, item in enumerate(reader.items(data.get("missions"), "missions")):
        mission = _mission(reader, item, f"missions[{index}]")
        if mission is None:
            continue
        if mission.key in seen:
            reader.error(
                f"missions[{index}].key",
                _("Mission « %(key)s » déjà décrite en missions[%(first)s].")
                % {"key": mission.key, "first": seen[mission.key]},
            )
        seen.setdefault(mission.key, index)
        missions.append(mission)
    if reader.errors or number is None:
        raise AnnexInvalid(reader.errors)
    return Annex(contract_year=int(number), missions=tuple(missions), crisis_recognised=crisis)


def _mission(reader: _Reader, item: Any, path: str) -> AnnexMission | None:
    data = reader.mapping(item, path, MISSION_KEYS)
    if data is None:
        return None
    key = data.get("key")
    if key not in CATALOGUE_KEYS:
        reader.error(
            f"{path}.key",
            _("Mission inconnue « %(key)s » ; missions du catalogue : %(keys)s.")
            % {"key": key if key is not None else "", "keys": ", ".join(CATALOGUE_KEYS)},
        )
    fixed = reader.amount(data.get("fixed"), f"{path}.fixed")
    variable = reader.amount(data.get("variable"), f"{path}.variable")
    start = None
    if data.get("start") is not None:
        start = reader.value(to_date, data["start"], f"{path}.start")
    lines = []
    labels: dict[str, int] = {}
    for index, item in enumerate(reader.items(data.get("lines"), f"{path}.lines")):
        line = _line(reader, item, f"{path}.lines[{index}]")
        if line is None:
            continue
        if line.label in labels:
            reader.error(
                f"{path}.lines[{index}].label",
                _(
                    "Intitulé déjà utilisé par %(path)s.lines[%(first)s] : chaque ligne d'une "
                    "mission a son propre intitulé."
                )
                % {"path": path, "first": labels[line.label]},
            )
        labels.setdefault(line.label, index)
        lines.append(line)
    if key not in CATALOGUE_KEYS or fixed is None or variable is None:
        return None
    return AnnexMission(
        key=str(key), fixed=fixed, variable=variable, start=start, lines=tuple(lines)
    )


def _line(reader: _Reader, item: Any, path: str) -> AnnexLine | None:
    data = reader.mapping(item, path, LINE_KEYS)
    if data is None:
        return None
    before = len(reader.errors)
    label = reader.text(data.get("label"), f"{path}.label", LABEL_MAX)
    kind = data.get("kind")
    if kind not in KINDS:
        reader.error(
            f"{path}.kind",
            _("Type de ligne inconnu ; types possibles : %(kinds)s.") % {"kinds": ", ".join(KINDS)},
        )
        return None
    for key in data:
        if key in KIND_PARAMETERS and key not in KIND_KEYS[kind]:
            reader.error(f"{path}.{key}", _not_for_kind(key, kind))
    measured = kind in MEASURED
    amount = reader.amount(
        data.get("amount"), f"{path}.amount", required=kind not in ("tiers", "bands")
    )
    direction = data.get("direction") or "increasing"
    if direction not in ("increasing", "decreasing"):
        reader.error(f"{path}.direction", _("Le sens doit être « increasing » ou « decreasing »."))
    raw_tiers = reader.items(data.get("tiers"), f"{path}.tiers") if kind == "tiers" else []
    tiers = [_tier(reader, entry, f"{path}.tiers[{i}]") for i, entry in enumerate(raw_tiers)]
    raw_bands = reader.items(data.get("bands"), f"{path}.bands") if kind == "bands" else []
    bands = [_band(reader, entry, f"{path}.bands[{i}]") for i, entry in enumerate(raw_bands)]
    livrables: list[str] = []
    for index, entry in enumerate(reader.items(data.get("livrables"), f"{path}.livrables")):
        text = reader.text(entry, f"{path}.livrables[{index}]", LABEL_MAX)
        if text and text in livrables:
            reader.error(f"{path}.livrables[{index}]", _("Livrable en double dans cette ligne."))
        livrables.append(text)
    baseline = reader.number(data.get("baseline"), f"{path}.baseline") if measured else None
    target = reader.number(data.get("target"), f"{path}.target") if kind == "target" else None
    achieved = reader.number(data.get("achieved"), f"{path}.achieved") if measured else None
    done = None
    if not measured and data.get("done") is not None:
        done = reader.value(to_bool, data["done"], f"{path}.done")
    if None in tiers or None in bands or direction not in ("increasing", "decreasing"):
        return None  # the rules below need every threshold and band
    valid_tiers = tuple(t for t in tiers if t is not None)
    valid_bands = tuple(b for b in bands if b is not None)
    terms = LineTerms(
        kind=kind,
        amount=amount if amount is not None else Decimal(0),
        direction=direction,
        target=target,
        tiers=valid_tiers,
        bands=valid_bands,
    )
    for field, message in terms_errors(terms):
        reader.error(f"{path}.{field}", message)
    amounts = [t.amount for t in valid_tiers] + [b.amount for b in valid_bands]
    best = max(amounts, default=None)
    if best is not None and amount is not None and amount != best:
        reader.error(
            f"{path}.amount",
            _(
                "Le montant d'une ligne à paliers ou à tranches est celui du meilleur palier ou "
                "de la meilleure tranche (%(best)s) : corrigez-le ou retirez-le."
            )
            % {"best": format_number(best)},
        )
    if len(reader.errors) > before:
        return None
    return AnnexLine(
        label=label,
        kind=kind,
        amount=amount if amount is not None else (best or Decimal(0)),
        direction=direction,
        baseline=baseline,
        target=target,
        tiers=valid_tiers,
        bands=valid_bands,
        livrables=tuple(livrables),
        achieved=achieved,
        done=done,
    )


def _tier(reader: _Reader, entry: Any, path: str) -> Tier | None:
    data = reader.mapping(entry, path, TIER_KEYS)
    if data is None:
        return None
    if data.get("threshold") is None:
        reader.error(f"{path}.threshold", _("Seuil obligatoire."))
    threshold = reader.number(data.get("threshold"), f"{path}.threshold")
    amount = reader.amount(data.get("amount"), f"{path}.amount")
    label = reader.text(data.get("label"), f"{path}.label", TIER_LABEL_MAX, required=False)
    if threshold is None or amount is None:
        return None
    return Tier(threshold=threshold, amount=amount, label=label)


def _band(reader: _Reader, entry: Any, path: str) -> Band | None:
    data = reader.mapping(entry, path, BAND_KEYS)
    if data is None:
        return None
    minimum = reader.number(data.get("min"), f"{path}.min")
    maximum = reader.number(data.get("max"), f"{path}.max")
    amount = reader.amount(data.get("amount"), f"{path}.amount")
    bad = (data.get("min") is not None and minimum is None) or (
        data.get("max") is not None and maximum is None
    )
    if amount is None or bad:
        return None
    return Band(minimum=minimum, maximum=maximum, amount=amount)


def _not_for_kind(key: str, kind: str) -> str:
    if key == "done":
        return _(
            "« done » ne vaut que pour une ligne binary ou crisis ; une ligne mesurée "
            "indique sa valeur dans « achieved »."
        )
    if key == "achieved":
        return _(
            "« achieved » ne vaut que pour une ligne mesurée (target, tiers, bands) ; une "
            "ligne %(kind)s indique « done: true »."
        ) % {"kind": kind}
    return _("« %(key)s » ne s'applique pas à une ligne %(kind)s.") % {"key": key, "kind": kind}
