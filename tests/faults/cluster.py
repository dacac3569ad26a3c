"""A throwaway PostgreSQL cluster and a gunicorn app server, started and broken by fault tests.

Never touches the machine's shared PostgreSQL: the cluster lives in a temporary directory on a
free port, owned by the `postgres` OS user when we run as root (initdb refuses root).
"""

from __future__ import annotations

import contextlib
import glob
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "fault-test-secret-" + "k" * 40
TICKET = re.compile(r'name="t" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pg_bin() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not candidates:
        if os.environ.get("REQUIRE_POSTGRES_BINARIES"):
            pytest.fail("PostgreSQL server binaries are required but missing")
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    return Path(candidates[-1]).parent


@dataclass
class Cluster:
    bin: Path
    data: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/skm"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=60, check=check)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.data / "log"), "-w", "start")

    def restart(self, mode: str = "immediate") -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40"
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.data / "log"), "-m", mode, "-w", "restart"
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)

    def query(self, sql: str) -> list[tuple[object, ...]]:
        import psycopg2

        connection = psycopg2.connect(self.url.replace("postgres://", "postgresql://"))
        with contextlib.closing(connection), connection.cursor() as cursor:
            cursor.execute(sql)
            return list(cursor.fetchall())


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    binaries = pg_bin()
    directory = Path(tempfile.mkdtemp(prefix="skm-fault-pg-"))
    data = directory / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres")
        shutil.chown(data, "postgres")
    cluster = Cluster(binaries, data, free_port())
    try:
        cluster._run("initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
        cluster.start()
        cluster._run("createdb", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "skm")
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(directory, ignore_errors=True)


def app_env(cluster: Cluster) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "CACHE_URL"}}
    env.update(
        DATABASE_URL=cluster.url,
        SECRET_KEY=SECRET,
        DEBUG="1",
        SURVEY_MIN_FILL_SECONDS="0",
        SURVEY_RATE_LIMIT="100000",
        SURVEY_RATE_LIMIT_PER_ADDRESS="100000",
        # every submission comes from one address in a burst: counted, not held, as these tests count them
        SURVEY_TICKETS_PER_HOUR="100000",
        SURVEY_HOLD_BURST="100000",
        SURVEY_HOLD_HOURLY="100000",
        SURVEY_HOLD_DAILY="100000",
        SURVEY_HOLD_UNIT_FLOOR="100000",
        LOG_LEVEL="WARNING",
    )
    return env


SEED = """
from tests import builders
unit = builders.make_unit("16.71.04.1001", name="24 Ilir", kind="kelurahan")
builders.make_instrument()
builders.make_period("Periode uji gangguan")
print(unit.code)
"""


def prepare_database(cluster: Cluster) -> str:
    python = sys.executable
    env = app_env(cluster)
    for args in (["migrate", "-v0"], ["shell", "-c", SEED]):
        result = subprocess.run(
            [python, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip().splitlines()[-1]


@dataclass
class App:
    process: subprocess.Popen[bytes]
    port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []


@contextlib.contextmanager
def gunicorn(cluster: Cluster, *, workers: int = 2, threads: int = 1) -> Iterator[App]:
    port = free_port()
    log = (cluster.data.parent / "gunicorn.log").open("wb")
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "survey_site.wsgi",
        f"--workers={workers}",
        f"--threads={threads}",
        f"--bind=127.0.0.1:{port}",
        "--timeout=30",
        "--graceful-timeout=2",
        "--log-level=warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=app_env(cluster), stdout=subprocess.DEVNULL, stderr=log)
    app = App(process, port)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if urllib.request.urlopen(f"{app.base}/healthz", timeout=2).status == 200:  # noqa: S310
                    break
            time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield app
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


ELEMENTS = ("PERSYARATAN", "PROSEDUR", "WAKTU", "BIAYA", "PRODUK", "KOMPETENSI", "PERILAKU", "SARANA", "PENGADUAN")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Form:
    """A form as a citizen's browser holds it: its cookies, CSRF token and one-time ticket."""

    opener: urllib.request.OpenerDirector
    csrf: str
    ticket: str

    @property
    def key(self) -> str:
        from django.core import signing

        from surveys.tickets import TICKET_SALT

        return str(uuid.UUID(hex=signing.loads(self.ticket, key=SECRET, salt=TICKET_SALT)["k"]))


def open_form(app: App, code: str) -> Form:
    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    html = opener.open(f"{app.base}/s/{code}/", timeout=10).read().decode()
    ticket, csrf = TICKET.search(html), CSRF.search(html)
    assert ticket and csrf
    return Form(opener, csrf.group(1), ticket.group(1))


def submit(app: App, code: str, form: Form, score: int = 4) -> int:
    """Post a complete form; the HTTP status (302 = thanked), or 0 when the connection failed."""
    fields = {
        "csrfmiddlewaretoken": form.csrf,
        "t": form.ticket,
        "website": "",
        "service": "lainnya",
        "service_other": "Legalisir",
        "age": "40",
        "sex": "L",
        "education": "SMA",
        "occupation": "swasta",
        "suggestion": "Uji gangguan",
        **{f"element_{element}": str(score) for element in ELEMENTS},
    }
    request = urllib.request.Request(  # noqa: S310
        f"{app.base}/s/{code}/",
        data=urllib.parse.urlencode(fields).encode(),
        method="POST",
        headers={"Referer": f"{app.base}/s/{code}/"},
    )
    try:
        with form.opener.open(request, timeout=15) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return 0
