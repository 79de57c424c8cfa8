"""Parsing the values of a member file's cells: labels matched whatever their accents,
case or feminine form, French phone numbers, dates and the "cotisation payée" cell."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from members.importing import normalize_label

PAID_IN_FULL = "oui"
_YES = {"oui", "o", "yes", "x", "paye", "payee", "regle", "reglee"}
_NO = {"non", "n", "no", "impaye", "impayee"}
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y")
_TIME_SUFFIX = re.compile(r"\s+\d{1,2}:\d{2}(:\d{2})?$")


def label_variants(label: str) -> set[str]:
    """A label and its spellings without the parenthesised part or in the feminine:
    "Infirmier(ère)" → {"infirmier(ere)", "infirmier", "infirmiere"}."""
    text = normalize_label(label)
    variants = {text, " ".join(re.sub(r"\([^)]*\)", " ", text).split())}
    inside = re.findall(r"\(([^)]*)\)", text)
    variants.update(" ".join(part.split()) for part in inside if part.strip())

    def feminine(match: re.Match[str]) -> str:
        base, suffix = match.group(1), match.group(2)
        if suffix == "ere" and base.endswith("er"):
            return base[:-2] + "ere"
        if suffix == "trice" and base.endswith("teur"):
            return base[:-4] + "trice"
        return base + suffix

    variants.add(re.sub(r"(\w+)\((\w+)\)", feminine, text))
    return {v for v in variants if v}


def choice_map(choices: Iterable[tuple[str, Any]], extra: Mapping[str, str]) -> dict[str, str]:
    mapping = dict(extra)
    for value, label in choices:
        if value:
            mapping[normalize_label(value)] = value
            for variant in label_variants(str(label)):
                mapping.setdefault(variant, value)
    return mapping


def compact(value: str | None) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


def french_phone(value: str) -> str | None:
    """A French number as "04 67 00 00 00", or None (``+33``/``0033`` prefixes accepted, and
    a leading 0 that a spreadsheet removed)."""
    digits = re.sub(r"[^0-9+]", "", value)
    if digits.startswith("+33"):
        digits = "0" + digits[3:]
    elif digits.startswith("0033"):
        digits = "0" + digits[4:]
    if len(digits) == 9 and digits[0] != "0":
        digits = "0" + digits
    if not re.fullmatch(r"0[1-9][0-9]{8}", digits):
        return None
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))


def parse_date(value: str) -> datetime.date | None:
    text = _TIME_SUFFIX.sub("", value.strip())  # "15/01/2026 00:00:00" from some exports
    for date_format in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    return None


def parse_paid(value: str) -> Decimal | str | bool | None:
    """PAID_IN_FULL, an amount, None (nothing paid), or False when unreadable."""
    text = normalize_label(value)
    if text in _YES:
        return PAID_IN_FULL
    if text in _NO:
        return None
    amount = re.sub(r"(?i)[\s\u202f€]|eur(os?)?", "", value).replace(",", ".")
    try:
        parsed = Decimal(amount)
    except InvalidOperation:
        return False
    if not parsed.is_finite() or parsed < 0 or parsed >= Decimal("1000000"):
        return False
    return parsed.quantize(Decimal("0.01")) if parsed else None
