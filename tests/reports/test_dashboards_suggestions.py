"""Suggestions: newest first, paged, searchable, filterable; taking one out of the index is proposed
by the unit and decided by the secretariat."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.views.suggestions import PAGE_SIZE
from surveys.models import ExclusionProposal, Reason, Response, ResponseState
from tests import builders
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def suggest(unit, text, *, instrument, period, scores=(4,) * 9, minutes_ago=0, **fields):
    response = builders.make_response(
        unit,
        list(scores),
        instrument=instrument,
        period=period,
        submitted_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        **fields,
    )
    Response.objects.filter(pk=response.pk).update(suggestion=text)
    response.refresh_from_db()
    return response


def listed(page) -> list[str]:
    return [response.suggestion for response in page.context["page"]]


def address(unit, **params):
    return reverse("unit-suggestions", args=[unit.code]), params


def test_suggestions_are_newest_first_and_responses_without_one_are_left_out(city, instrument, period, kecamatan_admin):
    suggest(city.kelurahan, "lama", instrument=instrument, period=period, minutes_ago=60)
    suggest(city.kelurahan, "baru", instrument=instrument, period=period, minutes_ago=1)
    builders.make_response(city.kelurahan, [4] * 9, instrument=instrument, period=period)
    page = logged_in(kecamatan_admin).get(*address(city.kelurahan))
    assert listed(page) == ["baru", "lama"]


def test_suggestions_are_paged(city, instrument, period, kecamatan_admin):
    for number in range(PAGE_SIZE + 3):
        suggest(city.kelurahan, f"saran {number}", instrument=instrument, period=period, minutes_ago=number)
    client = logged_in(kecamatan_admin)
    first = client.get(*address(city.kelurahan))
    assert len(listed(first)) == PAGE_SIZE
    second = client.get(*address(city.kelurahan, page="2"))
    assert listed(second) == [f"saran {number}" for number in range(PAGE_SIZE, PAGE_SIZE + 3)]
    assert client.get(*address(city.kelurahan, page="banyak")).status_code == 200


def test_search_service_and_element_score_filters(city, instrument, period, kecamatan_admin):
    suggest(city.kelurahan, "Antrean lama sekali", instrument=instrument, period=period, scores=[1] * 9)
    suggest(
        city.kelurahan,
        "Petugas ramah",
        instrument=instrument,
        period=period,
        service=city.service,
        scores=[4, 4, 4, 4, 4, 4, 4, 2, 4],
    )
    client = logged_in(kecamatan_admin)
    assert listed(client.get(*address(city.kelurahan, q="antrean"))) == ["Antrean lama sekali"]
    assert listed(client.get(*address(city.kelurahan, service=str(city.service.pk)))) == ["Petugas ramah"]
    assert listed(client.get(*address(city.kelurahan, element="SARANA", score="2"))) == ["Petugas ramah"]
    assert listed(client.get(*address(city.kelurahan, score="1"))) == ["Antrean lama sekali"]
    assert listed(client.get(*address(city.kelurahan, element="WAKTU", score="2"))) == []


@pytest.mark.parametrize("params", [{"score": "5"}, {"element": "DROP"}, {"q": "x" * 101}, {"state": "gone"}])
def test_bad_filters_get_a_message_and_show_everything(city, instrument, period, kecamatan_admin, params):
    suggest(city.kelurahan, "satu", instrument=instrument, period=period)
    page = logged_in(kecamatan_admin).get(*address(city.kelurahan, **params))
    assert page.status_code == 200
    assert "Sebagian pilihan tidak dapat dipakai" in page.text
    assert listed(page) == ["satu"]


def test_a_unit_admin_proposes_and_the_response_counts_until_the_secretariat_confirms(
    city, instrument, period, kecamatan_admin, secretariat
):
    junk = suggest(city.kelurahan, "iklan pinjol", instrument=instrument, period=period)
    client = logged_in(kecamatan_admin)
    answer = client.post(exclude_url(city.kelurahan, junk), {"reason": "Iklan, bukan saran"}, follow=True)
    assert "tetap dihitung sampai sekretariat menyetujuinya" in answer.text
    assert listed(client.get(*address(city.kelurahan))) == ["iklan pinjol"]  # still counted
    assert "menunggu keputusan sekretariat" in client.get(*address(city.kelurahan)).text
    proposal = ExclusionProposal.objects.get()
    logged_in(secretariat).post(reverse("review-proposal", args=[proposal.pk]), {"decision": "confirm"})
    assert listed(client.get(*address(city.kelurahan))) == []
    aside = client.get(*address(city.kelurahan, state="aside"))
    assert listed(aside) == ["iklan pinjol"]
    assert "ditinjau oleh analis" in aside.text


def test_the_secretariat_excludes_at_once_and_counts_it_again_with_a_reason(city, instrument, period, secretariat):
    junk = suggest(city.kelurahan, "salah pencet", instrument=instrument, period=period)
    client = logged_in(secretariat)
    client.post(exclude_url(city.kelurahan, junk), {"reason": "Uji coba petugas"})
    junk.refresh_from_db()
    assert (junk.state, junk.reason, junk.reviewed_by) == (ResponseState.EXCLUDED, Reason.EXCLUSION, secretariat)
    page = client.post(reverse("response-reinstate", args=[city.kelurahan.code, junk.pk]), {"note": ""}, follow=True)
    assert "Tuliskan alasannya" in page.text
    client.post(reverse("response-reinstate", args=[city.kelurahan.code, junk.pk]), {"note": "Warga asli ternyata"})
    assert listed(client.get(*address(city.kelurahan))) == ["salah pencet"]


def test_a_unit_admin_cannot_count_again_what_was_excluded(city, instrument, period, kecamatan_admin):
    bot = suggest(
        city.kelurahan,
        "bot",
        instrument=instrument,
        period=period,
        state=ResponseState.EXCLUDED,
        reason=Reason.HONEYPOT,
    )
    client = logged_in(kecamatan_admin)
    assert (
        client.post(reverse("response-reinstate", args=[city.kelurahan.code, bot.pk]), {"note": "x" * 9}).status_code
        == 404
    )
    page = client.post(exclude_url(city.kelurahan, bot), {"reason": "Iklan, bukan saran"}, follow=True)
    assert "sudah tidak dihitung" in page.text
    bot.refresh_from_db()
    assert (bot.state, bot.reason) == (ResponseState.EXCLUDED, Reason.HONEYPOT)


def test_a_response_of_another_unit_cannot_be_proposed_through_this_one(city, instrument, period, kecamatan_admin):
    foreign = suggest(city.other_kelurahan, "orang lain", instrument=instrument, period=period)
    assert logged_in(kecamatan_admin).post(exclude_url(city.kelurahan, foreign), {"reason": "Iklan"}).status_code == 404
    assert not ExclusionProposal.objects.exists()


def test_a_proposal_goes_back_to_the_filtered_page_but_never_off_site(city, instrument, period, kecamatan_admin):
    first = suggest(city.kelurahan, "a", instrument=instrument, period=period)
    second = suggest(city.kelurahan, "b", instrument=instrument, period=period)
    client = logged_in(kecamatan_admin)
    back = reverse("unit-suggestions", args=[city.kelurahan.code]) + "?q=a"
    answer = client.post(exclude_url(city.kelurahan, first), {"next": back, "reason": "Iklan produk"})
    assert answer["Location"] == back
    answer = client.post(
        exclude_url(city.kelurahan, second), {"next": "https://evil.example/", "reason": "Iklan produk"}
    )
    assert answer["Location"] == reverse("unit-suggestions", args=[city.kelurahan.code])


def test_a_proposal_needs_a_post(city, instrument, period, kecamatan_admin):
    junk = suggest(city.kelurahan, "x", instrument=instrument, period=period)
    assert logged_in(kecamatan_admin).get(exclude_url(city.kelurahan, junk)).status_code == 405


def exclude_url(unit, response):
    return reverse("response-exclusion", args=[unit.code, response.pk])


def test_the_suggestion_list_costs_a_fixed_number_of_queries(
    city, instrument, period, kecamatan_admin, django_assert_max_num_queries
):
    for number in range(PAGE_SIZE + 5):
        suggest(city.kelurahan, f"saran {number}", instrument=instrument, period=period, service=city.service)
    client = logged_in(kecamatan_admin)
    with django_assert_max_num_queries(12):
        page = client.get(*address(city.kelurahan, element="PERSYARATAN", score="4"))
    assert len(listed(page)) == PAGE_SIZE
