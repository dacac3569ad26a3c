"""Every page a role may use is reachable from its menus: crawl from each role's landing page,
following same-site GET links only, and compare the URL names reached with the permission
matrix (`tests.test_permissions.MATRIX`). Pages that name an object count by their URL name."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from tests.conftest import logged_in
from tests.test_permissions import MATRIX
from tests.world import World

pytestmark = pytest.mark.django_db

MAX_PAGES = 400
SAME_NAME_PAGES = 3  # pages fetched per URL name: enough to find every link, few enough to be quick

# Pages reached by an action, not a link: the page a started export or import redirects to, the
# file it then offers, and the page after a password change. The crawler follows GET links only.
REACHED_BY_AN_ACTION = {"export-job", "export-job-download", "paper-import-job", "password_change_done"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _name(path: str) -> str | None:
    try:
        return resolve(path).url_name
    except Resolver404:
        return None


def crawl(client: Client, start: str) -> set[str]:
    """The URL names of every same-site link reached from `start` (by GET, following redirects)."""
    reached: set[str] = set()
    fetched: dict[str, int] = {}
    queue, seen = [start], {start}
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        response = client.get(path, follow=True)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for href in parser.hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("/static/"):
                continue
            name = _name(parts.path)
            if name is None:
                continue
            reached.add(name)
            if parts.path in seen:
                continue
            seen.add(parts.path)
            if fetched.get(name, 0) < SAME_NAME_PAGES:
                fetched[name] = fetched.get(name, 0) + 1
                queue.append(parts.path)
    return reached


def _required(scopes: set[str]) -> set[str]:
    return {row.name for row in MATRIX if row.method == "GET" and row.scope in scopes} - REACHED_BY_AN_ACTION


def test_the_secretariat_reaches_every_page_it_may_use(world: World, secretariat: Any) -> None:
    reached = crawl(logged_in(secretariat), reverse("staff-home"))
    missing = _required({"secretariat", "staff", "unit"}) - reached
    assert not missing, f"no link leads the secretariat to: {sorted(missing)}"


def test_a_unit_admin_reaches_every_page_of_their_units(world: World, kecamatan_admin: Any) -> None:
    reached = crawl(logged_in(kecamatan_admin), reverse("staff-home"))
    missing = _required({"staff", "unit"}) - reached
    assert not missing, f"no link leads a unit admin to: {sorted(missing)}"
    assert not reached & (_required({"secretariat"}) - _required({"staff", "unit"}))
