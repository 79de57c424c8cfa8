"""The crisis mission (« Réponse aux crises sanitaires graves »): the crisis plan as a
versioned document following the national template, crisis activations (with the ARS's
recognition), alerts to a segment of members with their delivery log, and the volunteer
rosters (sites, shifts, the professions each shift needs and the members signed up).

No patient data here: only professionals, places and times."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpts.models import Commune, TimeStampedModel
from governance.models import Body
from members.models import Member, Profession


class Situation(models.TextChoices):
    """The five situations of the national template of the CPTS crisis plan."""

    INJURED = "injured", _("Afflux de blessés")
    SEASONAL = "seasonal", _("Épidémie saisonnière, canicule, grand froid, pollution")
    EMERGING = "emerging", _("Agent infectieux émergent")
    NRBC = "nrbc", _("Risque NRBC (nucléaire, radiologique, biologique, chimique)")
    SUPPLY = "supply", _("Rupture de l'offre de soins")


# The plan's field holding each situation's section, in the template's order.
SECTION_FIELDS: dict[str, str] = {
    Situation.INJURED: "section_injured",
    Situation.SEASONAL: "section_seasonal",
    Situation.EMERGING: "section_emerging",
    Situation.NRBC: "section_nrbc",
    Situation.SUPPLY: "section_supply",
}


class PlanVersion(models.Model):
    """One version of the crisis plan. A version is never modified: an update writes the
    next number, so every earlier state stays readable with who wrote it and when."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    summary = models.CharField(_("objet de la mise à jour"), max_length=255)
    referent_sse = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("référent SSE"),
        help_text=_("Le référent « situations sanitaires exceptionnelles » de la CPTS."),
    )
    referent_sse_deputy = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suppléant du référent SSE"),
    )
    cell_place = models.CharField(_("lieu de la cellule de crise"), max_length=255)
    cell_fallback_place = models.CharField(_("lieu de repli"), max_length=255, blank=True)
    cell_activation = models.TextField(
        _("activation de la cellule de crise"),
        blank=True,
        help_text=_("Qui déclenche la cellule, comment, dans quel délai."),
    )
    # [{"role": …, "name": …, "phone": …, "alerts": …}, …] in calling order.
    contact_tree = models.JSONField(_("arbre d'appel"), default=list)
    section_injured = models.TextField(Situation.INJURED.label)
    section_seasonal = models.TextField(Situation.SEASONAL.label)
    section_emerging = models.TextField(Situation.EMERGING.label)
    section_nrbc = models.TextField(Situation.NRBC.label)
    section_supply = models.TextField(Situation.SUPPLY.label)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rédigée par"),
    )
    created_at = models.DateTimeField(_("mise à jour le"), auto_now_add=True)

    class Meta:
        verbose_name = _("version du plan de crise")
        verbose_name_plural = _("versions du plan de crise")
        ordering = ("-number",)

    def __str__(self) -> str:
        return str(_("Plan de crise, version %(number)s") % {"number": self.number})

    def sections(self) -> list[tuple[str, str, str]]:
        """(situation key, label, text) in the template's order."""
        return [
            (str(key), str(Situation(key).label), getattr(self, name))
            for key, name in SECTION_FIELDS.items()
        ]


class Activation(TimeStampedModel):
    """A crisis the CPTS is mobilised for. Its recognition by the ARS makes the crisis lines
    of the contract years it covers due (``crisis.services.activations``)."""

    title = models.CharField(_("intitulé"), max_length=200)
    situation = models.CharField(_("situation"), max_length=16, choices=Situation.choices)
    started_on = models.DateField(_("début"))
    ended_on = models.DateField(_("fin"), null=True, blank=True)
    ars_recognised = models.BooleanField(_("reconnue par l'ARS"), default=False)
    ars_recognised_on = models.DateField(_("reconnue le"), null=True, blank=True)
    ars_reference = models.CharField(
        _("référence de la reconnaissance"), max_length=100, blank=True
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("activation de crise")
        verbose_name_plural = _("activations de crise")
        ordering = ("-started_on", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="crisis_activation_dates",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class SiteKind(models.TextChoices):
    VACCINATION = "vaccination", _("Centre de vaccination")
    SCREENING = "screening", _("Centre de dépistage")
    PICKUP = "pickup", _("Point de retrait")
    OTHER = "other", _("Autre lieu")


class Site(TimeStampedModel):
    activation = models.ForeignKey(
        Activation, on_delete=models.CASCADE, related_name="sites", verbose_name=_("crise")
    )
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=16, choices=SiteKind.choices)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ("name", "pk")

    def __str__(self) -> str:
        return self.name


class Shift(TimeStampedModel):
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("site")
    )
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    # Set by the service from the two times: hours are summed in SQL on every database.
    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"), editable=False)
    changes_until = models.DateTimeField(
        _("inscriptions et désistements jusqu'au"),
        help_text=_("Après cette date, seule la coordination modifie le créneau."),
    )
    notes = models.CharField(_("consignes"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("créneau")
        verbose_name_plural = _("créneaux")
        ordering = ("starts_at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="crisis_shift_dates"
            ),
        ]
        indexes = [models.Index(fields=["starts_at"], name="crisis_shift_start")]

    def __str__(self) -> str:
        # Paris time: this text is what a claim for the shift shows as its label.
        return f"{self.site} — {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"


# A shift's needs in order: the reception (no profession) first on every database (PostgreSQL
# would sort it last), then by profession.
NEED_ORDER = (F("profession__label").asc(nulls_first=True), "pk")


class ShiftNeed(models.Model):
    """How many people of a profession a shift needs; no profession: reception (accueil),
    open to every member."""

    shift = models.ForeignKey(
        Shift, on_delete=models.CASCADE, related_name="needs", verbose_name=_("créneau")
    )
    profession = models.ForeignKey(
        Profession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("profession"),
    )
    count = models.PositiveSmallIntegerField(_("nombre"))

    class Meta:
        verbose_name = _("besoin du créneau")
        verbose_name_plural = _("besoins des créneaux")
        ordering = ("shift", *NEED_ORDER)
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1), name="crisis_need_count"),
            models.UniqueConstraint(
                fields=["shift", "profession"], name="crisis_need_unique_profession"
            ),
            models.UniqueConstraint(
                fields=["shift"],
                condition=Q(profession__isnull=True),
                name="crisis_need_unique_reception",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.count})"

    @property
    def label(self) -> str:
        return self.profession.label if self.profession else str(RECEPTION_LABEL)


RECEPTION_LABEL = _("Accueil")


class SignUp(TimeStampedModel):
    """A member signed up for one need of a shift (one sign-up per shift and member)."""

    shift = models.ForeignKey(
        Shift, on_delete=models.CASCADE, related_name="signups", verbose_name=_("créneau")
    )
    need = models.ForeignKey(
        ShiftNeed, on_delete=models.CASCADE, related_name="signups", verbose_name=_("besoin")
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="crisis_signups", verbose_name=_("membre")
    )

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ("shift", "pk")
        constraints = [
            models.UniqueConstraint(fields=["shift", "member"], name="crisis_signup_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.shift}"


class Segment(models.TextChoices):
    EVERYONE = "everyone", _("Tous les membres")
    PROFESSION = "profession", _("Une profession")
    COMMUNE = "commune", _("Une commune")
    GROUP = "group", _("Un groupe de travail")


class Alert(models.Model):
    """A message to a segment of members. Alerts are safety messages: every member of the
    segment with an email address receives them, whatever their email preferences."""

    activation = models.ForeignKey(
        Activation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("crise"),
    )
    subject = models.CharField(_("objet"), max_length=200)
    body = models.TextField(_("message"))
    segment = models.CharField(_("destinataires"), max_length=16, choices=Segment.choices)
    profession = models.ForeignKey(
        Profession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("profession"),
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    group = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("groupe de travail"),
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("envoyée par"),
    )
    sent_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("alerte")
        verbose_name_plural = _("alertes")
        ordering = ("-sent_at", "-pk")

    def __str__(self) -> str:
        return self.subject


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("En file d'envoi")
    SENT = "sent", _("Envoyée")
    FAILED = "failed", _("Échec de l'envoi")
    NO_EMAIL = "no_email", _("Pas d'adresse e-mail")


class AlertDelivery(models.Model):
    """One recipient of an alert: the address used, the sending outcome, the reading."""

    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("alerte")
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("membre")
    )
    email = models.EmailField(_("adresse"), blank=True)
    status = models.CharField(
        _("statut"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    error = models.CharField(_("erreur"), max_length=255, blank=True)
    read_at = models.DateTimeField(_("lecture confirmée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("envoi d'alerte")
        verbose_name_plural = _("envois d'alerte")
        ordering = ("alert", "pk")
        constraints = [
            models.UniqueConstraint(fields=["alert", "member"], name="crisis_delivery_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.alert} → {self.member}"
