from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Indemnités et remboursements")

    def ready(self) -> None:
        from claims import audit  # noqa: F401  (registrations)
