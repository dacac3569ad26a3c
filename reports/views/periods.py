"""Secretariat pages under /petugas/periode/: create, close, reopen, publish, recompute periods.

Anyone but the secretariat gets a 404 (anonymous visitors go to the login page first).
Each action is its own POST-only URL.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports import followup_progress, services, snapshots
from reports.forms import PeriodCreateForm, RecomputeForm
from surveys import naming
from surveys import selectors as surveys_selectors
from surveys.access import secretariat_required
from surveys.models import Period
from surveys.params import whole_number


@secretariat_required
def period_list(request: HttpRequest) -> HttpResponse:
    """All periods with their state and latest revision, and a form to create one."""
    form = PeriodCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.period_create(**form.cleaned_data, actor=request.user)
        except services.PeriodError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Periode %(name)s dibuat dan dibuka.") % {"name": period.name})
            return redirect("period-detail", pk=period.pk)
    periods = Period.objects.annotate(revisions=Count("snapshots")).select_related("publication").order_by("-start")
    return render(request, "reports/periods/list.html", {"form": form, "periods": periods})


@secretariat_required
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(Period.objects.select_related("publication"), pk=pk)
    revisions = list(snapshots.revisions(period))
    late = surveys_selectors.late_paper_forms(period, since=revisions[0].created_at) if revisions else 0
    return render(
        request,
        "reports/periods/detail.html",
        {
            "period": period,
            "publication": getattr(period, "publication", None),
            "revisions": revisions,
            "recompute_form": RecomputeForm(),
            "still_running": period.end >= timezone.localdate(),
            "late_paper_forms": late,
        },
    )


def _act(request: HttpRequest, pk: int, action: Callable[[Period], str]) -> HttpResponseRedirect:
    period = get_object_or_404(Period, pk=pk)
    try:
        messages.success(request, action(period))
    except services.PeriodError as error:
        messages.error(request, str(error))
    return redirect("period-detail", pk=period.pk)


@require_POST
@secretariat_required
def period_close(request: HttpRequest, pk: int) -> HttpResponse:
    def close(period: Period) -> str:
        if period.end >= timezone.localdate() and request.POST.get("confirm") != "yes":
            raise services.PeriodError(
                _("Periode ini belum berakhir. Centang konfirmasi bila survei memang dihentikan lebih awal.")
            )
        snapshot = services.period_close(period=period, user=request.user)
        return _("Periode ditutup; hasil dibekukan sebagai revisi %(revision)d.") % {"revision": snapshot.revision}

    return _act(request, pk, close)


@require_POST
@secretariat_required
def period_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    def reopen(period: Period) -> str:
        services.period_reopen(period=period, actor=request.user)
        return _("Periode dibuka kembali.")

    return _act(request, pk, reopen)


@require_POST
@secretariat_required
def period_publish(request: HttpRequest, pk: int) -> HttpResponse:
    def publish(period: Period) -> str:
        services.period_publish(period=period, user=request.user)
        return _("Hasil periode dipublikasikan di halaman hasil publik.")

    return _act(request, pk, publish)


@require_POST
@secretariat_required
def period_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(Period.objects.select_related("publication"), pk=pk)
    form = RecomputeForm(request.POST)
    if form.is_valid():
        try:
            snapshot = services.snapshot_recompute(period=period, user=request.user, reason=form.cleaned_data["reason"])
        except services.PeriodError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(request, _("Revisi %(revision)d disimpan.") % {"revision": snapshot.revision})
            return redirect("period-detail", pk=period.pk)
    return render(
        request,
        "reports/periods/detail.html",
        {
            "period": period,
            "publication": getattr(period, "publication", None),
            "revisions": list(snapshots.revisions(period)),
            "recompute_form": form,
        },
        status=400,
    )


@secretariat_required
def period_followups(request: HttpRequest, pk: int) -> HttpResponse:
    """Per unit: is there a plan, the share of actions done, and did the targets improve next period."""
    period = get_object_or_404(Period, pk=pk)
    overview = followup_progress.followup_overview(period)
    return render(request, "reports/periods/followups.html", {"period": period, "overview": overview})


@secretariat_required
def period_results(request: HttpRequest, pk: int) -> HttpResponse:
    """The frozen results of any revision, for checking before (and after) publication."""
    period = get_object_or_404(Period, pk=pk)
    raw = request.GET.get("revisi", "")
    revision = whole_number(raw, max_digits=5)
    snapshot = snapshots.snapshot_revision(period, revision)
    if snapshot is None or (raw and revision is None):
        raise Http404("no such revision")
    rows = naming.by_key(
        (row for row in snapshots.snapshot_rows(snapshot) if row.respondents), lambda row: row.unit.name
    )
    return render(request, "reports/periods/results.html", {"period": period, "snapshot": snapshot, "rows": rows})
