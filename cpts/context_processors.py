from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def maillage(request: HttpRequest) -> dict[str, Any]:
    """The association (for the layout's header) and the user's roles, both lazy."""
    from cpts.models import Association
    from cpts.permissions import roles_of

    return {
        "association": SimpleLazyObject(Association.objects.get_solo),
        "user_roles": SimpleLazyObject(lambda: roles_of(request.user)),
        "nav_section": nav_section(request),
    }


# The navbar section each page belongs to, by URL-name prefix (first match wins).
NAV_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("dashboard", ("backoffice_home", "dashboard_")),
    ("indicators", ("indicator_", "measurement_")),
    (
        "members",
        (
            "member_",
            "membership_request_l",
            "membership_request_d",
            "membership_request_a",
            "fee_rule_",
            "college_",
            "adhesion_",
            "payment_",
            "refund_",
        ),
    ),
    ("association", ("territory", "association_", "user_", "invitation_")),
    ("documents", ("document_", "identity_sheet_")),
    ("crisis", ("crisis_", "activation_", "alert_", "site_", "shift_", "roster_")),
    ("directory", ("directory",)),
    (
        "governance",
        (
            "governance_page",
            "body_",
            "mandate_",
            "statutes",
            "meeting_",
            "agenda_",
            "attendance_",
            "resolution_",
            "election_",
            "candidate_",
            "minutes_",
            "decision_register",
        ),
    ),
    (
        "contract",
        (
            "contract_",
            "envelope_",
            "line_",
            "lines_",
            "livrable_",
            "proof_",
            "action_",
            "event_",
            "financing_",
            "received_payment_",
        ),
    ),
    (
        "registries",
        (
            "registries_",
            "gp_",
            "registry_",
            "supervisor_",
            "sas_",
            "slot_offer_",
            "trainee_",
            "installation_",
            "mentorship_",
        ),
    ),
    ("portal", ("portal_", "proxy_", "group_", "convocation_")),
    ("account", ("account_", "mfa_")),
)


def nav_section(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    name = (match.url_name or "") if match else ""
    return next((section for section, prefixes in NAV_SECTIONS if name.startswith(prefixes)), "")
