"""Pages of events: creation and edition with the participant counts grid and the
professionals mobilised, deletion, and the event documents (upload, download, delete)."""

from __future__ import annotations

import html
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from governance.models import Body, BodyKind, Mandate, MandateRole
from members.models import Profession
from members.models.members import MemberStatus
from missions.models import Action, AgeBand, Event, EventDocument, EventKind, Mission
from missions.services import actions as services
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_action(association, referent) -> Action:
    group = Mandate.objects.get(member__user=referent, role=MandateRole.REFERENT).body
    return services.create_action(
        {
            "title": "Parcours insuffisance cardiaque",
            "missions": [Mission.objects.get(key="parcours")],
            "working_group": group,
        }
    )


@pytest.fixture
def other_action(association) -> Action:
    group = Body.objects.create(kind=BodyKind.GROUP, name="Autre groupe")
    return services.create_action(
        {
            "title": "Dépistage",
            "missions": [Mission.objects.get(key="prevention")],
            "working_group": group,
        }
    )


def _event(action: Action) -> Event:
    return services.create_event(
        action, {"kind": EventKind.PLURIPRO, "title": "Soirée IC", "date": date(2026, 3, 12)}
    )


def _form_data(**overrides):
    data = {
        "kind": EventKind.WORKSHOP,
        "title": "Atelier nutrition",
        "date": "12/03/2026",
        "place": "Salle des fêtes, Gignac",
        "hours": "2,5",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_create_an_event_with_the_counts_grid(client, referent, own_action):
    gp = Profession.objects.get(code="medecin_generaliste")
    nurse = Profession.objects.get(code="infirmier")
    member = MemberFactory.create()  # a GP: the grid offers the GP profession
    client.force_login(referent)
    url = reverse("event_create", args=[own_action.pk])
    form = client.get(url).context["form"]
    assert f"profession_{gp.pk}" in form.fields
    assert f"age_{AgeBand.ELDERLY}" in form.fields
    response = client.post(
        url,
        _form_data(
            **{
                f"profession_{gp.pk}": "3",
                "extra_profession": str(nurse.pk),
                "extra_count": "2",
                f"age_{AgeBand.SENIORS}": "14",
                f"age_{AgeBand.ADULTS}": "",
                "professionals": [str(member.pk)],
            }
        ),
    )
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#evenement-{event.pk}")
    assert event.date == date(2026, 3, 12)
    assert str(event.hours) == "2.50"
    assert list(event.professionals.all()) == [member]
    assert {(r.profession_id, r.age_band, r.count) for r in event.counts.all()} == {
        (gp.pk, "", 3),
        (nurse.pk, "", 2),
        (None, AgeBand.SENIORS, 14),
    }


def test_edit_replaces_the_counts(client, coordinator, own_action):
    gp = Profession.objects.get(code="medecin_generaliste")
    nurse = Profession.objects.get(code="infirmier")
    event = _event(own_action)
    services.set_participant_counts(event, {nurse.pk: 4}, {AgeBand.CHILDREN: 9})
    client.force_login(coordinator)
    url = reverse("event_edit", args=[event.pk])
    form = client.get(url).context["form"]
    # a profession already counted is offered even when no active member exercises it
    assert form.fields[f"profession_{nurse.pk}"].initial == 4
    assert form.fields[f"age_{AgeBand.CHILDREN}"].initial == 9
    response = client.post(
        url,
        _form_data(
            **{
                f"profession_{nurse.pk}": "0",
                f"age_{AgeBand.CHILDREN}": "11",
                "extra_profession": str(gp.pk),
                "extra_count": "1",
            }
        ),
    )
    assert response.status_code == 302
    assert {(r.profession_id, r.age_band, r.count) for r in event.counts.all()} == {
        (gp.pk, "", 1),
        (None, AgeBand.CHILDREN, 11),
    }


def test_negative_count_is_refused_on_its_field(client, coordinator, own_action):
    event = _event(own_action)
    client.force_login(coordinator)
    response = client.post(
        reverse("event_edit", args=[event.pk]), _form_data(**{f"age_{AgeBand.YOUNG}": "-3"})
    )
    assert response.status_code == 200
    assert response.context["form"].errors[f"age_{AgeBand.YOUNG}"] == [
        "Le nombre de participants ne peut être négatif."
    ]
    event.refresh_from_db()
    assert event.title == "Soirée IC"
    assert not event.counts.exists()


def test_bad_date_and_missing_title(client, coordinator, own_action):
    client.force_login(coordinator)
    response = client.post(
        reverse("event_create", args=[own_action.pk]), _form_data(date="31/02/2026", title="")
    )
    errors = response.context["form"].errors
    assert errors["date"] == ["Saisissez une date valide, par exemple 15/01/2026."]
    assert "title" in errors
    assert not Event.objects.exists()


def test_departed_member_is_not_offered(client, coordinator, own_action):
    departed = MemberFactory.create(status=MemberStatus.DEPARTED, departed_on=date(2025, 1, 1))
    client.force_login(coordinator)
    url = reverse("event_create", args=[own_action.pk])
    response = client.post(url, _form_data(professionals=[str(departed.pk)]))
    assert "professionals" in response.context["form"].errors
    assert not Event.objects.exists()


def test_referent_cannot_reach_another_groups_events(client, referent, other_action):
    event = _event(other_action)
    client.force_login(referent)
    assert client.get(reverse("event_create", args=[other_action.pk])).status_code == 404
    assert client.get(reverse("event_edit", args=[event.pk])).status_code == 404
    assert client.post(reverse("event_delete", args=[event.pk])).status_code == 404
    assert Event.objects.filter(pk=event.pk).exists()


def test_refused_personas(client, adherent, president, own_action):
    event = _event(own_action)
    url = reverse("event_edit", args=[event.pk])
    assert client.get(url).status_code == 302
    for user in (adherent, president):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(reverse("event_delete", args=[event.pk])).status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()


def test_delete_an_event(client, referent, own_action):
    event = _event(own_action)
    client.force_login(referent)
    response = client.post(reverse("event_delete", args=[event.pk]))
    assert response["Location"] == reverse("action_detail", args=[own_action.pk]) + "#evenements"
    assert not Event.objects.exists()


# --- Documents ---


def _pdf(name: str = "emargement.pdf", size: int = 100) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * size, content_type="application/pdf")


def test_upload_download_and_delete_a_document(client, referent, own_action, president):
    event = _event(own_action)
    client.force_login(referent)
    response = client.post(
        reverse("event_document_add", args=[event.pk]), {"title": "", "file": _pdf()}
    )
    assert response["Location"] == reverse("event_edit", args=[event.pk]) + "#documents"
    document = EventDocument.objects.get()
    assert document.title == "emargement"
    assert document.uploaded_by == referent
    download = client.get(reverse("event_document_download", args=[document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(president)  # the board reads the documents
    assert client.get(reverse("event_document_download", args=[document.pk])).status_code == 200
    assert client.post(reverse("event_document_delete", args=[document.pk])).status_code == 403
    client.force_login(referent)
    client.post(reverse("event_document_delete", args=[document.pk]))
    assert not EventDocument.objects.exists()


def test_too_big_or_wrong_kind_of_file_is_refused(client, coordinator, own_action):
    event = _event(own_action)
    client.force_login(coordinator)
    url = reverse("event_document_add", args=[event.pk])
    response = client.post(url, {"file": _pdf(size=10 * 1024 * 1024 + 1)}, follow=True)
    assert "Le fichier dépasse la taille maximale de 10 Mo." in html.unescape(
        response.content.decode()
    )
    response = client.post(url, {"file": SimpleUploadedFile("script.exe", b"MZ")}, follow=True)
    assert "Format de fichier non accepté" in html.unescape(response.content.decode())
    response = client.post(url, {}, follow=True)
    assert "Choisissez un fichier à déposer." in html.unescape(response.content.decode())
    assert not EventDocument.objects.exists()


def test_other_groups_documents_are_hidden_from_a_referent(client, referent, other_action):
    event = _event(other_action)
    document = services.add_event_document(event, title="Support", upload=_pdf())
    client.force_login(referent)
    assert client.get(reverse("event_document_download", args=[document.pk])).status_code == 404
    assert client.post(reverse("event_document_delete", args=[document.pk])).status_code == 404
    assert (
        client.post(reverse("event_document_add", args=[event.pk]), {"file": _pdf()}).status_code
        == 404
    )
    assert EventDocument.objects.count() == 1
