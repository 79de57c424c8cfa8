"""Emails to members: every message sent to a member goes through ``send_member_email``, which
logs it on the member (``MemberEmail``) and sends it once the surrounding transaction commits."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from cpts.models import Association, User
from members.models import Member, MemberEmail
from members.selectors.email_preferences import accepts_email

logger = logging.getLogger(__name__)

TEMPLATE_DIR = "emails/members"


Attachment = tuple[str, bytes, str]  # file name, content, MIME type


def render_email(template: str, context: dict[str, Any]) -> tuple[str, str]:
    """The text and HTML bodies of ``templates/emails/members/<template>.txt|.html``, in French.
    A ``template`` containing a slash is a path from the templates folder (e.g.
    ``emails/governance/convocation``), for the other apps' emails to members."""
    base = template if "/" in template else f"{TEMPLATE_DIR}/{template}"
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"{base}.txt", context)
        html = render_to_string(f"{base}.html", context)
    return text, html


def send_email(
    to: str,
    subject: str,
    template: str,
    context: dict[str, Any],
    attachments: list[Attachment] | None = None,
) -> None:
    """Send one French email now (text and HTML). Used after commit by the functions below."""
    text, html = render_email(template, context)
    message = EmailMultiAlternatives(subject, text, to=[to])
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    message.send()


def send_member_email(
    member: Member,
    *,
    kind: str,
    category: str,
    subject: str,
    template: str,
    context: dict[str, Any] | None = None,
    sent_by: User | None = None,
    attachments: list[Attachment] | None = None,
) -> MemberEmail | None:
    """Log an email on the member and send it after the transaction commits.

    ``category`` (an ``EmailCategory``) is checked against the member's email preferences
    (``accepts_email``): a category the member switched off sends nothing and returns None.
    Convocations and legal notices are mandatory and always leave.

    ``kind`` names what the email is (e.g. ``relance_cotisation_1_2026``): the renewal campaign
    looks it up so the same reminder never leaves twice. Returns None, and sends nothing, when
    the member has no email address. ``attachments`` are (file name, content, MIME type)."""
    if not member.email or not accepts_email(member, category):
        return None
    full_context = {
        "association": Association.objects.get_solo(),
        "member": member,
        **(context or {}),
    }
    subject = " ".join(str(subject).split())
    logged = MemberEmail.objects.create(
        member=member, kind=kind, subject=subject[:255], sent_by=sent_by
    )
    address = member.email

    def deliver() -> None:
        send_email(address, subject, template, full_context, attachments)
        logger.info("Email %s (%s) sent to member %s", logged.pk, kind, member.pk)

    # robust: a mail server failure is logged and never undoes what was recorded.
    transaction.on_commit(deliver, robust=True)
    return logged
