"""Exports of a payment batch for the accounts: CSV (UTF-8 with BOM, ``;``, decimal comma),
XLSX (openpyxl), and the SEPA credit-transfer file pain.001.001.03 (sepaxml, which validates
the file against the schema it ships)."""

from __future__ import annotations

import csv
import io
from collections import OrderedDict
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from claims.models import PaymentBatch
from claims.selectors import batch_claims

HEADERS = (
    "Membre",
    "Profession",
    "IBAN (référence)",
    "Nature",
    "Activité",
    "Date",
    "Heures",
    "Montant",
)


def batch_rows(batch: PaymentBatch) -> list[dict[str, Any]]:
    rows = []
    for claim in batch_claims(batch):
        account = getattr(claim.member, "bank_account", None)
        rows.append(
            {
                "member": claim.member.display_name,
                "profession": claim.member.profession.label if claim.member.profession else "",
                "iban": account.masked_iban if account else "",
                "nature": str(claim.get_nature_display()),
                "activity": str(claim.get_activity_kind_display()) if claim.activity_kind else "",
                "date": claim.date,
                "hours": claim.hours,
                "amount": claim.amount,
            }
        )
    return rows


def _comma(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def batch_csv(batch: PaymentBatch) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_(h) for h in HEADERS])
    for row in batch_rows(batch):
        writer.writerow(
            [
                row["member"],
                row["profession"],
                row["iban"],
                row["nature"],
                row["activity"],
                row["date"].strftime("%d/%m/%Y"),
                _comma(row["hours"]),
                _comma(row["amount"]),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def batch_xlsx(batch: PaymentBatch) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Lot de paiement")[:31]
    sheet.append([_(h) for h in HEADERS])
    for row in batch_rows(batch):
        sheet.append(
            [
                row["member"],
                row["profession"],
                row["iban"],
                row["nature"],
                row["activity"],
                row["date"],
                float(row["hours"]) if row["hours"] is not None else None,
                float(row["amount"]),
            ]
        )
        sheet.cell(row=sheet.max_row, column=6).number_format = "DD/MM/YYYY"
        sheet.cell(row=sheet.max_row, column=8).number_format = '#,##0.00 "€"'
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _valid_iban(value: str) -> bool:
    try:
        IBAN(value)
    except (SchwiftyException, ValueError):
        return False
    return True


def batch_sepa(batch: PaymentBatch) -> bytes:
    """One credit transfer per member (their claims of the batch summed), debtor the
    association's IBAN; refused in French when an IBAN is missing or invalid."""
    from sepaxml import SepaTransfer

    from cpts.models import Association

    association = Association.objects.get_solo()
    if not association.payment_iban or not _valid_iban(association.payment_iban):
        raise ValidationError(
            _(
                "L'association n'a pas d'IBAN valide : renseignez-le dans l'identité de la CPTS "
                "avant de produire le virement SEPA."
            )
        )
    per_member: OrderedDict[int, dict[str, Any]] = OrderedDict()
    for claim in batch_claims(batch):
        entry = per_member.setdefault(
            claim.member_id, {"member": claim.member, "amount": Decimal("0")}
        )
        entry["amount"] += claim.amount
    missing = [
        entry["member"].display_name
        for entry in per_member.values()
        if not hasattr(entry["member"], "bank_account")
        or not _valid_iban(entry["member"].bank_account.iban)
    ]
    if missing:
        raise ValidationError(
            _("Sans IBAN valide, impossible de produire le virement SEPA pour : %(names)s.")
            % {"names": ", ".join(missing)}
        )
    if not per_member:
        raise ValidationError(_("Ce lot ne contient aucune demande."))
    config: dict[str, Any] = {
        "name": association.name[:70],
        "IBAN": association.payment_iban,
        "batch": True,
        "currency": "EUR",
    }
    if association.payment_bic:
        config["BIC"] = association.payment_bic
    transfer = SepaTransfer(config, schema="pain.001.001.03", clean=True)
    for index, entry in enumerate(per_member.values(), start=1):
        account = entry["member"].bank_account
        payment = {
            "name": account.holder[:70],
            "IBAN": account.iban,
            "amount": int((entry["amount"] * 100).to_integral_value()),
            "execution_date": batch.paid_on,
            "description": f"{batch.label} - {entry['member'].display_name}"[:140],
            "endtoend_id": f"LOT{batch.pk}M{entry['member'].pk}N{index}"[:35],
        }
        if account.bic:
            payment["BIC"] = account.bic
        transfer.add_payment(payment)
    return bytes(transfer.export(validate=True))
