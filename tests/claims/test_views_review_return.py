"""After an action taken from a queue (refuse, validate, approve the selection), the reviewer
is back on that queue with its filters and page; a ``next`` pointing to another site, or
none, leads to the claim's page; the flash message is shown where they land."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import ActivityKind, Claim, ClaimStatus
from cpts.models import User
from tests.claims.test_views_portal import make_claim, text
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

FOREIGN = ("https://evil.example/", "//evil.example/indemnisations/", "javascript:alert(1)")
REFUSED = "est refusée ; le motif lui est communiqué."


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _refuse_links(page: str) -> dict[int, str]:
    """The queue's « Refuser » links, by claim."""
    found = re.findall(r'href="(/indemnisations/demandes/(\d+)/refuser/[^"]*)"', page)
    return {int(pk): html.unescape(link) for link, pk in found}


def _hidden_next(page: str) -> str:
    match = re.search(r'name="next" value="([^"]*)"', page)
    assert match is not None
    return html.unescape(match.group(1))


def _refuse_through_the_page(client: Client, link: str, reason: str = "Hors mission") -> str:
    """Open the refusal page from the queue's link and submit its form as a browser would;
    the address it redirects to."""
    form_page = client.get(link)
    assert form_page.status_code == 200
    action = reverse("claim_refuse", args=[int(link.split("/")[3])])
    response = client.post(action, {"reason": reason, "next": _hidden_next(text(form_page))})
    assert response.status_code == 302
    return str(response["Location"])


# --- Refusal ------------------------------------------------------------------------------


def test_refusal_from_the_validation_queue_returns_to_its_page(
    association: object, coordinator: User
) -> None:
    for _index in range(27):  # two pages of 25
        make_claim(MemberFactory.create())
    client = _client(coordinator)
    queue = f"{reverse('validation_queue')}?page=2"
    links = _refuse_links(text(client.get(queue)))
    assert len(links) == 2
    pk, link = next(iter(links.items()))
    assert (
        link == f"{reverse('claim_refuse', args=[pk])}?next=/indemnisations/validation/%3Fpage%3D2"
    )
    assert _refuse_through_the_page(client, link) == queue
    claim = Claim.objects.get(pk=pk)
    assert claim.status == ClaimStatus.REFUSED and claim.refusal_reason == "Hors mission"
    landed = text(client.get(queue))
    assert REFUSED in landed
    assert reverse("claim_detail", args=[pk]) not in landed  # no longer waiting


def test_refusal_from_the_approval_queue_keeps_its_filters(
    association: object, tresorier: User
) -> None:
    kept = make_claim(MemberFactory.create(), ClaimStatus.VALIDATED)
    year = kept.date.year
    other = make_claim(
        MemberFactory.create(), ClaimStatus.VALIDATED, activity_kind=ActivityKind.ON_CALL
    )
    client = _client(tresorier)
    queue = f"{reverse('approval_queue')}?year={year}&activity_kind={ActivityKind.TRAINING}"
    links = _refuse_links(text(client.get(queue)))
    assert set(links) == {kept.pk}  # the filter is applied
    assert _refuse_through_the_page(client, links[kept.pk]) == queue
    kept.refresh_from_db()
    other.refresh_from_db()
    assert kept.status == ClaimStatus.REFUSED and other.status == ClaimStatus.VALIDATED
    assert REFUSED in text(client.get(queue))


def test_refusal_with_an_error_keeps_the_way_back(association: object, coordinator: User) -> None:
    claim = make_claim(MemberFactory.create())
    client = _client(coordinator)
    queue = reverse("validation_queue")
    response = client.post(reverse("claim_refuse", args=[claim.pk]), {"reason": "", "next": queue})
    assert response.status_code == 400
    page = text(response)
    assert _hidden_next(page) == queue
    assert f'href="{queue}"' in page  # « Retour à la liste des demandes »
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


@pytest.mark.parametrize("target", FOREIGN)
def test_a_foreign_next_falls_back_to_the_claim(
    association: object, coordinator: User, target: str
) -> None:
    claim = make_claim(MemberFactory.create())
    client = _client(coordinator)
    form_page = text(client.get(reverse("claim_refuse", args=[claim.pk]), {"next": target}))
    assert "evil.example" not in form_page and "javascript:" not in form_page
    response = client.post(
        reverse("claim_refuse", args=[claim.pk]), {"reason": "Doublon", "next": target}
    )
    detail = reverse("claim_detail", args=[claim.pk])
    assert response.status_code == 302 and response["Location"] == detail
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REFUSED
    assert REFUSED in text(client.get(detail))


def test_refusal_without_next_goes_to_the_claim(association: object, coordinator: User) -> None:
    """From the claim's own page (no ``next``): back to the claim."""
    claim = make_claim(MemberFactory.create())
    response = _client(coordinator).post(
        reverse("claim_refuse", args=[claim.pk]), {"reason": "Doublon"}
    )
    assert response["Location"] == reverse("claim_detail", args=[claim.pk])


# --- Validation and approval from the queues ----------------------------------------------


def test_validation_from_the_queue_returns_to_its_page(
    association: object, coordinator: User
) -> None:
    for _index in range(27):
        make_claim(MemberFactory.create())
    client = _client(coordinator)
    queue = f"{reverse('validation_queue')}?page=2"
    page = text(client.get(queue))
    assert _hidden_next(page) == queue  # the row's « Valider » form
    pk = next(iter(_refuse_links(page)))
    response = client.post(reverse("claim_validate", args=[pk]), {"next": queue})
    assert response["Location"] == queue
    assert Claim.objects.get(pk=pk).status == ClaimStatus.VALIDATED
    assert "est validée." in text(client.get(queue))


@pytest.mark.parametrize("target", FOREIGN)
def test_validation_with_a_foreign_next_goes_to_the_claim(
    association: object, coordinator: User, target: str
) -> None:
    claim = make_claim(MemberFactory.create())
    response = _client(coordinator).post(
        reverse("claim_validate", args=[claim.pk]), {"next": target}
    )
    assert response["Location"] == reverse("claim_detail", args=[claim.pk])
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VALIDATED


def test_approval_from_the_claim_page_stays_there(association: object, tresorier: User) -> None:
    claim = make_claim(MemberFactory.create(), ClaimStatus.VALIDATED)
    client = _client(tresorier)
    detail = reverse("claim_detail", args=[claim.pk])
    assert 'name="next"' not in text(client.get(detail))
    response = client.post(reverse("claim_approve", args=[claim.pk]))
    assert response["Location"] == detail
    assert "est approuvée." in text(client.get(detail))


def test_bulk_approval_keeps_the_queues_filters(association: object, tresorier: User) -> None:
    claim = make_claim(MemberFactory.create(), ClaimStatus.VALIDATED, hours=Decimal("1"))
    year = claim.date.year
    client = _client(tresorier)
    queue = f"{reverse('approval_queue')}?year={year}"
    assert _hidden_next(text(client.get(queue))) == queue
    response = client.post(reverse("claims_bulk_approve"), {"claims": [claim.pk], "next": queue})
    assert response["Location"] == queue
    assert "1 demande approuvée." in text(client.get(queue))
    empty = client.post(reverse("claims_bulk_approve"), {"next": "https://evil.example/"})
    assert empty["Location"] == reverse("approval_queue")
