"""`/petugas/tinjauan/`: the secretariat reviews what would move a unit's number.

Held responses (grouped by unit, period and reason: a burst is reviewed as one) are released into
the index or rejected; exclusion proposals from unit admins are confirmed or declined. Anyone but
the secretariat gets a 404. Each decision is its own POST.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from surveys import selectors, services
from surveys.access import secretariat_required
from surveys.models import ExclusionProposal, Period, Reason, Response, ServiceUnit


@secretariat_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "surveys/review/list.html",
        {"groups": selectors.held_groups(), "proposals": list(selectors.pending_proposals())},
    )


@secretariat_required
@require_POST
def review_held(request: HttpRequest) -> HttpResponseRedirect:
    """Release or reject one group of held responses (unit, period, reason): exactly the ones the
    page showed (ids up to the newest shown, as many as shown); what arrived since waits for the
    next look."""
    unit = ServiceUnit.objects.filter(code=request.POST.get("unit", "")).first()
    period = Period.objects.filter(pk=_number(request.POST.get("period"))).first()
    reason = request.POST.get("reason", "")
    newest, shown = _number(request.POST.get("upto")), _number(request.POST.get("shown"))
    if unit is None or period is None or reason not in Reason.values or not newest or not shown:
        messages.error(request, _("Kelompok tanggapan itu tidak dikenal; muat ulang halaman ini."))
        return redirect("review-list")
    held = Response.objects.held().filter(unit=unit, period=period, reason=reason, pk__lte=newest)
    note = request.POST.get("note", "")
    user = request.user
    try:
        if request.POST.get("decision") == "release":
            count = services.responses_release(responses=held, user=user, note=note, expected=shown)  # type: ignore[arg-type]
            messages.success(request, _("%(count)d tanggapan kini dihitung.") % {"count": count})
        else:
            count = services.responses_reject(responses=held, user=user, note=note, expected=shown)  # type: ignore[arg-type]
            messages.success(request, _("%(count)d tanggapan tidak dihitung.") % {"count": count})
    except services.ReviewRefused as refused:
        messages.error(request, str(refused))
    return redirect("review-list")


@secretariat_required
@require_POST
def review_proposal(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    """Confirm (the response stops counting) or decline (it keeps counting) one proposal."""
    proposal = get_object_or_404(ExclusionProposal, pk=pk)
    confirm = request.POST.get("decision") == "confirm"
    try:
        services.exclusion_decide(
            proposal=proposal,
            user=request.user,  # type: ignore[arg-type]
            confirm=confirm,
            note=request.POST.get("note", ""),
        )
    except services.ReviewRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Usulan disetujui.") if confirm else _("Usulan ditolak; tanggapan tetap dihitung."))
    return redirect("review-list")


def _number(value: str | None) -> int:
    """A positive whole number from a form field (ASCII digits only), or 0."""
    text = value or ""
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else 0
