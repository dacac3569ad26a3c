"""`manage.py purge_suggestions`: blank citizens' free text in periods closed long enough ago.

Run it daily (cron or a systemd timer). The retention comes from SUGGESTION_RETENTION_DAYS
(0, the default, keeps everything) unless --days is given.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from surveys import services


class Command(BaseCommand):
    help = "Blank suggestion and other free text of responses in closed periods past the retention time."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="retention in days (default: the setting)")
        parser.add_argument("--dry-run", action="store_true", help="only count what would be blanked")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else settings.SUGGESTION_RETENTION_DAYS
        if days <= 0:
            self.stdout.write("Retention is 0 (keep everything): nothing to do.")
            return
        result = services.responses_purge_free_text(retention_days=days, dry_run=options["dry_run"])
        verb = "would blank" if options["dry_run"] else "blanked"
        periods = ", ".join(result.periods) or "-"
        self.stdout.write(f"{verb} free text of {result.responses} responses (periods: {periods})")
