"""The statutes settings of the association that governance rules read."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cpts.models import TimeStampedModel


class MajorityRule(models.TextChoices):
    """How a resolution is adopted (see ``governance.rules.is_adopted``)."""

    SIMPLE = "simple", _("Majorité simple des suffrages exprimés")
    ABSOLUTE = "absolute", _("Majorité absolue des membres présents ou représentés")
    TWO_THIRDS = "two_thirds", _("Majorité des deux tiers des suffrages exprimés")


class StatutesManager(models.Manager["Statutes"]):
    def get_solo(self) -> Statutes:
        obj, _created = self.get_or_create(pk=Statutes.SINGLETON_PK)
        return obj


class Statutes(TimeStampedModel):
    """One record: quorum, proxies, majorities and notice as the statutes write them. The CA
    seats per collège live on each ``College`` (``ca_seats``)."""

    SINGLETON_PK = 1

    ag_quorum_percent = models.DecimalField(
        _("quorum de l'AG (% des membres votants)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("25.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_(
            "Part des membres à jour de cotisation qui doivent être présents ou représentés."
        ),
    )
    ca_quorum_percent = models.DecimalField(
        _("quorum du CA (% des administrateurs)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("50.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    max_proxies_per_holder = models.PositiveSmallIntegerField(
        _("procurations par mandataire (maximum)"),
        default=2,
        validators=[MaxValueValidator(50)],
    )
    ag_ordinary_majority = models.CharField(
        _("majorité en AG ordinaire"),
        max_length=16,
        choices=MajorityRule.choices,
        default=MajorityRule.SIMPLE,
    )
    ag_extraordinary_majority = models.CharField(
        _("majorité en AG extraordinaire"),
        max_length=16,
        choices=MajorityRule.choices,
        default=MajorityRule.TWO_THIRDS,
    )
    board_majority = models.CharField(
        _("majorité au CA et au bureau"),
        max_length=16,
        choices=MajorityRule.choices,
        default=MajorityRule.SIMPLE,
    )
    convocation_notice_days = models.PositiveSmallIntegerField(
        _("délai de convocation de l'AG (jours)"),
        default=15,
        validators=[MaxValueValidator(365)],
    )
    second_convocation_without_quorum = models.BooleanField(
        _("seconde convocation sans quorum"),
        default=True,
        help_text=_(
            "Si le quorum n'est pas atteint, une seconde AG convoquée délibère sans condition de "
            "quorum."
        ),
    )
    second_convocation_notice_days = models.PositiveSmallIntegerField(
        _("délai de la seconde convocation (jours)"),
        default=7,
        validators=[MaxValueValidator(365)],
    )

    objects: ClassVar[StatutesManager] = StatutesManager()

    class Meta:
        verbose_name = _("statuts")
        verbose_name_plural = _("statuts")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="statutes_singleton"),
        ]

    def __str__(self) -> str:
        return str(_("Statuts"))

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)
