"""The decision register: every adopted resolution of every body, newest first, searchable
without accents, filtered by body and year, linked to approved minutes, for every adherent."""

from __future__ import annotations

import datetime
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from governance.documents import _describe_attendance_sheet
from governance.models import (
    AttendanceStatus,
    BodyKind,
    MajorityRule,
    Mandate,
    MandateRole,
    Meeting,
    Resolution,
)
from governance.selectors.decisions import (
    meeting_label,
    meeting_title,
    title_has_date,
    titled_with_date,
)
from governance.services.minutes import approve_minutes, draft_minutes
from governance.services.resolutions import record_vote
from tests.governance.test_resolutions import board_meeting, body_of, mark, resolution_of

pytestmark = pytest.mark.django_db

URL = reverse("decision_register")


def decided(meeting: Meeting, title: str, text: str, adopted: bool = True) -> Resolution:
    resolution = resolution_of(meeting, title=title, text=text, majority=MajorityRule.SIMPLE)
    return (
        record_vote(resolution, 3, 0, 0, by=None)
        if adopted
        else record_vote(resolution, 0, 3, 0, by=None)
    )


@pytest.fixture
def decisions() -> dict[str, Resolution]:
    old, members = board_meeting(size=4, present=3, days_ago=400, title="CA ancien")
    recent = Meeting.objects.create(
        body=old.body, title="CA récent", starts_at=timezone.now() - timedelta(days=2)
    )
    mark(recent, members[:3], AttendanceStatus.PRESENT)
    bureau = Meeting.objects.create(
        body=body_of(BodyKind.BUREAU), title="Bureau", starts_at=timezone.now() - timedelta(days=1)
    )
    for member in members[:3]:
        Mandate.objects.create(
            member=member,
            body=bureau.body,
            role=MandateRole.MEMBRE,
            start_date=timezone.localdate() - timedelta(days=500),
        )
    mark(bureau, members[:3], AttendanceStatus.PRESENT)
    return {
        "old": decided(old, "Élection du trésorier", "Le conseil élit Mme Durand trésorière."),
        "recent": decided(recent, "Budget 2027", "Le budget prévisionnel est approuvé."),
        "rejected": decided(recent, "Déménagement", "Déménager le siège.", adopted=False),
        "bureau": decided(bureau, "Achat", "Achat d'un vidéoprojecteur."),
    }


def titles(response) -> list[str]:
    return [r.title for r in response.context["page"].object_list]


def test_adopted_only_newest_first(client, adherent, decisions) -> None:
    client.force_login(adherent)
    response = client.get(URL)
    assert response.status_code == 200
    assert titles(response) == ["Achat", "Budget 2027", "Élection du trésorier"]
    assert "Déménagement" not in response.content.decode()


def test_search_ignores_accents_and_case(client, adherent, decisions) -> None:
    client.force_login(adherent)
    assert titles(client.get(URL, {"q": "election tresorier"})) == ["Élection du trésorier"]
    assert titles(client.get(URL, {"q": "PRÉVISIONNEL"})) == ["Budget 2027"]
    assert titles(client.get(URL, {"q": "introuvable"})) == []


def test_filters_and_bad_parameters(client, adherent, decisions) -> None:
    client.force_login(adherent)
    bureau = body_of(BodyKind.BUREAU)
    assert titles(client.get(URL, {"instance": bureau.pk})) == ["Achat"]
    old_year = timezone.localtime(decisions["old"].meeting.starts_at).year
    assert "Élection du trésorier" in titles(client.get(URL, {"annee": old_year}))
    assert "Budget 2027" not in titles(client.get(URL, {"annee": old_year}))
    response = client.get(URL, {"instance": "abc", "annee": "zz", "page": "-3", "q": "   "})
    assert response.status_code == 200
    assert len(titles(response)) == 3


def test_link_to_approved_minutes_only(client, adherent, decisions) -> None:
    meeting = decisions["recent"].meeting
    minutes = draft_minutes(meeting, by=None)
    client.force_login(adherent)
    link = reverse("minutes_public", args=[minutes.pk])
    assert link not in client.get(URL).content.decode()
    later = Meeting.objects.create(body=meeting.body, title="CA suivant", starts_at=timezone.now())
    approve_minutes(minutes, later, by=None)
    assert link in client.get(URL).content.decode()


def test_register_permissions(client, decisions, referent, tresorier) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    for user in (referent, tresorier):
        client.force_login(user)
        assert client.get(URL).status_code == 200


def test_register_queries_do_not_grow(client, adherent) -> None:
    client.force_login(adherent)
    meeting, _ = board_meeting(size=4, present=3)

    def queries(count: int) -> int:
        Resolution.objects.all().delete()
        for index in range(count):
            decided(meeting, f"Décision {index}", "Texte")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured.captured_queries)

    queries(0)
    assert queries(3) == queries(20)


# --- A meeting named once, its date written once ---


@pytest.mark.parametrize(
    ("title", "has_date"),
    [
        ("Conseil d'administration du 08/09/2026", True),
        ("CA 8/9/2026", True),
        ("Bureau 2026-09-08", True),
        ("AG du 8 septembre 2026", True),
        ("AG du 8 Septembre 2026", True),
        ("Conseil d'administration", False),
        ("Conseil d'administration du 09/09/2026", False),
        ("AG du 18 septembre 2026", False),
        ("CA 18/9/2026", False),
        ("CA 8/9/20267", False),
    ],
)
def test_title_has_date(title: str, has_date: bool) -> None:
    assert title_has_date(title, datetime.date(2026, 9, 8)) is has_date


def test_first_of_the_month_and_titled_with_date() -> None:
    first = datetime.date(2026, 10, 1)
    assert title_has_date("AG du 1er octobre 2026", first)
    assert titled_with_date("AG du 1er octobre 2026", first) == "AG du 1er octobre 2026"
    assert titled_with_date("AG", first) == "AG du 01/10/2026"
    assert titled_with_date("AG", None) == "AG"


def test_meeting_label_and_title() -> None:
    ca = body_of(BodyKind.CA)
    starts = timezone.make_aware(datetime.datetime(2026, 9, 8, 18, 30))
    dated = Meeting(body=ca, title="Conseil d'administration du 08/09/2026", starts_at=starts)
    assert meeting_label(dated) == "Conseil d'administration du 08/09/2026"
    assert meeting_title(dated) == "Conseil d'administration du 08/09/2026"
    plain = Meeting(body=ca, title="Séance budgétaire", starts_at=starts)
    assert meeting_label(plain) == f"{ca.name} — Séance budgétaire — 08/09/2026"
    assert meeting_title(plain) == "Séance budgétaire du 08/09/2026"
    named = Meeting(body=ca, title=f"{ca.name.upper()} de rentrée", starts_at=starts)
    assert meeting_label(named) == f"{ca.name.upper()} de rentrée — 08/09/2026"


def test_attendance_sheet_describe_writes_the_date_once() -> None:
    dated = {"meeting_id": 1, "title": "AG du 22/12/2026", "date": "22/12/2026"}
    assert _describe_attendance_sheet(dated) == "AG du 22/12/2026"
    plain = {"meeting_id": 1, "title": "AG ordinaire", "date": "22/12/2026"}
    assert _describe_attendance_sheet(plain) == "AG ordinaire du 22/12/2026"
    assert _describe_attendance_sheet({"meeting_id": 1, "date": "n'importe"}) == "Réunion n° 1"


def test_register_lines_do_not_repeat_the_body_or_the_date(client, adherent, decisions) -> None:
    recent = decisions["recent"].meeting
    day = timezone.localtime(recent.starts_at)
    recent.title = f"{recent.body.name} du {day:%d/%m/%Y}"
    recent.save()
    client.force_login(adherent)
    page = client.get(URL).content.decode()
    assert escape(recent.title) in page
    assert escape(f"{recent.body.name} — {recent.title}") not in page
    assert f"{day:%d/%m/%Y} — {day:%d/%m/%Y}" not in page
    old = decisions["old"].meeting
    old_day = timezone.localtime(old.starts_at)
    assert escape(f"{old.body.name} — CA ancien — {old_day:%d/%m/%Y}") in page
