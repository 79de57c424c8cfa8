"""The association's payment instructions (IBAN, cheque order, online link), edited by the
coordination on the identity page and shown to members who are not up to date."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cpts.models import Association
from tests.cpts.test_association import form_data
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
URL = reverse("association_identity")


def test_the_coordinator_records_how_to_pay(client, association, coordinator):
    client.force_login(coordinator)
    response = client.post(
        URL,
        form_data(
            payment_iban="fr76 3000 6000 0112 3456 7890 189",
            payment_bic="agrifrpp834",
            payment_cheque_order="CPTS du Cœur d'Hérault",
            payment_url="www.helloasso.com/associations/cpts",
            payment_instructions="Indiquez votre nom et l'année.",
        ),
    )
    assert response.status_code == 302
    saved = Association.objects.get_solo()
    assert saved.payment_iban == "FR7630006000011234567890189"
    assert saved.payment_bic == "AGRIFRPP834"
    assert saved.payment_url == "https://www.helloasso.com/associations/cpts"
    assert saved.payment_iban_display == "FR76 3000 6000 0112 3456 7890 189"
    page = client.get(URL).content.decode()
    assert "FR76 3000 6000 0112 3456 7890 189" in page


def test_a_wrong_iban_or_bic_is_refused_by_name(client, association, coordinator):
    client.force_login(coordinator)
    response = client.post(
        URL, form_data(payment_iban="FR7630006000011234567890188", payment_bic="XX")
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Cet IBAN n&#x27;est pas valide" in text and "Ce BIC n&#x27;est pas valide" in text
    assert Association.objects.get_solo().payment_iban == ""


def test_without_settings_the_usual_means_are_listed(client, association, adherent):
    MemberFactory.create(user=adherent, email=adherent.email)
    client.force_login(adherent)
    page = client.get(reverse("portal_adhesions")).content.decode()
    assert "par chèque à l'ordre de l'association" in page
