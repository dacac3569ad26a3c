"""Taking responses out of the index and back, never by the unit alone.

- A unit admin (or the secretariat) *proposes* excluding a counted response, with a reason; it
  stays counted until the secretariat confirms (`exclusion_decide`). Four eyes: the unit whose
  number would move never decides.
- Responses held on arrival (a burst, a form filled faster than a person can) stay out of the
  index until the secretariat releases them into it or rejects them.
- The secretariat may reinstate an excluded response it finds was excluded by mistake.

Every change locks the rows, moves the running tallies in the same transaction, and is written to
the audit log in that transaction. A published period's numbers do not move: they are a frozen
snapshot, and only a new revision made by the secretariat shows the change.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, cast

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys import access, tallies
from surveys.models import ExclusionProposal, ProposalDecision, Reason, Response, ResponseState
from surveys.services.audit import AnyUser, audit_record

logger = logging.getLogger(__name__)

NOTE_MIN_LENGTH = 5
NOTE_MAX_LENGTH = 300


class ReviewRefused(ValueError):
    """A review action that does not fit the response's state or the user's role (the message is
    for the user)."""


def _note(text: str, *, required: bool) -> str:
    note = " ".join(text.split())[:NOTE_MAX_LENGTH]
    if required and len(note) < NOTE_MIN_LENGTH:
        raise ReviewRefused(_("Tuliskan alasannya (paling sedikit 5 huruf)."))
    return note


def _require_secretariat(user: AnyUser) -> None:
    if not access.is_secretariat(user):
        raise ReviewRefused(_("Hanya sekretariat yang dapat memutuskan apakah sebuah tanggapan dihitung."))


def _move(response: Response, *, state: str, user: AnyUser, note: str, reason: str | None = None) -> None:
    """Put a locked response in `state`, moving the tallies if it starts or stops counting."""
    was_counted = response.is_countable
    response.state = state
    if reason is not None:
        response.reason = reason
    response.reviewed_by = user  # type: ignore[assignment]
    response.reviewed_at = timezone.now()
    response.review_note = note
    response.save(update_fields=["state", "reason", "reviewed_by", "reviewed_at", "review_note"])
    if was_counted != response.is_countable:
        sign = +1 if response.is_countable else -1
        tallies.tallies_add(response=response, scores=tallies.response_scores(response), sign=sign)


def exclusion_propose(*, response: Response, user: AbstractBaseUser, reason: str) -> ExclusionProposal:
    """Propose taking a counted response out of its unit's index; it keeps counting until the
    secretariat decides. One pending proposal per response."""
    text = _note(reason, required=True)
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.state != ResponseState.COUNTED:
            raise ReviewRefused(_("Tanggapan ini sudah tidak dihitung atau sedang ditahan."))
        try:
            with transaction.atomic():
                proposal = ExclusionProposal.objects.create(
                    response=locked, reason=text, proposed_by=cast(Any, user), proposed_at=timezone.now()
                )
        except IntegrityError:
            raise ReviewRefused(_("Tanggapan ini sudah diusulkan dan menunggu keputusan sekretariat.")) from None
        audit_record(actor=user, action="response.exclusion_propose", target=locked, detail={"reason": text})
    logger.info("exclusion of response %s proposed by user %s", locked.pk, user.pk)
    return proposal


def exclusion_decide(
    *, proposal: ExclusionProposal, user: AbstractBaseUser, confirm: bool, note: str = ""
) -> ExclusionProposal:
    """The secretariat confirms a proposal (the response stops counting) or declines it (it keeps
    counting). A declined proposal needs a note saying why."""
    _require_secretariat(user)
    text = _note(note, required=not confirm)
    with transaction.atomic():
        locked = ExclusionProposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.decision != ProposalDecision.PENDING:
            raise ReviewRefused(_("Usulan ini sudah diputuskan."))
        response = Response.objects.select_for_update().get(pk=locked.response_id)
        locked.decision = ProposalDecision.CONFIRMED if confirm else ProposalDecision.DECLINED
        locked.decided_by = user  # type: ignore[assignment]
        locked.decided_at = timezone.now()
        locked.decision_note = text
        locked.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
        if confirm and response.state == ResponseState.COUNTED:
            _move(response, state=ResponseState.EXCLUDED, reason=Reason.EXCLUSION, user=user, note=locked.reason)
        audit_record(
            actor=user,
            action="response.exclusion_confirm" if confirm else "response.exclusion_decline",
            target=response,
            detail={"reason": locked.reason, "note": text},
        )
    return locked


def response_exclude(*, response: Response, user: AbstractBaseUser, reason: str) -> ExclusionProposal:
    """The secretariat takes a response out of the index itself (proposed and decided at once,
    both recorded): it is not the unit whose number moves."""
    _require_secretariat(user)
    with transaction.atomic():
        proposal = exclusion_propose(response=response, user=user, reason=reason)
        return exclusion_decide(proposal=proposal, user=user, confirm=True)


def _locked_in_order(responses: QuerySet[Response]) -> list[Response]:
    """The responses locked in one order (by tally group, then id), so two bulk reviews and the
    submissions they meet take the tally rows in the same order and never deadlock."""
    return list(
        responses.select_for_update().order_by("unit_id", "period_id", "service_id", "channel", "answered", "pk")
    )


def _review_held(
    responses: Iterable[Response] | QuerySet[Response],
    *,
    user: AbstractBaseUser,
    note: str,
    release: bool,
    expected: int | None,
) -> int:
    _require_secretariat(user)
    with transaction.atomic():
        ids = [response.pk for response in responses]
        held = _locked_in_order(Response.objects.filter(pk__in=ids, state=ResponseState.HELD))
        if expected is not None and len(held) != expected:
            raise ReviewRefused(
                _(
                    "Kelompok ini berubah sejak halaman dimuat (%(shown)d ditampilkan, kini %(now)d ditahan). "
                    "Tidak ada yang diubah; muat ulang halaman dan periksa lagi."
                )
                % {"shown": expected, "now": len(held)}
            )
        state = ResponseState.COUNTED if release else ResponseState.EXCLUDED
        for response in held:
            _move(response, state=state, user=user, note=note)
        for unit_id in sorted({response.unit_id for response in held}):
            mine = [response for response in held if response.unit_id == unit_id]
            audit_record(
                actor=user,
                action="response.release" if release else "response.reject",
                target=mine[0].unit,
                detail={"responses": len(mine), "reasons": sorted({r.reason for r in mine}), "note": note},
            )
    return len(held)


def responses_release(
    *,
    responses: Iterable[Response] | QuerySet[Response],
    user: AbstractBaseUser,
    note: str = "",
    expected: int | None = None,
) -> int:
    """Count held responses after all (the secretariat found them honest); returns how many.
    With `expected` (how many the secretariat was shown), nothing changes unless exactly that
    many are still held."""
    return _review_held(responses, user=user, note=_note(note, required=False), release=True, expected=expected)


def responses_reject(
    *,
    responses: Iterable[Response] | QuerySet[Response],
    user: AbstractBaseUser,
    note: str,
    expected: int | None = None,
) -> int:
    """Keep held responses out of the index for good, with a reason; returns how many (with
    `expected`, as `responses_release`)."""
    return _review_held(responses, user=user, note=_note(note, required=True), release=False, expected=expected)


def response_reinstate(*, response: Response, user: AbstractBaseUser, note: str) -> Response:
    """The secretariat counts an excluded response again (an exclusion made by mistake)."""
    _require_secretariat(user)
    text = _note(note, required=True)
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.state != ResponseState.EXCLUDED:
            raise ReviewRefused(_("Hanya tanggapan yang tidak dihitung yang dapat dihitung kembali."))
        _move(locked, state=ResponseState.COUNTED, user=user, note=text)
        audit_record(actor=user, action="response.reinstate", target=locked, detail={"note": text})
    return locked
