"""The citizen form at /s/<code>/: what it shows, what it stores, and how it refuses bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from surveys import selectors
from surveys.forms import CitizenForm
from surveys.models import Channel, Response, ResponseState
from surveys.selectors import elements_of
from surveys.tickets import ticket_read
from tests import builders
from tests.surveys.citizen_support import filled_form, ticket_from

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(city: Any, instrument: Any, period: Any) -> Any:
    return city


def test_the_form_shows_the_unit_its_services_every_question_and_the_privacy_note(
    survey: Any, instrument: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(6):
        page = Client().get(f"/s/{survey.kelurahan.code}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<h1 class="unit-name">24 Ilir</h1>' in html
    assert "Surat keterangan domisili" in html
    assert html.count('<fieldset class="question') == 9 + 4  # service, 9 questions, sex, education, occupation
    for element in instrument.elements.all():
        assert element.question_id in html
        assert element.option1_id in html and element.option4_id in html
    assert "tidak menanyakan nama, nomor telepon, atau nomor identitas" in html
    assert page["Cache-Control"].startswith("max-age=0") and "no-store" in page["Cache-Control"]


def test_a_complete_answer_is_stored_with_server_chosen_unit_instrument_and_period(
    survey: Any, instrument: Any, period: Any
) -> None:
    client = Client()
    client.get(f"/s/{survey.kelurahan.code}/")
    data = filled_form(instrument, received=survey.service, score=3, unit="16.71.07.1005", period="999")
    page = client.post(f"/s/{survey.kelurahan.code}/", data)
    assert page.status_code == 302
    assert page["Location"] == f"/s/{survey.kelurahan.code}/terima-kasih/"
    response = Response.objects.get()
    assert (response.unit, response.instrument, response.period) == (survey.kelurahan, instrument, period)
    assert response.service == survey.service
    assert (response.score_sum, response.answered) == (27, 9)
    assert set(response.answers.values_list("score", flat=True)) == {3}
    assert (response.age, response.sex, response.education, response.occupation) == (42, "P", "SMA", "wirausaha")
    assert response.suggestion == "Antrean mohon dipercepat."
    assert response.channel == Channel.WEB and response.kiosk is None
    assert response.state == ResponseState.COUNTED
    thanks = client.get(page["Location"])
    assert "Terima kasih!" in thanks.content.decode()


def test_the_ticket_of_a_freshly_rendered_form_is_accepted(survey: Any, instrument: Any, settings: Any) -> None:
    settings.SURVEY_MIN_FILL_SECONDS = 0
    client = Client()
    ticket = ticket_from(client.get(f"/s/{survey.kelurahan.code}/").content.decode())
    page = client.post(f"/s/{survey.kelurahan.code}/", filled_form(instrument, ticket=ticket))
    assert page.status_code == 302
    assert Response.objects.countable().count() == 1


def test_a_poster_link_records_the_qr_channel(survey: Any, instrument: Any) -> None:
    client = Client()
    html = client.get(f"/s/{survey.kelurahan.code}/?src=qr").content.decode()
    parsed = ticket_read(ticket_from(html))
    assert parsed is not None and parsed.channel == Channel.QR


def test_lainnya_takes_the_citizens_own_words_for_service_and_occupation(survey: Any, instrument: Any) -> None:
    data = filled_form(instrument, occupation="lainnya", occupation_other="  Nelayan  ")
    Client().post(f"/s/{survey.kelurahan.code}/", data)
    response = Response.objects.get()
    assert response.service is None and response.service_other == "Legalisir surat"
    assert (response.occupation, response.occupation_other) == ("lainnya", "Nelayan")


def test_an_empty_form_lists_every_missing_answer_at_the_top_and_beside_each_field(
    survey: Any, instrument: Any
) -> None:
    page = Client().post(f"/s/{survey.kelurahan.code}/", {"t": filled_form(instrument)["t"]})
    html = page.content.decode()
    assert page.status_code == 400
    assert 'id="error-summary" role="alert"' in html
    assert html.count("Pilih salah satu jawaban.") == 2 * 9  # in the summary and beside each question
    assert '<a href="#id_element_WAKTU_0">Pertanyaan 3: Pilih salah satu jawaban.</a>' in html
    for anchor in ("id_service_0", "id_age", "id_sex_0", "id_education_0", "id_occupation_0"):
        assert f'href="#{anchor}"' in html
    assert 'href="#id_element_PERSYARATAN_0"' in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="element_WAKTU-error"' in html
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("element_BIAYA", "5", "Pilih salah satu jawaban."),
        ("element_BIAYA", "", "Pilih salah satu jawaban."),
        ("element_BIAYA", "dua", "Pilih salah satu jawaban."),
        ("service", "", "Pilih layanan yang Anda terima."),
        ("service", "99999", "Pilih salah satu jawaban."),
        ("service_other", "", "Sebutkan layanan yang Anda terima."),
        ("service_other", "x" * 201, "Tulis paling banyak 200 karakter."),
        ("age", "", "Isi usia Anda dalam tahun."),
        ("age", "tiga puluh", "Tulis usia dengan angka, misalnya 35."),
        ("age", "7", "Usia paling rendah 10 tahun."),
        ("age", "130", "Usia paling tinggi 120 tahun."),
        ("sex", "X", "Pilih salah satu jawaban."),
        ("sex", "", "Pilih jenis kelamin."),
        ("education", "", "Pilih pendidikan terakhir Anda."),
        ("education", "SMK", "Pilih salah satu jawaban."),
        ("occupation", "", "Pilih pekerjaan Anda."),
        ("occupation_other", "", "Sebutkan pekerjaan Anda."),
        ("suggestion", "s" * 2001, "Kritik dan saran paling banyak 2000 karakter."),
    ],
)
def test_each_bad_answer_gets_its_message_keeps_the_other_answers_and_stores_nothing(
    survey: Any, instrument: Any, field: str, value: str, message: str
) -> None:
    overrides = {field: value}
    if field == "occupation_other":
        overrides["occupation"] = "lainnya"
    data = filled_form(instrument, **overrides)
    page = Client().post(f"/s/{survey.kelurahan.code}/", data)
    html = page.content.decode()
    assert page.status_code == 400
    assert f'<p class="field-error" id="{field}-error">{message}</p>' in html
    assert "Ada isian yang perlu diperbaiki" in html
    assert 'name="element_PERSYARATAN" value="4" id="id_element_PERSYARATAN_3" required checked' in html
    assert "Antrean mohon dipercepat." in html or field == "suggestion"
    assert f'value="{data["t"]}"' in html  # the same one-time key, so a later resubmission is still recognised
    assert not Response.objects.exists()


def test_a_missing_or_forged_ticket_keeps_the_answers_and_stores_nothing(survey: Any, instrument: Any) -> None:
    for ticket in ("", "forged:abc", filled_form(instrument)["t"][:-2] + "xx"):
        page = Client().post(f"/s/{survey.kelurahan.code}/", filled_form(instrument, ticket=ticket))
        html = page.content.decode()
        assert page.status_code == 400
        assert "Formulir ini tidak dapat dikirim seperti adanya" in html
        assert 'value="4" id="id_element_SARANA_3" required checked' in html
    assert not Response.objects.exists()


def test_a_unit_with_its_own_instrument_asks_its_own_questions(survey: Any, instrument: Any, period: Any) -> None:
    own = builders.make_instrument(unit=survey.puskesmas)
    own.elements.filter(code="WAKTU").update(question_id="Berapa lama Anda menunggu di puskesmas?")
    html = Client().get(f"/s/{survey.puskesmas.code}/").content.decode()
    assert "Berapa lama Anda menunggu di puskesmas?" in html
    Client().post(f"/s/{survey.puskesmas.code}/", filled_form(own, for_unit=survey.puskesmas.code))
    assert Response.objects.get().instrument == own


def test_no_open_period_shows_a_friendly_page_and_stores_nothing(city: Any, instrument: Any) -> None:
    builders.make_period("Triwulan Lalu", state="closed")
    client = Client()
    page = client.get(f"/s/{city.kelurahan.code}/")
    assert page.status_code == 200
    assert "belum ada periode survei yang dibuka" in page.content.decode()
    post = client.post(f"/s/{city.kelurahan.code}/", filled_form(instrument))
    assert "belum ada periode survei yang dibuka" in post.content.decode()
    assert not Response.objects.exists()


def test_an_inactive_unit_shows_a_friendly_page_and_stores_nothing(survey: Any, instrument: Any) -> None:
    survey.kelurahan.is_active = False
    survey.kelurahan.save()
    client = Client()
    assert client.get(f"/s/{survey.kelurahan.code}/").status_code == 410
    post = client.post(f"/s/{survey.kelurahan.code}/", filled_form(instrument))
    assert post.status_code == 410
    assert "sedang tidak menerima survei" in post.content.decode()
    assert not Response.objects.exists()


def test_an_unknown_unit_code_is_a_friendly_404(survey: Any) -> None:
    page = Client().get("/s/tidak-ada/")
    assert page.status_code == 404
    assert "Unit tidak ditemukan" in page.content.decode()


def test_a_phone_set_to_english_still_gets_bahasa_indonesia(survey: Any) -> None:
    page = Client().get(f"/s/{survey.kelurahan.code}/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = page.content.decode()
    assert '<html lang="id">' in html
    assert "Bagaimana pendapat Saudara tentang kecepatan waktu" in html


def test_the_citizen_form_is_a_plain_django_form_usable_outside_the_view(survey: Any, instrument: Any) -> None:
    data = filled_form(instrument, received=survey.service, score=2)
    form = CitizenForm(data, elements=elements_of(instrument), services=[survey.service], language="en")
    assert form.is_valid(), form.errors
    assert form.scores() == {element.code: 2 for element in instrument.elements.all()}
    assert form.service_choice() == (survey.service, "")
    assert form.profile().age == 42
    assert form.fields["element_BIAYA"].label == instrument.elements.get(code="BIAYA").question_en


def test_the_profile_categories_can_be_narrowed_by_settings(survey: Any, instrument: Any, settings: Any) -> None:
    settings.SURVEY_EDUCATION_CODES = ["SD", "SMP", "SMA", "S1"]
    html = Client().get(f"/s/{survey.kelurahan.code}/").content.decode()
    assert 'name="education" value="SMA"' in html
    assert 'name="education" value="S3"' not in html
    page = Client().post(f"/s/{survey.kelurahan.code}/", filled_form(instrument, education="S3"))
    assert page.status_code == 400


def test_forms_sharing_their_fields_never_pass_one_citizens_errors_to_the_next(survey: Any, instrument: Any) -> None:
    setup = selectors.survey_setup_for(survey.kelurahan)

    def shared(data: dict[str, Any]) -> CitizenForm:
        return CitizenForm(data, elements=setup.elements, services=setup.services, share_fields=True)

    first = shared(filled_form(instrument, age="abc", suggestion="x\u0000y"))
    assert not first.is_valid()
    assert 'aria-invalid="true"' in str(first["age"])
    assert 'aria-describedby="age-error"' in str(first["age"])
    assert 'aria-describedby="suggestion-hint suggestion-error"' in str(first["suggestion"])
    second = shared(filled_form(instrument))
    assert second.fields["age"] is not first.fields["age"]
    assert "aria-invalid" not in str(second["age"])
    assert second.is_valid(), second.errors
    assert second.fields["age"] is shared({}).fields["age"]  # valid forms keep sharing one set of fields
