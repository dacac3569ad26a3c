"""What happens to a citizen's submission on its way in: the rules, out of the views.

- `ticket_for` issues the ticket a rendered form carries and counts it against its source (one
  address, or one kiosk), so no client holds hundreds of live forms: a form opened beyond
  `SURVEY_TICKETS_PER_HOUR` is still shown, but what it brings is held for review.
- `period_for` decides the period a submission joins: today's open period, or the period a form
  was shown in when the secretariat closed it while the citizen was answering (within
  `SURVEY_LATE_GRACE_SECONDS`): a citizen's answers are never lost to a closing.
- `limits_for` lists the counters a submission is taken against: hard ceilings that refuse (per
  address and browser, per address, per kiosk) and burst limits that hold it for review (per
  address or kiosk to one unit in a short window and in an hour, per address to one unit in a
  day; the unit far above its usual rate). The hold windows slide (`surveys.ratelimit`).
- `queued_limits` and `queued_burst` do the same for a kiosk's queued form (`surveys.kiosk_queue`),
  which arrives after it was filled: the allowances count its arrival, the bursts its fill time.
- `verdict` says whether a stored submission counts, is held for review, or is excluded: a filled
  hidden field (a machine) is excluded; a form sent faster than a person can fill it, a form
  opened beyond the ticket allowance, and a burst are held. Nothing a citizen was thanked for is
  thrown away: held responses wait for the secretariat (`services.responses_release`).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone

from surveys import lookup_cache, ratelimit, selectors
from surveys.models import Kiosk, Period, Reason, Response, ResponseState, ServiceUnit
from surveys.ratelimit import Limit
from surveys.tickets import Ticket, ticket_new

HOUR = 3600
DAY = 24 * HOUR
USUAL_RATE_DAYS = 28
USUAL_RATE_TTL_SECONDS = 600


def _source(request: HttpRequest, kiosk: Kiosk | None) -> str:
    return f"kiosk:{kiosk.pk}" if kiosk is not None else f"address:{ratelimit.address_bucket(request)}"


def ticket_for(
    request: HttpRequest,
    *,
    unit: ServiceUnit,
    kiosk: Kiosk | None,
    channel: str,
    period: Period,
    renew: Ticket | None = None,
) -> Ticket:
    """A ticket for a form about to be shown (or `renew`ed for a citizen whose ticket expired),
    counted against its source's allowance of open forms."""
    allowance = Limit(
        bucket=f"tickets:{_source(request, kiosk)}",
        allowed=settings.SURVEY_TICKETS_PER_HOUR,
        window_seconds=HOUR,
        hold_reason=Reason.TICKETS,
    )
    over = bool(ratelimit.take([allowance]))
    if renew is not None:
        return renew.renewed(over=over or renew.over)
    ticket = ticket_new(unit_code=unit.code, kiosk_id=kiosk.pk if kiosk else None, channel=channel, period_id=period.pk)
    return replace(ticket, over=True) if over else ticket


def period_for(ticket: Ticket | None, *, today: datetime.date) -> Period | None:
    """The open period of today; else, for a form shown while a period was open and sent after the
    secretariat closed it, that period (within the late grace). A late response leaves the frozen
    snapshot as it is; a recompute shows it in a new revision."""
    period = selectors.survey_open_period(today)
    if period is not None or ticket is None or ticket.period_id is None:
        return period
    if ticket.elapsed() > settings.SURVEY_LATE_GRACE_SECONDS:
        return None
    return Period.objects.filter(pk=ticket.period_id).first()


def usual_hourly_rate(unit: ServiceUnit) -> Fraction:
    """How many counted responses the unit usually receives per service hour, over the last four
    weeks (cached in each process for ten minutes)."""

    def load() -> Fraction:
        since = timezone.now() - datetime.timedelta(days=USUAL_RATE_DAYS)
        received = Response.objects.for_unit(unit).countable().filter(submitted_at__gte=since).count()
        first_day, last_day = settings.SURVEY_SERVICE_DAYS
        start, end = settings.SURVEY_SERVICE_HOURS
        service_hours = Fraction(USUAL_RATE_DAYS * (last_day - first_day + 1), 7) * max(1, end - start)
        return Fraction(received) / service_hours

    return lookup_cache.cached(("usual-rate", unit.pk), load, ttl=USUAL_RATE_TTL_SECONDS)


def unit_hourly_allowance(unit: ServiceUnit) -> int:
    """Submissions a unit may receive in an hour before the rest are held: a multiple of its usual
    rate, never below the floor (a new or quiet unit may still have a busy morning)."""
    usual = usual_hourly_rate(unit) * settings.SURVEY_HOLD_UNIT_FACTOR
    return max(settings.SURVEY_HOLD_UNIT_FLOOR, int(usual) + 1)


def limits_for(request: HttpRequest, *, unit: ServiceUnit, kiosk: Kiosk | None) -> list[Limit]:
    """The counters one submission is taken against (see the module's docstring)."""
    source = _source(request, kiosk)
    burst_reason = Reason.KIOSK if kiosk is not None else Reason.ADDRESS
    return [
        *ceilings_for(request, kiosk=kiosk),
        Limit(
            bucket=f"burst:{source}:{unit.pk}",
            allowed=settings.SURVEY_HOLD_BURST,
            window_seconds=settings.SURVEY_HOLD_BURST_SECONDS,
            hold_reason=burst_reason,
        ),
        Limit(
            bucket=f"hourly:{source}:{unit.pk}",
            allowed=settings.SURVEY_HOLD_HOURLY,
            window_seconds=HOUR,
            hold_reason=burst_reason,
        ),
        *daily_limits(source, unit=unit, kiosk=kiosk),
        # The floor first: a unit's usual rate is read (and cached) only once an hour's count passes it.
        Limit(
            bucket=f"unit:{unit.pk}",
            allowed=settings.SURVEY_HOLD_UNIT_FLOOR,
            window_seconds=HOUR,
            hold_reason=Reason.UNIT,
        ),
    ]


def daily_limits(source: str, *, unit: ServiceUnit, kiosk: Kiosk | None) -> list[Limit]:
    """An address's day to one unit: a slow flood that stays under the burst and hourly holds
    (ten forms every ten minutes, all day) has all but `SURVEY_HOLD_DAILY` of them held. A
    kiosk stands at the unit's own counter and is held by its bursts and hours only."""
    if kiosk is not None:
        return []
    return [
        Limit(
            bucket=f"daily:{source}:{unit.pk}",
            allowed=settings.SURVEY_HOLD_DAILY,
            window_seconds=DAY,
            hold_reason=Reason.ADDRESS,
        )
    ]


def ceilings_for(request: HttpRequest, *, kiosk: Kiosk | None) -> list[Limit]:
    """The hard ceilings: over one, a submission is refused and nothing is stored."""
    return [ratelimit.limit_for(request, kiosk), *ratelimit.address_limits(request, kiosk)]


def queued_limits(request: HttpRequest, *, unit: ServiceUnit, kiosk: Kiosk) -> list[Limit]:
    """What a kiosk's queued form is counted against as it arrives: the kiosk's ceiling, and its
    hourly allowance, so a queue of back-dated forms adds no more counted forms an hour than the
    kiosk online could (the rest are held for review)."""
    return [
        *ceilings_for(request, kiosk=kiosk),
        Limit(
            bucket=f"arrivals:kiosk:{kiosk.pk}:{unit.pk}",
            allowed=settings.SURVEY_HOLD_HOURLY,
            window_seconds=HOUR,
            hold_reason=Reason.KIOSK,
        ),
    ]


def queued_burst(*, unit: ServiceUnit, kiosk: Kiosk, filled: datetime.datetime) -> str:
    """The reason to hold a kiosk's queued form as part of a burst at the counter, or "": the
    kiosk's forms stored in the burst window and the hour before its fill time, and the unit's in
    that hour, counted in the database (the cache's windows of that time may be long gone, and a
    queue may arrive in several parts)."""
    hour_before = filled - datetime.timedelta(seconds=HOUR)
    burst_start = filled - datetime.timedelta(seconds=settings.SURVEY_HOLD_BURST_SECONDS)
    in_the_hour = Q(submitted_at__gt=hour_before, submitted_at__lte=filled)
    kiosk_forms = Response.objects.filter(in_the_hour, kiosk=kiosk, unit=unit)
    counts = kiosk_forms.aggregate(hour=Count("pk"), burst=Count("pk", filter=Q(submitted_at__gt=burst_start)))
    if counts["burst"] >= settings.SURVEY_HOLD_BURST or counts["hour"] >= settings.SURVEY_HOLD_HOURLY:
        return Reason.KIOSK
    unit_forms = Response.objects.for_unit(unit).countable().filter(in_the_hour)
    if unit_forms.count() >= unit_hourly_allowance(unit):
        return Reason.UNIT
    return ""


@dataclass(frozen=True)
class Verdict:
    state: str
    reason: str = Reason.NONE


def verdict(
    *, unit: ServiceUnit, honeypot_filled: bool, ticket: Ticket, over: Mapping[Limit, int], now: float | None = None
) -> Verdict:
    """Whether a stored submission counts, is held for review, or is excluded, and why. `over` are
    the limits the submission went over, with their counts (`ratelimit.take`)."""
    if honeypot_filled:
        return Verdict(ResponseState.EXCLUDED, Reason.HONEYPOT)
    if ticket.elapsed(now) < settings.SURVEY_MIN_FILL_SECONDS:
        return Verdict(ResponseState.HELD, Reason.TOO_FAST)
    if ticket.over:
        return Verdict(ResponseState.HELD, Reason.TICKETS)
    holding = [
        limit
        for limit, count in over.items()
        if limit.hold_reason and not (limit.hold_reason == Reason.UNIT and count <= unit_hourly_allowance(unit))
    ]
    if holding:
        return Verdict(ResponseState.HELD, holding[0].hold_reason)
    return Verdict(ResponseState.COUNTED)
