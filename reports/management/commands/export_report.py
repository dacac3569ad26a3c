"""``manage.py export_report [--unit CODE] --period P --format docx|pdf --out FILE``: the Laporan
Hasil SKM of a unit, or (without --unit) of the city.

--period takes a period id or exact name, or a period choice as the dashboards write it: p-<id>
(one period), sd-<id> (the year up to that period) or th-<year> (a whole year). Bad arguments
stop with one message and exit status 2; a report that cannot be made, with status 1.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reports.laporan.generate import FORMATS, choice_for, write_report
from reports.laporan.pdf import ConversionFailed
from reports.periods import PeriodChoice
from reports.selectors import MixedRuleSets
from surveys.models import Period, ServiceUnit

from ._export_args import add_out, add_period

BAD_ARGUMENTS = 2


def _bad(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_ARGUMENTS)


def _choice(value: str) -> PeriodChoice:
    value = value.strip()
    if value.startswith(("p-", "sd-", "th-")):
        choice = choice_for(value)
        if choice is None:
            raise _bad(f"no period choice {value!r} (use p-<id>, sd-<id> or th-<year>)")
        return choice
    period = Period.objects.filter(pk=int(value)).first() if value.isdigit() and len(value) < 10 else None
    period = period or Period.objects.filter(name=value).first()
    if period is None:
        raise _bad(f"no period with id or name {value!r}")
    choice = choice_for(f"p-{period.pk}")
    assert choice is not None
    return choice


class Command(BaseCommand):
    help = "Write the Laporan Hasil SKM (.docx or .pdf) of a unit, or of the city without --unit."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--unit", help="unit code (omit for the city report)")
        add_period(parser)
        parser.add_argument("--format", required=True, choices=FORMATS, help="docx or pdf")
        parser.add_argument(
            "--language", default=settings.LANGUAGE_CODE, choices=[code for code, _name in settings.LANGUAGES]
        )
        add_out(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        unit = None
        if options.get("unit"):
            unit = ServiceUnit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise _bad(f"no unit with code {options['unit']!r}")
        choice = _choice(str(options["period"]))
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise _bad(f"folder {out.parent} does not exist")
        try:
            data = write_report(unit=unit, choice=choice, file_format=options["format"], language=options["language"])
        except MixedRuleSets as error:
            raise CommandError(str(error)) from error
        except ConversionFailed as error:
            raise CommandError(f"the PDF could not be made: {error}") from error
        out.write_bytes(data)
        self.stdout.write(f"{out}: {unit.name if unit else settings.CITY_NAME}, {choice.label} ({len(data):,} bytes)")
