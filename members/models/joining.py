"""Requests to join sent through the public form, queued for the coordination."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cpts.models import Commune, TimeStampedModel
from members.models.members import Member, OrganisationKind
from members.models.reference import College, MemberKind, Profession


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    ACCEPTED = "accepted", _("Acceptée")
    DECLINED = "declined", _("Refusée")


class MembershipRequest(TimeStampedModel):
    kind = models.CharField(
        _("type"), max_length=16, choices=MemberKind.choices, default=MemberKind.PERSON
    )
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    profession = models.ForeignKey(
        Profession, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("profession")
    )
    rpps = models.CharField(_("RPPS"), max_length=11, blank=True)
    adeli = models.CharField(_("ADELI"), max_length=9, blank=True)
    organisation_name = models.CharField(_("raison sociale"), max_length=200, blank=True)
    organisation_kind = models.CharField(
        _("type de structure"), max_length=16, choices=OrganisationKind.choices, blank=True
    )
    finess = models.CharField(_("FINESS"), max_length=9, blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    email = models.EmailField(_("adresse e-mail"))
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("commune")
    )
    college = models.ForeignKey(
        College, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("collège proposé")
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("statut"),
        max_length=16,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING,
        db_index=True,
    )
    decline_reason = models.TextField(_("motif du refus"), blank=True)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidée par"),
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="join_requests",
        verbose_name=_("membre créé"),
    )

    class Meta:
        verbose_name = _("demande d'adhésion")
        verbose_name_plural = _("demandes d'adhésion")
        ordering = ("-created_at",)
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=RequestStatus.DECLINED) | ~models.Q(decline_reason=""),
                name="membership_request_decline_has_reason",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == MemberKind.ORGANISATION:
            return self.organisation_name
        return f"{self.first_name} {self.last_name}".strip()
