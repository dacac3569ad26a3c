"""Exports at scale: unit workbook, city recap and the raw export, against XlsxWriter.

    python bench/run_exports.py --database-url postgres://postgres@127.0.0.1:5432/bench_1m \
        --raw-database-url postgres://postgres@127.0.0.1:5432/bench_1m_one_period

Each job runs in its own Python process, so its peak memory (ru_maxrss) is its own:
- unit workbook: the unit and period whose respondent count is nearest 10,000 (target ≤ 3 s);
- city recap: every unit in the latest closed period (target ≤ 5 s);
- raw export of one period holding --raw-database-url's responses (1M with
  `generate.py --one-period`): the app's streamed XLSX writer (reports.exports) against the
  baseline, XlsxWriter in constant-memory mode writing the same cells from the same row generator
  (target: peak ≤ 300 MB, speed ≥ 0.5x the baseline). Both include reading the database.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import django_setup, record, table

JOBS = ("workbook", "recap", "raw-app", "raw-xlsxwriter")


def job(name: str, database_url: str, folder: str) -> dict[str, object]:
    """Run one export in this process; returns what it measured."""
    django_setup(database_url)
    from django.db.models import Sum

    from reports.exports import raw, recap, workbooks
    from reports.exports.render import cell_value
    from surveys.models import Period, PeriodState, RespondentTally, ServiceUnit

    began = time.perf_counter()
    if name == "workbook":
        rows = list(RespondentTally.objects.values("unit_id", "period_id").annotate(n=Sum("respondents")))
        target = min(rows, key=lambda row: abs(row["n"] - 10_000))
        unit = ServiceUnit.objects.get(pk=target["unit_id"])
        period = Period.objects.get(pk=target["period_id"])
        began = time.perf_counter()
        workbook, facts = workbooks.unit_workbook(workbooks.UnitScope(unit, period))
        path = os.path.join(folder, "unit.xlsx")
        workbook.save(path)
        detail = f"{unit.code}, {period.name}, {facts.result.respondents:,} respondents"
    elif name == "recap":
        period = Period.objects.filter(state__in=[PeriodState.CLOSED, PeriodState.PUBLISHED]).order_by("-start").first()
        assert period is not None
        unit_ids = list(ServiceUnit.objects.values_list("pk", flat=True))
        began = time.perf_counter()
        workbook, _facts = recap.city_recap(period=period, unit_ids=unit_ids)
        path = os.path.join(folder, "recap.xlsx")
        workbook.save(path)
        detail = f"{len(unit_ids)} units, {period.name}"
    else:
        period = Period.objects.filter(state=PeriodState.OPEN).order_by("-start").first()
        assert period is not None
        unit_ids = list(ServiceUnit.objects.values_list("pk", flat=True))
        path = os.path.join(folder, f"{name}.xlsx")
        began = time.perf_counter()
        if name == "raw-app":
            with open(path, "wb") as out:
                written = raw.write_raw(period=period, unit_ids=unit_ids, out=out, file_format="xlsx")
        else:
            import xlsxwriter

            spec = raw.raw_sheet(period=period, unit_ids=unit_ids)
            book = xlsxwriter.Workbook(path, {"constant_memory": True, "remove_timezone": True})
            sheet = book.add_worksheet(spec.title[:31])
            date_format = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
            sheet.write_row(0, 0, [cell_value(value) for value in spec.header])
            written = 0
            for written, row in enumerate(spec.rows, start=1):
                for column, value in enumerate(row):
                    stored = cell_value(value)
                    if isinstance(stored, str):
                        sheet.write_string(written, column, stored)
                    elif hasattr(stored, "year"):
                        sheet.write_datetime(written, column, stored, date_format)
                    elif stored is not None:
                        sheet.write_number(written, column, float(stored))  # type: ignore[arg-type]
            book.close()
        detail = f"{written:,} responses, {period.name}"
    seconds = time.perf_counter() - began
    return {
        "job": name,
        "seconds": seconds,
        "detail": detail,
        "bytes": os.path.getsize(path),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_job(name: str, database_url: str, folder: str) -> dict[str, object]:
    output = subprocess.run(
        [sys.executable, __file__, "--job", name, "--database-url", database_url, "--folder", folder],
        capture_output=True,
        text=True,
        check=False,
    )
    if output.returncode != 0:
        raise SystemExit(f"export job {name} failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description="Export timings and peak memory against XlsxWriter.")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_1m")
    parser.add_argument("--raw-database-url", default="postgres://postgres@127.0.0.1:5432/bench_1m_one_period")
    parser.add_argument("--job", choices=JOBS, help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--skip-raw", action="store_true")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    if args.job:
        print(json.dumps(job(args.job, args.database_url, args.folder)))
        return
    with tempfile.TemporaryDirectory(prefix="skm-bench-") as folder:
        results = [run_job("workbook", args.database_url, folder), run_job("recap", args.database_url, folder)]
        if not args.skip_raw:
            results += [run_job(name, args.raw_database_url, folder) for name in ("raw-xlsxwriter", "raw-app")]
    by_job = {str(result["job"]): result for result in results}
    rows = [
        (
            result["job"],
            result["detail"],
            f"{float(result['seconds']):.2f} s",  # type: ignore[arg-type]
            f"{float(result['peak_mb']):.0f} MB",  # type: ignore[arg-type]
            f"{int(result['bytes']) / 1024 / 1024:.1f} MB",  # type: ignore[call-overload]
        )
        for result in results
    ]
    checks = [
        ("unit workbook ≤ 3 s", float(by_job["workbook"]["seconds"]) <= 3),  # type: ignore[arg-type]
        ("city recap ≤ 5 s", float(by_job["recap"]["seconds"]) <= 5),  # type: ignore[arg-type]
    ]
    if "raw-app" in by_job:
        app, base = by_job["raw-app"], by_job["raw-xlsxwriter"]
        speed = float(base["seconds"]) / float(app["seconds"])  # type: ignore[arg-type]
        checks += [
            ("raw export peak ≤ 300 MB", float(app["peak_mb"]) <= 300),  # type: ignore[arg-type]
            (f"raw export ≥ 0.5x XlsxWriter's speed (measured {speed:.2f}x)", speed >= 0.5),
        ]
    body = (
        "Each job in its own process (peak = that process's max RSS, Python and Django included); "
        "file written to a temporary folder.\n\n"
        + table(["export", "what", "time", "peak memory", "file"], rows)
        + "\n\n"
        + table(["target", "met"], [(label, "yes" if met else "**no**") for label, met in checks])
    )
    if args.no_record:
        print(body)
    else:
        record("Exports", body, database_url=args.database_url)


if __name__ == "__main__":
    main()
