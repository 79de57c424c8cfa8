"""The receipt and attestation PDFs, built through the GeneratedDocument pipeline."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from cpts.models import GeneratedDocument
from cpts.services.documents import run_document
from members.models import FeeRule, Profession
from members.models.members import Civility
from members.services.adhesions import ensure_adhesion, record_payment, record_refund
from tests.factories import MemberFactory, OrganisationFactory
from tests.pdf_utils import pdf_page_count, pdf_text

pytestmark = pytest.mark.django_db
D = Decimal
Status = GeneratedDocument.Status


@pytest.fixture
def schedule(association):
    association.address = "12 avenue de la Gare"
    association.postal_code = "34800"
    association.city = "Clermont-l'Hérault"
    association.siret = "12345678900012"
    association.save()
    FeeRule.objects.create(year=2026, amount=D("20.00"))
    FeeRule.objects.create(year=2026, member_kind="structure", amount=D("1250.00"))


def _build(kind: str, coordinator, **parameters) -> GeneratedDocument:
    document = GeneratedDocument.objects.create(
        kind=kind, parameters=parameters, requested_by=coordinator
    )
    run_document(document.pk)
    document.refresh_from_db()
    return document


def _nurse(**extra):
    fields = {
        "civility": Civility.MADAME,
        "first_name": "Claire",
        "last_name": "Martin",
        "profession": Profession.objects.get(code="infirmier"),
        "rpps": "10001234567",
        "address": "3 rue des Lilas",
        "postal_code": "34800",
    }
    return MemberFactory.create(**{**fields, **extra})


def test_receipt_lists_the_payments_and_the_number(schedule, coordinator):
    member = _nurse()
    adhesion = ensure_adhesion(member, 2026)
    record_payment(
        adhesion,
        amount=D("12.00"),
        method="cheque",
        paid_on=datetime.date(2026, 1, 20),
        reference="CHQ 4411",
    )
    record_payment(
        adhesion, amount=D("10.00"), method="virement", paid_on=datetime.date(2026, 2, 3)
    )
    record_refund(adhesion, amount=D("2.00"), method="virement", paid_on=datetime.date(2026, 2, 4))
    document = _build("membership_receipt", coordinator, adhesion_id=adhesion.pk)

    assert document.status == Status.DONE, document.error_message
    assert Path(document.file.name).name == f"recu-cotisation-2026-{adhesion.pk}.pdf"
    content = document.file.read()
    assert pdf_page_count(content) == 1
    text = pdf_text(content)
    assert "Reçu de cotisation" in text
    assert f"Reçu n° 2026-{adhesion.pk}" in text
    assert "CPTS du Cœur d'Hérault" in text and "123 456 789 00012" in text
    assert "12 avenue de la Gare" in text and "34800 Clermont-l'Hérault" in text
    assert "Claire MARTIN" in text and "Infirmier" in text
    assert "la somme de 20,00 € au titre de la cotisation de l'année 2026" in text
    assert "20/01/2026 Paiement Chèque CHQ 4411 12,00 €" in text
    assert "03/02/2026 Paiement Virement — 10,00 €" in text
    assert "04/02/2026 Remboursement Virement — -2,00 €" in text
    assert "Total reçu 20,00 €" in text
    assert "aucun : cotisation réglée" in text
    assert "Pour le bureau" in text  # no president known


def test_receipt_of_a_structure_shows_thousands_and_what_remains(schedule, coordinator):
    organisation = OrganisationFactory.create(organisation_name="MSP des Rives")
    adhesion = ensure_adhesion(organisation, 2026)
    record_payment(
        adhesion, amount=D("1000.00"), method="virement", paid_on=datetime.date(2026, 3, 1)
    )
    text = pdf_text(_build("membership_receipt", coordinator, adhesion_id=adhesion.pk).file.read())
    assert "MSP des Rives" in text
    assert "1 250,00 €" in text and "Reste à payer 250,00 €" in text


@pytest.mark.parametrize("exonerated", [False, True])
def test_receipt_is_refused_when_nothing_was_paid(schedule, coordinator, exonerated):
    adhesion = ensure_adhesion(_nurse(), 2026)
    if exonerated:
        record_payment(
            adhesion, amount=D("0"), method="exoneration", paid_on=datetime.date(2026, 1, 2)
        )
    document = _build("membership_receipt", coordinator, adhesion_id=adhesion.pk)
    assert document.status == Status.FAILED and not document.file
    assert document.error_message == (
        "Aucun paiement n'est enregistré pour l'adhésion 2026 de Claire MARTIN : "
        "pas de reçu à établir."
    )


def test_receipt_of_a_missing_adhesion_or_bad_parameters_fails_in_french(coordinator):
    assert _build("membership_receipt", coordinator, adhesion_id=999999).error_message == (
        "Cette adhésion n'existe plus."
    )
    assert _build("membership_receipt", coordinator, adhesion_id="x").error_message == (
        "Les paramètres de ce document sont incomplets."
    )


def test_attestation_for_a_settled_year_signed_by_the_president(schedule, coordinator, president):
    # The signatory is whoever holds the running président mandate (see governance).
    record = president.member
    record.first_name, record.last_name = "Jeanne", "Roux"
    record.save()
    member = _nurse()
    adhesion = ensure_adhesion(member, 2026)
    record_payment(adhesion, amount=D("20.00"), method="carte", paid_on=datetime.date(2026, 1, 31))
    document = _build("membership_attestation", coordinator, member_id=member.pk, year=2026)

    assert document.status == Status.DONE, document.error_message
    assert Path(document.file.name).name == f"attestation-adhesion-2026-{member.pk}.pdf"
    content = document.file.read()
    assert pdf_page_count(content) == 1
    text = pdf_text(content)
    assert "Attestation d'adhésion" in text and "Année 2026" in text
    assert "Je soussigné·e, Jeanne Roux, président·e de la CPTS du Cœur d'Hérault" in text
    assert "Madame Claire MARTIN" in text and "Infirmier" in text and "10001234567" in text
    assert "est adhérent(e) de la CPTS du Cœur d'Hérault pour l'année 2026." in text
    assert "Cotisation 2026 : à jour (réglée le 31/01/2026)." in text


def test_attestation_of_an_unpaid_year_says_so_and_the_bureau_signs(schedule, coordinator):
    member = _nurse(adeli="341234567", rpps="")
    ensure_adhesion(member, 2026)
    text = pdf_text(
        _build("membership_attestation", coordinator, member_id=member.pk, year=2026).file.read()
    )
    assert "ADELI 341234567" in text
    assert "Cotisation 2026 : non à jour au" in text
    assert "Le bureau de la CPTS du Cœur d'Hérault atteste que" in text
    assert "Pour le bureau" in text


def test_attestation_signatory_follows_the_president_mandate(schedule, coordinator, president):
    """A président whose mandate has ended no longer signs: the bureau does, until the next
    président's mandate starts."""
    from django.utils import timezone

    from governance.models import BodyKind, Mandate

    mandate = Mandate.objects.get(member__user=president, body__kind=BodyKind.BUREAU)
    mandate.end_date = timezone.localdate() - datetime.timedelta(days=1)
    mandate.save()
    member = _nurse()
    adhesion = ensure_adhesion(member, 2026)
    record_payment(adhesion, amount=D("20.00"), method="carte", paid_on=datetime.date(2026, 1, 31))
    text = pdf_text(
        _build("membership_attestation", coordinator, member_id=member.pk, year=2026).file.read()
    )
    assert "Je soussigné·e" not in text
    assert "Le bureau de la CPTS du Cœur d'Hérault atteste que" in text

    successor = MemberFactory.create(first_name="Marc", last_name="Bonnet")
    Mandate.objects.create(
        member=successor,
        body=mandate.body,
        role=mandate.role,
        start_date=timezone.localdate(),
    )
    text = pdf_text(
        _build("membership_attestation", coordinator, member_id=member.pk, year=2026).file.read()
    )
    assert "Je soussigné·e, Marc Bonnet, président·e de la CPTS du Cœur d'Hérault" in text


def test_attestation_without_adhesion_for_the_year_is_refused(schedule, coordinator):
    member = _nurse()
    document = _build("membership_attestation", coordinator, member_id=member.pk, year=2025)
    assert document.status == Status.FAILED
    assert document.error_message == (
        "Claire MARTIN n'a pas d'adhésion pour l'année 2025 : pas d'attestation à établir."
    )
