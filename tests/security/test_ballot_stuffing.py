"""Floods do not move a unit's number: they are held for review, never thrown away, and visible.

The attacks of issue 14, replayed: a patient flood from one address with a new browser name each
time, a kiosk link posted to in bulk, many addresses at a quiet unit, forged and replayed forms.
And the people they must not hurt: forty honest citizens behind one office connection.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client

from reports import tallies as report_tallies
from surveys import clock, services
from surveys.models import Reason, Response, ResponseState
from surveys.selectors import kiosk_signed_token
from tests import builders
from tests.conftest import logged_in
from tests.surveys.citizen_support import filled_form, ticket_from

pytestmark = pytest.mark.django_db
START = 1_800_001_850.0  # a moment away from the boundaries of the counters' windows


class Time:
    """`surveys.clock.now`, moved forward by the test."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def time(monkeypatch: pytest.MonkeyPatch) -> Time:
    moved = Time()
    monkeypatch.setattr(clock, "now", moved)
    return moved


@pytest.fixture(autouse=True)
def _own_cache(settings: Any) -> None:
    """Counts in this process's memory: parallel test workers sharing one Redis database clear
    each other's counters (the Redis path itself is tested in tests/surveys/test_citizen_ratelimit.py)."""
    location = f"ballots-{uuid.uuid4().hex}"  # a fresh one per test: the tests share their moments in time
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": location}}


@pytest.fixture
def honest(city: Any, instrument: Any, period: Any) -> Any:
    """Forty honest citizens gave 24 Ilir good marks."""
    for _ in range(40):
        builders.make_response(city.kelurahan, [4, 3, 4, 3, 4, 3, 4, 3, 4], instrument=instrument, period=period)
    return city


def _index(city: Any, period: Any) -> Any:
    tallies = report_tallies.tally_responses(Response.objects.for_unit(city.kelurahan).in_period(period))
    return tallies[city.kelurahan.pk].result().nik


def _counted(city: Any) -> int:
    return Response.objects.for_unit(city.kelurahan).countable().count()


def _statuses(responses: list[Any]) -> dict[int, int]:
    statuses: dict[int, int] = {}
    for response in responses:
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    return statuses


@pytest.mark.slow
def test_a_patient_flood_from_one_address_is_held_not_counted(
    honest: Any, instrument: Any, period: Any, settings: Any, secretariat: Any, time: Time
) -> None:
    """300 forms fetched from one address, a new browser name for each, posted with the lowest
    scores once the fill time has passed."""
    url = f"/s/{honest.kelurahan.code}/"
    before = _index(honest, period)
    bots = [Client(REMOTE_ADDR="198.51.100.9", HTTP_USER_AGENT=f"Mozilla/5.0 bot-{n}") for n in range(300)]
    tickets = [ticket_from(bot.get(url).content.decode()) for bot in bots]
    time.now += 9
    answers = [bot.post(url, filled_form(instrument, ticket=t, score=1)) for bot, t in zip(bots, tickets, strict=True)]
    statuses = _statuses(answers)
    thanked = statuses.get(302, 0)
    stored = Response.objects.filter(score_sum=9)  # the flood's (the honest forty scored higher)
    assert stored.count() == thanked  # every thanked submission is stored
    counted = stored.filter(state=ResponseState.COUNTED).count()
    assert counted <= settings.SURVEY_HOLD_BURST <= 0.05 * len(bots)  # at most a small fraction counts
    assert stored.filter(state=ResponseState.HELD).count() == thanked - counted  # the rest wait for review
    assert set(stored.held().values_list("reason", flat=True)) <= {Reason.ADDRESS, Reason.TICKETS}
    assert statuses.get(429, 0) == len(bots) - thanked  # beyond the hard ceiling: refused, not thanked
    assert _index(honest, period) >= before - 15
    review = logged_in(secretariat).get("/petugas/tinjauan/").content.decode()
    assert honest.kelurahan.name in review and "Banyak kiriman dari satu alamat" in review
    dashboard = logged_in(secretariat).get(f"/petugas/unit/{honest.kelurahan.code}/").content.decode()
    assert "ditahan untuk ditinjau sekretariat" in dashboard


def test_forty_honest_citizens_behind_one_office_connection_all_count(
    city: Any, instrument: Any, period: Any, time: Time
) -> None:
    """One public address (an office's wifi), forty people in an hour, each taking a few minutes."""
    url = f"/s/{city.kelurahan.code}/"
    for number in range(40):
        phone = Client(REMOTE_ADDR="203.0.113.40", HTTP_USER_AGENT=f"Mozilla/5.0 (Linux; Android 1{number % 4})")
        ticket = ticket_from(phone.get(url).content.decode())
        time.now += 150  # about two and a half minutes to answer
        assert phone.post(url, filled_form(instrument, ticket=ticket, score=3 + number % 2)).status_code == 302
        time.now -= 60  # the next person started a minute before this one finished
    assert _counted(city) == 40
    assert not Response.objects.held().exists()


@pytest.mark.slow
def test_a_kiosk_link_posted_to_in_bulk_is_held(
    city: Any, instrument: Any, period: Any, settings: Any, time: Time
) -> None:
    kiosk = services.kiosk_register(unit=city.kelurahan, label="Tablet loket 1")
    url = f"/kios/{kiosk_signed_token(kiosk)}/"
    clients = [Client(REMOTE_ADDR=f"192.0.2.{n % 250}") for n in range(320)]  # from anywhere
    tickets = [ticket_from(client.get(url).content.decode()) for client in clients]
    time.now += 30
    statuses = _statuses(
        [
            client.post(url, filled_form(instrument, ticket=t, score=1))
            for client, t in zip(clients, tickets, strict=True)
        ]
    )
    assert Response.objects.countable().count() <= settings.SURVEY_HOLD_BURST
    assert Response.objects.count() == statuses.get(302, 0)
    assert set(Response.objects.held().values_list("reason", flat=True)) <= {Reason.KIOSK, Reason.TICKETS}


def test_many_addresses_at_a_quiet_unit_are_held_beyond_its_hourly_allowance(
    city: Any, instrument: Any, period: Any, settings: Any, time: Time
) -> None:
    settings.SURVEY_HOLD_UNIT_FLOOR = 20
    url = f"/s/{city.puskesmas.code}/"
    for number in range(30):
        client = Client(REMOTE_ADDR=f"100.64.{number}.7")
        ticket = ticket_from(client.get(url).content.decode())
        time.now += 10
        assert client.post(url, filled_form(instrument, ticket=ticket, score=1)).status_code == 302
    assert Response.objects.countable().count() == 20
    assert set(Response.objects.held().values_list("reason", flat=True)) == {Reason.UNIT}


def test_a_ticket_for_one_unit_is_refused_by_another(city: Any, instrument: Any, period: Any) -> None:
    client = Client()
    ticket = ticket_from(client.get(f"/s/{city.puskesmas.code}/").content.decode())
    page = client.post(f"/s/{city.kelurahan.code}/", filled_form(instrument, ticket=ticket))
    assert page.status_code == 400
    assert not Response.objects.exists()


def test_an_expired_form_keeps_its_answers_and_is_taken_when_sent_again(
    city: Any, instrument: Any, period: Any, settings: Any, time: Time
) -> None:
    url = f"/s/{city.kelurahan.code}/"
    phone = Client()
    ticket = ticket_from(phone.get(url).content.decode())
    time.now += settings.SURVEY_TICKET_MAX_AGE_SECONDS + 60  # the citizen left the tab open
    page = phone.post(url, filled_form(instrument, ticket=ticket, score=3, suggestion="Ruang tunggu panas"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ruang tunggu panas" in html and 'value="3" id="id_element_SARANA_2" required checked' in html
    assert "Ada isian yang perlu diperbaiki" not in html  # never told off
    assert not Response.objects.exists()
    renewed = ticket_from(html)
    assert renewed != ticket
    assert phone.post(url, filled_form(instrument, ticket=renewed, score=3)).status_code == 302  # at once: no wait
    assert Response.objects.get().is_countable


def test_one_address_cannot_hold_hundreds_of_live_forms(
    city: Any, instrument: Any, period: Any, settings: Any, time: Time
) -> None:
    settings.SURVEY_TICKETS_PER_HOUR = 5
    url = f"/s/{city.kelurahan.code}/"
    client = Client(REMOTE_ADDR="198.51.100.20")
    tickets = [ticket_from(client.get(url).content.decode()) for _ in range(8)]
    time.now += 60
    for number, ticket in enumerate(tickets):
        Client(REMOTE_ADDR=f"100.64.0.{number}").post(url, filled_form(instrument, ticket=ticket))
    assert Response.objects.countable().count() == 5
    assert list(Response.objects.held().values_list("reason", flat=True)) == [Reason.TICKETS] * 3


def test_replaying_one_form_a_thousand_times_stores_it_once(honest: Any, instrument: Any, period: Any) -> None:
    data = filled_form(instrument, score=1)
    for _ in range(1000):
        assert Client().post(f"/s/{honest.kelurahan.code}/", data).status_code == 302
    assert _counted(honest) == 41


def test_forged_tickets_store_nothing(honest: Any, instrument: Any) -> None:
    for number in range(100):
        ticket = f"eyJrIjoi{number:08d}:1tTx:forged"
        assert Client().post(f"/s/{honest.kelurahan.code}/", filled_form(instrument, ticket=ticket)).status_code == 400
    assert Response.objects.count() == 40


def test_a_unit_cannot_curate_its_own_index(
    honest: Any, instrument: Any, period: Any, kecamatan_admin: Any, secretariat: Any
) -> None:
    """The admin of 24 Ilir tries to take its three lowest responses out (issue 14, attack 3)."""
    lowest = [builders.make_response(honest.kelurahan, [1] * 9, instrument=instrument, period=period) for _ in range(3)]
    before = _index(honest, period)
    admin = logged_in(kecamatan_admin)
    for response in lowest:
        url = f"/petugas/unit/{honest.kelurahan.code}/saran/{response.pk}/keluarkan/"
        assert admin.post(url, {"reason": "Nilai terlalu rendah"}).status_code == 302
    assert _index(honest, period) == before  # proposed only: still counted
    page = admin.get(f"/petugas/unit/{honest.kelurahan.code}/").content.decode()
    assert "3 diusulkan tidak dihitung" in page
    review = logged_in(secretariat).get("/petugas/tinjauan/").content.decode()
    assert review.count("Nilai terlalu rendah") == 3


@pytest.mark.slow
def test_a_day_long_slow_flood_from_one_address_is_mostly_held(
    city: Any, instrument: Any, period: Any, settings: Any, time: Time
) -> None:
    """Ten forms every ten minutes, one a minute, for 24 hours: under the burst and the hourly
    holds all day long, but not under the day's."""
    url = f"/s/{city.kelurahan.code}/"
    for number in range(24 * 60):
        bot = Client(REMOTE_ADDR="198.51.100.77", HTTP_USER_AGENT=f"Mozilla/5.0 slow-{number}")
        ticket = ticket_from(bot.get(url).content.decode())
        time.now += 9
        assert bot.post(url, filled_form(instrument, ticket=ticket, score=1)).status_code == 302
        time.now += 51
    assert Response.objects.count() == 24 * 60  # every one stored, none lost
    assert _counted(city) == settings.SURVEY_HOLD_DAILY  # 1,440 before the day's hold
    assert Response.objects.held().count() == 24 * 60 - settings.SURVEY_HOLD_DAILY
    assert set(Response.objects.held().values_list("reason", flat=True)) == {Reason.ADDRESS}


def test_a_burst_across_a_window_boundary_is_still_a_burst(
    city: Any, instrument: Any, period: Any, settings: Any, time: Time
) -> None:
    """Twenty forms in 21 seconds, ten on each side of a boundary of the burst window's counter."""
    url = f"/s/{city.kelurahan.code}/"
    window = settings.SURVEY_HOLD_BURST_SECONDS
    bots = [Client(REMOTE_ADDR="198.51.100.78", HTTP_USER_AGENT=f"Mozilla/5.0 edge-{n}") for n in range(20)]
    tickets = [ticket_from(bot.get(url).content.decode()) for bot in bots]
    time.now += window - time.now % window - 10  # ten seconds before the boundary
    for bot, ticket in zip(bots, tickets, strict=True):
        assert bot.post(url, filled_form(instrument, ticket=ticket, score=1)).status_code == 302
        time.now += 1.05
    assert _counted(city) == settings.SURVEY_HOLD_BURST
    assert list(Response.objects.held().values_list("reason", flat=True)) == [Reason.ADDRESS] * 10


def test_addresses_rotating_within_one_ipv6_64_are_one_source(
    city: Any, instrument: Any, period: Any, settings: Any, time: Time
) -> None:
    """A phone (or a script) on one IPv6 line may take any of 2^64 addresses: sixty forms from sixty
    addresses of one /64 are one source's burst."""
    url = f"/s/{city.kelurahan.code}/"
    bots = [Client(REMOTE_ADDR=f"2001:db8:77:1:{n:x}::9", HTTP_USER_AGENT=f"Mozilla/5.0 v6-{n}") for n in range(60)]
    tickets = [ticket_from(bot.get(url).content.decode()) for bot in bots]
    time.now += 9
    for bot, ticket in zip(bots, tickets, strict=True):
        assert bot.post(url, filled_form(instrument, ticket=ticket, score=1)).status_code == 302
    assert _counted(city) == settings.SURVEY_HOLD_BURST
    assert set(Response.objects.held().values_list("reason", flat=True)) == {Reason.ADDRESS}
    assert Response.objects.values("source_tag").distinct().count() == 1  # one place on the data-quality page
