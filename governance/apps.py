from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Gouvernance")

    def ready(self) -> None:
        from cpts.permissions import register_role_provider
        from governance import audit  # noqa: F401
        from governance.roles import mandate_roles

        register_role_provider(mandate_roles)
