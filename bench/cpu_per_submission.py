"""CPU and queries per citizen submission (GET the form + POST answers), in one process.

Load runs on a shared machine are noisy; this measures what one submission costs the app
process itself: `time.process_time()` per GET+POST through Django's test client (CSRF checks
on, production middleware, DEBUG=0) and the queries each request sends. Not part of pytest.

    python bench/cpu_per_submission.py --database-url postgres://postgres@127.0.0.1:5432/bench_100k
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import servers
from bench.loadgen import CSRF, SUGGESTIONS, TICKET, FormShape, parse_shape, survey_answers
from bench.run_submissions import BASELINE_PATH, UNIT_CODES, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_100k")
    parser.add_argument("--submissions", type=int, default=300)
    args = parser.parse_args()
    environment = servers.server_environment(
        args.database_url, settings_module="bench.baseline_settings", CACHE_URL="redis://127.0.0.1:6379/7"
    )
    os.environ.update(environment)
    os.environ["SURVEY_RATE_LIMIT"] = str(10 * args.submissions)
    counts(args.database_url)  # creates the baseline's table

    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    rng = random.Random(3)
    client = Client(enforce_csrf_checks=True, HTTP_USER_AGENT="bench-cpu", HTTP_HOST="127.0.0.1")
    shapes: dict[str, FormShape] = {}

    def submit(path: str, *, baseline: bool) -> list[float]:
        """One GET + POST: [CPU seconds of the GET, of the POST, queries of the GET, of the POST]."""
        began = time.process_time()
        with CaptureQueriesContext(connection) as got:
            page = client.get(path)
        shown = time.process_time()
        html = page.content.decode()
        if baseline:
            data = {"payload": rng.choice(SUGGESTIONS)}
        else:
            data = survey_answers(shapes.setdefault(path, parse_shape(html)), rng)
            data["t"] = TICKET.search(html).group(1)  # type: ignore[union-attr]
        data["csrfmiddlewaretoken"] = CSRF.search(html).group(1)  # type: ignore[union-attr]
        body = urlencode(data)
        sending = time.process_time()
        with CaptureQueriesContext(connection) as posted:
            answer = client.post(path, body, content_type="application/x-www-form-urlencoded")
        assert answer.status_code == 302, answer.status_code
        done = time.process_time()
        return [shown - began, done - sending, len(got.captured_queries), len(posted.captured_queries)]

    totals = {"baseline": [0.0, 0.0, 0.0, 0.0], "app": [0.0, 0.0, 0.0, 0.0]}
    paths = [f"/s/{code}/" for code in UNIT_CODES]
    for number in range(args.submissions + 20):  # the first 20 warm up; the two alternate
        for name, path in (("baseline", BASELINE_PATH), ("app", paths[number % len(paths)])):
            measured = submit(path, baseline=name == "baseline")
            if number >= 20:
                totals[name] = [total + value for total, value in zip(totals[name], measured, strict=True)]
    n = args.submissions
    for name, (get_cpu, post_cpu, get_queries, post_queries) in totals.items():
        print(
            f"{name}: {n} submissions, CPU per GET {1000 * get_cpu / n:.2f} ms + POST {1000 * post_cpu / n:.2f} ms "
            f"= {1000 * (get_cpu + post_cpu) / n:.2f} ms; {get_queries / n:.1f} queries per GET, "
            f"{post_queries / n:.1f} per POST"
        )
    app, baseline = sum(totals["app"][:2]), sum(totals["baseline"][:2])
    print(f"app / baseline CPU per submission: {app / baseline:.2f}x")


if __name__ == "__main__":
    main()
