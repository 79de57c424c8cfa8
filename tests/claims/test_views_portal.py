"""The adherent's claims pages: the portal card, declaring time from an attended meeting or by
hand, an expense with its receipt, editing and withdrawing, bank details, the statement; the
refusals (someone else's claim is a 404, bad input a 400 with the French message on the field),
and constant query counts as claims grow."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.models import (
    ActivityKind,
    BankAccount,
    Claim,
    ClaimNature,
    ClaimStatus,
    RateBasis,
    Tariff,
)
from cpts.models import GeneratedDocument, User
from governance.models import (
    Attendance,
    AttendanceStatus,
    Body,
    BodyKind,
    Meeting,
    MeetingStatus,
)
from members.models import Member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

RATE = Decimal("60.00")


# --- Helpers shared by the claims view tests -------------------------------------------


def tariffs() -> None:
    for kind in ActivityKind:
        Tariff.objects.create(
            activity_kind=kind,
            basis=RateBasis.HOURLY,
            amount=RATE,
            valid_from=datetime.date(2020, 1, 1),
        )


def member_of(user: User, **extra: Any) -> Member:
    return Member.objects.filter(user=user).first() or MemberFactory.create(
        user=user, email=user.email, **extra
    )


def attended_meeting(
    member: Member, *, body: Body | None = None, days: int = 3, title: str = "Réunion parcours"
) -> Meeting:
    body = body or Body.objects.create(kind=BodyKind.GROUP, name=f"Groupe {title}")
    started = timezone.now() - datetime.timedelta(days=days)
    meeting = Meeting.objects.create(
        body=body,
        title=title,
        starts_at=started,
        ends_at=started + datetime.timedelta(hours=2),
        status=MeetingStatus.HELD,
        held_at=started,
    )
    Attendance.objects.create(meeting=meeting, member=member, status=AttendanceStatus.PRESENT)
    return meeting


def make_claim(member: Member, status: str = ClaimStatus.SUBMITTED, **extra: Any) -> Claim:
    hours = extra.pop("hours", Decimal("2"))
    values: dict[str, Any] = {
        "nature": ClaimNature.INDEMNITY,
        "activity_kind": ActivityKind.TRAINING,
        "date": timezone.localdate() - datetime.timedelta(days=2),
        "hours": hours,
        "unit_rate": RATE if hours is not None else None,
        "amount": hours * RATE if hours is not None else Decimal("0"),
        "justification": "Formation",
        "status": status,
    }
    values.update(extra)
    return Claim.objects.create(member=member, **values)


def queries(client: Any, url: str, headers: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200, url
    return len(captured)


def text(response: Any) -> str:
    return response.content.decode()


HTMX = {"HX-Request": "true"}


# --- Portal card --------------------------------------------------------------------------


def test_card_offers_the_attended_meeting_and_lists_my_claims(client, association, adherent):
    member = member_of(adherent)
    meeting = attended_meeting(member, title="Réunion parcours diabète")
    make_claim(member, ClaimStatus.REFUSED, refusal_reason="Hors mission")
    client.force_login(adherent)
    page = text(client.get(reverse("portal_claims_cards"), headers=HTMX))
    assert "Réunion parcours diabète" in page
    assert f"?source=meeting&amp;id={meeting.pk}" in page
    assert "Refusée" in page and "Hors mission" in page
    assert reverse("my_bank_account") in page


def test_card_is_empty_for_an_account_without_member(client, association, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("portal_claims_cards"), headers=HTMX)
    assert response.status_code == 200 and response.content == b""


def test_portal_home_loads_the_claims_section(client, association, adherent):
    member_of(adherent)
    client.force_login(adherent)
    assert reverse("portal_claims_cards") in text(client.get(reverse("portal_home")))


# --- Declaring time -----------------------------------------------------------------------


def test_declare_from_an_attended_meeting_in_one_submit(client, association, adherent):
    tariffs()
    member = member_of(adherent)
    meeting = attended_meeting(member)
    client.force_login(adherent)
    form = client.get(reverse("claim_declare_time"), {"source": "meeting", "id": meeting.pk})
    assert form.status_code == 200
    assert 'value="2' in text(form)  # the hours pre-filled with the meeting's duration
    response = client.post(
        reverse("claim_declare_time"),
        {"source_kind": "meeting", "source_id": meeting.pk, "hours": "1,5"},
    )
    assert response.status_code == 302
    claim = Claim.objects.get(member=member, meeting=meeting)
    assert claim.hours == Decimal("1.5") and claim.amount == Decimal("90.00")
    assert claim.status == ClaimStatus.SUBMITTED


def test_hours_beyond_the_meeting_are_refused_on_the_field(client, association, adherent):
    tariffs()
    member = member_of(adherent)
    meeting = attended_meeting(member)
    client.force_login(adherent)
    response = client.post(
        reverse("claim_declare_time"),
        {"source_kind": "meeting", "source_id": meeting.pk, "hours": "5"},
    )
    assert response.status_code == 400
    assert "dépasse la durée" in text(response)
    assert not Claim.objects.exists()


def test_a_meeting_not_attended_is_refused(client, association, adherent):
    tariffs()
    member_of(adherent)
    other = MemberFactory.create()
    meeting = attended_meeting(other)
    client.force_login(adherent)
    response = client.post(
        reverse("claim_declare_time"),
        {"source_kind": "meeting", "source_id": meeting.pk, "hours": "1"},
    )
    assert response.status_code == 400
    assert not Claim.objects.exists()


def test_an_unknown_source_is_a_404(client, association, adherent):
    member_of(adherent)
    client.force_login(adherent)
    url = reverse("claim_declare_time")
    assert client.get(url, {"source": "meeting", "id": 999999}).status_code == 404
    assert client.get(url, {"source": "rien", "id": "x"}).status_code == 404


def test_declare_by_hand_needs_a_justification(client, association, adherent):
    tariffs()
    member = member_of(adherent)
    client.force_login(adherent)
    day = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    missing = client.post(
        reverse("claim_declare_time"),
        {"activity_kind": ActivityKind.TRAINING, "date": day, "hours": "2"},
    )
    assert missing.status_code == 400
    assert not Claim.objects.exists()
    done = client.post(
        reverse("claim_declare_time"),
        {
            "activity_kind": ActivityKind.TRAINING,
            "date": day,
            "hours": "2",
            "justification": "Formation SAS",
        },
    )
    assert done.status_code == 302
    assert Claim.objects.get(member=member).amount == Decimal("120.00")


def test_french_number_errors(client, association, adherent):
    member_of(adherent)
    client.force_login(adherent)
    response = client.post(reverse("claim_declare_time"), {"hours": "deux"})
    assert response.status_code == 400
    assert "Saisissez un nombre" in text(response)


# --- Expenses -----------------------------------------------------------------------------


def test_expense_with_a_receipt(client, association, adherent, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    member = member_of(adherent)
    client.force_login(adherent)
    receipt = SimpleUploadedFile("ticket.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    response = client.post(
        reverse("claim_declare_expense"),
        {
            "date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
            "amount": "23,40",
            "justification": "Parking de la réunion",
            "receipt": receipt,
        },
    )
    assert response.status_code == 302
    claim = Claim.objects.get(member=member)
    assert claim.nature == ClaimNature.EXPENSE and claim.amount == Decimal("23.40")


def test_the_receipt_is_seen_by_the_member_and_finance_only(
    client, association, adherent, tresorier, referent, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    claim = make_claim(member_of(adherent), nature=ClaimNature.EXPENSE, hours=None, amount=9)
    claim.receipt.save("ticket.pdf", SimpleUploadedFile("t.pdf", b"%PDF-1.4\n"), save=True)
    url = reverse("claim_receipt", args=[claim.pk])
    for user, status in ((adherent, 200), (tresorier, 200), (referent, 404)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status
        if status == 200:
            assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_expense_receipt_that_is_not_a_pdf_or_image(client, association, adherent):
    member_of(adherent)
    client.force_login(adherent)
    response = client.post(
        reverse("claim_declare_expense"),
        {
            "date": timezone.localdate().isoformat(),
            "amount": "10",
            "justification": "Repas",
            "receipt": SimpleUploadedFile("virus.exe", b"MZ\x90\x00", "application/octet-stream"),
        },
    )
    assert response.status_code == 400
    assert "PDF ou une image" in text(response)
    assert not Claim.objects.exists()


# --- My claims, edit, withdraw ------------------------------------------------------------


def test_my_claims_lists_only_mine(client, association, adherent):
    mine = make_claim(member_of(adherent), justification="Le mien")
    other = make_claim(MemberFactory.create(), justification="Pas le mien")
    client.force_login(adherent)
    page = text(client.get(reverse("my_claims")))
    assert reverse("claim_detail", args=[mine.pk]) in page
    assert reverse("claim_detail", args=[other.pk]) not in page


def test_edit_my_submitted_claim_is_tracked(client, association, adherent):
    tariffs()
    claim = make_claim(member_of(adherent))
    client.force_login(adherent)
    response = client.post(
        reverse("my_claim_edit", args=[claim.pk]),
        {"date": claim.date.isoformat(), "hours": "3", "justification": "Formation SAS"},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.hours == Decimal("3") and claim.amount == Decimal("180.00")
    detail = text(client.get(reverse("claim_detail", args=[claim.pk])))
    assert 'data-testid="audit-history"' in detail


def test_someone_elses_claim_is_a_404(client, association, adherent):
    member_of(adherent)
    other = make_claim(MemberFactory.create())
    client.force_login(adherent)
    assert client.get(reverse("my_claim_edit", args=[other.pk])).status_code == 404
    assert client.post(reverse("my_claim_withdraw", args=[other.pk])).status_code == 404
    assert client.get(reverse("claim_detail", args=[other.pk])).status_code == 404
    assert Claim.objects.filter(pk=other.pk).exists()


def test_withdraw_my_submitted_claim(client, association, adherent):
    claim = make_claim(member_of(adherent))
    client.force_login(adherent)
    assert client.post(reverse("my_claim_withdraw", args=[claim.pk])).status_code == 302
    assert not Claim.objects.filter(pk=claim.pk).exists()


def test_a_validated_claim_cannot_be_edited(client, association, adherent):
    claim = make_claim(member_of(adherent), ClaimStatus.VALIDATED)
    client.force_login(adherent)
    response = client.get(reverse("my_claim_edit", args=[claim.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("claim_detail", args=[claim.pk])


def test_refusal_reason_on_the_detail(client, association, adherent):
    claim = make_claim(member_of(adherent), ClaimStatus.REFUSED, refusal_reason="Doublon")
    client.force_login(adherent)
    page = text(client.get(reverse("claim_detail", args=[claim.pk])))
    assert 'data-testid="refusal-reason"' in page and "Doublon" in page


# --- Bank details, statement --------------------------------------------------------------


def test_bank_details_valid_and_invalid_iban(client, association, adherent):
    member = member_of(adherent)
    client.force_login(adherent)
    bad = client.post(
        reverse("my_bank_account"), {"holder": "Léa Castel", "iban": "FR76 0000 0000"}
    )
    assert bad.status_code == 400
    assert not BankAccount.objects.exists()
    good = client.post(
        reverse("my_bank_account"),
        {"holder": "Léa Castel", "iban": "FR76 3000 6000 0112 3456 7890 189"},
    )
    assert good.status_code == 302
    assert BankAccount.objects.get(member=member).iban == "FR7630006000011234567890189"


def test_statement_request_lands_on_its_progress_page(client, association, adherent):
    member = member_of(adherent)
    client.force_login(adherent)
    year = timezone.localdate().year
    response = client.post(reverse("my_statement_request", args=[year]))
    document = GeneratedDocument.objects.get(kind="claims_statement")
    assert document.parameters == {"member": member.pk, "year": year}
    assert response["Location"] == reverse("my_statement", args=[document.pk])
    assert client.get(reverse("my_statement", args=[document.pk])).status_code == 200
    assert client.post(reverse("my_statement_request", args=[1990])).status_code == 404


def test_someone_elses_statement_is_a_404(client, association, adherent, referent):
    document = GeneratedDocument.objects.create(kind="claims_statement", requested_by=referent)
    member_of(adherent)
    client.force_login(adherent)
    assert client.get(reverse("my_statement", args=[document.pk])).status_code == 404
    assert client.get(reverse("my_statement_download", args=[document.pk])).status_code == 404


# --- Query counts -------------------------------------------------------------------------


def _grow(member: Member, count: int) -> None:
    for index in range(count):
        make_claim(member, [s.value for s in ClaimStatus][index % 5], refusal_reason="Non")
        attended_meeting(member, title=f"Réunion {count}-{index}", days=1 + index % 60)


def test_portal_pages_keep_a_constant_number_of_queries(client, association, adherent):
    member = member_of(adherent)
    client.force_login(adherent)
    urls = [
        (reverse("portal_claims_cards"), HTMX),
        (reverse("my_claims"), {}),
        (reverse("portal_home"), {}),
    ]
    _grow(member, 2)
    small = [queries(client, url, headers) for url, headers in urls]
    _grow(member, 25)
    large = [queries(client, url, headers) for url, headers in urls]
    assert large == small
