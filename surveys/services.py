"""Writes: every change to survey data goes through a keyword-only function here."""

from __future__ import annotations

import contextlib
import datetime
import functools
import json
import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys import tallies
from surveys.instrument_data import ElementText
from surveys.models import (
    Answer,
    AuditEvent,
    Channel,
    Element,
    Instrument,
    InstrumentState,
    Kiosk,
    Period,
    PeriodState,
    Response,
    Service,
    ServiceUnit,
    SpamReason,
    UnitPopulation,
)

logger = logging.getLogger(__name__)


class InstrumentLocked(Exception):
    """A published or retired instrument cannot change; make a new version instead."""


class SubmissionInvalid(ValueError):
    """The answers do not fit the instrument (never shown raw to a citizen)."""


def unit_path(*, code: str, parent: ServiceUnit | None) -> str:
    return f"{parent.path if parent else '/'}{code}/"


def unit_save(*, unit: ServiceUnit, actor: AbstractBaseUser | AnonymousUser | None = None) -> ServiceUnit:
    """Save a unit and keep its materialised path (and its descendants' paths) in step."""
    with transaction.atomic():
        created = unit.pk is None
        _unit_save_tree(unit=unit)
        audit_record(actor=actor, action="unit.create" if created else "unit.update", target=unit)
    return unit


def _unit_save_tree(*, unit: ServiceUnit) -> None:
    old_path = unit.path
    unit.path = unit_path(code=unit.code, parent=unit.parent)
    unit.save()
    if old_path and old_path != unit.path:
        for child in ServiceUnit.objects.filter(parent=unit):
            _unit_save_tree(unit=child)


def instrument_create(
    *, name: str, rules: str, elements: Sequence[ElementText], version: int = 1, unit: ServiceUnit | None = None
) -> Instrument:
    """A draft instrument with its elements in questionnaire order, from texts such as
    `instrument_data.PERMENPAN_14_2017`."""
    with transaction.atomic():
        instrument = Instrument.objects.create(name=name, version=version, rules=rules, unit=unit)
        Element.objects.bulk_create(
            Element(
                instrument=instrument,
                order=order,
                code=text["code"],
                name_id=text["name_id"],
                name_en=text["name_en"],
                question_id=text["question_id"],
                question_en=text["question_en"],
                option1_id=text["options_id"][0],
                option2_id=text["options_id"][1],
                option3_id=text["options_id"][2],
                option4_id=text["options_id"][3],
                option1_en=text["options_en"][0],
                option2_en=text["options_en"][1],
                option3_en=text["options_en"][2],
                option4_en=text["options_en"][3],
            )
            for order, text in enumerate(elements, start=1)
        )
    return instrument


def instrument_publish(*, instrument: Instrument, actor: AbstractBaseUser | AnonymousUser | None = None) -> Instrument:
    """Publish a draft instrument; the one it replaces in the same scope is retired."""
    if instrument.state != InstrumentState.DRAFT:
        raise InstrumentLocked(_("Hanya instrumen berstatus draf yang dapat diterbitkan."))
    if not instrument.elements.exists():
        raise SubmissionInvalid(_("Instrumen belum memiliki unsur."))
    with transaction.atomic():
        Instrument.objects.filter(state=InstrumentState.PUBLISHED, unit=instrument.unit).update(
            state=InstrumentState.RETIRED
        )
        instrument.state = InstrumentState.PUBLISHED
        instrument.published_at = timezone.now()
        instrument.save(update_fields=["state", "published_at"])
        audit_record(actor=actor, action="instrument.publish", target=instrument)
    return instrument


def instrument_new_version(
    *, instrument: Instrument, actor: AbstractBaseUser | AnonymousUser | None = None
) -> Instrument:
    """Copy an instrument and its elements into a new draft version for editing."""
    with transaction.atomic():
        latest = Instrument.objects.filter(name=instrument.name).order_by("-version").first()
        draft = Instrument.objects.create(
            name=instrument.name,
            version=(latest.version if latest else instrument.version) + 1,
            rules=instrument.rules,
            unit=instrument.unit,
        )
        elements = list(instrument.elements.all())
        for element in elements:
            element.pk = None
            element.instrument = draft
        Element.objects.bulk_create(elements)
        audit_record(actor=actor, action="instrument.new_version", target=draft, detail={"from": str(instrument)})
    return draft


def element_update(*, element: Element, **changes: str) -> Element:
    """Change an element's wording; refused once its instrument is published."""
    if not element.instrument.is_editable:
        raise InstrumentLocked(_("Instrumen yang sudah terbit tidak dapat diubah; buat versi baru."))
    for name, value in changes.items():
        setattr(element, name, value)
    element.full_clean()
    element.save()
    return element


@dataclass(frozen=True)
class Profile:
    age: int | None = None
    sex: str = ""
    education: str = ""
    occupation: str = ""
    occupation_other: str = ""


@dataclass(frozen=True)
class Submission:
    """A validated questionnaire, ready to store. `scores` maps element code to 1..4."""

    key: uuid.UUID
    unit: ServiceUnit
    instrument: Instrument
    period: Period
    scores: Mapping[str, int]
    service: Service | None = None
    service_other: str = ""
    channel: str = Channel.WEB
    kiosk: Kiosk | None = None
    profile: Profile = field(default_factory=Profile)
    suggestion: str = ""
    spam_reason: str = SpamReason.NONE
    submitted_at: datetime.datetime | None = None
    elements: Sequence[Element] | None = None  # the instrument's elements, when the caller has them already


@dataclass(frozen=True)
class SubmitResult:
    response: Response
    created: bool


def _answers_for(submission: Submission, elements: Sequence[Element]) -> list[tuple[Element, int]]:
    by_code = {element.code: element for element in elements}
    unknown = set(submission.scores) - set(by_code)
    if unknown:
        raise SubmissionInvalid(f"unknown elements: {sorted(unknown)}")
    answers = []
    for code, score in submission.scores.items():
        if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 4:
            raise SubmissionInvalid(f"score for {code} out of range")
        answers.append((by_code[code], score))
    return answers


def _elements_of(submission: Submission) -> list[Element]:
    instrument_id = submission.instrument.pk
    given = submission.elements
    if given is not None and all(element.instrument_id == instrument_id for element in given):
        return list(given)
    return list(submission.instrument.elements.all())


def response_submit(*, submission: Submission) -> SubmitResult:
    """Store a response and its answers in one transaction, exactly once per submission key.

    A key seen before (a double tap, a browser retry, two requests racing) returns the stored
    response with `created=False` and writes nothing: the insert hits the key's unique
    constraint, the transaction rolls back whole, and the stored response is read.
    """
    answers = _answers_for(submission, _elements_of(submission))
    profile = submission.profile
    response = Response(
        submission_key=submission.key,
        unit=submission.unit,
        instrument=submission.instrument,
        period=submission.period,
        service=submission.service,
        service_other=submission.service_other,
        channel=submission.channel,
        kiosk=submission.kiosk,
        age=profile.age,
        sex=profile.sex,
        education=profile.education,
        occupation=profile.occupation,
        occupation_other=profile.occupation_other,
        suggestion=submission.suggestion,
        spam_reason=submission.spam_reason,
        submitted_at=submission.submitted_at or timezone.now(),
        score_sum=sum(score for _element, score in answers),
        answered=len(answers),
    )
    try:
        if connection.vendor == "postgresql":
            _insert_on_postgresql(response, answers, counted=response.is_countable)
        else:
            _insert_with_orm(response, answers)
    except IntegrityError:
        existing = Response.objects.filter(submission_key=submission.key).first()
        if existing is None:
            raise
        return SubmitResult(existing, created=False)
    return SubmitResult(response, created=True)


def _insert_with_orm(response: Response, answers: Sequence[tuple[Element, int]]) -> None:
    """The response, its answers and its tally increments in one transaction (SQLite)."""
    with transaction.atomic():
        response.save(force_insert=True)
        Answer.objects.bulk_create(
            Answer(response=response, element=element, score=score) for element, score in answers
        )
        if response.is_countable:
            tallies.tallies_add(response=response, scores={element.code: score for element, score in answers}, sign=+1)


def _insert_on_postgresql(response: Response, answers: Sequence[tuple[Element, int]], counted: bool) -> None:
    """PostgreSQL: the response, its answers and (when it counts) its tally increments in one call
    of `surveys_response_submit` (migration 0007), whose statement plans PostgreSQL keeps per
    connection. One round trip, atomic on its own; inside an outer transaction a savepoint keeps
    a duplicate key from spoiling the caller's transaction."""
    database = connections[DEFAULT_DB_ALIAS]  # the connection itself: each proxied attribute read costs a lookup
    row = {
        field.column: field.get_db_prep_save(field.pre_save(response, add=True), database)
        for field in _response_fields()
    }
    parameters: list[Any] = [
        json.dumps(row, default=_json_text),
        [element.pk for element, _score in answers],
        [score for _element, score in answers],
        [element.code for element, _score in answers] if counted else [],
    ]
    savepoint = transaction.atomic() if database.in_atomic_block else contextlib.nullcontext()
    with savepoint, database.cursor() as cursor:
        cursor.execute(SUBMIT_CALL, parameters)
        response.pk = cursor.fetchone()[0]
    response._state.adding = False
    response._state.db = database.alias


def _json_text(value: object) -> str:
    """Datetimes and UUIDs as PostgreSQL reads them. Any other value that JSON cannot carry (a
    database default, a JSON or binary field) is a field kind the submit function was not written
    for: refused loudly rather than stored as its Python repr."""
    if isinstance(value, datetime.datetime | uuid.UUID):
        return str(value)
    raise TypeError(f"surveys_response_submit cannot take a {type(value).__name__}")


SUBMIT_CALL = "SELECT surveys_response_submit(%s::jsonb, %s::bigint[], %s::smallint[], %s::text[])"


@functools.cache
def _response_fields() -> list[models.Field[Any, Any]]:
    """The fields a new Response row is written from (all but the generated id)."""
    return [field for field in Response._meta.concrete_fields if not field.primary_key]


@dataclass(frozen=True)
class UnitRow:
    """One row of a unit registry file (`code,name,kind,parent_code`)."""

    code: str
    name: str
    kind: str
    parent_code: str


HEALTH_OFFICE_CODE = "opd-dinkes"


def units_import(*, rows: Sequence[UnitRow]) -> int:
    """Create or update the registry from rows ordered parents first; returns how many changed.

    A puskesmas in the file hangs under its kecamatan (or the city, where its kecamatan is not
    certain); organisationally it belongs to the Dinas Kesehatan, so it is filed there with the
    kecamatan kept as its `area`. A kelurahan's area is its kecamatan.
    """
    changed = 0
    with transaction.atomic():
        units = {unit.code: unit for unit in ServiceUnit.objects.all()}
        for row in rows:
            listed_parent = units.get(row.parent_code) if row.parent_code else None
            if row.parent_code and listed_parent is None:
                raise SubmissionInvalid(f"unit {row.code}: parent {row.parent_code} is not in the registry")
            parent = listed_parent
            area = listed_parent if listed_parent is not None and listed_parent.kind == "kecamatan" else None
            if row.kind == "puskesmas" and HEALTH_OFFICE_CODE in units:
                parent = units[HEALTH_OFFICE_CODE]
            unit = units.get(row.code) or ServiceUnit(code=row.code)
            wanted = (row.name, row.kind, parent, area)
            if unit.pk and (unit.name, unit.kind, unit.parent, unit.area) == wanted:
                continue
            unit.name, unit.kind, unit.parent, unit.area = wanted
            units[row.code] = unit_save(unit=unit)
            changed += 1
    return changed


def kiosk_register(*, unit: ServiceUnit, label: str, actor: AbstractBaseUser | AnonymousUser | None = None) -> Kiosk:
    """Register a tablet for a unit's counter; its private URL is derived from the new token."""
    kiosk = Kiosk(unit=unit, label=label.strip())
    kiosk.full_clean()
    with transaction.atomic():
        kiosk.save()
        audit_record(actor=actor, action="kiosk.register", target=kiosk)
    return kiosk


def kiosk_revoke(*, kiosk: Kiosk, actor: AbstractBaseUser | AnonymousUser | None = None) -> Kiosk:
    """Stop a kiosk from accepting responses (its URL then shows a friendly refusal)."""
    if kiosk.revoked_at is None:
        with transaction.atomic():
            kiosk.revoked_at = timezone.now()
            kiosk.save(update_fields=["revoked_at"])
            audit_record(actor=actor, action="kiosk.revoke", target=kiosk)
    return kiosk


# --------------------------------------------------------------------------------------------
# Audit log (issue 9): an append-only record of staff actions
# --------------------------------------------------------------------------------------------

AUDIT_LABEL_MAX = 255


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    target: models.Model | None,
    unit: ServiceUnit | None = None,
    detail: Mapping[str, object] | None = None,
) -> AuditEvent:
    """Append one entry to the audit log: who (`actor`), did what (`action`) to which `target`.

    `actor` None (or anonymous) means the system itself (a command, an import). The unit is
    taken from the target when it has one, so the log can be filtered by unit.
    """
    user = actor if actor is not None and actor.is_authenticated else None
    if unit is None:
        if isinstance(target, ServiceUnit):
            unit = target
        else:
            candidate = getattr(target, "unit", None)
            unit = candidate if isinstance(candidate, ServiceUnit) else None
    return AuditEvent.objects.create(
        actor=cast(Any, user),
        actor_username=user.get_username() if user is not None else "",
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None and target.pk is not None else "",
        object_label=str(target)[:AUDIT_LABEL_MAX] if target is not None else "",
        unit=unit,
        detail=dict(detail or {}),
    )


# --------------------------------------------------------------------------------------------
# Retention (issue 9): citizens' own words are kept only as long as the city needs them
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PurgeResult:
    responses: int
    periods: list[str]


def responses_purge_free_text(
    *, retention_days: int, today: datetime.date | None = None, dry_run: bool = False
) -> PurgeResult:
    """Blank the free text (suggestion, other service, other occupation) of responses in closed
    or published periods that ended more than `retention_days` ago. Scores, profile categories
    and every number derived from them stay. `retention_days` 0 keeps everything.
    """
    if retention_days <= 0:
        return PurgeResult(responses=0, periods=[])
    cutoff = (today or timezone.localdate()) - datetime.timedelta(days=retention_days)
    periods = Period.objects.exclude(state=PeriodState.OPEN).filter(end__lt=cutoff)
    with_text = Response.objects.filter(period__in=periods).exclude(
        suggestion="", service_other="", occupation_other=""
    )
    names = sorted(set(with_text.values_list("period__name", flat=True)))
    if dry_run:
        return PurgeResult(responses=with_text.count(), periods=names)
    with transaction.atomic():
        count = with_text.update(suggestion="", service_other="", occupation_other="")
        if count:
            audit_record(
                actor=None,
                action="retention.purge",
                target=None,
                detail={"responses": count, "periods": names, "retention_days": retention_days},
            )
    return PurgeResult(responses=count, periods=names)


@dataclass(frozen=True)
class ImportResult:
    created: int
    already_there: int


def responses_import(*, submissions: Sequence[Submission]) -> ImportResult:
    """Store validated submissions all together or not at all; keys seen before are skipped."""
    created = 0
    with transaction.atomic():
        for submission in submissions:
            if response_submit(submission=submission).created:
                created += 1
    return ImportResult(created=created, already_there=len(submissions) - created)


class SpamMarkRefused(ValueError):
    """A response cannot be marked (or unmarked) as spam in its current state."""


SPAM_NOTE_MIN_LENGTH = 5


def response_mark_spam(*, response: Response, user: AbstractBaseUser, reason: str) -> Response:
    """Mark a response as spam or irrelevant: it stops counting and stays stored, with who, when
    and why (a reason is required: taking a citizen's answers out of an index must be explained).

    The row is locked and the running tallies lose its answers in the same transaction.
    """
    reason = " ".join(reason.split())
    if len(reason) < SPAM_NOTE_MIN_LENGTH:
        raise SpamMarkRefused(_("Tuliskan alasan mengapa tanggapan ini tidak dihitung (minimal 5 huruf)."))
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.spam_reason != SpamReason.NONE:
            raise SpamMarkRefused(_("Tanggapan ini sudah ditandai."))
        was_counted = locked.is_countable
        locked.spam_reason = SpamReason.MANUAL
        locked.spam_marked_by = user  # type: ignore[assignment]
        locked.spam_marked_at = timezone.now()
        locked.spam_note = reason[:300]
        locked.save(update_fields=["spam_reason", "spam_marked_by", "spam_marked_at", "spam_note"])
        if was_counted:
            tallies.tallies_add(response=locked, scores=tallies.response_scores(locked), sign=-1)
        audit_record(actor=user, action="response.mark_spam", target=locked)
    logger.info("response %s marked as spam by user %s", locked.pk, user.pk)
    return locked


def response_unmark_spam(*, response: Response, user: AbstractBaseUser) -> Response:
    """Undo a manual spam mark: the response counts again. Automatic flags are not undone here.

    Who marked it and when stay recorded (the last mark); the unmarking is logged. The running
    tallies regain its answers in the same transaction.
    """
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.spam_reason != SpamReason.MANUAL:
            raise SpamMarkRefused(_("Hanya tanda spam yang diberikan admin yang dapat dibatalkan."))
        locked.spam_reason = SpamReason.NONE
        locked.save(update_fields=["spam_reason"])
        if locked.is_countable:
            tallies.tallies_add(response=locked, scores=tallies.response_scores(locked), sign=+1)
        audit_record(actor=user, action="response.unmark_spam", target=locked)
    logger.info("response %s unmarked as spam by user %s", locked.pk, user.pk)
    return locked


def unit_population_set(*, unit: ServiceUnit, period: Period, population: int) -> UnitPopulation:
    """Record the number of service users of a unit in a period (N for the minimum sample)."""
    if isinstance(population, bool) or not isinstance(population, int) or population < 1:
        raise SubmissionInvalid(_("Populasi harus bilangan bulat paling sedikit 1."))
    record, _created = UnitPopulation.objects.update_or_create(
        unit=unit, period=period, defaults={"population": population}
    )
    return record
