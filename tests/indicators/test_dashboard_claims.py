"""The dashboard's block « Indemnisations en attente » (indicators/selectors/dashboard/claims.py):
its figures against claims.selectors.pending_counts and a hand count, the French amounts, the
links each persona may follow, the personas who do not get it, the empty state, and one query
whatever the number of claims."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim, ClaimStatus, PaymentBatch
from claims.selectors import pending_counts
from cpts.models import Association, User
from cpts.roles import Role
from indicators.selectors.dashboard import dashboard_for
from tests.claims.test_views_portal import make_claim
from tests.factories import MemberFactory, UserFactory

D = Decimal
NB = "\xa0"
pytestmark = pytest.mark.django_db

LINKS = {
    "validate": "validation_queue",
    "approve": "approval_queue",
    "pay": "batch_list",
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


def _links(html: str) -> set[str]:
    """The steps whose link the page shows (each checked against its URL)."""
    shown = set()
    for key, url_name in LINKS.items():
        link = f'<a href="{reverse(url_name)}" data-testid="claims-{key}-link">'
        if link in html:
            shown.add(key)
        else:
            assert f'data-testid="claims-{key}-link"' not in html, key
    return shown


@pytest.mark.parametrize(
    ("persona", "links"),
    [
        ("coordinator", {"validate", "approve", "pay"}),  # claims.validate, finance.approve
        ("tresorier", {"approve", "pay"}),  # finance.approve and finance.view
        ("president", {"pay"}),  # finance.view only
    ],
)
def test_links_follow_each_personas_permissions(
    association: Association, persona: str, links: set[str], request: pytest.FixtureRequest
) -> None:
    _claims()
    user = request.getfixturevalue(persona)
    html = _page(user)
    assert 'data-testid="dashboard-claims"' in html
    assert _links(html) == links
    # Every link shown opens for this persona.
    client = Client()
    client.force_login(user)
    for key in links:
        assert client.get(reverse(LINKS[key])).status_code == 200, key


def test_a_treasurer_who_leads_a_group_gets_the_validation_queue(association: Association) -> None:
    """The validation queue lets a référent in (groups.lead): its link shows for them."""
    _claims()
    user = UserFactory.create(roles=[Role.TRESORIER, Role.REFERENT])
    assert _links(_page(user)) == {"validate", "approve", "pay"}


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
