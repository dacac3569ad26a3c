"""The permission matrix: every staff URL and every role, with the status each must get.

One row per URL. To add a staff page, append a row to STAFF_URLS: the URL name, the HTTP
method, a function giving the URL's arguments from the test cast, and the expected status for
each role. An outsider gets 404 (never 403); an anonymous visitor is sent to log in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from surveys.models import Kiosk
from tests import builders
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

LOGIN = "login"  # a redirect to the login page
ROLES = ("anonymous", "other_admin", "own_admin", "secretariat")


@dataclass(frozen=True)
class StaffUrl:
    url_name: str
    method: str
    args: Callable[[Any], list[Any]]
    expected: tuple[int | str, int | str, int | str, int | str]  # in ROLES order


STAFF_URLS: list[StaffUrl] = [
    # url name, method, URL arguments from the cast, status for: anonymous, other_admin, own_admin, secretariat
    StaffUrl("staff-home", "get", lambda c: [], (LOGIN, 302, 302, 302)),
    StaffUrl("city-dashboard", "get", lambda c: [], (LOGIN, 404, 404, 200)),
    StaffUrl("unit-dashboard", "get", lambda c: [c.unit], (LOGIN, 404, 200, 200)),
    StaffUrl("unit-dashboard", "get", lambda c: ["tidak-ada"], (LOGIN, 404, 404, 404)),
    StaffUrl("unit-suggestions", "get", lambda c: [c.unit], (LOGIN, 404, 200, 200)),
    StaffUrl("suggestion-mark-spam", "post", lambda c: [c.unit, c.response.pk], (LOGIN, 404, 302, 302)),
    StaffUrl("suggestion-unmark-spam", "post", lambda c: [c.unit, c.response.pk], (LOGIN, 404, 302, 302)),
    StaffUrl("unit-population", "post", lambda c: [c.unit], (LOGIN, 404, 302, 302)),
    StaffUrl("password_change", "get", lambda c: [], (LOGIN, 200, 200, 200)),
    # Kiosks and posters (issue: citizen survey).
    StaffUrl("kiosk-list", "get", lambda c: [], (LOGIN, 200, 200, 200)),
    StaffUrl("kiosk-revoke", "post", lambda c: [c.kiosk.pk], (LOGIN, 404, 302, 302)),
    StaffUrl("poster-all", "get", lambda c: [], (LOGIN, 200, 200, 200)),
    StaffUrl("poster-one", "get", lambda c: [c.unit], (LOGIN, 404, 200, 200)),
    # Periods and follow-up plans (issue 6); the cast's period is open, so there are no frozen results yet.
    StaffUrl("period-list", "get", lambda c: [], (LOGIN, 404, 404, 200)),
    StaffUrl("period-detail", "get", lambda c: [c.period.pk], (LOGIN, 404, 404, 200)),
    StaffUrl("period-results", "get", lambda c: [c.period.pk], (LOGIN, 404, 404, 404)),
    StaffUrl("period-followups", "get", lambda c: [c.period.pk], (LOGIN, 404, 404, 200)),
    StaffUrl("period-close", "post", lambda c: [c.period.pk], (LOGIN, 404, 404, 302)),
    StaffUrl("period-reopen", "post", lambda c: [c.period.pk], (LOGIN, 404, 404, 302)),
    StaffUrl("period-publish", "post", lambda c: [c.period.pk], (LOGIN, 404, 404, 302)),
    StaffUrl("period-recompute", "post", lambda c: [c.period.pk], (LOGIN, 404, 404, 400)),
    StaffUrl("followup-periods", "get", lambda c: [c.unit], (LOGIN, 404, 200, 200)),
    StaffUrl("followup-plan", "get", lambda c: [c.unit, c.period.pk], (LOGIN, 404, 404, 404)),
    # Paper questionnaires and exports (issue 7).
    StaffUrl("paper-entry", "get", lambda c: [c.unit], (LOGIN, 404, 200, 200)),
    StaffUrl("paper-import", "get", lambda c: [c.unit], (LOGIN, 404, 200, 200)),
    StaffUrl("paper-import-template", "get", lambda c: [c.unit, c.period.pk], (LOGIN, 404, 200, 200)),
    StaffUrl("export-start", "get", lambda c: [], (LOGIN, 200, 200, 200)),
    StaffUrl("export-unit-workbook", "get", lambda c: [c.unit, c.period.pk], (LOGIN, 404, 200, 200)),
    StaffUrl("export-city-recap", "get", lambda c: [c.period.pk], (LOGIN, 200, 200, 200)),
    # The audit log of staff actions (issue 9): secretariat only.
    StaffUrl("audit-log", "get", lambda c: [], (LOGIN, 404, 404, 200)),
]  # fmt: skip

# Staff URLs that act on an object the cast does not create; their access is tested beside them
# (tests/reports/test_followups.py, tests/reports/test_export_views.py, tests/security/test_url_matrix.py).
NOT_YET_IN_MATRIX = {"followup-edit", "followup-delete", "export-job", "export-job-download", "paper-import-job"}


class Cast:
    def __init__(self, city: Any, instrument: Any, period: Any) -> None:
        self.city = city
        self.unit = city.kelurahan.code
        self.period = period
        self.response = builders.make_response(city.kelurahan, [4] * 9, instrument=instrument, period=period)
        self.kiosk = Kiosk.objects.create(unit=city.kelurahan, label="Loket 1")


@pytest.fixture
def cast(city, instrument, period) -> Cast:
    return Cast(city, instrument, period)


USERS = {"other_admin": "other_admin", "own_admin": "kecamatan_admin", "secretariat": "secretariat"}


def _client(request: pytest.FixtureRequest, role: str) -> Client:
    if role == "anonymous":
        return Client()
    return logged_in(request.getfixturevalue(USERS[role]))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "staff_url",
    STAFF_URLS,
    ids=lambda row: f"{row.method}-{row.url_name}",
)
def test_each_role_gets_the_expected_status(request, cast, staff_url: StaffUrl, role: str) -> None:
    address = reverse(staff_url.url_name, args=staff_url.args(cast))
    data = {"period": cast.period.pk, "population": 100, "reason": "Iklan"} if staff_url.method == "post" else None
    answer = getattr(_client(request, role), staff_url.method)(address, data)
    expected = staff_url.expected[ROLES.index(role)]
    if expected == LOGIN:
        assert answer.status_code == 302
        assert answer["Location"].startswith(reverse("login"))
    else:
        assert answer.status_code == expected


def _staff_url_names(patterns: list[Any], prefix: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            names |= _staff_url_names(pattern.url_patterns, route)
        elif route.startswith(("petugas/", "laporan/")) and pattern.name:
            names.add(pattern.name)
    return names


def test_every_staff_url_has_a_row_in_the_matrix() -> None:
    """A new URL under /petugas/ or /laporan/ fails here until it gets a row above."""
    staff_names = _staff_url_names(get_resolver().url_patterns)
    assert "unit-dashboard" in staff_names
    assert staff_names <= {row.url_name for row in STAFF_URLS} | NOT_YET_IN_MATRIX
