"""Public results at /hasil/: no login, published periods only, read from the frozen snapshot.

Nothing here reads responses: citizens' free text cannot leak, and a page costs a fixed few
queries whatever the number of units.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from reports import charts, disclosure, display, indices, public_city, snapshots
from reports.dashboards import CityRow
from reports.forms import PublicFilterForm
from reports.models import PeriodPublication, Snapshot, SnapshotUnit
from surveys import naming
from surveys.models import Education, Sex
from surveys.params import whole_number

NOT_FILLED = ("-", gettext_lazy("Tidak diisi"))


def _publication_or_404(slug: str) -> PeriodPublication:
    publication = snapshots.publication_or_none(slug)
    if publication is None:
        raise Http404("period not published")
    return publication


def _snapshot_or_404(request: HttpRequest, publication: PeriodPublication) -> Snapshot:
    """The latest revision, or the one named by ?revisi=N (an earlier revision stays viewable)."""
    raw = request.GET.get("revisi", "")
    revision = whole_number(raw, max_digits=5)
    if raw and revision is None:
        raise Http404("bad revision")
    snapshot = snapshots.snapshot_revision(publication.period, revision)
    if snapshot is None:
        raise Http404("no such revision")
    return snapshot


@dataclass(frozen=True)
class PublicRow:
    """A unit's frozen row as the public sees it: demographic breakdowns protected (None: not
    shown, the unit has too few respondents) and its rank among units of its kind."""

    row: SnapshotUnit
    sex: disclosure.Breakdown | None
    education: disclosure.Breakdown | None
    rank: CityRow | None = None

    @property
    def breakdown_withheld(self) -> bool:
        return 0 < self.row.respondents < settings.PUBLIC_MIN_BREAKDOWN

    @property
    def below_minimum(self) -> bool:
        return self.row.adequate is False


def _protected(counts: list[tuple[str, int]], respondents: int) -> disclosure.Breakdown | None:
    return disclosure.protect(
        counts,
        respondents=respondents,
        min_cell=settings.PUBLIC_MIN_CELL,
        min_breakdown=settings.PUBLIC_MIN_BREAKDOWN,
    )


def _public_row(row: SnapshotUnit, rank: CityRow | None = None) -> PublicRow:
    return PublicRow(
        row=row,
        sex=_protected(display.labelled_counts(row.sex, [*Sex.choices, NOT_FILLED]), row.respondents),
        education=_protected(display.labelled_counts(row.education, [*Education.choices, NOT_FILLED]), row.respondents),
        rank=rank,
    )


def _city_chart(points: list[display.TrendPoint], rules: str | None) -> str:
    return charts.city_trend_chart(
        points,
        title=_("Tren Nilai IKM %(city)s per periode") % {"city": settings.CITY_NAME},
        rules=indices.get_rules(rules) if rules else None,
    )


@require_GET
def results_index(request: HttpRequest) -> HttpResponse:
    """Every published period, newest first, and the city's index across them."""
    trend = public_city.city_trend()
    return render(
        request,
        "reports/public/index.html",
        {
            "publications": list(snapshots.publications()),
            "city_trend": trend,
            "city_chart": _city_chart(trend, trend[-1].figures.result.rules if trend else None),
        },
    )


@require_GET
def results_period(request: HttpRequest, slug: str) -> HttpResponse:
    """Every unit's index in one published period, searchable and filterable."""
    publication = _publication_or_404(slug)
    snapshot = _snapshot_or_404(request, publication)
    form = PublicFilterForm(request.GET or None, kecamatan_choices=snapshots.kecamatan_choices())
    filters = form.filters()
    filtered = bool(filters.query or filters.kind or filters.kecamatan)
    every_row = naming.by_key(snapshots.snapshot_rows(snapshot), lambda row: row.unit.name)
    summary = public_city.city_summary(snapshot, every_row, period=publication.period)
    all_rows = (
        naming.by_key(snapshots.snapshot_rows(snapshot, filters), lambda row: row.unit.name) if filtered else every_row
    )
    rows = [_public_row(row, summary.ranks.get(row.unit_id)) for row in all_rows if row.respondents]
    without_data = [row.unit for row in all_rows if not row.respondents]
    trend = public_city.city_trend(selected=publication.period)
    return render(
        request,
        "reports/public/period.html",
        {
            "publication": publication,
            "period": publication.period,
            "snapshot": snapshot,
            "revisions": list(snapshots.revisions(publication.period)),
            "form": form,
            "rows": rows,
            "without_data": without_data,
            "filtered": filtered,
            "summary": summary,
            "city_trend": trend,
            "city_chart": _city_chart(trend, snapshot.rules),
            "min_cell": settings.PUBLIC_MIN_CELL,
            "min_breakdown": settings.PUBLIC_MIN_BREAKDOWN,
        },
    )


def _unit_row_or_404(snapshot: Snapshot, code: str) -> SnapshotUnit:
    row = SnapshotUnit.objects.select_related("unit", "unit__area").filter(snapshot=snapshot, unit__code=code).first()
    if row is None:
        raise Http404("unit not in this period")
    return row


def _unit_context(request: HttpRequest, slug: str, code: str) -> dict[str, Any]:
    publication = _publication_or_404(slug)
    snapshot = _snapshot_or_404(request, publication)
    row = _unit_row_or_404(snapshot, code)
    result = snapshots.row_result(row, snapshot)
    return {
        "publication": publication,
        "period": publication.period,
        "snapshot": snapshot,
        "unit": row.unit,
        "row": row,
        "line": _public_row(row),
        "result": display.result_line(result),
        "elements": display.element_lines(result) if result.has_data else [],
        "set_aside": display.set_aside_of(row.set_aside),
        "min_cell": settings.PUBLIC_MIN_CELL,
        "min_breakdown": settings.PUBLIC_MIN_BREAKDOWN,
    }


@require_GET
def results_unit(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """One unit in one published period: elements, trend, services and published follow-ups."""
    context = _unit_context(request, slug, code)
    history = snapshots.published_rows_for_unit(context["unit"])
    cumulative = snapshots.cumulative(history, up_to=context["period"])
    names = display.element_names(context["snapshot"].rules)
    points = snapshots.trend_points(history, selected=context["period"])
    valued = [point for point in points if point.figures.has_index]
    title = _("Tren nilai IKM %(unit)s per periode") % {"unit": context["unit"].name}
    context.update(
        {
            "trend": points,
            "chart": charts.trend_chart(valued, title=title, rules=indices.get_rules(context["snapshot"].rules))
            if len(valued) > 1
            else "",
            "cumulative": cumulative,
            "cumulative_line": display.result_line(cumulative.result) if cumulative else None,
            "revisions": list(snapshots.revisions(context["period"])),
            "actions": [
                (action, names.get(action.element_code, action.element_code))
                for action in snapshots.public_actions(context["unit"])
            ],
        }
    )
    return render(request, "reports/public/unit.html", context)


@require_GET
def results_poster(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The printable announcement: index, grade, services, respondents, breakdown, thank-you line."""
    return render(request, "reports/public/poster.html", _unit_context(request, slug, code))
