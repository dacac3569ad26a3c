"""Bulk import of paper forms: template out, filled template in, all or nothing, never twice."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from surveys import imports
from surveys.models import Channel, PeriodState, Response
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

GOOD = {
    "submitted_on": None,  # filled with a day inside the period
    "service": "Surat keterangan domisili",
    "age": 35,
    "sex": "P",
    "education": "S1",
    "occupation": "Wirausaha",
    "suggestion": "Petugas ramah",
}


def _template(city: Any, instrument: Any, period: Any) -> Any:
    return imports.build_template(unit=city.kelurahan, period=period, instrument=instrument)


def _row(period: Any, scores: list[Any] | None = None, **changes: Any) -> dict[str, Any]:
    row = {**GOOD, "submitted_on": period.start + datetime.timedelta(days=1), **changes}
    for index, score in enumerate(scores if scores is not None else [4, 3, 3, 4, 3, 3, 4, 3, 3]):
        row[f"score_{index}"] = score
    return row


FIELD_COLUMNS = {
    "submitted_on": 1,
    "service": 2,
    "service_other": 3,
    "age": 4,
    "sex": 5,
    "education": 6,
    "occupation": 7,
    "occupation_other": 8,
    **{f"score_{index}": 9 + index for index in range(9)},
    "suggestion": 18,
}


def _filled(workbook: Any, rows: list[dict[str, Any]]) -> bytes:
    """Type rows into the template's data sheet (columns in template order) and save it."""
    for offset, row in enumerate(rows, start=2):
        for field, value in row.items():
            workbook[imports.DATA_SHEET].cell(row=offset, column=FIELD_COLUMNS[field], value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _parse(content: bytes, city: Any) -> imports.ParsedImport:
    return imports.parse_upload(upload=io.BytesIO(content), unit=city.kelurahan)


def test_the_template_names_every_element_and_hides_a_signed_token(city: Any, instrument: Any, period: Any) -> None:
    buffer = io.BytesIO()
    _template(city, instrument, period).save(buffer)
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    headings = [cell.value for cell in workbook[imports.DATA_SHEET][1]]
    assert headings[0] == "Tanggal (TTTT-BB-HH)"
    assert headings[8] == "U1 Persyaratan (1-4)" and headings[-1] == "Kritik dan saran"
    assert workbook[imports.TOKEN_SHEET].sheet_state == "veryHidden"
    token = imports.read_token(workbook[imports.TOKEN_SHEET]["A1"].value)
    assert token is not None and token.unit_code == city.kelurahan.code and token.period_id == period.pk
    assert workbook[imports.DATA_SHEET].data_validations.count == 5  # scores, sex, date, education, occupation


def test_the_template_prints_its_headings_wrapped_and_its_instructions_one_page_wide(
    city: Any, instrument: Any, period: Any
) -> None:
    buffer = io.BytesIO()
    _template(city, instrument, period).save(buffer)
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    data = workbook[imports.DATA_SHEET]
    assert all(cell.alignment.wrap_text for cell in data[1])
    assert data.row_dimensions[1].height >= 3 * imports.LINE_HEIGHT  # "U2 Sistem, Mekanisme, dan Prosedur (1-4)"
    assert data.page_setup.fitToWidth == 1 and data.sheet_properties.pageSetUpPr.fitToPage
    help_sheet = workbook[imports.HELP_SHEET]
    assert help_sheet.page_setup.fitToWidth == 1 and help_sheet.page_setup.fitToHeight == 0
    assert help_sheet.sheet_properties.pageSetUpPr.fitToPage
    assert help_sheet.print_area.startswith("'Petunjuk'!$A$1:$C$")
    sentence = next(row[0] for row in help_sheet.iter_rows() if str(row[0].value).startswith("Nilai unsur"))
    assert sentence.alignment.wrap_text and f"A{sentence.row}:C{sentence.row}" in {
        str(merged) for merged in help_sheet.merged_cells.ranges
    }
    assert help_sheet.row_dimensions[sentence.row].height >= 2 * imports.LINE_HEIGHT
    codes = {row[1].value: row[2].value for row in help_sheet.iter_rows() if row[1].value and row[2].value}
    assert codes["tidak_sekolah"] == "Tidak/belum sekolah" and codes["swasta"] == "Pegawai swasta"
    code_width = help_sheet.column_dimensions["B"].width
    assert all(len(str(code)) * imports.CHAR_WIDTH <= code_width for code in codes)


def test_a_valid_file_imports_every_row_with_the_import_channel(city: Any, instrument: Any, period: Any) -> None:
    rows = [
        _row(period),
        _row(
            period,
            [1, 2, 3, 4, 1, 2, 3, 4, 1],
            sex="L",
            education="SMA/SLTA/SMK",
            age=22,
            service="Legalisir surat",
            occupation="lainnya",
            occupation_other="Petani",
        ),
    ]
    parsed = _parse(_filled(_template(city, instrument, period), rows), city)
    assert parsed.errors == []
    assert len(parsed.submissions) == 2
    from surveys.services import responses_import

    result = responses_import(submissions=parsed.submissions, actor=None, unit=city.kelurahan)
    assert (result.created, result.already_there) == (2, 0)
    stored = Response.objects.order_by("id")
    assert [response.channel for response in stored] == [Channel.IMPORT, Channel.IMPORT]
    first, second = stored
    assert first.service is not None and first.service.name == "Surat keterangan domisili"
    assert (first.sex, first.education, first.occupation, first.age) == ("P", "S1", "wirausaha", 35)
    assert second.education == "SMA" and second.age == 22
    assert (second.service, second.service_other) == (None, "Legalisir surat")  # not a listed service: "lainnya"
    assert (second.occupation, second.occupation_other) == ("lainnya", "Petani")
    assert first.score_sum == 30 and second.score_sum == 21
    assert first.period == period


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"scores": [4, 3, 3, 4, 3, 3, 4, 3, None]}, "U9", "Isi nilai 1 sampai 4."),
        ({"scores": [5, 3, 3, 4, 3, 3, 4, 3, 3]}, "U1", "Nilai harus angka bulat 1 sampai 4."),
        ({"scores": ["baik", 3, 3, 4, 3, 3, 4, 3, 3]}, "U1", "Nilai harus angka bulat 1 sampai 4."),
        ({"age": 7}, "Usia", "Usia paling rendah 10 tahun."),
        ({"age": "tiga puluh"}, "Usia", "Tulis usia dengan angka, misalnya 35."),
        ({"age": None}, "Usia", "Isi usia responden dalam tahun."),
        ({"sex": "X"}, "Jenis kelamin", "Isi salah satu: L (Laki-laki), P (Perempuan)."),
        ({"education": "SMK Teknik"}, "Pendidikan", "Isi salah satu: tidak_sekolah (Tidak/belum sekolah), SD, SMP ("),
        ({"service": None}, "Jenis layanan", "Pilih layanan yang diterima responden."),
        ({"occupation": "Lainnya", "occupation_other": None}, "Pekerjaan lainnya", "Tulis pekerjaan lain yang ditulis"),
        ({"submitted_on": datetime.date(2001, 1, 1)}, "Tanggal", "Tanggal harus dalam periode"),
        ({"submitted_on": "kemarin"}, "Tanggal", "Tulis tanggal sebagai TTTT-BB-HH atau HH/BB/TTTT"),
        ({"suggestion": "x" * 2001}, "Kritik dan saran", ""),
    ],
)
def test_each_kind_of_bad_row_is_reported_with_row_and_column_and_nothing_is_imported(
    city: Any, instrument: Any, period: Any, changes: dict[str, Any], column: str, message: str
) -> None:
    scores = changes.pop("scores", None)
    rows = [_row(period), _row(period, scores, **changes), _row(period)]
    parsed = _parse(_filled(_template(city, instrument, period), rows), city)
    assert parsed.submissions == []
    assert len(parsed.errors) == 1
    error = parsed.errors[0]
    assert error.row == 3
    assert error.column.startswith(column)
    assert message in error.message


def test_every_bad_row_is_reported_not_just_the_first(city: Any, instrument: Any, period: Any) -> None:
    rows = [_row(period, age=5), _row(period), _row(period, sex="X", scores=[0] * 9)]
    parsed = _parse(_filled(_template(city, instrument, period), rows), city)
    assert {(error.row, error.column.split(" ")[0]) for error in parsed.errors} == {
        (2, "Usia"),
        (4, "Jenis"),
        *((4, f"U{number}") for number in range(1, 10)),
    }


def test_the_same_file_twice_imports_nothing_the_second_time(
    kecamatan_admin: Any, city: Any, instrument: Any, period: Any
) -> None:
    content = _filled(_template(city, instrument, period), [_row(period), _row(period), _row(period, age=50)])
    client = logged_in(kecamatan_admin)
    url = reverse("paper-import", args=[city.kelurahan.code])
    first = client.post(url, {"berkas": io.BytesIO(content)}, follow=True)
    assert "3 kuesioner diimpor; 0 sudah ada" in first.content.decode()
    second = client.post(url, {"berkas": io.BytesIO(content)}, follow=True)
    assert "0 kuesioner diimpor; 3 sudah ada" in second.content.decode()
    assert Response.objects.count() == 3  # two identical paper forms stay two responses


def test_rows_added_to_an_imported_file_are_imported_alone(city: Any, instrument: Any, period: Any) -> None:
    from surveys.services import responses_import

    workbook = _template(city, instrument, period)
    responses_import(
        submissions=_parse(_filled(workbook, [_row(period)]), city).submissions, actor=None, unit=city.kelurahan
    )
    more = _parse(_filled(workbook, [_row(period), _row(period, age=61)]), city)
    result = responses_import(submissions=more.submissions, actor=None, unit=city.kelurahan)
    assert (result.created, result.already_there) == (1, 1)


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        ("token", "Kode templat rusak"),
        ("header", "Baris judul lembar Isian diubah"),
        ("not-excel", "bukan berkas Excel"),
        ("other-workbook", "bukan templat impor SKM"),
        ("empty", "Lembar Isian masih kosong"),
    ],
)
def test_a_file_that_is_not_a_valid_template_is_refused(
    city: Any, instrument: Any, period: Any, tamper: str, message: str
) -> None:
    workbook = _template(city, instrument, period)
    rows = [_row(period)]
    if tamper == "token":
        workbook[imports.TOKEN_SHEET]["A1"] = workbook[imports.TOKEN_SHEET]["A1"].value[:-2] + "xx"
    elif tamper == "header":
        workbook[imports.DATA_SHEET]["A1"] = "Tanggal"
    elif tamper == "other-workbook":
        workbook = Workbook()
        rows = []
    elif tamper == "empty":
        rows = []
    content = b"PK\x03\x04 not really" if tamper == "not-excel" else _filled(workbook, rows)
    parsed = _parse(content, city)
    assert parsed.submissions == []
    assert message in parsed.errors[0].message


def test_a_template_of_another_unit_is_refused(city: Any, instrument: Any, period: Any) -> None:
    content = _filled(imports.build_template(unit=city.other_kelurahan, period=period, instrument=instrument), [])
    parsed = _parse(content, city)
    assert "Templat ini untuk unit lain" in parsed.errors[0].message


def test_a_published_period_takes_no_more_paper_forms(city: Any, instrument: Any, period: Any) -> None:
    content = _filled(_template(city, instrument, period), [_row(period)])
    period.state = PeriodState.PUBLISHED
    period.save()
    assert "sudah dipublikasikan" in _parse(content, city).errors[0].message


def test_the_import_page_lists_the_errors_in_a_table_and_imports_nothing(
    kecamatan_admin: Any, city: Any, instrument: Any, period: Any
) -> None:
    content = _filled(_template(city, instrument, period), [_row(period), _row(period, age=200)])
    response = logged_in(kecamatan_admin).post(
        reverse("paper-import", args=[city.kelurahan.code]), {"berkas": io.BytesIO(content)}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Tidak ada yang diimpor: 1 kesalahan ditemukan." in page
    assert "<td>3</td><td>Usia</td>" in page
    assert Response.objects.count() == 0


def test_only_a_unit_in_scope_may_import_or_download_a_template(
    other_admin: Any, city: Any, instrument: Any, period: Any
) -> None:
    client = logged_in(other_admin)
    assert client.get(reverse("paper-import", args=[city.kelurahan.code])).status_code == 404
    assert client.get(reverse("paper-import-template", args=[city.kelurahan.code, period.pk])).status_code == 404
    own = client.get(reverse("paper-import-template", args=[city.other_kelurahan.code, period.pk]))
    assert own.status_code == 200 and own["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_formula_in_an_upload_is_read_as_its_value_never_kept_as_a_formula(
    city: Any, instrument: Any, period: Any
) -> None:
    payload = '=HYPERLINK("http://evil.example","klik")'
    parsed = _parse(_filled(_template(city, instrument, period), [_row(period, suggestion=payload)]), city)
    assert parsed.errors == []
    assert not parsed.submissions[0].suggestion.startswith("=")


def test_text_that_looks_like_a_formula_is_kept_as_typed_and_exports_neutralise_it(
    city: Any, instrument: Any, period: Any
) -> None:
    workbook = _template(city, instrument, period)
    content = _filled(workbook, [_row(period, suggestion="placeholder")])
    loaded = load_workbook(io.BytesIO(content))
    cell = loaded[imports.DATA_SHEET].cell(row=2, column=FIELD_COLUMNS["suggestion"])
    cell.value = "@SUM(1+1)"
    cell.data_type = "s"  # what a spreadsheet stores for text typed with a leading apostrophe
    buffer = io.BytesIO()
    loaded.save(buffer)
    parsed = _parse(buffer.getvalue(), city)
    assert parsed.submissions[0].suggestion == "@SUM(1+1)"


def test_a_date_typed_day_first_as_text_is_read_day_first(city: Any, instrument: Any, period: Any) -> None:
    day = period.start + datetime.timedelta(days=1)
    rows = [_row(period, submitted_on=f"{day:%d/%m/%Y}"), _row(period, submitted_on=f"{day:%d-%m-%Y}")]
    parsed = _parse(_filled(_template(city, instrument, period), rows), city)
    assert parsed.errors == []
    assert [timezone.localtime(submission.submitted_at).date() for submission in parsed.submissions] == [day, day]
