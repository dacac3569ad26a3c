"""Charts as inline SVG made on the server: accessible, printable, no script in the browser.

Each chart is an `<svg role="img">` with a `<title>` and a `<desc>` naming every value, so a
screen reader hears the data; the page shows a data table next to it as well. Colours are SVG
presentation attributes (allowed by the CSP's `style-src 'self'`), never inline styles; a
highlighted bar is also marked in its text, not by colour alone.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from reports import indices
from reports.display import TrendPoint

BAR_COLOUR = "#1f4e96"
PRIORITY_COLOUR = "#a11d2b"
GRID_COLOUR = "#adb5bd"
TEXT_COLOUR = "#212529"
LINE_COLOUR = "#1f4e96"

WIDTH = 400
SCALE_MIN = Decimal(25)
SCALE_MAX = Decimal(100)
BAR_SCALE_MIN = Decimal(0)
"""Bars start at zero, as a bar's length is read as its value; the grade lines are drawn on the
same 0-100 axis (`bar_x`), so a bar crosses a line exactly when its value reaches that grade."""


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value on the 25-100 scale (None: no data) and whether to highlight it."""

    label: str
    value: Decimal | None
    highlight: bool = False
    note: str = ""


@dataclass(frozen=True)
class Point:
    label: str
    value: Decimal | None


@dataclass(frozen=True)
class Guide:
    """A reference line across the chart, e.g. a band threshold."""

    value: Decimal
    label: str


def _number(value: Decimal) -> str:
    return number_format(value, 2)


def _x(value: Decimal, left: int, width: int, low: Decimal, high: Decimal) -> float:
    share = (min(max(value, low), high) - low) / (high - low)
    return round(left + float(share) * width, 2)


def bar_x(value: Decimal, *, left: int, width: int) -> float:
    """Where a value lies along a bar chart's axis: the one scale of its bars and its grade lines."""
    return _x(value, left, width, BAR_SCALE_MIN, SCALE_MAX)


def _svg_open(*, chart_id: str, height: int, title: str, description: str, css_class: str) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart {}" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-title {}-desc" font-family="system-ui, sans-serif">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        css_class,
        WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
    )


def bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    description: str,
    guides: Sequence[Guide] = (),
    no_data: str = "—",
) -> SafeString:
    """Horizontal bars of values on the 25-100 scale, drawn on a 0-100 axis shared with the guides,
    one per row, each label above its bar."""
    left, plot_width, row_height, top = 4, WIDTH - 64, 40, 18
    height = top + row_height * len(bars) + 8
    parts: list[SafeString] = [
        _svg_open(chart_id=chart_id, height=height, title=title, description=description, css_class="chart-bars")
    ]
    for guide in guides:
        x = bar_x(guide.value, left=left, width=plot_width)
        parts.append(
            format_html(
                '<line class="chart-guide" x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-dasharray="3 3"/>'
                '<text x="{}" y="12" font-size="11" text-anchor="middle" fill="{}">{}</text>',
                x,
                x,
                top - 2,
                height - 4,
                GRID_COLOUR,
                x,
                TEXT_COLOUR,
                guide.label,
            )
        )
    for position, bar in enumerate(bars):
        y = top + position * row_height
        colour = PRIORITY_COLOUR if bar.highlight else BAR_COLOUR
        label = f"{bar.label} · {bar.note}" if bar.note else bar.label
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="13" fill="{}">{}</text>',
                left,
                y + 12,
                TEXT_COLOUR,
                label,
            )
        )
        if bar.value is None:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="13" fill="{}">{}</text>', left, y + 30, TEXT_COLOUR, no_data
                )
            )
            continue
        end = bar_x(bar.value, left=left, width=plot_width)
        parts.append(
            format_html(
                '<rect class="{}" x="{}" y="{}" width="{}" height="14" fill="{}"/>'
                '<text x="{}" y="{}" font-size="13" font-weight="600" fill="{}">{}</text>',
                "chart-bar chart-bar-highlight" if bar.highlight else "chart-bar",
                left,
                y + 18,
                round(end - left, 2),
                colour,
                end + 4,
                y + 30,
                TEXT_COLOUR,
                _number(bar.value),
            )
        )
    parts.append(mark_safe("</svg>"))
    return SafeString("".join(parts))


@dataclass(frozen=True)
class _LineFrame:
    """Where a line chart draws: the value range on the y axis and the plot's box."""

    low: Decimal
    high: Decimal
    left: int = 36
    right: int = 12
    top: int = 14
    plot_height: int = 150

    @classmethod
    def around(cls, points: Sequence[Point]) -> _LineFrame:
        """A rounded range within 25-100 around the known values, at least 10 points high."""
        known = [point.value for point in points if point.value is not None]
        low = max(SCALE_MIN, (min(known, default=SCALE_MIN) - 5) // 5 * 5)
        high = min(SCALE_MAX, -((-(max(known, default=SCALE_MAX) + 5)) // 5) * 5)
        if high - low < 10:
            high = min(SCALE_MAX, low + 10)
            low = high - 10
        return cls(Decimal(low), Decimal(high))

    def y_of(self, value: Decimal) -> float:
        share = (min(max(value, self.low), self.high) - self.low) / (self.high - self.low)
        return round(self.top + self.plot_height - float(share) * self.plot_height, 1)

    def xs(self, count: int) -> list[float]:
        plot_width = WIDTH - self.left - self.right
        return [round(self.left + plot_width * (index + 0.5) / max(count, 1), 1) for index in range(count)]


def _line_grid(frame: _LineFrame, guides: Sequence[Guide]) -> Iterator[SafeString]:
    """The horizontal grid with its values, and the guides (grade thresholds) inside the range."""
    step = Decimal(5) if frame.high - frame.low <= 30 else Decimal(10)
    tick = frame.low
    while tick <= frame.high:
        yield format_html(
            '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="0.5"/>'
            '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="{}">{}</text>',
            frame.left,
            WIDTH - frame.right,
            frame.y_of(tick),
            frame.y_of(tick),
            GRID_COLOUR,
            frame.left - 4,
            frame.y_of(tick) + 4,
            TEXT_COLOUR,
            int(tick),
        )
        tick += step
    for guide in guides:
        if frame.low < guide.value < frame.high:
            yield format_html(
                '<line class="chart-guide" x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-dasharray="3 3"/>'
                '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="{}">{}</text>',
                frame.left,
                WIDTH - frame.right,
                frame.y_of(guide.value),
                frame.y_of(guide.value),
                PRIORITY_COLOUR,
                WIDTH - frame.right,
                frame.y_of(guide.value) - 3,
                TEXT_COLOUR,
                guide.label,
            )


def _line_segments(frame: _LineFrame, points: Sequence[Point]) -> Iterator[SafeString]:
    """The line through the known values, broken where a value is missing."""
    segments: list[list[str]] = [[]]
    for x, point in zip(frame.xs(len(points)), points, strict=True):
        if point.value is None:
            segments.append([])
        else:
            segments[-1].append(f"{x},{frame.y_of(point.value)}")
    for line in segments:
        if len(line) > 1:
            yield format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>', " ".join(line), LINE_COLOUR
            )


def _line_labels(frame: _LineFrame, points: Sequence[Point]) -> Iterator[SafeString]:
    """Each point's label under the axis, and its marker and value where it has one."""
    for x, point in zip(frame.xs(len(points)), points, strict=True):
        yield format_html(
            '<text x="{}" y="{}" font-size="10" text-anchor="middle" fill="{}">{}</text>',
            x,
            frame.top + frame.plot_height + 16,
            TEXT_COLOUR,
            point.label,
        )
        if point.value is not None:
            yield format_html(
                '<circle cx="{}" cy="{}" r="3.5" fill="{}"/>'
                '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="{}">{}</text>',
                x,
                frame.y_of(point.value),
                LINE_COLOUR,
                x,
                frame.y_of(point.value) - 8,
                TEXT_COLOUR,
                _number(point.value),
            )


def line_chart(
    points: Sequence[Point],
    *,
    chart_id: str,
    title: str,
    description: str,
    guides: Sequence[Guide] = (),
) -> SafeString:
    """A line through the points (gaps where a value is missing), y from a rounded range within 25-100."""
    frame = _LineFrame.around(points)
    height = frame.top + frame.plot_height + 40
    parts = [
        _svg_open(chart_id=chart_id, height=height, title=title, description=description, css_class="chart-line"),
        *_line_grid(frame, guides),
        *_line_segments(frame, points),
        *_line_labels(frame, points),
        mark_safe("</svg>"),
    ]
    return SafeString("".join(parts))


def describe_values(pairs: Sequence[tuple[str, Decimal | None]], *, no_data: str) -> str:
    """A plain-text list of label: value for a chart's <desc>."""
    return "; ".join(f"{label}: {_number(value) if value is not None else no_data}" for label, value in pairs)


def band_guides(rules: indices.RuleSet) -> list[Guide]:
    """The grade thresholds of a rule set as reference lines (A, B, C; D is what lies below)."""
    return [Guide(indices.round_nik(band.min_nik), band.grade) for band in rules.bands[:-1]]


def element_chart(bars: Sequence[Bar], *, rules: indices.RuleSet, title: str) -> SafeString:
    """The NIK of each element as bars, with the grade thresholds."""
    no_data = _("belum ada data")
    return bar_chart(
        bars,
        chart_id="grafik-unsur",
        title=title,
        description=describe_values([(bar.label, bar.value) for bar in bars], no_data=no_data),
        guides=band_guides(rules),
        no_data=no_data,
    )


def short_period_name(name: str) -> str:
    """ "TW I 2026" for "Triwulan I 2026": period names short enough for a chart's axis."""
    return name.replace("Triwulan ", "TW ").replace("Semester ", "Sem ")


def trend_chart(
    points: Sequence[TrendPoint], *, title: str, rules: indices.RuleSet | None = None, chart_id: str = "grafik-tren"
) -> SafeString:
    """The NIK across periods as a line (gaps where a period has no index), with the grade
    thresholds of `rules` when given: the one trend chart of staff and public pages."""
    return line_chart(
        [Point(short_period_name(point.period.name), point.figures.nik) for point in points],
        chart_id=chart_id,
        title=title,
        description=describe_values(
            [(point.period.name, point.figures.nik) for point in points], no_data=_("belum ada data")
        ),
        guides=band_guides(rules) if rules is not None else (),
    )


def city_trend_chart(points: Sequence[TrendPoint], *, title: str, rules: indices.RuleSet | None) -> str:
    """The city's index across periods (the periods with an index), or nothing with fewer than
    two: the city trend of the secretariat's dashboard and of the public site."""
    valued = [point for point in points if point.figures.has_index]
    if len(valued) < 2:
        return ""
    return trend_chart(valued, title=title, rules=rules, chart_id="grafik-tren-kota")


__all__ = [
    "Bar",
    "Guide",
    "Point",
    "band_guides",
    "bar_chart",
    "city_trend_chart",
    "describe_values",
    "element_chart",
    "line_chart",
    "short_period_name",
    "trend_chart",
]
