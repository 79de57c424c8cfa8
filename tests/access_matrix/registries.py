"""Access-matrix entries of the mission registries (registries/views/): the médecin traitant
requests and doctors, the profiles, the simple registers, the SAS import and the portal's
availability pages. ``registry_objects`` creates the rows their URLs point at."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from cpts.models import Commune
from members.models import Member, Profession
from registries.models import (
    GpRequest,
    Installation,
    Mentorship,
    Origin,
    ProfessionalProfile,
    SasMonthlyActivity,
    SasParticipation,
    Trainee,
    TraineeLevel,
    UnplannedSlotOffer,
)
from tests.access_matrix.core import Entry, KwargsBuilder, missing_pk, protected

PORTAL = "portal.view"
VIEW = "registries.view"
MANAGE = "registries.manage"


def registry_objects(member: Member, other: Member, commune: Commune) -> SimpleNamespace:
    """One row of each register (``member`` a doctor, ``other`` another person)."""
    today = timezone.localdate()
    ProfessionalProfile.objects.create(
        member=member, accepts_new_patients=True, new_patients_capacity=3, capacity_since=today
    )
    return SimpleNamespace(
        request=GpRequest.objects.create(
            reference="MT-TEST-0001",
            commune=commune,
            origin=Origin.CPAM,
            received_on=today - timedelta(days=10),
            ald=True,
        ),
        sas_participation=SasParticipation.objects.create(member=member, start=date(2025, 1, 1)),
        sas_activity=SasMonthlyActivity.objects.create(
            month=date(2025, 3, 1),
            requests_received=10,
            appointments_given=8,
            honoured=7,
            not_honoured=1,
            oriented_elsewhere=2,
        ),
        slot_offer=UnplannedSlotOffer.objects.create(member=member, week=date(2025, 3, 3), slots=4),
        trainee=Trainee.objects.create(
            first_name="Léa",
            profession=Profession.objects.get(code="medecin_generaliste"),
            level=TraineeLevel.INTERNE,
            host=member,
            start=date(2025, 5, 1),
            end=date(2025, 10, 31),
        ),
        installation=Installation.objects.create(
            professional=other, installed_on=date(2025, 9, 1), help_premises=True
        ),
        mentorship=Mentorship.objects.create(
            mentor=member, newcomer=other, start=date(2025, 9, 1), hours=Decimal("6")
        ),
        member=member,
    )


def _pk(name: str) -> KwargsBuilder:
    return lambda o: {"pk": getattr(o.registries, name).pk}


def _register_entries(key: str, name: str, bad_post: dict[str, Any]) -> dict[str, Entry]:
    return {
        f"{key}_list": protected(VIEW),
        f"{key}_list#filtered": protected(VIEW, query="annee=2025&q=a&page=9"),
        f"{key}_list#bad-query": protected(VIEW, query="annee=abc&page=-1"),
        f"{key}_create": protected(MANAGE),
        f"{key}_create#invalid": protected(MANAGE, method="POST", data=bad_post),
        f"{key}_edit": protected(MANAGE, kwargs=_pk(name)),
        f"{key}_edit#invalid": protected(MANAGE, method="POST", kwargs=_pk(name), data=bad_post),
        f"{key}_edit#missing": protected(MANAGE, granted="404", kwargs=missing_pk),
    }


ENTRIES: dict[str, Entry] = {
    "registries_home": protected(VIEW),
    # --- Médecin traitant (registries/views/requests.py) ---
    "gp_request_list": protected(VIEW),
    "gp_request_list#filtered": protected(
        VIEW, query="statut=attente&commune=1&critere=ald&origine=cpam&annee=2025&q=MT"
    ),
    "gp_request_list#bad-query": protected(VIEW, query="statut=zz&commune=x&annee=1&page=-4"),
    "gp_request_create": protected(MANAGE),
    # A name typed into the reference: refused with the form re-displayed.
    "gp_request_create#identity": protected(
        MANAGE, method="POST", data={"reference": "Jean DUPONT", "origin": "cpam"}
    ),
    "gp_request_detail": protected(VIEW, kwargs=_pk("request")),
    "gp_request_detail#missing": protected(VIEW, granted="404", kwargs=missing_pk),
    "gp_request_edit": protected(MANAGE, kwargs=_pk("request")),
    "gp_request_edit#post": protected(
        MANAGE, method="POST", kwargs=_pk("request"), data={"reference": "1 85 05 78 006 084 91"}
    ),
    "gp_request_edit#missing": protected(MANAGE, granted="404", kwargs=missing_pk),
    # Accepting a waiting request is refused (a redirect with a message).
    "gp_request_transition": protected(
        MANAGE, method="POST", kwargs=_pk("request"), data={"action": "accept"}
    ),
    "gp_request_transition#bad": protected(
        MANAGE, method="POST", kwargs=_pk("request"), data={"action": "zz", "on": "x"}
    ),
    "gp_request_transition#get": protected(MANAGE, granted="405", kwargs=_pk("request")),
    "gp_request_transition#missing": protected(
        MANAGE, method="POST", granted="404", kwargs=missing_pk
    ),
    "gp_doctor_list": protected(VIEW),
    "gp_doctor_list#commune": protected(VIEW, query="commune=1&page=x"),
    "gp_doctor_list#bad-query": protected(VIEW, query="commune=abc"),
    "supervisor_list": protected(VIEW, query="q=dup"),
    "registry_profile_pick": protected(MANAGE, query="q=a"),
    "registry_profile_edit": protected(
        MANAGE, kwargs=lambda o: {"member_pk": o.registries.member.pk}
    ),
    "registry_profile_edit#invalid": protected(
        MANAGE,
        method="POST",
        kwargs=lambda o: {"member_pk": o.registries.member.pk},
        data={"accepts_new_patients": "on", "new_patients_capacity": "-2"},
    ),
    "registry_profile_edit#missing": protected(
        MANAGE, granted="404", kwargs=lambda o: {"member_pk": 999_999_999}
    ),
    # --- Simple registers (registries/views/registers.py) ---
    **_register_entries("sas_participation", "sas_participation", {"start": "31/02/2025"}),
    **_register_entries("sas_activity", "sas_activity", {"month": "13/2025", "honoured": "x"}),
    **_register_entries("slot_offer", "slot_offer", {"slots": "0"}),
    **_register_entries("trainee", "trainee", {"first_name": "Léa Martin 12"}),
    **_register_entries("installation", "installation", {"installed_on": "demain"}),
    **_register_entries("mentorship", "mentorship", {"hours": "-3"}),
    # --- SAS import (registries/views/sas_import.py) ---
    "sas_activity_import": protected(MANAGE),
    "sas_activity_import#post-without-file": protected(MANAGE, method="POST"),
    "sas_activity_import_confirm": protected(
        MANAGE, method="POST", data={"token": "jeton-inconnu-0123456789"}
    ),
    "sas_activity_import_confirm#get": protected(MANAGE, granted="405"),
    "sas_activity_import_template": protected(MANAGE),
    # --- Portal (registries/views/portal.py): a persona without a member record gets a 404 ---
    "portal_registry_card": protected(PORTAL, htmx=True),
    "portal_registry_profile": protected(PORTAL, coordinator="404"),
    "portal_registry_profile#post": protected(
        PORTAL,
        method="POST",
        data={"accepts_new_patients": "on", "new_patients_capacity": "0"},
        coordinator="404",
    ),
    # The member's own unplanned-care slots (registries/views/portal_slots.py).
    "portal_slot_offers": protected(PORTAL, coordinator="404"),
    "portal_slot_offers#week": protected(PORTAL, query="semaine=zz-99", coordinator="404"),
    "portal_slot_offers#post": protected(
        PORTAL,
        method="POST",
        data={"week": timezone.localdate().isoformat(), "slots": "3"},
        coordinator="404",
    ),
    "portal_slot_offers#too-old": protected(
        PORTAL, method="POST", data={"week": "01/01/2020", "slots": "3"}, coordinator="404"
    ),
}
