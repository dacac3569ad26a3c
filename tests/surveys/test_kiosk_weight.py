"""The kiosk's first load, its manifest, icons and service worker included, stays within the
citizen page's 60 KB budget."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from surveys import services
from surveys.selectors import kiosk_signed_token
from tests.surveys.test_citizen_weight import BUDGET_BYTES, first_load, gzipped_size

pytestmark = pytest.mark.django_db
KEPT = ("/static/css/survey.css", "/static/js/survey.js", "/static/js/kiosk.js")


def test_the_kiosk_with_its_worker_manifest_and_assets_is_under_60_kb_compressed(
    city: Any, instrument: Any, period: Any, record_property: Any
) -> None:
    kiosk = services.kiosk_register(unit=city.kelurahan, label="Tablet loket 1")
    url = f"/kios/{kiosk_signed_token(kiosk)}/"
    tablet = Client()
    html = tablet.get(url).content.decode()
    assert f'<link rel="manifest" href="{url}manifest.webmanifest">' in html
    page = html.replace(f'<link rel="manifest" href="{url}manifest.webmanifest">', "")
    manifest = tablet.get(url + "manifest.webmanifest").content
    worker = tablet.get(url + "sw.js").content
    icons = "".join(f'<img src="{icon["src"]}">' for icon in json.loads(manifest)["icons"])
    for compress in (True, False):  # even a proxy that strips gzip
        size = gzipped_size if compress else len
        sizes = first_load(page + icons, compress=compress) | {"manifest": size(manifest), "worker": size(worker)}
        # The worker's install fetches the form again (it is never cached) and its assets (which the
        # browser's HTTP cache usually answers: counted anyway in the compressed total).
        sizes["install: the form again"] = size(html.encode())
        if compress:
            kept = first_load("".join(f'<script src="{path}">' for path in KEPT))
            sizes |= {f"install: {name}": bytes_ for name, bytes_ in kept.items() if name != "page"}
        total = sum(sizes.values())
        print(f"first load of the kiosk ({'gzipped' if compress else 'plain'}): {sizes} = {total} bytes")
        record_property(f"kiosk_first_load_bytes_{'gzipped' if compress else 'plain'}", total)
        assert total <= BUDGET_BYTES


def test_the_worker_keeps_the_kiosk_form_and_its_assets_and_is_scoped_to_the_kiosk(
    city: Any, instrument: Any, period: Any
) -> None:
    kiosk = services.kiosk_register(unit=city.kelurahan, label="Tablet loket 1")
    url = f"/kios/{kiosk_signed_token(kiosk)}/"
    worker = Client().get(url + "sw.js")
    assert worker["Content-Type"].startswith("text/javascript")
    script = worker.content.decode()
    assert f'var FORM = "{url}";' in script
    assert all(f'"{path}"' in script for path in KEPT)
    manifest = Client().get(url + "manifest.webmanifest").json()
    assert (manifest["start_url"], manifest["scope"]) == (url, url)
    assert Client().get("/s/16.71.04.1001/").content.decode().count("manifest") == 0  # the public form stays plain
    assert Client().get(f"/kios/{kiosk_signed_token(kiosk)}x/sw.js").status_code == 404
