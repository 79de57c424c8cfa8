"""The dashboard's claims block: the indemnity and expense claims waiting at each step of the
workflow (to validate, to approve, approved and not yet in a payment batch), with their
amounts (claims.selectors.pending_counts, never recomputed here). Each step links to the page
where the work is done when the reader may open it, and a linked figure is what that page
lists for the reader: « À valider » counts the reader's validation queue (a référent's
groups only, never their own claims; claims.selectors.validation_scope), « À payer » links
the treasury to the new batch page that lists those claims. One query."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from claims.selectors import pending_counts
from cpts.charts import format_euros
from cpts.permissions import user_can


@dataclass(frozen=True)
class PendingStep:
    key: str  # "validate", "approve", "pay": the block's test ids
    label: str | Promise
    count: int
    amount: Decimal
    url_name: str  # the page where the step is worked (claims/views/)
    link_text: str | Promise
    linked: bool  # may the reader open that page

    @property
    def amount_display(self) -> str:
        """ "1 234,56 €" """
        return format_euros(self.amount)

    @property
    def count_text(self) -> str:
        if self.key == "validate":
            text = ngettext(
                "%(count)s demande soumise, en attente de validation",
                "%(count)s demandes soumises, en attente de validation",
                self.count,
            )
        elif self.key == "approve":
            text = ngettext(
                "%(count)s demande validée, en attente d'approbation",
                "%(count)s demandes validées, en attente d'approbation",
                self.count,
            )
        else:
            text = ngettext(
                "%(count)s demande approuvée, hors lot de paiement",
                "%(count)s demandes approuvées, hors lot de paiement",
                self.count,
            )
        return text % {"count": self.count}


@dataclass(frozen=True)
class ClaimsBlock:
    steps: list[PendingStep]

    @property
    def empty(self) -> bool:
        return not any(step.count for step in self.steps)


def claims_block(
    *, can_validate: bool, can_approve: bool, can_see_batches: bool, user: Any = None
) -> ClaimsBlock:
    """One query. The flags say which page the reader may open (the permissions the
    validation queue, the approval queue and the new batch page or the batch list check);
    ``user``, the reader, scopes « À valider » to their validation queue when they have one
    (without it, or for a reader who validates nothing, every submitted claim)."""
    counts = pending_counts(user if can_validate else None)
    scoped = user is not None and can_validate and not user_can(user, "claims.validate")
    return ClaimsBlock(
        steps=[
            PendingStep(
                key="validate",
                label=_("À valider dans vos groupes") if scoped else _("À valider"),
                count=counts["submitted"],
                amount=counts["submitted_amount"],
                url_name="validation_queue",
                link_text=_("→ la file de validation"),
                linked=can_validate,
            ),
            PendingStep(
                key="approve",
                label=_("À approuver"),
                count=counts["validated"],
                amount=counts["validated_amount"],
                url_name="approval_queue",
                link_text=_("→ la file d'approbation"),
                linked=can_approve,
            ),
            PendingStep(
                key="pay",
                label=_("À payer"),
                count=counts["approved"],
                amount=counts["approved_amount"],
                url_name="batch_create" if can_approve else "batch_list",
                link_text=_("→ préparer un lot de paiement")
                if can_approve
                else _("→ les lots de paiement"),
                linked=can_approve or can_see_batches,
            ),
        ]
    )
