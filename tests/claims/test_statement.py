"""The annual statement PDF (document kind ``claims_statement``) and its January email."""

from __future__ import annotations

import datetime
import subprocess
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail

from claims.documents import describe_statement, statement_pdf
from claims.models import ActivityKind, Claim, ClaimNature, ClaimStatus
from claims.tasks import send_annual_statements
from cpts.jobs import get_kind, request_document
from cpts.models import GeneratedDocument
from members.models import EmailOptOut
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode()


def _claim(member: Any, amount: str, status: str, day: datetime.date, **extra: Any) -> Claim:
    values: dict[str, Any] = {
        "nature": ClaimNature.INDEMNITY,
        "activity_kind": ActivityKind.GROUP_MEETING,
        "hours": Decimal("2"),
    }
    values.update(extra)
    return Claim.objects.create(
        member=member, date=day, amount=Decimal(amount), status=status, **values
    )


def test_statement_pdf_text(association: Any) -> None:
    member = MemberFactory.create(first_name="Anne", last_name="Durand")
    _claim(member, "1234.56", ClaimStatus.PAID, datetime.date(2025, 3, 3))
    _claim(member, "30", ClaimStatus.APPROVED, datetime.date(2025, 4, 3), nature="expense")
    _claim(member, "999", ClaimStatus.SUBMITTED, datetime.date(2025, 5, 3))
    _claim(member, "777", ClaimStatus.PAID, datetime.date(2024, 5, 3))
    text = _pdf_text(statement_pdf(member, 2025))
    assert "Anne DURAND" in text
    assert "2025" in text
    assert "1 234,56 €" in text.replace("\xa0", " ")
    assert "1 264,56 €" in text.replace("\xa0", " ")  # total
    assert "47 100,00" in text.replace("\xa0", " ")  # PASS 2025
    assert "999" not in text and "777" not in text


def test_statement_document_kind(association: Any, django_capture_on_commit_callbacks: Any) -> None:
    user = UserFactory.create()
    member = MemberFactory.create(user=user, email=user.email, last_name="Roux")
    _claim(member, "60", ClaimStatus.PAID, datetime.date(2025, 3, 3))
    assert get_kind("claims_statement").permission == "portal.view"
    assert "ROUX" in describe_statement({"member": member.pk, "year": 2025})
    assert describe_statement({"member": "x"}) == ""
    with django_capture_on_commit_callbacks(execute=True):
        document = request_document(
            "claims_statement", requested_by=user, parameters={"member": member.pk, "year": 2025}
        )
    document.refresh_from_db()
    assert document.status == GeneratedDocument.Status.DONE, document.error_message
    assert "ROUX" in _pdf_text(document.file.read())


def test_send_annual_statements_emails_the_right_members(
    association: Any, django_capture_on_commit_callbacks: Any
) -> None:
    paid = MemberFactory.create(last_name="Paye")
    approved = MemberFactory.create(last_name="Approuve")
    opted_out = MemberFactory.create(last_name="Refus")
    only_submitted = MemberFactory.create(last_name="Soumis")
    other_year = MemberFactory.create(last_name="Autre")
    _claim(paid, "60", ClaimStatus.PAID, datetime.date(2025, 3, 3))
    _claim(approved, "60", ClaimStatus.APPROVED, datetime.date(2025, 12, 31))
    _claim(opted_out, "60", ClaimStatus.PAID, datetime.date(2025, 3, 3))
    EmailOptOut.objects.create(member=opted_out, category="claims")
    _claim(only_submitted, "60", ClaimStatus.SUBMITTED, datetime.date(2025, 3, 3))
    _claim(other_year, "60", ClaimStatus.PAID, datetime.date(2024, 3, 3))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_annual_statements(2025) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([paid.email, approved.email])
    assert mail.outbox[0].attachments[0][2] == "application/pdf"
    with django_capture_on_commit_callbacks(execute=True):
        assert send_annual_statements(2025) == 0  # never twice


def test_beat_schedules_the_statements(settings: Any) -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["claims-annual-statements"]
    assert entry["task"] == "claims.tasks.send_annual_statements"
    assert entry["schedule"].month_of_year == {1} and entry["schedule"].day_of_month == {15}
