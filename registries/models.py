"""The mission registries (DESIGN.md §3): counts and pseudonymous entries only, never a
patient's identity.

- Accès aux soins: requests of people looking for a médecin traitant (``GpRequest``), known by
  a pseudonymous reference the coordination chooses, and the professionals' own flags
  (``ProfessionalProfile``, one-to-one with the member: new patients taken and how many,
  maître de stage);
- Soins non programmés and SAS: doctors' participation in the SAS per period
  (``SasParticipation``), the monthly activity counts of the SAS (``SasMonthlyActivity``) and
  the unplanned-care slots members offer per week (``UnplannedSlotOffer``);
- Accompagnement des professionnels: trainees hosted (``Trainee``, a first name at most),
  installations supported (``Installation``) and parrainage pairs (``Mentorship``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from cpts.models import Commune
from cpts.models.base import TimeStampedModel
from members.models import Member, Profession
from missions.models import AgeBand

# --- Accès aux soins: médecin traitant -----------------------------------------------------


class Origin(models.TextChoices):
    CPAM = "cpam", _("Liste de la CPAM")
    PHARMACY = "pharmacie", _("Pharmacie")
    HOSPITAL = "hopital", _("Hôpital")
    DIRECT = "direct", _("Demande directe")


class RequestStatus(models.TextChoices):
    WAITING = "attente", _("En attente")
    PROPOSED = "proposee", _("Proposée à un médecin")
    ACCEPTED = "acceptee", _("Acceptée")
    NO_SOLUTION = "sans_solution", _("Sans solution")


CLOSED_STATUSES = (RequestStatus.ACCEPTED, RequestStatus.NO_SOLUTION)

# The priority criteria of the national indicators (avenant 2), as boolean fields.
PRIORITY_CRITERIA: tuple[tuple[str, StrOrPromise], ...] = (
    ("ald", _("ALD")),
    ("aged_70", _("70 ans et plus")),
    ("c2s_ame", _("C2S / AME")),
    ("precarity", _("Précarité")),
    ("hospital_discharge", _("Sortie d'hospitalisation")),
)


class GpRequest(TimeStampedModel):
    """A person looking for a médecin traitant, known only by a pseudonymous reference."""

    reference = models.CharField(
        _("référence"),
        max_length=40,
        unique=True,
        help_text=_(
            "Référence pseudonyme choisie par la coordination (ex. MT-2026-0042) : jamais de "
            "nom, de numéro de sécurité sociale, de téléphone ni de date de naissance."
        ),
    )
    age_band = models.CharField(
        _("tranche d'âge"), max_length=8, choices=AgeBand.choices, default=AgeBand.UNKNOWN
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    ald = models.BooleanField(_("ALD"), default=False)
    aged_70 = models.BooleanField(_("70 ans et plus"), default=False)
    c2s_ame = models.BooleanField(_("C2S / AME"), default=False)
    precarity = models.BooleanField(_("précarité"), default=False)
    hospital_discharge = models.BooleanField(_("sortie d'hospitalisation"), default=False)
    origin = models.CharField(_("origine"), max_length=16, choices=Origin.choices)
    received_on = models.DateField(_("date de la demande"), db_index=True)
    status = models.CharField(
        _("statut"),
        max_length=16,
        choices=RequestStatus.choices,
        default=RequestStatus.WAITING,
        db_index=True,
    )
    proposed_to = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposée au médecin"),
    )
    proposed_on = models.DateField(_("proposée le"), null=True, blank=True)
    doctor = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gp_requests_accepted",
        verbose_name=_("médecin ayant accepté"),
    )
    closed_on = models.DateField(_("date de clôture"), null=True, blank=True, db_index=True)
    # Days from the request to its closing, set when it is closed (kept for SQL medians).
    waiting_days = models.PositiveIntegerField(_("délai (jours)"), null=True, blank=True)

    class Meta:
        verbose_name = _("demande de médecin traitant")
        verbose_name_plural = _("demandes de médecin traitant")
        ordering = ("-received_on", "-pk")
        indexes = [
            # The requests a doctor accepted since declaring a capacity (who can take whom).
            models.Index(
                fields=["doctor", "status", "closed_on"], name="gp_request_doctor_accepted"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("received_on")),
                name="gp_request_closed_after_received",
            ),
            models.CheckConstraint(
                condition=(Q(status__in=CLOSED_STATUSES) & Q(closed_on__isnull=False))
                | (~Q(status__in=CLOSED_STATUSES) & Q(closed_on__isnull=True)),
                name="gp_request_closed_has_date",
            ),
            models.CheckConstraint(
                condition=(Q(status=RequestStatus.ACCEPTED) & Q(doctor__isnull=False))
                | (~Q(status=RequestStatus.ACCEPTED) & Q(doctor__isnull=True)),
                name="gp_request_accepted_has_doctor",
            ),
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.PROPOSED) | Q(proposed_to__isnull=False),
                name="gp_request_proposed_has_doctor",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def criteria_labels(self) -> list[str]:
        return [str(label) for name, label in PRIORITY_CRITERIA if getattr(self, name)]


class ProfessionalProfile(TimeStampedModel):
    """What a member says of their availability for the missions (one-to-one with the member:
    editable by the coordination and by the member from the portal)."""

    member = models.OneToOneField(
        Member,
        on_delete=models.CASCADE,
        related_name="registry_profile",
        verbose_name=_("membre"),
    )
    accepts_new_patients = models.BooleanField(
        _("accepte de nouveaux patients comme médecin traitant"), default=False
    )
    new_patients_capacity = models.PositiveSmallIntegerField(
        _("nombre de nouveaux patients possibles"),
        default=0,
        help_text=_("Combien de nouveaux patients, à compter de la date ci-dessous."),
    )
    capacity_since = models.DateField(
        _("capacité déclarée le"),
        null=True,
        blank=True,
        help_text=_("Les demandes acceptées depuis cette date décomptent la capacité."),
    )
    internship_supervisor = models.BooleanField(_("maître de stage"), default=False)
    supervisor_since = models.DateField(_("maître de stage depuis le"), null=True, blank=True)

    class Meta:
        verbose_name = _("profil missions")
        verbose_name_plural = _("profils missions")

    def __str__(self) -> str:
        return str(self.member)


# --- Soins non programmés and SAS ----------------------------------------------------------


class SasParticipation(TimeStampedModel):
    """A doctor taking part in the service d'accès aux soins over a period."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("médecin")
    )
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"), null=True, blank=True, help_text=_("Vide : en cours."))

    class Meta:
        verbose_name = _("participation au SAS")
        verbose_name_plural = _("participations au SAS")
        ordering = ("-start", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="sas_participation_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return str(self.member)


class SasMonthlyActivity(TimeStampedModel):
    """The SAS activity of one month, as counts (entered or imported)."""

    month = models.DateField(_("mois"), unique=True, help_text=_("Premier jour du mois."))
    requests_received = models.PositiveIntegerField(_("demandes reçues"), default=0)
    appointments_given = models.PositiveIntegerField(_("rendez-vous donnés"), default=0)
    honoured = models.PositiveIntegerField(_("rendez-vous honorés"), default=0)
    not_honoured = models.PositiveIntegerField(_("rendez-vous non honorés"), default=0)
    oriented_elsewhere = models.PositiveIntegerField(_("réorientations"), default=0)

    class Meta:
        verbose_name = _("activité mensuelle du SAS")
        verbose_name_plural = _("activités mensuelles du SAS")
        ordering = ("-month",)
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="sas_activity_first_day"),
            models.CheckConstraint(
                condition=Q(honoured__lte=F("appointments_given") - F("not_honoured")),
                name="sas_activity_outcomes_within_appointments",
            ),
            models.CheckConstraint(
                condition=Q(
                    requests_received__gte=F("appointments_given") + F("oriented_elsewhere")
                ),
                name="sas_activity_answers_within_requests",
            ),
        ]

    def __str__(self) -> str:
        return self.month.strftime("%m/%Y")


class UnplannedSlotOffer(TimeStampedModel):
    """Unplanned-care slots a member offers in a week (the week's Monday)."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("professionnel")
    )
    week = models.DateField(_("semaine du"), help_text=_("Le lundi de la semaine."))
    slots = models.PositiveSmallIntegerField(_("créneaux proposés"))

    class Meta:
        verbose_name = _("créneaux de soins non programmés")
        verbose_name_plural = _("créneaux de soins non programmés")
        ordering = ("-week", "pk")
        constraints = [
            models.UniqueConstraint(fields=["member", "week"], name="slot_offer_one_per_week"),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.week:%d/%m/%Y}"


# --- Accompagnement des professionnels -----------------------------------------------------


class TraineeLevel(models.TextChoices):
    EXTERNE = "externe", _("Externe (2e cycle)")
    INTERNE = "interne", _("Interne (3e cycle)")
    DOCTEUR_JUNIOR = "docteur_junior", _("Docteur junior")
    PARAMEDICAL = "paramedical", _("Étudiant·e paramédical·e")
    OTHER = "autre", _("Autre")


class Trainee(TimeStampedModel):
    """A trainee hosted by a member: a first name at most, nothing else personal."""

    first_name = models.CharField(_("prénom"), max_length=40, blank=True)
    profession = models.ForeignKey(
        Profession, on_delete=models.PROTECT, related_name="+", verbose_name=_("profession")
    )
    level = models.CharField(_("niveau"), max_length=16, choices=TraineeLevel.choices)
    host = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("maître de stage")
    )
    start = models.DateField(_("début du stage"))
    end = models.DateField(_("fin du stage"))
    housing_provided = models.BooleanField(_("logement proposé"), default=False)

    class Meta:
        verbose_name = _("stagiaire accueilli")
        verbose_name_plural = _("stagiaires accueillis")
        ordering = ("-start", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="trainee_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.first_name or str(self.profession)


class Installation(TimeStampedModel):
    """A professional's installation on the territory that the CPTS supported."""

    professional = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("professionnel")
    )
    installed_on = models.DateField(_("date d'installation"))
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune d'installation"),
    )
    help_premises = models.BooleanField(_("aide à la recherche de locaux"), default=False)
    help_administrative = models.BooleanField(_("aide administrative"), default=False)
    help_introductions = models.BooleanField(_("mise en relation"), default=False)

    class Meta:
        verbose_name = _("installation accompagnée")
        verbose_name_plural = _("installations accompagnées")
        ordering = ("-installed_on", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(help_premises=True)
                | Q(help_administrative=True)
                | Q(help_introductions=True),
                name="installation_some_help",
            ),
        ]

    def __str__(self) -> str:
        return str(self.professional)


class Mentorship(TimeStampedModel):
    """A parrainage pair: an experienced member mentors a newcomer."""

    mentor = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("parrain / marraine")
    )
    newcomer = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("nouvel arrivant")
    )
    start = models.DateField(_("début"))
    hours = models.DecimalField(_("heures"), max_digits=6, decimal_places=1, default=0)

    class Meta:
        verbose_name = _("parrainage")
        verbose_name_plural = _("parrainages")
        ordering = ("-start", "pk")
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=F("newcomer")), name="mentorship_two_people"
            ),
            models.CheckConstraint(condition=Q(hours__gte=0), name="mentorship_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.newcomer}"
