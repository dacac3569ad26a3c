from __future__ import annotations

import uuid

import pytest
from django.db.models import NOT_PROVIDED
from django.db.models.expressions import DatabaseDefault

from surveys import services
from surveys.models import (
    Answer,
    AnswerTally,
    InstrumentState,
    Reason,
    RespondentTally,
    Response,
    ResponseState,
    ServiceUnit,
)
from surveys.tallies import tallies_rebuild
from tests import builders

pytestmark = pytest.mark.django_db


def test_a_unit_path_follows_its_parents_and_moves_with_them(city) -> None:
    assert city.kelurahan.path == "/16.71/16.71.04/16.71.04.1001/"
    city.kecamatan.parent = city.dinkes
    services.unit_save(unit=city.kecamatan)
    assert ServiceUnit.objects.get(pk=city.kelurahan.pk).path == "/16.71/opd-dinkes/16.71.04/16.71.04.1001/"


def test_a_published_instrument_cannot_change(instrument) -> None:
    element = instrument.elements.first()
    with pytest.raises(services.InstrumentLocked):
        services.element_update(element=element, question_id="Pertanyaan lain?")
    with pytest.raises(services.InstrumentLocked):
        services.instrument_publish(instrument=instrument)
    element.refresh_from_db()
    assert element.question_id != "Pertanyaan lain?"


def test_a_new_version_is_an_editable_copy_and_publishing_it_retires_the_old(instrument) -> None:
    draft = services.instrument_new_version(instrument=instrument)
    assert draft.version == instrument.version + 1
    assert list(draft.elements.values_list("code", flat=True)) == list(
        instrument.elements.values_list("code", flat=True)
    )
    services.element_update(element=draft.elements.get(code="WAKTU"), question_id="Seberapa cepat?")
    services.instrument_publish(instrument=draft)
    instrument.refresh_from_db()
    assert instrument.state == InstrumentState.RETIRED
    assert instrument.elements.get(code="WAKTU").question_id != "Seberapa cepat?"


def _submission(city, instrument, period, key: uuid.UUID, **scores: int) -> services.Submission:
    return services.Submission(
        key=key,
        unit=city.kelurahan,
        instrument=instrument,
        period=period,
        scores=scores or {element.code: 3 for element in instrument.elements.all()},
    )


def test_a_submission_is_stored_once_with_its_answers_and_score_sum(city, instrument, period) -> None:
    key = uuid.uuid4()
    first = services.response_submit(submission=_submission(city, instrument, period, key))
    again = services.response_submit(submission=_submission(city, instrument, period, key))
    assert first.created and not again.created
    assert again.response.pk == first.response.pk
    assert Response.objects.count() == 1
    assert Answer.objects.count() == 9
    assert (first.response.score_sum, first.response.answered) == (27, 9)


def _tally_rows() -> tuple[set[tuple[object, ...]], set[tuple[object, ...]]]:
    answers = AnswerTally.objects.values_list(
        "unit_id", "service_ref", "channel", "element_code", "answers", "total", "c1", "c2", "c3", "c4"
    )
    respondents = RespondentTally.objects.values_list(
        "unit_id", "service_ref", "channel", "answered", "respondents", "score_sum", "score_sum_sq"
    )
    return set(answers), set(respondents)


def test_a_submission_adds_to_the_running_tallies_exactly_what_a_recount_finds(city, instrument, period) -> None:
    service = builders.make_service(city.kelurahan)
    stored = dict(instrument=instrument, period=period)
    builders.make_response(city.kelurahan, [4, 3, 2, 1, 4, 3, 2, 1, None], service=service, **stored)
    builders.make_response(city.kelurahan, [2] * 9, channel="qr", **stored)
    builders.make_response(city.kelurahan, [3, 3, 4, 4, 3, 3, 4, 4, 1], channel="qr", **stored)  # adds to rows
    builders.make_response(city.kelurahan, [None] * 9, **stored)
    builders.make_response(city.kelurahan, [1] * 9, state=ResponseState.EXCLUDED, reason=Reason.HONEYPOT, **stored)
    added = _tally_rows()
    tallies_rebuild()
    assert _tally_rows() == added
    assert {row[3:] for row in added[1]} == {(8, 1, 20, 400), (9, 2, 47, 1165)}  # neither the empty nor the flagged one


def test_every_response_field_is_a_kind_the_postgresql_submit_function_takes() -> None:
    """`surveys_response_submit` reads the row from JSON; a new kind of field (a database default,
    JSON, binary, generated) would need a new version of it, and the service refuses to send one."""
    fields = services.responses._response_fields()
    plain = {"BooleanField", "CharField", "DateTimeField", "ForeignKey", "PositiveSmallIntegerField", "TextField"}
    assert {field.get_internal_type() for field in fields} <= plain | {"UUIDField"}
    assert all(field.db_default is NOT_PROVIDED and not field.generated for field in fields)
    with pytest.raises(TypeError, match="DatabaseDefault"):
        services.responses._json_text(DatabaseDefault())


@pytest.mark.parametrize("scores", [{"WAKTU": 5}, {"WAKTU": 0}, {"TIDAK_ADA": 3}, {"WAKTU": True}])
def test_a_submission_that_does_not_fit_the_instrument_stores_nothing(city, instrument, period, scores) -> None:
    with pytest.raises(services.SubmissionInvalid):
        services.response_submit(submission=_submission(city, instrument, period, uuid.uuid4(), **scores))
    assert Response.objects.count() == 0


def test_the_registry_import_files_a_puskesmas_under_the_health_office_and_its_kecamatan(db) -> None:
    rows = [
        services.UnitRow("16.71", "Pemerintah Kota Palembang", "pemkot", ""),
        services.UnitRow("opd-dinkes", "Dinas Kesehatan", "opd", "16.71"),
        services.UnitRow("16.71.04", "Ilir Barat I", "kecamatan", "16.71"),
        services.UnitRow("16.71.04.1001", "24 Ilir", "kelurahan", "16.71.04"),
        services.UnitRow("pkm-dempo", "Puskesmas Dempo", "puskesmas", "16.71.04"),
    ]
    assert services.units_import(rows=rows) == 5
    puskesmas = ServiceUnit.objects.get(code="pkm-dempo")
    assert (puskesmas.parent.code, puskesmas.area.code) == ("opd-dinkes", "16.71.04")
    assert ServiceUnit.objects.get(code="16.71.04.1001").area.code == "16.71.04"
    assert services.units_import(rows=rows) == 0


def test_the_registry_import_refuses_an_unknown_parent(db) -> None:
    with pytest.raises(services.SubmissionInvalid, match=r"16\.71\.99"):
        services.units_import(rows=[services.UnitRow("x", "X", "kelurahan", "16.71.99")])
    assert not ServiceUnit.objects.exists()


def test_builders_make_a_response_in_questionnaire_order(city, instrument, period) -> None:
    response = builders.make_response(city.kelurahan, [1, 2, 3, 4, 1, 2, 3, 4, 1], instrument=instrument, period=period)
    assert response.answers.get(element__code="PERSYARATAN").score == 1
    assert response.answers.get(element__code="PENGADUAN").score == 1
