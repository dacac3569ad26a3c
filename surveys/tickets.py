"""The ticket a rendered citizen form carries: its one-time key, when the citizen started, when
the ticket was signed, and what it may be sent to.

A ticket is signed (it cannot be forged or edited) and bound to the unit and the kiosk it was
shown for: sent to another unit or kiosk it is refused. It expires `SURVEY_TICKET_MAX_AGE_SECONDS`
after it was signed (two hours by default); a citizen whose form expired while answering gets the
form back with every answer kept and a renewed ticket (same key and start, signed anew), and is
never told off. Each ticket is counted when issued (`surveys.intake.ticket_for`): one address
cannot hold hundreds of live forms, and what a ticket issued beyond that brings is held for review.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from django.conf import settings
from django.core import signing

from surveys import clock
from surveys.models import Channel

TICKET_SALT = "surveys.citizen.ticket"
CHANNELS = (Channel.WEB, Channel.QR, Channel.KIOSK)


@dataclass(frozen=True)
class Ticket:
    key: uuid.UUID
    started: float  # when the citizen first opened this form (a renewal keeps it)
    issued: float  # when this ticket was signed
    channel: str
    unit_code: str
    kiosk_id: int | None = None
    period_id: int | None = None  # the period that was open when the form was shown
    over: bool = False  # issued beyond what one address (or kiosk) may hold open

    def elapsed(self, now: float | None = None) -> float:
        """Seconds since the citizen opened the form."""
        return (clock.now() if now is None else now) - self.started

    def expired(self, now: float | None = None) -> bool:
        return (clock.now() if now is None else now) - self.issued > settings.SURVEY_TICKET_MAX_AGE_SECONDS

    def fits(self, *, unit_code: str, kiosk_id: int | None) -> bool:
        """Whether this ticket was issued for this unit's form (on this kiosk, or on none)."""
        return self.unit_code == unit_code and self.kiosk_id == kiosk_id

    def renewed(self, *, over: bool, now: float | None = None) -> Ticket:
        """The same form (key, start) signed anew, for a citizen whose ticket expired."""
        return replace(self, issued=clock.now() if now is None else now, over=over)


def ticket_new(
    *, unit_code: str, kiosk_id: int | None = None, channel: str = Channel.WEB, period_id: int | None = None
) -> Ticket:
    moment = clock.now()
    return Ticket(
        key=uuid.uuid4(),
        started=moment,
        issued=moment,
        channel=channel,
        unit_code=unit_code,
        kiosk_id=kiosk_id,
        period_id=period_id,
    )


def ticket_sign(ticket: Ticket) -> str:
    data = {
        "k": ticket.key.hex,
        "t": round(ticket.started, 3),
        "i": round(ticket.issued, 3),
        "c": ticket.channel,
        "u": ticket.unit_code,
        "q": ticket.kiosk_id,
        "p": ticket.period_id,
        "o": 1 if ticket.over else 0,
    }
    return signing.dumps(data, salt=TICKET_SALT)


def ticket_read(value: str | None) -> Ticket | None:
    """The ticket a form came back with, or None when it is missing, forged or malformed."""
    if not value or len(value) > 1000:
        return None
    try:
        data = signing.loads(value, salt=TICKET_SALT)
        kiosk_id, period_id = data.get("q"), data.get("p")
        return Ticket(
            key=uuid.UUID(hex=data["k"]),
            started=float(data["t"]),
            issued=float(data["i"]),
            channel=data["c"] if data["c"] in CHANNELS else Channel.WEB,
            unit_code=str(data["u"]),
            kiosk_id=kiosk_id if isinstance(kiosk_id, int) else None,
            period_id=period_id if isinstance(period_id, int) else None,
            over=bool(data.get("o")),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError, AttributeError):
        return None
