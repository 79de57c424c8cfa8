"""Rights follow mandates day by day: the end date is the mandate's last day."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cpts.permissions import forget_roles, user_can
from governance.models import Body, BodyKind, MandateRole
from governance.services.bodies import ensure_core_bodies, join_group
from governance.services.mandates import create_mandate, end_mandate
from members.models import Member
from members.models.members import MemberStatus
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def treasurer_account(association):
    user = UserFactory.create(email="tresor@exemple.fr")
    member = MemberFactory.create(user=user, email=user.email)
    return user, member


def _treasurer_mandate(member: Member, *, days_ago: int, ends_in: int | None):
    today = timezone.localdate()
    return create_mandate(
        member=member,
        body=ensure_core_bodies()[BodyKind.BUREAU],
        role=MandateRole.TRESORIER,
        start_date=today - timedelta(days=days_ago),
        end_date=None if ends_in is None else today + timedelta(days=ends_in),
    )


def test_a_running_treasurer_mandate_grants_finance_approve(treasurer_account):
    user, member = treasurer_account
    assert not user_can(user, "finance.approve")
    _treasurer_mandate(member, days_ago=30, ends_in=None)
    forget_roles(user)
    assert user_can(user, "finance.approve")


def test_a_mandate_ending_today_still_grants_its_rights(treasurer_account):
    user, member = treasurer_account
    _treasurer_mandate(member, days_ago=300, ends_in=0)
    forget_roles(user)
    assert user_can(user, "finance.approve")


def test_a_mandate_ended_yesterday_grants_nothing_today(treasurer_account):
    user, member = treasurer_account
    _treasurer_mandate(member, days_ago=300, ends_in=-1)
    forget_roles(user)
    assert not user_can(user, "finance.approve")
    assert user_can(user, "portal.view")


def test_ending_a_mandate_takes_rights_away_after_its_last_day(treasurer_account):
    user, member = treasurer_account
    mandate = _treasurer_mandate(member, days_ago=300, ends_in=None)
    end_mandate(mandate, timezone.localdate() - timedelta(days=1))
    forget_roles(user)
    assert not user_can(user, "finance.approve")


def test_a_future_mandate_grants_nothing_yet(treasurer_account):
    user, member = treasurer_account
    create_mandate(
        member=member,
        body=ensure_core_bodies()[BodyKind.BUREAU],
        role=MandateRole.TRESORIER,
        start_date=timezone.localdate() + timedelta(days=1),
    )
    forget_roles(user)
    assert not user_can(user, "finance.approve")


def test_a_departed_member_loses_the_rights_of_their_mandates(treasurer_account):
    user, member = treasurer_account
    _treasurer_mandate(member, days_ago=30, ends_in=None)
    Member.objects.filter(pk=member.pk).update(
        status=MemberStatus.DEPARTED, departed_on=timezone.localdate()
    )
    forget_roles(user)
    assert not user_can(user, "finance.approve")


def test_president_and_secretary_manage_governance_referent_leads(association):
    president = UserFactory.create()
    member = MemberFactory.create(user=president, email=president.email)
    create_mandate(
        member=member,
        body=ensure_core_bodies()[BodyKind.BUREAU],
        role=MandateRole.PRESIDENT,
        start_date=timezone.localdate(),
    )
    forget_roles(president)
    assert user_can(president, "governance.manage")
    lead = UserFactory.create()
    lead_member = MemberFactory.create(user=lead, email=lead.email)
    group = Body.objects.create(kind=BodyKind.GROUP, name="Prévention", open_to_join=True)
    join_group(lead_member, group)
    forget_roles(lead)
    assert not user_can(lead, "groups.lead")  # a plain member of a group leads nothing
    assert not user_can(lead, "governance.view")
