"""Paying a member for their time, in a real browser on a phone (390 by 844): the adherent
declares the time of a meeting they attended from the portal home in under five taps, the
group's référent validates it, the treasurer approves it and pays it in a batch, and the
adherent downloads the year's statement (a PDF whose text names the meeting's amount)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from claims.models import ActivityKind, Claim, ClaimStatus, RateBasis, Tariff
from cpts.models import Association, User
from governance.models import (
    Attendance,
    AttendanceStatus,
    Mandate,
    MandateRole,
    Meeting,
    MeetingStatus,
)
from tests.factories import MemberFactory
from tests.governance.test_meetings import seat
from tests.pdf_utils import normalize_whitespace, pdf_text, require_poppler

pytestmark = pytest.mark.browser


def test_claim_from_declaration_to_payment_and_statement(
    page: Any,
    log_in: Callable[[User], None],
    association: Association,
    adherent: User,
    referent: User,
    tresorier: User,
) -> None:
    require_poppler()
    member = MemberFactory.create(
        email=adherent.email, user=adherent, first_name="Léa", last_name="Castel"
    )
    group = Mandate.objects.get(member__user=referent, role=MandateRole.REFERENT).body
    seat(member, group)
    started = timezone.now() - datetime.timedelta(days=3)
    meeting = Meeting.objects.create(
        body=group,
        title="Réunion parcours diabète",
        starts_at=started,
        ends_at=started + datetime.timedelta(hours=2),
        status=MeetingStatus.HELD,
        held_at=started,
    )
    Attendance.objects.create(meeting=meeting, member=member, status=AttendanceStatus.PRESENT)
    Tariff.objects.create(
        activity_kind=ActivityKind.GROUP_MEETING,
        basis=RateBasis.HOURLY,
        amount=Decimal("60.00"),
        valid_from=datetime.date(2020, 1, 1),
    )
    page.set_viewport_size({"width": 390, "height": 844})

    # The adherent: open the portal (1), "Déclarer" (2), adjust the hours (3), "Envoyer" (4).
    log_in(adherent)
    expect(page).to_have_url(re.compile(re.escape(reverse("portal_home")) + "$"))
    taps = 1
    card = page.get_by_test_id("card-claims")
    activity = card.get_by_test_id("claimable-activity").filter(has_text="Réunion parcours diabète")
    activity.get_by_role("link", name="Déclarer").click()
    taps += 1
    expect(page.get_by_test_id("declared-activity")).to_contain_text("Réunion parcours diabète")
    hours = page.get_by_label("Heures")
    expect(hours).to_have_value(re.compile(r"^2([,.]0+)?$"))
    hours.fill("1,5")
    taps += 1
    page.get_by_test_id("send-claim").click()
    taps += 1
    assert taps < 5
    expect(page.get_by_role("alert").filter(has_text="Votre demande est envoyée")).to_be_visible()
    claim = Claim.objects.get(member=member, meeting=meeting)
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.hours == Decimal("1.5")
    assert claim.amount == Decimal("90.00")

    # The référent validates it from the validation queue.
    page.context.clear_cookies()
    log_in(referent)
    page.goto(reverse("validation_queue"))
    row = page.get_by_test_id("validation-row").filter(has_text="Réunion parcours diabète")
    row.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("alert").filter(has_text="est validée")).to_be_visible()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VALIDATED

    # The treasurer approves it (select all, bulk approve), then pays it in a batch.
    page.context.clear_cookies()
    log_in(tresorier)
    page.goto(reverse("approval_queue"))
    expect(page.get_by_test_id("approval-row")).to_have_count(1)
    page.locator("#claims-select-all").check()
    page.get_by_test_id("bulk-approve").click()
    expect(page.get_by_role("alert").filter(has_text="1 demande approuvée")).to_be_visible()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    page.goto(reverse("batch_create"))
    page.get_by_label("Libellé du lot").fill("Indemnités de décembre")
    page.get_by_test_id("create-batch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Indemnités de décembre")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID
    assert claim.batch is not None

    # The adherent sees it paid and downloads the year's statement.
    page.context.clear_cookies()
    log_in(adherent)
    card = page.get_by_test_id("card-claims")
    expect(card.get_by_test_id("recent-claim").first).to_contain_text("Payée")
    year = claim.date.year
    card.get_by_test_id(f"statement-{year}").click()
    download_button = page.get_by_test_id("statement-download")
    expect(download_button).to_be_visible()
    with page.expect_download() as started_download:
        download_button.click()
    path = started_download.value.path()
    content = Path(path).read_bytes()
    assert content.startswith(b"%PDF")
    text = normalize_whitespace(pdf_text(content))
    assert "castel" in text.lower()
    assert "90,00" in text
