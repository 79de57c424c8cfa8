"""The background-job pipeline behind every generated document.

A *document kind* is a function registered with ``@document_kind``: it receives the
``GeneratedDocument`` row and a ``report(progress, step)`` callback, and returns the file name
and bytes. ``request_document`` creates the row and enqueues ``cpts.tasks.build_document``
after the transaction commits; the task runs the builder, records progress, stores the file,
and turns any failure into a French message on the row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction

from cpts.models import GeneratedDocument

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ProgressCallback = Callable[[int, str], None]
Builder = Callable[[GeneratedDocument, ProgressCallback], tuple[str, bytes]]
# Optional: how the job pages print a kind's parameters (e.g. {"year": 2026} -> "Année 2026").
ParametersDescriber = Callable[[dict[str, Any]], str]


@dataclass(frozen=True)
class DocumentKind:
    key: str
    label: StrOrPromise  # usually gettext_lazy("…"): translated when displayed
    permission: str  # the registry permission needed to request it
    builder: Builder
    describe: ParametersDescriber | None = None


_KINDS: dict[str, DocumentKind] = {}


def document_kind(
    key: str, *, label: StrOrPromise, permission: str, describe: ParametersDescriber | None = None
) -> Callable[[Builder], Builder]:
    def register(builder: Builder) -> Builder:
        _KINDS[key] = DocumentKind(
            key=key, label=label, permission=permission, builder=builder, describe=describe
        )
        return builder

    return register


def get_kind(key: str) -> DocumentKind:
    return _KINDS[key]


def known_kinds() -> dict[str, DocumentKind]:
    return dict(_KINDS)


def request_document(
    kind: str, *, requested_by: Any, parameters: dict[str, Any] | None = None
) -> GeneratedDocument:
    """Create the job row and enqueue its build once the surrounding transaction commits."""
    from cpts.tasks import build_document

    if kind not in _KINDS:
        raise KeyError(kind)
    document = GeneratedDocument.objects.create(
        kind=kind, parameters=parameters or {}, requested_by=requested_by
    )
    transaction.on_commit(lambda: build_document.delay(document.pk))
    return document
