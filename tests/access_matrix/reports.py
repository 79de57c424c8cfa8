"""Access-matrix entries of the activity reports (reports/views.py)."""

from __future__ import annotations

from tests.access_matrix.core import Entry, protected

ENTRIES: dict[str, Entry] = {
    "report_home": protected("reports.view"),
    "report_aci_request": protected("reports.generate", method="POST", data={"contract_year": "1"}),
    "report_aci_request#get": protected("reports.generate", granted="405"),
    "report_ag_request": protected("reports.generate", method="POST", data={"year": "2026"}),
    "report_ag_request#bad-year": protected(
        "reports.generate", method="POST", data={"year": "1200"}
    ),
    "report_ag_request#get": protected("reports.generate", granted="405"),
}
