"""Reads of the member list: the filters taken from a query string and the filtered, sorted
queryset (one SQL query for a page of rows, whatever their number)."""

from __future__ import annotations

import dataclasses
import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    When,
)
from django.db.models.functions import Lower
from django.http import QueryDict
from django.utils import timezone

from cpts.models.territory import normalize_search
from members.models import Member, PracticeSite
from members.models.members import MemberStatus
from members.models.reference import MemberKind
from members.selectors.fees import with_fee_status

FEE_UP_TO_DATE = "a_jour"
FEE_LATE = "en_retard"
FEE_CHOICES = (FEE_UP_TO_DATE, FEE_LATE)

# Sort keys of the query string → the ordering they stand for: the fields a descending sort
# reverses, then the tie-breakers that stay alphabetical.
_BY_NAME = ("sort_name", "first_name", "pk")
SORTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "nom": (("sort_name", "first_name"), ("pk",)),
    "profession": (("profession__label",), _BY_NAME),
    "commune": (("commune__name",), _BY_NAME),
    "college": (("college__position", "college__name"), _BY_NAME),
    "adhesion": (("joined_on",), _BY_NAME),
}
_FOLDED_SORTS = {"profession__label", "commune__name", "college__name"}
DEFAULT_SORT = "nom"
QUERY_MAX_LENGTH = 100
MAX_TERMS = 6

_CODE = re.compile(r"^[-a-zA-Z0-9_]{1,64}$")
_INSEE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
_DIGITS_MIN = 3  # a shorter number is too common to search identifiers with


@dataclass(frozen=True)
class MemberFilters:
    """What the member list shows: a search text, filters and a sort key (``-key`` for
    descending). Empty strings mean "no filter"."""

    q: str = ""
    profession: str = ""  # Profession.code
    college: str = ""  # College.code
    kind: str = ""  # MemberKind value
    commune: str = ""  # Commune.insee_code
    status: str = ""  # MemberStatus value
    fee: str = ""  # FEE_UP_TO_DATE or FEE_LATE
    sort: str = DEFAULT_SORT

    @classmethod
    def from_params(cls, params: QueryDict | dict[str, Any]) -> MemberFilters:
        """Filters from a query string. Tolerant: a value of the wrong shape is ignored (as if
        absent), never an error. A well-formed code that names nothing simply matches no one."""

        def text(name: str) -> str:
            value = params.get(name, "")
            return value.strip() if isinstance(value, str) else ""

        def choice(name: str, allowed: tuple[str, ...] | list[str]) -> str:
            value = text(name)
            return value if value in allowed else ""

        def code(name: str) -> str:
            value = text(name)
            return value if _CODE.match(value) else ""

        commune = text("commune").upper()
        sort = text("sort")
        if sort.removeprefix("-") not in SORTS:
            sort = DEFAULT_SORT
        return cls(
            q=" ".join(text("q").split())[:QUERY_MAX_LENGTH],
            profession=code("profession"),
            college=code("college"),
            kind=choice("kind", MemberKind.values),
            commune=commune if _INSEE.match(commune) else "",
            status=choice("status", MemberStatus.values),
            fee=choice("fee", FEE_CHOICES),
            sort=sort,
        )

    @property
    def sort_key(self) -> str:
        return self.sort.removeprefix("-")

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")

    @property
    def is_filtered(self) -> bool:
        """Whether anything but the sort narrows the list."""
        return any(
            getattr(self, field.name) for field in dataclasses.fields(self) if field.name != "sort"
        )

    def as_params(self, *, with_sort: bool = True) -> dict[str, str]:
        """The non-empty values, as query-string parameters (for links keeping the filters)."""
        params = {
            field.name: getattr(self, field.name)
            for field in dataclasses.fields(self)
            if getattr(self, field.name) and (with_sort or field.name != "sort")
        }
        if params.get("sort") == DEFAULT_SORT:
            del params["sort"]
        return params


# Letters folded to plain ASCII, and the separators ``normalize_search`` turns into spaces.
_FOLD_FROM = "àâäáãéèêëîïíôöóùûüúÿçñ-'\u2019"
_FOLD_TO = "aaaaaeeeeiiiooouuuuycn   "
# Without TRANSLATE(), SQLite gets nested REPLACE() calls, which its parser caps: the letters
# of French names (capitals too, LOWER() leaving them alone there).
_REPLACED = "éèêëàâîïôöûùüçÉÈÊÀÇ-'"
_PLAIN = dict(zip(_FOLD_FROM + "ÉÈÊÀÇ", _FOLD_TO + "eeeac", strict=True))


class Fold(Func):
    """``expression`` in lower case without accents, hyphens or apostrophes: the database
    twin of ``normalize_search`` (complete on PostgreSQL, French letters on SQLite)."""

    output_field = CharField()

    def __init__(self, expression: Any) -> None:
        super().__init__(Lower(expression))

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        params = list(params)
        for letter in _REPLACED:
            sql = f"REPLACE({sql}, %s, %s)"
            params += [letter, _PLAIN[letter]]
        return sql, params

    def as_postgresql(
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"TRANSLATE({sql}, %s, %s)", [*params, _FOLD_FROM, _FOLD_TO]


class _Names(Func):
    """``last_name first_name organisation_name`` in one string, to fold once per row (the
    three columns are NOT NULL: no COALESCE needed, which SQLite's parser depth welcomes)."""

    template = "(%(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = CharField()

    def __init__(self) -> None:
        super().__init__(F("last_name"), F("first_name"), F("organisation_name"))


def _term_q(term: str) -> Q:
    """Members matching one word of the search: name or organisation, email, RPPS (digits)
    or the commune (theirs or a practice site's); names and communes accent-insensitively."""
    condition = Q(email__icontains=term)
    normalized = normalize_search(term)
    if normalized:
        condition |= Q(names_folded__contains=normalized)
        condition |= Q(commune__search_name__contains=normalized) | Q(
            Exists(
                PracticeSite.objects.filter(
                    member=OuterRef("pk"), commune__search_name__contains=normalized
                )
            )
        )
    return condition


def _identifier_q(digits: str) -> Q:
    """Members whose RPPS, ADELI, SIRET or FINESS contains ``digits``."""
    return (
        Q(rpps__contains=digits)
        | Q(adeli__contains=digits)
        | Q(siret__contains=digits)
        | Q(finess__contains=digits)
    )


def search_q(query: str) -> Q:
    """Every word of ``query`` must match a name, an email or a commune; or the whole query is
    a number (spaces and dots allowed, as people copy them) found in an identifier."""
    condition = Q()
    for term in query.split()[:MAX_TERMS]:
        condition &= _term_q(term)
    digits = re.sub(r"[\s.]", "", query)
    if len(digits) >= _DIGITS_MIN and re.fullmatch(r"[0-9]+", digits):
        condition |= _identifier_q(digits)
    return condition


def filtered_members(filters: MemberFilters, on: datetime.date | None = None) -> QuerySet[Any]:
    """Members matching ``filters``, sorted, with their profession, collège and commune
    joined and ``is_up_to_date`` annotated for the date ``on`` (today by default)."""
    on = on or timezone.localdate()
    members = with_fee_status(
        Member.objects.select_related("profession", "college", "commune"), on
    ).annotate(
        sort_name=Fold(
            Case(
                When(kind=MemberKind.ORGANISATION, then=F("organisation_name")),
                default=F("last_name"),
            )
        )
    )
    if filters.q:
        members = members.alias(names_folded=Fold(_Names())).filter(search_q(filters.q))
    if filters.profession:
        members = members.filter(profession__code=filters.profession)
    if filters.college:
        members = members.filter(college__code=filters.college)
    if filters.kind:
        members = members.filter(kind=filters.kind)
    if filters.commune:
        members = members.filter(
            Q(commune__insee_code=filters.commune)
            | Exists(
                PracticeSite.objects.filter(
                    member=OuterRef("pk"), commune__insee_code=filters.commune
                )
            )
        )
    if filters.status:
        members = members.filter(status=filters.status)
    if filters.fee:
        members = members.filter(is_up_to_date=filters.fee == FEE_UP_TO_DATE)
    reversible, tie_breakers = SORTS[filters.sort_key]
    sorted_by = [Fold(field) if field in _FOLDED_SORTS else F(field) for field in reversible]
    ordering = [
        value.desc(nulls_last=True) if filters.descending else value.asc(nulls_last=True)
        for value in sorted_by
    ]
    return members.order_by(*ordering, *tie_breakers)
