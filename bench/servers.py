"""Start and stop gunicorn app servers for the benchmarks (production settings, one port each)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from bench.common import ROOT, VAR

BENCH_SECRET = "bench-only-secret-key-" + "x" * 40  # a throwaway key: the bench server is local only
CACHE_URL = "redis://127.0.0.1:6379/6"


@dataclass(frozen=True)
class ServerSettings:
    workers: int = 4
    worker_class: str = "sync"
    threads: int = 1

    def describe(self) -> str:
        threads = f", {self.threads} threads each" if self.worker_class == "gthread" else ""
        return f"gunicorn, {self.workers} {self.worker_class} workers{threads}, DEBUG=0, cache {CACHE_URL}"


def server_environment(
    database_url: str, *, settings_module: str = "survey_site.settings", **extra: str
) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY=BENCH_SECRET,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        CACHE_URL=CACHE_URL,
        SURVEY_MIN_FILL_SECONDS="0",
        # Every simulated citizen comes from 127.0.0.1: the per-address ceiling would stop the load
        # after a few seconds, and the burst rules would hold nearly every submission for review.
        # Their allowances are lifted, so every submission takes the counted path (the costliest),
        # while every check still runs and is measured: each counter is still taken in Redis. The
        # per-client limit (address + User-Agent) stays on.
        SURVEY_RATE_LIMIT_PER_ADDRESS="100000000",
        SURVEY_TICKETS_PER_HOUR="100000000",
        SURVEY_HOLD_BURST="100000000",
        SURVEY_HOLD_HOURLY="100000000",
        SURVEY_HOLD_DAILY="100000000",
        SURVEY_HOLD_UNIT_FLOOR="100000000",
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def collectstatic(database_url: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=server_environment(database_url),
        check=True,
    )


def flush_cache() -> None:
    """Empty the bench's own Redis database (6), so rate-limit windows start from zero."""
    import redis

    redis.Redis.from_url(CACHE_URL).flushdb()


def wait_ready(base: str, timeout: float = 30.0) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:  # noqa: S310 - local bench server
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"the app server at {base} did not come up; see var/bench/gunicorn-*.log")


@contextmanager
def running(
    database_url: str,
    *,
    ports: list[int],
    settings: ServerSettings,
    settings_module: str = "survey_site.settings",
    **extra: str,
) -> Iterator[list[str]]:
    """Run one gunicorn per port; yields their base URLs and stops them afterwards."""
    VAR.mkdir(parents=True, exist_ok=True)
    for port in ports:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                raise RuntimeError(f"port {port} is already in use: stop that server first")
    env = server_environment(database_url, settings_module=settings_module, **extra)
    processes = []
    for port in ports:
        command = [
            sys.executable, "-m", "gunicorn", "survey_site.wsgi",
            "--bind", f"127.0.0.1:{port}",
            "--workers", str(settings.workers),
            "--worker-class", settings.worker_class,
            "--threads", str(settings.threads),
            "--backlog", "2048",
            "--error-logfile", str(VAR / f"gunicorn-{port}.log"),
        ]  # fmt: skip
        processes.append(subprocess.Popen(command, cwd=ROOT, env=env))
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for base in bases:
            wait_ready(base)
        yield bases
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
