from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.axe import describe, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_the_home_page_opens_in_chromium_at_phone_width(browser_page: Any, live_server: Any) -> None:
    browser_page.goto(live_server.url + "/")
    assert browser_page.locator("h1").inner_text().startswith("Survei Kepuasan Masyarakat")
    assert browser_page.locator("a.skip-link").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    browser_page.screenshot(path=str(ARTIFACTS / "home-360.png"), full_page=True)
    violations = serious_violations(browser_page)
    assert not violations, describe(violations)
