"""The emails of the claims (switchable category ``claims``): a refusal with its reason, a
payment, the January statement."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from claims.common import euros
from claims.models import Claim, PaymentBatch


def claim_label(claim: Claim) -> str:
    if claim.activity_kind:
        return f"{claim.get_nature_display()} — {claim.get_activity_kind_display()}"
    return str(claim.get_nature_display())


def notify_refused(claim: Claim, by: Any) -> None:
    from members.services.emails import send_member_email

    send_member_email(
        claim.member,
        kind=f"claim_refused_{claim.pk}",
        category="claims",
        subject=_("Votre demande d'indemnisation n'a pas été retenue"),
        template="emails/claims/refused",
        context={"claim": claim, "amount": euros(claim.amount)},
        sent_by=by,
    )


def notify_paid(batch: PaymentBatch, claims: list[Claim], by: Any) -> None:
    from members.services.emails import send_member_email

    per_member: dict[int, list[Claim]] = defaultdict(list)
    for claim in claims:
        per_member[claim.member_id].append(claim)
    for rows in per_member.values():
        total = sum((claim.amount for claim in rows), Decimal("0"))
        send_member_email(
            rows[0].member,
            kind=f"claims_paid_{batch.pk}",
            category="claims",
            subject=_("Vos indemnités et remboursements sont mis en paiement"),
            template="emails/claims/paid",
            context={
                "batch": batch,
                "count": len(rows),
                "total": euros(total),
                "lines": [
                    {"date": c.date, "label": claim_label(c), "amount": euros(c.amount)}
                    for c in rows
                ],
            },
            sent_by=by,
        )
