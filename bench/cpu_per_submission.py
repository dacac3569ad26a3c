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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import servers
from bench.loadgen import CSRF, TICKET, parse_shape, survey_answers
from bench.run_submissions import UNIT_CODES


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_100k")
    parser.add_argument("--submissions", type=int, default=300)
    args = parser.parse_args()
    os.environ.update(servers.server_environment(args.database_url, CACHE_URL="redis://127.0.0.1:6379/7"))
    os.environ["SURVEY_RATE_LIMIT"] = str(10 * args.submissions)

    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    rng = random.Random(3)
    client = Client(enforce_csrf_checks=True, HTTP_USER_AGENT="bench-cpu", HTTP_HOST="127.0.0.1")
    paths = [f"/s/{code}/" for code in UNIT_CODES]
    shapes = {}
    get_queries = post_queries = 0
    cpu = 0.0
    for number in range(args.submissions + 20):  # the first 20 warm up
        path = paths[number % len(paths)]
        began = time.process_time()
        with CaptureQueriesContext(connection) as got:
            page = client.get(path)
        html = page.content.decode()
        shape = shapes.setdefault(path, parse_shape(html))
        data = survey_answers(shape, rng)
        data["t"] = TICKET.search(html).group(1)  # type: ignore[union-attr]
        data["csrfmiddlewaretoken"] = CSRF.search(html).group(1)  # type: ignore[union-attr]
        with CaptureQueriesContext(connection) as posted:
            answer = client.post(path, data)
        assert answer.status_code == 302 and "terima-kasih" in answer["Location"], answer.status_code
        if number >= 20:
            cpu += time.process_time() - began
            get_queries += len(got.captured_queries)
            post_queries += len(posted.captured_queries)
    n = args.submissions
    print(
        f"{n} submissions: {1000 * cpu / n:.2f} ms CPU per GET+POST, "
        f"{get_queries / n:.1f} queries per GET, {post_queries / n:.1f} per POST"
    )


if __name__ == "__main__":
    main()
