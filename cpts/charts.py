"""The one server-side chart path (DESIGN.md §5): pure Python building SVG strings that pages
inline and PDFs (WeasyPrint) render alike. No JavaScript, no external library.

Every chart is accessible: ``role="img"`` named by its ``<title>`` and described by its
``<desc>``, every series in a text legend, values and labels written in French ("1 234,56 €"),
each bar or point carrying its own ``<title>``. Pages should still show the figures in a table
next to the chart.

- ``bar_chart(categories, series, title=…)``: vertical bars, grouped when several series
  (e.g. expected vs received per period);
- ``line_chart(labels, series, title=…, step=…, references=…)``: lines over evenly spaced
  labels (``step`` draws running totals as stairs; ``references`` draws dashed horizontal
  lines, e.g. an indicator's target and tiers).

Both return a ``SafeString``: every text is escaped here, so templates print it as is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape, quoteattr

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

Number = Decimal | int | float
Formatter = Callable[[Number], str]

NBSP = "\xa0"  # the French thousands separator of Django's "fr" formats
PALETTE = ("#2f6f9f", "#d9822b", "#4f9a5a", "#8c6bb1", "#b8475a", "#6b7785")
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def format_number(value: Number, decimals: int = 0) -> str:
    """French writing of a number: "1 234 567", "1 234,56" (non-breaking spaces)."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _dot, fraction = f"{abs(rounded):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = NBSP.join(groups)
    return f"{sign}{text},{fraction}" if decimals else f"{sign}{text}"


def format_euros(value: Number) -> str:
    """ "1 234,56 €" """
    return f"{format_number(value, 2)}{NBSP}€"


def format_whole_euros(value: Number) -> str:
    """ "1 235 €" (axes)"""
    return f"{format_number(value, 0)}{NBSP}€"


@dataclass(frozen=True)
class Series:
    """A named series of values, one per category (None: no value)."""

    label: str
    values: Sequence[Number | None]
    color: str = ""


@dataclass(frozen=True)
class ReferenceLine:
    """A horizontal line across the plot at ``value`` (a target, a tier threshold), named by
    ``label`` in the chart and in its own ``<title>``."""

    label: str
    value: Number
    color: str = "#b8475a"


@dataclass(frozen=True)
class _Frame:
    """The plotting area and its value scale."""

    left: float
    top: float
    width: float
    height: float
    low: float
    high: float

    def y(self, value: float) -> float:
        span = self.high - self.low
        return self.top + self.height * (self.high - value) / span

    @property
    def bottom(self) -> float:
        return self.top + self.height


def _nice_step(span: float, ticks: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) cutting ``span`` into at most
    ``ticks`` parts."""
    raw = span / ticks
    magnitude = 10 ** int(f"{raw:e}".split("e")[1])
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def _scale(values: Sequence[float]) -> tuple[float, float, float]:
    """Low, high and step of an axis holding ``values`` and zero."""
    low = min([0.0, *values])
    high = max([0.0, *values])
    if high == low:
        high = low + 1
    step = _nice_step(high - low)
    low = step * (low // step)
    high = step * -(-high // step)
    return low, high, step


def _numbers(series: Sequence[Series]) -> list[float]:
    return [float(v) for s in series for v in s.values if v is not None]


def _chart_id(kind: str, title: str, labels: Sequence[str], series: Sequence[Series]) -> str:
    seed = "|".join([kind, title, *labels, *(f"{s.label}:{list(s.values)}" for s in series)])
    return "chart-" + hashlib.sha1(seed.encode(), usedforsecurity=False).hexdigest()[:10]


def _text(x: float, y: float, content: str, **attrs: str) -> str:
    extra = "".join(f" {name.replace('_', '-')}={quoteattr(v)}" for name, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(content)}</text>'


def _open(chart_id: str, width: int, height: int, title: str, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="maillage-chart" id="{chart_id}" '
        f'viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="{escape(FONT)}" font-size="12" style="max-width:{width}px">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description or title)}</desc>',
    ]


def _empty(chart_id: str, width: int, height: int, title: str, description: str) -> SafeString:
    parts = _open(chart_id, width, height, title, description)
    parts.append(
        _text(
            width / 2,
            height / 2,
            _("Aucune donnée à représenter"),
            text_anchor="middle",
            fill="#6b7785",
        )
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def _legend(series: Sequence[Series], left: float, y: float) -> list[str]:
    parts = ['<g class="legend">']
    x = left
    for index, item in enumerate(series):
        color = item.color or PALETTE[index % len(PALETTE)]
        parts.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{color}"/>')
        parts.append(_text(x + 17, y, item.label, fill="#212529"))
        x += 30 + 7 * len(item.label)
    parts.append("</g>")
    return parts


def _axis(frame: _Frame, step: float, axis_format: Formatter) -> list[str]:
    parts = ['<g class="axis">']
    value = frame.low
    while value <= frame.high + step / 1000:
        y = frame.y(value)
        parts.append(
            f'<line x1="{frame.left:.1f}" y1="{y:.1f}" x2="{frame.left + frame.width:.1f}" '
            f'y2="{y:.1f}" stroke="{"#6b7785" if value == 0 else "#dee2e6"}" stroke-width="1"/>'
        )
        parts.append(
            _text(frame.left - 6, y + 4, axis_format(value), text_anchor="end", fill="#495057")
        )
        value += step
    parts.append("</g>")
    return parts


# Approximate advance of one character of the 12-unit chart font, for label layout.
CHAR_WIDTH = 6.5
LONGEST_SLANTED_LABEL = 26  # characters; longer category names end with "…"
SLANT_SINE = 0.574  # sin(35°): labels are slanted 35° when they do not fit side by side


def _shorten(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: max(limit - 1, 1)].rstrip() + "…"


def _slanted(labels: Sequence[str], slot: float) -> bool:
    """Whether category names side by side would overlap in slots ``slot`` wide."""
    return any(len(label) * CHAR_WIDTH > slot - 4 for label in labels)


def _slant_room(labels: Sequence[str]) -> int:
    """Extra height below the plot taken by slanted category names."""
    longest = min(max((len(label) for label in labels), default=0), LONGEST_SLANTED_LABEL)
    return int(longest * CHAR_WIDTH * SLANT_SINE)


def _category_labels(
    labels: Sequence[str], centers: Sequence[float], y: float, *, slant: bool = False
) -> list[str]:
    """The labels under the plot: every category slanted when their names do not fit side by
    side (``slant``, bar charts), otherwise thinned out so that no two labels overlap (at
    most about twelve)."""
    if slant:
        return [
            _text(
                center,
                y - 6,
                _shorten(label, LONGEST_SLANTED_LABEL),
                text_anchor="end",
                fill="#212529",
                transform=f"rotate(-35 {center:.1f} {y - 6:.1f})",
            )
            for label, center in zip(labels, centers, strict=True)
        ]
    every = max(1, -(-len(labels) // 12))
    if len(centers) > 1:
        gap = abs(centers[1] - centers[0])
        widest = max(len(label) for label in labels) * CHAR_WIDTH + 8
        every = max(every, -(-int(widest) // max(int(gap), 1)))
    shown = list(range(0, len(labels), every))
    if shown[-1] != len(labels) - 1:  # the last label (the latest month) is always shown
        shown[-1 if len(labels) - 1 - shown[-1] < every else len(shown) :] = [len(labels) - 1]
    return [
        _text(centers[index], y, labels[index], text_anchor="middle", fill="#212529")
        for index in shown
    ]


def _references(
    frame: _Frame, references: Sequence[ReferenceLine], value_format: Formatter
) -> list[str]:
    """Dashed horizontal lines, each labelled with its name and value; from the lowest value
    up, labels alternate between the right and the left end so close lines stay legible."""
    if not references:
        return []
    parts = ['<g class="references">']
    right = frame.left + frame.width
    by_value = sorted(range(len(references)), key=lambda i: float(references[i].value))
    rank = {position: index for index, position in enumerate(by_value)}
    for position, reference in enumerate(references):
        y = frame.y(float(reference.value))
        text = f"{reference.label} : {value_format(reference.value)}"
        at_right = rank[position] % 2 == 0
        label = _text(
            right if at_right else frame.left + 4,
            y - 4,
            text,
            text_anchor="end" if at_right else "start",
            fill=reference.color,
            font_size="11",
        )
        parts.append(
            f'<g class="reference" data-value="{float(reference.value)}">'
            f"<title>{escape(text)}</title>"
            f'<line x1="{frame.left:.1f}" y1="{y:.1f}" x2="{right:.1f}" y2="{y:.1f}" '
            f'stroke="{reference.color}" stroke-width="1.5" stroke-dasharray="6 4"/>'
            + label
            + "</g>"
        )
    parts.append("</g>")
    return parts


def bar_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str = "",
    value_format: Formatter = format_euros,
    axis_format: Formatter = format_whole_euros,
    width: int = 640,
    height: int = 300,
    chart_id: str = "",
) -> SafeString:
    """Vertical bars, one group per category, one bar per series in the group; bar heights
    are proportional to the values, from zero."""
    chart_id = chart_id or _chart_id("bar", title, categories, series)
    values = _numbers(series)
    if not categories or not series or not any(values):
        return _empty(chart_id, width, height, title, description)
    low, high, step = _scale(values)
    frame = _Frame(left=88, top=34, width=width - 100, height=height - 70, low=low, high=high)
    slant = _slanted(categories, frame.width / len(categories))
    if slant:  # room below the plot for the slanted names
        height += _slant_room(categories)
    parts = _open(chart_id, width, height, title, description)
    parts += _legend(series, frame.left, 18)
    parts += _axis(frame, step, axis_format)
    slot = frame.width / len(categories)
    bar = min(48.0, slot * 0.8 / len(series))
    centers = []
    parts.append('<g class="bars">')
    for index, category in enumerate(categories):
        center = frame.left + slot * (index + 0.5)
        centers.append(center)
        first = center - bar * len(series) / 2
        for position, item in enumerate(series):
            value = item.values[index] if index < len(item.values) else None
            if value is None:
                continue
            color = item.color or PALETTE[position % len(PALETTE)]
            top, base = frame.y(max(float(value), 0)), frame.y(min(float(value), 0))
            x = first + bar * position
            label = f"{category} — {item.label} : {value_format(value)}"
            parts.append(
                f'<rect x="{x:.1f}" y="{top:.1f}" width="{bar - 2:.1f}" '
                f'height="{max(base - top, 0):.1f}" fill="{color}" '
                f'data-value="{float(value)}"><title>{escape(label)}</title></rect>'
            )
    parts.append("</g>")
    parts += _category_labels(categories, centers, frame.bottom + 18, slant=slant)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str = "",
    step: bool = False,
    value_format: Formatter = format_euros,
    axis_format: Formatter = format_whole_euros,
    width: int = 640,
    height: int = 300,
    chart_id: str = "",
    references: Sequence[ReferenceLine] = (),
) -> SafeString:
    """One line per series over evenly spaced ``labels``, with a dot per value; ``step``
    draws stairs (a running total holds its value until the next label); ``references``
    are dashed horizontal lines (the axis stretches to show them)."""
    chart_id = chart_id or _chart_id(
        "line", title, [*labels, *(f"{r.label}={r.value}" for r in references)], series
    )
    values = _numbers(series)
    if not labels or not series or not values:
        return _empty(chart_id, width, height, title, description)
    low, high, tick = _scale([*values, *(float(r.value) for r in references)])
    frame = _Frame(left=88, top=34, width=width - 130, height=height - 70, low=low, high=high)
    parts = _open(chart_id, width, height, title, description)
    parts += _legend(series, frame.left, 18)
    parts += _axis(frame, tick, axis_format)
    parts += _references(frame, references, value_format)
    gap = frame.width / max(len(labels) - 1, 1)
    xs = [
        frame.left + (gap * i if len(labels) > 1 else frame.width / 2) for i in range(len(labels))
    ]
    for position, item in enumerate(series):
        color = item.color or PALETTE[position % len(PALETTE)]
        points = [
            (xs[i], frame.y(float(v)), labels[i], v)
            for i, v in enumerate(item.values[: len(labels)])
            if v is not None
        ]
        path = []
        for index, (x, y, _label, _value) in enumerate(points):
            if index and step:
                path.append(f"H{x:.1f}")
            path.append(f"{'L' if index else 'M'}{x:.1f},{y:.1f}")
        parts.append(f'<g class="series" fill="{color}" stroke="{color}">')
        parts.append(f'<path d="{" ".join(path)}" fill="none" stroke-width="2"/>')
        for x, y, label, value in points:
            text = f"{label} — {item.label} : {value_format(value)}"
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" data-value="{float(value)}">'
                f"<title>{escape(text)}</title></circle>"
            )
        parts.append("</g>")
    parts += _category_labels(labels, xs, frame.bottom + 18)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
