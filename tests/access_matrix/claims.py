"""Access-matrix entries of the claims (claims/views/): the adherent's pages, the validation
and approval queues, a claim's page, batches and their exports, the totals and the tariffs
page. The objects are built by ``claims_objects`` (``MatrixObjects.claims``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from claims.models import ActivityKind, Claim, ClaimNature, ClaimStatus, PaymentBatch
from cpts.models import GeneratedDocument
from governance.models import Meeting
from members.models import Member
from tests.access_matrix.core import OK, Entry, KwargsBuilder, missing_pk, protected

STATEMENT_KIND = "claims_statement"


@dataclass(frozen=True)
class ClaimsObjects:
    own_claim: Claim  # the ``adherent`` persona's, submitted, typed by hand
    own_expense: Claim  # the ``adherent`` persona's, submitted, with its receipt
    group_claim: Claim  # ``member``'s, submitted, for the référent's group meeting
    validated_claim: Claim  # ``member``'s, validated (by nobody among the personas)
    batch: PaymentBatch  # with one paid claim of ``member``
    statement: GeneratedDocument  # the ``adherent`` persona's statement, finished


def claims_objects(
    member: Member, own_member: Member, group_meeting: Meeting, adherent: Any
) -> ClaimsObjects:
    today = timezone.localdate()
    common = {"nature": ClaimNature.INDEMNITY, "date": today, "hours": Decimal("2")}
    own_claim = Claim.objects.create(
        member=own_member,
        activity_kind=ActivityKind.TRAINING,
        amount=Decimal("120.00"),
        justification="Formation SAS",
        **common,
    )
    own_expense = Claim(
        member=own_member,
        nature=ClaimNature.EXPENSE,
        date=today,
        amount=Decimal("23.40"),
        justification="Parking",
    )
    own_expense.receipt.save("ticket.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    group_claim = Claim.objects.create(
        member=member,
        meeting=group_meeting,
        activity_kind=ActivityKind.GROUP_MEETING,
        amount=Decimal("120.00"),
        **common,
    )
    validated_claim = Claim.objects.create(
        member=member,
        activity_kind=ActivityKind.MISSION_ACTION,
        amount=Decimal("90.00"),
        status=ClaimStatus.VALIDATED,
        validated_at=timezone.now(),
        justification="Atelier",
        **common,
    )
    batch = PaymentBatch.objects.create(paid_on=today, label="Lot de janvier")
    Claim.objects.create(
        member=member,
        activity_kind=ActivityKind.ON_CALL,
        amount=Decimal("60.00"),
        status=ClaimStatus.PAID,
        batch=batch,
        justification="Astreinte",
        **common,
    )
    statement = GeneratedDocument.objects.create(
        kind=STATEMENT_KIND,
        parameters={"member": own_member.pk, "year": today.year},
        status=GeneratedDocument.Status.DONE,
        progress=100,
        requested_by=adherent,
        finished_at=timezone.now(),
    )
    statement.file.save("releve.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return ClaimsObjects(
        own_claim=own_claim,
        own_expense=own_expense,
        group_claim=group_claim,
        validated_claim=validated_claim,
        batch=batch,
        statement=statement,
    )


def of(attribute: str) -> KwargsBuilder:
    return lambda o: {"pk": getattr(o.claims, attribute).pk}


def export(fmt: str) -> KwargsBuilder:
    return lambda o: {"pk": o.claims.batch.pk, "fmt": fmt}


def this_year(o: Any) -> dict[str, Any]:
    return {"year": timezone.localdate().year}


# Every logged-in persona passes portal.view; the coordinator persona has no member record
# and gets the page saying so (200); someone else's claim or document is a 404.
NO_MEMBER_OK: dict[str, Any] = {"coordinator": OK}
OWN_ONLY: dict[str, Any] = {
    "referent": "404",
    "tresorier": "404",
    "president": "404",
    **NO_MEMBER_OK,
}
VALIDATE = "claims.validate | groups.lead"
REFUSE = "claims.validate | groups.lead | finance.approve"
SETTINGS = "claims.tariffs | finance.approve"

ENTRIES: dict[str, Entry] = {
    # --- The adherent's side (claims/views/member.py) ---
    "portal_claims_cards": protected("portal.view", htmx=True),
    "my_claims": protected("portal.view"),
    "my_claims#bad-page": protected("portal.view", query="page=abc"),
    "claim_declare_time": protected("portal.view"),
    "claim_declare_time#unknown-source": protected(
        "portal.view", query="source=meeting&id=999999", granted="404", **NO_MEMBER_OK
    ),
    "claim_declare_time#bad-source": protected(
        "portal.view", query="source=zzz&id=abc", granted="404", **NO_MEMBER_OK
    ),
    "claim_declare_time#invalid": protected(
        "portal.view", method="POST", data={"hours": "abc"}, granted="400", **NO_MEMBER_OK
    ),
    "claim_declare_time#by-hand-missing": protected(
        "portal.view", method="POST", data={"hours": "2"}, granted="400", **NO_MEMBER_OK
    ),
    "claim_declare_expense": protected("portal.view"),
    "claim_declare_expense#invalid": protected(
        "portal.view",
        method="POST",
        data={"date": "31/02/2026", "amount": "-abc"},
        granted="400",
        **NO_MEMBER_OK,
    ),
    "my_claim_edit": protected("portal.view", kwargs=of("own_claim"), **OWN_ONLY),
    "my_claim_edit#invalid": protected(
        "portal.view",
        method="POST",
        kwargs=of("own_claim"),
        data={"date": "", "hours": "x"},
        adherent="400",
        **OWN_ONLY,
    ),
    "my_claim_withdraw": protected(
        "portal.view", method="POST", kwargs=of("own_claim"), **OWN_ONLY
    ),
    "my_claim_withdraw#get": protected("portal.view", granted="405", kwargs=of("own_claim")),
    "my_bank_account": protected("portal.view"),
    "my_bank_account#invalid": protected(
        "portal.view",
        method="POST",
        data={"holder": "A. Martin", "iban": "FR00 1234"},
        granted="400",
        **NO_MEMBER_OK,
    ),
    "my_statement_request": protected("portal.view", method="POST", kwargs=this_year),
    "my_statement_request#bad-year": protected(
        "portal.view",
        method="POST",
        kwargs=lambda o: {"year": 1990},
        granted="404",
        **NO_MEMBER_OK,
    ),
    "my_statement_request#get": protected("portal.view", granted="405", kwargs=this_year),
    "my_statement": protected("portal.view", kwargs=of("statement"), granted="404", adherent=OK),
    "my_statement_download": protected(
        "portal.view", kwargs=of("statement"), granted="404", adherent=OK
    ),
    # --- Reviewing (claims/views/review.py) ---
    "claim_detail": protected("portal.view", kwargs=of("own_claim"), referent="404"),
    "claim_detail#group": protected("portal.view", kwargs=of("group_claim"), adherent="404"),
    "claim_receipt": protected("portal.view", kwargs=of("own_expense"), referent="404"),
    "claim_receipt#none": protected("portal.view", kwargs=of("own_claim"), granted="404"),
    "claim_detail#missing": protected("portal.view", kwargs=missing_pk, granted="404"),
    "validation_queue": protected(VALIDATE),
    "validation_queue#bad-page": protected(VALIDATE, query="page=-4"),
    "claim_validate": protected(VALIDATE, method="POST", kwargs=of("group_claim")),
    "claim_validate#not-theirs": protected(
        VALIDATE, method="POST", kwargs=of("own_claim"), referent="404"
    ),
    "claim_validate#get": protected(VALIDATE, granted="405", kwargs=of("group_claim")),
    "claim_approve": protected("finance.approve", method="POST", kwargs=of("validated_claim")),
    "claim_approve#missing": protected(
        "finance.approve", method="POST", kwargs=missing_pk, granted="404"
    ),
    "claim_refuse": protected(REFUSE, kwargs=of("group_claim")),
    "claim_refuse#empty": protected(
        REFUSE, method="POST", kwargs=of("group_claim"), data={"reason": ""}, granted="400"
    ),
    "claim_refuse#post": protected(
        REFUSE, method="POST", kwargs=of("group_claim"), data={"reason": "Hors mission."}
    ),
    "approval_queue": protected("finance.approve"),
    "approval_queue#filters": protected(
        "finance.approve",
        query="year=abc&profession=999999&mission=zz&activity_kind=x&near_cap=on&page=-1",
    ),
    "claims_bulk_approve": protected(
        "finance.approve",
        method="POST",
        data={"claims": ["abc", "999999999999"]},
    ),
    "claims_bulk_approve#get": protected("finance.approve", granted="405"),
    # --- Batches, totals, tariffs (claims/views/finance.py) ---
    "batch_list": protected("finance.view"),
    "batch_create": protected("finance.approve"),
    "batch_create#invalid": protected(
        "finance.approve", method="POST", data={"paid_on": "x", "label": ""}, granted="400"
    ),
    "batch_create#nothing-chosen": protected(
        "finance.approve",
        method="POST",
        data={"paid_on": "2026-03-01", "label": "Lot de mars"},
        granted="400",
    ),
    "batch_detail": protected("finance.view", kwargs=of("batch")),
    "batch_detail#missing": protected("finance.view", kwargs=missing_pk, granted="404"),
    "batch_export": protected("finance.approve", kwargs=export("csv")),
    "batch_export#xlsx": protected("finance.approve", kwargs=export("xlsx")),
    # The association has no IBAN: the SEPA file is refused with a message (redirect).
    "batch_export#sepa": protected("finance.approve", kwargs=export("sepa")),
    "batch_export#unknown": protected("finance.approve", kwargs=export("pdf"), granted="404"),
    "claims_totals": protected("finance.view"),
    "claims_totals#bad-year": protected("finance.view", query="annee=abc"),
    "claims_settings": protected(SETTINGS),
    "tariff_add": protected(
        "claims.tariffs",
        method="POST",
        data={
            "activity_kind": "training",
            "basis": "hourly",
            "amount": "60,00",
            "valid_from": "2026-01-01",
        },
    ),
    "tariff_add#invalid": protected(
        "claims.tariffs", method="POST", data={"amount": "abc"}, granted="400"
    ),
    "tariff_add#get": protected("claims.tariffs", granted="405"),
    "mileage_rate_add": protected(
        "claims.tariffs", method="POST", data={"per_km": "0,35", "valid_from": "2026-01-01"}
    ),
    "mileage_rate_add#invalid": protected(
        "claims.tariffs", method="POST", data={"per_km": "-1"}, granted="400"
    ),
    "pass_set": protected(
        "claims.tariffs", method="POST", data={"year": "2027", "amount": "49 500,00"}
    ),
    "pass_set#invalid": protected(
        "claims.tariffs", method="POST", data={"year": "abc"}, granted="400"
    ),
    "period_close": protected("finance.approve", method="POST", data={"year": "2020"}),
    "period_close#invalid": protected(
        "finance.approve", method="POST", data={"year": "1"}, granted="400"
    ),
}
