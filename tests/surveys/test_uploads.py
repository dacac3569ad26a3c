"""The upload guard: every hostile spreadsheet is refused with a message naming the problem, in
bounded time and memory, before openpyxl reads a row; honest files of full size pass."""

from __future__ import annotations

import io
import json
import os
import random
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import openpyxl.xml
import pytest
from openpyxl import Workbook

from surveys import uploads
from tests.surveys import spreadsheet_bombs as bombs

ROOT = Path(__file__).resolve().parents[2]
LIMITS = uploads.UploadLimits(max_rows=10_000, max_columns=64)

BOMBS: list[tuple[Callable[[bytes], bytes], str]] = [
    (bombs.row_one_billion, "memuat baris nomor 1.000.000.000; paling banyak 10.000 baris"),
    (bombs.zipped_empty_rows, "memuat baris nomor 10.001; paling banyak 10.000 baris"),
    (lambda template: bombs.blank_rows(template, 10_001), "paling banyak 10.000 baris, termasuk baris kosong"),
    (bombs.workbook_bomb, "Bagian xl/workbook.xml berukuran 1000,0 MB setelah dibuka; paling besar 2,0 MB"),
    (bombs.shared_strings_bomb, "Bagian xl/sharedStrings.xml berukuran 403,8 MB setelah dibuka"),
    (bombs.undefined_entity, "Bagian xl/worksheets/sheet1.xml memuat entitas XML yang tidak dikenal"),
    (bombs.truncated_xml, "Bagian xl/worksheets/sheet1.xml terpotong"),
    (bombs.text_in_a_number_cell, "Sel J2 di lembar Isian berisi “baik”, yang bukan isi sah untuk sel angka"),
    (bombs.broken_zip, "isinya bukan arsip zip yang dapat dibuka"),
    (bombs.far_column, "Lembar Isian memakai sel XFD60; paling jauh kolom ke-64"),
    (bombs.entity_expansion, "memuat deklarasi DTD atau entitas XML, yang tidak diizinkan"),
]
BOMB_IDS = [
    "row-1e9",
    "zipped-empty-rows",
    "blank-rows",
    "workbook-xml",
    "shared-strings",
    "undefined-entity",
    "truncated-xml",
    "text-in-number",
    "broken-zip",
    "far-column",
    "entity-expansion",
]


@pytest.fixture(scope="module")
def template() -> bytes:
    """A workbook shaped like the import template (an Isian sheet with formatted rows, a Kode sheet)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Isian"
    sheet.append([f"Kolom {number}" for number in range(1, 19)])
    for row in range(2, 52):
        sheet.cell(row=row, column=1).number_format = "yyyy-mm-dd"
    workbook.create_sheet("Kode")["A1"] = "token"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _read_all(content: bytes, filename: str = "isian.xlsx") -> int:
    with uploads.open_spreadsheet(io.BytesIO(content), filename=filename, limits=LIMITS) as book:
        return sum(1 for sheet in book.sheet_names for _row in book.rows(sheet, max_columns=18))


@pytest.mark.parametrize(("bomb", "message"), BOMBS, ids=BOMB_IDS)
def test_each_bomb_is_refused_with_a_message_naming_the_problem(
    template: bytes, bomb: Callable[[bytes], bytes], message: str
) -> None:
    with pytest.raises(uploads.UploadRefused) as refused:
        _read_all(bomb(template))
    assert message in refused.value.message


def test_every_bomb_costs_bounded_memory_and_time_in_a_process_with_hard_limits(
    template: bytes, tmp_path: Path
) -> None:
    """Each bomb in a fresh interpreter limited to 1 GiB of address space and 60 s of CPU: a
    regression is killed there instead of stalling the suite, and the peak memory is reported."""
    files = []
    for (bomb, _message), name in zip(BOMBS, BOMB_IDS, strict=True):
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(bomb(template))
        files.append(str(path))
    script = (
        "import io, json, resource, sys, django; django.setup()\n"
        "from surveys import uploads\n"
        "limits = uploads.UploadLimits(max_rows=10_000, max_columns=64)\n"
        "outcome = {}\n"
        "for path in sys.argv[1:]:\n"
        "    try:\n"
        "        with open(path, 'rb') as f, uploads.open_spreadsheet(f, filename=path, limits=limits) as b:\n"
        "            outcome[path] = sum(1 for s in b.sheet_names for _ in b.rows(s, max_columns=18))\n"
        "    except uploads.UploadRefused as refused:\n"
        "        outcome[path] = refused.message\n"
        "outcome['peak_kib'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(json.dumps(outcome))\n"
    )

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        resource.setrlimit(resource.RLIMIT_CPU, (60, 60))

    result = subprocess.run(
        [sys.executable, "-c", script, *files],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "survey_site.settings"},
        preexec_fn=limited,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    for path, (_bomb, message) in zip(files, BOMBS, strict=True):
        assert isinstance(outcome[path], str) and message in outcome[path], (path, outcome[path])
    assert outcome["peak_kib"] < 300 * 1024  # the interpreter and Django included


def test_openpyxl_parses_with_defusedxml() -> None:
    assert openpyxl.xml.DEFUSEDXML is True


def test_a_template_filled_to_its_5000_rows_passes_the_guard_and_reads_every_row() -> None:
    generator = random.Random(14)
    words = ["pelayanan", "cepat", "ramah", "antrean", "lama", "mohon", "ditingkatkan", "petugas"]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Isian")
    sheet.append([f"Kolom {number}" for number in range(1, 19)])
    for _ in range(5000):
        suggestion = " ".join(generator.choice(words) for _ in range(generator.randint(0, 200)))
        scores = [generator.randint(1, 4) for _ in range(9)]
        sheet.append(["2026-03-02", "Surat domisili", "", 42, "P", "S1", "Wirausaha", "", *scores, suggestion])
    workbook.create_sheet("Kode").append(["token"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with uploads.open_spreadsheet(io.BytesIO(buffer.getvalue()), filename="isian.xlsx", limits=LIMITS) as book:
        assert book.row_count("Isian") == 5001 and book.cells == 5001 * 18 + 1
        rows = list(book.rows("Isian", max_columns=18))
    assert len(rows) == 5001 and rows[1][3] == 42 and len(rows[1]) == 18


def test_a_row_number_or_cell_reference_openpyxl_would_choke_on_is_refused(template: bytes) -> None:
    for row in (
        b'<row r="-3"/>',
        b'<row r="2x"/>',
        b'<row r="\xc2\xb2"/>',
        b'<row r="5"><c r="A1B"><v>1</v></c></row>',
    ):
        content = bombs.with_data_sheet(template, lambda xml, row=row: bombs.before_sheet_end(xml, row))
        with pytest.raises(uploads.UploadRefused, match="tidak sah"):
            _read_all(content)


def test_a_shared_string_that_does_not_exist_is_named_by_its_cell(template: bytes) -> None:
    content = bombs.with_data_sheet(
        template, lambda xml: bombs.before_sheet_end(xml, b'<row r="70"><c r="C70" t="s"><v>99</v></c></row>')
    )
    with pytest.raises(uploads.UploadRefused, match="Sel C70 di lembar Isian merujuk teks yang tidak ada"):
        _read_all(content)


def test_a_file_over_the_size_limit_is_refused_before_it_is_opened() -> None:
    with pytest.raises(uploads.UploadRefused, match="Berkas terlalu besar"):
        uploads.open_spreadsheet(io.BytesIO(b"PK" + b"\0" * (5 * uploads.MB)), filename="besar.xlsx")


@pytest.mark.parametrize("filename", ["lama.xls", "kalc.ods", "gambar.png", "tanpa-akhiran"])
def test_a_format_the_caller_does_not_read_is_named(filename: str) -> None:
    with pytest.raises(uploads.UploadRefused, match=r"Unggah berkas \.xlsx"):
        uploads.open_spreadsheet(io.BytesIO(b"\xd0\xcf\x11\xe0 old"), filename=filename, kinds=("xlsx",))


def test_a_zip_with_too_many_entries_is_refused_from_its_directory() -> None:
    content = bombs.zipped({f"xl/media/image{number}.png": b"x" for number in range(150)})
    with pytest.raises(uploads.UploadRefused, match="berisi 150 bagian; paling banyak 100"):
        uploads.open_spreadsheet(io.BytesIO(content), filename="banyak.xlsx")


@pytest.mark.parametrize(
    ("content", "value"),
    [
        (b"Nama;Nilai\r\nPuskesmas Dempo;4\r\n", "4"),
        ("\ufeffNama,Nilai\nKantor Lurah,3\n".encode(), "3"),
        (b"Nama\tNilai\nDinas Kesehatan\t2\n", "2"),
        ("Nama,Nilai\nKantor Lurah Sukarami é,1\n".encode("cp1252"), "1"),
    ],
    ids=["semicolon", "utf8-bom-comma", "tab", "windows-1252"],
)
def test_a_csv_reads_as_one_sheet_in_utf8_or_windows_1252_with_any_usual_separator(content: bytes, value: str) -> None:
    with uploads.open_spreadsheet(io.BytesIO(content), filename="daftar.csv") as book:
        assert book.sheet_names == ["daftar"] and book.row_count("daftar") == 2
        header, row = book.rows("daftar", max_columns=3)
    assert header == ("Nama", "Nilai", None) and row[1:] == (value, None)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"a,b\n" * 10_001, "lebih dari 10.000 baris"),
        (b"a\x00b\n", "karakter NUL"),
        (b'"a' + b"x" * 200_000 + b"\n", "Berkas CSV rusak pada baris"),
    ],
    ids=["too-many-rows", "nul", "unterminated-quote"],
)
def test_a_hostile_csv_is_refused_with_a_message(content: bytes, message: str) -> None:
    with pytest.raises(uploads.UploadRefused, match=message):
        uploads.open_spreadsheet(io.BytesIO(content), filename="daftar.csv", limits=LIMITS)
