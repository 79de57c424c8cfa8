from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    name = "missions"
    verbose_name = _("Missions et contrat ACI")

    def ready(self) -> None:
        from missions import audit  # noqa: F401
        from missions.selectors import indicators  # noqa: F401  (computed indicators)
