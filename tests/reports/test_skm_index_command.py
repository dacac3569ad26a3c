"""``manage.py skm_index``: processing sheets in, the index as JSON out, one message on error."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections.abc import Sequence
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from reports.indices import RULE_SETS

REPO = Path(__file__).resolve().parents[2]
CODES = list(RULE_SETS["permenpan-14-2017"].codes)
U_HEADERS = [f"U{i}" for i in range(1, 10)]

Row = Sequence[object]


def rows_with_grand_total(respondents: int, grand_total: int) -> list[list[int]]:
    """Complete score rows whose 9 element totals add up to ``grand_total``."""
    base, extra = divmod(grand_total, 9)
    element_totals = [base + (1 if i < extra else 0) for i in range(9)]
    columns = []
    for total in element_totals:
        score, higher = divmod(total, respondents)
        columns.append([score + 1 if r < higher else score for r in range(respondents)])
    return [list(row) for row in zip(*columns, strict=True)]


def write_csv(tmp_path: Path, header: Row, rows: Sequence[Row], *, delimiter: str = ",") -> Path:
    path = tmp_path / "sheet.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(["" if cell is None else cell for cell in row] for row in rows)
    return path


def write_xlsx(tmp_path: Path, header: Row, rows: Sequence[Row]) -> Path:
    path = tmp_path / "sheet.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def run(path: Path, *args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("skm_index", str(path), *args, stdout=out)
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def refusal(path: Path | str, *args: str) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("skm_index", str(path), *args, stdout=StringIO())
    assert caught.value.returncode == 2
    return str(caught.value)


# --- worked examples ------------------------------------------------------------------------


def test_the_88_31_example_is_grade_a_sangat_baik(tmp_path: Path) -> None:
    path = write_csv(tmp_path, CODES, rows_with_grand_total(100, 3179))
    result = run(path)
    assert (result["rules"], result["weight"], result["respondents"]) == (
        "permenpan-14-2017",
        "exact",
        100,
    )
    assert (result["index"], result["nik"]) == (3.5322, 88.31)
    assert (result["grade"], result["performance"]) == ("A", "Sangat Baik")
    assert [e["code"] for e in result["elements"]] == CODES
    assert sum(e["total"] for e in result["elements"]) == 3179


def test_the_76_61_example_read_from_xlsx_is_grade_b(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path, CODES, rows_with_grand_total(19, 524))
    result = run(path)
    assert (result["nik"], result["grade"], result["performance"]) == (76.61, "B", "Baik")


@pytest.mark.parametrize(("grand_total", "nik", "grade"), [(2340, 65.0, "C"), (2339, 64.97, "D")])
def test_the_65_boundary_examples(tmp_path: Path, grand_total: int, nik: float, grade: str) -> None:
    path = write_csv(tmp_path, CODES, rows_with_grand_total(100, grand_total))
    result = run(path)
    assert (result["nik"], result["grade"]) == (nik, grade)


@pytest.mark.parametrize(
    ("weight", "nik", "index"),
    [("exact", 100.0, 4.0), ("0.111", 99.9, 3.996), ("0.11", 99.0, 3.96)],
)
def test_an_all_4_sheet_under_each_weight(tmp_path: Path, weight: str, nik: float, index: float) -> None:
    path = write_csv(tmp_path, CODES, [[4] * 9])
    result = run(path, "--weight", weight)
    assert (result["weight"], result["nik"], result["index"]) == (weight, nik, index)
    assert result["elements"][0]["nrr"] == 4.0


def test_an_all_1_sheet_is_25_and_grade_d(tmp_path: Path) -> None:
    result = run(write_csv(tmp_path, CODES, [[1] * 9]))
    assert (result["nik"], result["grade"], result["performance"]) == (
        25.0,
        "D",
        "Tidak Baik",
    )


# --- layout ---------------------------------------------------------------------------------


def test_u1_to_u9_headers_name_the_elements_in_questionnaire_order(
    tmp_path: Path,
) -> None:
    rows = rows_with_grand_total(19, 524)
    by_u = run(write_csv(tmp_path, U_HEADERS, rows))
    by_code = run(write_xlsx(tmp_path, CODES, rows))
    assert by_u == by_code


def test_other_columns_are_ignored_and_headers_are_case_insensitive(
    tmp_path: Path,
) -> None:
    header = ["No", "Nama", *reversed([code.lower() for code in CODES]), "Resp"]
    rows = [[1, "Ani", *reversed([4, 4, 3, 3, 2, 2, 1, 1, 4]), "x"]]
    result = run(write_csv(tmp_path, header, rows))
    assert [e["code"] for e in result["elements"]] == CODES
    assert [e["total"] for e in result["elements"]] == [4, 4, 3, 3, 2, 2, 1, 1, 4]


def test_an_empty_cell_is_unanswered_and_an_empty_row_is_skipped(tmp_path: Path) -> None:
    rows: list[Row] = [
        [4, 4, None, 4, 4, 4, 4, 4, 4],
        [None] * 9,
        [3, 3, 3, 3, 3, 3, 3, 3, 3],
    ]
    result = run(write_xlsx(tmp_path, CODES, rows))
    assert result["respondents"] == 2
    waktu = result["elements"][2]
    assert (waktu["answers"], waktu["total"], waktu["nrr"], waktu["nik"]) == (
        1,
        3,
        3.0,
        75.0,
    )
    assert result["elements"][0]["nrr"] == 3.5


def test_a_semicolon_separated_csv_is_read(tmp_path: Path) -> None:
    path = write_csv(tmp_path, ["No", *U_HEADERS], [[1, *[3] * 9]], delimiter=";")
    assert run(path)["nik"] == 75.0


def test_a_sheet_with_only_a_header_has_no_index(tmp_path: Path) -> None:
    result = run(write_csv(tmp_path, CODES, []))
    assert result["respondents"] == 0
    assert (result["index"], result["nik"], result["grade"], result["performance"]) == (
        None,
        None,
        None,
        None,
    )
    assert all(e["nrr"] is None and e["nik"] is None for e in result["elements"])


def test_the_population_adds_the_sample_check_and_the_interval(tmp_path: Path) -> None:
    rows = rows_with_grand_total(100, 3179)
    result = run(write_csv(tmp_path, CODES, rows), "--population", "500")
    assert result["sample"] == {
        "population": 500,
        "minimum": 217,
        "achieved": 100,
        "adequate": False,
    }
    interval = result["confidence_interval"]
    assert interval["level"] == 0.95
    assert interval["low"] <= result["nik"] <= interval["high"]


def test_without_population_there_is_no_sample_check(tmp_path: Path) -> None:
    assert run(write_csv(tmp_path, CODES, [[3] * 9]))["sample"] is None


def test_the_2004_rules_read_14_columns(tmp_path: Path) -> None:
    header = [f"U{i}" for i in range(1, 15)]
    result = run(
        write_csv(tmp_path, header, [[4] * 14]),
        "--rules",
        "kepmenpan-25-2004",
        "--weight",
        "0.071",
    )
    assert (result["rules"], result["nik"], result["grade"]) == (
        "kepmenpan-25-2004",
        99.4,
        "A",
    )
    assert len(result["elements"]) == 14


def test_the_2014_rules_say_their_bands_are_unverified(tmp_path: Path) -> None:
    result = run(write_csv(tmp_path, U_HEADERS, [[3] * 9]), "--rules", "permenpan-16-2014")
    assert result["bands_verified"] is False
    assert result["elements"][7]["code"] == "MAKLUMAT"


# --- bad input ------------------------------------------------------------------------------


def six_rows_with(column: str, value: object) -> list[list[object]]:
    """Six good rows (file rows 2-7) whose last one has ``value`` in ``column``."""
    rows: list[list[object]] = [[3] * 9 for _ in range(6)]
    rows[-1][CODES.index(column)] = value
    return rows


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (5, "row 7, column WAKTU: 5 is not a score 1-4"),
        (0, "row 7, column WAKTU: 0 is not a score 1-4"),
        ("baik", "row 7, column WAKTU: 'baik' is not a score 1-4"),
        ("3.5", "row 7, column WAKTU: 3.5 is not a score 1-4"),
        ("-1", "row 7, column WAKTU: -1 is not a score 1-4"),
    ],
)
def test_a_bad_score_in_a_csv_is_named_by_row_and_column(tmp_path: Path, value: object, message: str) -> None:
    path = write_csv(tmp_path, CODES, six_rows_with("WAKTU", value))
    assert refusal(path) == message


@pytest.mark.parametrize(("value", "shown"), [(3.5, "3.5"), ("tiga", "'tiga'"), (True, "True")])
def test_a_bad_score_in_an_xlsx_is_named_by_row_and_column(tmp_path: Path, value: object, shown: str) -> None:
    path = write_xlsx(tmp_path, CODES, six_rows_with("SARANA", value))
    assert refusal(path) == f"row 7, column SARANA: {shown} is not a score 1-4"


def test_a_bad_score_under_a_u_header_names_both(tmp_path: Path) -> None:
    path = write_csv(tmp_path, U_HEADERS, six_rows_with("WAKTU", 9))
    assert refusal(path) == "row 7, column U3 (WAKTU): 9 is not a score 1-4"


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (["No", "Nama", "Skor"], "no element columns found"),
        (U_HEADERS[:8], "8 element columns but permenpan-14-2017 has 9 elements"),
        ([*U_HEADERS, "U10"], "column U10: permenpan-14-2017 has 9 elements"),
        ([*CODES, "MAKLUMAT"], "column MAKLUMAT: not an element of permenpan-14-2017"),
        ([*U_HEADERS[:8], "WAKTU"], "columns U3 and WAKTU both name element WAKTU"),
    ],
)
def test_a_wrong_set_of_columns_is_refused(tmp_path: Path, header: list[str], message: str) -> None:
    path = write_csv(tmp_path, header, [[3] * len(header)])
    assert message in refusal(path)


def test_a_sheet_of_the_wrong_rule_set_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path, CODES, [[3] * 9])
    message = refusal(path, "--rules", "permenpan-16-2014")
    assert message == (
        "row 1, column SARANA: not an element of permenpan-16-2014 (choose another rule set with --rules)"
    )


@pytest.mark.parametrize("content", [b"", b"\n\n ,, \n"], ids=["no bytes", "blank lines"])
def test_an_empty_file_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    assert refusal(path).endswith("the file is empty")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.xlsx", b"PK\x03\x04 not really a workbook", "not a readable XLSX"),
        ("broken.xlsx", b"plain text", "not a readable XLSX"),
        ("binary.csv", b"\x00\x01\x02\xff\xfe", "not a CSV file"),
    ],
)
def test_a_corrupt_file_is_refused(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert message in refusal(path)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    assert refusal(tmp_path / "nowhere.csv").endswith("nowhere.csv: no such file")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rules", "permenpan-99-2099"], "unknown rule set 'permenpan-99-2099'"),
        (["--weight", "0.5"], "weight '0.5' is not available"),
        (["--weight", "0.071"], "weight '0.071' is not available for permenpan-14-2017"),
        (["--population", "banyak"], "--population 'banyak' is not a whole number"),
        (["--population", "0"], "--population must be at least 1"),
    ],
)
def test_a_bad_option_is_refused(tmp_path: Path, args: list[str], message: str) -> None:
    path = write_csv(tmp_path, CODES, [[3] * 9])
    assert message in refusal(path, *args)


# --- from the command line ------------------------------------------------------------------


def manage(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "skm_index", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )


def test_from_the_command_line_a_bad_score_exits_2_with_one_line(tmp_path: Path) -> None:
    path = write_csv(tmp_path, CODES, six_rows_with("WAKTU", 5))
    completed = manage(str(path))
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert "Traceback" not in completed.stderr
    assert completed.stderr.strip().splitlines()[-1] == "CommandError: row 7, column WAKTU: 5 is not a score 1-4"


def test_from_the_command_line_a_bad_population_exits_2(tmp_path: Path) -> None:
    path = write_csv(tmp_path, CODES, [[3] * 9])
    completed = manage(str(path), "--population", "-5")
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    assert "--population must be at least 1" in completed.stderr


def test_from_the_command_line_a_good_sheet_prints_json(tmp_path: Path) -> None:
    path = write_csv(tmp_path, CODES, [[4] * 9])
    completed = manage(str(path))
    assert completed.returncode == 0
    assert json.loads(completed.stdout)["nik"] == 100.0
