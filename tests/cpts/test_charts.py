"""The SVG charts: valid XML, accessible names, bars proportional to the values, French
numbers, empty data handled."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from itertools import pairwise

from cpts.charts import (
    Series,
    bar_chart,
    format_euros,
    format_number,
    format_whole_euros,
    line_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
NB = "\xa0"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_french_numbers() -> None:
    assert format_number(Decimal("1234567.891"), 2) == f"1{NB}234{NB}567,89"
    assert format_number(Decimal("0.005"), 2) == "0,01"
    assert format_number(-1234, 0) == f"-1{NB}234"
    assert format_number(999) == "999"
    assert format_euros(Decimal("1234.5")) == f"1{NB}234,50{NB}€"
    assert format_whole_euros(45000.0) == f"45{NB}000{NB}€"


def test_grouped_bar_chart_is_accessible_xml_with_proportional_bars() -> None:
    svg = bar_chart(
        ["Fonctionnement", "Part fixe"],
        [
            Series("Attendu", [Decimal("60000"), Decimal("20000")]),
            Series("Reçu", [Decimal("45000"), None]),
        ],
        title="Attendu et reçu <année 3>",
        description="Montants attendus et reçus par nature",
    )
    root = _parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.text == "Attendu et reçu <année 3>"
    assert desc is not None and desc.text == "Montants attendus et reçus par nature"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    bars = root.findall(f".//{SVG}g[@class='bars']/{SVG}rect")
    assert len(bars) == 3  # the missing value draws no bar
    heights = {float(b.get("data-value", "")): float(b.get("height", "")) for b in bars}
    assert heights[60000.0] > 0
    assert abs(heights[45000.0] / heights[60000.0] - 0.75) < 0.01
    assert abs(heights[20000.0] / heights[60000.0] - 1 / 3) < 0.01
    tooltips = [b.findtext(f"{SVG}title") for b in bars]
    assert f"Fonctionnement — Reçu : 45{NB}000,00{NB}€" in tooltips
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Attendu" in texts and "Reçu" in texts and "Part fixe" in texts
    assert "0\xa0€" in texts  # the zero of the axis
    assert any(t and t.endswith(f"000{NB}€") for t in texts)


def test_bar_chart_escapes_labels_and_ids_differ() -> None:
    first = bar_chart(["<b>&"], [Series("a\"b'", [1])], title="x")
    second = bar_chart(["autre"], [Series("a", [1])], title="x")
    root = _parse(first)
    assert "<b>&" in [t.text for t in root.iter(f"{SVG}text")]
    assert root.get("id") != _parse(second).get("id")
    assert bar_chart(["a"], [Series("s", [1])], title="t", chart_id="fixe").startswith(
        '<svg xmlns="http://www.w3.org/2000/svg" class="maillage-chart" id="fixe"'
    )


def test_empty_charts_say_so() -> None:
    for svg in (
        bar_chart([], [], title="Vide"),
        bar_chart(["a", "b"], [Series("s", [0, None])], title="Zéro"),
        line_chart([], [Series("s", [])], title="Vide"),
        line_chart(["a"], [Series("s", [None])], title="Vide"),
    ):
        root = _parse(svg)
        assert [t.text for t in root.iter(f"{SVG}text")] == ["Aucune donnée à représenter"]
        assert root.find(f"{SVG}title") is not None


def test_negative_values_hang_below_zero() -> None:
    root = _parse(bar_chart(["a", "b"], [Series("écart", [-500, 1000])], title="Écarts"))
    negative, positive = root.findall(f".//{SVG}g[@class='bars']/{SVG}rect")
    assert float(negative.get("y", "")) + float(negative.get("height", "")) > float(
        positive.get("y", "")
    ) + float(positive.get("height", ""))
    assert abs(float(negative.get("height", "")) * 2 - float(positive.get("height", ""))) < 0.5


def test_line_chart_steps_and_points() -> None:
    svg = line_chart(
        ["01/03/2025", "15/04/2026", "01/03/2027"],
        [
            Series("Attendu cumulé", [Decimal("60000"), Decimal("80000"), Decimal("120000")]),
            Series("Reçu cumulé", [Decimal("60000"), None, Decimal("100000")]),
        ],
        title="Cumul",
        step=True,
    )
    root = _parse(svg)
    groups = root.findall(f".//{SVG}g[@class='series']")
    assert len(groups) == 2
    expected_path = groups[0].find(f"{SVG}path")
    assert expected_path is not None and "H" in expected_path.get("d", "")
    assert len(groups[1].findall(f"{SVG}circle")) == 2
    ys = [float(c.get("cy", "")) for c in groups[0].findall(f"{SVG}circle")]
    assert ys[0] > ys[1] > ys[2]  # higher totals drawn higher
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "15/04/2026" in texts
    assert groups[1].findall(f"{SVG}circle")[1].findtext(f"{SVG}title") == (
        f"01/03/2027 — Reçu cumulé : 100{NB}000,00{NB}€"
    )


def test_line_chart_single_point_and_many_labels_thinned() -> None:
    root = _parse(line_chart(["seul"], [Series("s", [5])], title="Un point"))
    assert root.find(f".//{SVG}circle") is not None
    labels = [f"{day:02d}/01/2026" for day in range(1, 31)]
    many = _parse(line_chart(labels, [Series("s", list(range(30)))], title="Trente"))
    shown = [t.text for t in many.iter(f"{SVG}text") if t.text in labels]
    assert 5 <= len(shown) <= 12
    assert shown[0] == labels[0] and shown[-1] == labels[-1]
    xs = [float(t.get("x", "0")) for t in many.iter(f"{SVG}text") if t.text in labels]
    assert min(b - a for a, b in pairwise(xs)) >= 10 * 6.5  # no two labels overlap
    assert labels[-1] in shown


def test_the_same_chart_renders_in_a_pdf() -> None:
    """The include pages use goes through WeasyPrint unchanged: its texts reach the PDF."""
    from cpts.pdf import render_pdf
    from tests.pdf_utils import normalize_whitespace, pdf_text, require_poppler

    require_poppler()
    svg = bar_chart(
        ["Année 1", "Année 2"],
        [Series("Attendu", [Decimal("84000"), Decimal("60000")]), Series("Reçu", [1, None])],
        title="Contrat : attendu et reçu",
    )
    pdf = render_pdf("includes/chart.html", {"svg": svg, "caption": "Attendu et reçu par année"})
    text = normalize_whitespace(pdf_text(pdf))
    for words in ("Attendu et reçu par année", "Reçu", "Année 2", "80 000 €"):
        assert words in text


def test_bar_chart_slants_category_names_that_do_not_fit() -> None:
    names = ["Médecin généraliste", "Profession non renseignée", "Établissements et médico-social"]
    names += [f"Profession numéro {index}" for index in range(9)]
    root = _parse(bar_chart(names, [Series("s", list(range(1, 13)))], title="Professions"))
    slanted = [t for t in root.iter(f"{SVG}text") if "rotate(-35" in (t.get("transform") or "")]
    assert len(slanted) == len(names)  # every bar keeps its name
    texts = [t.text for t in slanted]
    assert "Profession non renseignée" in texts  # up to 26 characters
    assert "Établissements et médico-…" in texts  # longer: shortened
    assert float(root.get("viewBox", "").split()[3]) > 300  # room made below the plot
    short = _parse(bar_chart(["A", "B"], [Series("s", [1, 2])], title="Court"))
    assert not [t for t in short.iter(f"{SVG}text") if t.get("transform")]
    assert short.get("viewBox") == "0 0 640 300"
