from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def maillage(request: HttpRequest) -> dict[str, Any]:
    """The association (for the layout's header) and the user's roles, both lazy."""
    from cpts.models import Association
    from cpts.permissions import roles_of

    return {
        "association": SimpleLazyObject(Association.objects.get_solo),
        "user_roles": SimpleLazyObject(lambda: roles_of(request.user)),
    }
