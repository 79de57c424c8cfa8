"""Refusing obvious personal identifiers in a pseudonymous reference (DESIGN.md §3: patients'
identities never enter the database).

``identifier_problem(text)`` returns the French reason a text looks like it carries a person's
identity, or ``""``. It looks for: a French social-security number (NIR, 13 digits, or 15 with
a valid key, spaces, dots and dashes allowed, Corsica's 2A/2B included), any other run of 11
digits or more, a French phone number, an email address, a plausible date of birth
(dd/mm/yyyy, yyyy-mm-dd, "12 mars 1954"…), and things that look like a name: a civility
(M., Mme…), a common French first name or surname (``registries/data/prenoms.txt``,
``registries/data/noms.txt``) or the "Prénom NOM" shape. It is a guard against mistakes,
not a proof of anonymity.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

FIRST_NAMES_PATH = Path(__file__).resolve().parent / "data" / "prenoms.txt"
SURNAMES_PATH = Path(__file__).resolve().parent / "data" / "noms.txt"

# Spaces, dots and dashes between digits (or after Corsica's 2A/2B) are dropped first.
_DIGIT_SEPARATOR = re.compile(r"(?<=[0-9AB])[\s.\-]+(?=[0-9])")
_NIR_CANDIDATE = re.compile(r"(?<![0-9A-Z])[1-478]\d{4}(?:\d{2}|2[AB])\d{6}(?:\d{2})?(?![0-9])")
_NIR = re.compile(
    r"^(?P<sex>[1-478])(?P<year>\d{2})(?P<month>0[1-9]|1[0-2]|[2-9]\d)"
    r"(?P<dept>\d{2}|2[AB])(?P<rest>\d{6})(?P<key>\d{2})?$"
)
_PHONE = re.compile(
    r"(?<!\d)(?:(?:\+|00)33[\s.\-]?(?:\(0\))?[\s.\-]?[1-9]|0[1-9])(?:[\s.\-]?\d{2}){4}(?!\d)"
)
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[A-Za-z]{2,}")
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?!\d)")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})(?!\d)")
_COMPACT_DATE = re.compile(r"(?<!\d)(\d{2})(\d{2})((?:19|20)\d{2})(?!\d)")
MONTHS = (
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
)
_WORD_DATE = re.compile(
    r"(?<!\d)(\d{1,2})(?:er)?\s+(" + "|".join(MONTHS) + r")\.?\s+(\d{4})(?!\d)", re.IGNORECASE
)
_CIVILITY = re.compile(r"(?:^|[\s\-_/])(m|mr|mme|mlle|madame|monsieur|mademoiselle)(?:\.|\s)", re.I)
# "Jean DUPONT", "Dupont Jean", "Marie-Claire LEROY": a capitalised word next to an upper-case one.
_CAPITALISED = r"[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?"
_UPPER = r"[A-ZÀ-Ý]{2,}(?:-[A-ZÀ-Ý]{2,})?"
_FIRST_LAST = re.compile(
    rf"(?<![\wÀ-ÿ])(?:{_CAPITALISED}\s+{_UPPER}|{_UPPER}\s+{_CAPITALISED})(?![\wÀ-ÿ])"
)
_WORDS = re.compile(r"[A-Za-zÀ-ÿ]+(?:-[A-Za-zÀ-ÿ]+)*")
# Upper-case words a reference commonly carries (acronyms), never a surname here.
ACRONYMS = frozenset(
    {"MT", "ALD", "CPAM", "AME", "CSS", "C2S", "CMU", "SAS", "CPTS", "REF", "DEM", "MSP", "EHPAD"}
)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _name_file(path: Path) -> frozenset[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(_plain(line.strip()) for line in lines if line.strip() and line[0] != "#")


@cache
def first_names() -> frozenset[str]:
    """Common French first names, accent-free and lower-case (one a line in the data file)."""
    return _name_file(FIRST_NAMES_PATH)


@cache
def surnames() -> frozenset[str]:
    """The most common French surnames, accent-free and lower-case: a surname typed alone
    ("DUPONT", "Durand") has no first name or "Prénom NOM" shape to give it away."""
    return _name_file(SURNAMES_PATH)


def nir_key_valid(digits: str) -> bool:
    """The NIR's key: 97 minus the 13-digit number modulo 97 (2A → 19, 2B → 18)."""
    number = digits[:13].upper()
    if number[5:7] == "2A":
        number = number[:5] + "19" + number[7:]
    elif number[5:7] == "2B":
        number = number[:5] + "18" + number[7:]
    if not number.isdigit() or len(digits) != 15:
        return False
    return 97 - int(number) % 97 == int(digits[13:])


def looks_like_nir(compact: str) -> bool:
    """13 characters shaped as a NIR, or 15 whose last two are its valid key."""
    match = _NIR.match(compact.upper())
    if match is None:
        return False
    if match.group("key") is None:
        return True
    return nir_key_valid(compact.upper())


def _plausible_birth(day: int, month: int, year: int) -> bool:
    if year < 100:
        year += 1900 if year > datetime.date.today().year % 100 else 2000
    try:
        born = datetime.date(year, month, day)
    except ValueError:
        return False
    return datetime.date(1900, 1, 1) <= born <= datetime.date.today()


def _has_birth_date(text: str) -> bool:
    for match in _NUMERIC_DATE.finditer(text):
        if _plausible_birth(int(match[1]), int(match[2]), int(match[3])):
            return True
    for match in _ISO_DATE.finditer(text):
        if _plausible_birth(int(match[3]), int(match[2]), int(match[1])):
            return True
    for match in _COMPACT_DATE.finditer(text):
        if _plausible_birth(int(match[1]), int(match[2]), int(match[3])):
            return True
    for match in _WORD_DATE.finditer(_plain(text)):
        month = MONTHS.index(match[2].lower()) + 1
        if _plausible_birth(int(match[1]), month, int(match[3])):
            return True
    return False


def _has_name(text: str) -> str:
    """The word that looks like a person's name, or ""."""
    names = first_names() | surnames()
    for word in _WORDS.findall(text):
        parts = [_plain(part) for part in word.split("-")]
        if parts[0] in ("saint", "sainte"):  # a commune's name, not a person's
            continue
        if _plain(word) in names or any(part in names for part in parts if len(part) > 2):
            return word
    for match in _FIRST_LAST.finditer(text):
        upper = [w for w in match[0].split() if w.isupper()]
        if not all(w in ACRONYMS for w in upper):
            return match[0]
    return ""


def identifier_problem(text: str) -> str:
    """Why ``text`` looks like it identifies a person (French), or "" when it does not."""
    if not text:
        return ""
    compact = _DIGIT_SEPARATOR.sub("", text.upper())
    for candidate in _NIR_CANDIDATE.findall(compact):
        if looks_like_nir(candidate):
            return _(
                "Cette référence ressemble à un numéro de sécurité sociale (NIR) : ne saisissez "
                "jamais l'identité d'un patient."
            )
    if _EMAIL.search(text):
        return _(
            "Cette référence contient une adresse e-mail : choisissez une référence pseudonyme."
        )
    if _PHONE.search(text):
        return _(
            "Cette référence contient un numéro de téléphone : choisissez une référence pseudonyme."
        )
    if _has_birth_date(text):
        return _(
            "Cette référence contient une date qui pourrait être une date de naissance : "
            "choisissez une référence sans date de naissance."
        )
    if any(len(run) >= 11 for run in re.findall(r"\d+", compact)):
        return _(
            "Cette référence contient une longue suite de chiffres qui ressemble à un "
            "identifiant (sécurité sociale, RPPS…) : choisissez une référence courte."
        )
    if _CIVILITY.search(f" {text} "):
        return _(
            "Cette référence contient une civilité (M., Mme…) : ne saisissez jamais le nom "
            "d'un patient."
        )
    name = _has_name(text)
    if name:
        return _(
            "« %(word)s » ressemble à un nom ou à un prénom : la référence doit être "
            "pseudonyme (ex. MT-2026-0042), jamais le nom du patient."
        ) % {"word": name}
    return ""
