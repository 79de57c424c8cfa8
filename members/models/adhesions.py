"""Adhesions (a member for a calendar year), the fee rules that set what is due, and the
payments and refunds recorded against an adhesion. "À jour de cotisation" is computed
(members.selectors), never stored."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cpts.models import TimeStampedModel
from members.models.members import Member
from members.models.reference import College, MemberKind

_YEAR = [MinValueValidator(2000), MaxValueValidator(2100)]


class FeeRule(TimeStampedModel):
    """What a member owes for a year: the most specific rule wins (collège, then member
    kind, then the year's default rule with neither)."""

    year = models.PositiveSmallIntegerField(_("année"), validators=_YEAR)
    college = models.ForeignKey(
        College,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="fee_rules",
        verbose_name=_("collège"),
    )
    member_kind = models.CharField(
        _("type de membre"), max_length=16, choices=MemberKind.choices, blank=True
    )
    amount = models.DecimalField(
        _("montant"), max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )

    class Meta:
        verbose_name = _("barème de cotisation")
        verbose_name_plural = _("barèmes de cotisation")
        ordering = ("-year", "college__name", "member_kind")
        constraints = [
            # A rule targets a collège, or a member kind, or neither (the year's default).
            models.CheckConstraint(
                condition=Q(college__isnull=True) | Q(member_kind=""),
                name="fee_rule_one_target",
            ),
            models.UniqueConstraint(
                fields=["year", "college"],
                condition=Q(college__isnull=False),
                name="fee_rule_unique_college",
            ),
            models.UniqueConstraint(
                fields=["year", "member_kind"],
                condition=Q(college__isnull=True),
                name="fee_rule_unique_kind",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="fee_rule_amount_positive"),
        ]

    def __str__(self) -> str:
        target = self.college or self.get_member_kind_display() or _("tous les membres")
        return f"{self.year} — {target} : {self.amount} €"


class Adhesion(TimeStampedModel):
    """A member's adhesion for a calendar year, with the fee due frozen when it was created."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="adhesions")
    year = models.PositiveSmallIntegerField(_("année"), validators=_YEAR)
    fee_due = models.DecimalField(
        _("cotisation due"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    started_on = models.DateField(_("date d'adhésion"))

    class Meta:
        verbose_name = _("adhésion")
        verbose_name_plural = _("adhésions")
        ordering = ("-year",)
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="adhesion_one_per_year"),
            models.CheckConstraint(condition=Q(fee_due__gte=0), name="adhesion_fee_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.year}"


class PaymentMethod(models.TextChoices):
    VIREMENT = "virement", _("Virement")
    CHEQUE = "cheque", _("Chèque")
    ESPECES = "especes", _("Espèces")
    CARTE = "carte", _("Carte / HelloAsso")
    EXONERATION = "exoneration", _("Exonération")


class PaymentKind(models.TextChoices):
    PAYMENT = "payment", _("Paiement")
    REFUND = "refund", _("Remboursement")


class Payment(TimeStampedModel):
    """Money received for (or refunded from) an adhesion. Amounts are positive; a refund
    is a row of kind ``refund``. An exonération settles the fee without money."""

    adhesion = models.ForeignKey(Adhesion, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(
        _("nature"), max_length=16, choices=PaymentKind.choices, default=PaymentKind.PAYMENT
    )
    paid_on = models.DateField(_("date"))
    amount = models.DecimalField(_("montant"), max_digits=8, decimal_places=2)
    method = models.CharField(_("moyen de paiement"), max_length=16, choices=PaymentMethod.choices)
    reference = models.CharField(_("référence"), max_length=120, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enregistré par"),
    )

    class Meta:
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        ordering = ("-paid_on", "-pk")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=~Q(method=PaymentMethod.EXONERATION) | Q(kind=PaymentKind.PAYMENT),
                name="payment_exoneration_is_not_a_refund",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} € — {self.adhesion}"
