from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_catalogue(sender: AppConfig, **kwargs: Any) -> None:
    from indicators.catalogue import ensure_catalogue

    ensure_catalogue()


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicateurs et rapports")

    def ready(self) -> None:
        from indicators import audit, import_jobs, jobs, signals  # noqa: F401  (registrations)

        post_migrate.connect(_load_catalogue, sender=self, dispatch_uid="indicators_catalogue")
