"""Values and YAML reading of the contract annex file (missions.annex): French numbers
("66,26", "9 000 €") to Decimals, booleans, dates and bounded text, and a YAML loader that
keeps numbers and dates as text and refuses aliases and duplicate keys. The error types of the
annex live here too, so both modules raise the same ones."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import yaml
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_DIGITS_BEFORE_POINT = 10
_SPACES = re.compile(r"[\s\u00a0\u202f']")
_NUMBER = re.compile(r"^[-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$")


@dataclass(frozen=True)
class AnnexError:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class AnnexInvalid(Exception):
    """The file is refused; ``errors`` lists every problem found."""

    def __init__(self, errors: list[AnnexError]) -> None:
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors


# --- Values ----------------------------------------------------------------------------------


class ValueProblem(ValueError):
    """A value of the wrong type or shape (its message is French)."""


def to_decimal(data: Any, places: int) -> Decimal:
    """A number written as a YAML number or as French text ("66,26", "9 000", "9 000 €")."""
    if isinstance(data, bool) or not isinstance(data, (int, float, str, Decimal)):
        raise ValueProblem(_("Un nombre est attendu ici."))
    text = _SPACES.sub("", str(data)).removesuffix("€").removesuffix("%")
    if not _NUMBER.match(text):
        raise ValueProblem(
            _("« %(value)s » n'est pas un nombre (exemples : 9000, 9 000, 66,26).")
            % {"value": data}
        )
    value = Decimal(text.replace(",", "."))
    if places == 0 and value != value.to_integral_value():
        raise ValueProblem(_("Un nombre entier est attendu ici."))
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise ValueProblem(_("Au plus %(places)s chiffres après la virgule.") % {"places": places})
    if abs(value) >= Decimal(10) ** MAX_DIGITS_BEFORE_POINT:
        raise ValueProblem(_("Nombre trop grand."))
    return value


def to_bool(data: Any) -> bool:
    if isinstance(data, bool):
        return data
    if isinstance(data, str) and data.strip().lower() in ("oui", "non"):
        return data.strip().lower() == "oui"
    raise ValueProblem(_("true ou false est attendu ici."))


def to_date(data: Any) -> date:
    """A date written 2025-03-01 or 01/03/2025."""
    if isinstance(data, date) and not isinstance(data, datetime):
        return data
    text = str(data).strip() if isinstance(data, str) else ""
    for layout in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, layout).date()
        except ValueError:
            continue
    raise ValueProblem(
        _("« %(value)s » n'est pas une date valide (AAAA-MM-JJ ou JJ/MM/AAAA).") % {"value": data}
    )


def to_text(data: Any, limit: int) -> str:
    if not isinstance(data, str):
        raise ValueProblem(_("Un texte est attendu ici (mettez-le entre guillemets)."))
    text = " ".join(data.split())
    if not text:
        raise ValueProblem(_("Texte obligatoire."))
    if len(text) > limit:
        raise ValueProblem(_("Au plus %(limit)s caractères.") % {"limit": limit})
    return text


def format_number(value: Decimal) -> str:
    """``Decimal("9000.00")`` → ``9000``, ``Decimal("66.2600")`` → ``66.26``."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


# --- Reading ---------------------------------------------------------------------------------


class _OwnComposerError(yaml.composer.ComposerError):
    """A composing problem this module words itself (in French)."""


class _OwnConstructorError(yaml.constructor.ConstructorError):
    """A constructing problem this module words itself (in French)."""


# PyYAML's English problems (matched on their start) → what a person should fix.
_YAML_PROBLEMS: tuple[tuple[str, Any], ...] = (
    (
        "expected <block end>",
        gettext_lazy(
            "l'indentation ne correspond pas à celle des lignes précédentes (alignez la clé "
            "avec ses voisines, avec des espaces)"
        ),
    ),
    (
        "mapping values are not allowed here",
        gettext_lazy(
            "deux-points inattendu : une clé est mal indentée, ou une valeur contenant « : » "
            "doit être mise entre guillemets"
        ),
    ),
    (
        "could not find expected ':'",
        gettext_lazy(
            "il manque le deux-points « : » après une clé (ou une ligne est mal indentée)"
        ),
    ),
    (
        "found character '\\t'",
        gettext_lazy("une tabulation sert d'indentation : n'indentez qu'avec des espaces"),
    ),
    (
        "found unexpected end of stream",
        gettext_lazy("des guillemets ouverts ne sont jamais fermés"),
    ),
    (
        "found unknown escape character",
        gettext_lazy("barre oblique inverse « \\ » inconnue entre guillemets doubles : doublez-la"),
    ),
    ("expected ',' or ']'", gettext_lazy("un crochet « [ » n'est pas refermé par « ] »")),
    ("expected ',' or '}'", gettext_lazy("une accolade « { » n'est pas refermée par « } »")),
    (
        "could not determine a constructor for the tag",
        gettext_lazy("les étiquettes YAML (!!…) ne sont pas acceptées"),
    ),
    (
        "found character",
        gettext_lazy(
            "caractère interdit en début de valeur (@, `…) : mettez la valeur entre guillemets"
        ),
    ),
    ("unacceptable character", gettext_lazy("le fichier contient un caractère spécial interdit")),
)


def _french_problem(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None) or str(error)
    if isinstance(error, (_OwnComposerError, _OwnConstructorError)):
        return str(problem)
    for start, french in _YAML_PROBLEMS:
        if str(problem).startswith(start):
            return str(french)
    return _("structure YAML incorrecte (indentation, deux-points ou guillemets)")


class _Loader(yaml.SafeLoader):
    """Only true/false and null are typed implicitly: numbers and dates stay text, read by
    this module ("010" is not octal, "1:30" not sexagesimal, a bad date gets its path)."""

    yaml_implicit_resolvers: dict[Any, Any] = {}

    def compose_node(self, parent: Any, index: Any) -> Any:
        # Aliases (*name) are refused: an annex never needs them, and nested ones can make a
        # small file expand enormously.
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _OwnComposerError(
                None, None, _("les alias YAML (*nom) ne sont pas acceptés"), event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise _OwnConstructorError(
                    None, None, _("clé « %(key)s » en double") % {"key": key}, key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


def load_yaml(content: bytes | str) -> Any:
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise AnnexInvalid(
                [AnnexError("", _("Le fichier doit être un texte encodé en UTF-8."))]
            ) from error
    try:
        return yaml.load(content, Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = _french_problem(error)
        if mark is not None:
            message = _("Le fichier n'est pas un YAML valide (%(where)s) : %(problem)s") % {
                "where": _("ligne %(line)s, colonne %(column)s")
                % {"line": mark.line + 1, "column": mark.column + 1},
                "problem": problem,
            }
        else:
            message = _("Le fichier n'est pas un YAML valide : %(problem)s") % {"problem": problem}
        raise AnnexInvalid([AnnexError("", message)]) from error
