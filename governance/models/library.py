"""The documents the association shares with its members (statutes, règlement intérieur,
minutes, plans…), managed by the coordination. Approved minutes need no upload: the library
lists them from the meetings (``governance.selectors.library``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpts.models import TimeStampedModel
from governance.models.bodies import Body


class SharedDocumentCategory(models.TextChoices):
    STATUTES = "statutes", _("Statuts")
    RULES = "rules", _("Règlement intérieur")
    MINUTES = "minutes", _("Procès-verbaux")
    PLANS = "plans", _("Projet de santé et plans d'action")
    OTHER = "other", _("Autres documents")


class SharedDocumentVisibility(models.TextChoices):
    MEMBERS = "members", _("Tous les adhérents")
    BODY = "body", _("Les membres d'une instance")


def shared_document_path(instance: SharedDocument, filename: str) -> str:
    return f"governance/library/{instance.category}/{filename}"


class SharedDocument(TimeStampedModel):
    title = models.CharField(_("titre"), max_length=200)
    category = models.CharField(
        _("catégorie"), max_length=16, choices=SharedDocumentCategory.choices, db_index=True
    )
    description = models.CharField(_("description"), max_length=500, blank=True)
    file = models.FileField(_("fichier"), upload_to=shared_document_path)
    visibility = models.CharField(
        _("visible par"),
        max_length=16,
        choices=SharedDocumentVisibility.choices,
        default=SharedDocumentVisibility.MEMBERS,
    )
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shared_documents",
        verbose_name=_("instance"),
        help_text=_("Seuls ses membres en cours de mandat voient le document."),
    )
    published_on = models.DateField(_("date du document"), default=timezone.localdate)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("document partagé")
        verbose_name_plural = _("documents partagés")
        ordering = ("category", "-published_on", "title", "pk")
        constraints = [
            models.CheckConstraint(
                condition=(Q(visibility="body") & Q(body__isnull=False))
                | (Q(visibility="members") & Q(body__isnull=True)),
                name="shared_document_body_iff_body_visibility",
            ),
        ]

    def __str__(self) -> str:
        return self.title
