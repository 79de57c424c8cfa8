"""Meetings of a body: agenda, convocations (with the invitees' answers), attendance and
proxies."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cpts.models import TimeStampedModel
from governance.models.bodies import Body


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planifiée")
    CONVENED = "convened", _("Convoquée")
    HELD = "held", _("Tenue")
    MINUTES_APPROVED = "approved", _("Procès-verbal approuvé")
    CANCELLED = "cancelled", _("Annulée")


class AgKind(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinaire")
    EXTRAORDINARY = "extraordinary", _("Extraordinaire")


class Meeting(TimeStampedModel):
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("instance")
    )
    title = models.CharField(_("intitulé"), max_length=200)
    starts_at = models.DateTimeField(_("début"), db_index=True)
    ends_at = models.DateTimeField(_("fin prévue"), null=True, blank=True)
    place = models.CharField(_("lieu"), max_length=255, blank=True)
    video_url = models.URLField(_("lien de visioconférence"), blank=True)
    status = models.CharField(
        _("statut"),
        max_length=16,
        choices=MeetingStatus.choices,
        default=MeetingStatus.PLANNED,
        db_index=True,
    )
    ag_kind = models.CharField(
        _("nature de l'AG"), max_length=16, choices=AgKind.choices, blank=True
    )
    second_convocation_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="second_convocations",
        verbose_name=_("seconde convocation de"),
        help_text=_("La première AG, tenue sans quorum."),
    )
    convened_at = models.DateTimeField(_("convoquée le"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    held_at = models.DateTimeField(_("déclarée tenue le"), null=True, blank=True)
    notes = models.TextField(_("informations pratiques"), blank=True)

    class Meta:
        verbose_name = _("réunion")
        verbose_name_plural = _("réunions")
        ordering = ("-starts_at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_ag(self) -> bool:
        return self.body.kind == "ag"


class AgendaItem(TimeStampedModel):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("réunion")
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    title = models.CharField(_("point"), max_length=255)
    description = models.TextField(_("présentation"), blank=True)
    needs_vote = models.BooleanField(_("soumis au vote"), default=False)

    class Meta:
        verbose_name = _("point de l'ordre du jour")
        verbose_name_plural = _("ordre du jour")
        ordering = ("meeting", "position", "pk")

    def __str__(self) -> str:
        return self.title


def agenda_document_path(instance: AgendaDocument, filename: str) -> str:
    return f"governance/meetings/{instance.item.meeting_id}/{filename}"


class AgendaDocument(TimeStampedModel):
    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="documents", verbose_name=_("point")
    )
    title = models.CharField(_("titre"), max_length=200)
    file = models.FileField(_("fichier"), upload_to=agenda_document_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("document de séance")
        verbose_name_plural = _("documents de séance")
        ordering = ("item", "title", "pk")

    def __str__(self) -> str:
        return self.title


class ConvocationAnswer(models.TextChoices):
    PENDING = "pending", _("Sans réponse")
    PRESENT = "present", _("Sera présent·e")
    ABSENT = "absent", _("Sera absent·e")
    PROXY = "proxy", _("Donne procuration")


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class Convocation(TimeStampedModel):
    """One invitee of a convened meeting, with the token of the emailed answer link and the
    voting right they had when convened (recomputed on the meeting date for the quorum)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="convocations", verbose_name=_("réunion")
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.CASCADE,
        related_name="convocations",
        verbose_name=_("membre"),
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    can_vote = models.BooleanField(_("droit de vote à la convocation"), default=False)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    answer = models.CharField(
        _("réponse"),
        max_length=16,
        choices=ConvocationAnswer.choices,
        default=ConvocationAnswer.PENDING,
    )
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)

    class Meta:
        verbose_name = _("convocation")
        verbose_name_plural = _("convocations")
        ordering = ("meeting", "member__last_name", "member__first_name", "pk")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="convocation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} — {self.member}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Présent·e")
    REPRESENTED = "represented", _("Représenté·e")
    EXCUSED = "excused", _("Excusé·e")
    ABSENT = "absent", _("Absent·e")


class Attendance(TimeStampedModel):
    """Who was there. ``represented`` rows name the proxy holder (from the ``Proxy``)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("réunion")
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="attendances",
        verbose_name=_("membre"),
    )
    status = models.CharField(_("présence"), max_length=16, choices=AttendanceStatus.choices)
    represented_by = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("représenté·e par"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        ordering = ("meeting", "member__last_name", "member__first_name", "pk")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique"),
            models.CheckConstraint(
                condition=(Q(status=AttendanceStatus.REPRESENTED) & Q(represented_by__isnull=False))
                | (~Q(status=AttendanceStatus.REPRESENTED) & Q(represented_by__isnull=True)),
                name="attendance_represented_has_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.get_status_display()}"


class Proxy(TimeStampedModel):
    """A voting member (``giver``) gives their vote at an AG to another voting member."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="proxies", verbose_name=_("réunion")
    )
    giver = models.ForeignKey(
        "members.Member",
        on_delete=models.CASCADE,
        related_name="proxies_given",
        verbose_name=_("mandant·e"),
    )
    holder = models.ForeignKey(
        "members.Member",
        on_delete=models.CASCADE,
        related_name="proxies_held",
        verbose_name=_("mandataire"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("procuration")
        verbose_name_plural = _("procurations")
        ordering = ("meeting", "holder", "pk")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "giver"], name="proxy_one_per_giver"),
            models.CheckConstraint(
                condition=~Q(giver=models.F("holder")), name="proxy_not_to_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.giver} → {self.holder}"
