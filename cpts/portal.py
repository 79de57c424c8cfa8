"""The sections of the adherent's portal home. Each application that has something to show
an adherent registers a section: an htmx fragment view (its own URL, its own permission
check) that renders one or more Bootstrap cards (``<div class="col-…"><div class="card">``).
The home page (``cpts/views/home.py``) loads them in ``position`` order.

It lives in ``cpts`` so that every application can register without the portal importing it
(dependencies point one way, see the README).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PortalSection:
    key: str  # a slug, used for the element id ``portal-<key>``
    url_name: str  # the fragment view, requested with HX-Request
    position: int = 0


_SECTIONS: dict[str, PortalSection] = {}


def register_portal_section(key: str, url_name: str, *, position: int = 0) -> None:
    """Show the fragment ``url_name`` on the portal home; registering a key twice replaces it."""
    _SECTIONS[key] = PortalSection(key=key, url_name=url_name, position=position)


def portal_sections() -> list[PortalSection]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.position, s.key))
