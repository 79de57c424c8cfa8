from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cpts.portal import register_portal_section


class RegistriesConfig(AppConfig):
    name = "registries"
    verbose_name = _("Registres des missions")

    def ready(self) -> None:
        from registries import audit, import_jobs, indicators  # noqa: F401  (registrations)

        register_portal_section("registries", "portal_registry_card", position=40)
