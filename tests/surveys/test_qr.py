"""QR codes and posters: the images decode to the unit's poster URL."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client

from tests.conftest import logged_in

zxingcpp = pytest.importorskip("zxingcpp")
Image = pytest.importorskip("PIL.Image")

pytestmark = pytest.mark.django_db


def decode(png: bytes) -> list[str]:
    return [barcode.text for barcode in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_the_png_qr_code_decodes_to_the_units_poster_url(city: Any) -> None:
    page = Client().get(f"/s/{city.kelurahan.code}/qr.png")
    assert page.status_code == 200 and page["Content-Type"] == "image/png"
    assert decode(page.content) == [f"http://testserver/s/{city.kelurahan.code}/?src=qr"]


def rasterise_segno_svg(svg: str, *, pixels_per_module: int = 4) -> bytes:
    """Draw the SVG's path (segno writes runs: `M x y`, `h n`, relative `m dx dy`) into a PNG."""
    size = int(re.search(r'width="(\d+)"', svg).group(1)) // 8  # type: ignore[union-attr]
    path = re.search(r' d="([^"]+)"', svg).group(1)  # type: ignore[union-attr]
    image = Image.new("L", (size * pixels_per_module, size * pixels_per_module), 255)
    x = y = 0.0
    for command, first, second in re.findall(r"([Mmh])(-?[\d.]+)(?:\s(-?[\d.]+))?", path):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:
            row = int(y - 0.5) * pixels_per_module
            left, right = int(x) * pixels_per_module, int(x + float(first)) * pixels_per_module
            image.paste(0, (left, row, right, row + pixels_per_module))
            x += float(first)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_svg_qr_code_decodes_to_the_poster_url_on_the_sites_own_host(city: Any, settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["skm.palembang.go.id"]
    page = Client().get(f"/s/{city.kelurahan.code}/qr.svg", HTTP_HOST="skm.palembang.go.id")
    svg = page.content.decode()
    assert page.status_code == 200 and page["Content-Type"] == "image/svg+xml"
    assert svg.startswith("<?xml") and "<script" not in svg
    assert decode(rasterise_segno_svg(svg)) == [f"http://skm.palembang.go.id/s/{city.kelurahan.code}/?src=qr"]


def test_an_unknown_unit_has_no_qr_code(city: Any) -> None:
    assert Client().get("/s/tidak-ada/qr.png").status_code == 404


def test_a_poster_shows_the_unit_its_qr_code_the_short_url_and_three_steps(city: Any, kecamatan_admin: Any) -> None:
    html = logged_in(kecamatan_admin).get(f"/petugas/poster/{city.kelurahan.code}/").content.decode()
    assert "24 Ilir" in html
    assert f"http://testserver/s/{city.kelurahan.code}/" in html
    assert html.count('class="segno"') == 1
    steps = re.search(r'<ol class="poster-steps">(.*?)</ol>', html, re.S)
    assert steps and steps.group(1).count("<li>") == 3


def test_the_posters_page_prints_one_poster_per_active_unit_in_scope(
    city: Any, kecamatan_admin: Any, secretariat: Any, django_assert_max_num_queries: Any
) -> None:
    html = logged_in(kecamatan_admin).get("/petugas/poster/").content.decode()
    assert html.count('<article class="poster"') == 2  # Ilir Barat I and 24 Ilir
    assert "Sukarami" not in html
    analyst = logged_in(secretariat)
    with django_assert_max_num_queries(6):
        everything = analyst.get("/petugas/poster/").content.decode()
    assert everything.count('<article class="poster"') == 6  # every unit but the city root
