"""scripts/backup.sh and scripts/restore.sh: a round trip keeps every count, snapshot and index.

Each test builds its own database (a temporary SQLite file, or scratch PostgreSQL databases that
are dropped afterwards) with the demo data, backs it up, restores it elsewhere and compares.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SUMMARY = """
import json
from django.apps import apps
from reports import tallies as report_tallies
from reports import selectors
from reports.models import SnapshotUnit
from surveys.models import Response
counts = {model._meta.label: model.objects.count() for model in apps.get_models()}
frozen = sorted(map(list, SnapshotUnit.objects.values_list(
    "snapshot__period__name", "snapshot__revision", "unit__code", "respondents", "index", "grade", "elements")))
indices = {
    f"{period_id}/{unit_id}": str(tally.result().index)
    for (unit_id, period_id), tally in report_tallies.tally_responses(
        Response.objects.all(), group_by=("unit_id", "period_id")).items()
}
texts = sorted(Response.objects.values_list("submission_key", "suggestion"))
texts = [list(map(str, pair)) for pair in texts]
print(json.dumps({"counts": counts, "frozen": frozen, "indices": indices, "texts": texts}, default=str))
"""


def manage(url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def script(name: str, *args: str) -> None:
    env = {**os.environ, "PYTHON": sys.executable}  # the scripts run manage.py with the interpreter running the tests
    result = subprocess.run(
        ["bash", f"scripts/{name}", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr[-3000:]


def summary(url: str) -> dict[str, Any]:
    return json.loads(manage(url, "shell", "-c", SUMMARY).strip().splitlines()[-1])


def seeded(url: str) -> dict[str, Any]:
    manage(url, "migrate", "-v0")
    manage(url, "seed_demo", "--responses", "400")
    before = summary(url)
    assert before["counts"]["surveys.Response"] >= 400 and before["frozen"] and before["indices"]
    return before


@pytest.mark.slow
def test_a_sqlite_round_trip_keeps_counts_snapshots_and_every_index(tmp_path: Path) -> None:
    source, target = f"sqlite:///{tmp_path}/live.sqlite3", f"sqlite:///{tmp_path}/restored.sqlite3"
    before = seeded(source)
    script("backup.sh", str(tmp_path / "skm.backup"), source)
    script("restore.sh", str(tmp_path / "skm.backup"), target)
    assert summary(target) == before


@pytest.mark.slow
def test_a_sqlite_restore_replaces_later_changes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/live.sqlite3"
    before = seeded(url)
    script("backup.sh", str(tmp_path / "skm.backup"), url)
    manage(url, "shell", "-c", "from surveys.models import Answer; Answer.objects.filter(score=1).update(score=4)")
    assert summary(url) != before
    script("restore.sh", str(tmp_path / "skm.backup"), url)
    assert summary(url) == before
    assert (tmp_path / "live.sqlite3.before-restore").exists()


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.django_db
def test_a_postgresql_round_trip_into_a_scratch_database(tmp_path: Path) -> None:
    if connection.vendor != "postgresql" or not shutil.which("pg_dump"):
        pytest.skip("needs PostgreSQL and its client tools")
    psycopg2 = pytest.importorskip("psycopg2")
    settings = connection.settings_dict
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    server = f"postgres://{auth}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    names = [f"skm_backup_{uuid.uuid4().hex[:8]}_{role}" for role in ("live", "restored")]
    admin = psycopg2.connect(f"{server}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        for name in names:
            cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        live, restored = (f"{server}/{name}" for name in names)
        before = seeded(live)
        script("backup.sh", str(tmp_path / "skm.dump"), live)
        script("restore.sh", str(tmp_path / "skm.dump"), restored)
        assert summary(restored) == before
    finally:
        with admin.cursor() as cursor:
            for name in names:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
