"""Sending an alert: the segment is resolved at once into one delivery row per member (the
log), then a Celery task sends the emails, each with its read-confirmation link. Alerts are
safety messages and ignore email preferences: every reached member with an address gets it."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from crisis.models import Activation, Alert, AlertDelivery, DeliveryStatus, Segment
from crisis.selectors.alerts import SegmentChoice, read_token, segment_members
from governance.services.convocations import absolute_url
from members.services.emails import send_email

logger = logging.getLogger(__name__)
TEMPLATE = "emails/crisis/alert"


def check_segment(choice: SegmentChoice) -> None:
    """The segment's own field must be filled (a profession for « une profession »…)."""
    needed = {
        Segment.PROFESSION: ("profession", choice.profession, _("Choisissez la profession.")),
        Segment.COMMUNE: ("commune", choice.commune, _("Choisissez la commune.")),
        Segment.GROUP: ("group", choice.group, _("Choisissez le groupe de travail.")),
    }.get(Segment(choice.segment))
    if needed is not None and needed[1] is None:
        raise ValidationError({needed[0]: needed[2]})


@transaction.atomic
def send_alert(
    *,
    subject: str,
    body: str,
    choice: SegmentChoice,
    activation: Activation | None,
    by: Any,
) -> Alert:
    """Record the alert and its recipients, then queue the sending after the commit.
    Refused when the segment reaches nobody (or nobody with an email address)."""
    subject = " ".join(str(subject).split())
    errors: dict[str, str] = {}
    if not subject:
        errors["subject"] = _("Donnez un objet à l'alerte.")
    if not str(body).strip():
        errors["body"] = _("Écrivez le message de l'alerte.")
    if errors:
        raise ValidationError(errors)
    check_segment(choice)
    members = list(segment_members(choice).only("pk", "email"))
    if not members:
        raise ValidationError(
            _("Ce segment ne compte aucun membre actif : l'alerte n'a pas été envoyée.")
        )
    if not any(member.email for member in members):
        raise ValidationError(
            _(
                "Aucun des %(count)s membres de ce segment n'a d'adresse e-mail : l'alerte n'a "
                "pas été envoyée."
            )
            % {"count": len(members)}
        )
    alert = Alert.objects.create(
        activation=activation,
        subject=subject[:200],
        body=str(body).strip(),
        segment=choice.segment,
        profession=choice.profession if choice.segment == Segment.PROFESSION else None,
        commune=choice.commune if choice.segment == Segment.COMMUNE else None,
        group=choice.group if choice.segment == Segment.GROUP else None,
        sent_by=by,
    )
    AlertDelivery.objects.bulk_create(
        [
            AlertDelivery(
                alert=alert,
                member=member,
                email=member.email,
                status=DeliveryStatus.PENDING if member.email else DeliveryStatus.NO_EMAIL,
            )
            for member in members
        ],
        batch_size=500,
    )
    from crisis.tasks import deliver_alert

    transaction.on_commit(lambda: deliver_alert.delay(alert.pk))
    return alert


def deliver(alert_id: int) -> int:
    """Send every pending delivery of the alert; each outcome is recorded on its row (a
    failure never stops the others). Returns the number sent."""
    from cpts.models import Association

    alert = Alert.objects.filter(pk=alert_id).first()
    if alert is None:
        return 0
    association = Association.objects.get_solo()
    sent = 0
    pending = alert.deliveries.filter(status=DeliveryStatus.PENDING).select_related("member")
    for delivery in pending.iterator(chunk_size=200):
        link = absolute_url(reverse("alert_read", kwargs={"token": read_token(delivery)}))
        context = {
            "association": association,
            "member": delivery.member,
            "alert": alert,
            "read_url": link,
        }
        try:
            send_email(delivery.email, alert.subject, TEMPLATE, context)
        except Exception as error:  # any mail failure is logged on the row
            logger.warning("Alert %s to delivery %s failed: %s", alert.pk, delivery.pk, error)
            delivery.status = DeliveryStatus.FAILED
            delivery.error = str(error)[:255]
            delivery.save(update_fields=["status", "error"])
            continue
        delivery.status = DeliveryStatus.SENT
        delivery.sent_at = timezone.now()
        delivery.error = ""
        delivery.save(update_fields=["status", "sent_at", "error"])
        sent += 1
    return sent


def confirm_read(delivery: AlertDelivery) -> bool:
    """Record the reading (the first confirmation counts). True when newly recorded."""
    updated = AlertDelivery.objects.filter(pk=delivery.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return bool(updated)
