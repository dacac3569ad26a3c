from __future__ import annotations

from decimal import Decimal
from xml.etree import ElementTree

from django.utils import translation

from reports import charts, indices

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 - our own output


def bars() -> list[charts.Bar]:
    return [
        charts.Bar("U1 Persyaratan", Decimal("78.57")),
        charts.Bar('U2 <Prosedur> & "waktu"', Decimal("50.00"), highlight=True, note="prioritas"),
        charts.Bar("U3 Waktu", None),
    ]


def test_a_bar_chart_is_an_accessible_image_with_title_and_description():
    root = parse(charts.bar_chart(bars(), chart_id="g", title="NIK per unsur", description="U1: 78,57"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "g-title g-desc"
    assert root.find(f"{SVG}title").text == "NIK per unsur"
    assert root.find(f"{SVG}desc").text == "U1: 78,57"


def test_bar_lengths_are_proportional_to_their_values():
    root = parse(charts.bar_chart(bars(), chart_id="g", title="t", description="d"))
    widths = [float(rect.get("width")) for rect in root.iter(f"{SVG}rect")]
    assert len(widths) == 2  # the bar without data has none
    assert abs(widths[0] / widths[1] - 78.57 / 50) < 0.01


def test_highlighted_bars_say_so_in_text_not_only_in_colour():
    svg = charts.bar_chart(bars(), chart_id="g", title="t", description="d")
    root = parse(svg)
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert any(text and text.endswith("· prioritas") for text in texts)
    colours = [rect.get("fill") for rect in root.iter(f"{SVG}rect")]
    assert colours == [charts.BAR_COLOUR, charts.PRIORITY_COLOUR]


def test_labels_are_escaped_and_no_inline_style_or_script_is_emitted():
    svg = charts.bar_chart(bars(), chart_id="g", title="<b>t</b>", description="d")
    assert "<Prosedur>" not in svg and "&lt;Prosedur&gt;" in svg
    assert "<b>" not in svg
    assert "style=" not in svg and "<script" not in svg
    line = charts.line_chart([charts.Point("TW I", Decimal(80))], chart_id="l", title="t", description="d")
    assert "style=" not in line and "<script" not in line


def test_values_are_printed_in_the_local_number_format():
    texts = [
        text.text
        for text in parse(charts.bar_chart(bars(), chart_id="g", title="t", description="d")).iter(f"{SVG}text")
    ]
    assert "78,57" in texts or "78.57" in texts


def test_a_line_chart_draws_one_point_per_value_and_breaks_at_gaps():
    points = [
        charts.Point("TW I", Decimal("71.83")),
        charts.Point("TW II", Decimal("78.17")),
        charts.Point("TW III", None),
        charts.Point("TW IV", Decimal("80.95")),
        charts.Point("TW V", Decimal("82.00")),
    ]
    root = parse(charts.line_chart(points, chart_id="l", title="Tren", description="d"))
    assert len(list(root.iter(f"{SVG}circle"))) == 4
    polylines = list(root.iter(f"{SVG}polyline"))
    assert len(polylines) == 2
    assert all(len(line.get("points").split()) == 2 for line in polylines)


def test_higher_values_are_drawn_higher():
    points = [charts.Point("a", Decimal(60)), charts.Point("b", Decimal(90))]
    root = parse(charts.line_chart(points, chart_id="l", title="t", description="d"))
    first, second = (float(circle.get("cy")) for circle in root.iter(f"{SVG}circle"))
    assert second < first


def test_describe_values_lists_every_value_or_says_there_is_none():
    with translation.override("id"):
        text = charts.describe_values([("U1", Decimal("78.57")), ("U2", None)], no_data="belum ada data")
    assert text == "U1: 78,57; U2: belum ada data"


def bar_ends_and_guides(svg: str) -> tuple[list[float], dict[str, float]]:
    root = parse(svg)
    ends = [float(rect.get("x")) + float(rect.get("width")) for rect in root.iter(f"{SVG}rect")]
    lines = [line for line in root.iter(f"{SVG}line") if line.get("class") == "chart-guide"]
    labels = [text.text for text in root.iter(f"{SVG}text")][: len(lines)]
    return ends, {label: float(line.get("x1")) for label, line in zip(labels, lines, strict=True)}


def test_bars_and_grade_lines_share_one_scale_so_a_bar_crosses_a_line_only_at_that_grade():
    rules = indices.get_rules("permenpan-14-2017")
    values = [Decimal("69.44"), Decimal("76.60"), Decimal("76.61"), Decimal("87.50"), Decimal("88.31"), Decimal(100)]
    bars = [charts.Bar(f"U{i}", value) for i, value in enumerate(values, 1)]
    svg = charts.element_chart(bars, rules=rules, title="t")
    ends, guides = bar_ends_and_guides(svg)
    assert set(guides) == {"A", "B", "C"}
    for value, end in zip(values, ends, strict=True):
        grade = indices.band_for(value, rules).grade
        reached = {label for label, x in guides.items() if end >= x}
        assert reached == {label for label in guides if label >= grade}, (value, grade, reached)
