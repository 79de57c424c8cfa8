"""The .ics file of a meeting, checked by parsing it back (RFC 5545 unfolding)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from governance.ics import escape_text, fold, meeting_ics, meeting_uid
from governance.models import BodyKind, MeetingStatus
from governance.services.meetings import add_agenda_item
from tests.governance.test_meetings import make_meeting

pytestmark = pytest.mark.django_db


def parse(data: bytes) -> dict[str, str]:
    """The properties of the file's single VEVENT (and VCALENDAR), unfolded."""
    text = data.decode("utf-8")
    assert text.endswith("\r\n")
    unfolded = text.replace("\r\n ", "")
    properties: dict[str, str] = {}
    for line in unfolded.split("\r\n"):
        if line:
            name, _, value = line.partition(":")
            properties.setdefault(name, value)
    return properties


def unescape(value: str) -> str:
    return value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")


def test_the_event_has_utc_times_summary_location_and_url(association):
    starts = timezone.make_aware(datetime.datetime(2026, 12, 4, 18, 30))  # Paris, UTC+1
    meeting = make_meeting(
        title="AG 2026 : comptes, budget; élections",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        place="Salle des fêtes, Lodève",
    )
    add_agenda_item(meeting, title="Rapport moral")
    add_agenda_item(meeting, title="Approbation des comptes")
    data = meeting_ics(meeting, url="https://maillage.example/convocation/abc/")
    event = parse(data)
    assert event["BEGIN"] == "VCALENDAR" and event["VERSION"] == "2.0"
    assert event["DTSTART"] == "20261204T173000Z"
    assert event["DTEND"] == "20261204T203000Z"
    assert unescape(event["SUMMARY"]) == "AG 2026 : comptes, budget; élections"
    assert "\\," in event["SUMMARY"] and "\\;" in event["SUMMARY"]
    assert unescape(event["LOCATION"]) == "Salle des fêtes, Lodève"
    assert event["URL"] == "https://maillage.example/convocation/abc/"
    description = unescape(event["DESCRIPTION"])
    assert "1. Rapport moral\n2. Approbation des comptes" in description
    assert event["UID"] == meeting_uid(meeting)
    assert event["METHOD"] == "PUBLISH" and event["STATUS"] == "CONFIRMED"


def test_lines_are_folded_at_75_octets(association):
    meeting = make_meeting(title="Réunion " + "é" * 120, notes="Accès : " + "x" * 300)
    data = meeting_ics(meeting)
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # never cut inside a character
    assert unescape(parse(data)["SUMMARY"]) == "Réunion " + "é" * 120


def test_uid_is_stable_and_sequence_grows_with_changes(association):
    meeting = make_meeting(BodyKind.CA, days=10)
    before = parse(meeting_ics(meeting))
    meeting.refresh_from_db()
    meeting.updated_at = meeting.created_at  # freshly created: sequence 0
    assert parse(meeting_ics(meeting))["SEQUENCE"] == "0"
    meeting.title = "Conseil (nouvelle date)"
    meeting.save()
    meeting.updated_at = meeting.created_at + datetime.timedelta(minutes=5)
    after = parse(meeting_ics(meeting))
    assert after["UID"] == before["UID"]
    assert int(after["SEQUENCE"]) == 300


def test_a_cancelled_meeting_cancels_the_event_and_has_a_default_end(association):
    meeting = make_meeting(days=3, status=MeetingStatus.CANCELLED)
    event = parse(meeting_ics(meeting))
    assert event["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED"
    start = datetime.datetime.strptime(event["DTSTART"], "%Y%m%dT%H%M%SZ")
    end = datetime.datetime.strptime(event["DTEND"], "%Y%m%dT%H%M%SZ")
    assert end - start == datetime.timedelta(hours=2)


def test_escaping_and_folding_helpers():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = fold("X" * 160)
    assert [len(part) for part in folded.split("\r\n")] == [75, 75, 12]  # 75 + (1 + 74) + (1 + 11)
