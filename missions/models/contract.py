"""The ACI contract, its five years, the missions it chose and their yearly envelopes, and
the payments received."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cpts.models import TimeStampedModel
from missions.models.catalogue import Mission

CONTRACT_YEARS = 5


class Taille(models.TextChoices):
    T1 = "T1", _("Taille 1")
    T2 = "T2", _("Taille 2")
    T3 = "T3", _("Taille 3")
    T4 = "T4", _("Taille 4")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("En préparation")
    SIGNED = "signed", _("Signé")
    ENDED = "ended", _("Terminé")


class Contract(TimeStampedModel):
    signed_on = models.DateField(_("date de signature"))
    cpam = models.CharField(_("CPAM"), max_length=200)
    ars = models.CharField(_("ARS"), max_length=200)
    taille = models.CharField(
        _("taille à la signature"),
        max_length=2,
        choices=Taille.choices,
        help_text=_("Reprise de la population du territoire au moment de la signature."),
    )
    population = models.PositiveIntegerField(_("population à la signature"), default=0)
    status = models.CharField(
        _("statut"), max_length=16, choices=ContractStatus.choices, default=ContractStatus.SIGNED
    )
    reference = models.CharField(_("référence"), max_length=100, blank=True)
    notes = models.TextField(_("remarques"), blank=True)

    class Meta:
        verbose_name = _("contrat ACI")
        verbose_name_plural = _("contrats ACI")
        ordering = ("-signed_on", "pk")

    def __str__(self) -> str:
        return str(
            _("Contrat ACI signé le %(date)s") % {"date": self.signed_on.strftime("%d/%m/%Y")}
        )


class ContractYear(TimeStampedModel):
    """One contract year, from an anniversary (included) to the next (excluded: ``end`` is
    the day before)."""

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="years", verbose_name=_("contrat")
    )
    number = models.PositiveSmallIntegerField(_("année du contrat"))
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"))
    fonctionnement = models.DecimalField(
        _("fonctionnement (montant propre à l'année)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Vide : le montant de la taille (DESIGN ACI) s'applique."),
    )
    crisis_recognised = models.BooleanField(_("crise sanitaire reconnue par l'ARS"), default=False)
    dialogue_on = models.DateField(_("dialogue de gestion le"), null=True, blank=True)

    class Meta:
        verbose_name = _("année de contrat")
        verbose_name_plural = _("années de contrat")
        ordering = ("contract", "number")
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="contract_year_unique"),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=CONTRACT_YEARS),
                name="contract_year_number_range",
            ),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="contract_year_dates"
            ),
            models.CheckConstraint(
                condition=Q(fonctionnement__isnull=True) | Q(fonctionnement__gte=0),
                name="contract_year_fonctionnement_positive",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Année %(number)s") % {"number": self.number})


class ContractMission(TimeStampedModel):
    """A mission the contract chose, with the dates its deployment actually reached."""

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="missions", verbose_name=_("contrat")
    )
    mission = models.ForeignKey(
        Mission, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("mission")
    )
    started_on = models.DateField(_("démarrée le"), null=True, blank=True)
    deployed_on = models.DateField(_("pleinement déployée le"), null=True, blank=True)
    notes = models.TextField(_("remarques"), blank=True)

    class Meta:
        verbose_name = _("mission du contrat")
        verbose_name_plural = _("missions du contrat")
        ordering = ("contract", "mission__position")
        constraints = [
            models.UniqueConstraint(fields=["contract", "mission"], name="contract_mission_unique"),
            models.CheckConstraint(
                condition=Q(deployed_on__isnull=True)
                | (Q(started_on__isnull=False) & Q(deployed_on__gte=models.F("started_on"))),
                name="contract_mission_deployed_after_start",
            ),
        ]

    def __str__(self) -> str:
        return str(self.mission)


class MissionEnvelope(TimeStampedModel):
    """What a contract year allots to a mission: fixed and variable parts."""

    year = models.ForeignKey(
        ContractYear, on_delete=models.CASCADE, related_name="envelopes", verbose_name=_("année")
    )
    mission = models.ForeignKey(
        Mission, on_delete=models.PROTECT, related_name="envelopes", verbose_name=_("mission")
    )
    start = models.DateField(
        _("début de la mission sur l'année"),
        null=True,
        blank=True,
        help_text=_("Vide : dès le début de l'année. Sert au prorata de la part fixe."),
    )
    fixed = models.DecimalField(_("part fixe"), max_digits=12, decimal_places=2, default=0)
    variable = models.DecimalField(_("part variable"), max_digits=12, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("enveloppe de mission")
        verbose_name_plural = _("enveloppes de mission")
        ordering = ("year", "mission__position")
        constraints = [
            models.UniqueConstraint(fields=["year", "mission"], name="envelope_unique"),
            models.CheckConstraint(
                condition=Q(fixed__gte=0) & Q(variable__gte=0), name="envelope_amounts_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mission} — {self.year}"


class PaymentNature(models.TextChoices):
    FONCTIONNEMENT = "fonctionnement", _("Fonctionnement")
    FIXED = "fixe", _("Part fixe des missions")
    VARIABLE = "variable", _("Part variable des missions")
    OTHER = "autre", _("Autre versement")


class ReceivedPayment(TimeStampedModel):
    """A payment the CPAM actually made, recorded by the treasurer or the coordination."""

    year = models.ForeignKey(
        ContractYear,
        on_delete=models.CASCADE,
        related_name="received_payments",
        verbose_name=_("année de contrat"),
    )
    received_on = models.DateField(_("reçu le"))
    amount = models.DecimalField(_("montant"), max_digits=12, decimal_places=2)
    nature = models.CharField(_("nature"), max_length=16, choices=PaymentNature.choices)
    mission = models.ForeignKey(
        Mission,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_payments",
        verbose_name=_("mission"),
    )
    reference = models.CharField(_("référence du virement"), max_length=100, blank=True)
    note = models.CharField(_("remarque"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("versement reçu")
        verbose_name_plural = _("versements reçus")
        ordering = ("year", "received_on", "pk")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="received_payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.received_on:%d/%m/%Y} — {self.amount} €"
