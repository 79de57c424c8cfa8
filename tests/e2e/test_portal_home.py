"""The adherent's portal home in a real browser on a phone (390 by 844): from the home's cards,
in a few taps, the adherent answers a convocation, joins a working group, opens a shared
document and switches an email kind off."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cpts.models import Association, User
from governance.models import Body, BodyKind, Convocation, ConvocationAnswer, Mandate
from governance.services.convocations import convene
from members.models import EmailCategory
from members.selectors.email_preferences import accepts_email
from tests.factories import MemberFactory
from tests.governance.test_library import share
from tests.governance.test_meetings import group, make_meeting, seat

pytestmark = pytest.mark.browser


def test_adherent_does_four_things_from_the_home_in_a_few_taps(
    page: Any, log_in: Callable[[User], None], association: Association, adherent: User
) -> None:
    member = MemberFactory.create(email=adherent.email, user=adherent, first_name="Léa")
    parcours = group("Parcours insuffisance cardiaque")
    seat(member, parcours)
    meeting = make_meeting(body=parcours, days=6, title="Réunion parcours de juin")
    convene(meeting)
    prevention = Body.objects.create(
        kind=BodyKind.GROUP, name="Prévention", theme="Dépistage", open_to_join=True
    )
    statutes = share("Statuts de la CPTS")
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(adherent)
    expect(page).to_have_url(re.compile(re.escape(reverse("portal_home")) + "$"))
    taps = 0

    # 1 tap: answer the convocation from its card.
    meetings = page.get_by_test_id("card-meetings")
    expect(meetings).to_contain_text("Réunion parcours de juin")
    meetings.get_by_role("button", name=re.compile("^Présent·e")).click()
    taps += 1
    expect(page.get_by_test_id("meetings-notice")).to_have_text(
        "Réponse enregistrée pour « Réunion parcours de juin »."
    )
    assert Convocation.objects.get(member=member).answer == ConvocationAnswer.PRESENT

    # 1 tap: join the open working group.
    groups = page.get_by_test_id("card-groups")
    groups.get_by_role("button", name="Rejoindre Prévention").click()
    taps += 1
    expect(page.get_by_test_id("groups-notice")).to_have_text(
        "Vous avez rejoint le groupe « Prévention »."
    )
    expect(page.get_by_test_id("my-group").filter(has_text="Prévention")).to_be_visible()
    assert Mandate.objects.filter(member=member, body=prevention, end_date=None).exists()

    # 1 tap: open the statutes from the documents card.
    documents = page.get_by_test_id("card-documents")
    url = reverse("shared_document_download", args=[statutes.pk])
    with page.expect_response(lambda response: response.url.endswith(url)) as opened:
        documents.get_by_role("link", name="Statuts de la CPTS").click()
    taps += 1
    response = opened.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"

    # 3 taps: the emails card, the switch, the save button.
    page.goto(reverse("portal_home"))
    page.get_by_test_id("card-email-preferences").get_by_role("link").click()
    taps += 1
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes e-mails")
    expect(
        page.get_by_label("Convocations aux réunions et à l'assemblée générale")
    ).to_be_disabled()
    switch = page.get_by_label("Rappels de renouvellement et de cotisation")
    expect(switch).to_be_checked()
    switch.uncheck()
    taps += 1
    page.get_by_role("button", name="Enregistrer mes choix").click()
    taps += 1
    expect(
        page.get_by_role("alert").filter(has_text="Vos choix d'e-mails sont enregistrés.")
    ).to_be_visible()
    expect(page.get_by_label("Rappels de renouvellement et de cotisation")).not_to_be_checked()
    assert not accepts_email(member, EmailCategory.FEE_REMINDER)
    assert accepts_email(member, EmailCategory.CONVOCATION)
    assert taps == 6
