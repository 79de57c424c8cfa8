"""Access-matrix entries of the activity reports (reports/views.py)."""

from __future__ import annotations

from tests.access_matrix.core import Entry, pk_of, protected

ENTRIES: dict[str, Entry] = {
    "report_home": protected("reports.view"),
    "report_aci_request": protected("reports.generate", method="POST", data={"contract_year": "1"}),
    "report_aci_request#get": protected("reports.generate", granted="405"),
    "report_ag_request": protected("reports.generate", method="POST", data={"year": "2026"}),
    "report_ag_request#bad-year": protected(
        "reports.generate", method="POST", data={"year": "1200"}
    ),
    "report_ag_request#get": protected("reports.generate", granted="405"),
    # The matrix's document is not an AG report: refused (404) to those who may attach one
    # (the attachment itself is tested in tests/reports/test_attach.py).
    "report_attach": protected("governance.manage", granted="404", kwargs=pk_of("document")),
    "report_attach#post": protected(
        "governance.manage",
        granted="404",
        method="POST",
        kwargs=pk_of("document"),
        data={"title": "Rapport"},
    ),
}
