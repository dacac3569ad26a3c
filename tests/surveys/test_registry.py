"""The unit registry edited in the app: one unit at a time, or a whole file (preview, then all or nothing)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pandas
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys import registry_upload, uploads
from surveys.models import AuditEvent, ServiceUnit
from surveys.services.registry import RegistryInvalid, unit_create, unit_set_active, unit_update
from surveys.services.registry_file import RegistryRow, registry_apply, registry_plan
from tests import builders
from tests.conftest import City

HEADER = ["code", "name", "kind", "parent_code", "source"]


def city_rows(city: City) -> list[list[str]]:
    """The test city as a registry file holds it, plus one new kelurahan."""
    return [
        ["16.71", "Pemerintah Kota Palembang", "pemkot", "", ""],
        ["opd-dinkes", "Dinas Kesehatan", "opd", "16.71", ""],
        ["16.71.04", "Ilir Barat I", "kecamatan", "16.71", ""],
        ["16.71.04.1001", "24 Ilir", "kelurahan", "16.71.04", ""],
        ["pkm-dempo", "Puskesmas Dempo", "puskesmas", "16.71.04", ""],
        ["16.71.07", "Sukarami", "kecamatan", "16.71", ""],
        ["16.71.07.1005", "Sukarami", "kelurahan", "16.71.07", ""],
        ["16.71.07.1006", "Kebun Bunga", "kelurahan", "16.71.07", "baru"],
    ]


def as_rows(records: list[list[str]]) -> list[RegistryRow]:
    return [
        RegistryRow(number=number, code=code, name=name, kind=kind, parent_code=parent)
        for number, (code, name, kind, parent, _source) in enumerate(records, start=2)
    ]


def registry_state() -> list[tuple[Any, ...]]:
    return sorted(ServiceUnit.objects.values_list("code", "name", "kind", "parent__code", "area__code", "is_active"))


class TestOneUnit:
    def test_adding_a_unit_files_it_under_its_parent_and_says_so_in_the_log(self, city: City, secretariat: Any) -> None:
        unit = unit_create(
            actor=secretariat, code="16.71.04.1002", name="23 Ilir", kind="kelurahan", parent=city.kecamatan
        )
        assert unit.path == "/16.71/16.71.04/16.71.04.1002/"
        event = AuditEvent.objects.filter(action="unit.create").order_by("id").last()
        assert event is not None
        assert event.summary == "Menambah unit '23 Ilir' (Kelurahan) di bawah Kecamatan Ilir Barat I"

    def test_a_duplicate_code_is_refused(self, city: City, secretariat: Any) -> None:
        with pytest.raises(RegistryInvalid) as refused:
            unit_create(actor=secretariat, code="16.71.04", name="Lain", kind="kecamatan", parent=city.root)
        assert refused.value.field == "code"

    def test_a_unit_cannot_move_under_itself_or_its_descendant(self, city: City, secretariat: Any) -> None:
        for new_parent in (city.kecamatan, city.kelurahan):
            with pytest.raises(RegistryInvalid) as refused:
                unit_update(
                    actor=secretariat,
                    unit=ServiceUnit.objects.get(pk=city.kecamatan.pk),
                    code="16.71.04",
                    name="Ilir Barat I",
                    kind="kecamatan",
                    parent=new_parent,
                    area=None,
                )
            assert refused.value.field == "parent"
        assert ServiceUnit.objects.get(pk=city.kecamatan.pk).parent == city.root

    def test_moving_a_unit_moves_its_subtree(self, city: City, secretariat: Any) -> None:
        unit_update(
            actor=secretariat,
            unit=city.kecamatan,
            code="16.71.04",
            name="Ilir Barat Satu",
            kind="kecamatan",
            parent=city.dinkes,
            area=None,
        )
        assert ServiceUnit.objects.get(pk=city.kelurahan.pk).path == "/16.71/opd-dinkes/16.71.04/16.71.04.1001/"
        summary = AuditEvent.objects.filter(action="unit.update").order_by("id").last().summary  # type: ignore[union-attr]
        assert "nama 'Ilir Barat I' → 'Ilir Barat Satu'" in summary and "induk" in summary

    def test_the_code_of_a_unit_with_responses_never_changes(
        self, city: City, instrument: Any, period: Any, secretariat: Any
    ) -> None:
        builders.make_response(city.kelurahan, [4] * 9, instrument=instrument, period=period)
        with pytest.raises(RegistryInvalid) as refused:
            unit_update(
                actor=secretariat,
                unit=city.kelurahan,
                code="baru",
                name="24 Ilir",
                kind="kelurahan",
                parent=city.kecamatan,
                area=city.kecamatan,
            )
        assert refused.value.field == "code"
        assert ServiceUnit.objects.filter(code="16.71.04.1001").exists()

    def test_a_unit_without_responses_may_take_a_new_code(self, city: City, secretariat: Any) -> None:
        unit_update(
            actor=secretariat,
            unit=city.other_kelurahan,
            code="16.71.07.1099",
            name="Sukarami",
            kind="kelurahan",
            parent=city.other_kecamatan,
            area=city.other_kecamatan,
        )
        assert ServiceUnit.objects.get(pk=city.other_kelurahan.pk).path == "/16.71/16.71.07/16.71.07.1099/"

    def test_deactivating_and_reactivating_is_logged_in_words(self, city: City, secretariat: Any) -> None:
        unit_set_active(actor=secretariat, unit=city.kelurahan, active=False)
        unit_set_active(actor=secretariat, unit=city.kelurahan, active=True)
        events = AuditEvent.objects.filter(action__in=["unit.deactivate", "unit.reactivate"]).order_by("id")
        assert [event.summary for event in events] == [
            "Menonaktifkan unit 'Kelurahan 24 Ilir'",
            "Mengaktifkan kembali unit 'Kelurahan 24 Ilir'",
        ]


class TestRegistryFile:
    def test_the_preview_lists_what_is_added_changed_and_deactivated(self, city: City) -> None:
        records = city_rows(city)
        records[3][1] = "24 Ilir Baru"
        del records[6]  # Kelurahan Sukarami is no longer in the file
        plan = registry_plan(as_rows(records))
        assert plan.is_valid
        assert [planned.row.code for planned in plan.added] == ["16.71.07.1006"]
        assert [planned.row.code for planned in plan.changed] == ["16.71.04.1001"]
        assert [unit.code for unit in plan.deactivated] == ["16.71.07.1005"]

    def test_a_puskesmas_is_filed_under_the_health_office_with_its_kecamatan_as_area(self, city: City) -> None:
        plan = registry_plan(as_rows(city_rows(city)))
        assert plan.changed == [] and plan.unchanged == 7

    def test_applying_changes_everything_at_once(self, city: City, secretariat: Any) -> None:
        records = city_rows(city)
        del records[6]
        registry_apply(rows=as_rows(records), actor=secretariat)
        added = ServiceUnit.objects.get(code="16.71.07.1006")
        assert (added.parent, added.area, added.path) == (
            city.other_kecamatan,
            city.other_kecamatan,
            "/16.71/16.71.07/16.71.07.1006/",
        )
        assert not ServiceUnit.objects.get(code="16.71.07.1005").is_active
        assert AuditEvent.objects.filter(action="registry.upload").count() == 1

    @pytest.mark.parametrize(
        ("change", "column", "words"),
        [
            (lambda rows: rows[7].__setitem__(3, "16.71.99"), "parent_code", "induk '16.71.99' tidak ada"),
            (lambda rows: rows[7].__setitem__(0, "16.71.07.1005"), "code", "sudah dipakai di baris 8"),
            (lambda rows: rows[7].__setitem__(2, "desa"), "kind", "jenis 'desa' tidak dikenal"),
            (lambda rows: rows[7].__setitem__(3, "16.71.07.1006"), "parent_code", "di bawah dirinya sendiri"),
            (lambda rows: rows[2].__setitem__(3, "16.71.04.1001"), "parent_code", "di bawah dirinya sendiri"),
            (lambda rows: rows[7].__setitem__(1, ""), "name", "nama wajib diisi"),
        ],
        ids=["unknown-parent", "duplicate-code", "bad-kind", "own-parent", "moved-under-own-child", "no-name"],
    )
    def test_a_bad_row_is_named_and_nothing_is_applied(
        self, city: City, secretariat: Any, change: Any, column: str, words: str
    ) -> None:
        records = city_rows(city)
        records[3][1] = "24 Ilir Baru"  # a good change in the same file
        change(records)
        before, logged = registry_state(), AuditEvent.objects.count()
        with pytest.raises(RegistryInvalid) as refused:
            registry_apply(rows=as_rows(records), actor=secretariat)
        assert f"kolom {column}" in refused.value.message and words in refused.value.message
        assert "Baris " in refused.value.message
        assert registry_state() == before
        assert AuditEvent.objects.count() == logged


def _xlsx(records: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for record in records:
        sheet.append(record)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _ods(records: list[list[Any]]) -> bytes:
    buffer = io.BytesIO()
    with pandas.ExcelWriter(buffer, engine="odf") as writer:
        pandas.DataFrame(records, columns=HEADER).to_excel(writer, index=False)
    return buffer.getvalue()


def _xls(records: list[list[Any]], tmp_path: Path) -> bytes:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is needed to write an .xls in the test")
    (tmp_path / "registri.xlsx").write_bytes(_xlsx(records))
    profile = f"-env:UserInstallation=file://{tmp_path}/profile"
    subprocess.run(
        [
            office,
            "--headless",
            profile,
            "--convert-to",
            "xls",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "registri.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return (tmp_path / "registri.xls").read_bytes()


def _csv(records: list[list[Any]], separator: str) -> bytes:
    lines = [separator.join(HEADER)] + [separator.join(str(value) for value in record) for record in records]
    return "\r\n".join(lines).encode("utf-8-sig")


class TestFileFormats:
    """Offices keep the registry in whatever their spreadsheet saves; each reads to the same rows."""

    @pytest.mark.parametrize("kind", ["xlsx", "xls", "ods", "csv-semicolon", "csv-comma"])
    def test_each_format_reads_to_the_same_rows(self, city: City, kind: str, tmp_path: Path) -> None:
        records: list[list[Any]] = [list(record) for record in city_rows(city)]
        if kind in ("xlsx", "xls", "ods"):
            records[0][0] = 16.71  # a spreadsheet keeps the city's code as a number
        if kind == "csv-semicolon":
            records[0][0] = "16,71"  # ... and Indonesian Excel writes it with a decimal comma
        data = {
            "xlsx": lambda: _xlsx(records),
            "xls": lambda: _xls(records, tmp_path),
            "ods": lambda: _ods(records),
            "csv-semicolon": lambda: _csv(records, ";"),
            "csv-comma": lambda: _csv(records, ","),
        }[kind]()
        name = f"registri.{kind.split('-')[0]}"
        rows = registry_upload.read_registry(io.BytesIO(data), filename=name)
        assert rows == as_rows(city_rows(city))

    def test_the_shipped_registry_file_reads_and_plans_cleanly(self, db: Any) -> None:
        path = Path(__file__).resolve().parents[2] / "surveys" / "data" / "palembang-units.csv"
        rows = registry_upload.read_registry(io.BytesIO(path.read_bytes()), filename=path.name)
        plan = registry_plan(rows)
        assert plan.is_valid and len(plan.added) == len(rows) > 150

    def test_a_missing_column_is_named(self, db: Any) -> None:
        with pytest.raises(RegistryInvalid) as refused:
            registry_upload.read_registry(io.BytesIO(b"code;name;kind\n1;A;pemkot\n"), filename="r.csv")
        assert "parent_code" in refused.value.message

    def test_an_ods_claiming_a_million_rows_is_refused_before_it_is_expanded(self, db: Any) -> None:
        data = _ods([["16.71", "Kota", "pemkot", "", ""]])
        import zipfile

        source = zipfile.ZipFile(io.BytesIO(data))
        content = source.read("content.xml").decode()
        content = content.replace("<table:table-row", '<table:table-row table:number-rows-repeated="1000000"', 1)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for info in source.infolist():
                body = content.encode() if info.filename == "content.xml" else source.read(info)
                target.writestr(info, body)
        with pytest.raises(uploads.UploadRefused) as refused:
            registry_upload.read_registry(io.BytesIO(out.getvalue()), filename="r.ods")
        assert "baris" in refused.value.message


def _ods_with_content(content: str, *, compress: bool = True) -> bytes:
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(_ods([["16.71", "Kota", "pemkot", "", ""]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename == "content.xml":
                method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
                target.writestr("content.xml", content, compress_type=method)
            else:
                target.writestr(info, source.read(info))
    return out.getvalue()


class TestHostileFiles:
    """Every registry upload passes the same guarded door as the paper import."""

    def test_an_ods_zip_bomb_is_refused_before_it_is_decompressed(self, db: Any) -> None:
        data = _ods_with_content("<a>" + " " * (20 * 1024 * 1024) + "</a>")
        with pytest.raises(uploads.UploadRefused) as refused:
            registry_upload.read_registry(io.BytesIO(data), filename="r.ods")
        assert "content.xml" in refused.value.message

    def test_an_ods_with_a_dtd_is_refused(self, db: Any) -> None:
        content = '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xx">]><a>&x;</a>'
        with pytest.raises(uploads.UploadRefused) as refused:
            registry_upload.read_registry(io.BytesIO(_ods_with_content(content)), filename="r.ods")
        assert "DTD" in refused.value.message

    def test_an_xls_with_too_many_rows_is_refused(self, db: Any, tmp_path: Path) -> None:
        records = [[f"u{number}", f"{number} Ilir", "kelurahan", "", ""] for number in range(5_001)]
        with pytest.raises(uploads.UploadRefused) as refused:
            registry_upload.read_registry(io.BytesIO(_xls(records, tmp_path)), filename="r.xls")
        assert "5.000" in refused.value.message

    def test_a_file_too_large_is_refused_unread(self, db: Any) -> None:
        data = _csv([["16.71", "Kota", "pemkot", "", "x" * 3 * 1024 * 1024]], ",")
        with pytest.raises(uploads.UploadRefused) as refused:
            registry_upload.read_registry(io.BytesIO(data), filename="r.csv")
        assert "2 MB" in refused.value.message


POOL = ["16.71", "16.71.04", "16.71.04.1001", "16.71.07", "16.71.07.1005", "opd-dinkes", "baru-1", "baru-2"]
KINDS = ["pemkot", "opd", "kecamatan", "kelurahan", "puskesmas"]
BREAKS = [None, "duplicate", "unknown-parent", "bad-kind", "loop", "no-name"]


@st.composite
def registry_files(draw: Any) -> list[tuple[str, str, str, str]]:
    """A registry tree over some of the codes (old and new), in any order, sometimes broken once."""
    codes = draw(st.lists(st.sampled_from(POOL), min_size=1, max_size=len(POOL), unique=True))
    records = []
    for index, code in enumerate(codes):
        parent = draw(st.sampled_from(["", *codes[:index]])) if index else ""
        records.append(
            [code, draw(st.sampled_from(["Kota", "10 Ilir", "2 Ilir"])), draw(st.sampled_from(KINDS)), parent]
        )
    broken = draw(st.sampled_from(BREAKS))
    last = records[-1]
    if broken == "duplicate":
        records.append(list(records[0]))
    elif broken == "unknown-parent":
        last[3] = "tidak-ada"
    elif broken == "bad-kind":
        last[2] = "desa"
    elif broken == "loop":
        records[0][3] = last[0]
    elif broken == "no-name":
        last[1] = ""
    ordered = draw(st.permutations(records))
    return [(code, name, kind, parent) for code, name, kind, parent in ordered]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=registry_files())
def test_any_file_is_applied_whole_or_not_at_all(city: City, secretariat: Any, records: list[Any]) -> None:
    """Whatever the rows (loops, duplicates, unknown parents, bad kinds), applying either refuses
    with a message naming a row and leaves the registry as it was, or leaves the registry exactly
    as the file says."""
    rows = [
        RegistryRow(number, code, name, kind, parent) for number, (code, name, kind, parent) in enumerate(records, 2)
    ]
    with transaction.atomic():
        before = registry_state()
        try:
            registry_apply(rows=rows, actor=secretariat)
        except RegistryInvalid as refused:
            assert refused.message.startswith("Baris ")
            assert registry_state() == before
        else:
            active = {code for code, *_rest, is_active in registry_state() if is_active}
            assert active == {row.code for row in rows}
            for row in rows:
                unit = ServiceUnit.objects.get(code=row.code)
                assert (unit.name, unit.kind) == (row.name, row.kind)
                assert unit.path.endswith(f"/{row.code}/")
        transaction.set_rollback(True)
