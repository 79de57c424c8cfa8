"""An uploaded file kept between the preview and the confirmation of an import (members,
indicator values, SAS activity): the uploader's session knows its token, the last five only,
and a token is taken once."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase

from members.services.imports import (
    PENDING_PER_SESSION,
    discard_pending,
    load_pending,
    remember_pending,
    take_pending,
)

pytestmark = pytest.mark.django_db

KEY = "some_imports"


def _session() -> SessionBase:
    store: SessionBase = import_module(settings.SESSION_ENGINE).SessionStore()
    return store


def test_a_remembered_file_is_taken_once_with_its_entry_and_bytes() -> None:
    session = _session()
    token = remember_pending(session, KEY, b"a;b\n", name="Membres.csv", rows=1)

    assert load_pending(token) == b"a;b\n"
    assert take_pending(session, KEY, token) == ({"name": "Membres.csv", "rows": 1}, b"a;b\n")
    assert take_pending(session, KEY, token) is None  # the session forgot it
    assert load_pending(token) == b"a;b\n"  # the file stays until the import discards it


def test_another_session_cannot_take_the_file() -> None:
    token = remember_pending(_session(), KEY, b"a;b\n", name="Membres.csv")

    assert take_pending(_session(), KEY, token) is None


def test_a_token_of_another_import_is_not_taken() -> None:
    session = _session()
    token = remember_pending(session, KEY, b"a;b\n", name="Membres.csv")

    assert take_pending(session, "other_imports", token) is None
    assert take_pending(session, KEY, token) is not None


def test_a_file_gone_from_the_disk_is_not_taken() -> None:
    session = _session()
    token = remember_pending(session, KEY, b"a;b\n", name="Membres.csv")
    discard_pending(token)

    assert take_pending(session, KEY, token) is None


def test_the_session_remembers_the_last_five_uploads_only() -> None:
    session = _session()
    tokens = [remember_pending(session, KEY, f"{n}\n".encode(), name=f"f{n}.csv") for n in range(7)]

    assert list(session[KEY]) == tokens[-PENDING_PER_SESSION:]
    assert PENDING_PER_SESSION == 5
    assert take_pending(session, KEY, tokens[0]) is None
    assert take_pending(session, KEY, tokens[-1]) == ({"name": "f6.csv"}, b"6\n")
