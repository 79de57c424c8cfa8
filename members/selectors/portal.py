"""Reads of the adherent's portal: the logged-in person's member record, their adhesions
with what was paid, their own generated documents and the export of all their data."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from cpts.models import GeneratedDocument
from members.models import Adhesion, Member, Payment, PracticeSite
from members.selectors.email_preferences import preference_rows
from members.selectors.fees import ZERO, adhesions_with_balance

# The document kinds an adherent may request for their own adhesions (members/documents.py).
ATTESTATION_KIND = "membership_attestation"
RECEIPT_KIND = "membership_receipt"
PORTAL_DOCUMENT_KINDS = frozenset({ATTESTATION_KIND, RECEIPT_KIND})


def member_for_user(user: Any) -> Member | None:
    """The member record linked to ``user`` (None for an account without one)."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Member.objects.select_related("profession", "college", "commune")
        .filter(user=user, anonymised_at__isnull=True)
        .first()
    )


def member_sites(member: Member) -> QuerySet[PracticeSite]:
    return PracticeSite.objects.filter(member=member).select_related("commune")


@dataclass(frozen=True)
class AdhesionRow:
    """One year of a member's adhesion as the portal shows it."""

    adhesion: Adhesion
    paid: Decimal
    is_settled: bool
    exonerated: bool
    payments: list[Payment]

    @property
    def year(self) -> int:
        return self.adhesion.year

    @property
    def fee_due(self) -> Decimal:
        return self.adhesion.fee_due

    @property
    def balance(self) -> Decimal:
        """What remains to pay (never negative)."""
        if self.is_settled:
            return ZERO
        return max(self.adhesion.fee_due - self.paid, ZERO)

    @property
    def can_get_receipt(self) -> bool:
        """A receipt acknowledges money received: only when something was paid."""
        return self.paid > 0

    @property
    def can_get_attestation(self) -> bool:
        return self.is_settled


def adhesion_rows(member: Member) -> list[AdhesionRow]:
    """The member's adhesions, newest first, with their payments (two queries)."""
    adhesions = (
        adhesions_with_balance()
        .filter(member=member)
        .prefetch_related(Prefetch("payments", queryset=Payment.objects.order_by("paid_on", "pk")))
        .order_by("-year")
    )
    return [
        AdhesionRow(
            adhesion=adhesion,
            paid=adhesion.paid,
            is_settled=adhesion.is_settled,
            exonerated=adhesion.exonerated,
            payments=list(adhesion.payments.all()),
        )
        for adhesion in adhesions
    ]


def adhesion_row(member: Member, year: int) -> AdhesionRow | None:
    return next((row for row in adhesion_rows(member) if row.year == year), None)


@dataclass(frozen=True)
class FeeStatus:
    """The member's fee status on a date: à jour when the adhesion of that year is settled."""

    year: int
    row: AdhesionRow | None

    @property
    def is_up_to_date(self) -> bool:
        return self.row is not None and self.row.is_settled

    @property
    def balance(self) -> Decimal | None:
        return self.row.balance if self.row else None


def fee_status(member: Member, on: datetime.date) -> FeeStatus:
    return FeeStatus(year=on.year, row=adhesion_row(member, on.year))


def own_document(user: Any, pk: int) -> GeneratedDocument | None:
    """A document the user requested from the portal; anyone else's is "not found"."""
    return (
        GeneratedDocument.objects.filter(
            pk=pk, requested_by=user, kind__in=PORTAL_DOCUMENT_KINDS
        ).first()
        if user is not None and user.is_authenticated
        else None
    )


def recent_documents(user: Any, limit: int = 10) -> list[GeneratedDocument]:
    return list(
        GeneratedDocument.objects.filter(
            requested_by=user, kind__in=PORTAL_DOCUMENT_KINDS
        ).order_by("-created_at", "-pk")[:limit]
    )


def _money(value: Decimal) -> str:
    return f"{Decimal(value):.2f}"


def _date(value: datetime.date | datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


ExportSection = Callable[[Member], Any]
_EXPORT_SECTIONS: dict[str, ExportSection] = {}


def register_data_export_section(key: str, build: ExportSection) -> None:
    """Add what another application stores about a member to their RGPD export, under
    ``key`` (e.g. governance's mandates and convocations); ``build`` returns JSON-ready values
    in a fixed number of queries."""
    _EXPORT_SECTIONS[key] = build


def member_data_export(member: Member) -> dict[str, Any]:
    """Everything the association stores about the member (RGPD right of access), as plain
    JSON-ready values. A fixed number of queries."""
    return {**_member_data(member), **{k: b(member) for k, b in _EXPORT_SECTIONS.items()}}


def _member_data(member: Member) -> dict[str, Any]:
    sites = member_sites(member)
    rows = adhesion_rows(member)
    emails = member.emails_sent.order_by("-sent_at", "-pk")
    return {
        "identite": {
            "type": member.get_kind_display(),
            "civilite": member.get_civility_display() if member.civility else "",
            "nom": member.last_name,
            "prenom": member.first_name,
            "profession": str(member.profession) if member.profession else "",
            "rpps": member.rpps,
            "adeli": member.adeli,
            "mode_exercice": member.get_practice_mode_display() if member.practice_mode else "",
            "raison_sociale": member.organisation_name,
            "type_structure": (
                member.get_organisation_kind_display() if member.organisation_kind else ""
            ),
            "finess": member.finess,
            "siret": member.siret,
            "email": member.email,
            "telephone": member.phone,
            "adresse": member.address,
            "code_postal": member.postal_code,
            "commune": str(member.commune) if member.commune else "",
            "code_insee": member.commune.insee_code if member.commune else "",
            "college": str(member.college) if member.college else "",
            "statut": member.get_status_display(),
            "adherent_depuis": _date(member.joined_on),
            "date_depart": _date(member.departed_on),
            "motif_depart": member.departure_reason,
        },
        "lieux_exercice": [
            {
                "commune": str(site.commune),
                "code_insee": site.commune.insee_code,
                "adresse": site.address,
                "code_postal": site.postal_code,
                "mode_exercice": site.get_practice_mode_display() if site.practice_mode else "",
                "structure": site.get_structure_kind_display() if site.structure_kind else "",
                "nom_structure": site.structure_name,
                "lieu_principal": site.is_primary,
            }
            for site in sites
        ],
        "consentements_annuaire": {
            "figurer_dans_annuaire": member.directory_listed,
            "montrer_email": member.directory_show_email,
            "montrer_telephone": member.directory_show_phone,
            "montrer_adresse": member.directory_show_address,
        },
        "adhesions": [
            {
                "annee": row.year,
                "cotisation_due": _money(row.fee_due),
                "montant_regle": _money(row.paid),
                "a_jour": row.is_settled,
                "date_adhesion": _date(row.adhesion.started_on),
                "paiements": [
                    {
                        "nature": payment.get_kind_display(),
                        "date": _date(payment.paid_on),
                        "montant": _money(payment.amount),
                        "moyen": payment.get_method_display(),
                        "reference": payment.reference,
                    }
                    for payment in row.payments
                ],
            }
            for row in rows
        ],
        "preferences_emails": [
            {"type": row.label, "recu": row.receives, "obligatoire": row.mandatory}
            for row in preference_rows(member)
        ],
        "emails_recus": [
            {"date": _date(email.sent_at), "type": email.kind, "objet": email.subject}
            for email in emails
        ],
        "demandes_adhesion": [
            {
                "date": _date(request.created_at),
                "statut": request.get_status_display(),
                "message": request.message,
                "motif_refus": request.decline_reason,
            }
            for request in member.join_requests.order_by("created_at", "pk")
        ],
        "compte": (
            {
                "email": member.user.email,
                "cree_le": _date(member.user.date_joined),
                "derniere_connexion": _date(member.user.last_login),
            }
            if member.user
            else None
        ),
    }
