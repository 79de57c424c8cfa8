"""Actions (the ARS "fiche action") and their events, with participants counted by
category: professionals by profession, the public by age band. Counts only, never people."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cpts.models import TimeStampedModel
from missions.models.catalogue import Mission


class ActionStatus(models.TextChoices):
    DRAFT = "draft", _("En préparation")
    PLANNED = "planned", _("Programmée")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Terminée")
    ABANDONED = "abandoned", _("Abandonnée")


class Action(TimeStampedModel):
    title = models.CharField(_("intitulé"), max_length=255)
    contract = models.ForeignKey(
        "missions.Contract",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("contrat"),
    )
    missions = models.ManyToManyField(Mission, related_name="actions", verbose_name=_("missions"))
    diagnosis = models.TextField(_("éléments de diagnostic"), blank=True)
    general_objective = models.TextField(_("objectif général"), blank=True)
    operational_objectives = models.TextField(_("objectifs opérationnels"), blank=True)
    description = models.TextField(_("description de l'action"), blank=True)
    public = models.TextField(_("public bénéficiaire"), blank=True)
    actors = models.TextField(_("acteurs et partenaires"), blank=True)
    working_group = models.ForeignKey(
        "governance.Body",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("groupe de travail"),
        limit_choices_to={"kind": "group"},
    )
    start = models.DateField(_("début"), null=True, blank=True)
    key_stages = models.TextField(_("étapes clés"), blank=True)
    planned_end = models.DateField(_("fin prévue"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.DRAFT
    )
    meetings = models.ManyToManyField(
        "governance.Meeting",
        blank=True,
        related_name="actions",
        verbose_name=_("réunions liées"),
    )

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ("-start", "title", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(start__isnull=True)
                | Q(planned_end__gte=models.F("start")),
                name="action_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EventKind(models.TextChoices):
    WORKSHOP = "atelier", _("Atelier de prévention")
    PLURIPRO = "soiree", _("Soirée pluriprofessionnelle")
    STAND = "stand", _("Stand d'information")
    TRAINING = "formation", _("Formation")
    CONCERTATION = "concertation", _("Réunion de concertation")
    CAMPAIGN = "campagne", _("Campagne / dépistage")
    OTHER = "autre", _("Autre")


class AgeBand(models.TextChoices):
    CHILDREN = "0-17", _("Moins de 18 ans")
    YOUNG = "18-29", _("18 à 29 ans")
    ADULTS = "30-59", _("30 à 59 ans")
    SENIORS = "60-74", _("60 à 74 ans")
    ELDERLY = "75+", _("75 ans et plus")
    UNKNOWN = "nc", _("Âge non connu")


class Event(TimeStampedModel):
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="events", verbose_name=_("action")
    )
    kind = models.CharField(_("type"), max_length=16, choices=EventKind.choices)
    title = models.CharField(_("intitulé"), max_length=255)
    date = models.DateField(_("date"), db_index=True)
    place = models.CharField(_("lieu"), max_length=255, blank=True)
    hours = models.DecimalField(
        _("durée (heures)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    professionals = models.ManyToManyField(
        "members.Member",
        blank=True,
        related_name="events",
        verbose_name=_("professionnels mobilisés"),
    )
    notes = models.TextField(_("remarques"), blank=True)

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        ordering = ("-date", "pk")

    def __str__(self) -> str:
        return self.title


class ParticipantCount(models.Model):
    """How many took part in an event, for one category: a profession (professionals) or an
    age band (public). Exactly one of the two."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="counts", verbose_name=_("événement")
    )
    profession = models.ForeignKey(
        "members.Profession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("profession"),
    )
    age_band = models.CharField(
        _("tranche d'âge"), max_length=8, choices=AgeBand.choices, blank=True
    )
    count = models.PositiveIntegerField(_("nombre"))

    class Meta:
        verbose_name = _("participants")
        verbose_name_plural = _("participants")
        constraints = [
            models.CheckConstraint(
                condition=(Q(profession__isnull=False) & Q(age_band=""))
                | (Q(profession__isnull=True) & ~Q(age_band="")),
                name="participant_count_one_category",
            ),
            models.UniqueConstraint(
                fields=["event", "profession"],
                condition=Q(profession__isnull=False),
                name="participant_count_profession_unique",
            ),
            models.UniqueConstraint(
                fields=["event", "age_band"],
                condition=~Q(age_band=""),
                name="participant_count_age_band_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profession or self.get_age_band_display()} : {self.count}"


def event_document_path(instance: EventDocument, filename: str) -> str:
    return f"missions/events/{instance.event_id}/{filename}"


class EventDocument(TimeStampedModel):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="documents", verbose_name=_("événement")
    )
    title = models.CharField(_("titre"), max_length=200)
    file = models.FileField(_("fichier"), upload_to=event_document_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("document d'événement")
        verbose_name_plural = _("documents d'événement")
        ordering = ("event", "title", "pk")

    def __str__(self) -> str:
        return self.title
