"""Horizontal reference lines on line charts (an indicator's target and tiers): drawn at their
value, named, the axis stretched to show them; charts without them unchanged."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from cpts.charts import ReferenceLine, Series, format_number, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def _references(svg: ET.Element) -> list[ET.Element]:
    return [g for g in svg.iter(f"{SVG}g") if g.get("class") == "reference"]


def _y_of_value(svg: ET.Element, value: float) -> float:
    circle = next(c for c in svg.iter(f"{SVG}circle") if float(c.get("data-value", "")) == value)
    return float(circle.get("cy", ""))


def test_reference_lines_are_drawn_at_their_value_with_their_name() -> None:
    chart = line_chart(
        ["A1", "A2", "A3"],
        [Series("Taux de dépistage", [Decimal("66"), Decimal("70"), Decimal("75")])],
        title="Dépistage",
        value_format=lambda v: f"{format_number(v, 2)} %",
        references=[ReferenceLine("Cible", Decimal("70")), ReferenceLine("Socle", 66)],
    )
    svg = ET.fromstring(chart)
    references = _references(svg)
    assert [float(g.get("data-value", "")) for g in references] == [70.0, 66.0]
    for reference, value in zip(references, (70.0, 66.0), strict=True):
        line = reference.find(f"{SVG}line")
        assert line is not None and line.get("stroke-dasharray") == "6 4"
        # the same height as the point of the same value
        assert float(line.get("y1", "")) == _y_of_value(svg, value)
    title = references[0].find(f"{SVG}title")
    assert title is not None and title.text == "Cible : 70,00 %"


def test_the_axis_stretches_to_show_a_reference_above_every_value() -> None:
    without = ET.fromstring(line_chart(["2024", "2025"], [Series("n", [10, 20])], title="n"))
    with_target = ET.fromstring(
        line_chart(
            ["2024", "2025"],
            [Series("n", [10, 20])],
            title="n",
            references=[ReferenceLine("Cible", 90)],
        )
    )
    # 20 was near the top of its own axis; under a 90 target it sits much lower.
    assert _y_of_value(with_target, 20) > _y_of_value(without, 20)
    line = _references(with_target)[0].find(f"{SVG}line")
    assert line is not None
    assert float(line.get("y1", "")) >= 34  # inside the plot (its top is at y = 34)


def test_charts_without_references_are_unchanged() -> None:
    series = [Series("n", [1, 2, 3])]
    plain = line_chart(["a", "b", "c"], series, title="n")
    explicit = line_chart(["a", "b", "c"], series, title="n", references=())
    assert plain == explicit
    assert 'class="references"' not in plain


def test_reference_labels_are_escaped_and_an_empty_series_stays_empty() -> None:
    chart = line_chart(
        ["a"], [Series("n", [5])], title="n", references=[ReferenceLine("<Cible & co>", 6)]
    )
    assert "&lt;Cible &amp; co&gt;" in chart
    empty = line_chart(["a"], [Series("n", [None])], title="n", references=[ReferenceLine("C", 6)])
    assert "Aucune donnée à représenter" in empty


def test_labels_of_close_lines_alternate_between_the_two_ends() -> None:
    svg = ET.fromstring(
        line_chart(
            ["A1", "A2"],
            [Series("Taux", [66, 71])],
            title="Taux",
            references=[
                ReferenceLine("Objectif", 75),
                ReferenceLine("Socle", Decimal("69.7")),
                ReferenceLine("Intermédiaire", Decimal("72.4")),
            ],
        )
    )
    anchors = {}
    for group in _references(svg):
        text = group.find(f"{SVG}text")
        assert text is not None and text.text is not None
        anchors[text.text.split(" :")[0]] = text.get("text-anchor")
    # by value: Socle (right), Intermédiaire (left), Objectif (right)
    assert anchors == {"Socle": "end", "Intermédiaire": "start", "Objectif": "end"}
