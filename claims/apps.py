from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Indemnités et remboursements")

    def ready(self) -> None:
        from claims import audit, documents, tasks  # noqa: F401  (registrations)
        from claims.selectors import indicators  # noqa: F401  (computed indicators)
