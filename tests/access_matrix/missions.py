"""Access-matrix entries of the ACI contract: contract and years, financing, annex file,
actions and events, indicator lines."""

from __future__ import annotations

from tests.access_matrix.core import (
    ACT_READ,
    ACT_WRITE,
    Entry,
    action_meeting,
    missing_pk,
    pk_of,
    protected,
)

ENTRIES: dict[str, Entry] = {
    # --- Contract, years, envelopes, alerts (missions/views/contract.py) ---
    "contract_home": protected("missions.view"),
    "contract_home#bad-query": protected("missions.view", query="contrat=abc"),
    "contract_home#other-contract": protected("missions.view", query="contrat=999999999999"),
    "contract_create": protected("missions.manage"),
    "contract_create#post": protected("missions.manage", method="POST"),
    "contract_edit": protected("missions.manage", kwargs=pk_of("contract")),
    "contract_edit#post": protected("missions.manage", method="POST", kwargs=pk_of("contract")),
    "contract_edit#missing": protected("missions.manage", granted="404", kwargs=missing_pk),
    "contract_mission_update": protected(
        "missions.manage",
        method="POST",
        kwargs=lambda o: {"pk": o.contract.pk, "mission_pk": o.envelope.mission_id},
        data={"started_on": "", "deployed_on": ""},
    ),
    "contract_mission_update#get": protected(
        "missions.manage",
        granted="405",
        kwargs=lambda o: {"pk": o.contract.pk, "mission_pk": o.envelope.mission_id},
    ),
    "contract_mission_update#missing": protected(
        "missions.manage",
        method="POST",
        granted="404",
        kwargs=lambda o: {"pk": o.contract.pk, "mission_pk": 999_999_999},
    ),
    "contract_year_detail": protected("missions.view", kwargs=pk_of("contract_year")),
    "contract_year_detail#missing": protected("missions.view", granted="404", kwargs=missing_pk),
    "contract_year_edit": protected("missions.manage", kwargs=pk_of("contract_year")),
    "contract_year_edit#post": protected(
        "missions.manage",
        method="POST",
        kwargs=pk_of("contract_year"),
        data={"fonctionnement": "-1"},
    ),
    "envelope_create": protected("missions.manage", kwargs=pk_of("contract_year")),
    "envelope_create#post": protected(
        "missions.manage", method="POST", kwargs=pk_of("contract_year")
    ),
    "envelope_create#missing": protected("missions.manage", granted="404", kwargs=missing_pk),
    "envelope_edit": protected("missions.manage", kwargs=pk_of("envelope")),
    "envelope_edit#post": protected("missions.manage", method="POST", kwargs=pk_of("envelope")),
    # Refused while the envelope has lines: a redirect with a message.
    "envelope_delete": protected("missions.manage", method="POST", kwargs=pk_of("envelope")),
    "envelope_delete#get": protected("missions.manage", granted="405", kwargs=pk_of("envelope")),
    "envelope_delete#missing": protected(
        "missions.manage", method="POST", granted="404", kwargs=missing_pk
    ),
    "contract_alerts": protected("missions.view", htmx=True),
    "contract_alerts#post": protected("missions.view", method="POST", granted="405"),
    # --- Financing schedule (missions/views/financing.py) ---
    "financing_schedule": protected("missions.view"),
    "financing_schedule#year": protected("missions.view", query="annee=3"),
    "financing_schedule#bad-query": protected("missions.view", query="annee=abc&x=%ff"),
    "received_payment_create": protected("finance.approve", kwargs=pk_of("contract_year")),
    "received_payment_create#post": protected(
        "finance.approve",
        method="POST",
        kwargs=pk_of("contract_year"),
        data={"received_on": "01/01/2025", "amount": "1 500,00", "nature": "fixe"},
    ),
    "received_payment_create#invalid": protected(
        "finance.approve", method="POST", kwargs=pk_of("contract_year"), data={"amount": "-1"}
    ),
    "received_payment_create#missing": protected(
        "finance.approve", granted="404", kwargs=missing_pk
    ),
    "received_payment_edit": protected("finance.approve", kwargs=pk_of("received_payment")),
    "received_payment_edit#post": protected(
        "finance.approve",
        method="POST",
        kwargs=pk_of("received_payment"),
        data={"received_on": "01/01/2025", "amount": "44000", "nature": "fonctionnement"},
    ),
    "received_payment_edit#missing": protected("finance.approve", granted="404", kwargs=missing_pk),
    "received_payment_delete": protected(
        "finance.approve", method="POST", kwargs=pk_of("received_payment")
    ),
    "received_payment_delete#missing": protected(
        "finance.approve", method="POST", granted="404", kwargs=missing_pk
    ),
    "received_payment_delete#get": protected(
        "finance.approve", granted="405", kwargs=pk_of("received_payment")
    ),
    # --- Contract annex file (missions/views/annex.py) ---
    "contract_annex_import": protected("missions.manage"),
    "contract_annex_import#post-without-file": protected("missions.manage", method="POST"),
    "contract_annex_confirm": protected(
        "missions.manage", method="POST", data={"token": "jeton-inconnu-0123456789"}
    ),
    "contract_annex_confirm#get": protected("missions.manage", granted="405"),
    "contract_annex_export": protected("missions.view", kwargs=pk_of("contract_year")),
    "contract_annex_export#missing": protected("missions.view", granted="404", kwargs=missing_pk),
    # --- Actions and events (missions/views/actions.py) ---
    "action_list": protected(ACT_READ),
    "action_create": protected(ACT_WRITE),
    "action_create#post": protected(ACT_WRITE, method="POST"),
    "action_detail": protected(ACT_READ, kwargs=pk_of("group_action")),
    "action_detail#no-group": protected(ACT_READ, kwargs=pk_of("action"), referent="404"),
    "action_detail#missing": protected(ACT_READ, granted="404", kwargs=missing_pk),
    "action_edit": protected(ACT_WRITE, kwargs=pk_of("group_action")),
    "action_edit#post": protected(ACT_WRITE, method="POST", kwargs=pk_of("group_action")),
    "action_edit#no-group": protected(ACT_WRITE, kwargs=pk_of("action"), referent="404"),
    # group_action has an event: the deletion is refused with a message (redirect).
    "action_delete": protected(ACT_WRITE, method="POST", kwargs=pk_of("group_action")),
    "action_delete#no-group": protected(
        ACT_WRITE, method="POST", kwargs=pk_of("action"), referent="404"
    ),
    "action_delete#get": protected(ACT_WRITE, granted="405", kwargs=pk_of("group_action")),
    "action_meeting_link": protected(ACT_WRITE, method="POST", kwargs=pk_of("group_action")),
    "action_meeting_link#no-group": protected(
        ACT_WRITE, method="POST", kwargs=pk_of("action"), referent="404"
    ),
    "action_meeting_link#get": protected(ACT_WRITE, granted="405", kwargs=pk_of("group_action")),
    # group_meeting is linked to group_action.
    "action_meeting_unlink": protected(
        ACT_WRITE, method="POST", kwargs=action_meeting("group_action", "group_meeting")
    ),
    "action_meeting_unlink#not-linked": protected(
        ACT_WRITE,
        method="POST",
        kwargs=action_meeting("group_action", "other_group_meeting"),
        granted="404",
    ),
    "action_meeting_unlink#get": protected(
        ACT_WRITE, granted="405", kwargs=action_meeting("group_action", "group_meeting")
    ),
    "event_create": protected(ACT_WRITE, kwargs=pk_of("group_action")),
    "event_create#post": protected(ACT_WRITE, method="POST", kwargs=pk_of("group_action")),
    "event_create#no-group": protected(ACT_WRITE, kwargs=pk_of("action"), referent="404"),
    "event_edit": protected(ACT_WRITE, kwargs=pk_of("group_event")),
    "event_edit#post": protected(ACT_WRITE, method="POST", kwargs=pk_of("group_event")),
    "event_edit#no-group": protected(ACT_WRITE, kwargs=pk_of("event"), referent="404"),
    "event_edit#missing": protected(ACT_WRITE, granted="404", kwargs=missing_pk),
    "event_delete": protected(ACT_WRITE, method="POST", kwargs=pk_of("group_event")),
    "event_delete#no-group": protected(
        ACT_WRITE, method="POST", kwargs=pk_of("event"), referent="404"
    ),
    "event_delete#get": protected(ACT_WRITE, granted="405", kwargs=pk_of("group_event")),
    "event_document_add": protected(ACT_WRITE, method="POST", kwargs=pk_of("group_event")),
    "event_document_add#no-group": protected(
        ACT_WRITE, method="POST", kwargs=pk_of("event"), referent="404"
    ),
    "event_document_add#get": protected(ACT_WRITE, granted="405", kwargs=pk_of("group_event")),
    "event_document_download": protected(ACT_READ, kwargs=pk_of("event_document")),
    "event_document_download#missing": protected(ACT_READ, granted="404", kwargs=missing_pk),
    "event_document_delete": protected(ACT_WRITE, method="POST", kwargs=pk_of("event_document")),
    "event_document_delete#get": protected(
        ACT_WRITE, granted="405", kwargs=pk_of("event_document")
    ),
    # --- Indicator lines, livrables, proofs (missions/views/lines.py) ---
    "line_detail": protected("missions.view", kwargs=pk_of("binary_line")),
    "line_detail#tiers": protected("missions.view", kwargs=pk_of("tiers_line")),
    "line_detail#missing": protected("missions.view", granted="404", kwargs=missing_pk),
    "line_create": protected("missions.manage", kwargs=pk_of("envelope")),
    "line_create#post": protected(
        "missions.manage",
        method="POST",
        kwargs=pk_of("envelope"),
        data={"label": "Ligne", "kind": "binary", "direction": "increasing", "amount": "1e99"},
    ),
    "line_create#missing": protected("missions.manage", granted="404", kwargs=missing_pk),
    "line_edit": protected("missions.manage", kwargs=pk_of("tiers_line")),
    "line_edit#post": protected(
        "missions.manage",
        method="POST",
        kwargs=pk_of("tiers_line"),
        data={"label": "Dépistage", "kind": "tiers", "direction": "increasing"},
    ),
    "line_delete": protected("missions.manage", method="POST", kwargs=pk_of("binary_line")),
    "line_delete#get": protected("missions.manage", granted="405", kwargs=pk_of("binary_line")),
    "line_delete#missing": protected(
        "missions.manage", method="POST", granted="404", kwargs=missing_pk
    ),
    "line_assess": protected(
        "missions.manage",
        method="POST",
        kwargs=pk_of("tiers_line"),
        data={"achieved": "34,5", "source": "manual"},
    ),
    "line_assess#htmx-bad": protected(
        "missions.manage",
        method="POST",
        kwargs=pk_of("tiers_line"),
        data={"achieved": "beaucoup", "source": "manual"},
        htmx=True,
    ),
    "line_assess#binary": protected(
        "missions.manage",
        method="POST",
        kwargs=pk_of("binary_line"),
        data={"done": "on", "source": "manual"},
    ),
    "line_assess#get": protected("missions.manage", granted="405", kwargs=pk_of("tiers_line")),
    # The tiers line has no value proof yet: 404 for the readers.
    "line_value_proof": protected("missions.view", granted="404", kwargs=pk_of("tiers_line")),
    "livrable_add": protected(
        "missions.manage", method="POST", kwargs=pk_of("binary_line"), data={"label": "CR"}
    ),
    "livrable_add#get": protected("missions.manage", granted="405", kwargs=pk_of("binary_line")),
    "livrable_update": protected(
        "missions.manage", method="POST", kwargs=pk_of("livrable"), data={"status": "accepted"}
    ),
    "livrable_update#get": protected("missions.manage", granted="405", kwargs=pk_of("livrable")),
    "livrable_update#missing": protected(
        "missions.manage", method="POST", granted="404", kwargs=missing_pk
    ),
    "livrable_delete": protected("missions.manage", method="POST", kwargs=pk_of("livrable")),
    "livrable_delete#get": protected("missions.manage", granted="405", kwargs=pk_of("livrable")),
    # Without a file: refused with a message, back to the line.
    "proof_upload": protected("missions.manage", method="POST", kwargs=pk_of("livrable")),
    "proof_upload#get": protected("missions.manage", granted="405", kwargs=pk_of("livrable")),
    "proof_download": protected("missions.view", kwargs=pk_of("proof")),
    "proof_download#missing": protected("missions.view", granted="404", kwargs=missing_pk),
    "proof_delete": protected("missions.manage", method="POST", kwargs=pk_of("proof")),
    "proof_delete#get": protected("missions.manage", granted="405", kwargs=pk_of("proof")),
    "lines_carry_over": protected("missions.manage", method="POST", kwargs=pk_of("contract_year")),
    # GET: the confirmation page listing what would be carried.
    "lines_carry_over#get": protected("missions.manage", kwargs=pk_of("contract_year")),
    "lines_carry_over#missing": protected(
        "missions.manage", method="POST", granted="404", kwargs=missing_pk
    ),
}
