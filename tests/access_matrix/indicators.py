"""Access-matrix entries of the indicators and the dashboard."""

from __future__ import annotations

from tests.access_matrix.core import Entry, protected

ENTRIES: dict[str, Entry] = {
    # --- Dashboard (indicators/views/dashboard.py) ---
    "backoffice_home": protected("backoffice.view"),
    # --- Import of values (indicators/views/imports.py) ---
    "indicator_import": protected("indicators.manage"),
    "indicator_import#post-without-file": protected("indicators.manage", method="POST"),
    "indicator_import_template": protected("indicators.manage"),
    "indicator_import_template_xlsx": protected("indicators.manage"),
    "indicator_import_confirm": protected(
        "indicators.manage", method="POST", data={"token": "jeton-inconnu-0123456789"}
    ),
    "indicator_import_confirm#get": protected("indicators.manage", granted="405"),
    # --- Indicators pages (indicators/views/indicators.py) ---
    "indicator_list": protected("indicators.view"),
    "indicator_list#bad-period": protected("indicators.view", query="periode=zzz&page=-1"),
    "indicator_detail": protected("indicators.view", kwargs=lambda o: {"pk": o.indicator.pk}),
    "indicator_detail#computed": protected(
        "indicators.view",
        kwargs=lambda o: {"pk": o.computed_indicator.pk},
        query="serie=month&periode=A9&page=x",
    ),
    "indicator_detail#missing": protected(
        "indicators.view", granted="404", kwargs=lambda o: {"pk": 999_999_999}
    ),
    "indicator_create": protected("indicators.manage"),
    "indicator_create#post": protected("indicators.manage", method="POST"),
    "indicator_edit": protected("indicators.manage", kwargs=lambda o: {"pk": o.indicator.pk}),
    "indicator_edit#post": protected(
        "indicators.manage", method="POST", kwargs=lambda o: {"pk": o.indicator.pk}
    ),
    "indicator_edit#computed": protected(
        "indicators.manage", granted="404", kwargs=lambda o: {"pk": o.computed_indicator.pk}
    ),
    "indicator_edit#missing": protected(
        "indicators.manage", granted="404", kwargs=lambda o: {"pk": 999_999_999}
    ),
    "indicator_recompute": protected("indicators.manage", method="POST", data={"periode": "A3"}),
    "indicator_recompute#get": protected("indicators.manage", granted="405"),
    "measurement_create": protected("indicators.manage", kwargs=lambda o: {"pk": o.indicator.pk}),
    "measurement_create#post": protected(
        "indicators.manage",
        method="POST",
        kwargs=lambda o: {"pk": o.indicator.pk},
        data={"period": "zzz", "value": "101"},
    ),
    "measurement_create#computed": protected(
        "indicators.manage", granted="404", kwargs=lambda o: {"pk": o.computed_indicator.pk}
    ),
    "measurement_create#missing": protected(
        "indicators.manage", granted="404", kwargs=lambda o: {"pk": 999_999_999}
    ),
    "measurement_proof": protected("indicators.view", kwargs=lambda o: {"pk": o.measurement.pk}),
    "measurement_proof#missing": protected(
        "indicators.view", granted="404", kwargs=lambda o: {"pk": 999_999_999}
    ),
    # --- end of the indicators entries ---
}
