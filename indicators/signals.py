"""A contract line newly pointed at an indicator takes the indicator's current value for its
contract year at once (the line form lives in missions, which does not import indicators)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from indicators.services.measurements import sync_line
from missions.models import IndicatorLine


@receiver(post_save, sender=IndicatorLine, dispatch_uid="indicators_follow_line")
def follow_indicator(sender: Any, instance: IndicatorLine, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if instance.indicator_id is None or kwargs.get("raw"):
        return
    if update_fields is not None and "indicator" not in update_fields:
        return  # our own save (or a partial save that did not touch the link)
    sync_line(instance)
