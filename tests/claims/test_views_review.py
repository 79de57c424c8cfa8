"""Reviewing claims: the référent validates their group's meeting claims (and only those),
the treasurer approves one or many (the PASS cap refusal shown per claim), nobody reviews
their own claim, refusing needs a reason; query counts stay constant as the queues grow."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from claims.models import ActivityKind, Claim, ClaimStatus, PassCeiling
from governance.models import Mandate, MandateRole
from tests.claims.test_views_portal import (
    attended_meeting,
    make_claim,
    member_of,
    queries,
    tariffs,
    text,
)
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _group_claim(referent, **extra):
    group = Mandate.objects.get(member__user=referent, role=MandateRole.REFERENT).body
    member = MemberFactory.create()
    meeting = attended_meeting(member, body=group)
    return make_claim(member, meeting=meeting, activity_kind=ActivityKind.GROUP_MEETING, **extra)


def _messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


# --- Validation ---------------------------------------------------------------------------


def test_referent_validates_their_groups_claim(client, association, referent):
    tariffs()
    claim = _group_claim(referent)
    other = make_claim(MemberFactory.create())  # typed by hand: the coordination's
    client.force_login(referent)
    page = text(client.get(reverse("validation_queue")))
    assert reverse("claim_detail", args=[claim.pk]) in page
    assert reverse("claim_detail", args=[other.pk]) not in page
    assert client.post(reverse("claim_validate", args=[claim.pk])).status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VALIDATED and claim.validated_by == referent
    assert client.post(reverse("claim_validate", args=[other.pk])).status_code == 404
    assert client.get(reverse("claim_detail", args=[other.pk])).status_code == 404


def test_adherent_and_treasurer_cannot_validate(client, association, adherent, tresorier):
    claim = make_claim(MemberFactory.create())
    for user in (adherent, tresorier):
        client.force_login(user)
        assert client.get(reverse("validation_queue")).status_code == 403
        assert client.post(reverse("claim_validate", args=[claim.pk])).status_code == 403


def test_coordinator_cannot_validate_their_own_claim(client, association, coordinator):
    claim = make_claim(member_of(coordinator))
    client.force_login(coordinator)
    assert reverse("claim_detail", args=[claim.pk]) not in text(
        client.get(reverse("validation_queue"))
    )
    client.post(reverse("claim_validate", args=[claim.pk]))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


# --- Refusal ------------------------------------------------------------------------------


def test_refuse_needs_a_reason_the_member_sees(client, association, referent, adherent):
    claim = _group_claim(referent)
    client.force_login(referent)
    empty = client.post(reverse("claim_refuse", args=[claim.pk]), {"reason": ""})
    assert empty.status_code == 400
    done = client.post(reverse("claim_refuse", args=[claim.pk]), {"reason": "Absent du PV"})
    assert done.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REFUSED and claim.refusal_reason == "Absent du PV"


def test_president_cannot_refuse(client, association, president):
    claim = make_claim(MemberFactory.create())
    client.force_login(president)
    assert client.get(reverse("claim_refuse", args=[claim.pk])).status_code == 403


# --- Approval -----------------------------------------------------------------------------


def test_treasurer_approves_and_sees_each_rejection(client, association, tresorier):
    year = timezone.localdate().year
    PassCeiling.objects.create(year=year, amount=Decimal("1000.00"))
    day = datetime.date(year, 1, 15)
    near = MemberFactory.create(last_name="Prochedu")
    make_claim(near, ClaimStatus.APPROVED, date=day, hours=Decimal("14"))  # 840 €
    over = make_claim(near, ClaimStatus.VALIDATED, date=day, hours=Decimal("4"))  # 240 €
    fine = make_claim(MemberFactory.create(), ClaimStatus.VALIDATED, date=day)
    client.force_login(tresorier)
    page = text(client.get(reverse("approval_queue")))
    assert 'data-testid="over-cap"' in page
    response = client.post(reverse("claims_bulk_approve"), {"claims": [over.pk, fine.pk]})
    assert response.status_code == 302
    notices = _messages(response)
    assert "1 demande approuvée" in notices
    assert "PROCHEDU, " in notices and "PASS" in notices and "80,00" in notices
    over.refresh_from_db()
    fine.refresh_from_db()
    assert over.status == ClaimStatus.VALIDATED and fine.status == ClaimStatus.APPROVED


def test_approval_queue_filters_never_fail(client, association, tresorier):
    make_claim(MemberFactory.create(), ClaimStatus.VALIDATED)
    client.force_login(tresorier)
    for query in (
        {"year": "abc", "profession": "99999", "mission": "x", "page": "-2"},
        {"activity_kind": ActivityKind.TRAINING, "near_cap": "on"},
    ):
        assert client.get(reverse("approval_queue"), query).status_code == 200


def test_who_validated_cannot_approve(client, association, coordinator):
    claim = make_claim(MemberFactory.create(), ClaimStatus.VALIDATED, validated_by=coordinator)
    client.force_login(coordinator)
    response = client.post(reverse("claim_approve", args=[claim.pk]))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VALIDATED


def test_approval_refused_to_the_others(client, association, adherent, referent, president):
    claim = make_claim(MemberFactory.create(), ClaimStatus.VALIDATED)
    for user in (adherent, referent, president):
        client.force_login(user)
        assert client.get(reverse("approval_queue")).status_code == 403
        assert client.post(reverse("claim_approve", args=[claim.pk])).status_code == 403
        assert (
            client.post(reverse("claims_bulk_approve"), {"claims": [claim.pk]}).status_code == 403
        )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VALIDATED


def test_finance_sees_any_claim_with_its_history(client, association, president):
    claim = make_claim(MemberFactory.create())
    client.force_login(president)
    page = text(client.get(reverse("claim_detail", args=[claim.pk])))
    assert "Historique" in page


# --- Query counts -------------------------------------------------------------------------


def _grow(referent, count: int) -> None:
    for _index in range(count):
        _group_claim(referent)
        make_claim(MemberFactory.create(), ClaimStatus.VALIDATED)


def test_queues_keep_a_constant_number_of_queries(client, association, coordinator, referent):
    client.force_login(coordinator)
    urls = [reverse("validation_queue"), reverse("approval_queue")]
    _grow(referent, 2)
    small = [queries(client, url) for url in urls]
    claim = Claim.objects.filter(status=ClaimStatus.SUBMITTED).first()
    assert claim is not None
    detail_small = queries(client, reverse("claim_detail", args=[claim.pk]))
    _grow(referent, 20)
    assert [queries(client, url) for url in urls] == small
    assert queries(client, reverse("claim_detail", args=[claim.pk])) == detail_small
