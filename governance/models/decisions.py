"""What a meeting decides: resolutions (with their show-of-hands counts), CA elections per
collège, and the minutes (procès-verbal)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cpts.models import TimeStampedModel
from governance.models.meetings import AgendaItem, Meeting
from governance.models.statutes import MajorityRule


class Resolution(TimeStampedModel):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="resolutions", verbose_name=_("réunion")
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resolutions",
        verbose_name=_("point de l'ordre du jour"),
    )
    position = models.PositiveSmallIntegerField(_("numéro"), default=1)
    title = models.CharField(_("titre"), max_length=255)
    text = models.TextField(_("texte de la résolution"))
    majority = models.CharField(_("règle de majorité"), max_length=16, choices=MajorityRule.choices)
    votes_for = models.PositiveIntegerField(_("pour"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("contre"), null=True, blank=True)
    abstentions = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    voters = models.PositiveIntegerField(
        _("votants présents ou représentés"),
        null=True,
        blank=True,
        help_text=_("Relevé au moment du vote."),
    )
    adopted = models.BooleanField(_("adoptée"), null=True, blank=True)
    voted_at = models.DateTimeField(_("votée le"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("résolution")
        verbose_name_plural = _("résolutions")
        ordering = ("meeting", "position", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], name="resolution_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(adopted__isnull=True)
                | (
                    Q(votes_for__isnull=False)
                    & Q(votes_against__isnull=False)
                    & Q(abstentions__isnull=False)
                ),
                name="resolution_decided_has_counts",
            ),
        ]
        indexes = [models.Index(fields=["adopted", "voted_at"], name="resolution_register_idx")]

    def __str__(self) -> str:
        return self.title


class Election(TimeStampedModel):
    """An election of CA members for one collège at a meeting (usually the AG)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="elections", verbose_name=_("réunion")
    )
    body = models.ForeignKey(
        "governance.Body",
        on_delete=models.PROTECT,
        related_name="elections",
        verbose_name=_("instance"),
    )
    college = models.ForeignKey(
        "members.College",
        on_delete=models.PROTECT,
        related_name="elections",
        verbose_name=_("collège"),
    )
    seats = models.PositiveSmallIntegerField(_("sièges à pourvoir"))
    mandate_start = models.DateField(_("début des mandats"))
    mandate_end = models.DateField(_("fin des mandats"))
    closed_at = models.DateTimeField(_("dépouillée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("élection")
        verbose_name_plural = _("élections")
        ordering = ("meeting", "college__position", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "body", "college"], name="election_unique_per_college"
            ),
            models.CheckConstraint(
                condition=Q(mandate_end__gt=models.F("mandate_start")),
                name="election_mandate_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} — {self.college}"


class Candidate(TimeStampedModel):
    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("élection")
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="candidacies",
        verbose_name=_("candidat·e"),
    )
    votes = models.PositiveIntegerField(_("voix"), null=True, blank=True)
    elected = models.BooleanField(_("élu·e"), default=False)

    class Meta:
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ("election", "-votes", "member__last_name", "pk")
        constraints = [
            models.UniqueConstraint(fields=["election", "member"], name="candidate_unique"),
        ]

    def __str__(self) -> str:
        return str(self.member)


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    APPROVED = "approved", _("Approuvé")


class Minutes(TimeStampedModel):
    """The procès-verbal of a meeting: drafted from the meeting's data, edited by the
    secretary, approved at a later meeting of the same body."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="minutes", verbose_name=_("réunion")
    )
    text = models.TextField(_("texte du procès-verbal"))
    status = models.CharField(
        _("statut"), max_length=16, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    approved_at = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approved_minutes",
        verbose_name=_("approuvé lors de la réunion"),
    )
    approved_on = models.DateField(_("approuvé le"), null=True, blank=True)
    secretary_name = models.CharField(_("secrétaire de séance"), max_length=200, blank=True)
    chair_name = models.CharField(_("président·e de séance"), max_length=200, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("procès-verbal")
        verbose_name_plural = _("procès-verbaux")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=MinutesStatus.DRAFT) | Q(approved_on__isnull=False),
                name="minutes_approved_has_date",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Procès-verbal — %(meeting)s") % {"meeting": self.meeting})
