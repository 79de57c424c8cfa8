"""Access-matrix entries of the member base: joining, portal and directory, member list,
import and pages, fees."""

from __future__ import annotations

from tests.access_matrix.core import (
    OK,
    WHY_JOIN,
    Entry,
    missing_pk,
    pk_of,
    protected,
    public,
)

ENTRIES: dict[str, Entry] = {
    # --- Joining (members/views/joining.py) ---
    "membership_request_create": public(WHY_JOIN),
    "membership_request_create#htmx": public(WHY_JOIN, query="kind=personne", htmx=True),
    "membership_request_create#post": public(WHY_JOIN, method="POST"),
    "membership_request_done": public(WHY_JOIN),
    "membership_request_list": protected("members.manage"),
    "membership_request_list#bad-query": protected("members.manage", query="statut=x&page=abc"),
    "membership_request_detail": protected("members.manage", kwargs=pk_of("membership_request")),
    "membership_request_detail#missing": protected(
        "members.manage", granted="404", kwargs=missing_pk
    ),
    "membership_request_accept": protected(
        "members.manage", method="POST", kwargs=pk_of("membership_request")
    ),
    "membership_request_accept#get": protected(
        "members.manage", granted="405", kwargs=pk_of("membership_request")
    ),
    "membership_request_decline": protected(
        "members.manage",
        method="POST",
        kwargs=pk_of("membership_request"),
        data={"reason": "Hors du territoire"},
    ),
    "membership_request_decline#empty": protected(
        "members.manage", method="POST", kwargs=pk_of("membership_request")
    ),
    "membership_request_decline#get": protected(
        "members.manage", granted="405", kwargs=pk_of("membership_request")
    ),
    # --- Portal and directory (members/views/portal.py) ---
    # Personas without a member record get the "contact the coordination" page (200).
    "portal_profile": protected("portal.view"),
    "portal_profile#post": protected(
        "portal.view",
        method="POST",
        data={"phone": "04 67 00 00 00", "sites-TOTAL_FORMS": "0", "sites-INITIAL_FORMS": "0"},
    ),
    "portal_commune_search": protected("portal.view", query="q=lod", htmx=True),
    "portal_adhesions": protected("portal.view"),
    "portal_attestation_request": protected(
        "portal.view", method="POST", kwargs=lambda o: {"year": 2026}
    ),
    "portal_attestation_request#get": protected(
        "portal.view", granted="405", kwargs=lambda o: {"year": 2026}
    ),
    "portal_receipt_request": protected(
        "portal.view", method="POST", kwargs=lambda o: {"year": 2026}
    ),
    "portal_receipt_request#get": protected(
        "portal.view", granted="405", kwargs=lambda o: {"year": 2026}
    ),
    # Only the person who requested a portal document may see it: anyone else → 404.
    "portal_document": protected("portal.view", granted="404", kwargs=pk_of("document")),
    "portal_document_progress": protected(
        "portal.view", granted="404", kwargs=pk_of("document"), htmx=True
    ),
    "portal_document_download": protected("portal.view", granted="404", kwargs=pk_of("document")),
    "portal_data_export": protected("portal.view"),
    "portal_member_cards": protected("portal.view", htmx=True),
    "portal_account_cards": protected("portal.view", htmx=True),
    "portal_email_preferences": protected("portal.view"),
    "portal_email_preferences#post": protected(
        "portal.view", method="POST", data={"receives": ["convocation", "legal"]}
    ),
    # A forged form switching convocations off: refused (400) for a member, and the page
    # explaining the missing member record (200) for the coordinator, who has none.
    "portal_email_preferences#mandatory": protected(
        "portal.view", granted="400", method="POST", data={"receives": ["legal"]}, coordinator=OK
    ),
    "directory": protected("portal.view"),
    "directory#search": protected(
        "portal.view", query="q=a&profession=medecin_generaliste&commune=34079&page=abc"
    ),
    "directory#htmx": protected("portal.view", query="q=a", htmx=True),
    # --- Member list and export (members/views/member_list.py) ---
    "member_list": protected("members.view"),
    "member_list#filters": protected(
        "members.view", query="q=durand&fee=en_retard&sort=-commune&page=abc"
    ),
    "member_list#bad-params": protected(
        "members.view", query="profession=x&commune=zz&kind=y&status=z&fee=w&sort=--"
    ),
    "member_list#htmx": protected("members.view", query="q=lodeve", htmx=True),
    "member_export": protected("members.view", query="format=csv&fee=a_jour"),
    "member_export#xlsx": protected("members.view", query="format=xlsx&sort=-nom"),
    "member_export#bad-format": protected("members.view", granted="404", query="format=pdf"),
    # --- Member import (members/views/imports.py) ---
    "member_import": protected("members.manage"),
    "member_import#post-without-file": protected("members.manage", method="POST"),
    "member_import_template": protected("members.manage"),
    "member_import_template_xlsx": protected("members.manage"),
    "member_import_confirm": protected(
        "members.manage", method="POST", data={"token": "jeton-inconnu-0123456789"}
    ),
    "member_import_confirm#get": protected("members.manage", granted="405"),
    # --- Member pages (members/views/member_pages.py) ---
    "member_detail": protected("members.view", kwargs=pk_of("member")),
    "member_detail#organisation": protected("members.view", kwargs=pk_of("organisation")),
    "member_detail#missing": protected("members.view", granted="404", kwargs=missing_pk),
    "member_create": protected("members.manage"),
    "member_create#post": protected("members.manage", method="POST"),
    "member_edit": protected("members.manage", kwargs=pk_of("member")),
    "member_edit#post": protected("members.manage", method="POST", kwargs=pk_of("member")),
    "member_edit#missing": protected("members.manage", granted="404", kwargs=missing_pk),
    "member_commune_options": protected("members.manage", query="q=cler", htmx=True),
    "member_depart": protected("members.manage", kwargs=pk_of("member")),
    "member_depart#post": protected("members.manage", method="POST", kwargs=pk_of("member")),
    "member_reactivate": protected("members.manage", method="POST", kwargs=pk_of("member")),
    "member_reactivate#get": protected("members.manage", granted="405", kwargs=pk_of("member")),
    "member_duplicates": protected("members.view"),
    "member_merge": protected(
        "members.manage", kwargs=lambda o: {"pk": o.member.pk, "other": o.own_member.pk}
    ),
    "member_merge#post": protected(
        "members.manage",
        method="POST",
        kwargs=lambda o: {"pk": o.member.pk, "other": o.own_member.pk},
    ),
    "member_merge#refused": protected(
        "members.manage",
        method="POST",
        kwargs=lambda o: {"pk": o.member.pk, "other": o.organisation.pk},
    ),
    "member_merge#missing": protected(
        "members.manage",
        granted="404",
        kwargs=lambda o: {"pk": o.member.pk, "other": 999_999_999},
    ),
    "member_anonymise": protected("members.manage", kwargs=pk_of("member")),
    "member_anonymise#post": protected("members.manage", method="POST", kwargs=pk_of("member")),
    # --- Fees (members/views/fees.py) ---
    "fee_rule_list": protected("members.manage"),
    "fee_rule_list#bad-year": protected("members.manage", query="annee=abc"),
    "fee_rule_create": protected("members.manage"),
    "fee_rule_create#post": protected(
        "members.manage", method="POST", data={"year": "2027", "amount": "25"}
    ),
    "fee_rule_create#invalid": protected("members.manage", method="POST"),
    "fee_rule_update": protected("members.manage", kwargs=pk_of("fee_rule")),
    "fee_rule_update#post": protected(
        "members.manage", method="POST", kwargs=pk_of("fee_rule"), data={"year": "2026"}
    ),
    "fee_rule_update#missing": protected("members.manage", granted="404", kwargs=missing_pk),
    "fee_rule_delete": protected("members.manage", method="POST", kwargs=pk_of("fee_rule")),
    "fee_rule_delete#get": protected("members.manage", granted="405", kwargs=pk_of("fee_rule")),
    "college_list": protected("members.manage"),
    "college_create": protected("members.manage"),
    "college_create#invalid": protected("members.manage", method="POST"),
    "college_update": protected("members.manage", kwargs=pk_of("college")),
    "college_update#missing": protected("members.manage", granted="404", kwargs=missing_pk),
    "adhesion_create": protected("members.manage", kwargs=pk_of("member")),
    "adhesion_create#existing-year": protected(
        "members.manage",
        method="POST",
        kwargs=pk_of("member"),
        data={"year": "2026", "started_on": "2026-01-01"},
    ),
    "adhesion_create#missing": protected("members.manage", granted="404", kwargs=missing_pk),
    "payment_create": protected("members.manage", kwargs=pk_of("adhesion")),
    "payment_create#post": protected(
        "members.manage",
        method="POST",
        kwargs=pk_of("adhesion"),
        data={"paid_on": "2024-01-10", "amount": "5", "method": "cheque"},
    ),
    "payment_create#missing": protected("members.manage", granted="404", kwargs=missing_pk),
    "refund_create": protected("members.manage", kwargs=pk_of("adhesion")),
    "refund_create#post": protected(
        "members.manage",
        method="POST",
        kwargs=pk_of("adhesion"),
        data={"paid_on": "2024-01-10", "amount": "50", "method": "cheque"},
    ),
    "membership_receipt_request": protected(
        "members.manage", method="POST", kwargs=pk_of("adhesion")
    ),
    "membership_receipt_request#get": protected(
        "members.manage", granted="405", kwargs=pk_of("adhesion")
    ),
    "membership_attestation_request": protected(
        "members.manage", method="POST", kwargs=lambda o: {"pk": o.member.pk, "year": 2026}
    ),
    "membership_attestation_request#no-adhesion": protected(
        "members.manage",
        method="POST",
        kwargs=lambda o: {"pk": o.organisation.pk, "year": 2026},
    ),
    "membership_attestation_request#get": protected(
        "members.manage", granted="405", kwargs=lambda o: {"pk": o.member.pk, "year": 2026}
    ),
    "member_send_reminders": protected(
        "members.manage", method="POST", data={"ids": ["1", "2", "x"]}
    ),
    "member_send_reminders#get": protected("members.manage", granted="405"),
}
