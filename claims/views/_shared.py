"""Helpers shared by the claims views: the sources a claim can be declared from, the
object-level checks that answer 404 for claims one may not see."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.formats import number_format

from claims.models import Claim
from crisis.models import Shift
from governance.models import Meeting
from missions.models import Event

SOURCE_MODELS: dict[str, Any] = {"meeting": Meeting, "event": Event, "shift": Shift}

CLAIM_RELATED = (
    "member__profession",
    "meeting__body",
    "event",
    "mission",
    "batch",
    "validated_by",
    "approved_by",
    "refused_by",
)


def source_object(kind: str, pk: int) -> Any:
    """The meeting, event or shift a claim is declared from (404 when it does not exist)."""
    model = SOURCE_MODELS.get(kind)
    found = model.objects.filter(pk=pk).first() if model is not None else None
    if found is None:
        raise Http404
    return found


def paginate(request: HttpRequest, rows: QuerySet[Any] | list[Any], per_page: int = 25) -> Page:
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


def claim_or_404(pk: int) -> Claim:
    claim = Claim.objects.select_related(*CLAIM_RELATED).filter(pk=pk).first()
    if claim is None:
        raise Http404
    return claim


def euros(amount: Decimal) -> str:
    """An amount the French way, without the sign: "1 234,56"."""
    return number_format(amount, 2, use_l10n=True, force_grouping=True)
