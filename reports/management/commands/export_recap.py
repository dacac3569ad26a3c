"""``manage.py export_recap --period P --out FILE [--unit CODE]``: the city recap workbook."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from reports.exports.recap import city_recap
from surveys.models import ServiceUnit

from ._export_args import add_out, add_period, add_weight, out_path, period_from, unit_from


class Command(BaseCommand):
    help = "Write the city recap (one row per active unit) for a period; --unit limits it to a subtree."

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_period(parser)
        parser.add_argument("--unit", help="only this unit and the units below it")
        add_weight(parser)
        add_out(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        period = period_from(options)
        units = ServiceUnit.objects.active()
        if options.get("unit"):
            units = units.subtree_of([unit_from(options["unit"])])
        path = out_path(options)
        try:
            workbook, facts = city_recap(
                period=period, unit_ids=list(units.values_list("pk", flat=True)), weight=options["weight"]
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        workbook.save(path)
        self.stdout.write(f"{path}: {facts.units} units, {facts.pooled.respondents} respondents")
