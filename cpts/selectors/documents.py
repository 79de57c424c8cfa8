"""Reads of the generated documents (job list and progress pages)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from cpts.jobs import known_kinds
from cpts.models import GeneratedDocument

PAGE_SIZE = 25


@dataclass(frozen=True)
class DocumentInfo:
    """A generated document with what its pages print about it."""

    document: GeneratedDocument
    kind_label: str
    parameters_text: str

    @property
    def can_download(self) -> bool:
        return self.document.status == GeneratedDocument.Status.DONE and bool(self.document.file)

    @property
    def can_retry(self) -> bool:
        return self.document.is_finished and self.document.kind in known_kinds()


def kind_label(kind: str) -> str:
    registered = known_kinds().get(kind)
    return str(registered.label) if registered else kind


def describe_parameters(kind: str, parameters: dict[str, Any]) -> str:
    """The parameters as the kind describes them, else "clé : valeur" pairs."""
    if not parameters:
        return ""
    registered = known_kinds().get(kind)
    if registered and registered.describe:
        return str(registered.describe(parameters))
    return ", ".join(f"{key} : {value}" for key, value in sorted(parameters.items()))


def document_info(document: GeneratedDocument) -> DocumentInfo:
    return DocumentInfo(
        document=document,
        kind_label=kind_label(document.kind),
        parameters_text=describe_parameters(document.kind, document.parameters),
    )


def documents_queryset() -> QuerySet[GeneratedDocument]:
    return GeneratedDocument.objects.select_related("requested_by").order_by("-created_at", "-pk")


def documents_page(page_number: Any) -> tuple[Page, list[DocumentInfo]]:
    """One page of generated documents, newest first, in two queries whatever the page."""
    page = Paginator(documents_queryset(), PAGE_SIZE).get_page(page_number)
    return page, [document_info(document) for document in page.object_list]


def find_document(pk: int) -> GeneratedDocument | None:
    return documents_queryset().filter(pk=pk).first()
