from __future__ import annotations

import importlib
import re
from typing import Any

import pytest
from django.db import connection

from surveys import services, tallies
from surveys.models import AnswerTally, RespondentTally
from surveys.models.tallies import (
    ANSWER_TALLY_COUNTERS,
    ANSWER_TALLY_KEY,
    RESPONDENT_TALLY_COUNTERS,
    RESPONDENT_TALLY_KEY,
)
from tests import builders

pytestmark = pytest.mark.django_db

TOUCHED_IN_ORDER = """
CREATE TEMP TABLE tally_touch (n serial, touched text);
CREATE FUNCTION tally_touch_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tally_touch (touched) VALUES (TG_TABLE_NAME || ':' || coalesce(to_jsonb(NEW) ->> 'element_code', ''));
    RETURN NEW;
END $$;
CREATE TRIGGER answer_touch BEFORE UPDATE ON surveys_answertally
    FOR EACH ROW EXECUTE FUNCTION tally_touch_log();
CREATE TRIGGER respondent_touch BEFORE UPDATE ON surveys_respondenttally
    FOR EACH ROW EXECUTE FUNCTION tally_touch_log();
"""


def _touched() -> list[str]:
    """The tally rows updated since the last call, in the order they were locked."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM tally_touch RETURNING n, touched")
        return [touched for _n, touched in sorted(cursor.fetchall())]


@pytest.mark.postgres
def test_a_submission_an_exclusion_and_a_release_lock_the_tally_rows_in_one_order(
    city: Any, instrument: Any, period: Any, secretariat: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks in one order matter where writers run concurrently: PostgreSQL")
    stored = {"instrument": instrument, "period": period}
    builders.make_response(city.kelurahan, [3] * 9, **stored)  # the tally rows exist from here on
    with connection.cursor() as cursor:
        cursor.execute(TOUCHED_IN_ORDER)  # rolled back with the test's transaction
    codes = sorted(instrument.elements.values_list("code", flat=True))
    in_one_order = [f"surveys_answertally:{code}" for code in codes] + ["surveys_respondenttally:"]

    second = builders.make_response(city.kelurahan, [4] * 9, **stored)
    assert _touched() == in_one_order
    services.response_exclude(response=second, user=secretariat, reason="Iklan, bukan saran")
    assert _touched() == in_one_order
    services.response_reinstate(response=second, user=secretariat, note="Warga asli ternyata")
    assert _touched() == in_one_order
    held = [builders.make_response(city.kelurahan, [2] * 9, state="held", reason="address", **stored) for _ in range(2)]
    services.responses_release(responses=held, user=secretariat)
    assert _touched() == in_one_order * 2


def _function_sql(name: str) -> str:
    """The body of a PostgreSQL function as the database holds it, or as its migration creates it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = %s", [name])
            return str(cursor.fetchone()[0])
    migration = importlib.import_module("surveys.migrations.0009_tallies_add_function")
    return str({"surveys_tallies_add": migration.TALLIES_ADD, "surveys_response_submit": migration.SUBMIT}[name])


def _listed(sql: str, table: str) -> tuple[list[str], list[str]]:
    """The columns an INSERT into `table` names, and the ones its ON CONFLICT names."""
    insert = re.search(rf"INSERT INTO {table} AS tally\s*\(([^)]*)\)", sql)
    conflict = re.search(rf"INSERT INTO {table}.*?ON CONFLICT \(([^)]*)\)", sql, re.DOTALL)
    assert insert is not None and conflict is not None, f"no upsert into {table}"
    return [name.strip() for name in insert.group(1).split(",")], [
        name.strip() for name in conflict.group(1).split(",")
    ]


@pytest.mark.parametrize(
    ("model", "key", "counters"),
    [
        (AnswerTally, ANSWER_TALLY_KEY, ANSWER_TALLY_COUNTERS),
        (RespondentTally, RESPONDENT_TALLY_KEY, RESPONDENT_TALLY_COUNTERS),
    ],
)
def test_the_postgresql_tally_function_keeps_the_tally_schema_of_the_models(
    model: Any, key: Any, counters: Any
) -> None:
    inserted, conflict_key = _listed(_function_sql("surveys_tallies_add"), model._meta.db_table)
    assert inserted == [*tallies.columns(model, key), *counters]
    assert conflict_key == tallies.columns(model, key)
    unique = next(constraint for constraint in model._meta.constraints if constraint.name.endswith("tally_key"))
    assert tuple(unique.fields) == key
    assert {field.column for field in model._meta.concrete_fields if not field.primary_key} == set(inserted)


def test_postgresql_has_one_implementation_of_the_tally_arithmetic() -> None:
    submit = _function_sql("surveys_response_submit")
    assert "surveys_tallies_add(" in submit
    assert "surveys_answertally" not in submit and "surveys_respondenttally" not in submit
