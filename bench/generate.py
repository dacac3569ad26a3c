"""Fill a PostgreSQL database with realistic survey responses for the Palembang registry.

    python bench/generate.py --responses 1000000 \
        --database-url postgres://postgres@127.0.0.1:5432/bench_1m

Creates the database if it is missing, migrates it, loads the registry, instrument, periods and
demo accounts with `seed_demo --responses 0`, then adds N responses (9 answers each) with
PostgreSQL COPY in chunks of 100,000, rebuilds the running tallies, takes fresh snapshots of the
past periods (closing and publishing them) so /hasil/ has data, and runs VACUUM ANALYZE.

The data is deterministic for a given --seed and shaped like a city's: a few units are very busy
(Disdukcapil, the hospitals, some puskesmas), most get a trickle, about one in seven is nearly
empty; each unit has its own quality level and its own weak and strong elements; later periods
have more responses than earlier ones; profiles follow plausible shares; about three in ten
respondents leave a suggestion in Indonesian; a few responses are held, excluded or test data
(stored, not counted).

While loading, the session runs with `session_replication_role = replica`, which skips the
foreign-key triggers (the loader makes every key itself; the counts are checked at the end).
"""

from __future__ import annotations

import argparse
import datetime
import io
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import admin_url, database_name, django_setup, record, table

CHUNK = 100_000
BUSY_CODES = {
    "opd-disdukcapil": 40.0,
    "opd-rsud-bari": 25.0,
    "opd-dpmptsp": 15.0,
    "opd-rsud-gandus": 10.0,
    "opd-bapenda": 8.0,
    "pkm-dempo": 8.0,
}
SUGGESTION_OPENINGS = [
    "Antrean terlalu lama",
    "Petugas ramah dan cepat",
    "Ruang tunggu panas",
    "Persyaratan kurang jelas",
    "Pelayanan sudah baik",
    "Toilet kurang bersih",
    "Loket buka terlambat",
    "Parkir sempit",
    "Sistem sering offline",
    "Informasi biaya membingungkan",
    "Petugas kurang menjelaskan alur",
    "Obat sering kosong",
    "Kursi ruang tunggu kurang",
    "Prosesnya cepat sekali",
    "Nomor antrean tidak jalan",
]
SUGGESTION_ENDINGS = [
    ", mohon ditambah petugas loket.",
    ", terima kasih.",
    ", tolong diperbaiki.",
    ", semoga ke depan lebih baik.",
    ", pertahankan.",
    ", mohon segera ditindaklanjuti.",
    " sehingga saya harus datang dua kali.",
    ", sebaiknya ada antrean online.",
    ". Kotak saran sepertinya tidak pernah dibuka.",
    ", apalagi untuk lansia dan ibu hamil.",
]
EDUCATION = (["SD", "SMP", "SMA", "D1-D3", "S1", "S2", "S3", "tidak_sekolah"], [8, 14, 42, 9, 21, 4, 0.5, 1.5])
OCCUPATION = (
    ["PNS", "TNI", "POLRI", "swasta", "wirausaha", "pelajar", "lainnya"],
    [10, 1.5, 1.5, 30, 24, 13, 20],
)
OCCUPATION_OTHER = ["Ibu rumah tangga", "Petani", "Buruh harian", "Pensiunan", "Nelayan", "Ojek daring"]
CHANNELS = (["qr", "web", "paper"], [55, 25, 20])


def ensure_database(url: str, *, fresh: bool) -> None:
    import psycopg2

    name = database_name(url)
    connection = psycopg2.connect(admin_url(url))
    connection.autocommit = True
    with connection.cursor() as cursor:
        if fresh:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def _weights(values: list[float]) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    return array / array.sum()


class Plan:
    """The registry as the generator needs it, and each unit's character (busy, quality, weak spots)."""

    def __init__(self, rng: np.random.Generator, today: datetime.date, *, one_period: bool = False) -> None:
        from surveys.models import Instrument, InstrumentState, Period, Service, ServiceUnit

        instrument = Instrument.objects.get(state=InstrumentState.PUBLISHED, unit__isnull=True)
        self.instrument_id = instrument.pk
        self.element_ids = np.array(list(instrument.elements.order_by("order").values_list("pk", flat=True)))
        units = list(ServiceUnit.objects.filter(is_active=True).exclude(kind="pemkot").order_by("code"))
        self.unit_ids = np.array([unit.pk for unit in units])
        weights = rng.lognormal(0.0, 1.1, len(units))
        nearly_empty = rng.random(len(units)) < 0.15
        weights[nearly_empty] *= 0.01
        for position, unit in enumerate(units):
            weights[position] *= BUSY_CODES.get(unit.code, 1.0)
        self.unit_p = weights / weights.sum()
        self.quality = rng.uniform(2.5, 3.7, len(units))  # each unit's level on the 1..4 scale
        self.offsets = rng.normal(0.0, 0.25, (len(units), len(self.element_ids)))
        self.offsets[:, 3] += 0.35  # BIAYA: most services are free, so it scores high
        services: dict[int, list[int]] = {}
        for unit_id, service_id in Service.objects.filter(is_active=True).values_list("unit_id", "pk"):
            services.setdefault(unit_id, []).append(service_id)
        self.services = [services.get(unit.pk, []) for unit in units]
        self.periods = [period for period in Period.objects.order_by("start") if period.start <= today]
        zone = ZoneInfo("Asia/Jakarta")
        self.period_ids = np.array([period.pk for period in self.periods])
        self.period_start = [
            datetime.datetime.combine(period.start, datetime.time(8), zone).timestamp() for period in self.periods
        ]
        self.period_days = [max(1, (min(period.end, today) - period.start).days + 1) for period in self.periods]
        growth = np.linspace(1.0, 2.0, len(self.periods))
        elapsed = np.array(
            [
                days / ((period.end - period.start).days + 1)
                for period, days in zip(self.periods, self.period_days, strict=True)
            ]
        )
        self.period_p = _weights(list(growth * elapsed))
        if one_period:  # everything in the current period (the raw-export benchmark's worst case)
            self.period_p = np.zeros(len(self.periods))
            self.period_p[-1] = 1.0
        self.drift = np.linspace(-0.1, 0.15, len(self.periods))
        self.other = other_columns()
        self.other_values = "".join("\t" + value for _column, value in self.other)


def _suggestions(rng: np.random.Generator) -> list[str]:
    return [opening + ending for opening in SUGGESTION_OPENINGS for ending in SUGGESTION_ENDINGS]


def chunk_text(plan: Plan, rng: np.random.Generator, first_id: int, count: int) -> tuple[str, str]:
    """Tab-separated COPY text for `count` responses (ids from `first_id`) and their answers."""
    unit_pos = rng.choice(len(plan.unit_ids), size=count, p=plan.unit_p)
    period_pos = rng.choice(len(plan.period_ids), size=count, p=plan.period_p)
    person = rng.normal(0.0, 0.35, count)
    level = plan.quality[unit_pos] + plan.drift[period_pos] + person
    raw = level[:, None] + plan.offsets[unit_pos] + rng.normal(0.0, 0.5, (count, len(plan.element_ids)))
    scores = np.clip(np.rint(raw), 1, 4).astype(np.int64)
    score_sum = scores.sum(axis=1)
    ages = np.clip(rng.normal(38, 13, count), 17, 80).astype(int)
    sexes = rng.choice(["L", "P"], size=count, p=[0.47, 0.53])
    educations = rng.choice(EDUCATION[0], size=count, p=_weights(EDUCATION[1]))
    occupations = rng.choice(OCCUPATION[0], size=count, p=_weights(OCCUPATION[1]))
    channels = rng.choice(CHANNELS[0], size=count, p=_weights(CHANNELS[1]))
    suggestion_pool = _suggestions(rng)
    suggestion_pick = rng.integers(0, len(suggestion_pool), count)
    has_suggestion = rng.random(count) < 0.3
    flag = rng.random(count)
    day_fraction = rng.random(count)
    seconds_in_day = rng.integers(0, 8 * 3600, count)
    keys = rng.bytes(16 * count).hex()
    service_pick = rng.random(count)
    zone_offset = datetime.timezone(datetime.timedelta(hours=7))
    response_lines = []
    for i in range(count):
        u = unit_pos[i]
        p = period_pos[i]
        unit_services = plan.services[u]
        service = str(unit_services[int(service_pick[i] * len(unit_services))]) if unit_services else "\\N"
        moment = datetime.datetime.fromtimestamp(
            plan.period_start[p] + int(day_fraction[i] * plan.period_days[p]) * 86400 + int(seconds_in_day[i]),
            zone_offset,
        )
        occupation = occupations[i]
        # held for review (too fast) or excluded (a filled hidden field), as surveys.intake decides
        state, reason = (
            ("held", "too_fast")
            if flag[i] < 0.004
            else (("excluded", "honeypot") if flag[i] < 0.006 else ("counted", ""))
        )
        is_test = "t" if 0.006 <= flag[i] < 0.007 else "f"
        response_lines.append(
            f"{first_id + i}\t{plan.unit_ids[u]}\t{service}\t\t{plan.instrument_id}\t{plan.period_ids[p]}\t"
            f"{moment.isoformat()}\t{channels[i]}\t{ages[i]}\t{sexes[i]}\t{educations[i]}\t{occupation}\t"
            f"{OCCUPATION_OTHER[i % len(OCCUPATION_OTHER)] if occupation == 'lainnya' else ''}\t"
            f"{suggestion_pool[suggestion_pick[i]] if has_suggestion[i] else ''}\t{keys[32 * i : 32 * i + 32]}\t"
            f"{score_sum[i]}\t{len(plan.element_ids)}\t{is_test}\t{state}\t{reason}{plan.other_values}\n"
        )
    element_ids = [str(element) for element in plan.element_ids]
    answer_lines = [
        f"{first_id + i}\t{element}\t{score}\n"
        for i, row in enumerate(scores.tolist())
        for element, score in zip(element_ids, row, strict=True)
    ]
    return "".join(response_lines), "".join(answer_lines)


def other_columns() -> list[tuple[str, str]]:
    """Response columns the generator does not set itself but that may not be NULL (added by later
    migrations, e.g. a note field), with their model default as COPY text."""
    from surveys.models import Response

    known = {name.strip() for name in RESPONSE_COLUMNS.split(",")}
    columns = []
    for field in Response._meta.concrete_fields:
        if field.column in known or field.null:
            continue
        default = field.get_default()
        if default is None:
            raise SystemExit(f"surveys_response.{field.column} is NOT NULL without a default: teach the generator it")
        text = ("t" if default else "f") if isinstance(default, bool) else str(default)
        columns.append((field.column, text.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")))
    return columns


RESPONSE_COLUMNS = (
    "id, unit_id, service_id, service_other, instrument_id, period_id, submitted_at, channel, age, sex, "
    "education, occupation, occupation_other, suggestion, submission_key, score_sum, answered, is_test, state, reason"
)


def load(plan: Plan, rng: np.random.Generator, total: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM surveys_response")
        next_id = cursor.fetchone()[0] + 1
    raw = connection.connection
    made = 0
    while made < total:
        count = min(CHUNK, total - made)
        responses, answers = chunk_text(plan, rng, next_id + made, count)
        with raw.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
            columns = ", ".join([RESPONSE_COLUMNS, *(column for column, _value in plan.other)])
            cursor.copy_expert(f"COPY surveys_response ({columns}) FROM STDIN", io.StringIO(responses))
            cursor.copy_expert("COPY surveys_answer (response_id, element_id, score) FROM STDIN", io.StringIO(answers))
            cursor.execute("SET session_replication_role = DEFAULT")
        raw.commit()
        made += count
        print(f"  {made:,} responses loaded", flush=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('surveys_response', 'id'), (SELECT max(id) FROM surveys_response))"
        )
        cursor.execute("ANALYZE surveys_response")
        cursor.execute("ANALYZE surveys_answer")


def snapshots(today: datetime.date) -> int:
    """Fresh snapshots of every past period (closing and publishing open ones), as staff would."""
    from reports import services
    from reports.models import PeriodPublication
    from surveys.models import Period, PeriodState

    reason = "Data uji beban (bench/generate.py)"
    done = 0
    for period in Period.objects.filter(end__lt=today).order_by("start"):
        if period.state == PeriodState.OPEN:
            services.period_close(period=period, user=None)
        else:
            services.snapshot_recompute(period=period, user=None, reason=reason)
        period.refresh_from_db()
        if period.state == PeriodState.CLOSED and not PeriodPublication.objects.filter(period=period).exists():
            services.period_publish(period=period, user=None)
        done += 1
    return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database first")
    parser.add_argument("--one-period", action="store_true", help="put every response in the current period")
    parser.add_argument("--no-record", action="store_true", help="do not append to bench/RESULTS.md")
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("the generator needs PostgreSQL (COPY): give --database-url postgres://...")
    steps: list[tuple[str, float]] = []
    started = time.perf_counter()
    ensure_database(args.database_url, fresh=args.fresh)
    django_setup(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    from surveys.models import Answer, Response
    from surveys.tallies import tallies_rebuild

    def step(label: str, began: float) -> float:
        now = time.perf_counter()
        steps.append((label, now - began))
        print(f"{label}: {now - began:.1f} s", flush=True)
        return now

    clock = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", responses=0, verbosity=0, stdout=io.StringIO())
    clock = step("migrate + seed_demo --responses 0", clock)
    today = datetime.datetime.now(ZoneInfo("Asia/Jakarta")).date()
    rng = np.random.default_rng(args.seed)
    plan = Plan(rng, today, one_period=args.one_period)
    before = Response.objects.count()
    load(plan, rng, args.responses)
    clock = step(f"COPY {args.responses:,} responses and {args.responses * len(plan.element_ids):,} answers", clock)
    tallies_rebuild()
    clock = step("tallies_rebuild()", clock)
    published = snapshots(today)
    clock = step(f"snapshots of {published} past periods (close, publish)", clock)
    connection.close()
    import psycopg2

    raw = psycopg2.connect(args.database_url)
    raw.autocommit = True
    with raw.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE surveys_response")
        cursor.execute("VACUUM ANALYZE surveys_answer")
        cursor.execute("VACUUM ANALYZE surveys_answertally")
        cursor.execute("VACUUM ANALYZE surveys_respondenttally")
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    raw.close()
    clock = step("VACUUM ANALYZE", clock)
    responses = Response.objects.count()
    answers = Answer.objects.count()
    expected = before + args.responses
    if responses != expected or answers < args.responses * len(plan.element_ids):
        raise SystemExit(f"count mismatch: {responses} responses (expected {expected}), {answers} answers")
    total = time.perf_counter() - started
    if not args.no_record:
        record(
            f"Generator: {args.responses:,} responses into {database_name(args.database_url)}",
            table(["step", "seconds"], [(label, f"{seconds:.1f}") for label, seconds in steps])
            + f"\n\nTotal {total:.0f} s; {responses:,} responses, {answers:,} answers stored; database size {size}.",
            database_url=args.database_url,
        )


if __name__ == "__main__":
    main()
