"""What ``manage.py bench`` measures. A feature adds its pages to ``PAGES`` and its background
jobs to ``JOBS``; each is requested as the demo coordinator on every scale."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from django.urls import reverse
from django.utils import timezone

from cpts.bench import claims, crisis, governance, history, missions, portal, registries
from cpts.bench import reports as report_bench
from cpts.models import GeneratedDocument


@dataclass(frozen=True)
class BenchPage:
    url_name: str
    query: str = ""
    htmx: bool = False
    kwargs: Callable[[], dict[str, Any]] | None = None  # evaluated once the data is seeded
    label: str = ""  # the row's name; defaults to the URL name (plus the query)
    user: str = ""  # the account the page is requested as; the demo coordinator if empty

    @property
    def name(self) -> str:
        if self.label:
            return self.label
        return f"{self.url_name}?{self.query}" if self.query else self.url_name

    def url(self) -> str:
        path = reverse(self.url_name, kwargs=self.kwargs() if self.kwargs else None)
        return f"{path}?{self.query}" if self.query else path


@dataclass(frozen=True)
class BenchJob:
    kind: str  # a document kind registered with cpts.jobs.document_kind
    parameters: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    prepare: Callable[[], object] | None = None  # run once the data is seeded, before measuring

    @property
    def name(self) -> str:
        return self.kind


@dataclass(frozen=True)
class BenchCommand:
    """A management command run in-process (output captured), e.g. ``aci_summary``."""

    label: str
    arguments: Callable[[], list[str]]  # evaluated once the data is seeded

    @property
    def name(self) -> str:
        return self.label


def _latest_document() -> dict[str, Any]:
    return {"pk": GeneratedDocument.objects.latest("pk").pk}


# The last full calendar year, whose computed indicators the recomputation job measures.
LAST_YEAR = str(timezone.localdate().year - 1)


def _dashboard_kwargs() -> dict[str, Any]:
    return {**history.grown_kwargs(), **claims.claims_kwargs()}


PAGES: list[BenchPage] = [
    # The dashboard, once five years of meetings, attendance, actions, events and adhesions
    # are grown to the scale (cpts/bench/history.py), with the claims waiting in every state
    # for its « Indemnisations en attente » block (cpts/bench/claims.py).
    BenchPage("backoffice_home", kwargs=_dashboard_kwargs),
    BenchPage("portal_home"),
    BenchPage("territory"),
    BenchPage("territory_search", query="q=cler", htmx=True),
    BenchPage("association_identity"),
    BenchPage("document_list"),
    BenchPage("document_detail", kwargs=_latest_document),
    BenchPage("invitation_list"),
    BenchPage("user_list"),
    # Member base (members/views/member_list.py): the list, a search, a filtered sort, exports.
    BenchPage("member_list"),
    BenchPage("member_list", query="q=martin"),
    BenchPage("member_list", query="fee=en_retard&sort=-commune&page=2"),
    BenchPage("member_export", query="format=csv"),
    BenchPage("member_export", query="format=xlsx"),
    # Governance (governance/views/): the gouvernance page, meetings, the decision register and
    # the attendance of an AG with a convocation and an attendance row per member. The URL
    # arguments grow the governance data set to the scale first (cpts/bench/governance.py).
    BenchPage("governance_page", kwargs=governance.page_kwargs),
    BenchPage("meeting_list", kwargs=governance.page_kwargs),
    BenchPage("decision_register", kwargs=governance.page_kwargs),
    # The AG pages list their invitees a page at a time, searched and filtered on the server.
    BenchPage("meeting_attendance", kwargs=governance.ag_kwargs),
    BenchPage("meeting_attendance", query="q=mar&statut=presents", kwargs=governance.ag_kwargs),
    BenchPage("meeting_detail", kwargs=governance.ag_kwargs),
    BenchPage("meeting_detail", query="q=mar&reponse=present", kwargs=governance.ag_kwargs),
    # ACI contract (missions/views/): the contract home, the current year's page and its annex
    # export, with the year grown to 200 indicator lines per scale unit (cpts/bench/missions.py).
    BenchPage("contract_home", kwargs=missions.home_kwargs),
    BenchPage("contract_year_detail", kwargs=missions.year_kwargs),
    BenchPage("contract_annex_export", kwargs=missions.year_kwargs),
    # The adherent's portal home and each of its sections, as the demo adherent, with the
    # portal data set grown to the scale (cpts/bench/portal.py).
    *(
        BenchPage(
            name, htmx=htmx, kwargs=portal.portal_kwargs, user=portal.PORTAL_USER, label=label
        )
        for name, htmx, label in (
            ("portal_home", False, "portal_home (adhérent)"),
            ("portal_member_cards", True, "portal_member_cards (adhérent)"),
            ("portal_meetings_section", True, "portal_meetings_section (adhérent)"),
            ("portal_groups_section", True, "portal_groups_section (adhérent)"),
            ("portal_documents_section", True, "portal_documents_section (adhérent)"),
            ("portal_account_cards", True, "portal_account_cards (adhérent)"),
            ("shared_documents", False, "shared_documents (adhérent)"),
            ("portal_email_preferences", False, "portal_email_preferences (adhérent)"),
        )
    ),
    # The crisis mission (crisis/views/): an open crisis with a shift per ten active members,
    # two places in three filled, and an alert delivered to every active member; the
    # coordination's list of the nurses who fit a need
    # (cpts/bench/crisis.py); the adherent's side measured as the demo adherent.
    BenchPage("crisis_home", kwargs=crisis.portal_kwargs),
    BenchPage("crisis_roster", kwargs=crisis.roster_kwargs),
    BenchPage("crisis_roster", query="manques=1&page=2", kwargs=crisis.roster_kwargs),
    BenchPage("roster_need_add", kwargs=crisis.need_kwargs),
    BenchPage("roster_need_add", query="q=mar", kwargs=crisis.need_kwargs),
    BenchPage("alert_list", kwargs=crisis.portal_kwargs),
    BenchPage("alert_detail", kwargs=crisis.alert_kwargs),
    BenchPage(
        "portal_crisis_cards",
        htmx=True,
        kwargs=crisis.portal_kwargs,
        user=crisis.PORTAL_USER,
        label="portal_crisis_cards (adhérent)",
    ),
    BenchPage(
        "portal_shifts",
        kwargs=crisis.portal_kwargs,
        user=crisis.PORTAL_USER,
        label="portal_shifts (adhérent)",
    ),
    # Mission registries (registries/views/): the registers' home, the médecin traitant
    # requests (list, filtered, a request with its candidate doctors), the doctors taking new
    # patients, the maîtres de stage and each simple register, with registry rows grown with
    # the member base (cpts/bench/registries.py).
    BenchPage("registries_home", kwargs=registries.grown_kwargs),
    BenchPage("gp_request_list", kwargs=registries.grown_kwargs),
    BenchPage(
        "gp_request_list",
        query="statut=acceptee&critere=ald&page=3",
        kwargs=registries.grown_kwargs,
    ),
    BenchPage("gp_request_detail", kwargs=registries.request_kwargs),
    BenchPage("gp_doctor_list", kwargs=registries.grown_kwargs),
    BenchPage("supervisor_list", kwargs=registries.grown_kwargs),
    *(
        BenchPage(f"{key}_list", kwargs=registries.grown_kwargs)
        for key in (
            "sas_participation",
            "sas_activity",
            "slot_offer",
            "trainee",
            "installation",
            "mentorship",
        )
    ),
    # A member's own unplanned-care slots from the portal, as the demo adherent with a year
    # of weeks declared.
    BenchPage(
        "portal_slot_offers",
        kwargs=registries.portal_slot_kwargs,
        user=registries.PORTAL_USER,
        label="portal_slot_offers (adhérent)",
    ),
    # Claims (claims/views/): the treasurer's approval queue (unfiltered and near the cap) and
    # the portal home with its claims card as the demo adherent, with three claims per member
    # in every state (cpts/bench/claims.py).
    BenchPage("approval_queue", kwargs=claims.claims_kwargs),
    BenchPage("approval_queue", query="near_cap=on", kwargs=claims.claims_kwargs),
    BenchPage("validation_queue", kwargs=claims.claims_kwargs),
    BenchPage("batch_create", kwargs=claims.claims_kwargs),
    *(
        BenchPage(
            name, htmx=htmx, kwargs=claims.claims_kwargs, user=portal.PORTAL_USER, label=label
        )
        for name, htmx, label in (
            ("portal_home", False, "portal_home avec indemnisations (adhérent)"),
            ("portal_claims_cards", True, "portal_claims_cards (adhérent)"),
            ("my_claims", False, "my_claims (adhérent)"),
        )
    ),
]

JOBS: list[BenchJob] = [
    BenchJob("identity_sheet"),
    # Every computed indicator for the last full calendar year, over the grown history.
    BenchJob(
        "indicator_recompute",
        parameters=MappingProxyType({"period": LAST_YEAR}),
        prepare=history.grow_history,
    ),
    # The activity reports (reports app), rendered to PDF over the grown history and lines.
    BenchJob(
        "report_aci",
        parameters=MappingProxyType({"contract_year": report_bench.ACI_CONTRACT_YEAR}),
        prepare=report_bench.grow,
    ),
    BenchJob(
        "report_ag",
        parameters=MappingProxyType({"year": report_bench.AG_YEAR}),
        prepare=report_bench.grow,
    ),
]

COMMANDS: list[BenchCommand] = [
    # The summary of the measured contract year (200 lines per scale unit).
    BenchCommand(
        "aci_summary --json",
        lambda: ["aci_summary", "--year", str(missions.grow().number), "--json"],
    ),
]
