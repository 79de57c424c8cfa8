"""Crisis activations and what their recognition by the ARS changes in the ACI contract:
the crisis lines of a contract year are only due when the ARS recognised a crisis during
that year (``missions.earning``, kind ``crisis``). The flag lives on the contract year
(``ContractYear.crisis_recognised``); this service keeps it in step with the activations."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crisis.models import Activation, Shift
from crisis.selectors.activations import covered_years, recognised_cover
from crisis.selectors.indicators import period_bounds
from missions.models import ContractYear

FIELDS = (
    "title",
    "situation",
    "started_on",
    "ended_on",
    "ars_recognised",
    "ars_recognised_on",
    "ars_reference",
    "description",
)


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _check(values: dict[str, Any], today: datetime.date) -> None:
    errors: dict[str, str] = {}
    started = values.get("started_on")
    ended = values.get("ended_on")
    recognised_on = values.get("ars_recognised_on")
    if not str(values.get("title") or "").strip():
        errors["title"] = _("Donnez un intitulé à la crise.")
    if started is None:
        errors["started_on"] = _("Indiquez la date de début de la crise.")
    elif started > today:
        errors["started_on"] = _("Le début (%(date)s) ne peut être dans le futur.") % {
            "date": _day(started)
        }
    if started is not None and ended is not None and ended < started:
        errors["ended_on"] = _("La fin (%(end)s) précède le début (%(start)s).") % {
            "end": _day(ended),
            "start": _day(started),
        }
    if values.get("ars_recognised"):
        if recognised_on is None:
            errors["ars_recognised_on"] = _("Indiquez la date de la reconnaissance par l'ARS.")
        elif started is not None and recognised_on < started:
            errors["ars_recognised_on"] = _(
                "La reconnaissance (%(date)s) ne peut précéder le début de la crise."
            ) % {"date": _day(recognised_on)}
        elif recognised_on > today:
            errors["ars_recognised_on"] = _(
                "La reconnaissance (%(date)s) ne peut être dans le futur."
            ) % {"date": _day(recognised_on)}
    elif recognised_on is not None:
        errors["ars_recognised"] = _(
            "Une date de reconnaissance est indiquée : cochez « reconnue par l'ARS »."
        )
    if errors:
        raise ValidationError(errors)


def _check_shifts_within(activation: Activation, ended: datetime.date) -> None:
    """A crisis cannot end before the shifts already planned for it."""
    after = period_bounds(ended, ended)[1]
    late = Shift.objects.filter(site__activation=activation, starts_at__gte=after)
    last = late.order_by("-starts_at").values_list("starts_at", flat=True).first()
    if last is not None:
        raise ValidationError(
            {
                "ended_on": _(
                    "%(count)s créneau(x) de cette crise commence(nt) après le %(end)s (le "
                    "dernier le %(last)s) : choisissez une fin plus tardive ou déplacez-les."
                )
                % {
                    "count": late.count(),
                    "end": _day(ended),
                    "last": _day(timezone.localdate(last)),
                }
            }
        )


def _recognise(year_ids: set[int]) -> None:
    for year in ContractYear.objects.filter(pk__in=year_ids, crisis_recognised=False):
        year.crisis_recognised = True
        year.save(update_fields=["crisis_recognised", "updated_at"])


def _withdraw(year_ids: set[int]) -> None:
    """Clear the flag of years no recognised activation covers any more (only years this
    service had flagged: a recognition typed on the contract year itself stays)."""
    still = recognised_cover()
    for year in ContractYear.objects.filter(pk__in=year_ids - still, crisis_recognised=True):
        year.crisis_recognised = False
        year.save(update_fields=["crisis_recognised", "updated_at"])


@transaction.atomic
def save_activation(activation: Activation | None, values: dict[str, Any]) -> Activation:
    """Create (``activation`` None) or update a crisis activation, then bring the contract
    years it covers (before and after the change) in step with the ARS's recognition."""
    today = timezone.localdate()
    _check(values, today)
    before: set[int] = set()
    if activation is not None and activation.ars_recognised:
        before = {year.pk for year in covered_years(activation)}
    if activation is not None and values.get("ended_on") is not None:
        _check_shifts_within(activation, values["ended_on"])
    activation = activation or Activation()
    for name in FIELDS:
        setattr(activation, name, values.get(name, getattr(activation, name)))
    activation.title = " ".join(str(activation.title).split())
    if not activation.ars_recognised:
        activation.ars_reference = ""
    activation.save()
    after = {year.pk for year in covered_years(activation)} if activation.ars_recognised else set()
    _recognise(after)
    _withdraw(before - after)
    return activation
