"""Never lose, never duplicate; flag abuse without hurting honest users."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client

from surveys import services
from surveys.models import AnswerTally, Reason, RespondentTally, Response, ResponseState
from tests.surveys.citizen_support import filled_form, old_ticket, ticket_from

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(city: Any, instrument: Any, period: Any) -> Any:
    return city


def test_submitting_the_same_key_again_shows_the_same_thanks_and_stores_nothing_new(
    survey: Any, instrument: Any
) -> None:
    url = f"/s/{survey.kelurahan.code}/"
    data = filled_form(instrument)
    first = Client().post(url, data)
    again = Client().post(url, data)  # a browser retry, maybe from another connection
    back_and_changed = Client().post(url, {**data, "element_WAKTU": "1"})  # back button, new answer, same key
    assert first.status_code == again.status_code == back_and_changed.status_code == 302
    assert first["Location"] == again["Location"] == back_and_changed["Location"]
    response = Response.objects.get()
    assert response.answers.get(element__code="WAKTU").score == 4
    assert response.answers.count() == 9


def test_a_stored_form_sent_again_with_an_answer_removed_ends_on_the_thanks_page(survey: Any, instrument: Any) -> None:
    url = f"/s/{survey.kelurahan.code}/"
    data = filled_form(instrument)
    Client().post(url, data)
    incomplete = {name: value for name, value in data.items() if name != "element_WAKTU"}
    assert "terima-kasih" in Client().post(url, incomplete)["Location"]
    assert Response.objects.count() == 1


def test_a_stored_form_sent_again_at_the_rate_limit_ends_on_the_thanks_page(
    survey: Any, instrument: Any, settings: Any
) -> None:
    settings.SURVEY_RATE_LIMIT = 1
    url = f"/s/{survey.kelurahan.code}/"
    data = filled_form(instrument)
    phone = Client(HTTP_USER_AGENT="one phone")
    phone.post(url, data)
    assert phone.post(url, filled_form(instrument)).status_code == 429  # a new form: over the limit
    assert "terima-kasih" in phone.post(url, data)["Location"]  # the stored one, again: thanks
    assert Response.objects.count() == 1


def test_every_rendering_of_the_form_carries_a_fresh_key(survey: Any) -> None:
    client = Client()
    tickets = {ticket_from(client.get(f"/s/{survey.kelurahan.code}/").content.decode()) for _ in range(3)}
    assert len(tickets) == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_submissions_with_one_key_at_the_same_moment_store_one_response(
    city: Any, instrument: Any, monkeypatch: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so the two requests cannot truly race")
    from tests import builders

    builders.make_period("Triwulan Balapan")
    data = filled_form(instrument)
    url = f"/s/{city.kelurahan.code}/"
    barrier = threading.Barrier(2)
    results: list[int] = []
    errors: list[BaseException] = []
    real_write = services.responses._insert_on_postgresql
    in_step: list[int] = []

    def write_in_step(*args: Any, **kwargs: Any) -> None:
        in_step.append(barrier.wait(timeout=10))  # both requests got past every check; now both write
        real_write(*args, **kwargs)

    outcomes: list[bool] = []
    real_submit = services.response_submit

    def recorded_submit(*, submission: services.Submission) -> services.SubmitResult:
        result = real_submit(submission=submission)
        outcomes.append(result.created)
        return result

    def post() -> None:
        try:
            results.append(Client().post(url, data).status_code)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    monkeypatch.setattr("surveys.services.responses._insert_on_postgresql", write_in_step)
    monkeypatch.setattr("surveys.views.citizen.services.response_submit", recorded_submit)
    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    monkeypatch.undo()
    assert not errors, errors
    assert sorted(in_step) == [0, 1]  # the two writes really met at the barrier
    assert results == [302, 302]
    assert sorted(outcomes) == [False, True]  # the loser hit the unique key and was handed the winner's response
    assert Response.objects.count() == 1
    assert Response.objects.get().answers.count() == 9
    assert RespondentTally.objects.get().respondents == 1  # counted once


def test_a_database_error_offers_a_retry_that_resubmits_the_same_key(
    survey: Any, instrument: Any, monkeypatch: Any
) -> None:
    url = f"/s/{survey.kelurahan.code}/"
    data = filled_form(instrument, suggestion='Kata "kutip" & <tanda>')
    real_submit = services.response_submit

    def failing_submit(*, submission: services.Submission) -> services.SubmitResult:
        raise OperationalError("database is locked")

    monkeypatch.setattr("surveys.views.citizen.services.response_submit", failing_submit)
    page = Client().post(url, data)
    html = page.content.decode()
    assert page.status_code == 503
    assert page["Retry-After"] == "5"
    assert "Jawaban Anda belum tersimpan" in html
    assert f'<input type="hidden" name="t" value="{data["t"]}">' in html
    assert "Kata &quot;kutip&quot; &amp; &lt;tanda&gt;" in html
    assert not Response.objects.exists()

    monkeypatch.setattr("surveys.views.citizen.services.response_submit", real_submit)
    resubmitted = {name: value for name, value in data.items()}
    assert Client().post(url, resubmitted).status_code == 302
    assert Client().post(url, resubmitted).status_code == 302
    assert Response.objects.count() == 1
    assert Response.objects.get().suggestion == 'Kata "kutip" & <tanda>'


def test_only_a_stored_submission_counts_against_the_rate_limit(
    survey: Any, instrument: Any, settings: Any, monkeypatch: Any
) -> None:
    settings.SURVEY_RATE_LIMIT = 1
    url = f"/s/{survey.kelurahan.code}/"
    phone = Client(HTTP_USER_AGENT="one phone")
    real_submit = services.response_submit

    def failing(error: Exception) -> Any:
        def submit(*, submission: services.Submission) -> services.SubmitResult:
            raise error

        return submit

    monkeypatch.setattr("surveys.views.citizen.services.response_submit", failing(OperationalError("gone")))
    assert phone.post(url, filled_form(instrument)).status_code == 503
    monkeypatch.setattr("surveys.views.citizen.services.response_submit", failing(RuntimeError("a bug")))
    with pytest.raises(RuntimeError):
        phone.post(url, filled_form(instrument))
    monkeypatch.setattr("surveys.views.citizen.services.response_submit", real_submit)
    stored = filled_form(instrument)
    assert phone.post(url, stored).status_code == 302  # the failures above counted for nothing
    assert phone.post(url, stored).status_code == 302  # nor does the same form again
    assert phone.post(url, filled_form(instrument)).status_code == 429
    assert Response.objects.count() == 1


def test_a_filled_honeypot_is_stored_excluded_and_thanked_like_anyone_else(survey: Any, instrument: Any) -> None:
    page = Client().post(f"/s/{survey.kelurahan.code}/", filled_form(instrument, website="http://spam.example"))
    assert page.status_code == 302 and page["Location"].endswith("/terima-kasih/")
    response = Response.objects.get()
    assert (response.state, response.reason) == (ResponseState.EXCLUDED, Reason.HONEYPOT)
    assert response.answers.count() == 9
    assert not Response.objects.countable().exists()
    assert not AnswerTally.objects.exclude(answers=0).exists()  # kept, but never tallied
    assert not RespondentTally.objects.exclude(respondents=0).exists()


def test_a_form_sent_faster_than_a_person_can_fill_it_is_stored_and_held_for_review(
    survey: Any, instrument: Any, settings: Any
) -> None:
    settings.SURVEY_MIN_FILL_SECONDS = 8
    page = Client().post(f"/s/{survey.kelurahan.code}/", filled_form(instrument, ticket=old_ticket(seconds_ago=2)))
    assert page.status_code == 302
    assert (Response.objects.get().state, Response.objects.get().reason) == (ResponseState.HELD, Reason.TOO_FAST)
    Client().post(f"/s/{survey.kelurahan.code}/", filled_form(instrument, ticket=old_ticket(seconds_ago=9)))
    assert Response.objects.countable().count() == 1


def test_the_fill_time_cannot_be_forged_by_editing_the_ticket(survey: Any, instrument: Any) -> None:
    genuine = old_ticket(seconds_ago=2)
    payload, _, signature = genuine.partition(":")
    forged = old_ticket(seconds_ago=600).partition(":")[0] + ":" + signature
    page = Client().post(f"/s/{survey.kelurahan.code}/", filled_form(instrument, ticket=forged))
    assert page.status_code == 400
    assert not Response.objects.exists()
    assert payload  # the genuine ticket had a payload we could have tampered with


def test_a_client_over_the_rate_limit_gets_a_polite_page_and_nothing_is_stored(
    survey: Any, instrument: Any, settings: Any
) -> None:
    settings.SURVEY_RATE_LIMIT = 2
    url = f"/s/{survey.kelurahan.code}/"
    phone = Client(REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Android 9; Redmi 6A")
    first, second = filled_form(instrument), filled_form(instrument)
    assert phone.post(url, first).status_code == 302
    assert phone.post(url, second).status_code == 302
    assert phone.post(url, first).status_code == 302  # a retry of a stored answer is not a new submission
    refused = phone.post(url, filled_form(instrument))
    assert refused.status_code == 429
    assert "Mohon tunggu sebentar" in refused.content.decode()
    wait = int(refused["Retry-After"])
    assert 0 < wait <= settings.SURVEY_RATE_WINDOW_SECONDS
    assert f"setelah {-(-wait // 60)} menit" in refused.content.decode()
    assert Response.objects.count() == 2
    neighbour = Client(REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="iPhone; Safari")
    assert neighbour.post(url, filled_form(instrument)).status_code == 302


def test_invalid_attempts_do_not_use_up_an_honest_clients_allowance(
    survey: Any, instrument: Any, settings: Any
) -> None:
    settings.SURVEY_RATE_LIMIT = 1
    url = f"/s/{survey.kelurahan.code}/"
    phone = Client(REMOTE_ADDR="10.9.9.9")
    for _ in range(3):
        assert phone.post(url, filled_form(instrument, age="")).status_code == 400
    assert phone.post(url, filled_form(instrument)).status_code == 302


def test_the_raw_address_is_stored_nowhere(survey: Any, instrument: Any, settings: Any) -> None:
    from django.core.cache import cache

    # A memory cache whatever CACHE_URL says, so that every key can be listed and read.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ip"}}
    Client(REMOTE_ADDR="203.0.113.77").post(f"/s/{survey.kelurahan.code}/", filled_form(instrument))
    stored = Response.objects.values()[0]
    assert "203.0.113.77" not in repr(stored)
    keys = list(getattr(cache, "_cache", {}).keys())
    assert keys and not any("203.0.113.77" in str(key) for key in keys)


def test_the_rate_limit_page_keeps_the_answers_for_sending_later_without_duplicates(
    survey: Any, instrument: Any, settings: Any
) -> None:
    from django.core.cache import cache

    settings.SURVEY_RATE_LIMIT = 1
    url = f"/s/{survey.kelurahan.code}/"
    phone = Client(REMOTE_ADDR="10.7.7.7")
    phone.post(url, filled_form(instrument))
    held = filled_form(instrument, score=2)
    refused = phone.post(url, held).content.decode()
    assert f'<input type="hidden" name="t" value="{held["t"]}">' in refused
    assert '<input type="hidden" name="element_WAKTU" value="2">' in refused
    cache.clear()  # the window has passed
    assert phone.post(url, held).status_code == 302
    assert phone.post(url, held).status_code == 302
    assert sorted(Response.objects.values_list("score_sum", flat=True)) == [18, 36]


def test_a_submission_costs_a_fixed_small_number_of_queries(
    survey: Any, instrument: Any, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    # 13 for the form, the key check and the insert, plus the two running-tally upserts.
    with django_assert_max_num_queries(15):
        assert client.post(f"/s/{survey.kelurahan.code}/", filled_form(instrument)).status_code == 302
