"""Keep the running tallies (AnswerTally, RespondentTally) in step with countable responses.

Every change that makes a response count or stop counting calls `tallies_add` inside the same
transaction, with +1 or -1; on PostgreSQL a new response is added by the `surveys_response_submit`
function (migration 0007) in the call that stores it. Every path locks tally rows in one order,
so concurrent changes never deadlock: the answer tallies by element code in byte order, then the
respondent tally. `tallies_rebuild` recomputes everything from the raw answers (after bulk loads).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum

from surveys.models import Answer, AnswerTally, RespondentTally, Response

SCORES = (1, 2, 3, 4)


def _upsert_sql(
    table: str, key: Sequence[str], counters: Sequence[str], rows: list[tuple[int | str, ...]]
) -> tuple[str, list[int | str]]:
    columns = [*key, *counters]
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    updates = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in counters)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([placeholders] * len(rows))} "  # noqa: S608
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}"
    )
    return sql, [value for row in rows for value in row]


def tallies_add(*, response: Response, scores: dict[str, int], sign: int) -> None:
    """Add (sign=+1) or remove (sign=-1) one response's answers to or from the tallies: the
    answer tallies by element code, then the respondent tally, as two statements (one `WITH`
    statement would leave the order of its parts to PostgreSQL)."""
    if not scores:
        return
    base: tuple[int | str, ...] = (response.unit_id, response.period_id, response.service_id or 0, response.channel)
    answer_rows: list[tuple[int | str, ...]] = [
        (*base, code, sign, sign * score, *(sign if score == s else 0 for s in SCORES))
        for code, score in sorted(scores.items())
    ]
    total = sum(scores.values())
    statements = [
        _upsert_sql(
            AnswerTally._meta.db_table,
            ["unit_id", "period_id", "service_ref", "channel", "element_code"],
            ["answers", "total", "c1", "c2", "c3", "c4"],
            answer_rows,
        ),
        _upsert_sql(
            RespondentTally._meta.db_table,
            ["unit_id", "period_id", "service_ref", "channel", "answered"],
            ["respondents", "score_sum", "score_sum_sq"],
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
    countable = Response.objects.filter(is_test=False, spam_reason="", answered__gt=0)
    with transaction.atomic():
        AnswerTally.objects.all().delete()
        RespondentTally.objects.all().delete()
        answer_rows = (
            Answer.objects.filter(response__in=countable)
            .order_by()
            .values("response__unit_id", "response__period_id", "response__service_id", "response__channel")
            .annotate(
                code=F("element__code"),
                n=Count("id"),
                t=Sum("score"),
                k1=Count("id", filter=Q(score=1)),
                k2=Count("id", filter=Q(score=2)),
                k3=Count("id", filter=Q(score=3)),
                k4=Count("id", filter=Q(score=4)),
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
                    answers=row["n"],
                    total=row["t"],
                    c1=row["k1"],
                    c2=row["k2"],
                    c3=row["k3"],
                    c4=row["k4"],
                )
                for row in answer_rows.iterator()
            ),
            batch_size=2000,
        )
        respondent_rows = (
            countable.order_by()
            .values("unit_id", "period_id", "service_id", "channel", "answered")
            .annotate(n=Count("id"), s=Sum("score_sum"), s2=Sum(F("score_sum") * F("score_sum")))
        )
        RespondentTally.objects.bulk_create(
            (
                RespondentTally(
                    unit_id=row["unit_id"],
                    period_id=row["period_id"],
                    service_ref=row["service_id"] or 0,
                    channel=row["channel"],
                    answered=row["answered"],
                    respondents=row["n"],
                    score_sum=row["s"],
                    score_sum_sq=row["s2"],
                )
                for row in respondent_rows.iterator()
            ),
            batch_size=2000,
        )
