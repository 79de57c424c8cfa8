from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cpts.portal import register_portal_section


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Gouvernance")

    def ready(self) -> None:
        from cpts.permissions import register_role_holder_provider, register_role_provider
        from cpts.selectors.accounts import register_role_grant_provider
        from governance import audit, documents, minutes_pdf  # noqa: F401
        from governance.roles import mandate_grants, mandate_roles, role_holder_names
        from governance.selectors import indicators  # noqa: F401  (computed indicators)
        from governance.selectors.export import mandates_export, meetings_export
        from members.selectors.portal import register_data_export_section

        register_role_provider(mandate_roles)
        register_role_holder_provider(role_holder_names)
        register_role_grant_provider(mandate_grants)
        register_data_export_section("mandats", mandates_export)
        register_data_export_section("reunions", meetings_export)
        register_portal_section("meetings", "portal_meetings_section", position=20)
        register_portal_section("groups", "portal_groups_section", position=30)
        register_portal_section("documents", "portal_documents_section", position=50)
