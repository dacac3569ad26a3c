"""Load demo data for Kota Palembang: registry, services, instrument, periods, accounts, responses.

Idempotent: a second run changes nothing. Demo accounts are refused when DEBUG is off.
"""

from __future__ import annotations

import csv
import datetime
import random
import uuid
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from surveys import services
from surveys.instrument_data import PERMENPAN_14_2017, PERMENPAN_14_2017_NAME, PERMENPAN_14_2017_RULES
from surveys.models import (
    Answer,
    Channel,
    Education,
    Instrument,
    InstrumentState,
    Occupation,
    Period,
    PeriodKind,
    Response,
    Service,
    ServiceUnit,
    Sex,
    StaffProfile,
    StaffRole,
    UnitPopulation,
)
from surveys.tallies import tallies_rebuild

DEMO_PASSWORD = "demo12345"  # noqa: S105 - published demo password, refused when DEBUG is off
DEMO_NAMESPACE = uuid.UUID("6f1c1b8e-5d0a-4a57-9a43-3f1f4c5e2b10")
KIND_ORDER = {"pemkot": 0, "opd": 1, "kecamatan": 2, "kelurahan": 3, "puskesmas": 4}
ADMIN_KECAMATAN_CODE = "16.71.04"  # Ilir Barat I and its six kelurahan
ADMIN_PUSKESMAS_CODE = "pkm-dempo"

SERVICES_BY_KIND = {
    "kelurahan": [
        "Surat pengantar KTP-el dan KK",
        "Surat keterangan domisili",
        "Surat keterangan tidak mampu",
        "Surat keterangan usaha",
        "Surat pengantar nikah",
    ],
    "kecamatan": [
        "Rekomendasi perekaman KTP-el",
        "Legalisasi dokumen",
        "Surat keterangan ahli waris",
        "Izin keramaian",
    ],
    "puskesmas": ["Poli umum", "Poli gigi", "KIA dan KB", "Imunisasi", "Laboratorium", "Farmasi"],
    "opd": ["Informasi dan pengaduan", "Layanan administrasi"],
}
SERVICES_BY_CODE = {
    "opd-disdukcapil": ["KTP-el", "Kartu Keluarga", "Akta kelahiran", "Akta kematian", "Surat pindah datang"],
    "opd-dpmptsp": ["Perizinan berusaha (OSS)", "Persetujuan bangunan gedung (PBG)", "Izin reklame"],
    "opd-rsud-bari": ["Rawat jalan", "Instalasi gawat darurat", "Rawat inap", "Laboratorium"],
    "opd-rsud-gandus": ["Rawat jalan", "Instalasi gawat darurat", "Rawat inap"],
    "opd-bapenda": ["PBB-P2", "BPHTB", "Pajak hotel dan restoran"],
    "opd-dinsos": ["Pendataan DTKS", "Rekomendasi bantuan sosial"],
    "opd-dishub": ["Uji KIR kendaraan", "Izin trayek"],
    "opd-disnaker": ["Kartu pencari kerja (AK/I)", "Pelatihan kerja"],
    "opd-dispusip": ["Peminjaman buku", "Kartu anggota perpustakaan"],
}
SUGGESTIONS = [
    "Antrean terlalu lama, mohon ditambah petugas loket.",
    "Pelayanan sudah baik, petugas ramah. Terima kasih.",
    "Ruang tunggu panas, kipas angin banyak yang rusak.",
    "Mohon persyaratan diumumkan jelas di papan informasi.",
    "Petugas cepat dan sopan, pertahankan.",
    "Toilet kurang bersih, tolong diperhatikan.",
    "Jam buka loket tidak tepat waktu.",
    "Parkir sempit, susah cari tempat.",
    "Sebaiknya ada layanan antrean online supaya tidak menunggu lama.",
    "Informasi biaya kurang jelas, ada yang bilang gratis ada yang bilang bayar.",
    "Kotak saran tidak pernah dibuka sepertinya.",
    "Pelayanan memuaskan, prosesnya cepat.",
    "Tolong sediakan kursi roda untuk lansia.",
    "Petugas kurang menjelaskan prosedur, saya harus bolak-balik.",
    "Mohon disediakan air minum di ruang tunggu.",
    "Dokter ramah dan sabar menjelaskan.",
    "Obat sering kosong di farmasi.",
    "Sistem sering offline sehingga berkas tertunda.",
    "Semoga pelayanan terus ditingkatkan.",
    "Papan nomor antrean tidak berfungsi.",
]
AGE_RANGE = (17, 75)


class Command(BaseCommand):
    help = "Load the Kota Palembang demo data (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--responses", type=int, default=3600, help="demo responses to generate")
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, default=None, help="pretend today is this date (YYYY-MM-DD)"
        )

    def handle(self, *args: Any, responses: int, today: datetime.date | None, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo creates demo accounts with a known password; run it only with DEBUG=1.")
        today = today or datetime.datetime.now(ZoneInfo(settings.TIME_ZONE)).date()
        with transaction.atomic():
            changed = services.units_import(rows=registry_rows())
            add_services()
            instrument = add_instrument()
            periods = add_periods(today)
            add_accounts()
        created = add_responses(instrument, periods, today, total=responses)
        self.stdout.write(
            f"Demo data ready: {ServiceUnit.objects.count()} units ({changed} changed), "
            f"{Period.objects.count()} periods, {Response.objects.count()} responses ({created} new)."
        )
        self.stdout.write(
            f"Demo logins (password {DEMO_PASSWORD}): sekretariat, admin-kecamatan (Ilir Barat I), "
            "admin-puskesmas (Puskesmas Dempo)."
        )
        if apps.is_installed("reports"):  # by command name: surveys never imports reports
            call_command("publish_demo", today=today, stdout=self.stdout)


def registry_rows() -> list[services.UnitRow]:
    text = resources.files("surveys").joinpath("data/palembang-units.csv").read_text(encoding="utf-8")
    rows = [
        services.UnitRow(code=row["code"], name=row["name"], kind=row["kind"], parent_code=row["parent_code"])
        for row in csv.DictReader(text.splitlines())
    ]
    return sorted(rows, key=lambda row: KIND_ORDER.get(row.kind, 9))


def add_services() -> None:
    existing = set(Service.objects.values_list("unit_id", "name"))
    new = []
    for unit in ServiceUnit.objects.exclude(kind="pemkot"):
        names = SERVICES_BY_CODE.get(unit.code) or SERVICES_BY_KIND.get(unit.kind, [])
        new += [
            Service(unit=unit, name=name, order=order)
            for order, name in enumerate(names)
            if (unit.pk, name) not in existing
        ]
    Service.objects.bulk_create(new)


def add_instrument() -> Instrument:
    instrument = Instrument.objects.filter(name=PERMENPAN_14_2017_NAME, version=1).first()
    if instrument is None:
        instrument = services.instrument_create(
            name=PERMENPAN_14_2017_NAME, rules=PERMENPAN_14_2017_RULES, elements=PERMENPAN_14_2017
        )
    if instrument.state == InstrumentState.DRAFT:
        services.instrument_publish(instrument=instrument)
    return instrument


def add_periods(today: datetime.date) -> list[Period]:
    """Triwulan periods for the last two years and the current one, created open through the
    period service; `publish_demo` then closes (and publishes) the past ones."""
    periods = []
    for year in (today.year - 2, today.year - 1, today.year):
        for quarter in range(1, 5):
            name, start, _end = services.period_bounds(kind=PeriodKind.TRIWULAN, year=year, number=quarter)
            if start > today:
                continue
            existing = Period.objects.filter(name=name).first()
            periods.append(existing or services.period_create(kind=PeriodKind.TRIWULAN, year=year, number=quarter))
    return periods


def add_accounts() -> None:
    accounts = [
        ("sekretariat", "Analis Sekretariat", StaffRole.SECRETARIAT, []),
        ("admin-kecamatan", "Admin Kecamatan Ilir Barat I", StaffRole.UNIT_ADMIN, [ADMIN_KECAMATAN_CODE]),
        ("admin-puskesmas", "Admin Puskesmas Dempo", StaffRole.UNIT_ADMIN, [ADMIN_PUSKESMAS_CODE]),
    ]
    user_model = get_user_model()
    for username, full_name, role, unit_codes in accounts:
        user, created = user_model.objects.get_or_create(username=username, defaults={"first_name": full_name})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        profile, _ = StaffProfile.objects.get_or_create(user=user, defaults={"role": role})
        profile.units.set(ServiceUnit.objects.filter(code__in=unit_codes))


def demo_units() -> list[tuple[ServiceUnit, int]]:
    """Units that collect responses in the demo, with a weight for how busy each is."""
    busy = {"opd-disdukcapil": 8, "opd-dpmptsp": 5, "opd-rsud-bari": 6, ADMIN_PUSKESMAS_CODE: 5}
    units = ServiceUnit.objects.filter(is_active=True).exclude(kind="pemkot").select_related("area")
    chosen = []
    for unit in units.order_by("code"):
        in_admin_area = ADMIN_KECAMATAN_CODE in {unit.code, unit.area.code if unit.area else ""}
        if unit.code in busy:
            chosen.append((unit, busy[unit.code]))
        elif in_admin_area or unit.kind == "puskesmas" or unit.code in SERVICES_BY_CODE:
            chosen.append((unit, 2))
        elif unit.kind in {"kecamatan", "opd"} or sum(map(ord, unit.code)) % 4 == 0:
            chosen.append((unit, 1))
    return chosen


def add_responses(instrument: Instrument, periods: list[Period], today: datetime.date, *, total: int) -> int:
    """A deterministic, realistic spread of responses over the last five triwulan."""
    rng = random.Random(20171)
    elements = list(instrument.elements.order_by("order"))
    recent = sorted(periods, key=lambda period: period.start)[-5:]
    units = demo_units()
    weight_sum = sum(weight for _unit, weight in units)
    services_by_unit: dict[int, list[Service]] = {}
    for service in Service.objects.filter(unit__in=[unit for unit, _weight in units]):
        services_by_unit.setdefault(service.unit_id, []).append(service)
    existing_keys = set(Response.objects.values_list("submission_key", flat=True))
    zone = ZoneInfo(settings.TIME_ZONE)
    new_responses: list[Response] = []
    new_scores: list[list[int]] = []
    number = 0
    for unit, weight in units:
        quality = 2.55 + (sum(map(ord, unit.code)) % 23) / 20  # 2.55 .. 3.65, stable per unit
        offsets = [rng.uniform(-0.45, 0.3) for _ in elements]
        for period_number, period in enumerate(recent):
            drift = 0.05 * period_number
            count = max(1, round(total * weight / weight_sum / len(recent)))
            last_day = min(period.end, today)
            span_days = (last_day - period.start).days
            for _ in range(count):
                number += 1
                key = uuid.uuid5(DEMO_NAMESPACE, f"demo-{number}")
                scores = [min(4, max(1, round(rng.gauss(quality + drift + offset, 0.62)))) for offset in offsets]
                day = period.start + datetime.timedelta(days=rng.randint(0, span_days))
                moment = datetime.datetime.combine(day, datetime.time(rng.randint(8, 15), rng.randint(0, 59)), zone)
                unit_services = services_by_unit.get(unit.pk, [])
                occupation = rng.choice(Occupation.values)
                response = Response(
                    submission_key=key,
                    unit=unit,
                    instrument=instrument,
                    period=period,
                    service=rng.choice(unit_services) if unit_services else None,
                    submitted_at=moment,
                    channel=rng.choice([Channel.QR, Channel.QR, Channel.WEB, Channel.PAPER]),
                    age=rng.randint(*AGE_RANGE),
                    sex=rng.choice(Sex.values),
                    education=rng.choice(Education.values[1:]),
                    occupation=occupation,
                    occupation_other="Ibu rumah tangga" if occupation == Occupation.OTHER else "",
                    suggestion=rng.choice(SUGGESTIONS) if rng.random() < 0.35 else "",
                    score_sum=sum(scores),
                    answered=len(scores),
                )
                if key not in existing_keys:
                    new_responses.append(response)
                    new_scores.append(scores)
    with transaction.atomic():
        created = Response.objects.bulk_create(new_responses, batch_size=500)
        Answer.objects.bulk_create(
            (
                Answer(response=response, element=element, score=score)
                for response, scores in zip(created, new_scores, strict=True)
                for element, score in zip(elements, scores, strict=True)
            ),
            batch_size=2000,
        )
        add_populations([unit for unit, _weight in units], recent)
        if created:
            tallies_rebuild()
    return len(created)


def add_populations(units: list[ServiceUnit], periods: list[Period]) -> None:
    existing = set(UnitPopulation.objects.values_list("unit_id", "period_id"))
    UnitPopulation.objects.bulk_create(
        UnitPopulation(unit=unit, period=period, population=200 + (sum(map(ord, unit.code)) * 37) % 4800)
        for unit in units
        for period in periods
        if (unit.pk, period.pk) not in existing
    )
