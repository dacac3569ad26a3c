"""One entry point for the Laporan Hasil SKM: the command, the background job and the tests call
`write_report`, which reads the content, writes the .docx and, for a PDF, converts that .docx."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.text import slugify

from reports.laporan import docx_kit
from reports.laporan.city_data import city_report
from reports.laporan.city_document import city_document
from reports.laporan.pdf import docx_to_pdf
from reports.laporan.unit_data import unit_report
from reports.laporan.unit_document import unit_document
from reports.periods import PeriodChoice, all_periods, resolve_period_choice
from surveys.models import ServiceUnit

FORMATS = ("docx", "pdf")
#: Progress steps: content read, document written, file saved (and for a PDF: converted).
STEPS = 4

Progress = Callable[[int, int], None]


def choice_for(value: str) -> PeriodChoice | None:
    """The period choice a value names ("p-12", "sd-12", "th-2026"; `reports.periods`). Two
    queries at most; None when it names nothing."""
    if not value:
        return None
    return resolve_period_choice(value, all_periods(), today=timezone.localdate())


def file_stem(unit: ServiceUnit | None, choice: PeriodChoice) -> str:
    """e.g. laporan-skm-16-71-04-1001-triwulan-i-2026 (the city: laporan-skm-kota-tahun-2026)."""
    who = slugify(unit.code.replace(".", "-")) if unit is not None else "kota"
    return "-".join(["laporan-skm", who, slugify(choice.label) or "periode"])


def write_report(
    *,
    unit: ServiceUnit | None,
    choice: PeriodChoice,
    file_format: str,
    units: QuerySet[ServiceUnit] | None = None,
    language: str = "id",
    today: datetime.date | None = None,
    on_step: Progress | None = None,
) -> bytes:
    """The report of `unit` (None: the city over `units`) for `choice`, as .docx or .pdf bytes.
    Raises `reports.selectors.MixedRuleSets` as the dashboards do, `pdf.ConversionFailed` when
    LibreOffice cannot make the PDF."""
    if file_format not in FORMATS:
        raise ValueError(f"unknown report format {file_format!r}")
    step = on_step or (lambda _done, _total: None)
    total = STEPS if file_format == "pdf" else STEPS - 1
    day = today or timezone.localdate()
    with translation.override(language):
        if unit is not None:
            content = unit_report(unit=unit, choice=choice, language=language)
            step(1, total)
            document = unit_document(content, today=day)
        else:
            content_city = city_report(
                units=units if units is not None else ServiceUnit.objects.all(), choice=choice, language=language
            )
            step(1, total)
            document = city_document(content_city, today=day)
        step(2, total)
        data = docx_kit.save(document)
        step(3, total)
    if file_format == "pdf":
        data = docx_to_pdf(data)
        step(4, total)
    return data
