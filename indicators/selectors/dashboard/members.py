"""The dashboard's members block: active members, fee status, pending requests and the two
membership charts (members.selectors.statistics, never recomputed here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from cpts.charts import Series, bar_chart, format_number, line_chart
from indicators.selectors.dashboard.figure import Figure
from members.selectors.statistics import (
    FeeSummary,
    MemberCounts,
    fee_summary,
    member_counts,
    members_by_college,
    members_by_commune,
    members_by_profession,
    members_over_time,
    month_ends,
    pending_requests,
)

MONTHS_SHOWN = 24


@dataclass(frozen=True)
class MembersBlock:
    counts: MemberCounts
    pending_requests: int
    fees: FeeSummary | None  # None: the reader may not see the finances
    by_profession: list[tuple[str, int]]
    over_time: list[tuple[date, int]]
    by_college: list[tuple[str, int]]
    by_commune: list[tuple[str, int]]

    def profession_figure(self) -> Figure:
        return Figure(
            svg=self._profession_chart(),
            caption=_("Adhérents par profession"),
            headers=(_("Profession"), _("Adhérents")),
            rows=[(label, format_number(count)) for label, count in self.by_profession],
        )

    def over_time_figure(self) -> Figure:
        return Figure(
            svg=self._over_time_chart(),
            caption=_("Évolution du nombre d'adhérents"),
            headers=(_("Au"), _("Adhérents actifs")),
            rows=[
                (day.strftime("%d/%m/%Y"), format_number(count)) for day, count in self.over_time
            ],
        )

    def college_figure(self) -> Figure:
        return self._breakdown_figure(
            self.by_college, _("Adhérents par collège"), _("Collège"), "colleges"
        )

    def commune_figure(self) -> Figure:
        return self._breakdown_figure(
            self.by_commune, _("Adhérents par commune"), _("Commune"), "communes"
        )

    def _breakdown_figure(
        self, rows: list[tuple[str, int]], caption: str, header: str, key: str
    ) -> Figure:
        svg = bar_chart(
            [label for label, _count in rows],
            [Series(_("Adhérents"), [count for _label, count in rows])],
            title=caption,
            description=_("Nombre d'adhérents actifs au %(date)s.")
            % {"date": self.counts.on.strftime("%d/%m/%Y")},
            value_format=format_number,
            axis_format=format_number,
            chart_id=f"tableau-de-bord-{key}",
        )
        return Figure(
            svg=svg,
            caption=caption,
            headers=(header, _("Adhérents")),
            rows=[(label, format_number(count)) for label, count in rows],
        )

    def _profession_chart(self) -> SafeString:
        return bar_chart(
            [label for label, _count in self.by_profession],
            [Series(_("Adhérents"), [count for _label, count in self.by_profession])],
            title=_("Adhérents par profession"),
            description=_("Nombre d'adhérents actifs au %(date)s, par profession.")
            % {"date": self.counts.on.strftime("%d/%m/%Y")},
            value_format=format_number,
            axis_format=format_number,
            chart_id="tableau-de-bord-professions",
        )

    def _over_time_chart(self) -> SafeString:
        return line_chart(
            [day.strftime("%m/%Y") for day, _count in self.over_time],
            [Series(_("Adhérents actifs"), [count for _day, count in self.over_time])],
            title=_("Évolution du nombre d'adhérents"),
            description=_(
                "Nombre d'adhérents actifs à la fin de chacun des %(months)s derniers mois "
                "(le mois en cours : aujourd'hui)."
            )
            % {"months": len(self.over_time)},
            value_format=format_number,
            axis_format=format_number,
            chart_id="tableau-de-bord-adherents",
        )


def members_block(
    today: date, *, with_fees: bool, months: int = MONTHS_SHOWN, fees_year: int | None = None
) -> MembersBlock:
    """Seven queries (six without the fees). The activity reports read the same block at the
    end of their period (``months``: how many month ends the evolution shows; ``fees_year``:
    the calendar year of the fees, ``today``'s by default)."""
    return MembersBlock(
        counts=member_counts(today),
        pending_requests=pending_requests(),
        fees=fee_summary(fees_year or today.year) if with_fees else None,
        by_profession=members_by_profession(today),
        over_time=members_over_time(month_ends(today, months)),
        by_college=members_by_college(today),
        by_commune=members_by_commune(today),
    )
