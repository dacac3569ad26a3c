"""PostgreSQL: a function that stores one citizen's response, its answers and its tally
increments (`services.response_submit` calls it; SQLite keeps the ORM path).

PL/pgSQL keeps the plans of the statements inside a function for the life of the connection, so
each submission skips parsing and planning a 2 KB statement: about a quarter less PostgreSQL CPU
per submission (bench/RESULTS.md), with no named prepared statements (which a
transaction-pooling PgBouncer would break).

The response row comes as JSON keyed by column and is read with `jsonb_populate_record` into the
table's own row type, so a plain column added to or dropped from `surveys_response` later needs no
change here (`services.responses._insert_on_postgresql` refuses values it cannot send as JSON, and a test
lists the field kinds it can). A change to the answer or tally tables needs a new version of this
function; the running tallies must stay what `surveys.tallies.tallies_add` adds (tests
compare them with a recount). Tally rows are locked in the order every other tally change uses
(`surveys.tallies`): the answer tallies by element code in byte order (COLLATE "C", as Python
sorts), then the respondent tally, so concurrent transactions never deadlock.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION surveys_response_submit(
    fields jsonb, element_ids bigint[], scores smallint[], tally_codes text[]
) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    r surveys_response;
BEGIN
    r := jsonb_populate_record(NULL::surveys_response, fields);
    r.id := nextval(pg_get_serial_sequence('surveys_response', 'id'));
    INSERT INTO surveys_response SELECT r.*;
    INSERT INTO surveys_answer (response_id, element_id, score)
        SELECT r.id, answer.element_id, answer.score FROM unnest(element_ids, scores) AS answer (element_id, score);
    IF cardinality(tally_codes) > 0 THEN
        INSERT INTO surveys_answertally AS tally
            (unit_id, period_id, service_ref, channel, element_code, answers, total, c1, c2, c3, c4)
        SELECT r.unit_id, r.period_id, coalesce(r.service_id, 0), r.channel, answer.code, 1, answer.score,
               (answer.score = 1)::int, (answer.score = 2)::int, (answer.score = 3)::int, (answer.score = 4)::int
        FROM unnest(tally_codes, scores) AS answer (code, score)
        ORDER BY answer.code COLLATE "C"
        ON CONFLICT (unit_id, period_id, service_ref, channel, element_code) DO UPDATE SET
            answers = tally.answers + excluded.answers, total = tally.total + excluded.total,
            c1 = tally.c1 + excluded.c1, c2 = tally.c2 + excluded.c2,
            c3 = tally.c3 + excluded.c3, c4 = tally.c4 + excluded.c4;
        INSERT INTO surveys_respondenttally AS tally
            (unit_id, period_id, service_ref, channel, answered, respondents, score_sum, score_sum_sq)
        VALUES (r.unit_id, r.period_id, coalesce(r.service_id, 0), r.channel, cardinality(tally_codes), 1,
                r.score_sum, r.score_sum::bigint * r.score_sum)
        ON CONFLICT (unit_id, period_id, service_ref, channel, answered) DO UPDATE SET
            respondents = tally.respondents + excluded.respondents, score_sum = tally.score_sum + excluded.score_sum,
            score_sum_sq = tally.score_sum_sq + excluded.score_sum_sq;
    END IF;
    RETURN r.id;
END
$$;
"""

DROP = "DROP FUNCTION IF EXISTS surveys_response_submit(jsonb, bigint[], smallint[], text[]);"


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("surveys", "0006_fewer_write_indexes")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False)]
