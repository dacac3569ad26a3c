"""The report's editable texts and their Indonesian defaults, the legal basis, and the schedule.

Five texts can be edited per unit (or for the city) and period choice: latar belakang, pelaksana,
lokasi, jadwal and rekomendasi (`reports.models.ReportText`; written by
`reports.services.report_text_save`). An empty stored text means the default below. The
schedule is one line per activity, "Kegiatan | Waktu | Jumlah hari kerja"; its default follows
the report's periods (working days are Monday to Friday; public holidays are not known here).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from reports.laporan.suggestions import plain
from reports.models import ReportText
from reports.periods import PeriodChoice
from surveys.models import ServiceUnit

EDITABLE = ("background", "executor", "location", "schedule", "recommendation")


def section_names() -> dict[str, str]:
    """Each editable text's name, as the page and the audit log show it."""
    return {
        "background": _("Latar belakang"),
        "executor": _("Pelaksana"),
        "location": _("Lokasi"),
        "schedule": _("Jadwal"),
        "recommendation": _("Rekomendasi"),
    }


def legal_basis() -> list[str]:
    """Dasar hukum: the national regulations, then the city's own (REPORT_CITY_REGULATIONS)."""
    return [
        _("Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;"),
        _(
            "Peraturan Pemerintah Nomor 96 Tahun 2012 tentang Pelaksanaan Undang-Undang Nomor 25 Tahun 2009 "
            "tentang Pelayanan Publik;"
        ),
        _(
            "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 14 Tahun 2017 tentang "
            "Pedoman Penyusunan Survei Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik;"
        ),
        *(f"{regulation.rstrip(';.')};" for regulation in settings.REPORT_CITY_REGULATIONS),
    ]


def purpose() -> tuple[str, list[str]]:
    """Maksud dan tujuan: one sentence of intent and the aims (fixed text)."""
    intent = _(
        "Survei Kepuasan Masyarakat dimaksudkan untuk mengetahui tingkat kepuasan masyarakat sebagai penerima "
        "layanan terhadap kualitas pelayanan yang diberikan, sebagai bahan evaluasi dan perbaikan berkelanjutan."
    )
    aims = [
        _("mengetahui kelemahan dan kekuatan penyelenggaraan pelayanan publik;"),
        _("mengukur secara berkala kinerja penyelenggaraan pelayanan publik;"),
        _("menjadi bahan penetapan kebijakan yang perlu diambil dan upaya perbaikan yang perlu dilakukan;"),
        _("memberikan umpan balik kepada masyarakat atas hasil survei dan tindak lanjutnya."),
    ]
    return intent, aims


# --------------------------------------------------------------------------------------------
# The schedule
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleLine:
    activity: str
    when: str
    workdays: int | None


class ScheduleError(ValueError):
    """A schedule line that cannot be read; the message names the line, for the user."""


def working_days(start: datetime.date, end: datetime.date) -> int:
    """Monday-to-Friday days from `start` to `end`, both included (0 when end is before start)."""
    if end < start:
        return 0
    days = (end - start).days + 1
    weeks, rest = divmod(days, 7)
    extra = sum(1 for offset in range(rest) if (start + datetime.timedelta(days=weeks * 7 + offset)).weekday() < 5)
    return weeks * 5 + extra


def _span(start: datetime.date, end: datetime.date) -> str:
    return f"{date_format(start, 'j F Y')} \N{EN DASH} {date_format(end, 'j F Y')}"


def default_schedule(choice: PeriodChoice) -> list[ScheduleLine]:
    first = min(period.start for period in choice.periods)
    last = max(period.end for period in choice.periods)
    day = datetime.timedelta(days=1)
    steps = [
        (_("Persiapan"), first - 7 * day, first - day),
        (_("Pengumpulan data"), first, last),
        (_("Pengolahan dan analisis data"), last + day, last + 7 * day),
        (_("Penyusunan dan pelaporan hasil"), last + 8 * day, last + 14 * day),
    ]
    return [ScheduleLine(name, _span(start, end), working_days(start, end)) for name, start, end in steps]


def schedule_text(lines: Sequence[ScheduleLine]) -> str:
    return "\n".join(
        f"{line.activity} | {line.when} | {line.workdays if line.workdays is not None else ''}".rstrip()
        for line in lines
    )


def parse_schedule(text: str) -> list[ScheduleLine]:
    """Read "Kegiatan | Waktu | Jumlah hari kerja" lines; blank lines are skipped."""
    lines = []
    for number, raw in enumerate(plain(text).splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [part.strip() for part in raw.split("|")]
        if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
            raise ScheduleError(
                _('Baris %(number)d jadwal harus berbentuk "Kegiatan | Waktu | Jumlah hari kerja".')
                % {"number": number}
            )
        days = parts[2] if len(parts) == 3 else ""
        if days and (not days.isdigit() or int(days) > 366):
            raise ScheduleError(
                _("Baris %(number)d jadwal: jumlah hari kerja harus bilangan bulat 0-366.") % {"number": number}
            )
        lines.append(ScheduleLine(parts[0][:200], parts[1][:200], int(days) if days else None))
    if len(lines) > 20:
        raise ScheduleError(_("Jadwal berisi paling banyak 20 kegiatan."))
    return lines


# --------------------------------------------------------------------------------------------
# Defaults and the texts a report prints
# --------------------------------------------------------------------------------------------


def subject_name(unit: ServiceUnit | None) -> str:
    return unit.name if unit is not None else settings.CITY_NAME


def default_texts(*, unit: ServiceUnit | None, choice: PeriodChoice) -> dict[str, str]:
    """The default wording of the editable texts (rekomendasi: empty, made from the results)."""
    names = {"subject": subject_name(unit), "period": choice.label, "city": settings.CITY_NAME}
    background = "\n\n".join(
        [
            _(
                "Pelayanan publik adalah kegiatan pemenuhan kebutuhan pelayanan bagi setiap warga negara dan penduduk "
                "atas barang, jasa, dan/atau pelayanan administratif yang disediakan oleh penyelenggara pelayanan "
                "publik. Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik mewajibkan penyelenggara "
                "mengikutsertakan masyarakat, antara lain dengan menilai kinerja pelayanan secara berkala."
            ),
            _(
                "Peraturan Menteri PANRB Nomor 14 Tahun 2017 mewajibkan setiap unit penyelenggara pelayanan publik "
                "melakukan Survei Kepuasan Masyarakat (SKM) paling sedikit satu kali setahun, melaporkan hasilnya, "
                "mempublikasikannya, dan menindaklanjutinya."
            ),
            _(
                "Sehubungan dengan hal tersebut, %(subject)s melaksanakan Survei Kepuasan Masyarakat untuk periode "
                "%(period)s. Laporan ini menyajikan pelaksanaan, hasil, analisis, dan rencana tindak lanjutnya."
            )
            % names,
        ]
    )
    if unit is not None:
        executor = _(
            "Survei dilaksanakan secara mandiri oleh %(subject)s dengan aplikasi SKM %(city)s. Pengolahan data "
            "dilakukan oleh aplikasi sesuai Peraturan Menteri PANRB Nomor 14 Tahun 2017."
        )
        location = _(
            "Pengumpulan data dilakukan di lokasi pelayanan %(subject)s kepada penerima layanan, melalui kode QR, "
            "tautan survei, kios survei, dan kuesioner kertas yang diinput petugas."
        )
    else:
        executor = _(
            "Survei dilaksanakan oleh setiap unit penyelenggara pelayanan publik di lingkungan Pemerintah "
            "%(city)s dengan aplikasi SKM yang sama, dikoordinasikan oleh sekretariat."
        )
        location = _(
            "Pengumpulan data dilakukan di lokasi pelayanan setiap unit penyelenggara pelayanan publik di "
            "lingkungan Pemerintah %(city)s, melalui kode QR, tautan survei, kios survei, dan kuesioner kertas."
        )
    return {
        "background": background,
        "executor": executor % names,
        "location": location % names,
        "schedule": schedule_text(default_schedule(choice)),
        "recommendation": "",
    }


def stored_text(*, unit: ServiceUnit | None, scope: str) -> ReportText | None:
    """The texts stored for this unit (None: the city) and period choice (one query)."""
    return ReportText.objects.filter(unit=unit, scope=scope).first()


@dataclass(frozen=True)
class ReportTexts:
    background: str
    executor: str
    location: str
    schedule: list[ScheduleLine]
    recommendation: str  # empty: made from the results


def report_texts(*, unit: ServiceUnit | None, choice: PeriodChoice) -> ReportTexts:
    """The texts a report prints: the stored ones, the defaults where nothing is stored."""
    defaults = default_texts(unit=unit, choice=choice)
    stored = stored_text(unit=unit, scope=choice.value)
    chosen = {name: plain(getattr(stored, name, "") or "").strip() or defaults[name] for name in EDITABLE}
    try:
        schedule = parse_schedule(chosen["schedule"])
    except ScheduleError:
        schedule = default_schedule(choice)
    return ReportTexts(
        background=chosen["background"],
        executor=chosen["executor"],
        location=chosen["location"],
        schedule=schedule,
        recommendation=chosen["recommendation"],
    )
