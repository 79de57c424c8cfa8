"""What a view tells the person after calling a service: the French message of a refusal,
the success message otherwise. Shared by every app's views (no URL here)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from cpts.models import User


def logged_in_user(request: HttpRequest) -> User:
    """The request's user, for views whose permission decorator already turned anonymous
    visitors away."""
    return cast(User, request.user)


def error_text(error: ValidationError) -> str:
    """A service's refusal as one line (its French messages joined)."""
    return " ".join(str(message) for message in error.messages)


def form_error_text(form: forms.BaseForm) -> str:
    """Every error of a form as one line, for views that answer with a flash message."""
    return " ".join(str(e) for field_errors in form.errors.values() for e in field_errors)


def run_with_message(request: HttpRequest, action: Callable[[], Any], success: str) -> bool:
    """Call ``action``; flash ``success``, or the refusal's message. True when it worked."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, error_text(error))
        return False
    messages.success(request, success)
    return True
