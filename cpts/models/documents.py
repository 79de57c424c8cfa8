"""GeneratedDocument: one background job producing a file (PDF report, export), with its
status and progress, shown by the generic progress page."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cpts.models.base import TimeStampedModel


def _document_path(instance: GeneratedDocument, filename: str) -> str:
    return f"documents/{instance.kind}/{instance.pk}/{filename}"


class GeneratedDocument(TimeStampedModel):
    class Status(models.TextChoices):
        QUEUED = "queued", _("En attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminé")
        FAILED = "failed", _("Échec")

    kind = models.CharField(_("type de document"), max_length=64, db_index=True)
    parameters = models.JSONField(_("paramètres"), default=dict, blank=True)
    status = models.CharField(
        _("statut"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progression (%)"), default=0)
    step = models.CharField(_("étape en cours"), max_length=200, blank=True)
    error_message = models.TextField(_("message d'erreur"), blank=True)
    file = models.FileField(_("fichier"), upload_to=_document_path, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="generated_documents",
        verbose_name=_("demandé par"),
    )
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("document généré")
        verbose_name_plural = _("documents générés")
        ordering = ("-created_at",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="document_progress_max_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}
