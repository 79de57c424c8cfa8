from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CptsConfig(AppConfig):
    name = "cpts"
    verbose_name = _("Maillage — socle")

    def ready(self) -> None:
        from cpts import audit, documents  # noqa: F401  (registrations)
