from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Rapports d'activité")

    def ready(self) -> None:
        from reports import documents  # noqa: F401  (document kinds)
