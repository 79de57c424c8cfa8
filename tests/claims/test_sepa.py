"""The SEPA credit-transfer file, validated against the pain.001.001.03 schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sepaxml
import xmlschema
from django.core.exceptions import ValidationError
from lxml import etree

from claims.exports import batch_sepa
from tests.claims.batch_data import paid_batch

pytestmark = pytest.mark.django_db

XSD = Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.03.xsd"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


def test_sepa_file_validates_against_pain_001_001_03(association: Any) -> None:
    association.payment_iban = "FR7610107001011234567890129"
    association.payment_bic = "BREDFRPPXXX"
    association.save()
    batch, _first, _second = paid_batch()
    xml = batch_sepa(batch)
    xmlschema.XMLSchema(str(XSD)).validate(xml.decode("utf-8"))
    tree = etree.fromstring(xml)
    amounts = sorted(tree.xpath("//p:CdtTrfTxInf/p:Amt/p:InstdAmt/text()", namespaces=NS))
    assert amounts == ["1260.00", "30.00"]  # one transfer per member: 1 234,56 + 25,44
    assert tree.xpath("//p:GrpHdr/p:CtrlSum/text()", namespaces=NS) == ["1290.00"]
    assert tree.xpath("//p:DbtrAcct/p:Id/p:IBAN/text()", namespaces=NS) == [
        "FR7610107001011234567890129"
    ]
    creditors = tree.xpath("//p:CdtrAcct/p:Id/p:IBAN/text()", namespaces=NS)
    assert set(creditors) == {"FR7630006000011234567890189", "DE89370400440532013000"}
    assert tree.xpath("//p:ReqdExctnDt/text()", namespaces=NS) == ["2026-03-31"]


def test_sepa_lists_the_members_without_iban(association: Any) -> None:
    association.payment_iban = "FR7610107001011234567890129"
    association.save()
    batch, _first, _second = paid_batch(with_ibans=False)
    with pytest.raises(ValidationError) as error:
        batch_sepa(batch)
    assert "Marc PETIT" in error.value.messages[0]
    assert "Anne DURAND" not in error.value.messages[0]


def test_sepa_needs_the_association_iban(association: Any) -> None:
    batch, _first, _second = paid_batch()
    with pytest.raises(ValidationError) as error:
        batch_sepa(batch)
    assert "IBAN" in error.value.messages[0]
