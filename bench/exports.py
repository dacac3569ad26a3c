"""Export timings on a copy of the demo database: `python bench/exports.py N`.

Adds N synthetic responses to one unit in the open period (once), then times the unit workbook,
the city recap and the raw export (XLSX and CSV), and prints the process's peak memory.
Run it on a scratch copy: DATABASE_URL=sqlite:////tmp/bench.sqlite3 DEBUG=1 python bench/exports.py 20000
"""

from __future__ import annotations

import functools
import io
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "survey_site.settings")

import django

django.setup()

from django.utils import timezone  # noqa: E402

from reports.exports.raw import write_raw  # noqa: E402
from reports.exports.recap import city_recap  # noqa: E402
from reports.exports.workbooks import UnitScope, unit_workbook  # noqa: E402
from surveys.models import Answer, Instrument, Period, Response, ServiceUnit  # noqa: E402


def timed(label: str, action: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    result = action()
    print(f"{label}: {time.perf_counter() - start:.2f} s")
    return result


def main(count: int) -> None:
    unit = ServiceUnit.objects.get(code="opd-disdukcapil")
    period = Period.objects.filter(state="open").order_by("-start").first()
    assert period is not None
    instrument = Instrument.objects.filter(state="published", unit__isnull=True).get()
    elements = list(instrument.elements.order_by("order"))
    if Response.objects.filter(unit=unit, period=period).count() < count:
        generator = random.Random(1)
        now = timezone.now()
        made = []
        for number in range(count):
            scores = [generator.choice([2, 3, 3, 4, 4]) for _ in elements]
            suggestion = "=cmd|' /C calc'!A0" if number % 50 == 0 else ("Antrean lama" if number % 7 == 0 else "")
            response = Response(
                unit=unit, instrument=instrument, period=period, submitted_at=now, age=20 + number % 50,
                sex="LP"[number % 2], education="SMA", occupation="swasta", suggestion=suggestion,
                score_sum=sum(scores), answered=len(scores),
            )  # fmt: skip
            made.append((response, scores))
        timed(f"generate {count}", lambda: Response.objects.bulk_create([r for r, _ in made], batch_size=2000))
        Answer.objects.bulk_create(
            (Answer(response=r, element=e, score=s) for r, sc in made for e, s in zip(elements, sc, strict=True)),
            batch_size=5000,
        )
    total = Response.objects.filter(unit=unit, period=period).count()
    workbook = timed(f"unit workbook, build ({total} responses)", lambda: unit_workbook(UnitScope(unit, period))[0])
    timed("unit workbook, save", lambda: workbook.save(io.BytesIO()))
    unit_ids = list(ServiceUnit.objects.values_list("pk", flat=True))
    timed(
        f"city recap ({len(unit_ids)} units)",
        lambda: city_recap(period=period, unit_ids=unit_ids)[0].save(io.BytesIO()),
    )
    folder = tempfile.mkdtemp(prefix="skm-bench-")
    for file_format in ("xlsx", "csv"):
        with open(os.path.join(folder, f"raw.{file_format}"), "wb") as out:
            rows = timed(
                f"raw {file_format}",
                functools.partial(write_raw, period=period, unit_ids=unit_ids, out=out, file_format=file_format),
            )
        print(f"  {rows} rows in {out.name}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
