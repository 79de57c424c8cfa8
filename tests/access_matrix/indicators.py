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
    # --- end of the indicators entries ---
}
