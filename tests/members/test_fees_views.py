"""Fee pages: the schedule per year, collèges, adhesions, payments and refunds, the requests
of receipts and attestations, and reminders to selected members."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from cpts.models import GeneratedDocument
from members.models import Adhesion, College, FeeRule, MemberEmail, Payment
from members.models.adhesions import PaymentKind, PaymentMethod
from members.models.reference import MemberKind
from members.selectors.fees import adhesions_with_balance, is_up_to_date
from members.services.adhesions import ensure_adhesion, record_payment
from members.services.campaigns import MANUAL_REMINDER_KIND
from tests.factories import CollegeFactory, MemberFactory

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = timezone.localdate()
YEAR = TODAY.year


@pytest.fixture
def schedule(association):
    FeeRule.objects.create(year=YEAR, amount=D("20.00"))
    FeeRule.objects.create(year=YEAR, member_kind=MemberKind.ORGANISATION, amount=D("50.00"))


@pytest.fixture
def staff(client, coordinator):
    client.force_login(coordinator)
    return client


# --- Fee schedule ---


def test_the_schedule_lists_the_rules_of_the_chosen_year(staff, schedule):
    FeeRule.objects.create(year=2019, amount=D("10.00"))
    content = staff.get(reverse("fee_rule_list")).content.decode()
    assert "Montant par défaut (tous les membres)" in content and "20,00 €" in content
    assert "Structure" in content and "50,00 €" in content
    assert "10,00 €" not in content and "?annee=2019" in content
    content = staff.get(reverse("fee_rule_list"), {"annee": "2019"}).content.decode()
    assert "10,00 €" in content and "50,00 €" not in content
    assert staff.get(reverse("fee_rule_list"), {"annee": "abc"}).status_code == 200


def test_a_rule_is_added_edited_and_deleted(staff, association):
    college = CollegeFactory.create(name="Usagers", code="usagers")
    response = staff.post(
        reverse("fee_rule_create"), {"year": "2027", "college": college.pk, "amount": "0"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?annee=2027")
    rule = FeeRule.objects.get(year=2027)
    assert rule.college == college and rule.amount == D("0.00")
    response = staff.post(
        reverse("fee_rule_update", args=[rule.pk]),
        {"year": "2027", "college": college.pk, "amount": "5,50"},
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.amount == D("5.50")
    response = staff.post(reverse("fee_rule_delete", args=[rule.pk]))
    assert response.status_code == 302 and not FeeRule.objects.exists()


def test_duplicate_and_contradictory_rules_are_refused_in_french(staff, schedule):
    college = CollegeFactory.create(name="Libéraux", code="liberaux")
    FeeRule.objects.create(year=YEAR, college=college, amount=D("15.00"))
    cases = [
        ({"year": YEAR, "amount": "30"}, "Une règle existe déjà pour le montant par défaut"),
        (
            {"year": YEAR, "member_kind": MemberKind.ORGANISATION, "amount": "30"},
            "Une règle existe déjà pour Structure",
        ),
        (
            {"year": YEAR, "college": college.pk, "amount": "30"},
            "Le collège « Libéraux » a déjà un montant",
        ),
        (
            {"year": YEAR, "college": college.pk, "member_kind": "personne", "amount": "1"},
            "Une règle vise un collège ou un type de membre, pas les deux.",
        ),
        ({"year": "1999", "amount": "-3"}, "supérieure ou égale à 2000"),
        ({"year": YEAR + 1, "amount": "abc"}, "Saisissez un montant en euros"),
    ]
    for data, message in cases:
        response = staff.post(reverse("fee_rule_create"), data)
        assert response.status_code == 200, data
        assert message in response.content.decode(), data
    assert FeeRule.objects.count() == 3


def test_editing_a_rule_does_not_clash_with_itself(staff, schedule):
    rule = FeeRule.objects.get(year=YEAR, member_kind="")
    response = staff.post(
        reverse("fee_rule_update", args=[rule.pk]), {"year": YEAR, "amount": "25"}
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.amount == D("25.00")


# --- Collèges ---


def test_colleges_are_created_and_edited_with_their_eligibility(staff, association):
    response = staff.post(
        reverse("college_create"),
        {
            "name": "Établissements et médico-social",
            "code": "etablissements",
            "is_voting": "on",
            "ca_seats": "3",
            "eligible_kinds": ["structure"],
            "position": "2",
        },
    )
    assert response.status_code == 302
    college = College.objects.get(code="etablissements")
    assert college.eligible_kinds == ["structure"] and college.ca_seats == 3
    assert college.is_voting
    response = staff.post(
        reverse("college_update", args=[college.pk]),
        {
            "name": college.name,
            "code": college.code,
            "ca_seats": "2",
            "eligible_kinds": ["personne"],
            "eligible_categories": ["social", "autre"],
            "position": "2",
        },
    )
    assert response.status_code == 302
    college.refresh_from_db()
    assert not college.is_voting and college.eligible_categories == ["social", "autre"]
    content = staff.get(reverse("college_list")).content.decode()
    assert "Consultatif" in content and "Social et médico-social" in content
    response = staff.post(
        reverse("college_create"), {"name": "Autre", "code": "etablissements", "ca_seats": "0"}
    )
    assert response.status_code == 200 and "existe déjà" in response.content.decode()
    response = staff.post(
        reverse("college_create"),
        {"name": "X", "code": "x", "ca_seats": "0", "position": "0", "eligible_kinds": ["robot"]},
    )
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert College.objects.count() == 1


# --- Adhesions, payments, refunds ---


def test_an_adhesion_is_created_with_the_fee_of_the_schedule(staff, schedule):
    member = MemberFactory.create()
    url = reverse("adhesion_create", args=[member.pk])
    assert staff.get(url).status_code == 200
    response = staff.post(url, {"year": YEAR, "started_on": f"01/02/{YEAR}"})
    assert response.status_code == 302
    adhesion = Adhesion.objects.get(member=member)
    assert adhesion.fee_due == D("20.00") and adhesion.started_on == datetime.date(YEAR, 2, 1)
    response = staff.post(url, {"year": YEAR, "started_on": f"{YEAR}-03-01"})
    assert "a déjà une adhésion pour" in response.content.decode()
    response = staff.post(url, {"year": 2031, "started_on": "2031-01-01"})
    assert "Aucun barème de cotisation n&#x27;est défini pour 2031" in response.content.decode()
    response = staff.post(url, {"year": "", "started_on": "32/13/2026"})
    assert "Saisissez une date valide" in response.content.decode()
    assert Adhesion.objects.count() == 1
    assert staff.get(reverse("adhesion_create", args=[999999])).status_code == 404


def test_partial_payments_settle_the_adhesion(staff, schedule):
    member = MemberFactory.create()
    adhesion = ensure_adhesion(member, YEAR)
    url = reverse("payment_create", args=[adhesion.pk])
    page = staff.get(url).content.decode()
    assert 'value="20,00"' in page  # the remaining amount is proposed
    response = staff.post(
        url,
        {"paid_on": TODAY.isoformat(), "amount": "12,00", "method": "cheque", "reference": "123"},
    )
    assert response.status_code == 302
    assert not is_up_to_date(member, TODAY)
    staff.post(url, {"paid_on": TODAY.isoformat(), "amount": "8", "method": "virement"})
    assert is_up_to_date(member, TODAY)
    payment = Payment.objects.filter(adhesion=adhesion).order_by("pk").first()
    assert payment is not None and payment.reference == "123"
    assert payment.recorded_by is not None


def test_bad_payments_are_refused_with_the_field_named(staff, schedule):
    adhesion = ensure_adhesion(MemberFactory.create(), YEAR)
    url = reverse("payment_create", args=[adhesion.pk])
    tomorrow = TODAY + datetime.timedelta(days=1)
    cases = [
        ({"paid_on": TODAY.isoformat(), "amount": "0", "method": "cheque"}, "supérieur à zéro"),
        ({"paid_on": TODAY.isoformat(), "amount": "-5", "method": "cheque"}, "supérieure ou égale"),
        ({"paid_on": tomorrow.isoformat(), "amount": "5", "method": "cheque"}, "dans le futur"),
        ({"paid_on": TODAY.isoformat(), "amount": "5", "method": "bitcoin"}, "choix valide"),
    ]
    for data, message in cases:
        response = staff.post(url, data)
        assert response.status_code == 200 and message in response.content.decode(), data
    assert not Payment.objects.exists()


def test_an_exoneration_settles_without_money(staff, schedule):
    member = MemberFactory.create()
    adhesion = ensure_adhesion(member, YEAR)
    response = staff.post(
        reverse("payment_create", args=[adhesion.pk]),
        {"paid_on": TODAY.isoformat(), "amount": "", "method": PaymentMethod.EXONERATION},
    )
    assert response.status_code == 302
    assert Payment.objects.get().amount == D("0.00")
    assert is_up_to_date(member, TODAY)


def test_refunds_never_exceed_what_was_paid(staff, schedule):
    member = MemberFactory.create()
    adhesion = ensure_adhesion(member, YEAR)
    record_payment(adhesion, amount=D("20.00"), method="cheque", paid_on=TODAY)
    url = reverse("refund_create", args=[adhesion.pk])
    page = staff.get(url).content.decode()
    assert "Exonération" not in page
    response = staff.post(url, {"paid_on": TODAY.isoformat(), "amount": "25", "method": "cheque"})
    assert "dépasse le montant payé" in response.content.decode()
    response = staff.post(url, {"paid_on": TODAY.isoformat(), "amount": "5", "method": "virement"})
    assert response.status_code == 302
    refund = Payment.objects.get(kind=PaymentKind.REFUND)
    assert refund.amount == D("5.00")
    assert adhesions_with_balance().get(pk=adhesion.pk).paid == D("15.00")
    assert not is_up_to_date(member, TODAY)
    assert staff.get(reverse("refund_create", args=[999999])).status_code == 404


def test_the_member_page_partial_offers_the_actions(rf: RequestFactory, coordinator, president):
    FeeRule.objects.create(year=YEAR, amount=D("20.00"))
    member = MemberFactory.create()
    adhesion = ensure_adhesion(member, YEAR)
    record_payment(adhesion, amount=D("8.00"), method="carte", paid_on=TODAY, reference="HA-1")
    adhesions = list(adhesions_with_balance().filter(member=member).prefetch_related("payments"))
    request = rf.get("/")
    request.user = coordinator
    html = render_to_string(
        "members/fees/_member_adhesions.html",
        {"member": member, "adhesions": adhesions},
        request=request,
    )
    assert "partiellement réglée" in html and "HA-1" in html
    for url in (
        reverse("payment_create", args=[adhesion.pk]),
        reverse("refund_create", args=[adhesion.pk]),
        reverse("membership_receipt_request", args=[adhesion.pk]),
        reverse("membership_attestation_request", args=[member.pk, YEAR]),
        reverse("adhesion_create", args=[member.pk]),
    ):
        assert url in html
    request.user = president  # members.view only: the figures, no actions
    html = render_to_string(
        "members/fees/_member_adhesions.html",
        {"member": member, "adhesions": adhesions},
        request=request,
    )
    assert "HA-1" in html and reverse("payment_create", args=[adhesion.pk]) not in html


# --- Documents requested from the member page ---


def test_a_receipt_is_refused_when_nothing_was_paid(staff, schedule):
    adhesion = ensure_adhesion(MemberFactory.create(), YEAR)
    response = staff.post(reverse("membership_receipt_request", args=[adhesion.pk]), follow=True)
    assert "pas de reçu à établir" in response.content.decode()
    assert not GeneratedDocument.objects.exists()


def test_documents_are_requested_and_shown_on_the_generic_page(
    staff, schedule, django_capture_on_commit_callbacks
):
    member = MemberFactory.create()
    adhesion = ensure_adhesion(member, YEAR)
    record_payment(adhesion, amount=D("20.00"), method="cheque", paid_on=TODAY)
    with django_capture_on_commit_callbacks(execute=False):
        response = staff.post(reverse("membership_receipt_request", args=[adhesion.pk]))
    receipt = GeneratedDocument.objects.get(kind="membership_receipt")
    assert receipt.parameters == {"adhesion_id": adhesion.pk}
    assert response["Location"] == reverse("document_detail", args=[receipt.pk])
    with django_capture_on_commit_callbacks(execute=False):
        response = staff.post(reverse("membership_attestation_request", args=[member.pk, YEAR]))
    attestation = GeneratedDocument.objects.get(kind="membership_attestation")
    assert attestation.parameters == {"member_id": member.pk, "year": YEAR}
    assert response["Location"] == reverse("document_detail", args=[attestation.pk])
    response = staff.post(
        reverse("membership_attestation_request", args=[member.pk, 2011]), follow=True
    )
    assert "pas d&#x27;adhésion pour l&#x27;année 2011" in response.content.decode()
    assert GeneratedDocument.objects.count() == 2


# --- Reminders to selected members ---


def test_reminders_go_to_selected_members_not_up_to_date(
    staff, schedule, mailoutbox, django_capture_on_commit_callbacks
):
    late = MemberFactory.create(first_name="Paul", email="paul@exemple.fr")
    paid = MemberFactory.create()
    record_payment(ensure_adhesion(paid, YEAR), amount=D("20"), method="cheque", paid_on=TODAY)
    no_email = MemberFactory.create(email="")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            reverse("member_send_reminders"),
            {"ids": [late.pk, paid.pk, no_email.pk, "abc"], "next": "https://ailleurs.example/"},
            follow=True,
        )
    content = response.content.decode()
    assert "Relances : 1 relance envoyée, 1 déjà à jour, 1 sans adresse e-mail." in content
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["paul@exemple.fr"]
    assert "Bonjour Paul" in mailoutbox[0].body and str(YEAR) in mailoutbox[0].subject
    assert "20,00 €" in mailoutbox[0].body
    logged = MemberEmail.objects.get()
    assert logged.member == late and logged.kind == MANUAL_REMINDER_KIND
    assert logged.sent_by is not None
    # The unsafe "next" was ignored: back to the member list.
    assert response.redirect_chain[-1][0].startswith("/")


def test_reminders_without_selection_send_nothing(staff, schedule, mailoutbox):
    response = staff.post(reverse("member_send_reminders"), {"next": "/membres/"}, follow=True)
    assert "Sélectionnez au moins un membre" in response.content.decode()
    assert mailoutbox == [] and not MemberEmail.objects.exists()


# --- Refused personas ---

_VIEWS = [
    ("fee_rule_list", "get", None),
    ("fee_rule_create", "post", None),
    ("fee_rule_update", "post", "rule"),
    ("fee_rule_delete", "post", "rule"),
    ("college_list", "get", None),
    ("college_create", "post", None),
    ("college_update", "post", "college"),
    ("adhesion_create", "post", "member"),
    ("payment_create", "post", "adhesion"),
    ("refund_create", "post", "adhesion"),
    ("membership_receipt_request", "post", "adhesion"),
    ("membership_attestation_request", "post", "attestation"),
    ("member_send_reminders", "post", None),
]


@pytest.mark.parametrize(("name", "method", "target"), _VIEWS)
def test_refused_personas(client, personas, schedule, name, method, target):
    member = MemberFactory.create()
    adhesion = ensure_adhesion(member, YEAR)
    record_payment(adhesion, amount=D("5"), method="cheque", paid_on=TODAY)
    objects = {
        "rule": FeeRule.objects.first(),
        "college": CollegeFactory.create(),
        "member": member,
        "adhesion": adhesion,
    }
    if target == "attestation":
        url = reverse(name, args=[member.pk, YEAR])
    elif target:
        url = reverse(name, args=[objects[target].pk])  # type: ignore[union-attr]
    else:
        url = reverse(name)
    data = {"year": YEAR, "amount": "1", "paid_on": TODAY.isoformat(), "method": "cheque"}
    before = (FeeRule.objects.count(), Payment.objects.count(), GeneratedDocument.objects.count())
    for persona in ("anonymous", "adherent", "referent", "tresorier", "president"):
        client.logout()
        if personas[persona] is not None:
            client.force_login(personas[persona])
        response = getattr(client, method)(url, {**data, "ids": [member.pk]})
        assert response.status_code == (302 if persona == "anonymous" else 403), persona
    after = (FeeRule.objects.count(), Payment.objects.count(), GeneratedDocument.objects.count())
    assert before == after and not MemberEmail.objects.exists()


def test_schedule_and_college_pages_keep_a_constant_number_of_queries(
    staff, association, django_assert_max_num_queries
):
    def load() -> None:
        assert staff.get(reverse("fee_rule_list")).status_code == 200
        assert staff.get(reverse("college_list")).status_code == 200

    for number in range(2):
        college = CollegeFactory.create(code=f"c{number}", eligible_kinds=["personne"])
        FeeRule.objects.create(year=YEAR, college=college, amount=D("10"))
        MemberFactory.create(college=college)
    load()
    with django_assert_max_num_queries(40) as small:
        load()
    for number in range(2, 12):
        college = CollegeFactory.create(code=f"c{number}")
        FeeRule.objects.create(year=YEAR, college=college, amount=D("10"))
        MemberFactory.create(college=college)
    with django_assert_max_num_queries(len(small.captured_queries)):
        load()
