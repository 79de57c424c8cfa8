"""The treasurer's tools: payment batches from approved claims and their CSV / XLSX / SEPA
files (a SEPA refusal is a message, never a 500), the year's totals, the tariffs page and
closing a period; who may use them; constant query counts as batches grow."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from claims.models import ClaimStatus, ClosedPeriod, MileageRate, PassCeiling, PaymentBatch, Tariff
from tests.claims.test_views_portal import make_claim, queries, text
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _approved(count: int = 2):
    return [make_claim(MemberFactory.create(), ClaimStatus.APPROVED) for _ in range(count)]


def _batch_post(claims, **extra):
    return {
        "paid_on": timezone.localdate().isoformat(),
        "label": "Lot de décembre",
        "claims": [c.pk for c in claims],
        **extra,
    }


def test_create_a_batch_marks_its_claims_paid(client, association, tresorier):
    claims = _approved(3)
    client.force_login(tresorier)
    page = text(client.get(reverse("batch_create")))
    assert all(f'value="{c.pk}"' in page for c in claims)
    response = client.post(reverse("batch_create"), _batch_post(claims[:2]))
    batch = PaymentBatch.objects.get()
    assert response["Location"] == reverse("batch_detail", args=[batch.pk])
    statuses = sorted(
        c.status for c in type(claims[0]).objects.filter(pk__in=[c.pk for c in claims])
    )
    assert statuses == sorted([ClaimStatus.PAID, ClaimStatus.PAID, ClaimStatus.APPROVED])
    detail = text(client.get(reverse("batch_detail", args=[batch.pk])))
    assert "Lot de décembre" in detail and "240,00" in detail


def test_a_batch_needs_a_date_a_label_and_claims(client, association, tresorier):
    claims = _approved(1)
    client.force_login(tresorier)
    assert client.post(reverse("batch_create"), _batch_post(claims, paid_on="")).status_code == 400
    assert client.post(reverse("batch_create"), _batch_post([])).status_code == 400
    assert not PaymentBatch.objects.exists()


def test_exports_of_a_batch(client, association, tresorier):
    claims = _approved(1)
    client.force_login(tresorier)
    client.post(reverse("batch_create"), _batch_post(claims))
    batch = PaymentBatch.objects.get()
    csv = client.get(reverse("batch_export", args=[batch.pk, "csv"]))
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert csv.content.startswith(b"\xef\xbb\xbf")
    xlsx = client.get(reverse("batch_export", args=[batch.pk, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    # No IBAN recorded (association nor member): a French message, back on the batch.
    sepa = client.get(reverse("batch_export", args=[batch.pk, "sepa"]))
    assert sepa.status_code == 302
    assert "IBAN" in " ".join(str(m) for m in get_messages(sepa.wsgi_request))
    assert client.get(reverse("batch_export", args=[batch.pk, "pdf"])).status_code == 404


def test_batches_refused_to_the_others(client, association, adherent, referent, president):
    claims = _approved(1)
    for user in (adherent, referent):
        client.force_login(user)
        assert client.get(reverse("batch_list")).status_code == 403
        assert client.get(reverse("claims_totals")).status_code == 403
    client.force_login(president)  # sees the batches and totals, does not pay
    assert client.get(reverse("batch_list")).status_code == 200
    assert client.get(reverse("claims_totals")).status_code == 200
    assert client.post(reverse("batch_create"), _batch_post(claims)).status_code == 403
    assert not PaymentBatch.objects.exists()


def test_totals_of_the_year(client, association, president):
    make_claim(MemberFactory.create(), ClaimStatus.PAID)
    make_claim(MemberFactory.create(), ClaimStatus.SUBMITTED)
    client.force_login(president)
    page = text(client.get(reverse("claims_totals")))
    assert "120,00" in page
    assert client.get(reverse("claims_totals"), {"annee": "abc"}).status_code == 200


def test_tariffs_page_sets_tariff_mileage_and_pass(client, association, president):
    client.force_login(president)
    assert client.get(reverse("claims_settings")).status_code == 200
    tariff = client.post(
        reverse("tariff_add"),
        {
            "activity_kind": "training",
            "basis": "hourly",
            "amount": "65,50",
            "valid_from": "2026-01-01",
        },
    )
    assert tariff.status_code == 302
    assert Tariff.objects.get().amount == Decimal("65.50")
    client.post(reverse("mileage_rate_add"), {"per_km": "0,35", "valid_from": "2026-01-01"})
    assert MileageRate.objects.get().per_km == Decimal("0.350")
    client.post(reverse("pass_set"), {"year": "2027", "amount": "49 500"})
    assert PassCeiling.objects.get(year=2027).amount == Decimal("49500")
    bad = client.post(reverse("tariff_add"), {"amount": "beaucoup"})
    assert bad.status_code == 400 and "Saisissez un nombre" in text(bad)
    # Closing a period is the treasurer's.
    assert client.post(reverse("period_close"), {"year": "2020"}).status_code == 403


def test_treasurer_closes_a_month(client, association, tresorier, referent):
    client.force_login(tresorier)
    assert client.post(reverse("period_close"), {"year": "2020", "month": "3"}).status_code == 302
    assert ClosedPeriod.objects.filter(year=2020, month=3).exists()
    assert client.post(reverse("period_close"), {"year": "2020", "month": "13"}).status_code == 400
    client.force_login(referent)
    assert client.get(reverse("claims_settings")).status_code == 403
    assert client.post(reverse("tariff_add"), {"amount": "1"}).status_code == 403
    assert client.post(reverse("period_close"), {"year": "2021"}).status_code == 403


def test_finance_pages_keep_a_constant_number_of_queries(client, association, tresorier):
    client.force_login(tresorier)

    def grow(count: int) -> PaymentBatch:
        claims = _approved(count)
        client.post(reverse("batch_create"), _batch_post(claims))
        _approved(count)
        return PaymentBatch.objects.latest("pk")

    batch = grow(2)
    urls = [reverse("batch_list"), reverse("batch_create"), reverse("claims_totals")]
    small = [queries(client, url) for url in urls]
    detail_small = queries(client, reverse("batch_detail", args=[batch.pk]))
    batch = grow(20)
    assert [queries(client, url) for url in urls] == small
    assert queries(client, reverse("batch_detail", args=[batch.pk])) == detail_small
