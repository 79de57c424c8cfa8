"""Celery tasks of the claims: the January statement (beat, January 15)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.models import Claim, ClaimStatus

logger = logging.getLogger(__name__)


@shared_task(name="claims.tasks.send_annual_statements")
def send_annual_statements(year: int | None = None) -> int:
    """Email each member who had approved or paid claims in ``year`` (default: last year)
    their statement as a PDF attachment; members who switched the ``claims`` emails off get
    none. Returns the number of emails sent."""
    from claims.common import euros
    from claims.documents import statement_filename, statement_pdf
    from claims.selectors import member_year_statement
    from members.models import Member
    from members.selectors.email_preferences import accepts_email
    from members.services.emails import send_member_email

    year = year or timezone.localdate().year - 1
    member_ids = (
        Claim.objects.filter(date__year=year, status__in=(ClaimStatus.APPROVED, ClaimStatus.PAID))
        .order_by()
        .values("member_id")
        .distinct()
    )
    sent = 0
    for member in Member.objects.filter(pk__in=member_ids).select_related("profession"):
        kind = f"claims_statement_{year}"
        if not member.email or not accepts_email(member, "claims"):
            continue
        if member.emails_sent.filter(kind=kind).exists():
            continue  # never the same statement twice
        statement = member_year_statement(member, year)
        content = statement_pdf(member, year)
        with transaction.atomic():
            logged = send_member_email(
                member,
                kind=kind,
                category="claims",
                subject=_("Votre relevé annuel %(year)s des indemnités et remboursements")
                % {"year": year},
                template="emails/claims/statement",
                context={"year": year, "total": euros(statement.total)},
                attachments=[(statement_filename(member, year), content, "application/pdf")],
            )
        sent += logged is not None
    logger.info("Claims statements %s: %s emails", year, sent)
    return sent
