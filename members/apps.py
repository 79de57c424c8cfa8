from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cpts.portal import register_portal_section


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Membres")

    def ready(self) -> None:
        from members import audit, documents, import_jobs, signals  # noqa: F401  (registrations)
        from members.selectors import indicators  # noqa: F401  (computed indicators)

        register_portal_section("member", "portal_member_cards", position=10)
        register_portal_section("account", "portal_account_cards", position=90)
