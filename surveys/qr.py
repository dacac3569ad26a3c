"""QR codes for the survey's short URLs (segno: pure Python, no image library needed)."""

from __future__ import annotations

import functools
import io

import segno

ERROR_LEVEL = "m"  # survives a scuffed or partly covered poster


def qr_svg(url: str, *, scale: int = 8) -> bytes:
    """A standalone SVG document of the QR code for `url`."""
    buffer = io.BytesIO()
    segno.make(url, error=ERROR_LEVEL).save(buffer, kind="svg", scale=scale, border=4, title=url)
    return buffer.getvalue()


def qr_png(url: str, *, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error=ERROR_LEVEL).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


@functools.lru_cache(maxsize=1024)
def qr_svg_inline(url: str, *, scale: int = 6) -> str:
    """An inline <svg> element (for the printable posters, so printing never waits on images).
    Kept per process: a unit's URL, hence its code, rarely changes, and 200 codes take a second."""
    return str(segno.make(url, error=ERROR_LEVEL).svg_inline(scale=scale, border=4, omitsize=True))
