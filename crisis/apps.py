from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cpts.portal import register_portal_section


class CrisisConfig(AppConfig):
    name = "crisis"
    verbose_name = _("Crise sanitaire grave")

    def ready(self) -> None:
        from crisis import audit, documents, tasks  # noqa: F401  (registrations)
        from crisis.selectors import indicators  # noqa: F401  (computed indicators)

        register_portal_section("crisis", "portal_crisis_cards", position=30)
