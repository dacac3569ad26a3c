"""The report's texts: defaults, the schedule's lines and working days, the legal basis."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from reports.laporan.texts import ScheduleError, legal_basis, parse_schedule, working_days


def test_working_days_count_monday_to_friday() -> None:
    assert working_days(datetime.date(2025, 1, 1), datetime.date(2025, 6, 30)) == 129
    assert working_days(datetime.date(2026, 11, 28), datetime.date(2026, 11, 29)) == 0  # a weekend
    assert working_days(datetime.date(2026, 11, 30), datetime.date(2026, 11, 29)) == 0


def test_a_schedule_is_one_activity_per_line() -> None:
    lines = parse_schedule("Persiapan | 1-5 Januari | 5\n\nPengumpulan data | Januari-Juni\n")
    assert [(line.activity, line.when, line.workdays) for line in lines] == [
        ("Persiapan", "1-5 Januari", 5),
        ("Pengumpulan data", "Januari-Juni", None),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Persiapan", "Baris 1 jadwal harus berbentuk"),
        ("A | B | C | D", "Baris 1 jadwal harus berbentuk"),
        ("A | B | lima", "Baris 1 jadwal: jumlah hari kerja"),
        ("A | B | 5\n | B | 3", "Baris 2 jadwal harus berbentuk"),
    ],
)
def test_an_unreadable_schedule_line_is_named(text: str, message: str) -> None:
    with pytest.raises(ScheduleError, match=message):
        parse_schedule(text)


def test_the_legal_basis_ends_with_the_citys_own_regulation(settings: Any) -> None:
    settings.REPORT_CITY_REGULATIONS = ["Peraturan Wali Kota Palembang Nomor 1 Tahun 2026 tentang SKM"]
    basis = legal_basis()
    assert basis[0].startswith("Undang-Undang Nomor 25 Tahun 2009")
    assert "Nomor 14 Tahun 2017" in basis[2]
    assert basis[-1] == "Peraturan Wali Kota Palembang Nomor 1 Tahun 2026 tentang SKM;"
