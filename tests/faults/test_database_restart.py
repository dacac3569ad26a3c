"""PostgreSQL restarted in the middle of a stream of submissions: every submission was either
thanked and stored exactly once, or got a retryable error; resubmitting stores it exactly once."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest

from tests.faults.cluster import gunicorn, open_form, prepare_database, submit, throwaway_cluster

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
SUBMISSIONS = 160
RETRYABLE = {0, 500, 502, 503}


def test_a_database_restart_mid_stream_loses_and_duplicates_nothing() -> None:
    with throwaway_cluster() as cluster:
        code = prepare_database(cluster)
        with gunicorn(cluster, workers=2, threads=2) as app:
            started = time.monotonic()
            forms = [open_form(app, code) for _ in range(SUBMISSIONS)]
            print(f"forms fetched in {time.monotonic() - started:.1f}s")
            outcomes: dict[str, int] = {}

            def stream(part: list) -> None:
                for form in part:
                    outcomes[form.key] = submit(app, code, form)
                    time.sleep(0.01)

            threads = [threading.Thread(target=stream, args=(forms[start::4],)) for start in range(4)]
            for thread in threads:
                thread.start()
            while len(outcomes) < SUBMISSIONS // 3:
                time.sleep(0.01)
            cluster.restart("immediate")  # a crash and recovery, while submissions are in flight
            restarted = time.monotonic()
            for thread in threads:
                thread.join(timeout=60)
            print(f"stream done {time.monotonic() - restarted:.1f}s after the restart: {Counter(outcomes.values())}")

            statuses = Counter(outcomes.values())
            assert set(statuses) <= {302} | RETRYABLE, statuses
            assert statuses[302] < SUBMISSIONS, "the restart interrupted nothing; the test proves nothing"
            acknowledged = {key for key, status in outcomes.items() if status == 302}
            stored = {str(key) for (key,) in cluster.query("SELECT submission_key FROM surveys_response")}
            assert acknowledged <= stored  # every thank-you was a stored response

            for form in forms:  # the citizens whose submission failed press "send" again
                if outcomes[form.key] != 302:
                    for _attempt in range(20):
                        outcomes[form.key] = submit(app, code, form)
                        if outcomes[form.key] == 302:
                            break
                        time.sleep(0.5)
            assert all(status == 302 for status in outcomes.values())

        rows = cluster.query(
            "SELECT r.submission_key, r.answered, r.score_sum, count(a.id) FROM surveys_response r "
            "LEFT JOIN surveys_answer a ON a.response_id = r.id GROUP BY r.id"
        )
        assert len(rows) == SUBMISSIONS == len({str(row[0]) for row in rows})
        assert {str(row[0]) for row in rows} == {form.key for form in forms}
        assert all(row[1:] == (9, 36, 9) for row in rows)
        (tallied,) = cluster.query("SELECT sum(respondents) FROM surveys_respondenttally")[0]
        assert tallied == SUBMISSIONS  # the running tallies moved exactly once per stored response
        print(f"restart mid-stream: {dict(statuses)} on the first attempt; {len(rows)} stored once each")
