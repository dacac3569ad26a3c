"""Shared arguments of the export commands: --period (id or name), --unit (code), --out."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from reports.indices import WEIGHT_MODES
from surveys.models import Period, ServiceUnit
from surveys.params import whole_number


def add_period(parser: ArgumentParser) -> None:
    parser.add_argument("--period", required=True, help="period id or exact name, e.g. 'Semester I 2026'")


def add_out(parser: ArgumentParser) -> None:
    parser.add_argument("--out", required=True, help="file to write (its folder must exist)")


def add_weight(parser: ArgumentParser) -> None:
    parser.add_argument("--weight", default="exact", help=f"element weight: {', '.join(WEIGHT_MODES)} (default exact)")


def period_from(options: dict[str, Any]) -> Period:
    value = str(options["period"]).strip()
    number = whole_number(value)
    period = Period.objects.filter(pk=number).first() if number is not None else None
    period = period or Period.objects.filter(name=value).first()
    if period is None:
        raise CommandError(f"no period with id or name {value!r}")
    return period


def unit_from(code: str) -> ServiceUnit:
    unit = ServiceUnit.objects.filter(code=code).first()
    if unit is None:
        raise CommandError(f"no unit with code {code!r}")
    return unit


def out_path(options: dict[str, Any]) -> Path:
    path = Path(options["out"])
    if not path.parent.is_dir():
        raise CommandError(f"folder {path.parent} does not exist")
    return path
