"""Access-matrix entries of the core: landing pages, association and territory, generated
documents, invitations, users, allauth."""

from __future__ import annotations

from tests.access_matrix.core import (
    DOCS_READ,
    LOGGED_IN,
    MANAGE_ASSOCIATION,
    MFA_NOT_ENROLLED,
    MID_LOGIN,
    WHY_ALLAUTH,
    WHY_INVITATION,
    WHY_MFA,
    Entry,
    missing_pk,
    pk_of,
    protected,
    public,
    same,
)

ENTRIES: dict[str, Entry] = {
    # --- Landing pages (cpts/views/home.py) ---
    "home": public("router: sends each person to their space or to login", LOGGED_IN),
    "portal_home": protected("portal.view"),
    # --- Association and territory (cpts/views/association.py) ---
    "territory": protected("association.view"),
    "territory#search": protected("association.view", query="q=cler"),
    "territory_search": protected("association.manage", query="q=cler", htmx=True),
    "territory_search#no-htmx": protected("association.manage", query="q=cler"),
    "territory_search#empty": protected("association.manage", htmx=True),
    "territory_add": protected("association.manage", method="POST", data={"codes": "34172"}),
    "territory_add#empty": protected("association.manage", method="POST", htmx=True),
    "territory_add#get": protected("association.manage", granted="405"),
    "territory_remove": protected("association.manage", method="POST"),
    "territory_remove#htmx": protected("association.manage", method="POST", htmx=True),
    "territory_remove#not-in-territory": protected(
        "association.manage",
        method="POST",
        kwargs=lambda o: {"insee_code": o.other_commune.insee_code},
    ),
    "territory_remove#get": protected("association.manage", granted="405"),
    "association_identity": protected("association.view"),
    "association_identity#post": protected(
        "association.view", method="POST", expect=MANAGE_ASSOCIATION
    ),
    "association_logo": protected("portal.view"),
    # --- Generated documents (cpts/views/documents.py) ---
    "document_list": protected("reports.view"),
    "document_list#bad-page": protected("reports.view", query="page=abc"),
    "identity_sheet_request": protected("reports.generate", method="POST"),
    "identity_sheet_request#get": protected("reports.generate", granted="405"),
    # Readable with reports.view, or by whoever requested the document (404 otherwise).
    "document_detail": protected(
        DOCS_READ, kwargs=pk_of("document"), adherent="404", referent="404"
    ),
    "document_detail#missing": protected(DOCS_READ, granted="404", kwargs=missing_pk),
    "document_progress": protected(
        DOCS_READ, kwargs=pk_of("document"), htmx=True, adherent="404", referent="404"
    ),
    "document_download": protected(
        DOCS_READ, kwargs=pk_of("document"), adherent="404", referent="404"
    ),
    "document_download#failed": protected(
        DOCS_READ, granted="404", kwargs=pk_of("failed_document")
    ),
    "document_retry": protected("reports.generate", method="POST", kwargs=pk_of("document")),
    "document_retry#failed": protected(
        "reports.generate", method="POST", kwargs=pk_of("failed_document")
    ),
    "document_retry#get": protected("reports.generate", granted="405", kwargs=pk_of("document")),
    # --- Invitations (cpts/views/invitations.py) ---
    "invitation_list": protected("accounts.invite"),
    "invitation_list#bad-query": protected("accounts.invite", query="statut=x&page=abc"),
    "invitation_create": protected("accounts.invite"),
    "invitation_create#post": protected("accounts.invite", method="POST"),
    "invitation_resend": protected("accounts.invite", method="POST", kwargs=pk_of("invitation")),
    "invitation_resend#revoked": protected(
        "accounts.invite", method="POST", kwargs=pk_of("revoked_invitation")
    ),
    "invitation_resend#get": protected(
        "accounts.invite", granted="405", kwargs=pk_of("invitation")
    ),
    "invitation_revoke": protected("accounts.invite", method="POST", kwargs=pk_of("invitation")),
    "invitation_revoke#missing": protected(
        "accounts.invite", method="POST", granted="404", kwargs=missing_pk
    ),
    "invitation_revoke#get": protected(
        "accounts.invite", granted="405", kwargs=pk_of("invitation")
    ),
    "invitation_accept": public(WHY_INVITATION),
    "invitation_accept#post": public(WHY_INVITATION, method="POST"),
    "invitation_accept#revoked": public(
        WHY_INVITATION, same("410"), kwargs=lambda o: {"token": o.revoked_invitation.token}
    ),
    "invitation_accept#unknown": public(
        WHY_INVITATION, same("404"), kwargs=lambda o: {"token": "inconnu"}
    ),
    # --- Users and roles (cpts/views/users.py) ---
    "user_list": protected("accounts.manage"),
    "user_list#search": protected("accounts.manage", query="q=cible&page=abc"),
    "user_list#htmx": protected("accounts.manage", query="q=cible", htmx=True),
    "user_roles": protected("accounts.manage", kwargs=pk_of("user")),
    "user_roles#post": protected(
        "accounts.manage", method="POST", granted="405", kwargs=pk_of("user")
    ),
    "user_roles#missing": protected("accounts.manage", granted="404", kwargs=missing_pk),
    "user_toggle_active": protected("accounts.manage", method="POST", kwargs=pk_of("user")),
    "user_toggle_active#get": protected("accounts.manage", granted="405", kwargs=pk_of("user")),
    # --- allauth: accounts (public pages; a logged-in person is sent home) ---
    "account_login": public(WHY_ALLAUTH),
    "account_logout": public(WHY_ALLAUTH),
    "account_logout#post": public(WHY_ALLAUTH, method="POST"),
    "account_inactive": public(WHY_ALLAUTH),
    "account_signup": public(WHY_ALLAUTH),
    "account_reauthenticate": public(WHY_ALLAUTH, LOGGED_IN),
    "account_request_reauthentication_code": public(WHY_ALLAUTH, LOGGED_IN),
    "account_confirm_reauthentication_code": public(WHY_ALLAUTH, LOGGED_IN),
    "account_email": public(WHY_ALLAUTH, LOGGED_IN),
    "account_email_verification_sent": public(WHY_ALLAUTH),
    "account_change_password": public(WHY_ALLAUTH, LOGGED_IN),
    "account_set_password": public(WHY_ALLAUTH, LOGGED_IN),
    "account_reset_password": public(WHY_ALLAUTH),
    "account_confirm_login_code": public(WHY_ALLAUTH, MID_LOGIN),
    "account_confirm_email": public(
        WHY_ALLAUTH, kwargs=lambda o: {"key": o.email_confirmation_key}
    ),
    "account_reset_password_from_key_done": public(WHY_ALLAUTH),
    "account_reset_password_from_key": public(
        WHY_ALLAUTH,
        kwargs=lambda o: {"uidb36": o.password_reset_uidb36, "key": o.password_reset_key},
    ),
    "account_reset_password_done": public(WHY_ALLAUTH),
    # --- allauth: MFA ---
    "mfa_index": public(WHY_MFA, LOGGED_IN),
    "mfa_authenticate": public(WHY_MFA, MID_LOGIN),
    "mfa_reauthenticate": public(WHY_MFA, LOGGED_IN),
    "mfa_activate_totp": public(WHY_MFA, LOGGED_IN),
    "mfa_deactivate_totp": public(WHY_MFA, MFA_NOT_ENROLLED),
    "mfa_view_recovery_codes": public(WHY_MFA, MFA_NOT_ENROLLED),
    "mfa_generate_recovery_codes": public(WHY_MFA, LOGGED_IN),
    "mfa_download_recovery_codes": public(WHY_MFA, MFA_NOT_ENROLLED),
}
