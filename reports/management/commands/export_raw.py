"""``manage.py export_raw --period P --out FILE [--unit CODE ...] [--format csv|csv-semicolon]``: every response.

``csv`` is comma-separated; ``csv-semicolon`` is separated by ``;`` with decimal commas, which
Excel with Indonesian regional settings opens directly. Both quote every field.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from reports.exports.raw import write_raw
from reports.models import ExportFormat
from surveys.models import ServiceUnit

from ._export_args import add_out, add_period, out_path, period_from, unit_from


class Command(BaseCommand):
    help = "Stream every response of a period (all units, or the given units and their subtrees) as XLSX or CSV."

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_period(parser)
        parser.add_argument("--unit", action="append", default=[], help="unit code (repeatable); subtree included")
        parser.add_argument(
            "--format",
            choices=ExportFormat.values,
            help="csv-semicolon: ';' and decimal commas, for Excel in Indonesian (default: from the --out suffix)",
        )
        add_out(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        period = period_from(options)
        units = ServiceUnit.objects.all()
        if options["unit"]:
            units = units.subtree_of([unit_from(code) for code in options["unit"]])
        path = out_path(options)
        file_format = options["format"] or ("csv" if path.suffix.lower() == ".csv" else "xlsx")
        partial = path.with_name(f".{path.name}.part")
        try:
            with partial.open("wb") as out:
                written = write_raw(
                    period=period, unit_ids=list(units.values_list("pk", flat=True)), out=out, file_format=file_format
                )
        except ValueError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(str(error)) from error
        partial.replace(path)
        self.stdout.write(f"{path}: {written} responses")
