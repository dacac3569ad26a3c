from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from surveys import services
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
def test_a_submission_and_a_spam_mark_lock_the_tally_rows_in_one_order(
    city: Any, instrument: Any, period: Any, kecamatan_admin: Any
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
    services.response_mark_spam(response=second, user=kecamatan_admin, reason="Iklan, bukan saran")
    assert _touched() == in_one_order
    services.response_unmark_spam(response=second, user=kecamatan_admin)
    assert _touched() == in_one_order
