"""The statutes settings page and service: validation, CA seats per collège, access."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance.models import BodyKind, MajorityRule, MandateRole, Statutes
from governance.services.bodies import ensure_core_bodies
from governance.services.mandates import create_mandate
from governance.services.statutes import update_statutes
from members.models import College
from tests.factories import CollegeFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleges(association):
    return [
        CollegeFactory.create(name="Libéraux", code="liberaux", ca_seats=4, position=0),
        CollegeFactory.create(name="Structures", code="structures", ca_seats=2, position=1),
    ]


def _post_data(colleges: list[College], **overrides: str) -> dict[str, str]:
    data = {
        "ag_quorum_percent": "30",
        "ca_quorum_percent": "50",
        "max_proxies_per_holder": "3",
        "ag_ordinary_majority": MajorityRule.SIMPLE,
        "ag_extraordinary_majority": MajorityRule.TWO_THIRDS,
        "board_majority": MajorityRule.ABSOLUTE,
        "convocation_notice_days": "21",
        "second_convocation_without_quorum": "on",
        "second_convocation_notice_days": "10",
        "sieges-TOTAL_FORMS": str(len(colleges)),
        "sieges-INITIAL_FORMS": str(len(colleges)),
    }
    for index, college in enumerate(colleges):
        data[f"sieges-{index}-college"] = str(college.pk)
        data[f"sieges-{index}-ca_seats"] = str(college.ca_seats)
    data.update(overrides)
    return data


def test_the_president_saves_statutes_and_seats_together(client, president, colleges):
    client.force_login(president)
    response = client.post(reverse("statutes"), _post_data(colleges, **{"sieges-1-ca_seats": "3"}))
    assert response.status_code == 302
    statutes = Statutes.objects.get_solo()
    assert statutes.ag_quorum_percent == Decimal("30")
    assert statutes.max_proxies_per_holder == 3
    assert statutes.board_majority == MajorityRule.ABSOLUTE
    assert statutes.convocation_notice_days == 21 and statutes.second_convocation_without_quorum
    assert statutes.second_convocation_notice_days == 10
    assert College.objects.get(code="structures").ca_seats == 3
    page = client.get(reverse("statutes"))
    assert page.status_code == 200 and page.context["history"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("ag_quorum_percent", "120"),
        ("ca_quorum_percent", "-1"),
        ("max_proxies_per_holder", "abc"),
        ("convocation_notice_days", "400"),
        ("second_convocation_notice_days", "400"),
        ("second_convocation_notice_days", ""),
        ("board_majority", "unanimite"),
    ],
)
def test_bad_values_are_refused_by_field(client, president, colleges, field, value):
    client.force_login(president)
    response = client.post(reverse("statutes"), _post_data(colleges, **{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Statutes.objects.get_solo().ag_quorum_percent == Decimal("25.00")


def test_bad_seats_are_refused_and_nothing_is_saved(client, president, colleges):
    client.force_login(president)
    response = client.post(
        reverse("statutes"),
        _post_data(colleges, ag_quorum_percent="40", **{"sieges-0-ca_seats": "-2"}),
    )
    assert response.status_code == 200
    assert response.context["seats"].forms[0].errors
    assert Statutes.objects.get_solo().ag_quorum_percent == Decimal("25.00")


def test_seats_cannot_drop_below_the_sitting_administrators(client, president, colleges):
    ca = ensure_core_bodies()[BodyKind.CA]
    for _ in range(2):
        create_mandate(
            member=MemberFactory.create(),
            body=ca,
            role=MandateRole.ADMINISTRATEUR,
            college=colleges[1],
            start_date=date(2025, 1, 1),
        )
    client.force_login(president)
    response = client.post(
        reverse("statutes"),
        _post_data(colleges, ag_quorum_percent="40", **{"sieges-1-ca_seats": "1"}),
    )
    assert response.status_code == 200
    assert "compte 2 administrateur·rice(s) en mandat" in response.content.decode()
    assert Statutes.objects.get_solo().ag_quorum_percent == Decimal("25.00")
    assert College.objects.get(code="structures").ca_seats == 2
    with pytest.raises(ValidationError):
        update_statutes(changes={"ag_quorum_percent": Decimal("40")}, seats={colleges[1].pk: 0})


def test_reading_is_open_to_the_board_writing_is_not(client, tresorier, colleges):
    client.force_login(tresorier)
    page = client.get(reverse("statutes"))
    assert page.status_code == 200 and not page.context["can_manage"]
    assert client.post(reverse("statutes"), _post_data(colleges)).status_code == 403


def test_the_read_only_page_lists_the_values_without_inputs(client, tresorier, colleges):
    update_statutes(changes={"ag_quorum_percent": Decimal("33.50"), "convocation_notice_days": 21})
    client.force_login(tresorier)
    page = client.get(reverse("statutes"))
    html = page.content.decode()
    assert "form" not in page.context
    assert "<input" not in html.split("<main", 1)[-1] and "<select" not in html
    assert "Enregistrer" not in html
    assert "Consultation seule" in html
    sections = dict(page.context["sections"])
    assert ("Quorum de l'AG (% des membres votants)", "33,50 %") in sections[
        "Quorum et procurations"
    ]
    convocation = dict(sections["Convocation"])
    assert convocation["Délai de convocation de l'AG (jours)"] == "21 jours"
    assert convocation["Seconde convocation sans quorum"] == "Oui"
    assert convocation["Délai de la seconde convocation (jours)"] == "7 jours"
    assert (
        dict(sections["Majorités"])["Majorité en AG ordinaire"]
        == "Majorité simple des suffrages exprimés"
    )
    assert "Libéraux" in html and "4 sièges" in html


def test_the_managers_form_edits_the_second_convocation_notice(client, president, colleges):
    client.force_login(president)
    page = client.get(reverse("statutes"))
    assert "second_convocation_notice_days" in page.context["form"].fields
    assert 'name="second_convocation_notice_days"' in page.content.decode()


def test_the_service_refuses_unknown_fields():
    with pytest.raises(TypeError):
        update_statutes(changes={"name": "x"})
