"""Taking a response out of the index (and back): who, when and why, tallies in step."""

from __future__ import annotations

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys import tallies
from surveys.models import Response, SpamReason
from surveys.services.audit import audit_record

logger = logging.getLogger(__name__)


class SpamMarkRefused(ValueError):
    """A response cannot be marked (or unmarked) as spam in its current state."""


SPAM_NOTE_MIN_LENGTH = 5


def response_mark_spam(*, response: Response, user: AbstractBaseUser, reason: str) -> Response:
    """Mark a response as spam or irrelevant: it stops counting and stays stored, with who, when
    and why (a reason is required: taking a citizen's answers out of an index must be explained).

    The row is locked and the running tallies lose its answers in the same transaction.
    """
    reason = " ".join(reason.split())
    if len(reason) < SPAM_NOTE_MIN_LENGTH:
        raise SpamMarkRefused(_("Tuliskan alasan mengapa tanggapan ini tidak dihitung (minimal 5 huruf)."))
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.spam_reason != SpamReason.NONE:
            raise SpamMarkRefused(_("Tanggapan ini sudah ditandai."))
        was_counted = locked.is_countable
        locked.spam_reason = SpamReason.MANUAL
        locked.spam_marked_by = user  # type: ignore[assignment]
        locked.spam_marked_at = timezone.now()
        locked.spam_note = reason[:300]
        locked.save(update_fields=["spam_reason", "spam_marked_by", "spam_marked_at", "spam_note"])
        if was_counted:
            tallies.tallies_add(response=locked, scores=tallies.response_scores(locked), sign=-1)
        audit_record(actor=user, action="response.mark_spam", target=locked)
    logger.info("response %s marked as spam by user %s", locked.pk, user.pk)
    return locked


def response_unmark_spam(*, response: Response, user: AbstractBaseUser) -> Response:
    """Undo a manual spam mark: the response counts again. Automatic flags are not undone here.

    Who marked it and when stay recorded (the last mark); the unmarking is logged. The running
    tallies regain its answers in the same transaction.
    """
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.spam_reason != SpamReason.MANUAL:
            raise SpamMarkRefused(_("Hanya tanda spam yang diberikan admin yang dapat dibatalkan."))
        locked.spam_reason = SpamReason.NONE
        locked.save(update_fields=["spam_reason"])
        if locked.is_countable:
            tallies.tallies_add(response=locked, scores=tallies.response_scores(locked), sign=+1)
        audit_record(actor=user, action="response.unmark_spam", target=locked)
    logger.info("response %s unmarked as spam by user %s", locked.pk, user.pk)
    return locked
