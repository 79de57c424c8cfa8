"""The association running this deployment (one record) and its territory."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cpts.models.base import TimeStampedModel
from cpts.models.territory import Commune
from cpts.validators import validate_bic, validate_finess, validate_iban, validate_siret


class AssociationManager(models.Manager["Association"]):
    def get_solo(self) -> Association:
        """The single association record, created empty on first use."""
        obj, _created = self.get_or_create(pk=Association.SINGLETON_PK)
        return obj


class Association(TimeStampedModel):
    SINGLETON_PK = 1

    name = models.CharField(_("nom de la CPTS"), max_length=200, default="CPTS")
    short_name = models.CharField(_("nom court"), max_length=60, blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    finess_juridique = models.CharField(
        _("FINESS juridique"), max_length=9, blank=True, validators=[validate_finess]
    )
    finess_geographique = models.CharField(
        _("FINESS géographique"), max_length=9, blank=True, validators=[validate_finess]
    )
    address = models.TextField(_("adresse"), blank=True)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    city = models.CharField(_("ville"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail de contact"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    website = models.URLField(_("site internet"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="association/", blank=True)
    # How members pay their fee, shown on the portal to those who are not up to date.
    payment_iban = models.CharField(
        _("IBAN pour les virements"), max_length=34, blank=True, validators=[validate_iban]
    )
    payment_bic = models.CharField(_("BIC"), max_length=11, blank=True, validators=[validate_bic])
    payment_cheque_order = models.CharField(_("ordre des chèques"), max_length=200, blank=True)
    payment_url = models.URLField(_("lien de paiement en ligne"), blank=True)
    payment_instructions = models.TextField(
        _("instructions de paiement"),
        blank=True,
        help_text=_("Par exemple : indiquez votre nom et l'année dans le libellé du virement."),
    )
    communes: models.ManyToManyField[Commune, TerritoryCommune] = models.ManyToManyField(
        Commune, through="TerritoryCommune", related_name="associations", blank=True
    )

    objects: ClassVar[AssociationManager] = AssociationManager()

    class Meta:
        verbose_name = _("association")
        verbose_name_plural = _("association")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="association_singleton"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.siret and not self.siret.isdigit():
            raise ValidationError({"siret": _("Le SIRET ne contient que des chiffres.")})

    @property
    def has_payment_instructions(self) -> bool:
        return bool(
            self.payment_iban
            or self.payment_cheque_order
            or self.payment_url
            or self.payment_instructions
        )

    @property
    def payment_iban_display(self) -> str:
        """The IBAN in groups of four characters, as printed on a RIB."""
        iban = self.payment_iban
        return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


class TerritoryCommune(TimeStampedModel):
    """A commune of the CPTS's territory (through table, audited on add and remove)."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="territory_links"
    )
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="territory_links")

    class Meta:
        verbose_name = _("commune du territoire")
        verbose_name_plural = _("communes du territoire")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "commune"], name="territory_commune_unique"
            ),
        ]

    def __str__(self) -> str:
        return str(self.commune)
