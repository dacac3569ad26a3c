"""A unit with a closed period: services, channels, profiles, a population, suggestions and a
follow-up plan; helpers to read a generated .docx."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from typing import Any

import pytest
from docx import Document
from docx.document import Document as DocumentObject

from reports import services as report_services
from reports.periods import PeriodChoice, all_periods, resolve_period_choice
from surveys import services
from tests import builders

SCORES = (
    [4, 3, 3, 4, 3, 3, 4, 3, 3],
    [3, 3, 2, 4, 3, 4, 4, 3, 2],
    [4, 4, 3, 4, 4, 4, 4, 4, 3],
    [2, 3, 3, 4, 2, 3, 3, 3, 3],
    [3, 2, 2, 4, 3, 3, 4, 2, 3],
)


@dataclass
class Scene:
    city: Any
    instrument: Any
    period: Any
    unit: Any
    services: tuple[Any, Any]


def choice_of(value: str) -> PeriodChoice:
    choice = resolve_period_choice(value, all_periods(), today=datetime.date(2025, 12, 1))
    assert choice is not None
    return choice


@pytest.fixture
def scene(city: Any, instrument: Any, secretariat: Any) -> Scene:
    period = builders.make_period("Semester I 2025", start=datetime.date(2025, 1, 1), end=datetime.date(2025, 6, 30))
    unit = city.kelurahan
    first, second = city.service, builders.make_service(unit, "Surat pengantar nikah")
    channels = ("qr", "web", "kiosk", "paper", "qr")
    for number, scores in enumerate(SCORES):
        response = builders.make_response(
            unit,
            scores,
            instrument=instrument,
            period=period,
            service=first if number % 2 == 0 else second,
            channel=channels[number],
            age=22 + number * 9,
            sex="LP"[number % 2],
            education="SMA",
            occupation="swasta" if number else "PNS",
        )
        if number == 1:
            response.suggestion = "Antreannya lama sekali, mohon ditambah petugas. Hubungi 0812-3456-7890."
            response.save(update_fields=["suggestion"])
    services.unit_population_set(unit=unit, period=period, population=60)
    report_services.period_close(period=period, user=secretariat)
    report_services.followup_create(
        unit=unit,
        period=period,
        user=secretariat,
        element_code="WAKTU",
        program="Menambah loket pada jam sibuk",
        responsible="Sekretaris Lurah",
        quarter=1,
    )
    return Scene(city, instrument, period, unit, (first, second))


def open_docx(data: bytes) -> DocumentObject:
    return Document(io.BytesIO(data))


def headings(document: DocumentObject) -> list[str]:
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")]


def tables_with(document: DocumentObject, *header: str) -> list[list[list[str]]]:
    """The rows (header first) of every table whose header row starts with `header`."""
    found = []
    for table in document.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if rows and rows[0][: len(header)] == list(header):
            found.append(rows)
    return found


def table_with(document: DocumentObject, *header: str) -> list[list[str]]:
    """The rows (header first) of the first table whose header row starts with `header`."""
    found = tables_with(document, *header)
    if not found:
        raise AssertionError(f"no table with header {header}")
    return found[0]


def all_text(document: DocumentObject) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        parts.extend(p.text for p in section.header.paragraphs)
    return "\n".join(parts)


def comma(value: object) -> str:
    """A dashboard's rounded number as the Indonesian page shows it (88.31 → 88,31)."""
    return str(value).replace(".", ",")
