"""The outcome messages views flash after a service call."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from cpts.views.messaging import error_text, form_error_text, run_with_message


def _request() -> Any:
    request: Any = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _refuse() -> None:
    raise ValidationError({"amount": ["Le montant est trop grand.", "Il est négatif."]})


def test_a_refusal_is_flashed_and_reported():
    request = _request()
    assert run_with_message(request, _refuse, "Enregistré.") is False
    assert [str(m) for m in get_messages(request)] == ["Le montant est trop grand. Il est négatif."]


def test_a_success_is_flashed():
    request = _request()
    assert run_with_message(request, lambda: None, "Enregistré.") is True
    assert [str(m) for m in get_messages(request)] == ["Enregistré."]


def test_texts_join_every_message():
    assert error_text(ValidationError(["Un.", "Deux."])) == "Un. Deux."

    class Form(forms.Form):
        title = forms.CharField()
        count = forms.IntegerField()

    form = Form({"count": "x"})
    assert not form.is_valid()
    assert form_error_text(form) == "Ce champ est obligatoire. Saisissez un nombre entier."
