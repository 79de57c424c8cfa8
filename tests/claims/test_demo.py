"""The claims' demo data (claims/demo.py, run by ``seed_demo``): the tariffs, two years of
claims in every state from the demo's real attendance, paid in dated batches, consistent
with the rules (sources attended, tariffs in force, four eyes, the PASS); bank details for
about two thirds of the claimants; a second run changes nothing."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from claims import demo_plan, rules
from claims.models import (
    ActivityKind,
    BankAccount,
    Claim,
    ClaimNature,
    ClaimStatus,
    ClosedPeriod,
    MileageRate,
    PaymentBatch,
    RateBasis,
    Tariff,
)
from claims.selectors import approval_queue, payable_claims, validation_queue
from claims.services.bank import normalise_iban
from cpts.models import User
from cpts.services.demo import seed_demo
from crisis.models import SignUp
from governance.models import Attendance, AttendanceStatus, BodyKind
from members.models import Member
from tests.conftest import ensure_reference_data

pytestmark = pytest.mark.django_db

SETTLED = (ClaimStatus.PAID, ClaimStatus.REFUSED)


def _seed() -> list[str]:
    ensure_reference_data()
    messages: list[str] = []
    seed_demo(messages.append)
    return messages


def _counts() -> dict[str, int]:
    return {
        "claims": Claim.objects.count(),
        "batches": PaymentBatch.objects.count(),
        "accounts": BankAccount.objects.count(),
        "tariffs": Tariff.objects.count(),
        "closed": ClosedPeriod.objects.count(),
        "audit": LogEntry.objects.count(),
        "statuses": len(set(Claim.objects.values_list("status", flat=True))),
    }


def _user(email: str) -> User:
    return User.objects.get(email=email)


def test_claims_demo_every_state_consistent_with_the_rules():
    messages = _seed()
    today = timezone.localdate()
    assert any(m.startswith("Demandes d'indemnisation créées") for m in messages)
    claims = Claim.objects.select_related("member", "batch", "meeting__body")

    # Every state, refusals with the reason the member reads.
    assert set(claims.values_list("status", flat=True)) == set(ClaimStatus.values)
    refused = claims.filter(status=ClaimStatus.REFUSED)
    assert not refused.filter(Q(refusal_reason="") | Q(refused_by__isnull=True)).exists()
    assert all(len(claim.refusal_reason) > 40 for claim in refused)
    assert set(claims.values_list("nature", flat=True)) == set(ClaimNature.values)

    # Two years: last year and this year, nothing in the future.
    years = set(claims.values_list("date__year", flat=True))
    assert today.year - 1 in years and years <= {today.year - 1, today.year}
    assert not claims.filter(date__gt=today).exists()

    # Tariffs for every claimable activity, the mileage scale, the PASS of 2025 and 2026.
    for kind in ActivityKind.values:
        assert rules.tariff_for(kind, today, None).amount > 0, kind
    assert rules.mileage_rate_for(today).per_km == Decimal("0.636")
    assert rules.pass_amount(2025) == Decimal("47100")
    assert rules.pass_amount(2026) == Decimal("48060")

    # Paid in at least two dated batches, after approval, only paid claims in them.
    batches = list(PaymentBatch.objects.all())
    assert len(batches) >= 2
    assert today.year - 1 in {batch.paid_on.year for batch in batches}
    assert not claims.filter(batch__isnull=False).exclude(status=ClaimStatus.PAID).exists()
    assert not claims.filter(status=ClaimStatus.PAID, batch__isnull=True).exists()
    for claim in claims.filter(status=ClaimStatus.PAID):
        assert claim.batch is not None and claim.date < claim.batch.paid_on <= today
        assert claim.validated_at is not None and claim.approved_at is not None
        assert claim.validated_at <= claim.approved_at
        assert timezone.localdate(claim.approved_at) < claim.batch.paid_on
    for claim in claims.exclude(status=ClaimStatus.SUBMITTED):
        assert timezone.localdate(claim.created_at) >= claim.date, claim.pk

    # Four eyes: nobody validates or approves their own claim, the validator never approves.
    own = Q(validated_by=F("member__user")) | Q(approved_by=F("member__user"))
    assert not claims.filter(own).exists()
    assert not claims.filter(approved_by=F("validated_by")).exists()
    assert not claims.filter(refused_by=F("member__user")).exists()

    # The PASS: no member's approved or paid indemnities of a year exceed it.
    totals: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for claim in claims.filter(
        nature=ClaimNature.INDEMNITY, status__in=(ClaimStatus.APPROVED, ClaimStatus.PAID)
    ):
        totals[(claim.member_id, claim.date.year)] += claim.amount
    assert totals and all(total <= rules.pass_amount(year) for (_m, year), total in totals.items())

    # Sources: present at the meeting (never an AG), mobilised for the event, signed up.
    present = set(
        Attendance.objects.filter(status=AttendanceStatus.PRESENT).values_list(
            "member_id", "meeting_id"
        )
    )
    from_meetings = claims.filter(meeting__isnull=False)
    assert from_meetings.filter(nature=ClaimNature.INDEMNITY).count() > 20
    assert not from_meetings.filter(meeting__body__kind=BodyKind.AG).exists()
    assert all((c.member_id, c.meeting_id) in present for c in from_meetings)
    for claim in claims.filter(event__isnull=False).select_related("event"):
        assert claim.event is not None
        assert claim.event.professionals.filter(pk=claim.member_id).exists()
    shifts = claims.filter(shift__isnull=False)
    assert shifts.exists()
    signed = set(SignUp.objects.values_list("member_id", "shift_id"))
    assert all((c.member_id, c.shift_id) in signed for c in shifts)

    # Amounts from the tariff in force and the mileage scale; expenses with a PDF receipt.
    for claim in claims.exclude(status=ClaimStatus.REFUSED):
        if claim.nature == ClaimNature.INDEMNITY:
            tariff = rules.tariff_for(claim.activity_kind, claim.date, claim.member.profession_id)
            flat = tariff.basis == RateBasis.FLAT
            expected = tariff.amount if flat else tariff.amount * (claim.hours or Decimal(0))
            assert claim.amount == expected.quantize(Decimal("0.01")), claim.pk
        elif claim.nature == ClaimNature.MILEAGE:
            per_km = MileageRate.objects.get().per_km
            expected = per_km * (claim.km or Decimal(0))
            assert claim.amount == expected.quantize(Decimal("0.01")), claim.pk
        else:
            assert claim.justification
            with claim.receipt.open("rb") as receipt:
                assert receipt.read(5) == b"%PDF-"
    assert not claims.filter(nature=ClaimNature.INDEMNITY, activity_kind="").exists()
    hand = claims.filter(
        nature=ClaimNature.INDEMNITY, meeting=None, event=None, shift=None, justification=""
    )
    assert not hand.exists()  # claims entered by hand are justified

    # Last year is closed once all its claims are settled.
    last_year = claims.filter(date__year=today.year - 1)
    if ClosedPeriod.objects.filter(year=today.year - 1, month__isnull=True).exists():
        assert not last_year.exclude(status__in=SETTLED).exists()
    assert ClosedPeriod.objects.filter(year=today.year - 1).exists()

    # The demo accounts' queues and portal.
    referent = _user("referent@cpts-demo.fr")
    coordinator = _user("coordination@cpts-demo.fr")
    assert validation_queue(referent).count() >= 2
    assert validation_queue(coordinator).count() >= 5
    assert approval_queue().count() >= 5
    assert payable_claims().count() >= 5
    adherent = Member.objects.get(email="adherent@cpts-demo.fr")
    states = set(Claim.objects.filter(member=adherent).values_list("status", flat=True))
    assert states == set(ClaimStatus.values)  # the portal card shows every state
    assert not Claim.objects.filter(member__email="tresorerie@cpts-demo.fr").exists()

    # Bank details for about two thirds of the claimants, valid IBANs normalised.
    claimants = claims.values("member_id").distinct().count()
    accounts = BankAccount.objects.all()
    assert 0.55 <= accounts.count() / claimants <= 0.75
    assert all(normalise_iban(account.iban) == account.iban for account in accounts)
    assert accounts.filter(member=adherent).exists()


def test_claims_demo_second_run_changes_nothing():
    _seed()
    before = _counts()
    updated = max(Claim.objects.values_list("updated_at", flat=True))
    messages: list[str] = []
    seed_demo(messages.append)
    assert messages == []
    assert _counts() == before
    assert max(Claim.objects.values_list("updated_at", flat=True)) == updated
    assert before["statuses"] == len(ClaimStatus.values)


def test_claims_demo_pages_show_it_to_the_demo_accounts(client):
    _seed()
    batch = PaymentBatch.objects.order_by("paid_on").first()
    refused = Claim.objects.filter(member__email="adherent@cpts-demo.fr", status="refused").first()
    waiting = validation_queue(_user("coordination@cpts-demo.fr")).last()
    assert batch is not None and refused is not None and waiting is not None
    pages = {
        "tresorerie@cpts-demo.fr": [
            (reverse("approval_queue"), "Validée"),
            (reverse("batch_list"), batch.label),
            (reverse("batch_detail", args=[batch.pk]), batch.label),
            (reverse("claims_totals") + f"?annee={batch.paid_on.year}", "Réunion"),
        ],
        "referent@cpts-demo.fr": [(reverse("validation_queue"), "Soins non programmés")],
        "adherent@cpts-demo.fr": [
            (reverse("my_claims"), "Refusée"),
            (reverse("my_claims"), refused.refusal_reason[:30]),
            (reverse("portal_claims_cards"), "Soumise"),
        ],
        "coordination@cpts-demo.fr": [
            (reverse("validation_queue"), waiting.member.display_name),
            (reverse("claim_detail", args=[refused.pk]), refused.refusal_reason[:30]),
        ],
    }
    for email, urls in pages.items():
        client.force_login(_user(email))
        for url, text in urls:
            response = client.get(url)
            assert response.status_code == 200, (email, url)
            assert escape(text) in response.content.decode(), (email, url, text)


@pytest.mark.parametrize(
    "today",
    [datetime.date(2027, 1, 9), datetime.date(2026, 4, 2), datetime.date(2026, 12, 7)],
)
def test_demo_plan_dates_hold_whatever_the_day(today: datetime.date):
    """The windows, the quarterly payment dates and the moments of the plan, on days of the
    year other than the one the suite runs on (no database)."""
    rng = random.Random(1)
    start = demo_plan.first_day(today)
    assert start == datetime.date(today.year - 1, 1, 1)
    assert demo_plan.window_status(today, today) == ClaimStatus.SUBMITTED
    assert demo_plan.window_status(today - datetime.timedelta(45), today) == "validated"
    assert demo_plan.window_status(today - datetime.timedelta(80), today) == "approved"
    day = start
    quarters = set()
    while day <= today:
        status = demo_plan.window_status(day, today)
        paid_on = None
        if status == ClaimStatus.PAID:
            quarter = demo_plan.quarter_of(day)
            quarters.add(quarter)
            paid_on = demo_plan.quarter_paid_on(*quarter, today)
            assert day + datetime.timedelta(days=20) <= paid_on < today
        for state, early in ((status, False), ("refused", False), ("refused", True)):
            plan = demo_plan.Planned(
                member=None, day=day, source_kind="hand", status=state, refused_at_validation=early
            )
            when = demo_plan.moments(plan, rng, today, paid_on if state == status else None)
            assert (when.validated is None) == (state == "submitted" or early)
            steps = [m for m in (when.declared, when.validated, when.decided) if m is not None]
            assert steps == sorted(steps)
            assert all(day <= timezone.localdate(m) <= today for m in steps)
            if paid_on is not None and state == status:
                assert when.decided is not None and timezone.localdate(when.decided) < paid_on
        day += datetime.timedelta(days=1)
    assert len(quarters) >= 2
    assert today.year - 1 in {year for year, _quarter in quarters}
