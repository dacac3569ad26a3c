"""The kiosk's offline queue on its way in: a form filled on a tablet without a connection, sent
later with the moment it was filled.

The kiosk's signed token is the credential (the URL names it); the tablet makes each form's
one-time key and measures the fill time itself, so the server bounds every claim before it
trusts it:

- the fill time is not in the future, not before the kiosk was registered (both give or take
  `SURVEY_KIOSK_CLOCK_SKEW_SECONDS` of clock drift), and not older than the grace the
  secretariat sets (`SurveySettings.kiosk_queue_grace_days`, read through the per-process lookup
  cache; `SURVEY_KIOSK_QUEUE_GRACE_DAYS` until it is first saved); the start is not after the
  fill, nor longer before it than a form's ticket lives;
- the form joins the period that contained the fill time, unless that period was published;
- a key is single-use: sent again by the same kiosk it is acknowledged (a retry after a dropped
  connection), sent by any other kiosk or form it is refused;
- the answers are checked by the same `CitizenForm` as the online form; on arrival the kiosk's
  ceiling refuses (the tablet tries again later) and its hourly allowance holds, so a back-dated
  queue adds no more counted forms an hour than the kiosk online could; bursts at the counter
  are counted around the fill time (`intake.queued_burst`), and `intake.verdict` holds a form
  filled faster than a person can (measured on the tablet).

Each entry ends `stored`, `duplicate` (stored before: the tablet may forget it), `refused` with a
reason the kiosk screen shows (it is set aside on the tablet, never sent again), or `later` (the
server is busy: the tablet keeps it and tries again).
"""

from __future__ import annotations

import datetime
import logging
import math
import uuid
from dataclasses import dataclass
from typing import TypeGuard

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from surveys import clock, intake, ratelimit, selectors, services
from surveys.forms import CitizenForm
from surveys.models import Channel, Kiosk, Period, Response, ResponseState
from surveys.models.periods import PeriodState
from surveys.tickets import Ticket

logger = logging.getLogger(__name__)

BATCH_MAX = 20  # entries in one request (each well under 3 KB: the body stays under 64 KB)
ANSWER_FIELDS_MAX = 60
ANSWER_LENGTH_MAX = 2100
HONEYPOT = "website"

STORED, DUPLICATE, REFUSED, LATER = "stored", "duplicate", "refused", "later"

#: Why a queued form was refused, in words the kiosk screen shows to the staff who look after it.
REFUSALS = {
    "malformed": _("Isian rusak dan tidak dapat dibaca."),
    "revoked": _("Kios ini sudah dicabut."),
    "future": _("Waktu pengisian di masa depan: jam tablet perlu diperiksa."),
    "before_kiosk": _("Waktu pengisian sebelum kios ini didaftarkan."),
    "too_old": _("Isian dikirim setelah masa tenggang berakhir."),
    "no_period": _("Tidak ada periode survei pada tanggal pengisian."),
    "published": _("Periode pengisiannya sudah dipublikasikan."),
    "replayed": _("Kunci isian ini milik isian lain."),
    "invalid": _("Jawaban tidak lengkap atau tidak sah."),
}


@dataclass(frozen=True)
class QueuedEntry:
    sent_key: str  # the key as the tablet wrote it, echoed in the reply so it can find its entry
    key: uuid.UUID
    started: float  # seconds since the epoch, on the tablet's clock
    filled: float
    answers: QueryDict
    honeypot_filled: bool


@dataclass(frozen=True)
class Outcome:
    key: str
    status: str
    reason: str = ""

    def as_json(self) -> dict[str, str]:
        reply = {"key": self.key, "status": self.status}
        if self.reason:
            reply |= {"reason": self.reason, "message": str(REFUSALS[self.reason])}
        return reply


def entry_read(raw: object) -> QueuedEntry | None:
    """One queued form as the tablet sent it, or None when any part is missing or malformed."""
    if not isinstance(raw, dict):
        return None
    answers = raw.get("answers")
    started, filled = raw.get("started"), raw.get("filled")
    if not isinstance(answers, dict) or len(answers) > ANSWER_FIELDS_MAX:
        return None
    if not _is_number(started) or not _is_number(filled):
        return None
    data = QueryDict(mutable=True)
    for name, value in answers.items():
        if not isinstance(name, str) or not isinstance(value, str) or len(value) > ANSWER_LENGTH_MAX:
            return None
        data[name] = value
    try:
        key = uuid.UUID(str(raw.get("key")))
    except ValueError:
        return None
    honeypot = raw.get(HONEYPOT, "")
    return QueuedEntry(
        sent_key=str(raw["key"]),
        key=key,
        started=float(started) / 1000,  # milliseconds, as JavaScript counts them
        filled=float(filled) / 1000,
        answers=data,
        honeypot_filled=bool(str(honeypot).strip()),
    )


def _is_number(value: object) -> TypeGuard[int | float]:
    """A finite JSON number (Python's JSON reader also takes NaN and Infinity)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def time_refusal(entry: QueuedEntry, *, kiosk: Kiosk, now: float, grace_days: int) -> str:
    """Why the claimed times cannot be true or came too late (a refusal reason), or "" when fine."""
    if entry.filled > now + settings.SURVEY_KIOSK_CLOCK_SKEW_SECONDS:
        return "future"
    if entry.filled < kiosk.created_at.timestamp() - settings.SURVEY_KIOSK_CLOCK_SKEW_SECONDS:
        return "before_kiosk"
    if entry.filled < now - grace_days * 86400:
        return "too_old"
    if not 0 <= entry.filled - entry.started <= settings.SURVEY_TICKET_MAX_AGE_SECONDS:
        return "malformed"
    return ""


def period_at(moment: float) -> Period | None:
    """The period whose dates contain a moment (periods never overlap), whatever its state."""
    return selectors.period_containing(
        timezone.localtime(datetime.datetime.fromtimestamp(moment, tz=datetime.UTC)).date()
    )


def _key_refusal(entry: QueuedEntry, kiosk: Kiosk) -> str | None:
    """None for a new key; DUPLICATE for one this kiosk sent before; "replayed" for anyone else's."""
    stored = Response.objects.filter(submission_key=entry.key).values("kiosk_id").first()
    if stored is None:
        return None
    return DUPLICATE if stored["kiosk_id"] == kiosk.pk else "replayed"


def entry_accept(request: HttpRequest, entry: QueuedEntry, *, kiosk: Kiosk) -> Outcome:
    """Store one queued form exactly once, or say why not. A form this kiosk sent before is
    acknowledged even once the kiosk is revoked (its reply was lost before the revocation)."""
    key = entry.sent_key
    known = _key_refusal(entry, kiosk)
    if known == DUPLICATE:
        return Outcome(key, DUPLICATE)
    if known:
        return Outcome(key, REFUSED, known)
    if not kiosk.is_active or not kiosk.unit.is_active:
        return Outcome(key, REFUSED, "revoked")
    now = clock.now()
    grace_days = selectors.survey_settings().kiosk_queue_grace_days
    refusal = time_refusal(entry, kiosk=kiosk, now=now, grace_days=grace_days)
    if refusal:
        return Outcome(key, REFUSED, refusal)
    period = period_at(entry.filled)
    if period is None:
        return Outcome(key, REFUSED, "no_period")
    if period.state == PeriodState.PUBLISHED:
        return Outcome(key, REFUSED, "published")
    unit = kiosk.unit
    setup = selectors.survey_setup_for(unit)
    form = CitizenForm(entry.answers, elements=setup.elements, services=setup.services)
    if setup.instrument is None or not form.is_valid():
        return Outcome(key, REFUSED, "invalid")
    limits = intake.queued_limits(request, unit=unit, kiosk=kiosk)
    over = ratelimit.take(limits, now=now)
    if any(limit.refuses for limit in over):
        return Outcome(key, LATER)
    filled = datetime.datetime.fromtimestamp(entry.filled, tz=datetime.UTC)
    ticket = Ticket(
        key=entry.key,
        started=entry.started,
        issued=entry.filled,
        channel=Channel.KIOSK,
        unit_code=unit.code,
        kiosk_id=kiosk.pk,
        period_id=period.pk,
    )
    honeypot = entry.honeypot_filled
    decided = intake.verdict(unit=unit, honeypot_filled=honeypot, ticket=ticket, over=over, now=entry.filled)
    burst = intake.queued_burst(unit=unit, kiosk=kiosk, filled=filled)
    if decided.state == ResponseState.COUNTED and burst:
        decided = intake.Verdict(ResponseState.HELD, burst)
    submission = form.submission(
        key=entry.key,
        unit=unit,
        instrument=setup.instrument,
        period=period,
        channel=Channel.KIOSK,
        kiosk=kiosk,
        state=decided.state,
        reason=decided.reason,
        source_tag=ratelimit.source_tag(request, period.pk),
        submitted_at=filled,
    )
    result = None
    try:
        result = services.response_submit(submission=submission)
    except DatabaseError:
        logger.exception("storing a queued kiosk response failed; the kiosk keeps it and sends it again")
        return Outcome(key, LATER)
    finally:
        if result is None or not result.created:
            ratelimit.give_back(limits, now=now)
    if result.created or result.response.kiosk_id == kiosk.pk:
        return Outcome(key, STORED if result.created else DUPLICATE)
    return Outcome(key, REFUSED, "replayed")  # another form with this key won a race
