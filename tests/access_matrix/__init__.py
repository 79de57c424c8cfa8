"""THE table of access expectations, checked by tests/test_access_matrix.py.

Every URL pattern of the project must appear here, once: in ``MATRIX`` (requested as each
persona, the outcome compared with the declared one), in ``SKIPPED`` (with the reason it cannot
be requested), or under a rule of ``NAMESPACES``. A new view without an entry, or an entry
whose URL disappeared, fails the test with a message saying what to do.

Outcomes:
- ``OK``: a 2xx, or a 3xx that does not lead to a login page;
- ``LOGIN``: a redirect to a login page (allauth's, or the admin's for the admin);
- ``"400"``, ``"403"``, ``"404"``, ``"405"``, ``"410"``: that status code (400: a form
  re-displayed with its errors).
A 500 or an exception always fails.

A view protected by ``permission_required(p)`` is declared with ``protected(p)``: its expected
outcomes are computed from the permission registry (anonymous → login, a persona whose roles
grant ``p`` → ok, the others → 403), and the test checks the view really declares ``p``.
Keys are URL names (``namespace:name`` inside a namespace). A second request to the same URL
name uses the key ``name#variant`` (e.g. a revoked invitation, or a GET on a POST-only view).
"""

from __future__ import annotations

from types import MappingProxyType

from tests.access_matrix import (
    claims,
    cpts,
    crisis,
    governance,
    indicators,
    members,
    missions,
    registries,
    reports,
)
from tests.access_matrix.core import (
    KWARGS_BY_NAME,
    LOGIN,
    NAMESPACES,
    OK,
    OUTCOMES,
    PERSONA_ROLES,
    PERSONAS,
    SKIPPED,
    Entry,
    MatrixObjects,
    NamespaceRule,
)

_PARTS = (
    cpts.ENTRIES,
    members.ENTRIES,
    governance.ENTRIES,
    missions.ENTRIES,
    registries.ENTRIES,
    indicators.ENTRIES,
    crisis.ENTRIES,
    claims.ENTRIES,
    reports.ENTRIES,
)
_KEYS = [key for part in _PARTS for key in part]
_TWICE = sorted({key for key in _KEYS if _KEYS.count(key) > 1})
if _TWICE:
    raise ValueError(f"Access-matrix keys declared twice: {_TWICE}")

MATRIX = MappingProxyType({key: entry for part in _PARTS for key, entry in part.items()})

__all__ = [
    "KWARGS_BY_NAME",
    "LOGIN",
    "MATRIX",
    "NAMESPACES",
    "OK",
    "OUTCOMES",
    "PERSONAS",
    "PERSONA_ROLES",
    "SKIPPED",
    "Entry",
    "MatrixObjects",
    "NamespaceRule",
]
