"""``manage.py export_prune [--hours H]``: delete background exports (and their files) older than H hours."""

from __future__ import annotations

import datetime
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from reports.exports.services import export_jobs_fail_stale, export_jobs_prune


class Command(BaseCommand):
    help = "Delete export jobs and their files older than --hours (default: EXPORT_RETENTION_HOURS, 24)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--hours", type=int, help="age in hours (default from settings)")

    def handle(self, *args: Any, **options: Any) -> None:
        hours = options.get("hours")
        older_than = datetime.timedelta(hours=hours) if hours is not None else None
        removed = export_jobs_prune(older_than=older_than)
        self.stdout.write(f"{removed} export(s) removed")
        failed = export_jobs_fail_stale()
        if failed:
            self.stdout.write(f"{failed} stalled export(s) marked failed")
