"""allauth adapter: accounts are created by invitation only, never by open sign-up."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

# Set on a request by a view that already greets the person who just logged in.
SKIP_LOGIN_MESSAGE = "maillage_skip_login_message"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        message_context: dict[str, Any] | None = None,
        extra_tags: str = "",
        message: str | None = None,
    ) -> None:
        if message_template == "account/messages/logged_in.txt" and getattr(
            request, SKIP_LOGIN_MESSAGE, False
        ):
            return
        super().add_message(request, level, message_template, message_context, extra_tags, message)
