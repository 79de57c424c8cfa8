"""The sections of the activity reports: each report is an ordered list of ``Section``s, each
a title, a template (under ``pdf/reports/sections/``) and a builder reading its figures from the
selectors the dashboard uses. Adding a section to a report is one function and one entry in its
list (``reports.sections.aci.ACI_SECTIONS``, ``reports.sections.ag.AG_SECTIONS``).

``build_sections`` runs the builders in order and reports each one's step to the job."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from cpts.jobs import ProgressCallback
from cpts.models import Association

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from missions.models import Contract, ContractYear


@dataclass
class ReportScope:
    """What a report is about: its period, the day its figures are read at (the period's last
    day, or today while the period runs), and for the ACI report the contract year. ``shared``
    keeps reads several sections need (e.g. the year's earnings), computed once."""

    kind: str  # "aci" or "ag"
    start: datetime.date
    end: datetime.date
    on: datetime.date
    association: Association
    generated_at: datetime.datetime
    contract: Contract | None = None
    year: ContractYear | None = None
    shared: dict[str, Any] = field(default_factory=dict)

    def once(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self.shared:
            self.shared[key] = compute()
        return self.shared[key]


Builder = Callable[[ReportScope], dict[str, Any]]


@dataclass(frozen=True)
class Section:
    key: str  # the anchor of the section in the table of contents
    title: StrOrPromise
    template: str  # under templates/pdf/reports/sections/
    build: Builder


@dataclass(frozen=True)
class BuiltSection:
    key: str
    title: str
    template: str
    data: dict[str, Any]


def build_sections(
    sections: Sequence[Section],
    scope: ReportScope,
    report: ProgressCallback,
    *,
    first: int = 10,
    last: int = 80,
) -> list[BuiltSection]:
    """Run every builder in order, reporting "Section : <title>" with a progress spread evenly
    between ``first`` and ``last`` percent."""
    built = []
    count = max(len(sections), 1)
    for index, section in enumerate(sections):
        title = str(section.title)
        report(first + (last - first) * index // count, _("Section : %(title)s") % {"title": title})
        built.append(
            BuiltSection(
                key=section.key,
                title=title,
                template=f"pdf/reports/sections/{section.template}",
                data=section.build(scope),
            )
        )
    return built
