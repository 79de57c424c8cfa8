"""Document kinds of the member base (registered with cpts.jobs.document_kind): the receipt
of a year's fee (reçu de cotisation) and the membership attestation a professional gives to
the CPAM (attestation d'adhésion)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpts.documents import _format_siret, _logo_url
from cpts.jobs import ProgressCallback, document_kind
from cpts.models import Association, GeneratedDocument
from cpts.permissions import role_holder_names
from cpts.roles import Role
from cpts.services.documents import DocumentError
from members.models import Member
from members.models.adhesions import PaymentKind
from members.selectors.fees import adhesions_with_balance

RECEIPT_TITLE = gettext_lazy("Reçu de cotisation")
ATTESTATION_TITLE = gettext_lazy("Attestation d'adhésion")


def _int_parameter(document: GeneratedDocument, name: str) -> int:
    value = (document.parameters or {}).get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise DocumentError(_("Les paramètres de ce document sont incomplets."))
    return value


def _describe_receipt(parameters: dict[str, Any]) -> str:
    return _("Adhésion n° %(id)s") % {"id": parameters.get("adhesion_id", "?")}


def _describe_attestation(parameters: dict[str, Any]) -> str:
    return _("Année %(year)s") % {"year": parameters.get("year", "?")}


def receipt_number(adhesion: Any) -> str:
    return f"{adhesion.year}-{adhesion.pk}"


def _association_context(association: Association) -> dict[str, Any]:
    address_lines = [line.strip() for line in association.address.splitlines() if line.strip()]
    town = " ".join(part for part in (association.postal_code, association.city) if part)
    if town:
        address_lines.append(town)
    return {
        "association": association,
        "siret": _format_siret(association.siret),
        "address_lines": address_lines,
        "logo_url": _logo_url(association),
    }


def president_name() -> str:
    """The name of whoever holds the président's mandate today, else empty."""
    names = role_holder_names(Role.PRESIDENT)
    return names[0] if names else ""


def _member_address(member: Member) -> list[str]:
    lines = [member.address] if member.address else []
    town = " ".join(
        part for part in (member.postal_code, member.commune.name if member.commune else "") if part
    )
    if town:
        lines.append(town)
    return lines


@document_kind(
    "membership_receipt",
    label=RECEIPT_TITLE,
    permission="members.manage",
    describe=_describe_receipt,
)
def build_membership_receipt(
    document: GeneratedDocument, report: ProgressCallback
) -> tuple[str, bytes]:
    """The receipt of what was paid for one adhesion. Refused when nothing was paid."""
    from cpts.pdf import render_pdf  # WeasyPrint loads Pango: only when a PDF is built.

    report(10, _("Lecture de l'adhésion"))
    adhesion = (
        adhesions_with_balance()
        .select_related("member", "member__commune", "member__profession")
        .filter(pk=_int_parameter(document, "adhesion_id"))
        .first()
    )
    if adhesion is None:
        raise DocumentError(_("Cette adhésion n'existe plus."))
    member = adhesion.member
    if member.anonymised_at:
        raise DocumentError(_("Ce membre a été anonymisé : aucun reçu ne peut être établi."))
    if adhesion.paid <= 0:
        raise DocumentError(
            _(
                "Aucun paiement n'est enregistré pour l'adhésion %(year)s de %(name)s : "
                "pas de reçu à établir."
            )
            % {"year": adhesion.year, "name": member.display_name}
        )
    payments = list(adhesion.payments.order_by("paid_on", "pk"))
    rows = [
        {
            "payment": payment,
            "signed": -payment.amount if payment.kind == PaymentKind.REFUND else payment.amount,
        }
        for payment in payments
    ]
    report(60, _("Mise en page"))
    generated_at = timezone.localtime()
    remaining = max(adhesion.fee_due - adhesion.paid, Decimal("0.00"))
    content = render_pdf(
        "pdf/membership_receipt.html",
        {
            **_association_context(Association.objects.get_solo()),
            "document_title": RECEIPT_TITLE,
            "adhesion": adhesion,
            "member": member,
            "member_address": _member_address(member),
            "rows": rows,
            "remaining": remaining,
            "number": receipt_number(adhesion),
            "president": president_name(),
            "generated_at": generated_at,
        },
    )
    return f"recu-cotisation-{receipt_number(adhesion)}.pdf", content


@document_kind(
    "membership_attestation",
    label=ATTESTATION_TITLE,
    permission="members.manage",
    describe=_describe_attestation,
)
def build_membership_attestation(
    document: GeneratedDocument, report: ProgressCallback
) -> tuple[str, bytes]:
    """The attestation that a member belongs to the CPTS for a year, with the fee status."""
    from cpts.pdf import render_pdf

    report(10, _("Lecture du membre"))
    year = _int_parameter(document, "year")
    member = (
        Member.objects.select_related("profession", "commune", "representative")
        .filter(pk=_int_parameter(document, "member_id"))
        .first()
    )
    if member is None:
        raise DocumentError(_("Ce membre n'existe plus."))
    if member.anonymised_at:
        raise DocumentError(
            _("Ce membre a été anonymisé : aucune attestation ne peut être établie.")
        )
    adhesion = adhesions_with_balance().filter(member=member, year=year).first()
    if adhesion is None:
        raise DocumentError(
            _("%(name)s n'a pas d'adhésion pour l'année %(year)s : pas d'attestation à établir.")
            % {"name": member.display_name, "year": year}
        )
    report(60, _("Mise en page"))
    generated_at = timezone.localtime()
    last_payment = (
        adhesion.payments.filter(kind=PaymentKind.PAYMENT).order_by("-paid_on", "-pk").first()
    )
    content = render_pdf(
        "pdf/membership_attestation.html",
        {
            **_association_context(Association.objects.get_solo()),
            "document_title": ATTESTATION_TITLE,
            "member": member,
            "adhesion": adhesion,
            "year": year,
            "last_payment": last_payment,
            "president": president_name(),
            "generated_at": generated_at,
        },
    )
    return f"attestation-adhesion-{year}-{member.pk}.pdf", content
