"""The adherent's portal in a real browser, on a phone-sized screen: from the portal home the
adherent opens their profile, agrees to show their phone in the directory, and finds it there."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cpts.models import Association, Commune, User
from members.models import Member, PracticeSite
from tests.factories import MemberFactory

pytestmark = pytest.mark.browser

PHONE = "06 12 34 56 78"


def test_adherent_edits_directory_consent(
    page: Any, log_in: Callable[[User], None], association: Association, adherent: User
) -> None:
    clermont = Commune.objects.get(insee_code="34079")
    member: Member = MemberFactory.create(
        email=adherent.email,
        user=adherent,
        last_name="Bonnet",
        first_name="Léa",
        phone=PHONE,
        commune=clermont,
        directory_listed=True,
    )
    PracticeSite.objects.create(member=member, commune=clermont, is_primary=True)
    page.set_viewport_size({"width": 390, "height": 844})

    log_in(adherent)
    expect(page).to_have_url(re.compile(re.escape(reverse("portal_home")) + "$"))
    profile_card = page.get_by_test_id("card-profile")
    expect(profile_card).to_contain_text("Vous figurez dans l'annuaire des adhérents.")
    profile_card.get_by_role("link").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("portal_profile")) + "$"))

    phone_consent = page.get_by_label("Montrer mon téléphone dans l'annuaire")
    expect(phone_consent).not_to_be_checked()
    phone_consent.check()
    page.get_by_role("button", name="Enregistrer mon profil").click()

    expect(
        page.get_by_role("alert").filter(has_text="Votre profil a été enregistré.")
    ).to_be_visible()
    expect(page.get_by_label("Montrer mon téléphone dans l'annuaire")).to_be_checked()
    member.refresh_from_db()
    assert member.directory_show_phone
    assert not member.directory_show_email

    page.goto(reverse("directory"))
    page.get_by_label("Nom").fill("bonnet")
    entry = page.get_by_test_id("directory-entry").filter(has_text="BONNET")
    expect(entry).to_contain_text(PHONE)
    expect(entry).not_to_contain_text(adherent.email)
    # Nothing overflows the phone's width.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
