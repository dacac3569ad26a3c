"""Reads: what the citizen survey, the kiosks and the poster pages need, each in one or two queries."""

from __future__ import annotations

import datetime
import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.core import signing
from django.db.models import Count, Max, Min, Q, QuerySet, Sum

from surveys import lookup_cache, naming
from surveys.models import (
    AuditEvent,
    Element,
    ExclusionProposal,
    Instrument,
    Kiosk,
    Period,
    ProposalDecision,
    Reason,
    Response,
    ResponseState,
    Service,
    ServiceUnit,
    ServiceUnitQuerySet,
    SurveySettings,
    UnitKind,
)

KIOSK_TOKEN_SALT = "surveys.kiosk.token"  # noqa: S105 - a signing salt, not a secret


def active_instrument_for(unit: ServiceUnit) -> Instrument | None:
    """The published questionnaire this unit asks: its own if it has one, else the city-wide one."""
    return Instrument.objects.published_for(unit).first()


def elements_of(instrument: Instrument) -> list[Element]:
    """The instrument's elements in questionnaire order."""
    return list(instrument.elements.order_by("order"))


def open_period_on(day: datetime.date) -> Period | None:
    """The open period a response given on `day` belongs to."""
    return Period.objects.open_on(day).first()


def period_containing(day: datetime.date) -> Period | None:
    """The period (open, closed or published) that `day` falls in; periods never overlap."""
    return Period.objects.filter(start__lte=day, end__gte=day).order_by("start").first()


def services_offered(unit: ServiceUnit) -> list[Service]:
    """The active services (jenis layanan) a citizen may say they received at this unit."""
    return list(unit.services.filter(is_active=True).order_by("order", "name"))


@dataclass(frozen=True)
class UnitGroup:
    """Active units of one kind, for the public unit finder."""

    kind: str
    label: str
    units: list[ServiceUnit]


def survey_units(search: str = "") -> ServiceUnitQuerySet:
    """Active units a citizen can rate, optionally narrowed by name, kind or kecamatan."""
    units = ServiceUnit.objects.serving_public().select_related("area")
    words = search.split()
    for word in words[:5]:
        kinds = [value for value, label in UnitKind.choices if word.casefold() in str(label).casefold()]
        units = units.filter(
            Q(name__icontains=word) | Q(kind__in=kinds) | Q(area__name__icontains=word) | Q(code__iexact=word)
        )
    return units


def survey_units_by_kind(search: str = "") -> list[UnitGroup]:
    """The unit finder's list: active units grouped by kind in a fixed kind order (one query)."""
    order = [value for value, _label in UnitKind.choices]
    labels = dict(UnitKind.choices)
    grouped: dict[str, list[ServiceUnit]] = {}
    for unit in naming.by_name(survey_units(search)):
        grouped.setdefault(unit.kind, []).append(unit)
    return [
        UnitGroup(kind=kind, label=str(labels[kind]), units=grouped[kind])
        for kind in sorted(grouped, key=lambda k: order.index(k) if k in order else len(order))
    ]


def kiosk_signed_token(kiosk: Kiosk) -> str:
    """The signed token that makes up a kiosk's private URL."""
    return signing.Signer(salt=KIOSK_TOKEN_SALT).sign(kiosk.token.hex)


def kiosk_for_signed_token(signed: str) -> Kiosk | None:
    """The kiosk (revoked or not) a signed token names, or None for a forged or unknown token."""
    try:
        token = uuid.UUID(hex=signing.Signer(salt=KIOSK_TOKEN_SALT).unsign(signed))
    except (signing.BadSignature, ValueError):
        return None
    return Kiosk.objects.select_related("unit").filter(token=token).first()


def kiosks_for_units(units: QuerySet[ServiceUnit]) -> QuerySet[Kiosk]:
    """Registered kiosks of the given units, newest first, with their unit (one query)."""
    return Kiosk.objects.filter(unit__in=units).select_related("unit").order_by("unit__name", "-created_at")


@dataclass(frozen=True)
class SurveySetup:
    """What a unit's citizen form is built from: its published instrument (None when it has
    none), that instrument's elements in order and the unit's active services. `fingerprint`
    changes whenever any stored value of those rows does (a key for what is built from them)."""

    instrument: Instrument | None
    elements: tuple[Element, ...]
    services: tuple[Service, ...]
    fingerprint: str = ""


def _fingerprint(*rows: Any) -> str:
    values = [tuple(getattr(row, field.attname) for field in row._meta.concrete_fields) for row in rows if row]
    return hashlib.sha256(repr(values).encode()).hexdigest()


def survey_unit(code: str) -> ServiceUnit | None:
    """The unit a form link names (active or not), cached per process (see `lookup_cache`)."""
    return lookup_cache.cached(("unit", code), lambda: ServiceUnit.objects.filter(code=code).first())


def survey_setup_for(unit: ServiceUnit) -> SurveySetup:
    """The unit's instrument, elements and services, cached per process (see `lookup_cache`)."""

    def load() -> SurveySetup:
        instrument = active_instrument_for(unit)
        elements = tuple(elements_of(instrument)) if instrument is not None else ()
        services = tuple(services_offered(unit))
        fingerprint = _fingerprint(instrument, *elements, *services)
        return SurveySetup(instrument=instrument, elements=elements, services=services, fingerprint=fingerprint)

    return lookup_cache.cached(("setup", unit.pk), load)


def survey_open_period(day: datetime.date) -> Period | None:
    """`open_period_on(day)`, cached per process (see `lookup_cache` for how stale it may be)."""
    return lookup_cache.cached(("period", day), lambda: open_period_on(day))


def survey_settings() -> SurveySettings:
    """The city's survey settings (the deployment's defaults until the secretariat saves them),
    cached per process (see `lookup_cache`: saved in this process, seen at once; elsewhere within
    its TTL)."""
    return lookup_cache.cached(
        ("survey-settings",), lambda: SurveySettings.objects.filter(pk=1).first() or SurveySettings.defaults()
    )


def audit_events(*, action: str = "", actor: str = "", unit_code: str = "") -> QuerySet[AuditEvent]:
    """The audit log, newest first, filtered by action prefix, actor username and unit code."""
    events = AuditEvent.objects.select_related("unit").order_by("-created_at", "-id")
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_username__iexact=actor)
    if unit_code:
        events = events.filter(unit__code=unit_code)
    return events


def late_paper_forms(period: Period, *, since: datetime.datetime) -> int:
    """Paper forms entered or imported into `period` while it was closed, after `since` (its
    latest revision): the frozen results leave them out until the period is recomputed."""
    events = AuditEvent.objects.filter(detail__late=True, detail__period=period.pk, created_at__gt=since)
    return paper_forms_in(events)


def paper_forms_in(events: QuerySet[AuditEvent]) -> int:
    """The paper forms some audit events stored: one per `paper.entry` (a typed form), and the rows
    each `import` names as created (a file)."""
    rows = events.filter(action__in=["paper.entry", "import"]).values_list("action", "detail")
    return sum(1 if action == "paper.entry" else _whole(detail.get("created")) for action, detail in rows)


def _whole(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def audit_actions() -> list[str]:
    """The distinct action codes in the log (for the filter's choices)."""
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())


# --------------------------------------------------------------------------------------------
# Review: what is held, what is proposed, what is set aside
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeldGroup:
    """Held responses of one unit and period, held for one reason: reviewed together."""

    unit: ServiceUnit
    period: Period
    reason: str
    reason_label: str
    count: int
    first: datetime.datetime
    last: datetime.datetime
    mean_score: Fraction
    uniform: int  # how many gave every element the same score
    newest_id: int  # the review acts on these `count` responses only: ids up to this one


def held_groups(units: QuerySet[ServiceUnit] | None = None) -> list[HeldGroup]:
    """Responses held for review, grouped by unit, period and reason, the latest first (three
    queries: the groups, their units and their periods)."""
    held = Response.objects.held()
    if units is not None:
        held = held.filter(unit__in=units)
    rows = list(
        held.order_by()
        .values("unit_id", "period_id", "reason")
        .annotate(
            count=Count("id"),
            first=Min("submitted_at"),
            last=Max("submitted_at"),
            scores=Sum("score_sum"),
            answered_total=Sum("answered"),
            uniform=Count("id", filter=Q(uniform=True)),
            newest_id=Max("id"),
        )
        .order_by("-last")
    )
    by_unit = ServiceUnit.objects.in_bulk({row["unit_id"] for row in rows})
    by_period = Period.objects.in_bulk({row["period_id"] for row in rows})
    labels = dict(Reason.choices)
    return [
        HeldGroup(
            unit=by_unit[row["unit_id"]],
            period=by_period[row["period_id"]],
            reason=row["reason"],
            reason_label=str(labels.get(row["reason"], row["reason"])),
            count=row["count"],
            first=row["first"],
            last=row["last"],
            mean_score=Fraction(row["scores"], row["answered_total"]) if row["answered_total"] else Fraction(0),
            uniform=row["uniform"],
            newest_id=row["newest_id"],
        )
        for row in rows
    ]


def pending_proposals() -> QuerySet[ExclusionProposal]:
    """Exclusion proposals awaiting the secretariat, oldest first, with what they concern."""
    return (
        ExclusionProposal.objects.filter(decision=ProposalDecision.PENDING)
        .select_related("response", "response__unit", "response__period", "response__service", "proposed_by")
        .order_by("proposed_at", "pk")
    )


@dataclass(frozen=True)
class SetAside:
    """How many of a unit's responses in a choice of periods are held or not counted, and why."""

    held: list[tuple[str, int]]
    excluded: list[tuple[str, int]]
    proposed: int

    @property
    def total(self) -> int:
        return sum(count for _label, count in self.held) + sum(count for _label, count in self.excluded)


def set_aside_for(*, unit_ids: Iterable[int], periods: Iterable[Period]) -> SetAside:
    """Held and excluded responses by reason, and pending exclusion proposals (two queries)."""
    responses = Response.objects.filter(unit_id__in=list(unit_ids), period__in=list(periods))
    rows = responses.set_aside().order_by().values_list("state", "reason").annotate(n=Count("id"))
    labels = dict(Reason.choices)
    lines: dict[str, list[tuple[str, int]]] = {ResponseState.HELD: [], ResponseState.EXCLUDED: []}
    for state, reason, count in sorted(rows, key=lambda row: (-row[2], row[1])):
        lines.setdefault(state, []).append((str(labels.get(reason, reason)), count))
    proposed = ExclusionProposal.objects.filter(
        decision=ProposalDecision.PENDING, response__in=responses.countable()
    ).count()
    return SetAside(lines[ResponseState.HELD], lines[ResponseState.EXCLUDED], proposed)
