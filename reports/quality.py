"""Data-quality signals per unit and period, for the secretariat: where the numbers may have been
pushed. Signals flag a unit for review; they never exclude anything by themselves.

For each unit, over its stored responses (test data aside) in the chosen periods:

- **bursts**: responses held because too many came at once (from one address, one kiosk, or to the
  unit far above its usual rate, or from forms opened in bulk);
- **straight-lining**: every element given the same score, far more often than in the rest of
  the city (at least twice the other units' share and 20 points above it: a unit that gives most
  of the city's responses is not compared with itself);
- **one source**: more than half of the responses sent from one place (one address tag) or, for a
  kiosk, more in its busiest hour than one tablet can take from people one after another;
- **outside service hours**: more than a third of the online responses sent outside the service
  hours and days (`SURVEY_SERVICE_HOURS`, `SURVEY_SERVICE_DAYS`).

Share signals need at least `MIN_RESPONSES` responses. Four aggregate queries, whatever the
number of units (docs/skm-rules.md, "Data quality").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncHour
from django.utils import timezone
from django.utils.translation import gettext as _

from reports import display
from surveys.models import Channel, Period, Reason, Response, ResponseState, ServiceUnit

MIN_RESPONSES = 10
UNIFORM_FACTOR, UNIFORM_MARGIN = 2, Fraction(1, 5)
ONE_SOURCE_SHARE = Fraction(1, 2)
KIOSK_HOURLY = 15  # a tablet taking people one after another manages about one every four minutes
OUTSIDE_HOURS_SHARE = Fraction(1, 3)
BURST_REASONS = (Reason.ADDRESS, Reason.KIOSK, Reason.UNIT, Reason.TICKETS)
ONLINE = (Channel.WEB, Channel.QR, Channel.KIOSK)


@dataclass
class UnitSignals:
    unit: ServiceUnit
    responses: int = 0
    held_in_bursts: int = 0
    uniform: int = 0
    online: int = 0
    outside_hours: int = 0
    top_source: int = 0
    kiosk_peak: int = 0
    signals: list[str] = field(default_factory=list)

    def share(self, part: int, whole: int | None = None) -> Fraction | None:
        total = self.responses if whole is None else whole
        return Fraction(part, total) if total else None


@dataclass(frozen=True)
class QualityReport:
    units: list[UnitSignals]  # the units whose signals stand out, most signals first
    city_uniform_share: Fraction | None
    checked_units: int


def _outside_hours() -> Q:
    start, end = settings.SURVEY_SERVICE_HOURS
    first_day, last_day = settings.SURVEY_SERVICE_DAYS
    return Q(hour__lt=start) | Q(hour__gte=end) | Q(weekday__lt=first_day) | Q(weekday__gt=last_day)


def _per_unit(responses: QuerySet[Response]) -> dict[int, dict[str, int]]:
    """Query 1: per unit, the counts every signal needs."""
    zone = timezone.get_current_timezone()
    rows = (
        responses.annotate(
            hour=ExtractHour("submitted_at", tzinfo=zone), weekday=ExtractIsoWeekDay("submitted_at", tzinfo=zone)
        )
        .order_by()
        .values("unit_id")
        .annotate(
            responses=Count("id"),
            held_in_bursts=Count("id", filter=Q(state=ResponseState.HELD, reason__in=BURST_REASONS)),
            uniform=Count("id", filter=Q(uniform=True)),
            online=Count("id", filter=Q(channel__in=ONLINE)),
            outside_hours=Count("id", filter=Q(channel__in=ONLINE) & _outside_hours()),
        )
    )
    names = ("responses", "held_in_bursts", "uniform", "online", "outside_hours")
    return {row["unit_id"]: {name: int(row[name]) for name in names} for row in rows}  # type: ignore[literal-required]


def _peak(rows: Iterable[tuple[int, int]]) -> dict[int, int]:
    peaks: dict[int, int] = defaultdict(int)
    for unit_id, count in rows:
        peaks[unit_id] = max(peaks[unit_id], count)
    return dict(peaks)


def quality_report(*, periods: Sequence[Period], units: QuerySet[ServiceUnit]) -> QualityReport:
    """The units whose signals stand out in `periods`, among `units` (four aggregate queries)."""
    responses = Response.objects.filter(period__in=periods, unit__in=units, is_test=False)
    counts = _per_unit(responses)
    top_source = _peak(
        responses.exclude(source_tag="")
        .exclude(channel=Channel.KIOSK)
        .order_by()
        .values_list("unit_id", "source_tag")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    zone = timezone.get_current_timezone()
    kiosk_peak = _peak(
        responses.filter(kiosk__isnull=False)
        .annotate(hour=TruncHour("submitted_at", tzinfo=zone))
        .order_by()
        .values_list("unit_id", "kiosk_id", "hour")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    by_unit = ServiceUnit.objects.in_bulk(counts)
    total = sum(row["responses"] for row in counts.values())
    total_uniform = sum(row["uniform"] for row in counts.values())
    city_uniform = Fraction(total_uniform, total) if total else None
    report = []
    for unit_id, row in counts.items():
        line = UnitSignals(
            unit=by_unit[unit_id],
            responses=row["responses"],
            held_in_bursts=row["held_in_bursts"],
            uniform=row["uniform"],
            online=row["online"],
            outside_hours=row["outside_hours"],
            top_source=top_source.get(unit_id, 0),
            kiosk_peak=kiosk_peak.get(unit_id, 0),
        )
        others = total - line.responses
        rest_uniform = Fraction(total_uniform - line.uniform, others) if others else None
        line.signals = _signals(line, rest_uniform)
        if line.signals:
            report.append(line)
    report.sort(key=lambda line: (-len(line.signals), -line.responses, line.unit.name))
    return QualityReport(units=report, city_uniform_share=city_uniform, checked_units=len(counts))


def _signals(line: UnitSignals, rest_uniform: Fraction | None) -> list[str]:
    """The signals that stand out for one unit; `rest_uniform` is the straight-lined share of the
    other units' responses (None when no other unit has any)."""
    found = []
    if line.held_in_bursts:
        found.append(_("%(count)d tanggapan ditahan karena datang berbondong-bondong") % {"count": line.held_in_bursts})
    enough = line.responses >= MIN_RESPONSES
    uniform = line.share(line.uniform)
    if (
        enough
        and uniform is not None
        and rest_uniform is not None
        and uniform >= max(UNIFORM_FACTOR * rest_uniform, rest_uniform + UNIFORM_MARGIN)
    ):
        found.append(
            _("%(share)s%% memberi nilai yang sama untuk semua unsur (unit lain di kota: %(city)s%%)")
            % {"share": display.percent(uniform), "city": display.percent(rest_uniform)}
        )
    source = line.share(line.top_source)
    if enough and source is not None and source > ONE_SOURCE_SHARE:
        found.append(_("%(share)s%% tanggapan dikirim dari satu tempat") % {"share": display.percent(source)})
    if line.kiosk_peak >= KIOSK_HOURLY:
        found.append(_("%(count)d tanggapan dari satu kios dalam satu jam") % {"count": line.kiosk_peak})
    outside = line.share(line.outside_hours, line.online)
    if line.online >= MIN_RESPONSES and outside is not None and outside > OUTSIDE_HOURS_SHARE:
        found.append(
            _("%(share)s%% tanggapan daring dikirim di luar jam layanan") % {"share": display.percent(outside)}
        )
    return found
