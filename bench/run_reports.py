"""Report pages at scale: warm p50/p95 of the dashboards and public results, against a raw GROUP BY.

    python bench/run_reports.py --database-url postgres://postgres@127.0.0.1:5432/bench_1m

Starts gunicorn (production settings) on the database, logs in as the demo secretariat, and
requests each page --repeat times in a row after a few warm-up requests, one at a time (latency,
not throughput). The baseline, in the same run, is one hand-written SQL `GROUP BY` that computes
the per-unit, per-element totals of the same period from the raw answers: what any report costs
when it computes from scratch. A page whose URL is not in this build (the staff dashboards before
they are merged) is listed as skipped.
"""

from __future__ import annotations

import argparse
import http.client
import re
import sys
import time
import urllib.parse
from pathlib import Path

import psycopg2

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import servers
from bench.common import django_setup, record, summary_ms, table

BUSY_UNIT = "opd-disdukcapil"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BASELINE_SQL = """
SELECT r.unit_id, a.element_id, count(*) AS answers, sum(a.score) AS total,
       count(*) FILTER (WHERE a.score = 1), count(*) FILTER (WHERE a.score = 2),
       count(*) FILTER (WHERE a.score = 3), count(*) FILTER (WHERE a.score = 4)
FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id
WHERE r.period_id = %s AND NOT r.is_test AND r.state = 'counted' AND r.answered > 0
GROUP BY r.unit_id, a.element_id
"""


class Browser:
    """A tiny cookie-keeping HTTP client (the bench server sets Secure cookies over plain HTTP)."""

    def __init__(self, host: str, port: int) -> None:
        self.connection = http.client.HTTPConnection(host, port, timeout=120)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict[str, str] | None = None) -> tuple[int, bytes, str]:
        headers = {"User-Agent": "bench-reports", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        return response.status, content, response.headers.get("Location", "")

    def login(self, username: str, password: str) -> None:
        status, content, _ = self.request("GET", "/akun/masuk/")
        match = CSRF.search(content.decode())
        if status != 200 or match is None:
            raise RuntimeError(f"login page answered {status}")
        form = {"csrfmiddlewaretoken": match.group(1), "username": username, "password": password}
        status, _, _location = self.request("POST", "/akun/masuk/", form)
        if status != 302:
            raise RuntimeError(f"login as {username} failed ({status})")


def time_page(browser: Browser, path: str, repeat: int, warmup: int = 3) -> tuple[list[float], int, int]:
    status, content = 0, b""
    for _ in range(warmup):
        status, content, _ = browser.request("GET", path)
    timings = []
    for _ in range(repeat):
        began = time.perf_counter()
        status, content, _ = browser.request("GET", path)
        timings.append(time.perf_counter() - began)
        if status != 200:
            break
    return timings, status, len(content)


def time_baseline(database_url: str, period_id: int, repeat: int) -> tuple[list[float], int]:
    connection = psycopg2.connect(database_url)
    timings, rows = [], 0
    with connection.cursor() as cursor:
        for number in range(repeat + 2):
            began = time.perf_counter()
            cursor.execute(BASELINE_SQL, [period_id])
            rows = len(cursor.fetchall())
            if number >= 2:
                timings.append(time.perf_counter() - began)
    connection.close()
    return timings, rows


def targets() -> dict[str, float]:
    return {"unit dashboard": 150.0, "city dashboard": 300.0}


def main() -> None:
    parser = argparse.ArgumentParser(description="Report pages at scale against a raw GROUP BY baseline.")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_1m")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--port", type=int, default=8106)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--label", default="", help="a note for the results title (e.g. which build)")
    args = parser.parse_args()
    django_setup(args.database_url)
    from django.urls import NoReverseMatch, reverse

    from reports.models import PeriodPublication
    from surveys.models import Period, PeriodState, Response

    responses = Response.objects.count()
    current = Period.objects.filter(state=PeriodState.OPEN).order_by("-start").first()
    publication = PeriodPublication.objects.select_related("period").order_by("-period__start").first()
    if current is None or publication is None:
        raise SystemExit("the database needs an open period and a published one: run bench/generate.py first")
    pages: list[tuple[str, str | None]] = []
    for label, name, kwargs in (
        ("unit dashboard", "unit-dashboard", {"code": BUSY_UNIT}),
        ("city dashboard", "city-dashboard", {}),
    ):
        try:
            pages.append((label, reverse(name, kwargs=kwargs)))
        except NoReverseMatch:
            pages.append((label, None))
    pages.append(("public results, period", reverse("results-period", args=[publication.slug])))
    pages.append(("public results, unit", reverse("results-unit", args=[publication.slug, BUSY_UNIT])))
    servers.collectstatic(args.database_url)
    settings = servers.ServerSettings(workers=args.workers)
    measured: list[tuple[str, str, dict[str, float] | None, int, int]] = []
    with servers.running(args.database_url, ports=[args.port], settings=settings):
        browser = Browser("127.0.0.1", args.port)
        browser.login("sekretariat", "demo12345")
        for label, path in pages:
            if path is None:
                measured.append((label, "(not in this build)", None, 0, 0))
                continue
            timings, status, size = time_page(browser, path, args.repeat)
            measured.append((label, path, summary_ms(timings), status, size))
            print(label, path, status, measured[-1][2], flush=True)
    baseline, groups = time_baseline(args.database_url, current.pk, args.repeat)
    base = summary_ms(baseline)
    rows = [
        (label, f"`{path}`", f"{s['p50']:.0f}", f"{s['p95']:.0f}", status, f"{size / 1024:.0f} KB")
        if s
        else (label, path, "-", "-", "skipped", "-")
        for label, path, s, status, size in measured
    ]
    rows.append(
        (
            f"baseline: raw GROUP BY, {current.name} ({groups} unit x element groups)",
            "SQL",
            f"{base['p50']:.0f}",
            f"{base['p95']:.0f}",
            "-",
            "-",
        )
    )
    verdicts = []
    for label, _path, s, _status, _size in measured:
        if s and label in targets():
            verdicts.append(
                (f"{label} p95 ≤ {targets()[label]:.0f} ms", "yes" if s["p95"] <= targets()[label] else "**no**")
            )
        if s and label == "city dashboard":
            ratio = s["p95"] / base["p95"] if base["p95"] else 0.0
            verdicts.append(
                (f"city dashboard ≤ 0.5x baseline (p95 ratio {ratio:.2f})", "yes" if ratio <= 0.5 else "**no**")
            )
    body = (
        f"{responses:,} responses in the database; {args.repeat} warm requests per page, one at a time, "
        f"as the demo secretariat; server: {settings.describe()}. Baseline period: {current.name} (open).\n\n"
        + table(["page", "path", "p50 ms", "p95 ms", "status", "size"], rows)
        + ("\n\n" + table(["target", "met"], verdicts) if verdicts else "")
    )
    if args.no_record:
        print(body)
    else:
        title = "Reports at scale" + (f" ({args.label})" if args.label else "")
        record(title, body, database_url=args.database_url)
    bad = [label for label, _path, s, status, _size in measured if s and status != 200]
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
