"""A chart of the dashboard with its numbers as a table (cpts.charts asks pages to show the
figures next to the chart)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Figure:
    svg: SafeString
    caption: str
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
