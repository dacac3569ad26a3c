"""Taking responses out of the index and back: four eyes, a reason, tallies in step, an audit trail."""

from __future__ import annotations

import pytest

from reports import selectors
from reports import tallies as report_tallies
from surveys import services
from surveys.models import (
    AuditEvent,
    ExclusionProposal,
    ProposalDecision,
    Reason,
    Response,
    ResponseState,
    UnitPopulation,
)
from tests import builders

pytestmark = pytest.mark.django_db


def _answered(city, instrument, period, scores=(4,) * 9, **fields):
    return builders.make_response(city.kelurahan, list(scores), instrument=instrument, period=period, **fields)


def test_a_unit_admins_proposal_leaves_the_response_counted_until_the_secretariat_confirms(
    city, instrument, period, kecamatan_admin, secretariat
):
    response = _answered(city, instrument, period, scores=[1] * 9)
    proposal = services.exclusion_propose(response=response, user=kecamatan_admin, reason="Iklan, bukan saran")
    assert Response.objects.countable().count() == 1
    assert proposal.decision == ProposalDecision.PENDING
    services.exclusion_decide(proposal=proposal, user=secretariat, confirm=True)
    stored = Response.objects.get(pk=response.pk)
    assert (stored.state, stored.reason, stored.reviewed_by) == (ResponseState.EXCLUDED, Reason.EXCLUSION, secretariat)
    assert stored.review_note == "Iklan, bukan saran"
    assert not Response.objects.countable().exists()


def test_a_unit_admin_cannot_decide_a_proposal_not_even_their_own(city, instrument, period, kecamatan_admin):
    response = _answered(city, instrument, period)
    proposal = services.exclusion_propose(response=response, user=kecamatan_admin, reason="Iklan, bukan saran")
    with pytest.raises(services.ReviewRefused, match="sekretariat"):
        services.exclusion_decide(proposal=proposal, user=kecamatan_admin, confirm=True)
    assert Response.objects.get(pk=response.pk).is_countable
    assert ExclusionProposal.objects.get().decision == ProposalDecision.PENDING


def test_a_declined_proposal_keeps_the_response_counted_and_needs_a_reason(
    city, instrument, period, kecamatan_admin, secretariat
):
    proposal = services.exclusion_propose(
        response=_answered(city, instrument, period), user=kecamatan_admin, reason="Nilainya terlalu rendah"
    )
    with pytest.raises(services.ReviewRefused, match="alasan"):
        services.exclusion_decide(proposal=proposal, user=secretariat, confirm=False, note="")
    services.exclusion_decide(proposal=proposal, user=secretariat, confirm=False, note="Nilai rendah bukan alasan")
    assert Response.objects.countable().count() == 1
    assert ExclusionProposal.objects.get().decision == ProposalDecision.DECLINED


@pytest.mark.parametrize("reason", ["", "   ", "spam"])
def test_a_proposal_needs_a_reason_and_changes_nothing_without_one(city, instrument, period, kecamatan_admin, reason):
    response = _answered(city, instrument, period)
    with pytest.raises(services.ReviewRefused, match="alasan"):
        services.exclusion_propose(response=response, user=kecamatan_admin, reason=reason)
    assert not ExclusionProposal.objects.exists()


def test_a_response_can_have_one_pending_proposal_and_excluded_ones_cannot_be_proposed(
    city, instrument, period, kecamatan_admin, secretariat
):
    response = _answered(city, instrument, period)
    services.exclusion_propose(response=response, user=kecamatan_admin, reason="Iklan, bukan saran")
    with pytest.raises(services.ReviewRefused, match="menunggu"):
        services.exclusion_propose(response=response, user=kecamatan_admin, reason="Iklan, bukan saran")
    services.response_exclude(response=_answered(city, instrument, period), user=secretariat, reason="Uji coba petugas")
    excluded = Response.objects.get(state=ResponseState.EXCLUDED)
    with pytest.raises(services.ReviewRefused):
        services.exclusion_propose(response=excluded, user=kecamatan_admin, reason="Iklan, bukan saran")


def test_the_secretariat_excludes_at_once_and_may_reinstate_with_a_reason(city, instrument, period, secretariat):
    response = _answered(city, instrument, period)
    services.response_exclude(response=response, user=secretariat, reason="Uji coba petugas")
    assert not Response.objects.countable().exists()
    with pytest.raises(services.ReviewRefused, match="alasan"):
        services.response_reinstate(response=response, user=secretariat, note="")
    services.response_reinstate(response=response, user=secretariat, note="Bukan uji coba, warga asli")
    assert Response.objects.get(pk=response.pk).is_countable


def test_a_unit_admin_cannot_exclude_release_or_reinstate(city, instrument, period, kecamatan_admin):
    response = _answered(city, instrument, period)
    held = _answered(city, instrument, period, state=ResponseState.HELD, reason=Reason.ADDRESS)
    with pytest.raises(services.ReviewRefused):
        services.response_exclude(response=response, user=kecamatan_admin, reason="Iklan, bukan saran")
    with pytest.raises(services.ReviewRefused):
        services.responses_release(responses=[held], user=kecamatan_admin)
    with pytest.raises(services.ReviewRefused):
        services.response_reinstate(response=response, user=kecamatan_admin, note="Warga asli sekali")
    assert Response.objects.countable().count() == 1 and Response.objects.held().count() == 1


def test_held_responses_count_once_released_and_never_once_rejected(city, instrument, period, secretariat):
    burst = [_answered(city, instrument, period, scores=[1] * 9, state=ResponseState.HELD, reason=Reason.ADDRESS)]
    burst.append(_answered(city, instrument, period, scores=[2] * 9, state=ResponseState.HELD, reason=Reason.ADDRESS))
    assert not Response.objects.countable().exists()
    assert services.responses_release(responses=burst[:1], user=secretariat) == 1
    with pytest.raises(services.ReviewRefused, match="alasan"):
        services.responses_reject(responses=burst[1:], user=secretariat, note="")
    assert services.responses_reject(responses=burst[1:], user=secretariat, note="Satu alamat, 200 kiriman") == 1
    assert list(Response.objects.countable().values_list("score_sum", flat=True)) == [9]
    rejected = Response.objects.get(pk=burst[1].pk)
    assert (rejected.state, rejected.reason, rejected.review_note) == (
        ResponseState.EXCLUDED,
        Reason.ADDRESS,
        "Satu alamat, 200 kiriman",
    )
    assert services.responses_release(responses=burst, user=secretariat) == 0  # only held ones are reviewed


def test_every_review_is_in_the_audit_log(city, instrument, period, kecamatan_admin, secretariat):
    proposal = services.exclusion_propose(
        response=_answered(city, instrument, period), user=kecamatan_admin, reason="Iklan, bukan saran"
    )
    services.exclusion_decide(proposal=proposal, user=secretariat, confirm=True)
    held = _answered(city, instrument, period, state=ResponseState.HELD, reason=Reason.UNIT)
    services.responses_release(responses=[held], user=secretariat, note="Hari pelayanan keliling")
    reviews = AuditEvent.objects.filter(action__startswith="response.").order_by("id")
    actions = list(reviews.values_list("action", "actor_username"))
    assert actions == [
        ("response.exclusion_propose", kecamatan_admin.username),
        ("response.exclusion_confirm", secretariat.username),
        ("response.release", secretariat.username),
    ]


def test_reviews_keep_the_running_tallies_in_step(city, instrument, period, kecamatan_admin, secretariat):
    _answered(city, instrument, period)
    junk = _answered(city, instrument, period, scores=[1] * 9)
    held = _answered(city, instrument, period, scores=[2] * 9, state=ResponseState.HELD, reason=Reason.KIOSK)

    def both():
        live = report_tallies.tally_responses(selectors.responses_in(unit_ids=[city.kelurahan.pk]))
        kept = report_tallies.tally_counts(unit_ids=[city.kelurahan.pk])
        return live[city.kelurahan.pk].result(), kept[city.kelurahan.pk].result()

    live, kept = both()
    assert live == kept and live.respondents == 2
    services.response_exclude(response=junk, user=secretariat, reason="Iklan, bukan saran")
    live, kept = both()
    assert live == kept and live.respondents == 1
    services.responses_release(responses=[held], user=secretariat)
    services.response_reinstate(response=junk, user=secretariat, note="Warga asli ternyata")
    live, kept = both()
    assert live == kept and live.respondents == 3


def test_setting_a_population_creates_then_replaces_it(city, period):
    services.unit_population_set(unit=city.kelurahan, period=period, population=120)
    services.unit_population_set(unit=city.kelurahan, period=period, population=150)
    assert list(UnitPopulation.objects.values_list("population", flat=True)) == [150]


@pytest.mark.parametrize("population", [0, -5, True, "12"])
def test_a_population_must_be_a_positive_whole_number(city, period, population):
    with pytest.raises(services.SubmissionInvalid):
        services.unit_population_set(unit=city.kelurahan, period=period, population=population)
    assert not UnitPopulation.objects.exists()
