"""Possible duplicates in the member base: same RPPS, same email (a member's contact address
or the address of another member's account, case-insensitive), or same name and profession.

Groups are found with GROUP BY in SQL, then their members loaded in one query per criterion;
merged and anonymised members are left out (they are history, not duplicates)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Lower, Trim
from django.utils.translation import gettext_lazy as _

from members.models import Member
from members.models.reference import MemberKind

REASON_LABELS = {
    "rpps": _("même RPPS"),
    "email": _("même adresse e-mail"),
    "name": _("même nom et même profession"),
}


@dataclass(frozen=True)
class DuplicateGroup:
    reason: str  # a key of REASON_LABELS
    key: str
    members: list[Member]

    @property
    def reason_label(self) -> str:
        return str(REASON_LABELS[self.reason])


@dataclass(frozen=True)
class PossibleDuplicate:
    member: Member
    reasons: list[str]

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASON_LABELS[r]) for r in self.reasons]


def _candidates() -> QuerySet[Member]:
    return Member.objects.filter(merged_into__isnull=True, anonymised_at__isnull=True)


def _with_name_key(members: QuerySet[Member]) -> QuerySet[Any]:
    return members.filter(kind=MemberKind.PERSON, profession__isnull=False).annotate(
        last_key=Lower(Trim("last_name")), first_key=Lower(Trim("first_name"))
    )


def possible_duplicates(member: Member) -> list[PossibleDuplicate]:
    """Other members that may be the same as ``member`` (saved or not: a join request or an
    import row can be checked before it is written). One query."""
    wanted = Q()
    email = (member.email or "").strip().lower()
    account_email = member.user.email.lower() if member.user_id and member.user else ""
    if member.rpps:
        wanted |= Q(rpps=member.rpps)
    emails = {e for e in (email, account_email) if e}
    for address in emails:
        wanted |= Q(email__iexact=address) | Q(user__email__iexact=address)
    name_key = (member.last_name.strip().lower(), member.first_name.strip().lower())
    if member.kind == MemberKind.PERSON and member.profession_id and name_key[0]:
        wanted |= Q(
            kind=MemberKind.PERSON,
            # Lowered by the database on both sides (SQLite only lowers ASCII letters).
            last_key=Lower(Trim(Value(member.last_name))),
            first_key=Lower(Trim(Value(member.first_name))),
            profession_id=member.profession_id,
        )
    if not wanted:
        return []
    others = (
        _candidates()
        .annotate(last_key=Lower(Trim("last_name")), first_key=Lower(Trim("first_name")))
        .filter(wanted)
        .select_related("profession", "user", "commune")
    )
    if member.pk is not None:
        others = others.exclude(pk=member.pk)
    found = []
    for other in others.order_by("last_name", "first_name", "organisation_name", "pk")[:20]:
        reasons = []
        if member.rpps and other.rpps == member.rpps:
            reasons.append("rpps")
        other_emails = {e.lower() for e in (other.email, other.user.email if other.user else "")}
        if emails & (other_emails - {""}):
            reasons.append("email")
        if (
            member.kind == MemberKind.PERSON
            and other.profession_id == member.profession_id
            and (other.last_name.strip().lower(), other.first_name.strip().lower()) == name_key
        ):
            reasons.append("name")
        if reasons:
            found.append(PossibleDuplicate(member=other, reasons=reasons))
    return found


def _members(ids: set[int]) -> dict[int, Member]:
    members = _candidates().filter(pk__in=ids).select_related("profession", "commune", "college")
    return {m.pk: m for m in members}


def _rpps_groups() -> list[DuplicateGroup]:
    keys = (
        _candidates()
        .exclude(rpps="")
        .values("rpps")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("rpps", flat=True)
    )
    grouped: dict[str, list[Member]] = defaultdict(list)
    members = _candidates().filter(rpps__in=keys).select_related("profession", "commune")
    for member in members.order_by("rpps", "pk"):
        grouped[member.rpps].append(member)
    return [DuplicateGroup("rpps", key, items) for key, items in grouped.items()]


_EMAIL_PAIRS_SQL = """
SELECT address, member_id FROM (
    SELECT LOWER(m.email) AS address, m.id AS member_id
    FROM members_member m
    WHERE m.email <> '' AND m.merged_into_id IS NULL AND m.anonymised_at IS NULL
    UNION
    SELECT LOWER(u.email) AS address, m.id AS member_id
    FROM members_member m JOIN cpts_user u ON u.id = m.user_id
    WHERE m.merged_into_id IS NULL AND m.anonymised_at IS NULL
) addresses
WHERE address IN (
    SELECT address FROM (
        SELECT LOWER(m.email) AS address, m.id AS member_id
        FROM members_member m
        WHERE m.email <> '' AND m.merged_into_id IS NULL AND m.anonymised_at IS NULL
        UNION
        SELECT LOWER(u.email) AS address, m.id AS member_id
        FROM members_member m JOIN cpts_user u ON u.id = m.user_id
        WHERE m.merged_into_id IS NULL AND m.anonymised_at IS NULL
    ) grouped
    GROUP BY address HAVING COUNT(DISTINCT member_id) > 1
)
ORDER BY address, member_id
"""


def _email_groups() -> list[DuplicateGroup]:
    with connection.cursor() as cursor:
        cursor.execute(_EMAIL_PAIRS_SQL)
        pairs = cursor.fetchall()
    if not pairs:
        return []
    members = _members({member_id for _address, member_id in pairs})
    grouped: dict[str, list[Member]] = defaultdict(list)
    for address, member_id in pairs:
        if member_id in members:
            grouped[address].append(members[member_id])
    return [DuplicateGroup("email", key, items) for key, items in grouped.items()]


def _name_groups() -> list[DuplicateGroup]:
    twin = (
        _with_name_key(_candidates())
        .filter(
            last_key=OuterRef("last_key"),
            first_key=OuterRef("first_key"),
            profession_id=OuterRef("profession_id"),
        )
        .exclude(pk=OuterRef("pk"))
    )
    members = (
        _with_name_key(_candidates())
        .filter(Exists(twin))
        .select_related("profession", "commune")
        .order_by("last_key", "first_key", "profession_id", "pk")
    )
    grouped: dict[tuple[str, str, int], list[Member]] = defaultdict(list)
    for member in members:
        key = (member.last_key, member.first_key, member.profession_id)
        grouped[key].append(member)
    return [
        DuplicateGroup("name", f"{items[0].display_name} — {items[0].profession}", items)
        for items in grouped.values()
    ]


def duplicate_groups() -> list[DuplicateGroup]:
    """Every group of possible duplicates, by criterion (a constant number of queries)."""
    return [*_rpps_groups(), *_email_groups(), *_name_groups()]
