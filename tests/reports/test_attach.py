"""« Joindre à la convocation »: a finished AG activity report put on a point of the agenda of
the next general assembly, by those who manage the governance; refused for the others, for
another kind of document and for an AG already held."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cpts.jobs import request_document
from cpts.models import GeneratedDocument, User
from governance.models import AgendaDocument, AgendaItem, BodyKind, Meeting, MeetingStatus
from reports.documents import ACI_KIND, AG_KIND
from tests.pdf_utils import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    call_command("seed_demo", stdout=StringIO())


def _report(kind: str, parameters: dict[str, Any], capture: Any) -> GeneratedDocument:
    with capture(execute=True):
        document = request_document(kind, requested_by=None, parameters=parameters)
    document.refresh_from_db()
    assert document.status == GeneratedDocument.Status.DONE, document.error_message
    return document


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _next_ag() -> Meeting:
    return Meeting.objects.filter(
        body__kind=BodyKind.AG, status=MeetingStatus.PLANNED, starts_at__gte=timezone.now()
    ).earliest("starts_at")


def test_president_attaches_the_ag_report_to_the_next_ag(
    demo: None, django_capture_on_commit_callbacks: Any
) -> None:
    year = timezone.localdate().year
    document = _report(AG_KIND, {"year": year}, django_capture_on_commit_callbacks)
    client = _client(User.objects.get(email="presidence@cpts-demo.fr"))
    home = client.get(reverse("report_home")).content.decode()
    assert reverse("report_attach", args=[document.pk]) in home
    assert "Joindre à la convocation" in home

    url = reverse("report_attach", args=[document.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    meeting = _next_ag()
    item = meeting.agenda_items.get(title__icontains="rapport d'activité")
    assert form.fields["item"].initial == item.pk  # the report's point is chosen by default
    assert form.fields["title"].initial == f"Rapport d'activité {year}"
    held = AgendaItem.objects.filter(meeting__status=MeetingStatus.MINUTES_APPROVED)
    assert not set(held.values_list("pk", flat=True)) & {i.pk for i in form.items}

    response = client.post(url, {"item": item.pk, "title": f"Rapport d'activité {year}"})
    assert response.status_code == 302
    assert (
        response["Location"] == reverse("meeting_detail", args=[meeting.pk]) + f"#point-{item.pk}"
    )
    attached = AgendaDocument.objects.get(item=item)
    assert attached.title == f"Rapport d'activité {year}"
    with attached.file.open("rb") as copy, document.file.open("rb") as original:
        content = copy.read()
        assert content == original.read()
    assert "Les groupes de travail" in pdf_text(content)
    detail = client.get(response["Location"]).content.decode()
    assert "Le rapport est joint" in detail and escape(f"Rapport d'activité {year}") in detail


def test_held_ag_item_and_empty_title_are_refused(
    demo: None, django_capture_on_commit_callbacks: Any
) -> None:
    document = _report(AG_KIND, {"year": 2025}, django_capture_on_commit_callbacks)
    client = _client(User.objects.get(email="presidence@cpts-demo.fr"))
    url = reverse("report_attach", args=[document.pk])
    held_item = AgendaItem.objects.filter(meeting__status=MeetingStatus.MINUTES_APPROVED).first()
    assert held_item is not None
    response = client.post(url, {"item": held_item.pk, "title": "Rapport"})
    assert response.status_code == 200
    assert "Choisissez un point d&#x27;une AG à venir." in response.content.decode()
    response = client.post(url, {"item": "abc", "title": ""})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"item", "title"}
    assert not AgendaDocument.objects.filter(title="Rapport").exists()


def test_no_upcoming_ag_says_so(demo: None, django_capture_on_commit_callbacks: Any) -> None:
    document = _report(AG_KIND, {"year": 2025}, django_capture_on_commit_callbacks)
    Meeting.objects.filter(body__kind=BodyKind.AG, status=MeetingStatus.PLANNED).update(
        status=MeetingStatus.CANCELLED
    )
    client = _client(User.objects.get(email="presidence@cpts-demo.fr"))
    page = client.get(reverse("report_attach", args=[document.pk])).content.decode()
    assert "Aucune assemblée générale à venir" in page
    assert "attach-report-form" not in page


def test_refused_personas_and_documents(
    demo: None, tresorier: User, adherent: User, django_capture_on_commit_callbacks: Any
) -> None:
    ag_report = _report(AG_KIND, {"year": 2025}, django_capture_on_commit_callbacks)
    aci_report = _report(ACI_KIND, {"contract_year": 1}, django_capture_on_commit_callbacks)
    item = _next_ag().agenda_items.first()
    assert item is not None
    url = reverse("report_attach", args=[ag_report.pk])
    for user in (tresorier, adherent):  # no governance.manage
        assert _client(user).post(url, {"item": item.pk, "title": "R"}).status_code == 403
    president = _client(User.objects.get(email="presidence@cpts-demo.fr"))
    assert president.get(reverse("report_attach", args=[aci_report.pk])).status_code == 404
    assert president.get(reverse("report_attach", args=[999999])).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert not AgendaDocument.objects.filter(item=item, title="R").exists()
