"""``manage.py export_workbook --period P --unit CODE --out FILE``: a unit's SKM workbook."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from reports import display
from reports.exports.workbooks import UnitScope, unit_workbook
from reports.selectors import MixedRuleSets

from ._export_args import add_out, add_period, add_weight, out_path, period_from, unit_from


class Command(BaseCommand):
    help = "Write a unit's workbook (Pengolahan, Ringkasan, Responden, Saran, RTL) for a period."

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_period(parser)
        parser.add_argument("--unit", required=True, help="unit code")
        parser.add_argument("--subtree", action="store_true", help="include the units below it")
        add_weight(parser)
        add_out(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        scope = UnitScope(unit_from(options["unit"]), period_from(options), bool(options["subtree"]), options["weight"])
        path = out_path(options)
        try:
            workbook, facts = unit_workbook(scope)
        except MixedRuleSets as error:
            raise CommandError(str(error)) from error
        workbook.save(path)
        nik = display.nik(facts.result.nik) or "belum ada data"
        self.stdout.write(f"{path}: {facts.result.respondents} respondents, NIK {nik}")
