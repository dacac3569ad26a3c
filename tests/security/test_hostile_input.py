"""Hostile input to the citizen form and the kiosk form: a clear 400 or a validation message,
never a server error, and nothing stored."""

from __future__ import annotations

import string
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys import selectors, services
from surveys.forms import ELEMENT_PREFIX
from surveys.models import AnswerTally, Response
from tests.surveys.citizen_support import filled_form

pytestmark = pytest.mark.django_db
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def form_url(city: Any, instrument: Any, period: Any) -> str:
    return f"/s/{city.kelurahan.code}/"


@pytest.fixture
def kiosk_url(city: Any, instrument: Any, period: Any) -> str:
    kiosk = services.kiosk_register(unit=city.kelurahan, label="Tablet loket")
    return f"/kios/{selectors.kiosk_signed_token(kiosk)}/"


def _post_raw(url: str, body: bytes) -> Any:
    return Client().generic("POST", url, data=body, content_type=FORM)


def _assert_refused(response: Any, *, statuses: tuple[int, ...] = (400,)) -> None:
    assert response.status_code in statuses, response.status_code
    assert not Response.objects.exists()
    assert not AnswerTally.objects.exists()


def test_a_10_mb_body_gets_a_clear_413_page_in_indonesian(form_url: str) -> None:
    body = b"suggestion=" + b"a" * (10 * 1024 * 1024)
    response = _post_raw(form_url, body)
    _assert_refused(response, statuses=(413,))
    html = response.content.decode()
    assert "Kiriman terlalu besar" in html and "64 KB" in html
    assert "Tidak ada yang tersimpan" in html


def test_too_many_fields_get_a_clear_400(form_url: str, instrument: Any) -> None:
    body = urlencode(filled_form(instrument)) + "&" + "&".join(f"x{number}=1" for number in range(500))
    response = _post_raw(form_url, body.encode())
    _assert_refused(response)
    assert "Permintaan tidak dapat diproses" in response.content.decode()


@pytest.mark.parametrize(
    "raw",
    [b"suggestion=%FF%FE", b"suggestion=\xff\xfe", b"sugg%C3estion=ok", b"suggestion=caf%C3"],
    ids=["percent-encoded", "raw-bytes", "in-a-name", "truncated-sequence"],
)
def test_invalid_utf8_anywhere_in_a_form_is_refused(form_url: str, instrument: Any, raw: bytes) -> None:
    body = urlencode(filled_form(instrument)).encode() + b"&" + raw
    response = _post_raw(form_url, body)
    _assert_refused(response)
    assert "Permintaan tidak dapat diproses" in response.content.decode()


@pytest.mark.parametrize("field", ["suggestion", "service_other", "age", "t", "website"])
def test_a_nul_byte_in_any_field_is_refused(form_url: str, instrument: Any, field: str) -> None:
    data = filled_form(instrument)
    data[field] = f"{data.get(field, '')}\x00"
    _assert_refused(Client().post(form_url, data))


def test_a_nul_byte_in_a_search_is_a_400_not_a_database_error(city: Any) -> None:
    response = Client().get("/s/", {"q": "kel\x00urahan"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "text",
    [
        "Pelayanan baik\u202e.exe",  # right-to-left override
        "Bagus\u2067 tersembunyi \u2069",  # right-to-left isolate
        "ter\u200bsembunyi",  # zero-width space
        "\ufeffawal",  # byte-order mark
        "bel\x07l",  # a control character
    ],
    ids=["rlo", "rli", "zwsp", "bom", "bel"],
)
def test_hidden_and_direction_changing_characters_get_a_validation_message(
    form_url: str, instrument: Any, text: str
) -> None:
    response = Client().post(form_url, filled_form(instrument, suggestion=text))
    _assert_refused(response)
    assert "karakter tersembunyi" in response.content.decode()


def test_an_emoji_joined_with_zero_width_joiners_is_still_accepted(form_url: str, instrument: Any) -> None:
    response = Client().post(form_url, filled_form(instrument, suggestion="Terima kasih 👨\u200d👩\u200d👧"))
    assert response.status_code == 302
    assert Response.objects.get().suggestion == "Terima kasih 👨\u200d👩\u200d👧"


def test_a_10000_character_suggestion_gets_a_validation_message(form_url: str, instrument: Any) -> None:
    response = Client().post(form_url, filled_form(instrument, suggestion="a" * 10_000))
    _assert_refused(response)
    assert "paling banyak 2000 karakter" in response.content.decode()


@pytest.mark.parametrize("score", ["0", "5", "-1", "3.5", "4 OR 1=1", "", " ", "4'--", "1e0", "٤", "04"])
def test_a_score_outside_1_to_4_gets_a_validation_message(form_url: str, instrument: Any, score: str) -> None:
    response = Client().post(form_url, filled_form(instrument, **{f"{ELEMENT_PREFIX}WAKTU": score}))
    _assert_refused(response)
    assert "Pilih salah satu jawaban" in response.content.decode()


def test_a_missing_answer_gets_a_validation_message(form_url: str, instrument: Any) -> None:
    data = filled_form(instrument)
    del data[f"{ELEMENT_PREFIX}BIAYA"]
    response = Client().post(form_url, data)
    _assert_refused(response)
    assert "Pilih salah satu jawaban" in response.content.decode()


def test_a_duplicated_answer_field_cannot_count_twice(form_url: str, instrument: Any) -> None:
    body = urlencode(filled_form(instrument)) + f"&{ELEMENT_PREFIX}WAKTU=1&{ELEMENT_PREFIX}WAKTU=1"
    response = _post_raw(form_url, body.encode())
    assert response.status_code == 302
    stored = Response.objects.get()
    assert stored.answers.count() == 9
    assert stored.score_sum == sum(answer.score for answer in stored.answers.all())


@pytest.mark.parametrize(
    "forged",
    [
        {"unit": "16.71.07.1005", "unit_id": "999", "period": "1", "period_id": "999", "instrument": "1"},
        {
            "channel": "paper",
            "kiosk": "1",
            "is_test": "1",
            "state": "counted",
            "reason": "",
            "submission_key": "0" * 32,
        },
    ],
    ids=["unit-and-period", "flags"],
)
def test_forged_unit_period_and_flag_fields_are_ignored(
    form_url: str, city: Any, period: Any, instrument: Any, forged: dict[str, str]
) -> None:
    response = Client().post(form_url, {**filled_form(instrument), **forged})
    assert response.status_code == 302
    stored = Response.objects.get()
    assert (stored.unit, stored.period, stored.channel, stored.kiosk, stored.is_test) == (
        city.kelurahan,
        period,
        "web",
        None,
        False,
    )


@pytest.mark.parametrize("ticket", ["", "x", "a" * 5000, "eyJrIjoiMDAwIn0:forged:sig", "../../etc/passwd"])
def test_a_missing_or_forged_ticket_stores_nothing(form_url: str, instrument: Any, ticket: str) -> None:
    response = Client().post(form_url, filled_form(instrument, ticket=ticket))
    _assert_refused(response)


def test_another_units_service_cannot_be_chosen(form_url: str, city: Any, instrument: Any) -> None:
    from tests.builders import make_service

    foreign = make_service(city.other_kelurahan, "Layanan unit lain")
    response = Client().post(form_url, filled_form(instrument, service=str(foreign.pk), service_other=""))
    _assert_refused(response)


def test_the_kiosk_form_refuses_the_same_hostile_input(kiosk_url: str, instrument: Any) -> None:
    bad = [
        filled_form(instrument, **{f"{ELEMENT_PREFIX}WAKTU": "4 OR 1=1"}),
        filled_form(instrument, suggestion="x\u202ey"),
        filled_form(instrument, suggestion="a" * 10_000),
        filled_form(instrument, age="-1"),
    ]
    for data in bad:
        _assert_refused(Client().post(kiosk_url, data))
    _assert_refused(_post_raw(kiosk_url, b"suggestion=%FF"))
    _assert_refused(_post_raw(kiosk_url, b"a=" + b"b" * (10 * 1024 * 1024)), statuses=(413,))


FIELD_NAMES = [
    "t",
    "website",
    "service",
    "service_other",
    "age",
    "sex",
    "education",
    "occupation",
    "occupation_other",
    "suggestion",
    *[ELEMENT_PREFIX + code for code in ("PERSYARATAN", "PROSEDUR", "WAKTU", "BIAYA", "PRODUK")],
    "unit",
    "period",
    "csrfmiddlewaretoken",
]
NASTY = st.sampled_from(
    [
        "4",
        "1",
        "0",
        "5",
        "-1",
        "3.5",
        "4 OR 1=1",
        "'; DROP TABLE surveys_response; --",
        "<script>alert(1)</script>",
        "\x00",
        "\u202e",
        "lainnya",
        "P",
        "SMA",
        "9" * 40,
        "",
    ]
)
VALUES = st.one_of(NASTY, st.text(alphabet=st.characters(codec="utf-8"), max_size=60), st.text(string.printable))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=st.dictionaries(st.sampled_from(FIELD_NAMES), st.lists(VALUES, min_size=1, max_size=3), max_size=14))
def test_random_forms_get_a_400_and_store_nothing(form_url: str, fields: dict[str, list[str]]) -> None:
    response = Client().post(form_url, fields)
    assert response.status_code == 400
    assert not Response.objects.exists()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=400))
def test_random_bytes_as_a_form_body_never_cause_a_server_error(form_url: str, body: bytes) -> None:
    response = _post_raw(form_url, body)
    assert response.status_code == 400
    assert not Response.objects.exists()
