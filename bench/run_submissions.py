"""Submissions under load: the citizen survey under gunicorn on PostgreSQL, against a baseline.

    python bench/run_submissions.py --database-url postgres://postgres@127.0.0.1:5432/bench_100k \
        --clients 50 --duration 60 --rounds 3

For each of the baseline (a minimal Django view that inserts one row, same middleware, same
gunicorn settings) and the real app, in the same run: start gunicorn, warm up for a few seconds,
run the load for --duration seconds, stop it, and check what the database holds: stored rows must
equal successful submissions (nothing lost, nothing doubled), each response must have its nine
answers, and the running tallies must have grown by the same number of respondents.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import dataclass
from pathlib import Path

import psycopg2

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import loadgen, servers
from bench.common import CPU_GROUPS, cpu_seconds, record, summary_ms, table

UNIT_CODES = [
    "opd-disdukcapil", "opd-dpmptsp", "opd-rsud-bari", "pkm-dempo", "16.71.04", "opd-bapenda",
    "opd-dinsos", "opd-dishub", "opd-rsud-gandus", "opd-disnaker",
]  # fmt: skip
BASELINE_PATH = "/bench/baseline/"
WARMUP_SECONDS = 3.0


@dataclass(frozen=True)
class Counts:
    responses: int
    answers: int
    tallied: int
    baseline: int


def counts(database_url: str) -> Counts:
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_baseline (id bigserial PRIMARY KEY, payload text NOT NULL, "
            "created_at timestamptz NOT NULL DEFAULT now())"
        )
        cursor.execute(
            "SELECT (SELECT count(*) FROM surveys_response), (SELECT count(*) FROM surveys_answer), "
            "(SELECT coalesce(sum(respondents), 0) FROM surveys_respondenttally), "
            "(SELECT count(*) FROM bench_baseline)"
        )
        row = cursor.fetchone()
    connection.close()
    return Counts(*[int(value) for value in row])


@dataclass
class Outcome:
    name: str
    stats: loadgen.Stats
    wall: float
    before: Counts
    after: Counts
    cpu: dict[str, float]  # CPU seconds the measured load cost, by group (bench.common.CPU_GROUPS)

    def cpu_ms_per_submission(self, *groups: str) -> float:
        """CPU milliseconds per successful submission, of the groups named (all by default)."""
        used = sum(self.cpu[group] for group in groups or CPU_GROUPS)
        return 1000 * used / self.stats.ok if self.stats.ok else 0.0

    @property
    def rate(self) -> float:
        return self.stats.ok / self.wall if self.wall else 0.0

    @property
    def stored(self) -> int:
        if self.name == "baseline":
            return self.after.baseline - self.before.baseline
        return self.after.responses - self.before.responses

    def problems(self, elements: int = 9) -> list[str]:
        found = []
        if self.stored != self.stats.ok:
            found.append(f"{self.name}: {self.stored} rows stored for {self.stats.ok} successful submissions")
        if self.name != "baseline":
            answers = self.after.answers - self.before.answers
            if answers != elements * self.stored:
                found.append(f"{self.name}: {answers} answers for {self.stored} responses")
            tallied = self.after.tallied - self.before.tallied
            if tallied != self.stored:
                found.append(f"{self.name}: tallies grew by {tallied} respondents for {self.stored} responses")
        if sum(self.stats.errors.values()):
            found.append(f"{self.name}: errors {dict(self.stats.errors)}")
        return found


def measure(
    name: str, *, database_url: str, bases: list[str], paths: list[str], clients: int, duration: float
) -> Outcome:
    baseline = name == "baseline"
    asyncio.run(
        loadgen.run_load(bases=bases, paths=paths, clients=clients, duration=WARMUP_SECONDS, baseline=baseline, seed=7)
    )
    before, cpu_before = counts(database_url), cpu_seconds()
    stats, wall = asyncio.run(
        loadgen.run_load(bases=bases, paths=paths, clients=clients, duration=duration, baseline=baseline, seed=11)
    )
    cpu = {group: used - cpu_before[group] for group, used in cpu_seconds().items()}
    return Outcome(name, stats, wall, before, counts(database_url), cpu)


def pooled(name: str, outcomes: list[Outcome]) -> Outcome:
    """Several rounds of one server as one outcome: requests and latencies together, wall times
    and each round's own growth of the tables added up."""
    stats = loadgen.Stats()
    for outcome in outcomes:
        stats.ok += outcome.stats.ok
        stats.errors.update(outcome.stats.errors)
        stats.post_latency += outcome.stats.post_latency
        stats.get_latency += outcome.stats.get_latency
        stats.cycle_latency += outcome.stats.cycle_latency

    def grown(column: str) -> int:
        return sum(getattr(outcome.after, column) - getattr(outcome.before, column) for outcome in outcomes)

    before = Counts(0, 0, 0, 0)
    after = Counts(grown("responses"), grown("answers"), grown("tallied"), grown("baseline"))
    cpu = {group: sum(outcome.cpu[group] for outcome in outcomes) for group in CPU_GROUPS}
    return Outcome(name, stats, sum(outcome.wall for outcome in outcomes), before, after, cpu)


def run_rounds(
    *,
    database_url: str,
    ports: list[int],
    clients: int,
    duration: float,
    settings: servers.ServerSettings,
    names: tuple[str, ...] = ("baseline", "app"),
    rounds: int = 1,
) -> list[list[Outcome]]:
    """`rounds` times each server in turn (baseline, app, baseline, app, ...), each for
    `duration / rounds` seconds: a slow minute on a shared machine then hits both alike."""
    servers.collectstatic(database_url)
    counts(database_url)  # creates the baseline's table before its server starts
    results = []
    for _round in range(rounds):
        outcomes = []
        for name in names:
            servers.flush_cache()
            module = "bench.baseline_settings" if name == "baseline" else "survey_site.settings"
            paths = [BASELINE_PATH] if name == "baseline" else [f"/s/{code}/" for code in UNIT_CODES]
            with servers.running(database_url, ports=ports, settings=settings, settings_module=module) as bases:
                outcome = measure(
                    name, database_url=database_url, bases=bases, paths=paths, clients=clients,
                    duration=duration / rounds,
                )  # fmt: skip
            outcomes.append(outcome)
            print(f"{name}: {outcome.rate:.1f} submissions/s, errors {dict(outcome.stats.errors)}", flush=True)
        results.append(outcomes)
    return results


def report_rows(outcomes: list[Outcome], labels: list[str] | None = None) -> list[list[str]]:
    rows = []
    for number, outcome in enumerate(outcomes):
        post = summary_ms(outcome.stats.post_latency)
        cycle = summary_ms(outcome.stats.cycle_latency)
        rows.append(
            [
                labels[number] if labels else outcome.name,
                f"{outcome.rate:.1f}",
                f"{post['p50']:.0f} / {post['p95']:.0f} / {post['p99']:.0f}",
                f"{cycle['p50']:.0f} / {cycle['p95']:.0f} / {cycle['p99']:.0f}",
                str(sum(outcome.stats.errors.values())),
                f"{outcome.stats.ok} / {outcome.stored}",
                " / ".join(f"{outcome.cpu_ms_per_submission(group):.1f}" for group in CPU_GROUPS),
            ]
        )
    return rows


HEADER = [
    "server",
    "submissions/s",
    "POST p50/p95/p99 ms",
    "GET+POST p50/p95/p99 ms",
    "errors",
    "successful / rows stored",
    "CPU ms per submission: app server / PostgreSQL / Redis / load generator",
]


def cpu_comparison(app: Outcome, baseline: Outcome) -> str:
    """The work per submission on the server side (app server, PostgreSQL, Redis), which other
    tenants' load on the machine slows down but does not inflate the way it does a rate."""
    server = ("app server", "PostgreSQL", "Redis")
    ratio = baseline.cpu_ms_per_submission(*server) / max(app.cpu_ms_per_submission(*server), 1e-9)
    return (
        f"Server-side CPU per submission (app server + PostgreSQL + Redis): app "
        f"{app.cpu_ms_per_submission(*server):.2f} ms, baseline {baseline.cpu_ms_per_submission(*server):.2f} ms: "
        f"at equal CPU the app takes **{ratio:.2f}x** the baseline's submissions.\n\n"
    )


def verdict(app: Outcome, baseline: Outcome) -> str:
    post = summary_ms(app.stats.post_latency)
    ratio = app.rate / baseline.rate if baseline.rate else 0.0
    checks = [
        ("≥ 300 submissions/s", app.rate >= 300, f"{app.rate:.1f}/s"),
        ("POST p95 ≤ 100 ms", post["p95"] <= 100, f"{post['p95']:.0f} ms"),
        ("zero lost", app.stored == app.stats.ok, f"{app.stats.ok} successful, {app.stored} stored"),
        ("≥ 50% of baseline rate", ratio >= 0.5, f"{ratio:.2f}x baseline"),
    ]
    return table(
        ["target", "met", "measured"], [(label, "yes" if met else "**no**", value) for label, met, value in checks]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Submissions under load against a minimal-view baseline.")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_100k")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--port", type=int, default=8106)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3, help="turns each server takes (the duration is split)")
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--app-only", action="store_true", help="skip the baseline (the CI smoke run)")
    args = parser.parse_args()
    settings = servers.ServerSettings(workers=args.workers, worker_class=args.worker_class, threads=args.threads)
    rounds = run_rounds(
        database_url=args.database_url,
        ports=[args.port],
        clients=args.clients,
        duration=args.duration,
        settings=settings,
        names=("app",) if args.app_only else ("baseline", "app"),
        rounds=1 if args.app_only else args.rounds,
    )
    if args.app_only:
        problems = rounds[0][0].problems()
        print(table(HEADER, report_rows(rounds[0])))
        print("\n".join(problems) or "no functional problems")
        sys.exit(1 if problems else 0)
    baseline, app = pooled("baseline", [pair[0] for pair in rounds]), pooled("app", [pair[1] for pair in rounds])
    outcomes = [baseline, app]
    per_round = ", ".join(f"{pair[1].rate / max(pair[0].rate, 1e-9):.2f}x" for pair in rounds)
    labels = [f"{outcome.name}, round {number}" for number, pair in enumerate(rounds, start=1) for outcome in pair]
    body = (
        f"{args.clients} concurrent clients; baseline and app take turns, {len(rounds)} rounds of "
        f"{args.duration / len(rounds):.0f} s each (each after a {WARMUP_SECONDS:.0f} s warm-up), "
        f"load generator (bench/loadgen.py, aiohttp) on the same machine; server: {settings.describe()}; "
        f"rate limit on, every simulated citizen with its own User-Agent; SURVEY_MIN_FILL_SECONDS=0.\n\n"
        + table(HEADER, report_rows([pair_outcome for pair in rounds for pair_outcome in pair], labels))
        + "\n\nAll rounds together:\n\n"
        + table(HEADER, report_rows(outcomes))
        + f"\n\nApp rate = **{app.rate / max(baseline.rate, 1e-9):.2f}x the baseline** (per round: {per_round}).\n\n"
        + cpu_comparison(app, baseline)
        + verdict(app, baseline)
    )
    problems = [problem for outcome in outcomes for problem in outcome.problems()]
    if problems:
        body += "\n\nFunctional problems:\n" + "\n".join(f"- {problem}" for problem in problems)
    if not args.no_record:
        record("Submissions under load", body, database_url=args.database_url)
    else:
        print(body)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
