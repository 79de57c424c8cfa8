"""Reference lists of the member base: professions and collèges."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cpts.models import TimeStampedModel


class ProfessionCategory(models.TextChoices):
    MEDICALE = "medicale", _("Profession médicale")
    PHARMACIE = "pharmacie", _("Pharmacie")
    AUXILIAIRE_MEDICAL = "auxiliaire_medical", _("Auxiliaire médical")
    AIDE_SOIGNANT_AMBULANCIER = "aide_soignant_ambulancier", _("Aide-soignant, ambulancier")
    SOCIAL = "social", _("Social et médico-social")
    AUTRE = "autre", _("Autre")


class IdentifierKind(models.TextChoices):
    RPPS = "RPPS", _("RPPS (11 chiffres)")
    ADELI = "ADELI", _("ADELI (9 caractères)")
    NONE = "", _("Aucun")


class Profession(models.Model):
    """A profession a member may exercise (loaded from members/data/professions.csv)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    label = models.CharField(_("libellé"), max_length=120)
    category = models.CharField(_("catégorie"), max_length=32, choices=ProfessionCategory.choices)
    is_health_profession = models.BooleanField(_("profession de santé"), default=True)
    identifier = models.CharField(
        _("identifiant national"), max_length=5, choices=IdentifierKind.choices, blank=True
    )

    class Meta:
        verbose_name = _("profession")
        verbose_name_plural = _("professions")
        ordering = ("label",)

    def __str__(self) -> str:
        return self.label


class MemberKind(models.TextChoices):
    PERSON = "personne", _("Personne")
    ORGANISATION = "structure", _("Structure")


class College(TimeStampedModel):
    """A collège of the association. Eligibility: the member kinds and profession categories
    it admits (empty = no restriction on that axis)."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_voting = models.BooleanField(
        _("délibératif"), default=True, help_text=_("Sinon, collège consultatif.")
    )
    ca_seats = models.PositiveSmallIntegerField(_("sièges au CA"), default=0)
    eligible_kinds = models.JSONField(
        _("types de membres admis"),
        default=list,
        blank=True,
        help_text=_("personne, structure ; vide : tous."),
    )
    eligible_categories = models.JSONField(
        _("catégories de professions admises"),
        default=list,
        blank=True,
        help_text=_("Pour les personnes ; vide : toutes."),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("collège")
        verbose_name_plural = _("collèges")
        ordering = ("position", "name")

    def __str__(self) -> str:
        return self.name

    def admits(self, kind: str, profession: Profession | None) -> bool:
        if self.eligible_kinds and kind not in self.eligible_kinds:
            return False
        if kind == MemberKind.PERSON and self.eligible_categories:
            return profession is not None and profession.category in self.eligible_categories
        return True
