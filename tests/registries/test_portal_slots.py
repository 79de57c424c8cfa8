"""A professional member declares their own unplanned-care slots from the portal: one row per
member and week (updated, never duplicated), 0 withdraws, past weeks beyond the correction
window and weeks too far ahead refused in French, own rows only, 404 without a person member,
an audit record for every change, a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registries.models import UnplannedSlotOffer
from registries.services import (
    PORTAL_SLOT_WEEKS_AHEAD,
    PORTAL_SLOT_WEEKS_BACK,
    declare_slots,
)
from tests.factories import MemberFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

URL = "portal_slot_offers"


def _monday(weeks: int = 0) -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(weeks=weeks)


@pytest.fixture
def member(adherent, association):
    return MemberFactory.create(user=adherent, email=adherent.email)


def test_a_member_declares_then_updates_a_week(client, adherent, member):
    client.force_login(adherent)
    url = reverse(URL)
    wednesday = _monday(1) + datetime.timedelta(days=2)
    response = client.post(url, {"week": wednesday.strftime("%d/%m/%Y"), "slots": "5"})
    assert response.status_code == 302
    offer = UnplannedSlotOffer.objects.get(member=member)
    assert (offer.week, offer.slots) == (_monday(1), 5)
    page = client.get(response["Location"]).content.decode()
    assert f"5 créneau(x) déclaré(s) pour la semaine du {_monday(1):%d/%m/%Y}." in page

    client.post(url, {"week": _monday(1).isoformat(), "slots": "3"})
    assert list(UnplannedSlotOffer.objects.values_list("member", "week", "slots")) == [
        (member.pk, _monday(1), 3)
    ]
    entries = LogEntry.objects.get_for_object(UnplannedSlotOffer.objects.get())
    assert [e.action for e in entries.order_by("timestamp")] == [
        LogEntry.Action.CREATE,
        LogEntry.Action.UPDATE,
    ]
    assert entries.order_by("timestamp").last().actor == adherent


def test_zero_withdraws_the_week_and_is_audited(client, adherent, member):
    UnplannedSlotOffer.objects.create(member=member, week=_monday(), slots=4)
    client.force_login(adherent)
    response = client.post(reverse(URL), {"week": _monday().isoformat(), "slots": "0"})
    assert response.status_code == 302
    assert UnplannedSlotOffer.objects.get().slots == 0
    offer = UnplannedSlotOffer.objects.get()
    update = LogEntry.objects.get_for_object(offer).get(action=LogEntry.Action.UPDATE)
    assert update.changes_dict["slots"] == ["4", "0"]
    # 0 for a week without any offer writes nothing.
    client.post(reverse(URL), {"week": _monday(2).isoformat(), "slots": "0"})
    assert UnplannedSlotOffer.objects.count() == 1


def test_the_correction_window_is_kept(client, adherent, member):
    client.force_login(adherent)
    url = reverse(URL)
    oldest = _monday(-PORTAL_SLOT_WEEKS_BACK)
    assert client.post(url, {"week": oldest.isoformat(), "slots": "2"}).status_code == 302
    too_old = _monday(-PORTAL_SLOT_WEEKS_BACK - 1)
    refused = client.post(url, {"week": too_old.isoformat(), "slots": "2"})
    assert refused.status_code == 200
    assert (
        f"La semaine du {too_old:%d/%m/%Y} est trop ancienne : vous pouvez déclarer ou corriger "
        f"vos créneaux jusqu&#x27;à {PORTAL_SLOT_WEEKS_BACK} semaines en arrière."
    ) in refused.content.decode()
    too_far = _monday(PORTAL_SLOT_WEEKS_AHEAD + 1)
    refused = client.post(url, {"week": too_far.isoformat(), "slots": "2"})
    assert "est trop lointaine" in refused.content.decode()
    assert list(UnplannedSlotOffer.objects.values_list("week", flat=True)) == [oldest]


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"week": "", "slots": "2"}, "week", "Ce champ est obligatoire."),
        ({"week": "31/02/2026", "slots": "2"}, "week", "Saisissez une date valide."),
        ({"slots": "-1"}, "slots", "supérieure ou égale à 0"),
        ({"slots": "trois"}, "slots", "Saisissez un nombre entier."),
        ({"slots": "100000"}, "slots", "inférieure ou égale à 200"),
    ],
)
def test_bad_input_names_the_field(client, adherent, member, data, field, message):
    client.force_login(adherent)
    data = {"week": _monday().isoformat(), **data}
    response = client.post(reverse(URL), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body and message in body
    assert not UnplannedSlotOffer.objects.exists()


def test_the_service_refuses_an_old_week_too(member):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        declare_slots(member, _monday(-PORTAL_SLOT_WEEKS_BACK - 3), 4)
    assert "trop ancienne" in str(error.value.message_dict["week"])
    assert not UnplannedSlotOffer.objects.exists()


def test_a_member_sees_only_their_own_weeks(client, adherent, member):
    other = MemberFactory.create(last_name="Autre")
    UnplannedSlotOffer.objects.create(member=other, week=_monday(), slots=77)
    UnplannedSlotOffer.objects.create(member=member, week=_monday(-1), slots=6)
    UnplannedSlotOffer.objects.create(member=member, week=_monday(-20), slots=9)
    client.force_login(adherent)
    page = client.get(reverse(URL)).content.decode()
    assert "77" not in page
    assert f'id="semaine-{_monday(-1):%Y-%m-%d}"' in page and ">6<" in page
    assert f"semaine-{_monday(-20):%Y-%m-%d}" not in page  # beyond the weeks shown
    # Declaring writes the member's own row, whatever the other member offers.
    client.post(reverse(URL), {"week": _monday().isoformat(), "slots": "1"})
    assert UnplannedSlotOffer.objects.get(member=other).slots == 77
    assert UnplannedSlotOffer.objects.get(member=member, week=_monday()).slots == 1


def test_the_week_from_the_query_prefills_the_form(client, adherent, member):
    UnplannedSlotOffer.objects.create(member=member, week=_monday(1), slots=6)
    client.force_login(adherent)
    day = _monday(1) + datetime.timedelta(days=4)
    page = client.get(reverse(URL), {"semaine": day.isoformat()}).content.decode()
    assert f'value="{_monday(1):%Y-%m-%d}"' in page and 'value="6"' in page
    for odd in ("zz", "2026-13-45", "9" * 400):
        assert client.get(reverse(URL), {"semaine": odd}).status_code == 200


def test_accounts_without_a_person_member_get_404(client, adherent, coordinator, association):
    client.force_login(coordinator)
    assert client.get(reverse(URL)).status_code == 404
    OrganisationFactory.create(user=adherent, email=adherent.email)
    client.force_login(adherent)
    assert client.get(reverse(URL)).status_code == 404
    assert client.post(reverse(URL), {"week": _monday().isoformat(), "slots": "2"}).status_code == (
        404
    )
    assert not UnplannedSlotOffer.objects.exists()


def test_the_portal_card_shows_this_week_and_the_next(client, adherent, member):
    UnplannedSlotOffer.objects.create(member=member, week=_monday(), slots=3)
    client.force_login(adherent)
    card = client.get(reverse("portal_registry_card"), HTTP_HX_REQUEST="true").content.decode()
    assert "Mes créneaux de soins non programmés" in card
    assert f"Cette semaine ({_monday():%d/%m/%Y}) :" in card and "3 créneaux" in card
    assert f"Semaine prochaine ({_monday(1):%d/%m/%Y}) :" in card and "non déclarés" in card
    assert reverse(URL) in card


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_and_the_card_keep_a_fixed_number_of_queries(
    client, adherent, member, django_assert_max_num_queries
):
    client.force_login(adherent)
    urls = (reverse(URL), reverse("portal_registry_card"))
    UnplannedSlotOffer.objects.create(member=member, week=_monday(), slots=2)
    small = {url: _count(client, url) for url in urls}
    for back in range(1, 120):
        UnplannedSlotOffer.objects.create(member=member, week=_monday(-back), slots=back % 7)
    for back in range(1, 9):
        UnplannedSlotOffer.objects.create(member=member, week=_monday(back), slots=4)
    for index in range(30):
        other = MemberFactory.create(last_name=f"Autre{index:02d}")
        UnplannedSlotOffer.objects.create(member=other, week=_monday(), slots=1)
    for url in urls:
        with django_assert_max_num_queries(small[url], info=url):
            assert client.get(url).status_code == 200
    print({url: small[url] for url in urls})
