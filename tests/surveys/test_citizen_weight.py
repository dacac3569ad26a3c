"""The first load of the form, every asset included, stays within 60 KB compressed."""

from __future__ import annotations

import gzip
import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db
BUDGET_BYTES = 60 * 1024
ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src|img[^>]+src)="(/[^"]+)"')


def gzipped_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))  # what whitenoise and nginx serve by default


def first_load(html: str, *, compress: bool = True) -> dict[str, int]:
    """Bytes transferred for the page and every asset it links (favicon is an inline data: URL)."""
    size = gzipped_size if compress else len
    sizes = {"page": size(html.encode())}
    for url in ASSET.findall(html):
        assert url.startswith("/static/"), f"{url} is not one of our static files"
        path = finders.find(url.removeprefix("/static/"))
        assert path, f"{url} is linked but missing"
        with open(path, "rb") as asset:
            sizes[url] = size(asset.read())
    return sizes


def test_the_form_with_all_its_assets_is_under_60_kb_compressed(
    city: Any, instrument: Any, period: Any, record_property: Any
) -> None:
    for code in ("pkm-dempo", city.kelurahan.code):
        html = Client().get(f"/s/{code}/").content.decode()
        sizes = first_load(html)
        total = sum(sizes.values())
        record_property(f"first_load_bytes_{code}", total)
        print(f"first load of /s/{code}/: {sizes} = {total} bytes gzipped")
        assert total <= BUDGET_BYTES
        assert sum(first_load(html, compress=False).values()) <= BUDGET_BYTES  # even a proxy that strips gzip
        assert "bootstrap" not in " ".join(sizes)  # the citizen pages carry their own small stylesheet
