"""Alerts: segments, the refusal of an empty segment, the delivery log (sent, failed, no
address), the signed read-confirmation link and its public page."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from crisis.models import Alert, AlertDelivery, DeliveryStatus, Segment
from crisis.selectors.alerts import (
    SegmentChoice,
    delivery_for_token,
    read_token,
    segment_count,
    segment_members,
)
from crisis.services.alerts import send_alert
from governance.models import Body, BodyKind, Mandate, MandateRole
from members.models import PracticeSite
from members.models.members import MemberStatus
from tests.crisis.helpers import member, profession

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(association):
    lodeve = association.communes.get(insee_code="34142")
    gignac = association.communes.get(insee_code="34114")
    nurse = member("infirmier", commune=lodeve)
    gp = member("medecin_generaliste", commune=gignac)
    PracticeSite.objects.create(member=gp, commune=lodeve)  # also practises in Lodève
    no_email = member("infirmier", email="", commune=gignac)
    member("infirmier", status=MemberStatus.CANDIDATE)  # not active: never reached
    group = Body.objects.create(kind=BodyKind.GROUP, name="Groupe vaccination")
    Mandate.objects.create(
        member=nurse, body=group, role=MandateRole.MEMBRE, start_date=datetime.date(2020, 1, 1)
    )
    Mandate.objects.create(
        member=gp,
        body=group,
        role=MandateRole.MEMBRE,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2021, 1, 1),
    )
    return {
        "nurse": nurse,
        "gp": gp,
        "no_email": no_email,
        "lodeve": lodeve,
        "gignac": gignac,
        "group": group,
    }


def test_segments_reach_the_right_active_members(people):
    def reached(choice):
        return set(segment_members(choice))

    assert reached(SegmentChoice(Segment.EVERYONE)) == {
        people["nurse"],
        people["gp"],
        people["no_email"],
    }
    assert reached(SegmentChoice(Segment.PROFESSION, profession=profession("infirmier"))) == {
        people["nurse"],
        people["no_email"],
    }
    assert reached(SegmentChoice(Segment.COMMUNE, commune=people["lodeve"])) == {
        people["nurse"],
        people["gp"],
    }
    assert reached(SegmentChoice(Segment.GROUP, group=people["group"])) == {people["nurse"]}
    count = segment_count(SegmentChoice(Segment.PROFESSION, profession=profession("infirmier")))
    assert (count.members, count.with_email, count.without_email) == (2, 1, 1)


def test_an_empty_segment_is_refused_and_nothing_is_written(people, coordinator):
    with pytest.raises(ValidationError, match="aucun membre actif"):
        send_alert(
            subject="Canicule",
            body="Alerte",
            choice=SegmentChoice(Segment.PROFESSION, profession=profession("orthoptiste")),
            activation=None,
            by=coordinator,
        )
    with pytest.raises(ValidationError) as error:
        send_alert(
            subject="Canicule",
            body="Alerte",
            choice=SegmentChoice(Segment.COMMUNE),
            activation=None,
            by=coordinator,
        )
    assert "commune" in error.value.message_dict
    assert not Alert.objects.exists() and not AlertDelivery.objects.exists()


def test_sending_logs_each_recipient_and_confirms_the_reading(
    people, coordinator, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alert = send_alert(
            subject="  Canicule : niveau 3  ",
            body="Appelez vos patients fragiles.",
            choice=SegmentChoice(Segment.PROFESSION, profession=profession("infirmier")),
            activation=None,
            by=coordinator,
        )
    assert alert.subject == "Canicule : niveau 3"
    rows = {d.member_id: d for d in alert.deliveries.all()}
    assert rows[people["nurse"].pk].status == DeliveryStatus.SENT
    assert rows[people["nurse"].pk].sent_at is not None
    assert rows[people["no_email"].pk].status == DeliveryStatus.NO_EMAIL
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [people["nurse"].email] and message.subject == "Canicule : niveau 3"
    delivery = rows[people["nurse"].pk]
    # The token carries its signing time: read the link the email holds.
    found = re.search(r"https?://[^/\s]+(/alerte/[^\s]+/)", str(message.body))
    assert found is not None
    link = found.group(1)
    assert delivery_for_token(link.split("/")[2]) == delivery
    assert read_token(delivery).split(":")[0] == link.split("/")[2].split(":")[0]
    # The public page shows the message; the POST confirms once.
    page = client.get(link)
    assert page.status_code == 200 and "Appelez vos patients fragiles." in page.content.decode()
    assert client.post(link).status_code == 302
    delivery.refresh_from_db()
    first_read = delivery.read_at
    assert first_read is not None
    client.post(link)
    delivery.refresh_from_db()
    assert delivery.read_at == first_read
    assert "Lecture confirmée" in client.get(link).content.decode()


def test_a_tampered_or_foreign_token_is_a_404(people, client):
    assert client.get(reverse("alert_read", kwargs={"token": "abc"})).status_code == 404
    from django.core import signing

    forged = signing.dumps({"d": 1}, salt="autre")
    assert client.get(reverse("alert_read", kwargs={"token": forged})).status_code == 404
    unknown = signing.dumps({"d": 999999}, salt="crisis.alert.read", compress=True)
    assert client.get(reverse("alert_read", kwargs={"token": unknown})).status_code == 404


def test_a_mail_failure_is_logged_on_its_row(
    people, coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise OSError("Serveur de courriel injoignable")

    monkeypatch.setattr("crisis.services.alerts.send_email", broken)
    with django_capture_on_commit_callbacks(execute=True):
        alert = send_alert(
            subject="Test",
            body="Corps",
            choice=SegmentChoice(Segment.EVERYONE),
            activation=None,
            by=coordinator,
        )
    statuses = sorted(alert.deliveries.values_list("status", flat=True))
    assert statuses == [DeliveryStatus.FAILED, DeliveryStatus.FAILED, DeliveryStatus.NO_EMAIL]
    assert alert.deliveries.filter(error__contains="injoignable").count() == 2


def test_the_alert_list_names_each_alerts_segment(client, coordinator, association):
    from django.urls import reverse

    from crisis.models import Alert, Segment
    from members.models import Profession

    nurses = Profession.objects.get(code="infirmier")
    Alert.objects.create(subject="A", body="x", segment=Segment.EVERYONE)
    Alert.objects.create(subject="B", body="x", segment=Segment.PROFESSION, profession=nurses)
    client.force_login(coordinator)
    page = client.get(reverse("alert_list")).content.decode()
    assert '<td data-label="Segment" data-testid="alert-segment">Tous les membres</td>' in page
    assert "Une profession : Infirmier(ère)</td>" in page
