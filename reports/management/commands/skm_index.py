"""``manage.py skm_index FILE``: the index of a processing sheet, printed as JSON."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from reports.calculator import SheetError, result_as_json, survey_from_sheet
from reports.indices import (
    DEFAULT_RULES,
    RULE_SETS,
    WEIGHT_MODES,
    compute_index,
    get_rules,
    weight_for,
)


class Command(BaseCommand):
    help = (
        "Compute the SKM index of a processing sheet (CSV or XLSX: one row per "
        "respondent, one column per element named by code or U1..Uk) and print it as JSON."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", metavar="FILE", help="CSV or XLSX processing sheet")
        parser.add_argument(
            "--rules",
            default=DEFAULT_RULES,
            help=f"rule set: {', '.join(RULE_SETS)} (default {DEFAULT_RULES})",
        )
        parser.add_argument(
            "--weight",
            default="exact",
            help=f"element weight: {', '.join(WEIGHT_MODES)} (default exact = 1/k)",
        )
        parser.add_argument(
            "--population",
            default=None,
            help="service users in the period, for the Krejcie-Morgan sample check",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rule_set = get_rules(options["rules"])
            population = _population(options["population"])
            weight: str = options["weight"]
            weight_for(weight, rule_set)  # refuse a bad weight before reading the file
            survey = survey_from_sheet(Path(options["file"]), rule_set)
            result = compute_index(
                survey.tallies,
                respondents=survey.respondents,
                rules=rule_set.key,
                weight=weight,
                spread=survey.spread,
                population=population,
            )
        except (SheetError, ValueError) as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(json.dumps(result_as_json(result), indent=2, ensure_ascii=False))


def _population(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        population = int(value)
    except ValueError:
        raise ValueError(f"--population {value!r} is not a whole number") from None
    if population < 1:
        raise ValueError(f"--population must be at least 1, not {population}")
    return population
