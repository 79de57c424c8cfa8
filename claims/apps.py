from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cpts.portal import register_portal_section


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Indemnités et remboursements")

    def ready(self) -> None:
        from claims import audit, documents, tasks  # noqa: F401  (registrations)
        from claims.selectors import indicators  # noqa: F401  (computed indicators)

        register_portal_section("claims", "portal_claims_cards", position=25)
