"""A small, complete world for attack tests: every kind of object a staff URL can name.

The kelurahan 24 Ilir (managed by the kecamatan admin) has responses, a kiosk, a frozen and
published period with a follow-up action; so does Sukarami (managed by `other_admin`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reports import services as report_services
from reports.exports import jobs as export_jobs
from reports.models import ExportJob, FollowUpAction
from surveys import selectors, services
from surveys.models import ImportJob, Kiosk, Period
from tests import builders

SCRIPT = '<script>alert("xss")</script>'
PAYLOADS = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "' onmouseover='alert(1)' x='",
    "javascript:alert(1)",
    "</textarea><iframe src=//evil.example></iframe>",
    "{{ 7*7 }} {% debug %}",
]
XSS_TEXT = " ".join(PAYLOADS)


@dataclass
class World:
    city: Any
    instrument: Any
    closed: Period
    open_period: Period
    kiosk: Kiosk
    other_kiosk: Kiosk
    action: FollowUpAction
    other_action: FollowUpAction
    slug: str
    job: Any = None
    other_job: Any = None
    response: Any = None
    other_response: Any = None
    proposal: Any = None
    import_job: Any = None
    other_import_job: Any = None
    service: Any = None
    other_service: Any = None

    def kiosk_path(self, kiosk: Kiosk) -> str:
        return f"/kios/{selectors.kiosk_signed_token(kiosk)}/"


def build_world(
    city: Any,
    instrument: Any,
    secretariat: Any,
    *,
    text: str = "Pelayanan baik",
    admins: tuple[Any, Any] | None = None,
) -> World:
    """`admins` (our unit's admin, the other unit's admin) each get a finished raw export job."""
    closed = builders.make_period("Semester I 2025", start=_date(2025, 1, 1), end=_date(2025, 6, 30))
    with_text = []
    for unit in (city.kelurahan, city.other_kelurahan, city.puskesmas):
        for scores in ([4] * 9, [3] * 9, [2, 3, 4, 3, 2, 3, 4, 3, 2]):
            builders.make_response(
                unit,
                scores,
                instrument=instrument,
                period=closed,
                age=33,
                sex="P",
                occupation="lainnya",
                occupation_other=text[:100],
            )
        response = builders.make_response(unit, [3] * 9, instrument=instrument, period=closed)
        with_text.append(response)
        response.suggestion = text
        response.service_other = text[:200]
        response.save(update_fields=["suggestion", "service_other"])
    report_services.period_close(period=closed, user=secretariat)
    publication = report_services.period_publish(period=closed, user=secretariat)
    actions = [
        report_services.followup_create(
            unit=unit,
            period=closed,
            user=secretariat,
            element_code="WAKTU",
            program=text[:300],
            responsible="Lurah",
            quarter=1,
            is_public=True,
        )
        for unit in (city.kelurahan, city.other_kelurahan)
    ]
    open_period = builders.make_period("Triwulan berjalan")
    units = (city.kelurahan, city.other_kelurahan)
    jobs = [_finished_job(admin, closed, unit) for admin, unit in zip(admins or (), units, strict=False)]
    imports = [
        ImportJob.objects.create(unit=unit, requested_by=admin, file_name="isian.xlsx", status="failed")
        for admin, unit in zip(admins or (), units, strict=False)
    ]
    return World(
        city=city,
        instrument=instrument,
        closed=closed,
        open_period=open_period,
        kiosk=services.kiosk_register(unit=city.kelurahan, label="Tablet 24 Ilir"),
        other_kiosk=services.kiosk_register(unit=city.other_kelurahan, label="Tablet Sukarami"),
        action=actions[0],
        other_action=actions[1],
        slug=publication.slug,
        job=jobs[0] if jobs else None,
        other_job=jobs[1] if jobs else None,
        response=with_text[0],
        other_response=with_text[1],
        proposal=services.exclusion_propose(response=with_text[2], user=secretariat, reason="Uji coba petugas"),
        import_job=imports[0] if imports else None,
        other_import_job=imports[1] if imports else None,
        service=city.service,
        other_service=builders.make_service(city.other_kelurahan, "Surat pengantar nikah"),
    )


def _finished_job(admin: Any, period: Period, unit: Any) -> Any:
    """A raw export made for `admin` (run at once, without the queue)."""
    job = ExportJob.objects.create(
        requested_by=admin, kind="raw", period=period, unit=unit, unit_ids=[unit.pk], file_format="csv"
    )
    return export_jobs.export_job_run(job=job)


def _date(year: int, month: int, day: int) -> Any:
    import datetime

    return datetime.date(year, month, day)
