"""Bodies (AG, CA, Bureau, working groups) and the mandates members hold in them."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cpts.models import TimeStampedModel


class BodyKind(models.TextChoices):
    AG = "ag", _("Assemblée générale")
    CA = "ca", _("Conseil d'administration")
    BUREAU = "bureau", _("Bureau")
    GROUP = "group", _("Groupe de travail / commission")


# Only one AG, one CA and one Bureau per association.
SINGLE_KINDS = (BodyKind.AG, BodyKind.CA, BodyKind.BUREAU)


class Body(TimeStampedModel):
    kind = models.CharField(_("type d'instance"), max_length=8, choices=BodyKind.choices)
    name = models.CharField(_("nom"), max_length=150, unique=True)
    theme = models.CharField(_("thème"), max_length=150, blank=True)
    description = models.TextField(_("description"), blank=True)
    open_to_join = models.BooleanField(
        _("ouvert à l'inscription libre"),
        default=False,
        help_text=_("Les adhérents peuvent rejoindre ou quitter ce groupe en un clic."),
    )
    archived_on = models.DateField(_("archivé le"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("instance")
        verbose_name_plural = _("instances")
        ordering = ("position", "name")
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind__in=SINGLE_KINDS), name="body_single_kind"
            ),
            models.CheckConstraint(
                condition=Q(kind=BodyKind.GROUP) | Q(open_to_join=False),
                name="body_only_groups_open",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_group(self) -> bool:
        return self.kind == BodyKind.GROUP


class MandateRole(models.TextChoices):
    PRESIDENT = "president", _("Président·e")
    VICE_PRESIDENT = "vice_president", _("Vice-président·e")
    TRESORIER = "tresorier", _("Trésorier·e")
    SECRETAIRE = "secretaire", _("Secrétaire")
    ADMINISTRATEUR = "administrateur", _("Administrateur·rice")
    REFERENT = "referent", _("Référent·e")
    MEMBRE = "membre", _("Membre")


# Roles one person at a time may hold in a body.
UNIQUE_ROLES = (
    MandateRole.PRESIDENT,
    MandateRole.VICE_PRESIDENT,
    MandateRole.TRESORIER,
    MandateRole.SECRETAIRE,
)


class MandateQuerySet(models.QuerySet["Mandate"]):
    def active_on(self, day: datetime.date) -> MandateQuerySet:
        """Mandates running on ``day`` (the end date is the last day of the mandate)."""
        return self.filter(Q(start_date__lte=day), Q(end_date__isnull=True) | Q(end_date__gte=day))


class Mandate(TimeStampedModel):
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="mandates",
        verbose_name=_("membre"),
    )
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="mandates", verbose_name=_("instance")
    )
    role = models.CharField(_("fonction"), max_length=16, choices=MandateRole.choices)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"), null=True, blank=True)
    college = models.ForeignKey(
        "members.College",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mandates",
        verbose_name=_("collège représenté"),
    )
    elected_at = models.ForeignKey(
        "governance.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="elected_mandates",
        verbose_name=_("élu·e lors de la réunion"),
    )
    notes = models.CharField(_("remarque"), max_length=255, blank=True)

    objects = MandateQuerySet.as_manager()

    class Meta:
        verbose_name = _("mandat")
        verbose_name_plural = _("mandats")
        ordering = ("body__position", "body__name", "-start_date", "pk")
        indexes = [models.Index(fields=["start_date", "end_date"], name="mandate_dates_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="mandate_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.get_role_display()} ({self.body})"

    def is_active_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)
