"""Which kinds of email a member receives. Every email sent to a member belongs to a
``EmailCategory``; a member switches a category off with an ``EmailOptOut`` row. Convocations
and legal or statutory notices are mandatory: they cannot be switched off."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cpts.models import TimeStampedModel


class EmailCategory(models.TextChoices):
    CONVOCATION = "convocation", _("Convocations aux réunions et à l'assemblée générale")
    LEGAL = "legal", _("Informations légales et statutaires")
    MEETING_REMINDER = "meeting_reminder", _("Rappels la veille d'une réunion")
    FEE_REMINDER = "fee_reminder", _("Rappels de renouvellement et de cotisation")
    CLAIMS = "claims", _("Indemnisations : décisions et relevé annuel")


# The categories a member can never switch off (statutes and the law require them).
MANDATORY_CATEGORIES = frozenset({EmailCategory.CONVOCATION, EmailCategory.LEGAL})

CATEGORY_HELP = {
    EmailCategory.CONVOCATION: _(
        "Convocations, mises à jour et annulations des réunions où vous êtes convoqué·e."
    ),
    EmailCategory.LEGAL: _("Avis que les statuts ou la loi imposent d'adresser aux membres."),
    EmailCategory.MEETING_REMINDER: _(
        "Un rappel avant chaque réunion à laquelle vous êtes convoqué·e."
    ),
    EmailCategory.FEE_REMINDER: _(
        "La campagne de renouvellement et les relances tant que la cotisation n'est pas réglée."
    ),
    EmailCategory.CLAIMS: _(
        "Le refus ou le paiement de vos demandes d'indemnisation et, en janvier, votre relevé "
        "annuel des indemnités et remboursements."
    ),
}


class EmailOptOut(TimeStampedModel):
    """``member`` does not want the emails of ``category`` (never a mandatory one)."""

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.CASCADE,
        related_name="email_opt_outs",
        verbose_name=_("membre"),
    )
    category = models.CharField(_("type d'e-mail"), max_length=32, choices=EmailCategory.choices)

    class Meta:
        verbose_name = _("e-mails refusés")
        verbose_name_plural = _("e-mails refusés")
        ordering = ("member", "category")
        constraints = [
            models.UniqueConstraint(fields=["member", "category"], name="email_opt_out_unique"),
            models.CheckConstraint(
                condition=~Q(category__in=sorted(str(c) for c in MANDATORY_CATEGORIES)),
                name="email_opt_out_not_mandatory",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.get_category_display()}"
