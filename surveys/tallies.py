"""Keep the running tallies (AnswerTally, RespondentTally) in step with countable responses.

Every change that makes a response count or stop counting calls `tallies_add` inside the same
transaction, with +1 or -1. On PostgreSQL the arithmetic has one implementation, the
`surveys_tallies_add` function (migration 0009), which `surveys_response_submit` calls for a new
response in the same call that stores it; SQLite runs the same upserts from Python. Every path
locks tally rows in one order, so concurrent changes never deadlock: the answer tallies by element
code in byte order, then the respondent tally. The tables' key and counters are stated once, in
`surveys.models.tallies`. `tallies_rebuild` recomputes everything from the raw answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection, transaction
from django.db.models import Count, F, Model, Q, QuerySet, Sum

from surveys.models import COUNTABLE, Answer, AnswerTally, RespondentTally, Response
from surveys.models.tallies import (
    ANSWER_TALLY_COUNTERS,
    ANSWER_TALLY_KEY,
    RESPONDENT_TALLY_COUNTERS,
    RESPONDENT_TALLY_KEY,
    SCORES,
)

TALLIES_ADD_CALL = "SELECT surveys_tallies_add(%s, %s, %s, %s, %s::text[], %s::smallint[], %s)"


def columns(model: type[Model], names: Iterable[str]) -> list[str]:
    """The database columns of a tally model's fields (`unit` is stored as `unit_id`)."""
    return [str(getattr(model._meta.get_field(name), "column", name)) for name in names]


def _upsert_sql(
    model: type[Model], key: Sequence[str], counters: Sequence[str], rows: list[tuple[int | str, ...]]
) -> tuple[str, list[int | str]]:
    table = model._meta.db_table
    key_columns = columns(model, key)
    all_columns = [*key_columns, *counters]
    placeholders = "(" + ", ".join(["%s"] * len(all_columns)) + ")"
    updates = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in counters)
    sql = (
        f"INSERT INTO {table} ({', '.join(all_columns)}) VALUES {', '.join([placeholders] * len(rows))} "  # noqa: S608
        f"ON CONFLICT ({', '.join(key_columns)}) DO UPDATE SET {updates}"
    )
    return sql, [value for row in rows for value in row]


def tallies_add(*, response: Response, scores: dict[str, int], sign: int) -> None:
    """Add (sign=+1) or remove (sign=-1) one response's answers to or from the tallies: the
    answer tallies by element code, then the respondent tally, as two statements (one `WITH`
    statement would leave the order of its parts to PostgreSQL)."""
    if not scores:
        return
    ordered = sorted(scores.items())
    base: tuple[int | str, ...] = (response.unit_id, response.period_id, response.service_id or 0, response.channel)
    if connection.vendor == "postgresql":
        codes = [code for code, _score in ordered]
        values = [score for _code, score in ordered]
        with connection.cursor() as cursor:
            cursor.execute(TALLIES_ADD_CALL, [*base, codes, values, sign])
        return
    answer_rows: list[tuple[int | str, ...]] = [
        (*base, code, sign, sign * score, *(sign if score == s else 0 for s in SCORES)) for code, score in ordered
    ]
    total = sum(scores.values())
    statements = [
        _upsert_sql(AnswerTally, ANSWER_TALLY_KEY, ANSWER_TALLY_COUNTERS, answer_rows),
        _upsert_sql(
            RespondentTally,
            RESPONDENT_TALLY_KEY,
            RESPONDENT_TALLY_COUNTERS,
            [(*base, len(scores), sign, sign * total, sign * total * total)],
        ),
    ]
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


def response_scores(response: Response) -> dict[str, int]:
    return dict(response.answers.values_list("element__code", "score"))


def tallies_rebuild() -> None:
    """Recompute every tally from the stored responses (after a bulk load or a repair)."""
    countable = Response.objects.filter(COUNTABLE)
    with transaction.atomic():
        AnswerTally.objects.all().delete()
        RespondentTally.objects.all().delete()
        _rebuild_answer_tallies(countable)
        _rebuild_respondent_tallies(countable)


def _rebuild_answer_tallies(countable: QuerySet[Response]) -> None:
    rows = (
        Answer.objects.filter(response__in=countable)
        .order_by()
        .values("response__unit_id", "response__period_id", "response__service_id", "response__channel")
        .annotate(
            code=F("element__code"),
            answers=Count("id"),
            total=Sum("score"),
            c1=Count("id", filter=Q(score=1)),
            c2=Count("id", filter=Q(score=2)),
            c3=Count("id", filter=Q(score=3)),
            c4=Count("id", filter=Q(score=4)),
        )
    )
    AnswerTally.objects.bulk_create(
        (
            AnswerTally(
                unit_id=row["response__unit_id"],
                period_id=row["response__period_id"],
                service_ref=row["response__service_id"] or 0,
                channel=row["response__channel"],
                element_code=row["code"],
                answers=row["answers"],
                total=row["total"],
                c1=row["c1"],
                c2=row["c2"],
                c3=row["c3"],
                c4=row["c4"],
            )
            for row in rows.iterator()
        ),
        batch_size=2000,
    )


def _rebuild_respondent_tallies(countable: QuerySet[Response]) -> None:
    rows = (
        countable.order_by()
        .values("unit_id", "period_id", "service_id", "channel", "answered")
        .annotate(
            respondents=Count("id"),
            score_sum_total=Sum("score_sum"),
            score_sum_sq=Sum(F("score_sum") * F("score_sum")),
        )
    )
    RespondentTally.objects.bulk_create(
        (
            RespondentTally(
                unit_id=row["unit_id"],
                period_id=row["period_id"],
                service_ref=row["service_id"] or 0,
                channel=row["channel"],
                answered=row["answered"],
                respondents=row["respondents"],
                score_sum=row["score_sum_total"],
                score_sum_sq=row["score_sum_sq"],
            )
            for row in rows.iterator()
        ),
        batch_size=2000,
    )
