"""`/istilah/`: the few terms the dashboards, workbooks and the report use, in the regulation's words."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reports import display, indices


@require_GET
def glossary(request: HttpRequest) -> HttpResponse:
    """Open to everyone: the terms explain published numbers as much as staff ones."""
    rules = indices.get_rules(indices.DEFAULT_RULES)
    bands = [(band.grade, display.grade_label(band.label), indices.round_nik(band.min_nik)) for band in rules.bands]
    return render(
        request,
        "reports/glossary.html",
        {"bands": bands, "rules_text": display.rules_text(rules)},
    )
