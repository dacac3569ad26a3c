"""An app worker killed mid-request: no half-written response, and the client's retry with the
same key is stored exactly once."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter

import pytest

from tests.faults.cluster import gunicorn, open_form, prepare_database, submit, throwaway_cluster

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
SUBMISSIONS = 160
KILLS = 3


def test_killing_workers_during_a_burst_leaves_no_half_written_response() -> None:
    with throwaway_cluster() as cluster:
        code = prepare_database(cluster)
        with gunicorn(cluster, workers=3, threads=4) as app:
            forms = [open_form(app, code) for _ in range(SUBMISSIONS)]
            outcomes: dict[str, int] = {}

            def burst(part: list) -> None:
                for form in part:
                    outcomes[form.key] = submit(app, code, form)

            threads = [threading.Thread(target=burst, args=(forms[start::12],)) for start in range(12)]
            for thread in threads:
                thread.start()
            killed = []
            for number in range(KILLS):  # while requests are in flight, SIGKILL a worker
                while len(outcomes) < (number + 1) * SUBMISSIONS // (KILLS + 2):
                    time.sleep(0.005)
                workers = app.workers()
                assert workers
                os.kill(workers[number % len(workers)], signal.SIGKILL)
                killed.append(workers[number % len(workers)])
            for thread in threads:
                thread.join(timeout=60)
            first = Counter(outcomes.values())
            assert set(first) <= {302, 0, 500, 502, 503}, first

            # No response without all of its answers, and none without its tally, at any point.
            partial = cluster.query(
                "SELECT r.id FROM surveys_response r LEFT JOIN surveys_answer a ON a.response_id = r.id "
                "GROUP BY r.id HAVING count(a.id) <> 9 OR min(r.answered) <> 9"
            )
            assert partial == []

            for form in forms:  # the clients whose request died retry with the same key
                for _attempt in range(20):
                    if outcomes[form.key] == 302:
                        break
                    outcomes[form.key] = submit(app, code, form)
                    time.sleep(0.2)
            assert all(status == 302 for status in outcomes.values())

        keys = [str(key) for (key,) in cluster.query("SELECT submission_key FROM surveys_response")]
        assert len(keys) == SUBMISSIONS == len(set(keys))
        (tallied,) = cluster.query("SELECT sum(respondents) FROM surveys_respondenttally")[0]
        assert tallied == SUBMISSIONS
        (answers,) = cluster.query("SELECT count(*) FROM surveys_answer")[0]
        assert answers == 9 * SUBMISSIONS
        print(f"killed workers {killed}; first attempts {dict(first)}; {len(keys)} stored once each")
