"""Signal receivers of the member base (connected by MembersConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from cpts.models import Invitation
from members.services.joining import link_member_account


@receiver(post_save, sender=Invitation, dispatch_uid="members.link_account_on_acceptance")
def _link_account_on_acceptance(sender: Any, instance: Invitation, **kwargs: Any) -> None:
    """An accepted member's invitation becomes their account on the member record."""
    if instance.accepted_at is not None and instance.user is not None:
        link_member_account(instance.user)
