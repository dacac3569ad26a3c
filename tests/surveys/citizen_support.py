"""Helpers for the citizen survey tests: a filled-in form as the browser would post it."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

from django.test import Client

from surveys.forms import ELEMENT_PREFIX
from surveys.models import Instrument, Service
from surveys.tickets import Ticket, ticket_sign

TICKET_PATTERN = re.compile(r'name="t" value="([^"]+)"')
TTL = 15  # the lookup cache's time to live in the tests that move its clock
KELURAHAN = "16.71.04.1001"  # the cast's kelurahan (24 Ilir), where most tests post


class Clock:
    """A stand-in for `lookup_cache.clock` that a test moves forward."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def ticket_from(html: str) -> str:
    match = TICKET_PATTERN.search(html)
    assert match, "the form carries no ticket"
    return match.group(1)


def old_ticket(
    *,
    seconds_ago: float = 120,
    channel: str = "web",
    unit: str = KELURAHAN,
    kiosk_id: int | None = None,
    period_id: int | None = None,
    over: bool = False,
) -> str:
    """A ticket for a form of `unit` (on a kiosk, if given) shown `seconds_ago`: by default long
    enough to pass the fill-time check and well before it expires."""
    moment = time.time() - seconds_ago
    ticket = Ticket(
        key=uuid.uuid4(),
        started=moment,
        issued=moment,
        channel=channel,
        unit_code=unit,
        kiosk_id=kiosk_id,
        period_id=period_id,
        over=over,
    )
    return ticket_sign(ticket)


def filled_form(
    instrument: Instrument,
    *,
    ticket: str | None = None,
    received: Service | None = None,
    score: int = 4,
    for_unit: str = KELURAHAN,
    kiosk_id: int | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """Every question answered with `score`, a plausible profile, and a ticket for `for_unit` (on
    kiosk `kiosk_id`); `overrides` win."""
    data: dict[str, Any] = {
        "t": ticket if ticket is not None else old_ticket(unit=for_unit, kiosk_id=kiosk_id),
        "website": "",
        "service": str(received.pk) if received else "lainnya",
        "service_other": "" if received else "Legalisir surat",
        "age": "42",
        "sex": "P",
        "education": "SMA",
        "occupation": "wirausaha",
        "occupation_other": "",
        "suggestion": "Antrean mohon dipercepat.",
    }
    for element in instrument.elements.all():
        data[ELEMENT_PREFIX + element.code] = str(score)
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def english_client() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client
