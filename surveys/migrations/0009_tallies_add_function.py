"""PostgreSQL: one implementation of the running-tally arithmetic, `surveys_tallies_add`.

It adds (sign +1) or removes (sign -1) one response's answers to or from the tallies, locking the
answer tallies by element code in byte order (COLLATE "C", as Python sorts), then the respondent
tally: the order every tally change keeps, so concurrent transactions never deadlock. A new
response's increments (`surveys_response_submit`, recreated here to call it) and a spam mark or
its undoing (`surveys.tallies.tallies_add`) both go through it. The key and counter columns follow
`surveys.models.tallies`; tests/surveys/test_tallies.py reads this SQL against the models.
"""

import importlib

from django.db import migrations

TALLIES_ADD = """
CREATE OR REPLACE FUNCTION surveys_tallies_add(
    p_unit bigint, p_period bigint, p_service bigint, p_channel text, codes text[], scores smallint[], sign integer
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    score_total bigint;
BEGIN
    IF cardinality(codes) = 0 THEN
        RETURN;
    END IF;
    INSERT INTO surveys_answertally AS tally
        (unit_id, period_id, service_ref, channel, element_code, answers, total, c1, c2, c3, c4)
    SELECT p_unit, p_period, p_service, p_channel, answer.code, sign, sign * answer.score,
           sign * (answer.score = 1)::int, sign * (answer.score = 2)::int,
           sign * (answer.score = 3)::int, sign * (answer.score = 4)::int
    FROM unnest(codes, scores) AS answer (code, score)
    ORDER BY answer.code COLLATE "C"
    ON CONFLICT (unit_id, period_id, service_ref, channel, element_code) DO UPDATE SET
        answers = tally.answers + excluded.answers, total = tally.total + excluded.total,
        c1 = tally.c1 + excluded.c1, c2 = tally.c2 + excluded.c2,
        c3 = tally.c3 + excluded.c3, c4 = tally.c4 + excluded.c4;
    SELECT sum(score) INTO score_total FROM unnest(scores) AS score;
    INSERT INTO surveys_respondenttally AS tally
        (unit_id, period_id, service_ref, channel, answered, respondents, score_sum, score_sum_sq)
    VALUES (p_unit, p_period, p_service, p_channel, cardinality(codes), sign,
            sign * score_total, sign * score_total * score_total)
    ON CONFLICT (unit_id, period_id, service_ref, channel, answered) DO UPDATE SET
        respondents = tally.respondents + excluded.respondents, score_sum = tally.score_sum + excluded.score_sum,
        score_sum_sq = tally.score_sum_sq + excluded.score_sum_sq;
END
$$;
"""

SUBMIT = """
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
    PERFORM surveys_tallies_add(
        r.unit_id, r.period_id, coalesce(r.service_id, 0), r.channel, tally_codes, scores[1:cardinality(tally_codes)], 1
    );
    RETURN r.id;
END
$$;
"""

# Migration 0007's version, restored when this migration is reversed.
SUBMIT_0007 = importlib.import_module("surveys.migrations.0007_response_submit_function").CREATE

DROP_TALLIES_ADD = "DROP FUNCTION IF EXISTS surveys_tallies_add(bigint, bigint, bigint, text, text[], smallint[], integer);"


def _on_postgresql(*statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("surveys", "0008_countable_rule_in_index")]

    operations = [
        migrations.RunPython(
            _on_postgresql(TALLIES_ADD, SUBMIT), _on_postgresql(SUBMIT_0007, DROP_TALLIES_ADD), elidable=False
        )
    ]
