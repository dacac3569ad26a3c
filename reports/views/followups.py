"""Follow-up plans (rencana tindak lanjut) under /petugas/unit/<code>/rtl/.

A unit admin sees only units in their scope (404 otherwise, through `surveys.access`). For a
closed or published period the page proposes the three lowest elements of the frozen result;
the admin records actions and chooses which ones the public unit page shows.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports import display, followup_progress, indices, priorities, services, snapshots
from reports.forms import FollowUpForm
from reports.models import FollowUpAction, FollowUpStatus, SnapshotUnit
from surveys import access
from surveys.models import Period, PeriodState, ServiceUnit


def _frozen_period_or_404(pk: int) -> Period:
    period = Period.objects.exclude(state=PeriodState.OPEN).filter(pk=pk, snapshots__isnull=False).distinct().first()
    if period is None:
        raise Http404("period not closed")
    return period


@login_required
def followup_periods(request: HttpRequest, code: str) -> HttpResponse:
    """The unit's closed periods, each with its number of actions and how many are done."""
    unit = access.unit_for_user_or_404(request.user, code)
    periods = (
        Period.objects.exclude(state=PeriodState.OPEN)
        .filter(snapshots__isnull=False)
        .distinct()
        .annotate(
            actions=Count("followups", filter=Q(followups__unit=unit), distinct=True),
            done=Count(
                "followups", filter=Q(followups__unit=unit, followups__status=FollowUpStatus.DONE), distinct=True
            ),
        )
        .order_by("-start")
    )
    lines = [(period, followup_progress.Share(period.done, period.actions)) for period in periods]  # type: ignore[attr-defined]
    return render(request, "reports/followups/periods.html", {"unit": unit, "lines": lines})


def _plan_context(unit: ServiceUnit, period: Period, form: FollowUpForm) -> dict[str, Any]:
    snapshot = snapshots.latest_snapshot(period)
    assert snapshot is not None
    row = SnapshotUnit.objects.filter(snapshot=snapshot, unit=unit).first()
    result = snapshots.row_result(row, snapshot) if row is not None else None
    names = display.element_names(snapshot.rules)
    lowest = priorities.lowest_elements(result) if result is not None else []
    order = {code: position for position, code in enumerate(indices.get_rules(snapshot.rules).codes)}
    actions = sorted(
        FollowUpAction.objects.filter(unit=unit, period=period),
        key=lambda action: (order.get(action.element_code, len(order)), action.pk),
    )
    following, improvements = followup_progress.unit_improvements(
        unit, period, result, {action.element_code for action in actions}
    )
    return {
        "unit": unit,
        "period": period,
        "snapshot": snapshot,
        "next_period": following,
        "result": display.result_line(result) if result is not None else None,
        "priorities": [
            (
                names.get(element.code, element.code),
                display.nik(element.nik),
                element.grade,
            )
            for element in lowest
        ],
        "actions": [
            (action, names.get(action.element_code, action.element_code), improvements[action.element_code])
            for action in actions
        ],
        "share": followup_progress.done_share(action.status for action in actions),
        "form": form,
    }


def _form(request: HttpRequest, snapshot_rules: str, period: Period, **kwargs: Any) -> FollowUpForm:
    return FollowUpForm(
        request.POST if request.method == "POST" else None,
        rules=snapshot_rules,
        next_year=period.end.year + 1,
        **kwargs,
    )


@login_required
def followup_plan(request: HttpRequest, code: str, period_pk: int) -> HttpResponse:
    """The proposed priorities, the recorded actions, and a form to add one."""
    unit = access.unit_for_user_or_404(request.user, code)
    period = _frozen_period_or_404(period_pk)
    snapshot = snapshots.latest_snapshot(period)
    assert snapshot is not None
    form = _form(request, snapshot.rules, period)
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_create(unit=unit, period=period, user=request.user, **form.action_values())
        except services.FollowUpError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Tindak lanjut disimpan."))
            return redirect("followup-plan", code=unit.code, period_pk=period.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/followups/plan.html", _plan_context(unit, period, form), status=status)


def _action_or_404(request: HttpRequest, code: str, pk: int) -> FollowUpAction:
    unit = access.unit_for_user_or_404(request.user, code)
    action = FollowUpAction.objects.select_related("unit", "period").filter(pk=pk, unit=unit).first()
    if action is None:
        raise Http404("action not found")
    return action


@login_required
def followup_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Change an action's content, status, realisation note, or whether it is public."""
    action = _action_or_404(request, code, pk)
    snapshot = snapshots.latest_snapshot(action.period)
    rules = snapshot.rules if snapshot else indices.DEFAULT_RULES
    form = _form(request, rules, action.period, initial=FollowUpForm.initial_for(action))
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_update(action=action, actor=request.user, **form.action_values())
        except services.FollowUpError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Tindak lanjut diperbarui."))
            return redirect("followup-plan", code=action.unit.code, period_pk=action.period_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/followups/edit.html", {"action": action, "form": form}, status=status)


@require_POST
@login_required
def followup_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    action = _action_or_404(request, code, pk)
    services.followup_delete(action=action, actor=request.user)
    messages.success(request, _("Tindak lanjut dihapus."))
    return redirect("followup-plan", code=action.unit.code, period_pk=action.period_id)
