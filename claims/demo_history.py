"""Who did what, and when, in the claims demo (``claims.demo``).

The demo's two years of claims span a change of treasurer (governance's demo: the treasurer
elected at the first AG resigns, the demo treasurer is co-opted in their seat), so each
approval, payment batch and closing is the act of whoever held the treasurer role that day
(``Treasurers``, read from the mandates through ``governance.roles``). A former treasurer
with no account gets one (no password: a password reset opens it), linked to their member
record, since the claims name the account that decided.

The paid history is bulk-created; ``paid_history`` writes the audit entries the services
would have left on each claim (declared, validated, approved, paid: the same field changes
through django-auditlog's own diff, the same actors, dated when it happened), in bulk too.
``reattribute`` moves the decisions the services recorded under today's treasurer to the
treasurer of their day, as ``claims.demo`` moves their moments back."""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from claims.demo_plan import Moments, at
from claims.models import Claim, ClaimStatus
from cpts.models import User
from cpts.roles import Role


def _treasurer_match() -> Q:
    from governance.roles import MANDATE_ROLES

    match = Q(pk__in=[])
    for (kind, role), granted in MANDATE_ROLES.items():
        if granted == Role.TRESORIER:
            match |= Q(body__kind=kind, role=role)
    return match


def treasurer_member_ids() -> set[int]:
    """Every member who held the treasurer role (the demo never has them claim: nobody
    else could approve their claims, and they may not)."""
    from governance.models import Mandate

    return set(Mandate.objects.filter(_treasurer_match()).values_list("member_id", flat=True))


def _account_for(member: Any) -> User:
    """The account of a former officer who had none: verified address, no password."""
    from cpts.services.accounts import create_account

    user = User.objects.filter(email__iexact=member.email).first()
    if user is None:
        user = create_account(
            member.email, None, first_name=member.first_name, last_name=member.last_name
        )
    # Linked like the demo accounts (members/demo.py): a bulk demo row, without an audit entry.
    type(member).objects.filter(pk=member.pk, user__isnull=True).update(user=user)
    member.user = user
    return user


class Treasurers:
    """The treasurer of each day, from the running mandates granting the role (a term runs
    from its start through its end date inclusive, as ``governance.roles`` reads it)."""

    def __init__(self, fallback: User, *, since: datetime.date) -> None:
        from governance.models import Mandate

        self.fallback = fallback
        self.terms: list[tuple[datetime.date, datetime.date | None, User]] = []
        self.new_accounts: list[str] = []  # the emails of the accounts created here
        mandates = (
            Mandate.objects.filter(_treasurer_match(), member__status="active")
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=since))
            .select_related("member__user")
            .order_by("start_date", "pk")
        )
        for mandate in mandates:
            user = mandate.member.user
            if user is None:
                user = _account_for(mandate.member)
                self.new_accounts.append(user.email)
            self.terms.append((mandate.start_date, mandate.end_date, user))

    def on(self, day: datetime.date) -> User:
        """The treasurer on ``day`` (the latest term started; today's treasurer when the
        mandates leave the day uncovered)."""
        for start, end, user in reversed(self.terms):
            if start <= day and (end is None or day <= end):
                return user
        return self.fallback

    def at(self, moment: datetime.datetime) -> User:
        return self.on(timezone.localdate(moment))


def _state(claim: Claim, **values: Any) -> Claim:
    state = copy.copy(claim)
    for name, value in values.items():
        setattr(state, name, value)
    return state


def _entry(claim: Claim, action: int, changes: dict[str, Any], actor: User | None, when: Any):
    return LogEntry(
        content_type=ContentType.objects.get_for_model(Claim),
        object_pk=str(claim.pk),
        object_id=claim.pk,
        object_repr=str(claim),
        action=action,
        changes=changes,
        actor=actor,
        actor_email=actor.email if actor is not None else None,
        timestamp=when,
    )


# The fields each step of the workflow changes (the diff of a full save finds only them;
# naming them keeps the diff of four hundred claims fast).
VALIDATED = ["status", "validated_by", "validated_at"]
APPROVED = ["status", "approved_by", "approved_at"]
PAID = ["status", "batch"]  # create_batch saves these (and updated_at, not audited)


def paid_history(rows: Sequence[Claim], stamps: Sequence[Moments]) -> int:
    """The audit entries of the bulk-created paid claims, as the services write them:
    the declaration (``declare_time`` / ``declare_expense``), the validation, the approval
    and the payment in a batch (``create_batch`` saves status and batch only). Returns the
    number of entries written (four a claim)."""
    entries: list[LogEntry] = []
    update = LogEntry.Action.UPDATE
    for claim, when in zip(rows, stamps, strict=True):
        batch = claim.batch
        assert batch is not None and when.validated is not None and when.decided is not None
        approved = _state(claim, status=ClaimStatus.APPROVED, batch_id=None)
        approved._state.fields_cache.pop("batch", None)
        validated = _state(approved, status=ClaimStatus.VALIDATED, approved_by_id=None)
        validated.approved_at = None
        submitted = _state(validated, status=ClaimStatus.SUBMITTED, validated_by_id=None)
        submitted.validated_at = None
        steps: list[tuple[int, Any, Claim | None, Claim, User | None, Any]] = [
            (LogEntry.Action.CREATE, None, None, submitted, claim.submitted_by, when.declared),
            (update, VALIDATED, submitted, validated, claim.validated_by, when.validated),
            (update, APPROVED, validated, approved, claim.approved_by, when.decided),
            (update, PAID, approved, claim, batch.created_by, at(batch.paid_on, 9)),
        ]
        for action, fields, old, new, actor, moment in steps:
            changes = model_instance_diff(old, new, fields_to_check=fields)
            entries.append(_entry(new, action, changes or {}, actor, moment))
    LogEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)


def reattribute(claims: Iterable[Claim], treasurers: Treasurers, current: User) -> None:
    """Give the approvals and the treasury's refusals the services recorded under today's
    treasurer (``current``) to the treasurer of their (backdated) day: the claim's field
    and its audit entry's actor and change."""
    moved: dict[int, tuple[str, User]] = {}
    for claim in claims:
        for name, moment_name in (("approved_by", "approved_at"), ("refused_by", "refused_at")):
            moment = getattr(claim, moment_name)
            if getattr(claim, f"{name}_id") != current.pk or moment is None:
                continue
            holder = treasurers.at(moment)
            if holder.pk != current.pk:
                Claim.objects.filter(pk=claim.pk).update(**{name: holder})
                moved[claim.pk] = (name, holder)
    if not moved:
        return
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Claim),
        object_id__in=list(moved),
        actor=current,
    )
    for entry in entries.only("pk", "object_id", "changes"):
        name, holder = moved[int(entry.object_id or 0)]
        changes = dict(entry.changes or {})
        if name not in changes:
            continue
        changes[name] = [changes[name][0], str(holder.pk)]
        LogEntry.objects.filter(pk=entry.pk).update(
            actor=holder, actor_email=holder.email, changes=changes
        )
