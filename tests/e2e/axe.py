"""Accessibility checks with axe-core (bundled by axe-playwright-python; nothing fetched)."""

from __future__ import annotations

from typing import Any


def serious_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core violations of impact serious or critical on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}]


def describe(violations: list[dict[str, Any]]) -> str:
    return "; ".join(f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in violations)
