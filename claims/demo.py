"""Demo data of the claims, appended to ``cpts.services.demo.DEMO_STEPS`` after the
governance, missions, registries and crisis steps (the claims are declared from their
meetings, events and shifts) and before the indicators (whose hours indicator reads them):
the tariffs of the contract periods, the mileage scale and the PASS; two years of claims in
every state (``claims.demo_plan``), paid in quarterly batches, last year closed; bank
details for about two thirds of the claimants.

The tariffs, the scale, the PASS, the bank details, the closing and every claim still in the
workflow (submitted, validated, approved, refused) go through the claims services, so they
obey the real rules (attendance of the source, tariff in force, closed periods, nobody
validating or approving their own claim, four eyes, the PASS cap counting the paid claims,
IBAN checks) and leave their audit trail. Three writes do not:
- the paid history is bulk-created with the same rules (``_seed_paid`` says why: speed),
  with the audit entries the services would have written (``claims.demo_history``);
- the refusals are written by ``_refuse`` with the checks and fields of ``refuse_claim``,
  which emails the member once the transaction commits: ``seed_demo`` sends no email to
  its fictitious members (neither are the payment emails of ``create_batch`` sent);
- the services stamp their moments with the current time: the claims' moments of
  declaration, validation and decision and their audit entries are then moved back to when
  they would have happened (days after the activity, before the payment of its batch),
  and the decisions the services recorded under today's treasurer go to the treasurer of
  their day (``claims.demo_history.Treasurers``: the demo's treasurer changed on the way).

Idempotent: the settings are recorded only when missing, the claims only while the demo has
no claim at all (they are one history, seeded once), the bank details only for the chosen
claimants who have none."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from schwifty import IBAN

from claims import demo_plan, rules
from claims.common import acting
from claims.demo_history import Treasurers, paid_history, reattribute, treasurer_member_ids
from claims.demo_plan import Moments, Planned
from claims.models import (
    ActivityKind,
    BankAccount,
    Claim,
    ClaimNature,
    ClaimStatus,
    ClosedPeriod,
    MileageRate,
    PassCeiling,
    PaymentBatch,
    RateBasis,
    Tariff,
    receipt_path,
)
from claims.selectors.access import can_validate, is_own, led_body_ids
from claims.services import (
    approve_claim,
    close_period,
    declare_expense,
    declare_time,
    set_bank_account,
    set_mileage_rate,
    set_pass,
    set_tariff,
    validate_claim,
)
from claims.services.declare import indemnity_amount, mileage_amount, source_of
from cpts.models import User
from cpts.permissions import user_can
from members.models import Member
from members.models.members import MemberStatus
from members.models.reference import MemberKind
from missions.demo import demo_contract
from missions.demo_files import demo_pdf

if TYPE_CHECKING:
    from cpts.services.demo import DemoContext

D = Decimal
COORDINATION_EMAIL = "coordination@cpts-demo.fr"
TRESORIER_EMAIL = "tresorerie@cpts-demo.fr"
REFERENT_EMAIL = "referent@cpts-demo.fr"
ACCOUNT_EMAILS = ("presidence@cpts-demo.fr", REFERENT_EMAIL, "adherent@cpts-demo.fr")

# The tariffs voted by the bureau for the contract periods, the same for every profession.
TARIFFS: dict[str, tuple[str, Decimal]] = {
    ActivityKind.GROUP_MEETING: (RateBasis.HOURLY, D("60")),
    ActivityKind.BOARD_MEETING: (RateBasis.FLAT, D("50")),
    ActivityKind.REFERENT: (RateBasis.HOURLY, D("80")),
    ActivityKind.MISSION_ACTION: (RateBasis.HOURLY, D("70")),
    ActivityKind.ON_CALL: (RateBasis.HOURLY, D("90")),
    ActivityKind.TRAINING: (RateBasis.HOURLY, D("40")),
}
PER_KM = D("0.636")
PASS_BY_YEAR = {2025: D("47100"), 2026: D("48060")}
# French banks (code, branch) for the demo IBANs; the account number derives from the member.
BANKS = (
    ("30004", "00812"),
    ("30003", "01520"),
    ("13506", "10000"),
    ("20041", "01009"),
    ("10278", "08903"),
    ("11315", "00001"),
)


def _user(email: str) -> User | None:
    return User.objects.filter(email__iexact=email).first()


def _settings_author() -> User | None:
    treasurer = _user(TRESORIER_EMAIL)
    if treasurer is not None and user_can(treasurer, "claims.tariffs"):
        return treasurer
    return _user(COORDINATION_EMAIL)


def seed_claims_settings(context: DemoContext) -> None:
    """The tariffs from the contract's signature, the mileage scale, the PASS 2025 and 2026."""
    author = _settings_author()
    if author is None:
        return
    contract = demo_contract()
    start = contract.signed_on if contract else demo_plan.first_day(timezone.localdate())
    created = 0
    for kind, (basis, amount) in TARIFFS.items():
        if not Tariff.objects.filter(
            activity_kind=kind, valid_from=start, profession__isnull=True
        ).exists():
            set_tariff(by=author, activity_kind=kind, basis=basis, amount=amount, valid_from=start)
            created += 1
    if not MileageRate.objects.filter(valid_from=start).exists():
        set_mileage_rate(by=author, per_km=PER_KM, valid_from=start)
        created += 1
    for year, amount in PASS_BY_YEAR.items():
        if not PassCeiling.objects.filter(year=year).exists():
            set_pass(year, amount, by=author)
            created += 1
    if created:
        context.log(
            _(
                "Indemnisations : tarifs, barème kilométrique et PASS enregistrés "
                "(%(count)s réglages, applicables à partir du %(date)s)."
            )
            % {"count": created, "date": start.strftime("%d/%m/%Y")}
        )
    context.created["seed_claims_settings"] = created


class _Cast:
    """The people of the workflow: the coordination (declares for members without an
    account, validates), the demo référent (validates the meetings of their group since
    they lead it), the treasurer of each day (approves, pays, closes: ``treasurers``, set
    once the claims are to be seeded)."""

    def __init__(self) -> None:
        self.coordinator = _user(COORDINATION_EMAIL)
        self.treasurer = _user(TRESORIER_EMAIL)
        self.referent = _user(REFERENT_EMAIL)
        self.users = {user.pk: user for user in User.objects.all()}
        self.led: dict[int, datetime.date] = {}
        if self.referent is not None:
            self.led = dict(
                led_body_ids(self.referent)
                .order_by("start_date")
                .values_list("body_id", "start_date")
            )
        self.treasurers: Treasurers | None = None
        self.excluded = treasurer_member_ids() | set(
            Member.objects.filter(email__iexact=TRESORIER_EMAIL).values_list("pk", flat=True)
        )
        self.accounts = set(
            Member.objects.filter(email__in=ACCOUNT_EMAILS).values_list("pk", flat=True)
        )

    @property
    def ready(self) -> bool:
        return None not in (self.coordinator, self.treasurer, self.referent)

    def declarer(self, member: Member) -> User:
        return self.users.get(member.user_id or 0) or self.coordinator  # type: ignore[return-value]

    def validator(self, member: Member, meeting: Any) -> User:
        referent = self.referent
        since = self.led.get(meeting.body_id) if meeting is not None else None
        led = since is not None and since <= timezone.localdate(meeting.starts_at)
        if led and referent is not None and member.user_id != referent.pk:
            return referent
        return self.coordinator  # type: ignore[return-value]


def _sourced(cast: _Cast, rng: random.Random, today: datetime.date) -> list[Planned]:
    """Claims from the meetings attended, the events and the shifts, oldest first."""
    from crisis.models import SignUp
    from governance.models import Attendance, AttendanceStatus, BodyKind, MeetingStatus
    from missions.models import Event

    start = demo_plan.first_day(today)
    zone = timezone.get_default_timezone()
    since = datetime.datetime.combine(start, datetime.time(0, 0), tzinfo=zone)
    persons = {"member__kind": MemberKind.PERSON}
    attendances = (
        Attendance.objects.filter(
            status=AttendanceStatus.PRESENT,
            meeting__starts_at__gte=since,
            meeting__starts_at__lt=timezone.now(),
            **persons,
        )
        .exclude(meeting__body__kind=BodyKind.AG)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("member", "meeting")
        .order_by("meeting__starts_at", "member_id")
    )
    rows: list[tuple[str, datetime.date, Any, Member]] = [
        ("meeting", timezone.localdate(a.meeting.starts_at), a.meeting, a.member)
        for a in attendances
    ]
    mobilised = (
        Event.professionals.through.objects.filter(
            event__date__gte=start, event__date__lte=today, **persons
        )
        .select_related("event", "member")
        .order_by("event__date", "event_id", "member_id")
    )
    rows += [("event", row.event.date, row.event, row.member) for row in mobilised]
    signups = (
        SignUp.objects.filter(shift__starts_at__gte=since, shift__starts_at__lt=timezone.now())
        .filter(**persons)
        .select_related("shift", "member")
        .order_by("shift__starts_at", "member_id")
    )
    rows += [("shift", timezone.localdate(s.shift.starts_at), s.shift, s.member) for s in signups]
    led_meetings = [row[2] for row in rows if row[0] == "meeting" and row[2].body_id in cast.led]
    # The claims of the latest meeting of the référent's group were declared late.
    latest_led = max(led_meetings, key=lambda meeting: meeting.starts_at, default=None)
    plans = []
    for kind, day, source, member in sorted(rows, key=lambda row: (row[1], row[0], row[3].pk)):
        if member.pk in cast.excluded:
            # The treasurers claim nothing here: their board meetings are validated by the
            # coordination, which then may not approve them (four eyes), nor may they.
            continue
        drawn = rng.random()
        if member.pk not in cast.accounts and drawn >= demo_plan.CLAIM_SHARE[kind]:
            continue
        plan = Planned(
            member=member,
            day=day,
            source_kind=kind,
            source=source,
            status=demo_plan.window_status(day, today),
            km=rng.choice(demo_plan.KILOMETRES)
            if kind != "shift" and rng.random() < demo_plan.MILEAGE_SHARE
            else None,
        )
        meeting = source if kind == "meeting" else None
        plan.validator = cast.validator(member, meeting)
        if meeting is not None and meeting == latest_led and plan.validator == cast.referent:
            plan.status, plan.late = ClaimStatus.SUBMITTED, True
        elif (
            plan.status != ClaimStatus.SUBMITTED
            and member.pk not in cast.accounts
            and (kind == "shift" or member.practice_mode in demo_plan.SALARIED)
            and rng.random() < demo_plan.REFUSED_SHARE[kind]
        ):
            plan.status, plan.reason = ClaimStatus.REFUSED, demo_plan.REFUSALS[kind]
            plan.refused_at_validation = rng.random() < 0.5
        plans.append(plan)
    return plans


def _member_for(key: str, cast: _Cast) -> Member | None:
    if "@" in key:
        return Member.objects.filter(email__iexact=key).first()
    return (
        Member.objects.filter(
            status=MemberStatus.ACTIVE, kind=MemberKind.PERSON, profession__code=key
        )
        .exclude(pk__in=cast.accounts | cast.excluded)
        .order_by("pk")
        .first()
    )


def _by_hand(cast: _Cast, today: datetime.date) -> list[Planned]:
    start = demo_plan.first_day(today)
    plans = []
    for key, days, kind, hours, km, justification in demo_plan.HAND_CLAIMS:
        member, day = _member_for(key, cast), today - datetime.timedelta(days=days)
        if member is None or day < start:
            continue
        refused = (key, days) in demo_plan.REFUSED_HAND
        plans.append(
            Planned(
                member=member,
                day=day,
                source_kind="hand",
                status=ClaimStatus.REFUSED if refused else demo_plan.window_status(day, today),
                activity_kind=kind,
                hours=D(hours),
                km=D(km) if km else None,
                justification=justification,
                reason=demo_plan.REFUSALS["hand"] if refused else "",
                refused_at_validation=refused,
                validator=cast.coordinator,
            )
        )
    for key, days, amount, justification, refused in demo_plan.EXPENSES:
        member, day = _member_for(key, cast), today - datetime.timedelta(days=days)
        if member is None or day < start:
            continue
        plans.append(
            Planned(
                member=member,
                day=day,
                source_kind="expense",
                status=ClaimStatus.REFUSED if refused else demo_plan.window_status(day, today),
                amount=D(amount),
                justification=justification,
                reason=demo_plan.REFUSALS["expense"] if refused else "",
                validator=cast.coordinator,
            )
        )
    return plans


def _receipt(plan: Planned) -> SimpleUploadedFile:
    content = demo_pdf(
        "Justificatif de dépense",
        [
            plan.justification,
            f"Date : {plan.day:%d/%m/%Y}",
            f"Montant TTC : {plan.amount} EUR".replace(".", ","),
        ],
    )
    name = f"justificatif-{plan.day:%Y%m%d}.pdf"
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _declare(plan: Planned, cast: _Cast) -> None:
    by = cast.declarer(plan.member)
    if plan.source_kind == "expense":
        plan.claims = [
            declare_expense(
                plan.member,
                by=by,
                date=plan.day,
                amount=plan.amount,
                receipt=_receipt(plan),
                justification=plan.justification,
            )
        ]
    elif plan.source_kind == "hand":
        plan.claims = declare_time(
            plan.member,
            by=by,
            activity_kind=plan.activity_kind,
            date=plan.day,
            hours=plan.hours,
            justification=plan.justification,
            km=plan.km,
        )
    else:
        source = {plan.source_kind: plan.source}
        plan.claims = declare_time(plan.member, by=by, km=plan.km, **source)


def _refuse(claim: Claim, *, by: User, reason: str) -> None:
    """``refuse_claim`` without its email (see the module's docstring): same checks and
    fields, under the same audit actor."""
    with transaction.atomic(), acting(by):
        claim.refresh_from_db()
        if is_own(by, claim):
            raise ValueError("a demo claim refused by its own member")
        if claim.status == ClaimStatus.SUBMITTED:
            allowed = can_validate(by, claim) or user_can(by, "finance.approve")
        else:
            allowed = claim.status == ClaimStatus.VALIDATED and user_can(by, "finance.approve")
        if not allowed or not reason:
            raise ValueError(f"demo refusal not allowed for claim {claim.pk}")
        claim.status = ClaimStatus.REFUSED
        claim.refused_by = by
        claim.refused_at = timezone.now()
        claim.refusal_reason = reason
        claim.save()


def _run_workflow(plan: Planned, cast: _Cast) -> None:
    treasurer = cast.treasurer
    assert treasurer is not None
    if plan.status == ClaimStatus.SUBMITTED:
        return
    done = []
    for claim in plan.claims:
        if not (plan.status == ClaimStatus.REFUSED and plan.refused_at_validation):
            claim = validate_claim(claim, by=plan.validator)
        if plan.status == ClaimStatus.REFUSED:
            by = plan.validator if plan.refused_at_validation else treasurer
            _refuse(claim, by=by, reason=plan.reason)
        elif plan.status in (ClaimStatus.APPROVED, ClaimStatus.PAID):
            claim = approve_claim(claim, by=treasurer)
        done.append(claim)
    plan.claims = done


def _batches(plans: list[Planned], cast: _Cast, today: datetime.date) -> dict[int, PaymentBatch]:
    """One payment batch per quarter of the paid claims; returns the batch of each plan."""
    quarters: dict[tuple[int, int], list[Planned]] = defaultdict(list)
    for plan in plans:
        quarters[demo_plan.quarter_of(plan.day)].append(plan)
    batches: dict[int, PaymentBatch] = {}
    for (year, quarter), rows in sorted(quarters.items()):
        paid_on = demo_plan.quarter_paid_on(year, quarter, today)
        assert cast.treasurers is not None
        treasurer = cast.treasurers.on(paid_on)
        with acting(treasurer):
            batch = PaymentBatch.objects.create(
                paid_on=paid_on,
                label=demo_plan.batch_label(year, quarter),
                created_by=treasurer,
            )
        moment = demo_plan.at(paid_on, 9)
        PaymentBatch.objects.filter(pk=batch.pk).update(created_at=moment, updated_at=moment)
        LogEntry.objects.get_for_object(batch).update(timestamp=moment)
        batches.update({id(plan): batch for plan in rows})
    return batches


def _paid_rows(plan: Planned, cast: _Cast, batch: PaymentBatch, when: Moments) -> list[Claim]:
    """The claims of a paid plan as the services would have left them: the source checked
    (attendance, professionals mobilised, sign-up), the tariff and the scale in force, the
    receipt checked; declared by the member or the coordination, validated by the
    référent or the coordination, approved by the treasurer of the day, in the quarter's
    batch."""
    assert cast.treasurers is not None and when.decided is not None
    common: dict[str, Any] = {
        "member": plan.member,
        "date": plan.day,
        "status": ClaimStatus.PAID,
        "submitted_by": cast.declarer(plan.member),
        "validated_by": plan.validator,
        "validated_at": when.validated,
        "approved_by": cast.treasurers.at(when.decided),
        "approved_at": when.decided,
        "batch": batch,
        "justification": plan.justification,
    }
    if plan.source_kind == "expense":
        receipt = _receipt(plan)
        rules.check_receipt(receipt)
        claim = Claim(nature=ClaimNature.EXPENSE, amount=plan.amount or D("0"), **common)
        path = receipt_path(claim, receipt.name or "justificatif.pdf")
        claim.receipt.name = default_storage.save(path, receipt)
        return [claim]
    sources: dict[str, Any] = {}
    kind, mission, hours = plan.activity_kind, None, plan.hours
    if plan.source_kind != "hand":
        sources = {plan.source_kind: plan.source}
        source = source_of(plan.member, **sources)
        kind, mission, hours = source.activity_kind, source.mission, source.duration
    indemnity = Claim(
        nature=ClaimNature.INDEMNITY,
        activity_kind=kind,
        mission=mission,
        hours=rules.check_hours(hours),
        **sources,
        **common,
    )
    indemnity_amount(indemnity, plan.member.profession_id)
    if plan.km is None:
        return [indemnity]
    mileage = Claim(
        nature=ClaimNature.MILEAGE,
        activity_kind=kind,
        mission=mission,
        km=plan.km,
        **sources,
        **common,
    )
    mileage_amount(mileage)
    return [indemnity, mileage]


def _seed_paid(plans: list[Planned], cast: _Cast, today: datetime.date, rng: random.Random) -> int:
    """The paid history, bulk-created. Through the services (declare, validate, approve:
    audited saves, about 25 queries a claim) the four hundred paid claims of two years took
    over ten seconds; these rows are built with the same rules (``_paid_rows``) and the
    PASS cap is checked on the totals, and their audit entries are written in bulk as well
    (``demo_history.paid_history``). The claims still in the workflow go through the
    services afterwards (``_run_workflow``), so their approval counts the paid ones."""
    batches = _batches(plans, cast, today)
    rows: list[Claim] = []
    stamps: list[Moments] = []
    for plan in plans:
        batch = batches[id(plan)]
        when = demo_plan.moments(plan, rng, today, batch.paid_on)
        plan.claims = _paid_rows(plan, cast, batch, when)
        rows += plan.claims
        stamps += [when] * len(plan.claims)
    Claim.objects.bulk_create(rows, batch_size=500)
    for claim, when in zip(rows, stamps, strict=True):
        paid = demo_plan.at(claim.batch.paid_on, 9)  # type: ignore[union-attr]
        Claim.objects.filter(pk=claim.pk).update(created_at=when.declared, updated_at=paid)
    paid_history(rows, stamps)
    totals: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for claim in rows:
        if claim.nature == ClaimNature.INDEMNITY:
            totals[(claim.member_id, claim.date.year)] += claim.amount
    over = [key for key, total in totals.items() if total > rules.pass_amount(key[1])]
    if over:
        raise ValueError(f"demo claims over the PASS: {over}")
    return len(set(batches.values()))


def _status_moments(plan: Planned, when: Moments) -> dict[str, datetime.datetime | None]:
    decided = ClaimStatus.REFUSED if plan.status == ClaimStatus.REFUSED else ClaimStatus.APPROVED
    return {
        ClaimStatus.SUBMITTED: when.declared,
        ClaimStatus.VALIDATED: when.validated,
        decided: when.decided,
    }


def _backdate(plans: list[Planned], today: datetime.date, rng: random.Random) -> None:
    """Move the moments of the claims written by the services, and their audit entries,
    back to when they happened (one small update a row: faster than ``bulk_update``)."""
    by_claim: dict[int, dict[str, datetime.datetime | None]] = {}
    for plan in plans:
        when = demo_plan.moments(plan, rng, today, None)
        moments = _status_moments(plan, when)
        for claim in plan.claims:
            Claim.objects.filter(pk=claim.pk).update(
                created_at=when.declared,
                updated_at=when.decided or when.validated or when.declared,
                validated_at=when.validated if claim.validated_at else None,
                approved_at=when.decided if claim.approved_at else None,
                refused_at=when.decided if claim.refused_at else None,
            )
            by_claim[claim.pk] = moments
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Claim), object_id__in=list(by_claim)
    )
    stamped = {
        "validated_at": ClaimStatus.VALIDATED,
        "approved_at": ClaimStatus.APPROVED,
        "refused_at": ClaimStatus.REFUSED,
    }
    for entry in entries.only("pk", "object_id", "action", "changes"):
        moments = by_claim[int(entry.object_id or 0)]
        changes = dict(entry.changes or {})
        status = changes.get("status", [None, ClaimStatus.SUBMITTED])[1]
        if entry.action == LogEntry.Action.CREATE:
            status = ClaimStatus.SUBMITTED
        for name, state in stamped.items():
            recorded = name in changes and changes[name][1] not in (None, "None")
            if recorded and moments.get(state) is not None:
                changes[name] = [changes[name][0], str(moments[state])]
        LogEntry.objects.filter(pk=entry.pk).update(
            timestamp=moments.get(status) or moments[ClaimStatus.SUBMITTED], changes=changes
        )


def _close_last_year(plans: list[Planned], cast: _Cast, today: datetime.date) -> list[str]:
    """Close last year once all its claims are paid or refused (else its settled months)."""
    year = today.year - 1
    pending = {
        plan.day.month
        for plan in plans
        if plan.day.year == year and plan.status not in (ClaimStatus.PAID, ClaimStatus.REFUSED)
    }
    months: list[int | None] = [None]
    if pending:
        months = [month for month in range(1, 13) if month < min(pending)]
    closed = []
    for month in months:
        if ClosedPeriod.objects.filter(year=year, month=month).exists():
            continue
        period = close_period(year, month, by=cast.treasurer)
        last_paid = max(
            (
                claim.batch.paid_on
                for plan in plans
                for claim in plan.claims
                if claim.batch_id and plan.day.year == year
            ),
            default=today,
        )
        moment = demo_plan.at(min(last_paid + datetime.timedelta(days=7), today), 17)
        assert cast.treasurers is not None
        closer = cast.treasurers.at(moment)
        ClosedPeriod.objects.filter(pk=period.pk).update(
            created_at=moment, updated_at=moment, closed_by=closer
        )
        for entry in LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(ClosedPeriod), object_id=period.pk
        ):
            changes = dict(entry.changes or {})
            if "closed_by" in changes:
                changes["closed_by"] = [changes["closed_by"][0], str(closer.pk)]
            LogEntry.objects.filter(pk=entry.pk).update(
                timestamp=moment, actor=closer, actor_email=closer.email, changes=changes
            )
        closed.append(str(period))
    return closed


def seed_claims(context: DemoContext) -> None:
    """Two years of claims in every state, paid by quarter, last year closed (once)."""
    cast = _Cast()
    if Claim.objects.exists() or not cast.ready or not Tariff.objects.exists():
        context.created["seed_claims"] = 0
        return
    today = timezone.localdate()
    assert cast.treasurer is not None
    cast.treasurers = Treasurers(cast.treasurer, since=demo_plan.first_day(today))
    for email in cast.treasurers.new_accounts:
        context.log(
            _("Compte créé pour un ancien trésorier (sans mot de passe) : %(email)s.")
            % {"email": email}
        )
    plans = _sourced(cast, random.Random(demo_plan.SEED), today) + _by_hand(cast, today)
    plans.sort(key=lambda plan: (plan.day, plan.member.pk))
    rng = random.Random(demo_plan.SEED + 1)
    paid = [plan for plan in plans if plan.status == ClaimStatus.PAID]
    live = [plan for plan in plans if plan.status != ClaimStatus.PAID]
    batch_count = _seed_paid(paid, cast, today, rng)
    for plan in live:
        _declare(plan, cast)
    for plan in live:
        _run_workflow(plan, cast)
    _backdate(live, today, rng)
    decided = Claim.objects.filter(pk__in=[claim.pk for plan in live for claim in plan.claims])
    reattribute(decided, cast.treasurers, cast.treasurer)
    closed = _close_last_year(plans, cast, today)
    counts: dict[str, int] = defaultdict(int)
    for plan in plans:
        counts[plan.status] += len(plan.claims)
    context.log(
        _(
            "Demandes d'indemnisation créées : %(total)s (%(submitted)s soumises, "
            "%(validated)s validées, %(approved)s approuvées, %(paid)s payées en %(batches)s "
            "lots, %(refused)s refusées)."
        )
        % {
            "total": sum(counts.values()),
            "submitted": counts[ClaimStatus.SUBMITTED],
            "validated": counts[ClaimStatus.VALIDATED],
            "approved": counts[ClaimStatus.APPROVED],
            "paid": counts[ClaimStatus.PAID],
            "batches": batch_count,
            "refused": counts[ClaimStatus.REFUSED],
        }
    )
    if closed:
        context.log(_("Période close : %(periods)s.") % {"periods": ", ".join(closed)})
    context.created["seed_claims"] = sum(counts.values())


def demo_iban(member: Member) -> IBAN:
    bank, branch = BANKS[member.pk % len(BANKS)]
    account = f"{member.pk * 7_919 % 10**11:011d}"
    return IBAN.generate("FR", bank_code=bank, branch_code=branch, account_code=account)


def seed_claims_bank_accounts(context: DemoContext) -> None:
    """Bank details (valid IBANs, checked by the service) for about two claimants in three,
    the demo accounts and everyone in the latest payment batch among them."""
    treasurer = _user(TRESORIER_EMAIL)
    if treasurer is None:
        return
    claimants = list(Member.objects.filter(pk__in=Claim.objects.values("member_id")).order_by("pk"))
    have = set(BankAccount.objects.values_list("member_id", flat=True))
    # Everyone paid in the latest batch has an IBAN, so its SEPA file can be produced.
    latest = PaymentBatch.objects.order_by("-paid_on", "-pk").first()
    in_latest = set(latest.claims.values_list("member_id", flat=True)) if latest else set()
    created = 0
    for index, member in enumerate(claimants):
        skipped = index % 3 == 2 and member.email not in ACCOUNT_EMAILS
        if member.pk in have or (skipped and member.pk not in in_latest):
            continue
        iban = demo_iban(member)
        set_bank_account(
            member, by=treasurer, holder=member.display_name, iban=str(iban), bic=str(iban.bic)
        )
        created += 1
    if created:
        context.log(_("Coordonnées bancaires enregistrées : %(count)s.") % {"count": created})
    context.created["seed_claims_bank_accounts"] = created


CLAIMS_DEMO_STEPS = [seed_claims_settings, seed_claims, seed_claims_bank_accounts]
