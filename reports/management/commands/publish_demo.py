"""Close the past demo periods, publish those with responses, add a few follow-up actions
(idempotent).

Run by `seed_demo`, which creates every period open; closing goes through the period service
(which freezes a snapshot), so a newcomer sees a populated `/hasil/` page, a revision history and
follow-ups with a "did it improve" comparison.
"""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from reports import priorities, services, snapshots
from reports.models import FollowUpAction, FollowUpStatus, Snapshot, SnapshotUnit
from surveys.models import Period, PeriodState, Response, ServiceUnit

DEMO_UNITS = ("16.71.04", "pkm-dempo", "opd-disdukcapil")
DEMO_PROGRAMS = {
    "PERSYARATAN": "Memasang papan persyaratan layanan di ruang tunggu dan di situs web",
    "PROSEDUR": "Menyusun alur layanan bergambar dan menempelkannya di loket",
    "WAKTU": "Menambah satu petugas loket pada jam sibuk (08.00-11.00)",
    "BIAYA": "Mengumumkan tarif resmi dan layanan gratis di papan informasi",
    "PRODUK": "Memeriksa ulang hasil layanan sebelum diserahkan kepada pemohon",
    "KOMPETENSI": "Pelatihan pelayanan prima bagi petugas garda depan",
    "PERILAKU": "Evaluasi bulanan keramahan petugas dan penghargaan petugas teladan",
    "SARANA": "Memperbaiki kipas angin dan kursi ruang tunggu",
    "PENGADUAN": "Membuka kanal pengaduan WhatsApp dan membalas dalam 3 hari kerja",
}
DEMO_STATUSES = (FollowUpStatus.DONE, FollowUpStatus.IN_PROGRESS, FollowUpStatus.PLANNED)


class Command(BaseCommand):
    help = "Close and publish past demo periods and add sample follow-up actions (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args: Any, today: datetime.date | None = None, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("publish_demo is for demo data; run it only with DEBUG=1.")
        today = today or datetime.datetime.now(ZoneInfo(settings.TIME_ZONE)).date()
        user = get_user_model().objects.filter(username="sekretariat").first()
        published = []
        for period in Period.objects.filter(end__lt=today).order_by("start"):
            if period.state == PeriodState.OPEN:
                services.period_close(period=period, user=user)
            if not Response.objects.filter(period=period).exists():
                continue
            if period.state == PeriodState.CLOSED:
                services.period_publish(period=period, user=user)
            published.append(period)
        if published and Snapshot.objects.filter(period=published[0]).count() == 1:
            services.snapshot_recompute(
                period=published[0], user=user, reason="Contoh revisi: formulir kertas susulan diperiksa ulang"
            )
        added = sum(add_followups(period, user) for period in published[-2:])
        self.stdout.write(f"Published {len(published)} demo periods; {added} follow-up actions added.")


def add_followups(period: Period, user: Any) -> int:
    """Three actions for the three lowest elements of a few demo units, unless they have a plan."""
    snapshot = snapshots.latest_snapshot(period)
    assert snapshot is not None
    added = 0
    for unit in ServiceUnit.objects.filter(code__in=DEMO_UNITS):
        if FollowUpAction.objects.filter(unit=unit, period=period).exists():
            continue
        row = SnapshotUnit.objects.filter(snapshot=snapshot, unit=unit, respondents__gt=0).first()
        if row is None:
            continue
        lowest = priorities.lowest_elements(snapshots.row_result(row, snapshot))
        for number, (element, status) in enumerate(zip(lowest, DEMO_STATUSES, strict=False), start=1):
            services.followup_create(
                unit=unit,
                period=period,
                user=user,
                element_code=element.code,
                program=DEMO_PROGRAMS.get(element.code, "Perbaikan layanan"),
                responsible="Kepala seksi pelayanan" if number != 2 else "Sekretaris unit",
                quarter=number,
                status=status,
                realisation="Sudah dilaksanakan; dipantau setiap bulan." if status == FollowUpStatus.DONE else "",
                is_public=number != 3,
            )
            added += 1
    return added
