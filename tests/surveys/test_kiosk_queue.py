"""A kiosk's offline queue arriving at the server: stored once, in the period of its fill time, or
refused with a clear reason and nothing stored (`surveys.kiosk_queue`, `views.kiosk.kiosk_queue`)."""

from __future__ import annotations

import datetime
import json
import re
import time
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from surveys import lookup_cache, selectors, services
from surveys.forms import ELEMENT_PREFIX
from surveys.models import Channel, Kiosk, Period, Reason, Response, ResponseState, SurveySettings
from surveys.models.periods import PeriodState
from surveys.selectors import kiosk_signed_token
from tests import builders
from tests.conftest import logged_in
from tests.surveys.citizen_support import filled_form

pytestmark = pytest.mark.django_db
DAY = 86400


@pytest.fixture
def kiosk(city: Any, instrument: Any, period: Any) -> Kiosk:
    kiosk = services.kiosk_register(unit=city.kelurahan, label="Tablet loket 1")
    Kiosk.objects.filter(pk=kiosk.pk).update(created_at=timezone.now() - datetime.timedelta(days=60))
    kiosk.refresh_from_db()
    return kiosk


def queued(
    instrument: Any, *, filled_ago: float = 3600, took: float = 150, key: str = "", **answers: Any
) -> dict[str, Any]:
    """One queued form as kiosk.js sends it: times in milliseconds on the tablet's clock."""
    filled = time.time() - filled_ago
    form = filled_form(instrument, **answers)
    form.pop("t")
    honeypot = form.pop("website")
    return {
        "key": str(uuid.uuid4()),
        "started": (filled - took) * 1000,
        "filled": filled * 1000,
        "answers": form,
        "website": honeypot,
    }


def send(kiosk: Kiosk, entries: list[dict[str, Any]], *, queued_count: int = 0, refused: int = 0) -> Any:
    return Client(enforce_csrf_checks=True).post(
        f"/kios/{kiosk_signed_token(kiosk)}/antrean/",
        json.dumps({"entries": entries, "queued": queued_count, "refused": refused}),
        content_type="application/json",
    )


def outcome(reply: Any, index: int = 0) -> dict[str, str]:
    return dict(reply.json()["results"][index])


def test_a_queued_form_is_stored_once_with_its_fill_time_in_the_period_that_contained_it(
    kiosk: Kiosk, instrument: Any, period: Period
) -> None:
    services.kiosk_queue_grace_set(actor=None, days=30)
    Period.objects.filter(pk=period.pk).update(start=timezone.localdate() - datetime.timedelta(days=10))
    earlier = builders.make_period(
        "Bulan lalu",
        start=timezone.localdate() - datetime.timedelta(days=40),
        end=timezone.localdate() - datetime.timedelta(days=11),
        state=PeriodState.CLOSED,
    )
    last_month, today = queued(instrument, filled_ago=20 * DAY), queued(instrument, filled_ago=600)
    reply = send(kiosk, [last_month, today])
    assert reply.status_code == 200
    assert [each["status"] for each in reply.json()["results"]] == ["stored", "stored"]
    stored = {str(response.submission_key): response for response in Response.objects.all()}
    assert stored[last_month["key"]].period == earlier and stored[today["key"]].period == period
    for entry in (last_month, today):
        response = stored[entry["key"]]
        assert abs(response.submitted_at.timestamp() * 1000 - entry["filled"]) < 1
        assert (response.channel, response.kiosk, response.state) == (Channel.KIOSK, kiosk, ResponseState.COUNTED)


def test_sending_the_queue_again_acknowledges_every_key_and_stores_nothing_new(kiosk: Kiosk, instrument: Any) -> None:
    entries = [queued(instrument, filled_ago=900 * n) for n in (3, 2, 1)]
    send(kiosk, entries)
    again = send(kiosk, entries)
    assert [each["status"] for each in again.json()["results"]] == ["duplicate"] * 3
    assert Response.objects.count() == 3


def test_a_form_filled_faster_than_a_person_can_on_the_tablet_is_held(
    kiosk: Kiosk, instrument: Any, settings: Any
) -> None:
    settings.SURVEY_MIN_FILL_SECONDS = 8
    assert outcome(send(kiosk, [queued(instrument, took=2)]))["status"] == "stored"
    assert (Response.objects.get().state, Response.objects.get().reason) == (ResponseState.HELD, Reason.TOO_FAST)


def test_a_days_queue_sent_at_once_is_measured_by_its_fill_times_not_held_as_a_burst(
    kiosk: Kiosk, instrument: Any, settings: Any
) -> None:
    settings.SURVEY_HOLD_BURST = 2
    send(kiosk, [queued(instrument, filled_ago=900 * n) for n in range(12, 0, -1)])
    assert Response.objects.count() == Response.objects.filter(state=ResponseState.COUNTED).count() == 12


def test_a_burst_of_forms_filled_minutes_apart_at_the_counter_is_held(
    kiosk: Kiosk, instrument: Any, settings: Any
) -> None:
    settings.SURVEY_HOLD_BURST = 2
    send(kiosk, [queued(instrument, filled_ago=300 + n) for n in range(4, 0, -1)])
    assert Response.objects.filter(state=ResponseState.HELD, reason=Reason.KIOSK).count() == 2


def test_a_burst_sent_in_two_parts_is_still_a_burst(kiosk: Kiosk, instrument: Any, settings: Any) -> None:
    settings.SURVEY_HOLD_BURST = 2
    send(kiosk, [queued(instrument, filled_ago=303), queued(instrument, filled_ago=302)])
    send(kiosk, [queued(instrument, filled_ago=301)])
    assert Response.objects.filter(state=ResponseState.HELD, reason=Reason.KIOSK).count() == 1


def test_a_back_dated_queue_counts_no_more_forms_an_hour_than_a_kiosk_online_could(
    kiosk: Kiosk, instrument: Any, settings: Any
) -> None:
    settings.SURVEY_HOLD_HOURLY = 3
    send(kiosk, [queued(instrument, filled_ago=2 * 3600 * n) for n in range(5, 0, -1)])
    assert Response.objects.filter(state=ResponseState.COUNTED).count() == 3
    assert Response.objects.filter(state=ResponseState.HELD, reason=Reason.KIOSK).count() == 2


def test_a_queued_form_whose_period_was_published_meanwhile_is_refused(
    kiosk: Kiosk, instrument: Any, period: Period
) -> None:
    Period.objects.filter(pk=period.pk).update(state=PeriodState.PUBLISHED)
    result = outcome(send(kiosk, [queued(instrument)]))
    assert (result["status"], result["reason"]) == ("refused", "published")
    assert result["message"] == "Periode pengisiannya sudah dipublikasikan."
    assert not Response.objects.exists()


def test_a_revoked_kiosk_has_its_whole_queue_refused(kiosk: Kiosk, instrument: Any) -> None:
    services.kiosk_revoke(kiosk=kiosk)
    reply = send(kiosk, [queued(instrument), queued(instrument)])
    assert reply.status_code == 410
    assert [(each["status"], each["reason"]) for each in reply.json()["results"]] == [("refused", "revoked")] * 2
    assert not Response.objects.exists()


def test_a_form_stored_before_the_kiosk_was_revoked_is_still_acknowledged(kiosk: Kiosk, instrument: Any) -> None:
    entry = queued(instrument)
    send(kiosk, [entry])  # stored, but say the reply never reached the tablet
    services.kiosk_revoke(kiosk=kiosk)
    assert outcome(send(kiosk, [entry]))["status"] == "duplicate"
    assert Response.objects.count() == 1


@pytest.mark.parametrize(
    ("filled_ago", "reason"),
    [
        (-3600, "future"),  # an hour ahead of the server
        (61 * DAY, "before_kiosk"),  # the kiosk was registered 60 days ago
        (8 * DAY, "too_old"),  # past the 7-day grace
    ],
)
def test_a_forged_fill_time_is_refused(kiosk: Kiosk, instrument: Any, filled_ago: float, reason: str) -> None:
    result = outcome(send(kiosk, [queued(instrument, filled_ago=filled_ago)]))
    assert (result["status"], result["reason"]) == ("refused", reason)
    assert result["message"]
    assert not Response.objects.exists()


def test_a_tablet_clock_a_little_ahead_is_tolerated(kiosk: Kiosk, instrument: Any) -> None:
    assert outcome(send(kiosk, [queued(instrument, filled_ago=-60)]))["status"] == "stored"


def test_a_start_after_the_fill_time_is_refused(kiosk: Kiosk, instrument: Any) -> None:
    result = outcome(send(kiosk, [queued(instrument, took=-30)]))
    assert (result["status"], result["reason"]) == ("refused", "malformed")
    assert not Response.objects.exists()


def test_a_key_replayed_from_another_kiosk_is_refused(kiosk: Kiosk, instrument: Any, city: Any) -> None:
    other = services.kiosk_register(unit=city.kelurahan, label="Tablet loket 2")
    Kiosk.objects.filter(pk=other.pk).update(created_at=kiosk.created_at)
    entry = queued(instrument)
    assert outcome(send(kiosk, [entry]))["status"] == "stored"
    replay = outcome(send(other, [entry | {"answers": entry["answers"] | {"suggestion": "Ganti"}}]))
    assert (replay["status"], replay["reason"]) == ("refused", "replayed")
    assert Response.objects.get().kiosk == kiosk and Response.objects.get().suggestion == "Antrean mohon dipercepat."


def test_an_incomplete_form_is_refused_and_nothing_is_stored(kiosk: Kiosk, instrument: Any) -> None:
    element = instrument.elements.first()
    unanswered: dict[str, Any] = {ELEMENT_PREFIX + element.code: None}
    result = outcome(send(kiosk, [queued(instrument, **unanswered)]))
    assert (result["status"], result["reason"]) == ("refused", "invalid")
    assert not Response.objects.exists()


def test_over_the_kiosk_ceiling_the_rest_of_the_queue_waits_in_order(
    kiosk: Kiosk, instrument: Any, settings: Any
) -> None:
    settings.SURVEY_KIOSK_RATE_LIMIT = 2
    reply = send(kiosk, [queued(instrument, filled_ago=900 * n) for n in (4, 3, 2, 1)])
    assert [each["status"] for each in reply.json()["results"]] == ["stored", "stored", "later", "later"]
    assert Response.objects.count() == 2


def test_a_sync_records_the_kiosks_contact_and_what_it_still_holds(kiosk: Kiosk, instrument: Any) -> None:
    entries = [queued(instrument), queued(instrument, filled_ago=99 * DAY)]
    send(kiosk, entries, queued_count=5, refused=1)
    kiosk.refresh_from_db()
    assert kiosk.last_contact_at is not None
    assert (kiosk.queued_count, kiosk.refused_count) == (3, 2)  # two settled of five; one more refused


def test_the_queue_takes_json_from_the_kiosk_token_alone(kiosk: Kiosk, instrument: Any) -> None:
    url = f"/kios/{kiosk_signed_token(kiosk)}/antrean/"
    tablet = Client(enforce_csrf_checks=True)
    assert tablet.post(url, {"entries": "[]"}).status_code == 415  # a cross-site form cannot send JSON
    assert tablet.post(url, "{", content_type="application/json").status_code == 400
    too_many = json.dumps({"entries": [{}] * 21})
    assert tablet.post(url, too_many, content_type="application/json").status_code == 400
    forged = f"/kios/{kiosk_signed_token(kiosk)}x/antrean/"
    assert tablet.post(forged, "{}", content_type="application/json").status_code == 404
    assert not Response.objects.exists()


def test_a_malformed_entry_is_refused_without_stopping_the_rest(kiosk: Kiosk, instrument: Any) -> None:
    reply = send(kiosk, [{"key": "x", "answers": []}, queued(instrument)])
    assert [each["status"] for each in reply.json()["results"]] == ["refused", "stored"]


def test_a_fill_time_that_is_not_a_finite_number_is_refused(kiosk: Kiosk, instrument: Any) -> None:
    url = f"/kios/{kiosk_signed_token(kiosk)}/antrean/"
    entry = json.dumps(queued(instrument)).replace('"filled": ', '"filled": NaN, "x": ')
    reply = Client().post(url, '{"entries": [' + entry + "]}", content_type="application/json")
    assert (outcome(reply)["status"], outcome(reply)["reason"]) == ("refused", "malformed")
    assert not Response.objects.exists()


def test_the_staff_kiosk_page_shows_last_contact_queued_and_refused(
    kiosk: Kiosk, instrument: Any, kecamatan_admin: Any
) -> None:
    listing = logged_in(kecamatan_admin).get("/petugas/kios/").content.decode()
    assert "belum pernah" in listing
    send(kiosk, [queued(instrument, filled_ago=99 * DAY)], queued_count=4, refused=2)
    listing = logged_in(kecamatan_admin).get("/petugas/kios/").content.decode()
    kiosk.refresh_from_db()
    assert kiosk.last_contact_at is not None
    contact = timezone.localtime(kiosk.last_contact_at).strftime("%H:%M")
    assert re.search(rf'<td class="kiosk-contact">\d+ \w+ \d{{4}} {contact}</td>', listing)
    assert '<td class="kiosk-queued">3</td>' in listing
    assert '<td class="kiosk-refused"><strong class="text-danger">3</strong></td>' in listing


def links(html: str) -> list[str]:
    return re.findall(r'<a [^>]*href="([^"]*)"', html)


def test_no_kiosk_screen_links_out_of_the_kiosk(kiosk: Kiosk, instrument: Any, period: Period) -> None:
    url = f"/kios/{kiosk_signed_token(kiosk)}/"
    tablet = Client()
    assert links(tablet.get(url).content.decode()) == ["#main"]
    assert links(tablet.get(url + "terima-kasih/").content.decode()) == ["#main", url]
    Period.objects.filter(pk=period.pk).update(state=PeriodState.CLOSED)
    lookup_cache.clear()
    closed = tablet.get(url).content.decode()
    assert "belum ada periode survei" in closed and links(closed) == ["#main"]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
ENTRY_PARTS = st.fixed_dictionaries(
    {},
    optional={
        "key": JSON | st.uuids().map(str),
        "started": JSON,
        "filled": JSON,
        "answers": JSON | st.dictionaries(st.text(max_size=12), st.text(max_size=12), max_size=5),
        "website": JSON,
    },
)


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(JSON, st.fixed_dictionaries({"entries": st.lists(ENTRY_PARTS | JSON, max_size=5)})))
def test_no_queue_body_however_odd_makes_a_server_error_or_stores_anything(kiosk: Kiosk, body: Any) -> None:
    reply = Client().post(
        f"/kios/{kiosk_signed_token(kiosk)}/antrean/", json.dumps(body), content_type="application/json"
    )
    assert reply.status_code < 500
    assert not Response.objects.exists()


def test_a_batch_kiosk_js_sends_fits_in_a_visitors_request_body(kiosk: Kiosk, instrument: Any, settings: Any) -> None:
    """kiosk.js sends at most 40,000 bytes of entries at once, and always at least one entry: the
    largest entry (every text field full of three-byte characters) plus the rest of the body stays
    within REQUEST_BODY_MAX_BYTES."""
    wide = "ạ"  # three bytes in UTF-8
    largest = queued(
        instrument,
        service_other=wide * 200,
        occupation="lainnya",
        occupation_other=wide * 100,
        suggestion=wide * settings.SURVEY_SUGGESTION_MAX_LENGTH,
    )
    one = len(json.dumps(largest, ensure_ascii=False).encode())
    batch = [largest] * max(1, 40000 // one)
    body = json.dumps({"entries": batch, "queued": 999999, "refused": 999999}, ensure_ascii=False)
    assert len(body.encode()) <= settings.REQUEST_BODY_MAX_BYTES
    assert all(each["status"] == "stored" for each in send(kiosk, [largest]).json()["results"])


def test_the_grace_the_secretariat_sets_decides_which_queued_forms_are_too_old(
    kiosk: Kiosk, instrument: Any, secretariat: Any
) -> None:
    reply = logged_in(secretariat).post("/petugas/pengaturan/", {"kiosk_queue_grace_days": "3"})
    assert reply.status_code == 302
    inside, older = queued(instrument, filled_ago=2 * DAY), queued(instrument, filled_ago=4 * DAY)
    results = send(kiosk, [older, inside]).json()["results"]
    assert [(each["status"], each.get("reason")) for each in results] == [("refused", "too_old"), ("stored", None)]
    assert results[0]["message"] == "Isian dikirim setelah masa tenggang berakhir."
    assert [str(key) for key in Response.objects.values_list("submission_key", flat=True)] == [inside["key"]]


def test_a_longer_grace_lets_an_older_queued_form_in(kiosk: Kiosk, instrument: Any) -> None:
    entry = queued(instrument, filled_ago=10 * DAY)
    assert outcome(send(kiosk, [entry]))["reason"] == "too_old"  # the 7-day default
    services.kiosk_queue_grace_set(actor=None, days=14)
    assert outcome(send(kiosk, [queued(instrument, filled_ago=10 * DAY)]))["status"] == "stored"


def test_until_the_secretariat_saves_one_the_grace_is_the_deployments(settings: Any) -> None:
    settings.SURVEY_KIOSK_QUEUE_GRACE_DAYS = 12
    assert selectors.survey_settings().kiosk_queue_grace_days == 12
    assert not SurveySettings.objects.exists()


def test_the_staff_kiosk_page_states_the_current_grace(kiosk: Kiosk, kecamatan_admin: Any) -> None:
    services.kiosk_queue_grace_set(actor=None, days=3)
    page = logged_in(kecamatan_admin).get("/petugas/kios/").content.decode()
    assert "paling lama 3 hari setelah diisi" in page and "diatur oleh sekretariat" in page
