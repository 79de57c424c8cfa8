"""The portal home shows the sections applications register (cpts/portal.py), in order."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from cpts import portal
from cpts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def sections() -> Iterator[None]:
    saved = dict(portal._SECTIONS)
    yield
    portal._SECTIONS.clear()
    portal._SECTIONS.update(saved)


def test_sections_are_loaded_by_htmx_in_position_order(sections: None, adherent: User):
    portal.register_portal_section("zz-last", "directory", position=99)
    portal.register_portal_section("aa-first", "portal_profile", position=-1)
    assert portal.portal_sections()[0].key == "aa-first"
    client = Client()
    client.force_login(adherent)
    page = client.get(reverse("portal_home")).content.decode()
    first = page.index('id="portal-aa-first"')
    member = page.index('id="portal-member"')
    last = page.index('id="portal-zz-last"')
    assert first < member < last
    assert f'hx-get="{reverse("portal_member_cards")}"' in page
    assert f'hx-get="{reverse("directory")}"' in page


def test_registering_a_key_again_replaces_it(sections: None):
    portal.register_portal_section("member", "directory", position=10)
    assert [s.url_name for s in portal.portal_sections() if s.key == "member"] == ["directory"]
