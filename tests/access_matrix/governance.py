"""Access-matrix entries of governance: bodies and mandates, the gouvernance page, meetings and
convocations, attendance and proxies, resolutions, elections, minutes, decision register."""

from __future__ import annotations

from tests.access_matrix.core import (
    MEET_READ,
    MEET_WRITE,
    OK,
    WHY_CONVOCATION,
    Entry,
    convocation_token,
    membership_of,
    missing_pk,
    pk_of,
    protected,
    public,
    requires,
    same,
)

ENTRIES: dict[str, Entry] = {
    # --- Resolutions, elections, minutes, decision register (governance/views/resolutions.py,
    # elections.py, minutes.py, decisions.py) ---
    # The référent leads groups only: the CA and AG objects are 404 for them.
    "meeting_resolutions": protected(
        "governance.view | groups.lead", kwargs=pk_of("ca_meeting"), referent="404"
    ),
    "meeting_resolutions#group": protected(
        "governance.view | groups.lead", kwargs=pk_of("group_meeting")
    ),
    "meeting_resolutions#other-group": protected(
        "governance.view | groups.lead", kwargs=pk_of("other_group_meeting"), referent="404"
    ),
    "meeting_resolutions#missing": protected(
        "governance.view | groups.lead", granted="404", kwargs=missing_pk
    ),
    "resolution_create": protected(
        "governance.manage | groups.lead", kwargs=pk_of("ca_meeting"), referent="404"
    ),
    "resolution_create#post": protected(
        "governance.manage | groups.lead",
        method="POST",
        kwargs=pk_of("ca_meeting"),
        data={
            "title": "Cotisation",
            "text": "La cotisation reste à 20 €.",
            "majority": "simple",
        },
        referent="404",
    ),
    "resolution_create#group": protected(
        "governance.manage | groups.lead", kwargs=pk_of("group_meeting")
    ),
    "resolution_create#other-group": protected(
        "governance.manage | groups.lead", kwargs=pk_of("other_group_meeting"), referent="404"
    ),
    "resolution_edit": protected(
        "governance.manage | groups.lead", kwargs=pk_of("resolution"), referent="404"
    ),
    "resolution_edit#invalid": protected(
        "governance.manage | groups.lead",
        method="POST",
        kwargs=pk_of("resolution"),
        data={"title": "", "majority": "x"},
        referent="404",
    ),
    "resolution_edit#missing": protected(
        "governance.manage | groups.lead", granted="404", kwargs=missing_pk
    ),
    "resolution_delete": protected(
        "governance.manage | groups.lead",
        method="POST",
        kwargs=pk_of("resolution"),
        referent="404",
    ),
    "resolution_delete#get": protected(
        "governance.manage | groups.lead", granted="405", kwargs=pk_of("resolution")
    ),
    "resolution_move": protected(
        "governance.manage | groups.lead",
        method="POST",
        kwargs=pk_of("resolution"),
        data={"direction": "down"},
        referent="404",
    ),
    "resolution_move#get": protected(
        "governance.manage | groups.lead", granted="405", kwargs=pk_of("resolution")
    ),
    # Nobody is marked present at ca_meeting: the quorum refusal comes back (no 500).
    "resolution_vote": protected(
        "governance.manage | groups.lead",
        method="POST",
        kwargs=pk_of("resolution"),
        data={"r{}-votes_for": "1"},
        referent="404",
    ),
    "resolution_vote#htmx": protected(
        "governance.manage | groups.lead",
        method="POST",
        kwargs=pk_of("resolution"),
        htmx=True,
        referent="404",
    ),
    "resolution_vote#get": protected(
        "governance.manage | groups.lead", granted="405", kwargs=pk_of("resolution")
    ),
    "election_create": protected(
        "governance.manage | groups.lead", kwargs=pk_of("ag_meeting"), referent="404"
    ),
    "election_create#post": protected(
        "governance.manage | groups.lead",
        method="POST",
        kwargs=pk_of("ag_meeting"),
        data={"college": "x", "seats": "-1", "mandate_start": "31/02/2026"},
        referent="404",
    ),
    "election_create#group": protected(
        "governance.manage | groups.lead", kwargs=pk_of("group_meeting")
    ),
    "election_detail": protected(
        "governance.view | groups.lead", kwargs=pk_of("election"), referent="404"
    ),
    "election_detail#missing": protected(
        "governance.view | groups.lead", granted="404", kwargs=missing_pk
    ),
    "candidate_add": protected(
        "governance.manage | groups.lead",
        method="POST",
        kwargs=pk_of("election"),
        data={"member": "abc"},
        referent="404",
    ),
    "candidate_add#get": protected(
        "governance.manage | groups.lead", granted="405", kwargs=pk_of("election")
    ),
    "candidate_remove": protected(
        "governance.manage | groups.lead", method="POST", granted="404", kwargs=missing_pk
    ),
    "candidate_remove#get": protected(
        "governance.manage | groups.lead", granted="405", kwargs=missing_pk
    ),
    "election_votes": protected(
        "governance.manage | groups.lead",
        method="POST",
        kwargs=pk_of("election"),
        referent="404",
    ),
    "election_votes#get": protected(
        "governance.manage | groups.lead", granted="405", kwargs=pk_of("election")
    ),
    "election_close": protected(
        "governance.manage | groups.lead",
        method="POST",
        kwargs=pk_of("election"),
        referent="404",
    ),
    "election_close#get": protected(
        "governance.manage | groups.lead", granted="405", kwargs=pk_of("election")
    ),
    "meeting_minutes": protected(
        "governance.view | groups.lead", kwargs=pk_of("ca_meeting"), referent="404"
    ),
    "meeting_minutes#group": protected(
        "governance.view | groups.lead", kwargs=pk_of("group_meeting")
    ),
    "meeting_minutes#missing": protected(
        "governance.view | groups.lead", granted="404", kwargs=missing_pk
    ),
    "minutes_draft": protected(
        "governance.manage | groups.lead",
        method="POST",
        kwargs=pk_of("ca_meeting"),
        referent="404",
    ),
    "minutes_draft#get": protected(
        "governance.manage | groups.lead", granted="405", kwargs=pk_of("ca_meeting")
    ),
    "minutes_edit": protected(
        "governance.manage | groups.lead", kwargs=pk_of("ca_meeting"), referent="404"
    ),
    "minutes_edit#post": protected(
        "governance.manage | groups.lead",
        method="POST",
        kwargs=pk_of("ca_meeting"),
        data={"text": "## Présences\nTous présents.", "chair_name": "A", "secretary_name": "B"},
        referent="404",
    ),
    # group_meeting has no minutes yet.
    "minutes_edit#no-minutes": protected(
        "governance.manage | groups.lead", kwargs=pk_of("group_meeting"), granted="404"
    ),
    "minutes_approve": protected(
        "governance.manage | groups.lead",
        method="POST",
        kwargs=pk_of("ca_meeting"),
        data={"at_meeting": "abc"},
        referent="404",
    ),
    "minutes_approve#get": protected(
        "governance.manage | groups.lead", granted="405", kwargs=pk_of("ca_meeting")
    ),
    "minutes_pdf_request": protected("governance.view", method="POST", kwargs=pk_of("ca_meeting")),
    "minutes_pdf_request#get": protected(
        "governance.view", granted="405", kwargs=pk_of("ca_meeting")
    ),
    # Draft minutes: only those who may view the meeting read them.
    "minutes_public": protected(
        "portal.view", kwargs=pk_of("minutes"), adherent="404", referent="404"
    ),
    "minutes_public#missing": protected("portal.view", granted="404", kwargs=missing_pk),
    "minutes_public_pdf": protected("portal.view", granted="404", kwargs=pk_of("minutes")),
    "decision_register": protected("portal.view"),
    "decision_register#filters": protected(
        "portal.view", query="q=budget%C3%A9&instance=abc&annee=zz&page=abc"
    ),
    # --- Bodies, mandates, statutes (governance/views/bodies.py) ---
    "body_list": protected("governance.view"),
    "body_list#archives": protected("governance.view", query="archives=1&page=abc"),
    "body_create": protected("governance.manage"),
    "body_create#invalid": protected("governance.manage", method="POST"),
    "body_edit": protected("governance.manage", kwargs=pk_of("group")),
    "body_edit#core": protected("governance.manage", kwargs=pk_of("ca")),
    "body_edit#missing": protected("governance.manage", granted="404", kwargs=missing_pk),
    # A référent reads the page of the group they lead, and no other body (404).
    "body_detail": protected("governance.view | groups.lead", kwargs=pk_of("ca"), referent="404"),
    "body_detail#own-group": protected("governance.view | groups.lead", kwargs=pk_of("group")),
    "body_detail#other-group": protected(
        "governance.view | groups.lead", kwargs=pk_of("other_group"), referent="404"
    ),
    "body_detail#ag": protected(
        "governance.view | groups.lead", kwargs=pk_of("ag"), referent="404"
    ),
    "body_detail#missing": protected(
        "governance.view | groups.lead", granted="404", kwargs=missing_pk
    ),
    "body_archive": protected("governance.manage", method="POST", kwargs=pk_of("other_group")),
    "body_archive#core": protected("governance.manage", method="POST", kwargs=pk_of("ca")),
    "body_archive#get": protected("governance.manage", granted="405", kwargs=pk_of("group")),
    "mandate_create": protected("governance.manage", kwargs=pk_of("ca")),
    "mandate_create#invalid": protected("governance.manage", method="POST", kwargs=pk_of("ca")),
    "mandate_create#missing": protected("governance.manage", granted="404", kwargs=missing_pk),
    "mandate_edit": protected("governance.manage", kwargs=pk_of("mandate")),
    "mandate_edit#conflict": protected(
        "governance.manage",
        method="POST",
        kwargs=pk_of("mandate"),
        data={"member": "999999999", "role": "referent", "start_date": "2026-13-01"},
    ),
    "mandate_edit#missing": protected("governance.manage", granted="404", kwargs=missing_pk),
    "mandate_end": protected("governance.manage", method="POST", kwargs=pk_of("mandate")),
    "mandate_end#bad-date": protected(
        "governance.manage", method="POST", kwargs=pk_of("mandate"), data={"end_date": "abc"}
    ),
    # The end of a mandate is confirmed on its own page (the last day shown) before a POST.
    "mandate_end#get": protected("governance.manage", kwargs=pk_of("mandate")),
    "mandate_end#missing": protected(
        "governance.manage", method="POST", granted="404", kwargs=missing_pk
    ),
    # A référent·e adds and removes the plain members of the group they lead (404 elsewhere).
    "group_member_add": protected("governance.manage | groups.lead", kwargs=pk_of("group")),
    "group_member_add#invalid": protected(
        "governance.manage | groups.lead",
        method="POST",
        kwargs=pk_of("group"),
        data={"member": "abc", "start_date": "31/02/2026"},
    ),
    "group_member_add#other-group": protected(
        "governance.manage | groups.lead", kwargs=pk_of("other_group"), referent="404"
    ),
    "group_member_add#core": protected(
        "governance.manage | groups.lead", granted="404", kwargs=pk_of("ca")
    ),
    "group_member_add#missing": protected(
        "governance.manage | groups.lead", granted="404", kwargs=missing_pk
    ),
    "group_member_end": protected(
        "governance.manage | groups.lead", kwargs=membership_of("group", "group_membership")
    ),
    "group_member_end#bad-date": protected(
        "governance.manage | groups.lead",
        method="POST",
        kwargs=membership_of("group", "group_membership"),
        data={"end_date": "abc"},
    ),
    "group_member_end#other-group": protected(
        "governance.manage | groups.lead",
        method="POST",
        kwargs=membership_of("other_group", "other_group_membership"),
        data={"end_date": "abc"},
        referent="404",
    ),
    "group_member_end#mismatch": protected(
        "governance.manage | groups.lead",
        granted="404",
        kwargs=membership_of("group", "other_group_membership"),
    ),
    "group_member_end#board-mandate": protected(
        "governance.manage | groups.lead", granted="404", kwargs=membership_of("group", "mandate")
    ),
    "statutes": protected("governance.view"),
    "statutes#post": protected(
        "governance.view",
        method="POST",
        expect=requires("governance.manage"),
        data={"ag_quorum_percent": "abc", "sieges-TOTAL_FORMS": "x"},
    ),
    # --- Gouvernance page, join / leave (governance/views/governance_page.py) ---
    # Personas without a member record get a message (redirect), never an error.
    "governance_page": protected("portal.view"),
    "group_join": protected("portal.view", method="POST", kwargs=pk_of("group")),
    "group_join#htmx": protected("portal.view", method="POST", kwargs=pk_of("group"), htmx=True),
    "group_join#closed": protected("portal.view", method="POST", kwargs=pk_of("other_group")),
    "group_join#not-a-group": protected(
        "portal.view", method="POST", granted="404", kwargs=pk_of("ca")
    ),
    "group_join#get": protected("portal.view", granted="405", kwargs=pk_of("group")),
    "group_leave": protected("portal.view", method="POST", kwargs=pk_of("group")),
    "group_leave#htmx": protected("portal.view", method="POST", kwargs=pk_of("group"), htmx=True),
    "group_leave#get": protected("portal.view", granted="405", kwargs=pk_of("group")),
    # --- Meetings and convocations (governance/views/meetings.py, convocations.py) ---
    # A référent reaches the meetings of the group they lead only (404 elsewhere).
    "meeting_list": protected(MEET_READ),
    "meeting_list#filters": protected(MEET_READ, query="instance=x&statut=zz&annee=abc&page=abc"),
    "meeting_create": protected(MEET_WRITE),
    "meeting_create#instance": protected(MEET_WRITE, query="instance=abc"),
    "meeting_create#post": protected(MEET_WRITE, method="POST"),
    "meeting_detail": protected(MEET_READ, kwargs=pk_of("ag_meeting"), referent="404"),
    "meeting_detail#group": protected(MEET_READ, kwargs=pk_of("group_meeting")),
    "meeting_detail#held": protected(MEET_READ, kwargs=pk_of("ca_meeting"), referent="404"),
    "meeting_detail#other-group": protected(
        MEET_READ, kwargs=pk_of("other_group_meeting"), referent="404"
    ),
    "meeting_detail#missing": protected(MEET_READ, granted="404", kwargs=missing_pk),
    "meeting_edit": protected(MEET_WRITE, kwargs=pk_of("group_meeting")),
    "meeting_edit#post": protected(MEET_WRITE, method="POST", kwargs=pk_of("group_meeting")),
    "meeting_edit#other-group": protected(
        MEET_WRITE, kwargs=pk_of("other_group_meeting"), referent="404"
    ),
    "meeting_mark_held": protected(MEET_WRITE, method="POST", kwargs=pk_of("group_meeting")),
    "meeting_mark_held#held": protected(
        MEET_WRITE, method="POST", kwargs=pk_of("ca_meeting"), referent="404"
    ),
    "meeting_mark_held#get": protected(MEET_WRITE, granted="405", kwargs=pk_of("group_meeting")),
    "meeting_cancel": protected(
        MEET_WRITE, method="POST", kwargs=pk_of("group_meeting"), data={"reason": "Salle"}
    ),
    "meeting_cancel#other-group": protected(
        MEET_WRITE,
        method="POST",
        kwargs=pk_of("other_group_meeting"),
        data={"reason": "Salle"},
        referent="404",
    ),
    "meeting_cancel#get": protected(MEET_WRITE, granted="405", kwargs=pk_of("group_meeting")),
    "agenda_item_create": protected(MEET_WRITE, kwargs=pk_of("group_meeting")),
    "agenda_item_create#post": protected(
        MEET_WRITE, method="POST", kwargs=pk_of("group_meeting"), data={"title": "Budget"}
    ),
    "agenda_item_create#other-group": protected(
        MEET_WRITE, kwargs=pk_of("other_group_meeting"), referent="404"
    ),
    "agenda_item_edit": protected(MEET_WRITE, kwargs=pk_of("agenda_item")),
    "agenda_item_edit#post": protected(
        MEET_WRITE, method="POST", kwargs=pk_of("agenda_item"), data={"title": ""}
    ),
    "agenda_item_edit#missing": protected(MEET_WRITE, granted="404", kwargs=missing_pk),
    "agenda_item_delete": protected(MEET_WRITE, method="POST", kwargs=pk_of("agenda_item")),
    "agenda_item_delete#get": protected(MEET_WRITE, granted="405", kwargs=pk_of("agenda_item")),
    "agenda_item_move": protected(
        MEET_WRITE, method="POST", kwargs=pk_of("agenda_item"), data={"direction": "up"}
    ),
    "agenda_item_move#get": protected(MEET_WRITE, granted="405", kwargs=pk_of("agenda_item")),
    "agenda_document_add": protected(MEET_WRITE, method="POST", kwargs=pk_of("agenda_item")),
    "agenda_document_add#get": protected(MEET_WRITE, granted="405", kwargs=pk_of("agenda_item")),
    "agenda_document_delete": protected(MEET_WRITE, method="POST", kwargs=pk_of("agenda_document")),
    "agenda_document_delete#get": protected(
        MEET_WRITE, granted="405", kwargs=pk_of("agenda_document")
    ),
    # Readable by the back-office readers and by the meeting's invitees; others → 404.
    "agenda_document_download": protected(
        "portal.view", kwargs=pk_of("agenda_document"), adherent="404"
    ),
    "agenda_document_download#missing": protected("portal.view", granted="404", kwargs=missing_pk),
    "meeting_convene": protected(MEET_WRITE, method="POST", kwargs=pk_of("group_meeting")),
    "meeting_convene#convened": protected(
        MEET_WRITE, method="POST", kwargs=pk_of("ag_meeting"), referent="404"
    ),
    "meeting_convene#get": protected(MEET_WRITE, granted="405", kwargs=pk_of("group_meeting")),
    "meeting_resend": protected(
        MEET_WRITE, method="POST", kwargs=pk_of("ag_meeting"), referent="404"
    ),
    "meeting_resend#planned": protected(MEET_WRITE, method="POST", kwargs=pk_of("group_meeting")),
    "meeting_resend#get": protected(MEET_WRITE, granted="405", kwargs=pk_of("ag_meeting")),
    "convocation_answer": public(WHY_CONVOCATION, kwargs=convocation_token),
    "convocation_answer#post": public(
        WHY_CONVOCATION, method="POST", kwargs=convocation_token, data={"answer": "present"}
    ),
    "convocation_answer#unknown": public(
        WHY_CONVOCATION, same("404"), kwargs=lambda o: {"token": "inconnu"}
    ),
    # Personas without a member record get the "contact the coordination" page (200).
    "portal_meetings": protected("portal.view"),
    # Only the invitee (``own_member`` of the adherent) reaches their meeting: others → 404.
    "portal_meeting_ics": protected(
        "portal.view", granted="404", kwargs=pk_of("ag_meeting"), adherent=OK
    ),
    "portal_meeting_answer": protected(
        "portal.view",
        granted="404",
        method="POST",
        kwargs=pk_of("ag_meeting"),
        data={"answer": "absent"},
        adherent=OK,
    ),
    "portal_meeting_answer#get": protected(
        "portal.view", granted="405", kwargs=pk_of("ag_meeting")
    ),
    # --- Attendance and proxies (governance/views/attendance.py + proxies.py) ---
    # ag_meeting is convened in a month: proxies are open. A référent only reaches the
    # meetings of the group they lead (404 elsewhere).
    "meeting_attendance": protected(
        "governance.view | groups.lead", kwargs=pk_of("ag_meeting"), referent="404"
    ),
    "meeting_attendance#group": protected(
        "governance.view | groups.lead", kwargs=pk_of("group_meeting")
    ),
    "meeting_attendance#other-group": protected(
        "governance.view | groups.lead", kwargs=pk_of("other_group_meeting"), referent="404"
    ),
    "meeting_attendance#missing": protected(
        "governance.view | groups.lead", granted="404", kwargs=missing_pk
    ),
    "attendance_mark": protected(
        "governance.manage | groups.lead",
        method="POST",
        kwargs=lambda o: {"pk": o.ag_meeting.pk, "member_pk": o.member.pk},
        data={"status": "present"},
        referent="404",
    ),
    "attendance_mark#htmx": protected(
        "governance.manage | groups.lead",
        method="POST",
        kwargs=lambda o: {"pk": o.ag_meeting.pk, "member_pk": o.member.pk},
        data={"status": "absent"},
        htmx=True,
        referent="404",
    ),
    "attendance_mark#bad-status": protected(
        "governance.manage | groups.lead",
        method="POST",
        kwargs=lambda o: {"pk": o.ag_meeting.pk, "member_pk": o.member.pk},
        data={"status": "x"},
        htmx=True,
        referent="404",
    ),
    # ``member`` is not expected at the group's meetings.
    "attendance_mark#not-expected": protected(
        "governance.manage | groups.lead",
        method="POST",
        granted="404",
        kwargs=lambda o: {"pk": o.group_meeting.pk, "member_pk": o.member.pk},
        data={"status": "present"},
    ),
    "attendance_mark#other-group": protected(
        "governance.manage | groups.lead",
        method="POST",
        granted="404",
        kwargs=lambda o: {"pk": o.other_group_meeting.pk, "member_pk": o.member.pk},
        data={"status": "present"},
    ),
    "attendance_mark#get": protected(
        "governance.manage | groups.lead",
        granted="405",
        kwargs=lambda o: {"pk": o.ag_meeting.pk, "member_pk": o.member.pk},
    ),
    "meeting_quorum": protected(
        "governance.view | groups.lead", kwargs=pk_of("ag_meeting"), htmx=True, referent="404"
    ),
    "meeting_quorum#group": protected(
        "governance.view | groups.lead", kwargs=pk_of("group_meeting"), htmx=True
    ),
    "meeting_quorum#held": protected(
        "governance.view | groups.lead", kwargs=pk_of("ca_meeting"), referent="404"
    ),
    "attendance_sheet_request": protected(
        "governance.view | groups.lead",
        method="POST",
        kwargs=pk_of("ag_meeting"),
        referent="404",
    ),
    "attendance_sheet_request#group": protected(
        "governance.view | groups.lead", method="POST", kwargs=pk_of("group_meeting")
    ),
    "attendance_sheet_request#get": protected(
        "governance.view | groups.lead", granted="405", kwargs=pk_of("ag_meeting")
    ),
    "meeting_proxy_add": protected(
        "governance.manage | groups.lead",
        method="POST",
        kwargs=pk_of("ag_meeting"),
        data={"giver": "abc", "holder": "999999999"},
        referent="404",
    ),
    "meeting_proxy_add#group": protected(
        "governance.manage | groups.lead", method="POST", kwargs=pk_of("group_meeting")
    ),
    "meeting_proxy_add#get": protected(
        "governance.manage | groups.lead", granted="405", kwargs=pk_of("ag_meeting")
    ),
    "meeting_proxy_delete": protected(
        "governance.manage | groups.lead", method="POST", kwargs=pk_of("proxy"), referent="404"
    ),
    "meeting_proxy_delete#missing": protected(
        "governance.manage | groups.lead", method="POST", granted="404", kwargs=missing_pk
    ),
    "meeting_proxy_delete#get": protected(
        "governance.manage | groups.lead", granted="405", kwargs=pk_of("proxy")
    ),
    # Portal: only a member convened to the AG reaches its proxy page (the adherent
    # persona's member is convened; its 2026 fee is unpaid, so the page explains why it
    # cannot give a proxy). Everyone else, and any meeting other than an AG: 404.
    "proxy_give": protected("portal.view", granted="404", kwargs=pk_of("ag_meeting"), adherent=OK),
    "proxy_give#post": protected(
        "portal.view",
        granted="404",
        method="POST",
        kwargs=pk_of("ag_meeting"),
        data={"holder": "abc"},
        adherent=OK,
    ),
    "proxy_give#search": protected(
        "portal.view",
        granted="404",
        kwargs=pk_of("ag_meeting"),
        query="q=a",
        htmx=True,
        adherent=OK,
    ),
    "proxy_give#not-an-ag": protected("portal.view", granted="404", kwargs=pk_of("ca_meeting")),
    "proxy_give#missing": protected("portal.view", granted="404", kwargs=missing_pk),
    "proxy_revoke": protected(
        "portal.view", granted="404", method="POST", kwargs=pk_of("ag_meeting"), adherent=OK
    ),
    "proxy_revoke#get": protected("portal.view", granted="405", kwargs=pk_of("ag_meeting")),
    # --- Portal home sections (governance/views/portal_sections.py) ---
    # Personas without a member record get the section's explanation, never an error.
    "portal_meetings_section": protected("portal.view", htmx=True),
    "portal_groups_section": protected("portal.view", htmx=True),
    "portal_documents_section": protected("portal.view", htmx=True),
    # The one-tap actions of the cards answer with the refreshed section.
    "portal_meeting_answer#section": protected(
        "portal.view",
        granted="404",
        method="POST",
        kwargs=pk_of("ag_meeting"),
        data={"answer": "present", "section": "1"},
        htmx=True,
        adherent=OK,
    ),
    "group_join#section": protected(
        "portal.view", method="POST", kwargs=pk_of("group"), data={"section": "1"}, htmx=True
    ),
    "group_leave#section": protected(
        "portal.view", method="POST", kwargs=pk_of("group"), data={"section": "1"}, htmx=True
    ),
    # --- Shared documents (governance/views/library.py) ---
    "shared_documents": protected("portal.view"),
    "shared_documents#filters": protected("portal.view", query="categorie=zz&page=abc"),
    "shared_documents#minutes": protected("portal.view", query="categorie=minutes"),
    "shared_document_download": protected("portal.view", kwargs=pk_of("shared_document")),
    # Visible to the members of ``other_group`` (no persona) and the coordination only.
    "shared_document_download#body": protected(
        "portal.view", granted="404", kwargs=pk_of("body_document"), coordinator=OK
    ),
    "shared_document_download#missing": protected("portal.view", granted="404", kwargs=missing_pk),
    "shared_document_manage": protected("library.manage"),
    "shared_document_manage#filters": protected("library.manage", query="categorie=x&page=zz"),
    "shared_document_manage#post": protected(
        "library.manage",
        granted="400",
        method="POST",
        data={"title": "Sans fichier", "category": "plans", "visibility": "members"},
    ),
    "shared_document_edit": protected("library.manage", kwargs=pk_of("shared_document")),
    "shared_document_edit#post": protected(
        "library.manage",
        method="POST",
        kwargs=pk_of("shared_document"),
        data={
            "title": "Statuts 2026",
            "category": "statutes",
            "published_on": "2026-01-10",
            "visibility": "members",
        },
    ),
    "shared_document_edit#missing": protected("library.manage", granted="404", kwargs=missing_pk),
    "shared_document_delete": protected(
        "library.manage", method="POST", kwargs=pk_of("shared_document")
    ),
    "shared_document_delete#get": protected(
        "library.manage", granted="405", kwargs=pk_of("shared_document")
    ),
}
