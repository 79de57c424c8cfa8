"""Access-matrix entries of the indicators and the dashboard."""

from __future__ import annotations

from tests.access_matrix.core import Entry, protected

ENTRIES: dict[str, Entry] = {
    # --- Dashboard (indicators/views/dashboard.py) ---
    "backoffice_home": protected("backoffice.view"),
    # --- end of the indicators entries ---
}
