"""Template filters that name what a person reads instead of a stored key."""

from __future__ import annotations

from django import template

from reports import display

register = template.Library()


@register.filter
def method(snapshot: object) -> str:
    """A snapshot's regulation and weight ("PermenPAN-RB 14/2017 · bobot 1/9 (tepat)")."""
    return display.method_text(str(getattr(snapshot, "rules", "")), str(getattr(snapshot, "weight", "")))
