"""The Laporan Hasil SKM against a baseline that writes the same tables with python-docx alone.

    python bench/run_laporan.py --database-url postgres://postgres@127.0.0.1:5432/bench_100k

On the bench data (`bench/generate.py`), in the latest closed period:
- the unit report of the unit with the most respondents, as .docx and as .pdf (LibreOffice);
- the city report (every unit, about 200), as .docx and as .pdf.
Targets: a unit report in ≤ 5 s, the city report in ≤ 30 s. The baseline writes the same tables
(every table of the report, the same rows and cells, text only: no reading, no charts, no
styles) into an A4 document with python-docx and saves it: the ratio shows what the report adds
to the cost of the tables themselves. Each measurement is the best of `--rounds` runs after one
warm-up (matplotlib's font cache, LibreOffice's profile).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import django_setup, record, table


def best_of(rounds: int, action: Callable[[], bytes]) -> tuple[float, int]:
    action()  # warm-up
    times, size = [], 0
    for _round in range(rounds):
        began = time.perf_counter()
        size = len(action())
        times.append(time.perf_counter() - began)
    return min(times), size


def baseline(document_bytes: bytes) -> Callable[[], bytes]:
    """Write the tables of a generated report again with python-docx alone (text only)."""
    from docx import Document
    from docx.shared import Cm

    source = Document(io.BytesIO(document_bytes))
    tables = [[[cell.text for cell in row.cells] for row in grid.rows] for grid in source.tables]

    def write() -> bytes:
        document = Document()
        section = document.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        for rows in tables:
            grid = document.add_table(rows=len(rows), cols=len(rows[0]))
            for row, values in zip(grid.rows, rows, strict=True):
                for cell, value in zip(row.cells, values, strict=True):
                    cell.text = value
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()

    return write


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_100k")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    django_setup(args.database_url)
    from django.db.models import Sum

    from reports.laporan.generate import choice_for, write_report
    from reports.models import SnapshotUnit
    from surveys.models import Period, PeriodState, ServiceUnit

    period = Period.objects.exclude(state=PeriodState.OPEN).order_by("-start").first()
    assert period is not None, "no closed period: run bench/generate.py first"
    busiest = SnapshotUnit.objects.filter(snapshot__period=period).order_by("-respondents").first()
    assert busiest is not None
    unit = ServiceUnit.objects.get(pk=busiest.unit_id)
    choice = choice_for(f"p-{period.pk}")
    assert choice is not None
    units = ServiceUnit.objects.count()
    respondents = SnapshotUnit.objects.filter(snapshot__period=period).aggregate(n=Sum("respondents"))["n"]

    jobs = [
        ("unit report .docx", 5.0, lambda: write_report(unit=unit, choice=choice, file_format="docx")),
        ("unit report .pdf", 5.0, lambda: write_report(unit=unit, choice=choice, file_format="pdf")),
        ("city report .docx", 30.0, lambda: write_report(unit=None, choice=choice, file_format="docx")),
        ("city report .pdf", 30.0, lambda: write_report(unit=None, choice=choice, file_format="pdf")),
    ]
    rows, checks = [], []
    for label, target, action in jobs:
        seconds, size = best_of(args.rounds, action)
        base_seconds, _size = best_of(args.rounds, baseline(action())) if label.endswith(".docx") else (0.0, 0)
        ratio = f"{seconds / base_seconds:.1f}x" if base_seconds else "-"
        rows.append(
            (
                label,
                f"{seconds:.2f} s",
                f"{base_seconds:.2f} s" if base_seconds else "-",
                ratio,
                f"{size / 1024:.0f} KB",
            )
        )
        checks.append((f"{label} ≤ {target:.0f} s", seconds <= target))
    body = (
        f"Data: {period.name} (closed; snapshot), {respondents:,} counted respondents in {units} units; "
        f"unit report: {unit.name} ({busiest.respondents:,} respondents). Best of {args.rounds} after a warm-up.\n\n"
        + table(["report", "time", "baseline (python-docx, same tables)", "ratio", "file"], rows)
        + "\n\n"
        + table(["target", "met"], [(name, "yes" if met else "**no**") for name, met in checks])
    )
    if args.no_record:
        print(body)
    else:
        record("Laporan Hasil SKM (issue 17)", body, database_url=args.database_url)


if __name__ == "__main__":
    main()
