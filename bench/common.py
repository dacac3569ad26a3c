"""Shared helpers of the benchmarks: paths, Django setup, machine facts, percentiles, RESULTS.md."""

from __future__ import annotations

import datetime
import math
import os
import platform
import shlex
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "RESULTS.md"
VAR = ROOT / "var" / "bench"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/bench_10k"


def django_setup(database_url: str, *, debug: bool = True) -> None:
    """Point Django at `database_url` and set it up (for scripts that use the ORM directly)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "survey_site.settings")
    os.environ["DEBUG"] = "1" if debug else "0"
    import django

    django.setup()


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def admin_url(url: str) -> str:
    """The same server's maintenance database (to create or drop `url`'s database)."""
    parts = urlsplit(url)
    return parts._replace(path="/postgres").geturl()


def percentile(values: Sequence[float], fraction: float) -> float:
    """The `fraction` quantile (0..1) by the nearest-rank method; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1))
    return ordered[rank]


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    ms = [value * 1000 for value in seconds]
    return {
        "n": len(ms),
        "p50": percentile(ms, 0.50),
        "p95": percentile(ms, 0.95),
        "p99": percentile(ms, 0.99),
        "mean": statistics.fmean(ms) if ms else 0.0,
    }


def _postgres_version(database_url: str) -> str:
    try:
        output = subprocess.run(
            ["psql", database_url, "-Atc", "show server_version"], capture_output=True, text=True, timeout=10
        )
        return "PostgreSQL " + output.stdout.strip().split(" ")[0]
    except (OSError, subprocess.SubprocessError):
        return "PostgreSQL (version unknown)"


def machine(database_url: str) -> str:
    """One line naming the machine: cores, memory, load, Python, database."""
    cores = os.cpu_count() or 0
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            kb = int(meminfo.readline().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    except OSError:
        memory = "?"
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{cores} cores, {memory} RAM, load average before the run {load}; "
        f"Python {platform.python_version()}; {_postgres_version(database_url)} on the same machine"
    )


def command_line() -> str:
    return " ".join(shlex.quote(part) for part in [Path(sys.executable).name, *sys.argv])


def record(title: str, body: str, *, database_url: str) -> None:
    """Append a dated section to bench/RESULTS.md (and print it)."""
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = (
        f"\n## {title} — {stamp}\n\n"
        f"- Machine: {machine(database_url)}\n"
        f"- Command: `{command_line()}`\n\n"
        f"{body.strip()}\n"
    )
    print(section)
    if os.environ.get("BENCH_NO_RECORD") == "1":
        return
    if not RESULTS.exists():
        RESULTS.write_text("# Benchmark results\n\nNewest sections last. See bench/README.md.\n", encoding="utf-8")
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(section)


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


CPU_GROUPS = ("app server", "PostgreSQL", "Redis", "load generator")


def cpu_seconds() -> dict[str, float]:
    """CPU time (user + system) used so far by the processes a load run involves, by group: the
    gunicorn servers, every PostgreSQL process, Redis, and this process (the load generator).
    The difference of two readings is the work a run cost, which another tenant's load on a
    shared machine slows down but does not add to (unlike requests per second)."""
    ticks = os.sysconf("SC_CLK_TCK")
    used = dict.fromkeys(CPU_GROUPS, 0.0)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # the process ended meanwhile
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        seconds = (int(fields[11]) + int(fields[12])) / ticks
        if "gunicorn" in command and "survey_site.wsgi" in command:
            used["app server"] += seconds
        elif name == "postgres" or command.startswith("postgres"):
            used["PostgreSQL"] += seconds
        elif name.startswith("redis-server"):
            used["Redis"] += seconds
    own = os.times()
    used["load generator"] = own.user + own.system
    return used
