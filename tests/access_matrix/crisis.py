"""Access-matrix entries of the crisis mission (crisis/views/): plan, activations, sites,
shifts and roster (with the coordination's tools: adding a member, deleting an empty shift
or site), alerts and their public read confirmation, the portal's shifts. The objects are
built by ``crisis_objects`` (``MatrixObjects.crisis``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from crisis.models import (
    Activation,
    Alert,
    AlertDelivery,
    DeliveryStatus,
    PlanVersion,
    Segment,
    Shift,
    ShiftNeed,
    SignUp,
    Site,
    SiteKind,
    Situation,
)
from crisis.selectors.alerts import read_token
from crisis.services.rosters import save_shift
from members.models import Member, Profession
from tests.access_matrix.core import (
    LOGIN,
    OK,
    Entry,
    KwargsBuilder,
    missing_pk,
    override,
    protected,
    public,
    same,
)


@dataclass(frozen=True)
class CrisisObjects:
    plan: PlanVersion
    activation: Activation
    site: Site
    shift: Shift  # tomorrow, open: 2 GPs and a reception
    other_need: ShiftNeed  # the GP need of a later, non-overlapping shift
    own_signup: SignUp  # the ``adherent`` persona on ``shift``
    alert: Alert
    delivery: AlertDelivery  # of ``alert``, to ``member``


def crisis_objects(member: Member, own_member: Member, user: Any) -> CrisisObjects:
    plan = PlanVersion.objects.create(
        number=1,
        summary="Première version",
        referent_sse=member,
        cell_place="Maison de santé",
        contact_tree=[{"role": "Référent", "name": "A. Martin", "phone": "06 12 34 56 78"}],
        section_injured="a",
        section_seasonal="b",
        section_emerging="c",
        section_nrbc="d",
        section_supply="e",
    )
    today = timezone.localdate()
    activation = Activation.objects.create(
        title="Épidémie", situation=Situation.SEASONAL, started_on=today
    )
    site = Site.objects.create(activation=activation, name="Centre", kind=SiteKind.VACCINATION)
    gp = Profession.objects.get(code="medecin_generaliste")
    start = timezone.now() + datetime.timedelta(days=2)
    shifts = [
        save_shift(
            None,
            site,
            starts_at=start + datetime.timedelta(hours=offset),
            ends_at=start + datetime.timedelta(hours=offset + 4),
            changes_until=start - datetime.timedelta(days=1),
            notes="",
            needs=[(gp, 2), (None, 1)],
        )
        for offset in (0, 6)
    ]
    own_signup = SignUp.objects.create(
        shift=shifts[0], need=shifts[0].needs.get(profession=gp), member=own_member
    )
    alert = Alert.objects.create(
        subject="Alerte", body="Message", segment=Segment.EVERYONE, sent_by=user
    )
    delivery = AlertDelivery.objects.create(
        alert=alert, member=member, email=member.email, status=DeliveryStatus.SENT
    )
    return CrisisObjects(
        plan=plan,
        activation=activation,
        site=site,
        shift=shifts[0],
        other_need=shifts[1].needs.get(profession=gp),
        own_signup=own_signup,
        alert=alert,
        delivery=delivery,
    )


def of(attribute: str) -> KwargsBuilder:
    return lambda o: {"pk": getattr(o.crisis, attribute).pk}


def _token(o: Any) -> dict[str, Any]:
    return {"token": read_token(o.crisis.delivery)}


WHY_ALERT_READ = (
    "a recipient confirms reading from the emailed link without an account: the signed "
    "token is the credential (tampered or unknown → 404)"
)
# Any logged-in persona passes portal.view; those without a member record get the page
# saying so (200); a sign-up of someone else is a 404.
OWN_ONLY: dict[str, Any] = {"referent": "404", "tresorier": "404", "president": "404"}
VALID_SHIFT = {
    "starts_at": "2030-01-10T08:00",
    "ends_at": "2030-01-10T12:00",
    "changes_until": "2030-01-09T18:00",
    "need_0_count": "1",
}

ENTRIES: dict[str, Entry] = {
    # --- Home and plan (crisis/views/plan.py) ---
    "crisis_home": protected("crisis.view"),
    "crisis_plan": protected("crisis.view"),
    "crisis_plan_edit": protected("crisis.manage"),
    "crisis_plan_edit#invalid": protected(
        "crisis.manage", method="POST", data={"contact_tree": "x"}, granted="400"
    ),
    "crisis_plan_versions": protected("crisis.view"),
    "crisis_plan_versions#bad-page": protected("crisis.view", query="page=abc"),
    "crisis_plan_version": protected("crisis.view", kwargs=of("plan")),
    "crisis_plan_version#missing": protected("crisis.view", granted="404", kwargs=missing_pk),
    "crisis_plan_pdf": protected("crisis.view", method="POST", kwargs=of("plan")),
    "crisis_plan_pdf#get": protected("crisis.view", granted="405", kwargs=of("plan")),
    # --- Activations, sites, shifts, roster (crisis/views/activations.py) ---
    "activation_create": protected("crisis.manage"),
    "activation_create#invalid": protected(
        "crisis.manage", method="POST", data={"started_on": "31/02/2026"}, granted="400"
    ),
    "activation_detail": protected("crisis.view", kwargs=of("activation")),
    "activation_detail#missing": protected("crisis.view", granted="404", kwargs=missing_pk),
    "activation_edit": protected("crisis.manage", kwargs=of("activation")),
    "activation_edit#post": protected(
        "crisis.manage",
        method="POST",
        kwargs=of("activation"),
        data={"title": "Canicule", "situation": "seasonal", "started_on": "2026-01-02"},
    ),
    "crisis_roster": protected("crisis.view", kwargs=of("activation")),
    "crisis_roster#filters": protected(
        "crisis.view", kwargs=of("activation"), query="site=abc&manques=1&page=-3"
    ),
    "site_create": protected("crisis.manage", kwargs=of("activation")),
    "site_create#post": protected(
        "crisis.manage",
        method="POST",
        kwargs=of("activation"),
        data={"name": "Point de retrait", "kind": "pickup"},
    ),
    "site_edit": protected("crisis.manage", kwargs=of("site")),
    "site_edit#missing": protected("crisis.manage", granted="404", kwargs=missing_pk),
    "shift_create": protected("crisis.manage", kwargs=of("site")),
    "shift_create#post": protected(
        "crisis.manage", method="POST", kwargs=of("site"), data=VALID_SHIFT
    ),
    "shift_create#backwards": protected(
        "crisis.manage",
        method="POST",
        kwargs=of("site"),
        data={**VALID_SHIFT, "ends_at": "2030-01-10T07:00"},
        granted="400",
    ),
    "shift_edit": protected("crisis.manage", kwargs=of("shift")),
    "shift_edit#missing": protected("crisis.manage", granted="404", kwargs=missing_pk),
    "roster_signup_remove": protected("crisis.manage", method="POST", kwargs=of("own_signup")),
    "roster_signup_remove#get": protected("crisis.manage", granted="405", kwargs=of("own_signup")),
    # --- The coordination's roster tools (crisis/views/roster_tools.py) ---
    "roster_need_add": protected("crisis.manage", kwargs=lambda o: {"pk": o.crisis.other_need.pk}),
    "roster_need_add#search": protected(
        "crisis.manage",
        kwargs=lambda o: {"pk": o.crisis.other_need.pk},
        query="q=%27%22%3C&page=zz",
    ),
    "roster_need_add#bad-member": protected(
        "crisis.manage",
        method="POST",
        kwargs=lambda o: {"pk": o.crisis.other_need.pk},
        data={"member": "abc"},
        granted="400",
    ),
    "roster_need_add#missing": protected("crisis.manage", granted="404", kwargs=missing_pk),
    # ``shift`` has a sign-up and ``site`` shifts: the page says why, the POST is refused
    # with a message (a redirect), nothing is deleted.
    "shift_delete": protected("crisis.manage", kwargs=of("shift")),
    "shift_delete#post": protected("crisis.manage", method="POST", kwargs=of("shift")),
    "shift_delete#missing": protected(
        "crisis.manage", method="POST", granted="404", kwargs=missing_pk
    ),
    "site_delete": protected("crisis.manage", kwargs=of("site")),
    "site_delete#post": protected("crisis.manage", method="POST", kwargs=of("site")),
    "site_delete#missing": protected("crisis.manage", granted="404", kwargs=missing_pk),
    # --- Alerts (crisis/views/alerts.py) ---
    "alert_list": protected("crisis.view"),
    "alert_create": protected("crisis.manage"),
    "alert_create#empty-segment": protected(
        "crisis.manage",
        method="POST",
        data={"subject": "Test", "body": "Corps", "segment": "profession", "profession": "999999"},
        granted="400",
    ),
    "alert_preview": protected("crisis.manage", htmx=True, query="segment=everyone&profession=abc"),
    "alert_detail": protected("crisis.view", kwargs=of("alert")),
    "alert_detail#filter": protected("crisis.view", kwargs=of("alert"), query="filtre=zzz"),
    "alert_detail#missing": protected("crisis.view", granted="404", kwargs=missing_pk),
    "alert_read": public(WHY_ALERT_READ, kwargs=_token),
    "alert_read#post": public(WHY_ALERT_READ, method="POST", kwargs=_token),
    "alert_read#forged": public(
        WHY_ALERT_READ, expect=same("404"), kwargs=lambda o: {"token": "faux.jeton"}
    ),
    # --- Portal (crisis/views/portal.py) ---
    "portal_crisis_cards": protected("portal.view", htmx=True),
    "portal_shifts": protected("portal.view"),
    "portal_shift_signup": protected(
        "portal.view", method="POST", kwargs=lambda o: {"pk": o.crisis.other_need.pk}
    ),
    "portal_shift_signup#get": protected(
        "portal.view", granted="405", kwargs=lambda o: {"pk": o.crisis.other_need.pk}
    ),
    "portal_shift_signup#missing": protected(
        "portal.view",
        method="POST",
        kwargs=missing_pk,
        expect=override(same("404"), anonymous=LOGIN, coordinator=OK),
    ),
    "portal_shift_withdraw": protected(
        "portal.view", method="POST", kwargs=of("own_signup"), **OWN_ONLY
    ),
    "portal_shift_swap": protected(
        "portal.view",
        method="POST",
        kwargs=of("own_signup"),
        data={"need": "abc"},
        **OWN_ONLY,
    ),
}
