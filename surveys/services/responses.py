"""Storing citizens' responses: once per submission key, with their answers and tallies."""

from __future__ import annotations

import contextlib
import datetime
import functools
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys import selectors, tallies
from surveys.models import (
    Answer,
    AuditEvent,
    Channel,
    Element,
    Instrument,
    Kiosk,
    Period,
    PeriodState,
    Response,
    Service,
    ServiceUnit,
)
from surveys.models.responses import Reason, ResponseState
from surveys.services.audit import AnyUser, audit_record, in_site_language


class SubmissionInvalid(ValueError):
    """The answers do not fit the instrument (never shown raw to a citizen)."""


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
    submitted_at: datetime.datetime | None = None
    state: str = ResponseState.COUNTED  # held or excluded on arrival, with a reason (`surveys.intake`)
    reason: str = Reason.NONE
    source_tag: str = ""
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
    elements = _elements_of(submission)
    answers = _answers_for(submission, elements)
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
        submitted_at=submission.submitted_at or timezone.now(),
        score_sum=sum(score for _element, score in answers),
        answered=len(answers),
        state=submission.state,
        reason=submission.reason,
        source_tag=submission.source_tag,
        uniform=len(answers) == len(elements) and len({score for _element, score in answers}) == 1,
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


def paper_entry_submit(*, submission: Submission, actor: AnyUser) -> SubmitResult:
    """Store a paper questionnaire typed in by a staff member, with the audit entry naming who
    entered it, in one transaction. Once the unit's paper forms of the day (typed in or imported,
    by anyone) reach `SURVEY_HOLD_PAPER_DAILY`, the rest are held for the secretariat's review
    (a unit's own entries move its number)."""
    with transaction.atomic():
        period = _lock_period_for_paper(submission.period)
        if paper_forms_today(unit=submission.unit, lock=True) >= settings.SURVEY_HOLD_PAPER_DAILY:
            submission = replace(submission, state=ResponseState.HELD, reason=Reason.IMPORT)
        result = response_submit(submission=submission)
        if result.created and period.state == PeriodState.CLOSED:
            audit_record(
                actor=actor,
                action="paper.entry",
                target=result.response,
                unit=submission.unit,
                detail={"late": True, "period": period.pk},
                summary=in_site_language(
                    lambda: (
                        _(
                            "Memasukkan formulir kertas terlambat untuk %(unit)s ke periode %(period)s yang sudah "
                            "ditutup (dihitung pada hitung ulang berikutnya)"
                        )
                        % {"unit": submission.unit.name, "period": period.name}
                    )
                ),
            )
        elif result.created:
            audit_record(actor=actor, action="paper.entry", target=result.response, unit=submission.unit)
    return result


def paper_forms_today(*, unit: ServiceUnit, lock: bool = False) -> int:
    """How many paper forms were stored for `unit` today (site time), typed in or imported, by
    anyone: one daily allowance, read from the audit log (one `paper.entry` per typed form, one
    `import` per file naming the rows it stored). With `lock`, the unit's row is locked first
    (inside the caller's transaction) so two clerks entering at once cannot both slip under the
    allowance; the lock leaves citizens' inserts (which only share the row's key) unblocked."""
    if lock:
        list(ServiceUnit.objects.select_for_update(no_key=True).filter(pk=unit.pk).values_list("pk"))
    day_start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return selectors.paper_forms_in(AuditEvent.objects.filter(unit=unit, created_at__gte=day_start))


def _past_paper_allowance(unit: ServiceUnit, submissions: Sequence[Submission]) -> bool:
    """Whether storing these imported rows would take the unit's paper forms of the day past the
    daily allowance (rows stored before are skipped by the import, so they do not count)."""
    already = paper_forms_today(unit=unit, lock=True)
    keys = [submission.key for submission in submissions]
    fresh = len(keys) - Response.objects.filter(submission_key__in=keys).count()
    return already + fresh > settings.SURVEY_HOLD_PAPER_DAILY


def _lock_period_for_paper(period: Period) -> Period:
    """Paper forms may go into an open or a closed period (a late form counts in the next recompute),
    never into a published one. The period's row stays locked until the caller's transaction ends,
    so a publication cannot slip in between this check and the insert."""
    locked = Period.objects.select_for_update().accepting_paper().filter(pk=period.pk).first()
    if locked is None:
        raise SubmissionInvalid(
            _("Hasil periode %(period)s sudah dipublikasikan; formulir kertas tidak dapat ditambahkan lagi.")
            % {"period": period.name}
        )
    return locked


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
class ImportResult:
    created: int
    already_there: int
    held: bool = False


def responses_import(
    *, submissions: Sequence[Submission], actor: AnyUser | None, unit: ServiceUnit, file_name: str = ""
) -> ImportResult:
    """Store validated submissions all together or not at all; keys seen before are skipped.

    A unit's own import moves its own number, so the whole file is held for the secretariat's
    review (`services.responses_release`) rather than counted at once when it has more than
    `SURVEY_HOLD_IMPORT_ROWS` rows, or when its rows would take the unit's paper forms of the day
    (typed in or imported: `paper_forms_today`) past `SURVEY_HOLD_PAPER_DAILY`. The audit entry
    is written in the same transaction."""
    created = 0
    with transaction.atomic():
        wanted = sorted({submission.period for submission in submissions}, key=lambda period: period.pk)
        periods = [_lock_period_for_paper(period) for period in wanted]  # in one order: no deadlock
        late = any(period.state == PeriodState.CLOSED for period in periods)
        held = len(submissions) > settings.SURVEY_HOLD_IMPORT_ROWS or _past_paper_allowance(unit, submissions)
        for submission in submissions:
            if held:
                submission = replace(submission, state=ResponseState.HELD, reason=Reason.IMPORT)
            if response_submit(submission=submission).created:
                created += 1
        result = ImportResult(created=created, already_there=len(submissions) - created, held=held)
        audit_record(
            actor=actor,
            action="import",
            target=unit,
            detail={
                "file": file_name,
                "created": created,
                "already_there": result.already_there,
                "held": held,
                **({"late": True, "period": periods[0].pk} if late else {}),
            },
        )
    return result
