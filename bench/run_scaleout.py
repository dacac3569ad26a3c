"""Scale-out: two app-server processes on different ports against one PostgreSQL and one Redis.

    python bench/run_scaleout.py --database-url postgres://postgres@127.0.0.1:5432/bench_100k

Three checks, all through both servers at once:
1. load: 50 clients, half on each server, for --duration seconds; nothing lost (rows stored ==
   successful submissions, nine answers each, tallies grown by the same count);
2. one-time keys: each of 20 rendered forms is posted six times at once, three times to each
   server; every post must end on the thank-you page and exactly one response per key is stored;
3. rate limit: one client (one address, one browser) submits the limit + 5 times, alternating
   servers; exactly `SURVEY_RATE_LIMIT` are stored and the rest get 429, because the count lives
   in the shared Redis cache rather than in either process.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import random
import sys
from pathlib import Path

import aiohttp
import psycopg2

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import loadgen, servers
from bench.common import record, summary_ms, table
from bench.run_submissions import UNIT_CODES, counts

RATE_LIMIT = 10  # the app's default SURVEY_RATE_LIMIT, set explicitly for the run
REPLAYED_FORMS = 20
COPIES = 6


def ticket_key(ticket: str) -> str:
    """The one-time key inside a signed ticket (its payload is URL-safe base64 JSON)."""
    payload = ticket.split(":", 1)[0]
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return str(data["k"])


async def fetch_form(session: aiohttp.ClientSession, url: str, agent: str) -> tuple[dict[str, str], dict[str, str]]:
    async with session.get(url, headers={"User-Agent": agent}) as response:
        html = await response.text()
        cookie = loadgen._cookie(response, "csrftoken") or ""
    ticket = loadgen.TICKET.search(html)
    token = loadgen.CSRF.search(html)
    assert ticket and token, "the form has no ticket or CSRF token"
    data = loadgen.survey_answers(loadgen.parse_shape(html), random.Random(ticket.group(1)))
    data.update(t=ticket.group(1), csrfmiddlewaretoken=token.group(1))
    return data, {"User-Agent": agent, "Cookie": f"csrftoken={cookie}"}


async def post(session: aiohttp.ClientSession, url: str, data: dict[str, str], headers: dict[str, str]) -> int:
    async with session.post(url, data=data, headers=headers, allow_redirects=False) as response:
        await response.read()
        return response.status


async def replay_check(bases: list[str]) -> tuple[list[str], list[int]]:
    """Post each rendered form COPIES times at once across both servers; returns keys and statuses."""
    keys, statuses = [], []
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
        for number in range(REPLAYED_FORMS):
            path = f"/s/{UNIT_CODES[number % len(UNIT_CODES)]}/"
            data, headers = await fetch_form(session, bases[0] + path, f"bench-replay-{number}")
            keys.append(ticket_key(data["t"]))
            statuses += await asyncio.gather(
                *(post(session, bases[copy % len(bases)] + path, data, headers) for copy in range(COPIES))
            )
    return keys, statuses


async def rate_limit_check(bases: list[str]) -> list[int]:
    """One client submits RATE_LIMIT + 5 times, alternating servers; returns the POST statuses."""
    statuses = []
    path = f"/s/{UNIT_CODES[0]}/"
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
        for number in range(RATE_LIMIT + 5):
            base = bases[number % len(bases)]
            data, headers = await fetch_form(session, base + path, "bench-one-phone")
            statuses.append(await post(session, base + path, data, headers))
    return statuses


def stored_keys(database_url: str, keys: list[str]) -> int:
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM surveys_response WHERE submission_key = ANY(%s::uuid[])", [keys])
        (stored,) = cursor.fetchone()
    connection.close()
    return int(stored)


def main() -> None:
    parser = argparse.ArgumentParser(description="Two app servers, one database: nothing lost, limits hold.")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_100k")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--ports", type=int, nargs=2, default=[8106, 8107])
    parser.add_argument("--workers", type=int, default=2, help="workers per server")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    servers.collectstatic(args.database_url)
    servers.flush_cache()
    settings = servers.ServerSettings(workers=args.workers)
    problems: list[str] = []
    with servers.running(
        args.database_url, ports=args.ports, settings=settings, SURVEY_RATE_LIMIT=str(RATE_LIMIT)
    ) as bases:
        before = counts(args.database_url)
        stats, wall = asyncio.run(
            loadgen.run_load(
                bases=bases, paths=[f"/s/{code}/" for code in UNIT_CODES], clients=args.clients, duration=args.duration
            )
        )
        after = counts(args.database_url)
        keys, replay_statuses = asyncio.run(replay_check(bases))
        replay_stored = stored_keys(args.database_url, keys)
        servers.flush_cache()
        before_limit = counts(args.database_url)
        limit_statuses = asyncio.run(rate_limit_check(bases))
        limit_stored = counts(args.database_url).responses - before_limit.responses
    stored = after.responses - before.responses
    if stored != stats.ok or sum(stats.errors.values()):
        problems.append(f"load: {stats.ok} successful, {stored} stored, errors {dict(stats.errors)}")
    if after.answers - before.answers != 9 * stored or after.tallied - before.tallied != stored:
        problems.append("load: answers or tallies out of step with stored responses")
    if replay_stored != len(keys) or any(status != 302 for status in replay_statuses):
        problems.append(f"one-time keys: {replay_stored} stored for {len(keys)} keys; statuses {set(replay_statuses)}")
    accepted = sum(1 for status in limit_statuses if status == 302)
    refused = sum(1 for status in limit_statuses if status == 429)
    if accepted != RATE_LIMIT or refused != 5 or limit_stored != RATE_LIMIT:
        problems.append(f"rate limit: {accepted} accepted, {refused} refused, {limit_stored} stored")
    post = summary_ms(stats.post_latency)
    body = (
        f"Two gunicorn processes (ports {args.ports[0]} and {args.ports[1]}), each {settings.describe()}; "
        f"one PostgreSQL, one Redis; {args.clients} clients split evenly for {args.duration:.0f} s.\n\n"
        + table(
            ["check", "result"],
            [
                (
                    "load across both servers",
                    f"{stats.ok / wall:.1f} submissions/s, POST p50/p95/p99 {post['p50']:.0f}/{post['p95']:.0f}/"
                    f"{post['p99']:.0f} ms; {stats.ok} successful, {stored} stored, "
                    f"{sum(stats.errors.values())} errors",
                ),
                (
                    f"one-time keys ({REPLAYED_FORMS} forms x {COPIES} simultaneous posts, both servers)",
                    f"{replay_stored} responses stored for {len(keys)} keys; statuses {sorted(set(replay_statuses))}",
                ),
                (
                    f"rate limit {RATE_LIMIT}/window, one client alternating servers, {RATE_LIMIT + 5} tries",
                    f"{accepted} accepted, {refused} refused (429), {limit_stored} stored",
                ),
            ],
        )
        + (
            "\n\nProblems:\n" + "\n".join(f"- {problem}" for problem in problems)
            if problems
            else "\n\nAll checks hold."
        )
    )
    if args.no_record:
        print(body)
    else:
        record("Scale-out: two app servers", body, database_url=args.database_url)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
