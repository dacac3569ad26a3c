"""The report's charts as PNG images at print resolution (matplotlib's Agg renderer, no pyplot
state, so charts made in one process never share a figure).

Each function takes numbers already rounded for display (`reports.display`) and labels, and
returns PNG bytes; the document sizes the image, the DPI keeps it sharp on paper.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

DPI = 200
BAR = "#2f6690"
PRIORITY = "#c0392b"
MUTED = "#9aa5b1"
LINE = "#555555"


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None
    highlight: bool = False


def _png(figure: Figure) -> bytes:
    """Render once (layouts are fixed by each chart: a "tight" box or layout would draw it again)."""
    FigureCanvasAgg(figure)
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def _wrap(label: str, width: int = 34) -> str:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines[:3])


def element_chart(bars: Sequence[Bar], *, thresholds: Sequence[tuple[Decimal, str]], title: str) -> bytes:
    """Horizontal bars of each element's converted value (25-100), band thresholds dashed."""
    height = 0.42 * max(len(bars), 3) + 0.9
    figure = Figure(figsize=(6.3, height))
    figure.subplots_adjust(left=0.37, right=0.97, top=1 - 0.45 / height, bottom=0.5 / height)
    axes = figure.add_subplot()
    positions = list(range(len(bars)))[::-1]
    values = [float(bar.value) if bar.value is not None else 0.0 for bar in bars]
    colours = [PRIORITY if bar.highlight else BAR for bar in bars]
    axes.barh(positions, values, color=colours, height=0.62)
    for position, bar in zip(positions, bars, strict=True):
        text = f"{bar.value:.2f}".replace(".", ",") if bar.value is not None else "—"
        axes.text((float(bar.value) if bar.value is not None else 25) + 0.6, position, text, va="center", fontsize=7.5)
    for value, grade in thresholds:
        axes.axvline(float(value), color=MUTED, linestyle="--", linewidth=0.8)
        axes.text(float(value), len(bars) - 0.35, grade, ha="center", fontsize=7, color=LINE)
    axes.set_yticks(positions, [_wrap(bar.label) for bar in bars], fontsize=7.5)
    axes.set_xlim(25, 104)
    axes.set_xlabel(_("Nilai IKM (25–100)"), fontsize=8)  # noqa: RUF001 - the en dash of a range
    axes.tick_params(axis="x", labelsize=7.5)
    axes.set_title(title, fontsize=9, loc="left")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return _png(figure)


def distribution_chart(panels: Sequence[tuple[str, Sequence[int]]], *, title: str) -> bytes:
    """One small chart per element: how many respondents gave each score 1-4."""
    columns = 3
    rows = max(1, -(-len(panels) // columns))
    height = 1.75 * rows + 0.4
    figure = Figure(figsize=(6.3, height))
    figure.suptitle(title, fontsize=9, x=0.01, ha="left")
    figure.subplots_adjust(left=0.02, right=0.98, top=1 - 0.75 / height, bottom=0.25 / height, hspace=0.95, wspace=0.12)
    for index, (label, counts) in enumerate(panels):
        axes = figure.add_subplot(rows, columns, index + 1)
        axes.bar([1, 2, 3, 4], list(counts), color=BAR, width=0.65)
        top = max(counts, default=0) or 1
        for score, count in zip((1, 2, 3, 4), counts, strict=True):
            axes.text(score, count + top * 0.03, str(count), ha="center", fontsize=6.5)
        axes.set_ylim(0, top * 1.25)
        axes.set_xticks([1, 2, 3, 4], ["1", "2", "3", "4"], fontsize=7)
        axes.set_yticks([])
        axes.set_title(_wrap(label, 28), fontsize=7.5)
        for side in ("top", "right", "left"):
            axes.spines[side].set_visible(False)
    return _png(figure)


def trend_chart(points: Sequence[tuple[str, Decimal | None]], *, title: str) -> bytes:
    """The converted value over periods (gaps where a period has no index)."""
    figure = Figure(figsize=(6.3, 2.6))
    figure.subplots_adjust(left=0.1, right=0.98, top=0.88, bottom=0.2)
    axes = figure.add_subplot()
    positions = list(range(len(points)))
    values = [float(value) if value is not None else float("nan") for _label, value in points]
    axes.plot(positions, values, color=BAR, marker="o", linewidth=1.5)
    for position, (_label, value) in zip(positions, points, strict=True):
        if value is not None:
            axes.text(position, float(value) + 1.2, f"{value:.2f}".replace(".", ","), ha="center", fontsize=7)
    axes.set_xticks(positions, [_wrap(label, 14) for label, _value in points], fontsize=7)
    known = [value for value in values if value == value]
    low = min(known, default=25.0)
    axes.set_ylim(max(25.0, low - 10), 104)
    axes.set_ylabel(_("Nilai IKM"), fontsize=8)
    axes.tick_params(axis="y", labelsize=7)
    axes.set_title(title, fontsize=9, loc="left")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return _png(figure)


def grade_chart(counts: Sequence[tuple[str, int]], *, title: str) -> bytes:
    """How many units have each grade (units without data are counted in the table beside it, not
    drawn: their bar would dwarf the grades)."""
    figure = Figure(figsize=(4.8, 2.4))
    figure.subplots_adjust(left=0.03, right=0.97, top=0.86, bottom=0.2)
    axes = figure.add_subplot()
    labels = [label for label, _count in counts]
    values = [count for _label, count in counts]
    axes.bar(range(len(values)), values, color=BAR, width=0.6)
    top = max(values, default=0) or 1
    for position, value in enumerate(values):
        axes.text(position, value + top * 0.03, str(value), ha="center", fontsize=7.5)
    axes.set_ylim(0, top * 1.2)
    axes.set_xticks(range(len(labels)), [_wrap(label, 14) for label in labels], fontsize=7.5)
    axes.set_yticks([])
    axes.set_title(title, fontsize=9, loc="left")
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    return _png(figure)
