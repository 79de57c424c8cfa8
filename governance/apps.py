from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Gouvernance")

    def ready(self) -> None:
        from cpts.permissions import register_role_holder_provider, register_role_provider
        from cpts.selectors.accounts import register_role_grant_provider
        from governance import audit, documents, minutes_pdf  # noqa: F401
        from governance.roles import mandate_grants, mandate_roles, role_holder_names
        from governance.selectors import indicators  # noqa: F401  (computed indicators)

        register_role_provider(mandate_roles)
        register_role_holder_provider(role_holder_names)
        register_role_grant_provider(mandate_grants)
