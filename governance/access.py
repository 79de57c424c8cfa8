"""Object-level access to bodies and meetings, on top of the registry's named permissions.

- ``governance.manage`` (coordination, président·e, secrétaire): every body and meeting;
- ``governance.view`` (bureau and CA): reads every body and meeting;
- ``groups.lead`` (référent·e): reads and runs the meetings of the working groups they lead
  today, and nothing else (404 elsewhere, so other groups' meetings are not revealed).
Views first declare ``permission_required("governance.view", "groups.lead")`` (or with
``"governance.manage"``), then fetch their object through these functions."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cpts.permissions import user_can
from governance.models import Body, BodyKind, Mandate, MandateRole, Meeting


def led_body_ids(user: Any) -> set[int]:
    """The working groups ``user`` leads today (référent mandate running)."""
    if not user.is_authenticated:
        return set()
    return set(
        Mandate.objects.active_on(timezone.localdate())
        .filter(member__user=user, role=MandateRole.REFERENT, body__kind=BodyKind.GROUP)
        .values_list("body_id", flat=True)
    )


def can_view_body(user: Any, body: Body) -> bool:
    return user_can(user, "governance.view") or body.pk in led_body_ids(user)


def can_manage_body(user: Any, body: Body) -> bool:
    return user_can(user, "governance.manage") or (
        body.kind == BodyKind.GROUP
        and user_can(user, "groups.lead")
        and body.pk in led_body_ids(user)
    )


def meeting_for(user: Any, pk: int, *, manage: bool = False) -> Meeting:
    """The meeting ``pk`` if ``user`` may see it (or run it, with ``manage``), else 404."""
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    allowed = can_manage_body(user, meeting.body) if manage else can_view_body(user, meeting.body)
    if not allowed:
        raise Http404
    return meeting


def body_for(user: Any, pk: int, *, manage: bool = False) -> Body:
    body = get_object_or_404(Body, pk=pk)
    allowed = can_manage_body(user, body) if manage else can_view_body(user, body)
    if not allowed:
        raise Http404
    return body
