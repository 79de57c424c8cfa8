"""Meeting pages: the back-office list, creation, detail, agenda and convocation actions, the
public answer link and the adherent's "Mes réunions" portal page."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import (
    AgendaItem,
    BodyKind,
    Convocation,
    ConvocationAnswer,
    Mandate,
    MandateRole,
    Meeting,
    MeetingStatus,
    Statutes,
)
from governance.services.convocations import convene
from governance.services.meetings import add_agenda_document, add_agenda_item
from members.models import Member
from tests.factories import MemberFactory
from tests.governance.test_meetings import (
    at_local,
    body,
    group,
    make_meeting,
    pay,
    seat,
    upload,
)

pytestmark = pytest.mark.django_db

CONFIRMED = {"confirmation": "1"}


def led_group(referent):
    return Mandate.objects.get(member__user=referent, role=MandateRole.REFERENT).body


def own_member(user) -> Member:
    return Member.objects.filter(user=user).first() or MemberFactory.create(
        user=user, email=user.email
    )


# --- List -----------------------------------------------------------------------------------


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("meeting_list"))
    assert response.status_code == 200
    return len(queries)


def test_meeting_list_queries_do_not_grow_with_rows(client, coordinator, association):
    client.force_login(coordinator)
    instance = group()
    member = MemberFactory.create()
    seat(member, instance)
    for day in range(2):
        convene(make_meeting(body=instance, days=day + 1, title=f"Réunion {day}"))
    few = _list_queries(client)
    for day in range(18):
        meeting = make_meeting(body=instance, days=-day - 1, title=f"Passée {day}")
        Convocation.objects.create(meeting=meeting, member=member)
    assert _list_queries(client) == few


def test_upcoming_meetings_come_first_then_past_ones(client, coordinator, association):
    client.force_login(coordinator)
    make_meeting(BodyKind.CA, days=-10, title="Passée ancienne")
    make_meeting(BodyKind.CA, days=-1, title="Passée récente")
    make_meeting(BodyKind.CA, days=20, title="Future lointaine")
    make_meeting(BodyKind.CA, days=2, title="Future proche")
    response = client.get(reverse("meeting_list"))
    titles = [m.title for m in response.context["page"].object_list]
    assert titles == ["Future proche", "Future lointaine", "Passée récente", "Passée ancienne"]


def test_list_filters_and_bad_query_strings(client, coordinator, association):
    client.force_login(coordinator)
    ca = make_meeting(BodyKind.CA, days=3, title="Conseil")
    make_meeting(days=5, title="AG")
    response = client.get(reverse("meeting_list"), {"instance": ca.body_id, "statut": "planned"})
    assert [m.title for m in response.context["page"].object_list] == ["Conseil"]
    response = client.get(reverse("meeting_list"), {"instance": "x", "statut": "?", "annee": "zz"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 2


def test_a_referent_lists_and_reads_only_their_groups(client, referent, association):
    client.force_login(referent)
    mine = make_meeting(body=led_group(referent), days=4, title="Mon groupe")
    other = make_meeting(body=group("Autre groupe"), days=4, title="Autre groupe")
    ca = make_meeting(BodyKind.CA, days=4, title="Conseil")
    response = client.get(reverse("meeting_list"))
    assert [m.title for m in response.context["page"].object_list] == ["Mon groupe"]
    assert client.get(reverse("meeting_detail", args=[mine.pk])).status_code == 200
    for meeting in (other, ca):
        assert client.get(reverse("meeting_detail", args=[meeting.pk])).status_code == 404
        assert client.post(reverse("meeting_convene", args=[meeting.pk])).status_code == 404
        assert client.get(reverse("meeting_edit", args=[meeting.pk])).status_code == 404


def test_a_referent_creates_meetings_for_their_group_only(client, referent, association):
    client.force_login(referent)
    mine, other = led_group(referent), group("Autre groupe")
    response = client.get(reverse("meeting_create"))
    assert list(response.context["form"].fields["body"].queryset) == [mine]
    starts = (timezone.localtime() + datetime.timedelta(days=9)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("meeting_create"), {"body": other.pk, "title": "Intrus", "starts_at": starts}
    )
    assert response.status_code == 200 and "body" in response.context["form"].errors
    response = client.post(
        reverse("meeting_create"), {"body": mine.pk, "title": "Réunion", "starts_at": starts}
    )
    meeting = Meeting.objects.get(title="Réunion")
    assert response.status_code == 302 and meeting.body == mine


def test_a_referent_cannot_touch_another_groups_agenda(client, referent, association):
    client.force_login(referent)
    item = add_agenda_item(make_meeting(body=group("Autre groupe"), days=4), title="Point")
    assert client.get(reverse("agenda_item_edit", args=[item.pk])).status_code == 404
    assert client.post(reverse("agenda_item_delete", args=[item.pk])).status_code == 404
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_tresorier_reads_but_does_not_create(client, tresorier, association):
    client.force_login(tresorier)
    meeting = make_meeting(BodyKind.CA, days=3)
    assert client.get(reverse("meeting_detail", args=[meeting.pk])).status_code == 200
    assert client.get(reverse("meeting_create")).status_code == 403
    assert client.post(reverse("meeting_convene", args=[meeting.pk])).status_code == 403


# --- Create, detail, actions ----------------------------------------------------------------


def test_coordinator_creates_an_ag_with_french_errors(client, coordinator, association):
    client.force_login(coordinator)
    ag = body(BodyKind.AG)
    response = client.get(reverse("meeting_create"), {"instance": ag.pk})
    assert response.context["form"].initial["body"] == ag.pk
    starts = timezone.localtime() + datetime.timedelta(days=40)
    data = {
        "body": ag.pk,
        "title": "AG 2026",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    }
    response = client.post(reverse("meeting_create"), data)
    errors = response.context["form"].errors
    assert errors["ends_at"] == ["La fin doit être postérieure au début de la réunion."]
    assert "ag_kind" in errors
    data.update(ends_at="", ag_kind="ordinary", video_url="visio.exemple.fr/ag")
    response = client.post(reverse("meeting_create"), data)
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("meeting_detail", args=[meeting.pk])
    assert meeting.video_url == "https://visio.exemple.fr/ag"


def test_detail_shows_the_notice_warning_and_convening_sends(
    client, president, association, django_capture_on_commit_callbacks
):
    client.force_login(president)
    statutes = Statutes.objects.get_solo()
    meeting = make_meeting(
        starts_at=at_local(timezone.localdate() + datetime.timedelta(days=10)), place="Lodève"
    )
    add_agenda_item(meeting, title="Rapport moral")
    response = client.get(reverse("meeting_detail", args=[meeting.pk]))
    assert f"{statutes.convocation_notice_days} jours" in response.context["warning"]
    assert "Rapport moral" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meeting_convene", args=[meeting.pk]), CONFIRMED)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CONVENED
    # every active member: the president's own record at least
    assert mail.outbox and "http://testserver/convocation/" in mail.outbox[0].body
    response = client.get(reverse("meeting_detail", args=[meeting.pk]))
    assert "a été convoquée" in response.context["warning"]
    assert response.context["summary"].total == Member.objects.filter(status="active").count()


def test_convening_a_past_meeting_shows_the_french_refusal(client, coordinator, association):
    client.force_login(coordinator)
    meeting = make_meeting(BodyKind.CA, days=-1)
    url = reverse("meeting_convene", args=[meeting.pk])
    response = client.post(url, CONFIRMED, follow=True)
    assert "Impossible de convoquer une réunion déjà passée" in response.content.decode()


def test_agenda_editing_through_the_pages(client, referent, association, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(referent)
    meeting = make_meeting(body=led_group(referent), days=5)
    client.post(reverse("agenda_item_create", args=[meeting.pk]), {"title": "Bilan"})
    client.post(reverse("agenda_item_create", args=[meeting.pk]), {"title": "Projets"})
    second = AgendaItem.objects.get(title="Projets")
    client.post(reverse("agenda_item_move", args=[second.pk]), {"direction": "up"})
    titles = list(meeting.agenda_items.order_by("position").values_list("title", flat=True))
    assert titles == ["Projets", "Bilan"]
    response = client.post(reverse("agenda_item_edit", args=[second.pk]), {"title": ""})
    assert response.status_code == 200 and "title" in response.context["form"].errors
    client.post(
        reverse("agenda_document_add", args=[second.pk]),
        {"title": "Feuille de route", "file": upload()},
    )
    document = second.documents.get()
    response = client.post(
        reverse("agenda_document_add", args=[second.pk]),
        {"file": upload("script.sh")},
        follow=True,
    )
    assert "Format de fichier non accepté" in response.content.decode()
    download = client.get(reverse("agenda_document_download", args=[document.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    client.post(reverse("agenda_document_delete", args=[document.pk]))
    client.post(reverse("agenda_item_delete", args=[second.pk]))
    assert list(meeting.agenda_items.values_list("title", "position")) == [("Bilan", 1)]


def test_mark_held_and_cancel(client, coordinator, association):
    client.force_login(coordinator)
    past = make_meeting(BodyKind.CA, days=-1)
    client.post(reverse("meeting_mark_held", args=[past.pk]))
    past.refresh_from_db()
    assert past.status == MeetingStatus.HELD
    future = make_meeting(BodyKind.CA, days=3)
    response = client.post(reverse("meeting_mark_held", args=[future.pk]), follow=True)
    assert "avant son début" in response.content.decode()
    client.post(reverse("meeting_cancel", args=[future.pk]), {"reason": ""})
    future.refresh_from_db()
    assert future.status == MeetingStatus.PLANNED
    client.post(reverse("meeting_cancel", args=[future.pk]), {"reason": "Quorum impossible"})
    future.refresh_from_db()
    assert future.status == MeetingStatus.CANCELLED


# --- Answer link ----------------------------------------------------------------------------


@pytest.fixture
def convocation(association):
    member = MemberFactory.create()
    instance = group()
    seat(member, instance)
    meeting = make_meeting(body=instance, days=3, title="Groupe parcours")
    convene(meeting)
    return Convocation.objects.get(meeting=meeting)


def test_the_answer_link_needs_no_login(client, convocation):
    url = reverse("convocation_answer", args=[convocation.token])
    response = client.get(url)
    assert response.status_code == 200 and "Groupe parcours" in response.content.decode()
    response = client.post(url, {"answer": "present"})
    assert response.status_code == 302
    convocation.refresh_from_db()
    assert convocation.answer == ConvocationAnswer.PRESENT and convocation.answered_at
    response = client.post(url, {"answer": "nimporte"}, follow=True)
    assert "Choisissez" in response.content.decode()


def test_a_voting_invitee_of_an_ag_can_give_a_proxy_from_the_link(client, association):
    meeting = make_meeting(days=10)
    add_agenda_item(meeting, title="Rapport moral")
    voter = MemberFactory.create()
    pay(voter, timezone.localdate(meeting.starts_at).year)
    MemberFactory.create()
    convene(meeting)
    proxy_url = reverse("proxy_give", args=[meeting.pk])
    for convocation in Convocation.objects.filter(meeting=meeting):
        page = client.get(reverse("convocation_answer", args=[convocation.token])).content
        assert (proxy_url in page.decode()) is convocation.can_vote
    assert Convocation.objects.filter(meeting=meeting, can_vote=True).count() == 1


def test_an_unknown_token_is_404(client, convocation):
    assert client.get(reverse("convocation_answer", args=["inconnu"])).status_code == 404
    assert client.post(reverse("convocation_answer", args=["inconnu"])).status_code == 404


def test_answers_close_once_the_meeting_has_started_or_is_cancelled(client, convocation):
    url = reverse("convocation_answer", args=[convocation.token])
    Meeting.objects.filter(pk=convocation.meeting_id).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    response = client.get(url)
    assert "les réponses sont closes" in response.content.decode()
    response = client.post(url, {"answer": "absent"}, follow=True)
    assert "closes" in response.content.decode()
    convocation.refresh_from_db()
    assert convocation.answer == ConvocationAnswer.PENDING
    Meeting.objects.filter(pk=convocation.meeting_id).update(
        starts_at=timezone.now() + datetime.timedelta(days=1), status=MeetingStatus.CANCELLED
    )
    assert "annulée" in client.get(url).content.decode()


# --- Portal ---------------------------------------------------------------------------------


def test_portal_lists_answers_and_downloads_my_convocations(client, adherent, association):
    member = own_member(adherent)
    meeting = make_meeting(days=6, title="AG de printemps")
    add_agenda_item(meeting, title="Budget")
    convene(meeting)
    client.force_login(adherent)
    response = client.get(reverse("portal_meetings"))
    assert [c.meeting for c in response.context["upcoming"]] == [meeting]
    assert "Budget" in response.content.decode()
    response = client.post(
        reverse("portal_meeting_answer", args=[meeting.pk]), {"answer": "absent"}
    )
    assert response.status_code == 302
    assert Convocation.objects.get(member=member).answer == ConvocationAnswer.ABSENT
    ics = client.get(reverse("portal_meeting_ics", args=[meeting.pk]))
    assert ics["Content-Type"] == "text/calendar"
    assert b"SUMMARY:AG de printemps" in ics.content


def test_portal_meeting_urls_are_404_without_a_convocation(
    client, adherent, referent, association, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    meeting = make_meeting(days=6)
    item = add_agenda_item(meeting, title="Comptes")
    document = add_agenda_document(item, title="Comptes", upload=upload())
    client.force_login(adherent)  # no member record at all
    assert client.get(reverse("portal_meetings")).status_code == 200
    assert client.get(reverse("portal_meeting_ics", args=[meeting.pk])).status_code == 404
    assert client.post(reverse("portal_meeting_answer", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("agenda_document_download", args=[document.pk])).status_code == 404
    own_member(adherent)
    convene(meeting)  # the adherent is now convened to the AG
    assert client.get(reverse("agenda_document_download", args=[document.pk])).status_code == 200
    client.force_login(referent)  # convened too (active member), but not to another group
    other = make_meeting(body=group("Autre"), days=6)
    other_item = add_agenda_item(other, title="Point")
    other_doc = add_agenda_document(other_item, title="Doc", upload=upload())
    assert client.get(reverse("agenda_document_download", args=[other_doc.pk])).status_code == 404


# --- Invitee list of the meeting page -------------------------------------------------------


def _convened_ag(size: int) -> tuple[Meeting, list[Member]]:
    """An AG convened to ``size`` members (more than a page for 60): the first answered
    present, the second absent, every third one can vote."""
    meeting = make_meeting(status=MeetingStatus.CONVENED, title=f"AG de {size}")
    members = [MemberFactory.create(last_name=f"Invite{n:03d}") for n in range(size)]
    Convocation.objects.bulk_create(
        Convocation(meeting=meeting, member=member, can_vote=n % 3 == 0)
        for n, member in enumerate(members)
    )
    Convocation.objects.filter(meeting=meeting, member=members[0]).update(
        answer=ConvocationAnswer.PRESENT
    )
    Convocation.objects.filter(meeting=meeting, member=members[1]).update(
        answer=ConvocationAnswer.ABSENT
    )
    return meeting, members


def _invitee_rows(page: str) -> int:
    return page.count('<td data-label="Membre">')


def _detail_queries(client, meeting: Meeting, query: str = "") -> int:
    url = reverse("meeting_detail", args=[meeting.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{url}?{query}" if query else url)
    assert response.status_code == 200
    return len(queries)


def test_meeting_page_queries_do_not_grow_with_invitees(client, coordinator, association):
    client.force_login(coordinator)
    counts = []
    for size in (5, 60):
        meeting, _members = _convened_ag(size)
        _detail_queries(client, meeting)  # warm-up: session and caches
        counts.append(
            (
                _detail_queries(client, meeting),
                _detail_queries(client, meeting, "q=invite&reponse=sans-reponse&page=2"),
            )
        )
    assert counts[0] == counts[1]


def test_meeting_page_counts_everyone_and_lists_a_page(client, coordinator, association):
    meeting, members = _convened_ag(60)
    client.force_login(coordinator)
    url = reverse("meeting_detail", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert _invitee_rows(page) == 50
    assert "60 personnes convoquées" in page and "Avec droit de vote : 20" in page
    assert "Sans réponse : 58" in page and "Page 1 sur 2" in page
    second = client.get(url, {"page": "2"}).content.decode()
    assert _invitee_rows(second) == 10 and members[59].display_name in second
    assert "60 personnes convoquées" in second
    assert _invitee_rows(client.get(url, {"page": "x"}).content.decode()) == 50


def test_meeting_page_searches_and_filters_invitees(client, coordinator, association):
    meeting, members = _convened_ag(5)
    helene = MemberFactory.create(first_name="Hélène", last_name="Lefèvre")
    Convocation.objects.create(meeting=meeting, member=helene, answer=ConvocationAnswer.PROXY)
    client.force_login(coordinator)
    url = reverse("meeting_detail", args=[meeting.pk])
    page = client.get(url, {"q": "helene LEFEVRE"}).content.decode()
    assert _invitee_rows(page) == 1 and helene.display_name in page
    for answer, expected in (
        ("present", members[0]),
        ("absent", members[1]),
        ("procuration", helene),
    ):
        page = client.get(url, {"reponse": answer}).content.decode()
        assert _invitee_rows(page) == 1 and expected.display_name in page, answer
    assert _invitee_rows(client.get(url, {"reponse": "sans-reponse"}).content.decode()) == 3
    assert _invitee_rows(client.get(url, {"reponse": "bof"}).content.decode()) == 6
    page = client.get(url, {"q": "personne"}).content.decode()
    assert "Aucune personne convoquée ne correspond à cette recherche." in page
    assert "6 personnes convoquées" in page  # the counts stay those of the meeting
    for odd in ("a" * 500, "%", "_", "é"):
        assert client.get(url, {"q": odd, "reponse": odd, "page": odd}).status_code == 200


def test_htmx_gets_the_invitee_list_alone(client, coordinator, association):
    meeting, members = _convened_ag(5)
    client.force_login(coordinator)
    response = client.get(
        reverse("meeting_detail", args=[meeting.pk]),
        {"q": "invite001"},
        headers={"HX-Request": "true", "HX-Target": "convocation-results"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="convocation-results"')
    assert _invitee_rows(page) == 1 and members[1].display_name in page
    assert "titre-infos" not in page
    assert "HX-Target" in response["Vary"]


# --- Confirmation, agenda lock, form, list and portal fixes ----------------------------------


def test_convening_asks_for_a_confirmation_with_the_figures(
    client, coordinator, association, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    statutes = Statutes.objects.get_solo()
    statutes.convocation_notice_days = 15
    statutes.save()
    meeting = make_meeting(days=10)
    voter = MemberFactory.create()
    pay(voter, timezone.localdate(meeting.starts_at).year)
    MemberFactory.create_batch(2)  # convened without a vote
    recipients = Member.objects.filter(status="active").count()
    url = reverse("meeting_detail", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert 'data-bs-target="#confirmer-convocation"' in page
    assert f"{recipients} personnes convoquées dont 1 avec droit de vote" in page
    assert "cette AG le serait 10 jour(s) avant sa date" in page
    # An AG with an empty agenda: refused, no confirmation button.
    assert 'data-testid="empty-agenda"' in page and "Confirmer l'envoi" not in page
    add_agenda_item(meeting, title="Rapport moral")
    page = client.get(url).content.decode()
    assert f"Confirmer l'envoi à {recipients} personnes" in page
    assert 'name="confirmation" value="1"' in page
    # Without the confirmation, nothing leaves.
    response = client.post(reverse("meeting_convene", args=[meeting.pk]), follow=True)
    assert "Confirmez l&#x27;envoi de la convocation" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED and not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meeting_convene", args=[meeting.pk]), CONFIRMED)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CONVENED and len(mail.outbox) == recipients


def test_a_group_meeting_with_an_empty_agenda_is_only_warned(client, referent, association):
    client.force_login(referent)
    meeting = make_meeting(body=led_group(referent), days=5)
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "les personnes convoquées liront « précisé prochainement »" in page
    assert "Confirmer l'envoi à 1 personne" in page
    assert "avec droit de vote" not in page


def test_untold_changes_are_flagged_and_sent_to_everyone(
    client, coordinator, association, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    instance = group()
    members = [MemberFactory.create() for _ in range(2)]
    for member in members:
        seat(member, instance)
    meeting = make_meeting(body=instance, days=8)
    convene(meeting)
    Convocation.objects.filter(member=members[0]).update(answer=ConvocationAnswer.PRESENT)
    url = reverse("meeting_detail", args=[meeting.pk])
    assert 'data-testid="invitees-not-told"' not in client.get(url).content.decode()
    client.post(reverse("agenda_item_create", args=[meeting.pk]), {"title": "Nouveau point"})
    page = client.get(url).content.decode()
    assert 'data-testid="invitees-not-told"' in page
    assert "Envoyer l'ordre du jour mis à jour à tous les convoqués" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meeting_resend", args=[meeting.pk]), {"destinataires": "tous"}, follow=True
        )
    assert "Convocation mise à jour envoyée par e-mail à 2 personnes." in (
        response.content.decode()
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in members)
    assert all("Nouveau point" in m.body for m in mail.outbox)
    assert 'data-testid="invitees-not-told"' not in client.get(url).content.decode()


def test_a_held_meeting_locks_its_agenda_in_the_pages(client, coordinator, association):
    client.force_login(coordinator)
    meeting = make_meeting(BodyKind.CA, days=-1)
    item = add_agenda_item(meeting, title="Budget")  # written before it was held
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "son ordre du jour et ses documents ne peuvent plus être modifiés" in page
    assert reverse("agenda_item_create", args=[meeting.pk]) not in page
    assert reverse("agenda_item_delete", args=[item.pk]) not in page
    for url in (
        reverse("agenda_item_create", args=[meeting.pk]),
        reverse("agenda_item_edit", args=[item.pk]),
    ):
        response = client.get(url, follow=True)
        assert response.redirect_chain[-1][0].startswith(
            reverse("meeting_detail", args=[meeting.pk])
        )
        assert "ne peuvent plus être modifiés" in response.content.decode()
    response = client.post(reverse("agenda_item_delete", args=[item.pk]), follow=True)
    assert "ne peuvent plus être modifiés" in response.content.decode()
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_deleting_an_agenda_item_asks_first(client, coordinator, association):
    client.force_login(coordinator)
    meeting = make_meeting(BodyKind.CA, days=5)
    item = add_agenda_item(meeting, title="Budget")
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert f'data-bs-target="#supprimer-point-{item.pk}"' in page
    assert "Supprimer le point « Budget » ?" in page and "Confirmer la suppression" in page
    # The delete form sits in the collapsed confirmation, not behind the first button.
    confirmation = page[page.index(f'id="supprimer-point-{item.pk}"') :]
    assert confirmation.index(reverse("agenda_item_delete", args=[item.pk])) < confirmation.index(
        "Confirmer la suppression"
    )


def test_the_meeting_form_selects_and_ag_fields(client, coordinator, referent, association):
    client.force_login(coordinator)
    day = timezone.localdate() - datetime.timedelta(days=30)
    first = make_meeting(starts_at=at_local(day), title=f"Assemblée générale du {day:%d/%m/%Y}")
    form = client.get(reverse("meeting_create")).context["form"]
    for name in ("body", "ag_kind", "second_convocation_of"):
        assert form.fields[name].widget.attrs["class"] == "form-select", name
    assert form.fields["title"].widget.attrs["class"] == "form-control"
    choices = list(form.fields["second_convocation_of"].choices)
    assert str(choices[0][1]) == "— aucune —"
    assert [str(label) for _value, label in choices[1:]] == [first.title]  # date not repeated
    client.force_login(referent)
    response = client.get(reverse("meeting_create"))
    page = response.content.decode()
    assert "ag_kind" not in response.context["form"].fields
    assert "Nature de l&#x27;AG" not in page and "Seconde convocation" not in page
    assert 'class="form-select"' in page  # the Instance select


@pytest.mark.parametrize(
    ("starts", "ends", "field", "message"),
    [
        ("9999-12-31T18:00", "", "starts_at", "Début : la date est à plus de 5 ans d'ici"),
        ("1999-01-01T18:00", "", "starts_at", "Début : la date remonte à plus de 5 ans"),
        ("+40d18:00", "+30d18:00", "ends_at", "La fin doit être postérieure au début"),
        ("+40d18:00", "+50d18:00", "ends_at", "La fin doit tomber au plus 7 jours après"),
    ],
)
def test_the_meeting_form_refuses_odd_dates(
    client, coordinator, association, starts, ends, field, message
):
    def when(value: str) -> str:
        if not value.startswith("+"):
            return value
        days, time = value[1:].split("d")
        day = timezone.localdate() + datetime.timedelta(days=int(days))
        return f"{day:%Y-%m-%d}T{time}"

    client.force_login(coordinator)
    data = {
        "body": body(BodyKind.CA).pk,
        "title": "Conseil",
        "starts_at": when(starts),
        "ends_at": when(ends),
    }
    response = client.post(reverse("meeting_create"), data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not Meeting.objects.exists()


def test_a_past_meeting_is_recorded_but_cannot_be_convened(client, coordinator, association):
    client.force_login(coordinator)
    day = timezone.localdate() - datetime.timedelta(days=20)
    data = {
        "body": body(BodyKind.AG).pk,
        "title": "AG de printemps",
        "starts_at": f"{day:%Y-%m-%d}T18:00",
        "ag_kind": "ordinary",
    }
    response = client.post(reverse("meeting_create"), data, follow=True)
    page = response.content.decode()
    meeting = Meeting.objects.get()
    assert meeting.status == MeetingStatus.PLANNED
    assert "Sa date étant passée, elle ne peut pas être convoquée" in page
    assert 'data-testid="cannot-convene"' in page
    assert 'data-testid="notice-warning"' not in page and "0 jour(s)" not in page
    assert "confirmer-convocation" not in page


def test_a_cancelled_meeting_is_not_to_come_in_the_list(client, coordinator, association):
    client.force_login(coordinator)
    make_meeting(BodyKind.CA, days=5, title="Conseil maintenu")
    make_meeting(BodyKind.CA, days=6, title="Conseil annulé", status=MeetingStatus.CANCELLED)
    rows = {
        meeting.title: meeting.is_upcoming
        for meeting in client.get(reverse("meeting_list")).context["page"].object_list
    }
    assert rows == {"Conseil maintenu": True, "Conseil annulé": False}
    page = client.get(reverse("meeting_list")).content.decode()
    assert page.count("à venir</span>") == 1


def _past_meeting_with_attendance(member: Member, status: str, title: str, holder=None):
    from governance.models import Attendance

    meeting = make_meeting(BodyKind.CA, days=-3, title=title, status=MeetingStatus.HELD)
    Convocation.objects.create(
        meeting=meeting, member=member, answer=ConvocationAnswer.PRESENT, can_vote=True
    )
    if status:
        Attendance.objects.create(
            meeting=meeting, member=member, status=status, represented_by=holder
        )
    return meeting


def test_portal_past_meetings_show_the_recorded_attendance(client, adherent, association):
    member = own_member(adherent)
    holder = MemberFactory.create(first_name="Camille", last_name="Bernard")
    _past_meeting_with_attendance(member, "present", "Conseil de mars")
    _past_meeting_with_attendance(member, "represented", "Conseil d'avril", holder)
    _past_meeting_with_attendance(member, "excused", "Conseil de mai")
    _past_meeting_with_attendance(member, "", "Conseil de juin")
    client.force_login(adherent)
    page = client.get(reverse("portal_meetings")).content.decode()
    labels = page.split('data-testid="past-attendance">')[1:]
    shown = sorted(label.split("<")[0] for label in labels)
    assert shown == sorted(
        [
            "Présent·e",
            f"Représenté·e par {holder.display_name}",
            "Excusé·e",
            "Présence non relevée",
        ]
    )
    assert "Sera présent·e" not in page


def _portal_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("portal_meetings"))
    assert response.status_code == 200
    return len(queries)


def test_portal_past_meetings_queries_do_not_grow(client, adherent, association):
    member = own_member(adherent)
    client.force_login(adherent)
    for index in range(2):
        holder = MemberFactory.create()
        _past_meeting_with_attendance(member, "represented", f"Conseil {index}", holder)
    _portal_queries(client)  # warm-up
    few = _portal_queries(client)
    for index in range(10):
        holder = MemberFactory.create()
        _past_meeting_with_attendance(member, "represented", f"Conseil b{index}", holder)
    assert _portal_queries(client) == few


def test_phone_layouts_of_the_menus(client, coordinator, adherent, association):
    client.force_login(adherent)
    own_member(adherent)
    page = client.get(reverse("portal_meetings")).content.decode()
    assert 'class="nav nav-pills flex-wrap' in page  # the active tab is never cut off
    client.force_login(coordinator)
    meeting = make_meeting(BodyKind.CA, days=5, video_url="https://visio.exemple.fr/ca")
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert 'class="nav nav-tabs flex-nowrap overflow-x-auto' in page
