"""The ACI mission catalogue (DESIGN.md §2), loaded by a data migration."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MissionKind(models.TextChoices):
    SOCLE = "socle", _("Socle")
    OPTIONAL = "optionnelle", _("Optionnelle")


class Mission(models.Model):
    key = models.SlugField(_("clé"), max_length=32, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=16, choices=MissionKind.choices)
    start_months = models.PositiveSmallIntegerField(
        _("démarrage au plus tard (mois après la signature)"), null=True, blank=True
    )
    deployed_months = models.PositiveSmallIntegerField(
        _("déploiement complet au plus tard (mois après la signature)"), null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ("position", "key")

    def __str__(self) -> str:
        return self.name
