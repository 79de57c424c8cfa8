"""The main navigation: a few menus grouping the sections (it fits a 1 200 px screen; the
browser check lives in the e2e tests), each entry shown only to those its page lets in, and the
menu of the current section marked."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _nav(client, url: str) -> str:
    html = client.get(url).content.decode()
    match = re.search(r'<nav class="navbar.*?</nav>', html, re.S)
    assert match, "no navbar"
    return match.group(0)


def _menu(nav: str, label: str) -> str:
    """The dropdown menu whose toggle reads ``label``."""
    toggle = rf'dropdown-toggle[^"]*"[^>]*>{re.escape(label)}</a>'
    match = re.search(toggle + r'\s*<ul class="dropdown-menu[^"]*">(.*?)</ul>', nav, re.S)
    assert match, f"no menu {label!r}"
    return match.group(1)


def test_coordinator_finds_every_section_in_eight_menus(client, coordinator):
    client.force_login(coordinator)
    nav = _nav(client, reverse("backoffice_home"))
    assert reverse("indicator_list") in _menu(nav, "Contrat ACI")
    missions = _menu(nav, "Missions")
    assert reverse("crisis_home") in missions and reverse("registries_home") in missions
    reports = _menu(nav, "Rapports")
    assert reverse("report_home") in reports and reverse("document_list") in reports
    assert reverse("directory") in _menu(nav, "Membres")
    top_level = re.findall(r'<a class="nav-link(?! dropdown-toggle)[^"]*"[^>]*>([^<]+)</a>', nav)
    assert top_level == ["Tableau de bord"]
    assert len(re.findall(r"nav-link dropdown-toggle", nav)) == 8  # seven sections + account


def test_adherent_keeps_portal_and_directory_at_hand(client, adherent):
    client.force_login(adherent)
    nav = _nav(client, reverse("portal_home"))
    top_level = re.findall(r'<a class="nav-link(?! dropdown-toggle)[^"]*"[^>]*>([^<]+)</a>', nav)
    assert top_level == ["Annuaire", "Mon espace"]
    for hidden in ("Contrat ACI", "Missions", "Rapports", "Indemnisations", "Membres"):
        assert f">{hidden}</a>" not in nav


@pytest.mark.parametrize(
    ("url_name", "menu"),
    [
        ("indicator_list", "Contrat ACI"),
        ("crisis_home", "Missions"),
        ("registries_home", "Missions"),
        ("document_list", "Rapports"),
        ("report_home", "Rapports"),
    ],
)
def test_the_current_section_marks_its_menu(client, coordinator, url_name, menu):
    client.force_login(coordinator)
    nav = _nav(client, reverse(url_name))
    assert re.search(rf'nav-link dropdown-toggle active"[^>]*>{re.escape(menu)}</a>', nav)
