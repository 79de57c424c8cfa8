"""Template filters of governance: a meeting named once, its date written once."""

from __future__ import annotations

from django import template

from governance.models import Meeting
from governance.selectors.decisions import meeting_label as _meeting_label
from governance.selectors.decisions import meeting_title as _meeting_title

register = template.Library()


@register.filter
def meeting_title(meeting: Meeting) -> str:
    """ "Conseil d'administration du 08/09/2026" — the date added only when the title lacks it."""
    return _meeting_title(meeting)


@register.filter
def meeting_label(meeting: Meeting) -> str:
    """ "Body — title — date" without repeating what the title already says."""
    return _meeting_label(meeting)
