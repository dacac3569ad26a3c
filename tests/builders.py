"""Small builders for tests: a unit tree, the official instrument, a period, responses."""

from __future__ import annotations

import datetime
import itertools
import uuid
from collections.abc import Sequence

from django.utils import timezone

from surveys import services
from surveys.instrument_data import PERMENPAN_14_2017, PERMENPAN_14_2017_NAME
from surveys.models import (
    Instrument,
    Period,
    PeriodKind,
    PeriodState,
    Reason,
    Response,
    ResponseState,
    Service,
    ServiceUnit,
)

_counter = itertools.count(1)


def make_unit(
    code: str, *, name: str = "", kind: str = "kelurahan", parent: ServiceUnit | None = None, **fields: object
) -> ServiceUnit:
    unit = ServiceUnit(code=code, name=name or f"Unit {code}", kind=kind, parent=parent, **fields)
    return services.unit_save(unit=unit)


def make_instrument(*, published: bool = True, unit: ServiceUnit | None = None) -> Instrument:
    instrument = services.instrument_create(
        name=f"{PERMENPAN_14_2017_NAME} #{next(_counter)}",
        rules="permenpan-14-2017",
        elements=PERMENPAN_14_2017,
        unit=unit,
    )
    if published:
        services.instrument_publish(instrument=instrument)
    return instrument


def make_period(
    name: str = "",
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    state: str = PeriodState.OPEN,
    kind: str = PeriodKind.TRIWULAN,
) -> Period:
    today = timezone.localdate()
    start = start or today - datetime.timedelta(days=30)
    end = end or today + datetime.timedelta(days=30)
    return Period.objects.create(name=name or f"Periode {next(_counter)}", kind=kind, start=start, end=end, state=state)


def make_service(unit: ServiceUnit, name: str = "Layanan umum") -> Service:
    return Service.objects.create(unit=unit, name=name)


def make_response(
    unit: ServiceUnit,
    scores: Sequence[int | None],
    *,
    instrument: Instrument,
    period: Period,
    service: Service | None = None,
    state: str = ResponseState.COUNTED,
    reason: str = Reason.NONE,
    submitted_at: datetime.datetime | None = None,
    channel: str = "web",
    **profile: object,
) -> Response:
    """A stored response; `scores` follow the instrument's questionnaire order (None = unanswered)."""
    codes = list(instrument.elements.order_by("order").values_list("code", flat=True))
    answers = {code: score for code, score in zip(codes, scores, strict=True) if score is not None}
    result = services.response_submit(
        submission=services.Submission(
            key=uuid.uuid4(),
            unit=unit,
            instrument=instrument,
            period=period,
            scores=answers,
            service=service,
            state=state,
            reason=reason,
            submitted_at=submitted_at,
            channel=channel,
            profile=services.Profile(**profile),  # type: ignore[arg-type]
        )
    )
    return result.response
