"""The glossary (`/istilah/`) reads on a phone and passes axe-core like the other public pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.axe import describe, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_the_glossary_reads_on_a_phone_without_serious_accessibility_findings(
    browser_page: Any, live_server: Any
) -> None:
    page = browser_page
    page.goto(live_server.url + "/istilah/")
    assert page.locator("h1").inner_text() == "Istilah yang dipakai"
    assert page.locator("dl.glossary dt").count() >= 9
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "glossary-360.png"), full_page=True)
    violations = serious_violations(page)
    assert not violations, describe(violations)
