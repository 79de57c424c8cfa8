"""The dashboard's block « Indemnisations en attente » (indicators/selectors/dashboard/claims.py):
its figures against claims.selectors.pending_counts and a hand count, each figure equal to what
its linked page lists for the reader (a treasurer who leads a group, the coordination, the
president), the French amounts, the links each persona may follow, the personas who do not
get it, the empty state, and one query whatever the number of claims."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim, ClaimStatus, PaymentBatch
from claims.selectors import approval_queue, payable_claims, pending_counts, validation_queue
from cpts.models import Association, User
from cpts.permissions import user_can
from cpts.roles import Role
from governance.models import Body, BodyKind
from indicators.selectors.dashboard import dashboard_for
from indicators.selectors.dashboard.claims import ClaimsBlock, claims_block
from members.models import Member
from tests.claims.conftest import held_meeting
from tests.claims.test_views_portal import make_claim
from tests.factories import MemberFactory, UserFactory

D = Decimal
NB = "\xa0"
pytestmark = pytest.mark.django_db

# The page each step links to; « À payer » opens the new batch page (the payable claims)
# for the treasury, the batch list for the rest of the finance team.
LINKS = {
    "validate": ("validation_queue",),
    "approve": ("approval_queue",),
    "pay": ("batch_create", "batch_list"),
}


def _page(user: User) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("backoffice_home"))
    assert response.status_code == 200
    return response.content.decode()


def _claims(scale: int = 1) -> None:
    """Per ``scale``: two submitted claims (1 234,56 € and 100,00 €), one validated (240,00 €),
    two approved outside any batch (500,00 € each); and what the block must not count: an
    approved claim already in a batch, a paid one, a refused one."""
    batch = PaymentBatch.objects.create(paid_on=datetime.date(2026, 1, 31), label="Janvier")
    for _index in range(scale):
        member = MemberFactory.create()
        make_claim(member, amount=D("1234.56"))
        make_claim(member, amount=D("100.00"))
        make_claim(member, ClaimStatus.VALIDATED, amount=D("240.00"))
        make_claim(member, ClaimStatus.APPROVED, amount=D("500.00"))
        make_claim(member, ClaimStatus.APPROVED, amount=D("500.00"))
        make_claim(member, ClaimStatus.APPROVED, amount=D("70.00"), batch=batch)
        make_claim(member, ClaimStatus.PAID, amount=D("80.00"), batch=batch)
        make_claim(member, ClaimStatus.REFUSED, amount=D("90.00"), refusal_reason="Hors mission")


# --- Figures ------------------------------------------------------------------------------


def test_figures_are_the_pending_counts(association: Association, coordinator: User) -> None:
    _claims()
    block = dashboard_for(coordinator).claims
    assert block is not None and not block.empty
    counts = pending_counts()
    figures = {step.key: (step.count, step.amount) for step in block.steps}
    assert figures == {
        "validate": (counts["submitted"], counts["submitted_amount"]),
        "approve": (counts["validated"], counts["validated_amount"]),
        "pay": (counts["approved"], counts["approved_amount"]),
    }
    # And by hand: the claims in a batch, paid or refused are not waiting.
    assert figures == {
        "validate": (2, D("1334.56")),
        "approve": (1, D("240.00")),
        "pay": (2, D("1000.00")),
    }
    assert [str(step.label) for step in block.steps] == ["À valider", "À approuver", "À payer"]


def test_amounts_and_counts_in_french(association: Association, coordinator: User) -> None:
    _claims()
    html = _page(coordinator)
    assert 'data-testid="dashboard-claims"' in html
    assert "Indemnisations en attente" in html
    assert f'data-testid="claims-validate-amount">1{NB}334,56{NB}€<' in html
    assert f'data-testid="claims-approve-amount">240,00{NB}€<' in html
    assert f'data-testid="claims-pay-amount">1{NB}000,00{NB}€<' in html
    assert "2 demandes soumises, en attente de validation" in html
    assert "1 demande validée, en attente d&#x27;approbation" in html
    assert "2 demandes approuvées, hors lot de paiement" in html
    assert 'data-testid="claims-empty"' not in html


def test_empty_state(association: Association, coordinator: User) -> None:
    member = MemberFactory.create()
    make_claim(member, ClaimStatus.REFUSED, refusal_reason="Hors mission")
    make_claim(
        member,
        ClaimStatus.PAID,
        batch=PaymentBatch.objects.create(paid_on=datetime.date(2026, 1, 31), label="Janvier"),
    )
    block = dashboard_for(coordinator).claims
    assert block is not None and block.empty
    html = _page(coordinator)
    assert 'data-testid="claims-empty"' in html
    assert "Aucune demande d'indemnisation ou de frais n'attend" in html
    assert 'data-testid="claims-validate"' not in html


# --- Personas -----------------------------------------------------------------------------


def _links(html: str) -> dict[str, str]:
    """The steps whose link the page shows, with the page each links to."""
    shown = {}
    for key, url_names in LINKS.items():
        for url_name in url_names:
            if f'<a href="{reverse(url_name)}" data-testid="claims-{key}-link">' in html:
                shown[key] = url_name
        if key not in shown:
            assert f'data-testid="claims-{key}-link"' not in html, key
    return shown


@pytest.mark.parametrize(
    ("persona", "links"),
    [
        # claims.validate, finance.approve
        (
            "coordinator",
            {"validate": "validation_queue", "approve": "approval_queue", "pay": "batch_create"},
        ),
        ("tresorier", {"approve": "approval_queue", "pay": "batch_create"}),  # finance.approve
        ("president", {"pay": "batch_list"}),  # finance.view only
    ],
)
def test_links_follow_each_personas_permissions(
    association: Association, persona: str, links: dict[str, str], request: pytest.FixtureRequest
) -> None:
    _claims()
    user = request.getfixturevalue(persona)
    html = _page(user)
    assert 'data-testid="dashboard-claims"' in html
    assert _links(html) == links
    # Every link shown opens for this persona.
    client = Client()
    client.force_login(user)
    for url_name in links.values():
        assert client.get(reverse(url_name)).status_code == 200, url_name


def test_a_treasurer_who_leads_a_group_gets_the_validation_queue(association: Association) -> None:
    """The validation queue lets a référent in (groups.lead): its link shows for them."""
    _claims()
    user = UserFactory.create(roles=[Role.TRESORIER, Role.REFERENT])
    assert _links(_page(user)) == {
        "validate": "validation_queue",
        "approve": "approval_queue",
        "pay": "batch_create",
    }


def test_hidden_from_who_cannot_see_every_claim(association: Association) -> None:
    """The board without finance.view, and a référent sitting on the CA (who only validates
    their group's claims), do not get the CPTS's totals."""
    _claims()
    for roles in ([Role.ADMINISTRATEUR], [Role.SECRETAIRE], [Role.ADMINISTRATEUR, Role.REFERENT]):
        user = UserFactory.create(roles=roles)
        assert dashboard_for(user).claims is None, roles
        html = _page(user)
        assert 'data-testid="dashboard-claims"' not in html, roles
        assert "Indemnisations en attente" not in html, roles


# --- Queries ------------------------------------------------------------------------------


def _queries(user: User) -> tuple[int, int]:
    """The page's queries, and those reading the claims."""
    client = Client()
    client.force_login(user)
    client.get(reverse("backoffice_home"))  # warm the session and caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("backoffice_home")).status_code == 200
    claims_table = Claim._meta.db_table
    return len(captured), sum(claims_table in query["sql"] for query in captured)


def test_one_query_whatever_the_number_of_claims(
    association: Association, coordinator: User
) -> None:
    _claims()
    small, small_claims = _queries(coordinator)
    _claims(scale=15)
    large, large_claims = _queries(coordinator)
    print(f"dashboard queries with claims: {small} -> {large}")
    assert (small, small_claims) == (large, large_claims)
    assert large_claims == 1
    assert large <= 40, large


# --- Each figure is what its page lists for the reader ---------------------------------------


def _block(user: User) -> ClaimsBlock:
    """The block for ``user``, with the flags the dashboard gives it (what each linked page
    checks) and the reader, who scopes « À valider »."""
    return claims_block(
        can_validate=user_can(user, "claims.validate") or user_can(user, "groups.lead"),
        can_approve=user_can(user, "finance.approve"),
        can_see_batches=user_can(user, "finance.view"),
        user=user,
    )


def _group_claims(treasurer_referent: User) -> None:
    """Submitted claims from the meetings of the group the treasurer leads (two, and one of
    their own), from another group's meeting and by hand; plus the claims of ``_claims``."""
    _claims()
    own = Member.objects.get(user=treasurer_referent)
    led = Body.objects.get(kind=BodyKind.GROUP, mandates__member=own)
    other = Body.objects.create(
        kind=BodyKind.GROUP, name=f"Parcours insuffisance cardiaque {Body.objects.count()}"
    )
    led_meeting, other_meeting = held_meeting(led), held_meeting(other)
    for amount in ("120.00", "60.00"):
        member = MemberFactory.create()
        make_claim(member, meeting=led_meeting, amount=D(amount))
    make_claim(own, meeting=led_meeting, amount=D("120.00"))  # never their own
    make_claim(MemberFactory.create(), meeting=other_meeting, amount=D("120.00"))


def _figures(block: ClaimsBlock) -> dict[str, tuple[int, Decimal, bool]]:
    return {step.key: (step.count, step.amount, step.linked) for step in block.steps}


def test_each_figure_is_what_its_page_lists(
    association: Association, coordinator: User, president: User
) -> None:
    treasurer = UserFactory.create(roles=[Role.TRESORIER, Role.REFERENT])
    _group_claims(treasurer)
    approve = approval_queue()
    payable = payable_claims()

    def listed(rows: Any) -> tuple[int, Decimal]:
        rows = list(rows)
        return len(rows), sum((claim.amount for claim in rows), D("0"))

    # The treasurer who leads a group: their group's claims but their own, as their queue.
    block = _block(treasurer)
    assert _figures(block)["validate"] == (2, D("180.00"), True)
    assert _figures(block)["validate"][:2] == listed(validation_queue(treasurer))
    assert block.steps[0].label == "À valider dans vos groupes"
    assert _figures(block)["approve"] == (*listed(approve), True)
    assert _figures(block)["pay"] == (*listed(payable), True)
    assert block.steps[2].url_name == "batch_create"

    # The coordination: every submitted claim, as its queue.
    block = _block(coordinator)
    assert _figures(block)["validate"] == (*listed(validation_queue(coordinator)), True)
    assert _figures(block)["validate"][:2] == (6, D("1334.56") + D("420.00"))
    assert block.steps[0].label == "À valider"
    assert _figures(block)["approve"] == (*listed(approve), True)
    assert _figures(block)["pay"] == (*listed(payable), True)

    # The president validates nothing: the CPTS's figures, without the queues' links;
    # the payments through the batch list.
    block = _block(president)
    assert _figures(block)["validate"] == (6, D("1754.56"), False)
    assert _figures(block)["approve"] == (*listed(approve), False)
    assert _figures(block)["pay"] == (*listed(payable), True)
    assert block.steps[2].url_name == "batch_list"

    # The page the link opens lists those claims (a page of 25: all of them here).
    client = Client()
    client.force_login(treasurer)
    page = client.get(reverse("validation_queue")).content.decode()
    assert page.count('data-testid="validation-row"') == 2


@pytest.mark.parametrize("scale", [1, 12])
def test_scoped_figures_in_one_query(association: Association, scale: int) -> None:
    treasurer = UserFactory.create(roles=[Role.TRESORIER, Role.REFERENT])
    for _index in range(scale):
        _group_claims(treasurer)
    user_can(treasurer, "claims.validate")  # the reader's roles, read once per request
    with CaptureQueriesContext(connection) as captured:
        block = _block(treasurer)
    assert _figures(block)["validate"][0] == 2 * scale
    assert len(captured) == 1
