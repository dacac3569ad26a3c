"""Paper questionnaires: a fast keyboard-only entry screen and the Excel bulk import."""

from __future__ import annotations

import io
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods

from surveys import access, import_jobs, imports, services
from surveys.forms_paper import PaperForm
from surveys.models import (
    Channel,
    ImportJob,
    Instrument,
    InstrumentState,
    Period,
    PeriodState,
    Response,
    ResponseState,
    ServiceUnit,
)

PAPER_HELD_MESSAGE = gettext_noop(
    "Kuesioner tersimpan, tetapi ditahan untuk ditinjau sekretariat: formulir kertas unit ini hari ini sudah "
    "melewati batas harian. Kuesioner ini baru dihitung setelah sekretariat menyetujuinya; jumlahnya tampil di "
    "dasbor unit."
)
IMPORT_HELD_MESSAGE = gettext_noop(
    "Semua kuesioner dari berkas ini tersimpan, tetapi ditahan untuk ditinjau sekretariat: berkasnya besar, atau "
    "formulir kertas unit ini hari ini (diketik dan diimpor) melewati batas harian. Kuesioner ini baru dihitung "
    "setelah sekretariat menyetujuinya; jumlahnya tampil di dasbor unit."
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _instrument_for(unit: ServiceUnit) -> Instrument:
    """The published questionnaire a unit uses: its own, else the city-wide one."""
    published = Instrument.objects.filter(state=InstrumentState.PUBLISHED)
    instrument = published.filter(unit=unit).first() or published.filter(unit__isnull=True).first()
    if instrument is None:
        raise Http404("no published instrument")
    return instrument


@login_required
@require_http_methods(["GET", "POST"])
def paper_entry(request: HttpRequest, code: str) -> HttpResponse:
    """One paper questionnaire per screen; saving brings a fresh form with the same date."""
    unit = access.unit_for_user_or_404(request.user, code)
    instrument = _instrument_for(unit)
    initial = {"submitted_on": request.GET.get("tanggal") or timezone.localdate().isoformat()}
    form = PaperForm(request.POST or None, unit=unit, instrument=instrument, initial=initial)
    if request.method == "POST" and form.is_valid():
        assert form.resolved_period is not None
        submission = form.submission(
            key=form.key_or_new(),
            unit=unit,
            instrument=instrument,
            period=form.resolved_period,
            channel=Channel.PAPER,
            submitted_at=imports.paper_timestamp(form.cleaned_data["submitted_on"]),
        )
        try:
            result = services.paper_entry_submit(submission=submission, actor=request.user)
        except services.SubmissionInvalid as refused:  # the period was published meanwhile
            form.add_error("submitted_on", str(refused))
            return render(request, "surveys/paper_entry.html", {"unit": unit, "form": form, "entered": 0}, status=400)
        if result.created and result.response.state == ResponseState.HELD:
            messages.warning(request, _(PAPER_HELD_MESSAGE))
        elif result.created and form.resolved_period.state == PeriodState.CLOSED:
            messages.success(
                request,
                _(
                    "Kuesioner tersimpan dalam periode %(period)s yang sudah ditutup. Hasil beku belum berubah: "
                    "kuesioner ini dihitung saat sekretariat menghitung ulang periode itu (revisi baru)."
                )
                % {"period": form.resolved_period.name},
            )
        elif result.created:
            messages.success(request, _("Kuesioner tersimpan. Silakan isi kuesioner berikutnya."))
        else:
            messages.info(request, _("Kuesioner ini sudah tersimpan sebelumnya; tidak disimpan dua kali."))
        query = urlencode({"tanggal": form.cleaned_data["submitted_on"].isoformat()})
        return redirect(f"{reverse('paper-entry', args=[unit.code])}?{query}")
    if request.method == "GET":
        form.initial["key"] = uuid.uuid4()
    entered = Response.objects.filter(unit=unit, channel=Channel.PAPER).count()
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/paper_entry.html", {"unit": unit, "form": form, "entered": entered}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def paper_import(request: HttpRequest, code: str) -> HttpResponse:
    """Download a template, upload it filled: all rows valid or nothing imported."""
    unit = access.unit_for_user_or_404(request.user, code)
    periods = Period.objects.accepting_paper().order_by("-start")
    jobs = ImportJob.objects.filter(unit=unit, requested_by_id=request.user.pk)[:5]
    context: dict[str, object] = {"unit": unit, "periods": periods, "jobs": jobs}
    if request.method == "POST":
        upload = request.FILES.get("berkas")
        if upload is None:
            context["errors"] = [imports.RowError(0, "", _("Pilih berkas templat yang sudah diisi."))]
            return render(request, "surveys/paper_import.html", context, status=400)
        if upload.size is not None and upload.size > imports.MAX_BYTES:
            context["errors"] = [imports.RowError(0, "", _("Berkas terlalu besar (paling besar 5 MB)."))]
            return render(request, "surveys/paper_import.html", context, status=400)
        parsed = import_jobs.paper_upload_check(
            requested_by=request.user,  # type: ignore[arg-type]
            unit=unit,
            content=upload.read(imports.MAX_BYTES + 1),
            file_name=upload.name or "",
        )
        if isinstance(parsed, ImportJob):  # many rows: checked and imported by the background worker
            return redirect("paper-import-job", code=unit.code, job_id=parsed.pk)
        if parsed.errors:
            context["errors"] = parsed.errors
            return render(request, "surveys/paper_import.html", context, status=400)
        try:
            result = services.responses_import(
                submissions=parsed.submissions, actor=request.user, unit=unit, file_name=upload.name or ""
            )
        except services.SubmissionInvalid as refused:  # the period was published meanwhile
            context["errors"] = [imports.RowError(0, "", str(refused))]
            return render(request, "surveys/paper_import.html", context, status=400)
        messages.success(
            request,
            _("%(created)s kuesioner diimpor; %(skipped)s sudah ada sebelumnya dan tidak diimpor lagi.")
            % {"created": result.created, "skipped": result.already_there},
        )
        if result.held and result.created:
            messages.warning(request, _(IMPORT_HELD_MESSAGE))
        return redirect("paper-import", code=unit.code)
    return render(request, "surveys/paper_import.html", context)


@login_required
@require_GET
def paper_import_job(request: HttpRequest, code: str, job_id: str) -> HttpResponse:
    """A background import's progress and outcome; the page reloads itself until it is finished."""
    unit = access.unit_for_user_or_404(request.user, code)
    job = get_object_or_404(ImportJob, pk=job_id, unit=unit, requested_by_id=request.user.pk)
    held = bool(job.created) and job.held
    return render(
        request,
        "surveys/paper_import_job.html",
        {"unit": unit, "job": job, "held_message": _(IMPORT_HELD_MESSAGE) if held else ""},
    )


@login_required
@require_GET
def paper_import_template(request: HttpRequest, code: str, period_id: int) -> HttpResponse:
    unit = access.unit_for_user_or_404(request.user, code)
    period = get_object_or_404(Period.objects.accepting_paper(), pk=period_id)
    workbook = imports.build_template(unit=unit, period=period, instrument=_instrument_for(unit))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = f"templat-impor-{unit.code.replace('.', '-')}-{period.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
