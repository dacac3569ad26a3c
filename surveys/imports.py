"""Bulk import of paper questionnaires: an Excel template per unit and period, then its upload.

The upload passes the upload guard (`surveys.uploads`: sizes, rows, XML bounded before
parsing) and is then checked completely before anything is stored: every bad row and column is
reported (in Indonesian), and nothing is imported unless the whole file is valid. Each row is
validated by `PaperForm` - the citizen form with a date - as on the data-entry screen. A file
with more rows than `PAPER_IMPORT_SYNC_MAX_ROWS` is checked and imported by the background
worker instead (`surveys.import_jobs`), under the same all-or-nothing rule.

Idempotency: the template carries a signed token (unit, period, instrument and a random
template id). Each row's submission key is uuid5 of that template id, the row's content in
canonical form and how many identical rows came before it in the file. So uploading the same
file twice imports nothing the second time; adding rows to a filled template and uploading it
again imports only the new rows; two identical paper forms in one file stay two responses.
(A row whose content is edited after an upload counts as a new response: delete the old one.)
"""

from __future__ import annotations

import datetime
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from surveys import services, uploads
from surveys.forms import SERVICE_OTHER
from surveys.forms_paper import PaperForm, score_field_name
from surveys.models import Channel, Education, Instrument, Occupation, Period, ServiceUnit, Sex
from surveys.textsafety import neutralise

SIGNING_SALT = "skm-import-template"
DATA_SHEET = "Isian"
HELP_SHEET = "Petunjuk"
TOKEN_SHEET = "Kode"  # noqa: S105 - a sheet name, not a secret
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
#: What the upload guard lets through: the rows of every sheet (blank or not) up to twice the
#: rows a template takes, each part and cell bounded (`surveys.uploads`).
UPLOAD_LIMITS = uploads.UploadLimits(max_bytes=MAX_BYTES, max_rows=2 * MAX_ROWS, max_columns=64)
CELLS_PER_ROW = 40  # a template row has 18 cells; a file with many more cells is heavy too
PROGRESS_EVERY = 100
KEY_NAMESPACE = uuid.UUID("1f0b7c52-61c5-4d4b-9e0c-6f5a3d1e2c11")


@dataclass(frozen=True)
class Column:
    field: str
    heading: str


def columns_for(instrument: Instrument) -> list[Column]:
    columns = [
        Column("submitted_on", _("Tanggal (TTTT-BB-HH)")),
        Column("service", _("Jenis layanan")),
        Column("service_other", _("Layanan lainnya")),
        Column("age", _("Usia")),
        Column("sex", _("Jenis kelamin (L/P)")),
        Column("education", _("Pendidikan")),
        Column("occupation", _("Pekerjaan")),
        Column("occupation_other", _("Pekerjaan lainnya")),
    ]
    for element in instrument.elements.order_by("order"):
        columns.append(Column(score_field_name(element.code), f"U{element.order} {element.name_id} (1-4)"))
    columns.append(Column("suggestion", _("Kritik dan saran")))
    return columns


@dataclass(frozen=True)
class TemplateToken:
    unit_code: str
    period_id: int
    instrument_id: int
    template_id: str


def sign_token(token: TemplateToken) -> str:
    payload = {"u": token.unit_code, "p": token.period_id, "i": token.instrument_id, "t": token.template_id}
    return str(signing.dumps(payload, salt=SIGNING_SALT))


def read_token(value: object) -> TemplateToken | None:
    if not isinstance(value, str):
        return None
    try:
        payload = signing.loads(value, salt=SIGNING_SALT)
        return TemplateToken(str(payload["u"]), int(payload["p"]), int(payload["i"]), str(payload["t"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def build_template(*, unit: ServiceUnit, period: Period, instrument: Instrument) -> Workbook:
    """The template to fill: a data sheet with validation lists, instructions, a signed token."""
    columns = columns_for(instrument)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = DATA_SHEET
    heading_lines = 1
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.heading)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        width = 14 if column.field.startswith("score_") else 20
        sheet.column_dimensions[get_column_letter(index)].width = width
        heading_lines = max(heading_lines, _lines(str(column.heading), width))
    sheet.row_dimensions[1].height = LINE_HEIGHT * heading_lines  # wrapped headings side by side, not over each other
    sheet.freeze_panes = "A2"
    _print_one_page_wide(sheet, landscape=True)
    sheet.print_title_rows = "1:1"
    last = MAX_ROWS + 1

    def letter(field: str) -> str:
        return str(get_column_letter(next(i for i, c in enumerate(columns, start=1) if c.field == field)))

    score = DataValidation(type="whole", operator="between", formula1="1", formula2="4", allow_blank=False)
    score.error = _("Nilai harus angka bulat 1 sampai 4.")
    first_score = letter(columns[8].field)
    score.add(f"{first_score}2:{letter(columns[-2].field)}{last}")
    sex = DataValidation(type="list", formula1='"L,P"', allow_blank=True)
    sex.add(f"{letter('sex')}2:{letter('sex')}{last}")
    date = DataValidation(
        type="date",
        operator="between",
        formula1=f"DATE({period.start:%Y,%-m,%-d})",
        formula2=f"DATE({period.end:%Y,%-m,%-d})",
    )
    date.error = _("Tanggal harus dalam periode survei.")
    date.add(f"{letter('submitted_on')}2:{letter('submitted_on')}{last}")
    dropdowns = [score, sex, date]
    blank_form = PaperForm(unit=unit, instrument=instrument, period=period)
    for field in ("education", "occupation"):
        choices = [str(value) for value, _label in blank_form.fields[field].choices if value]  # type: ignore[attr-defined]
        dropdown = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        dropdown.add(f"{letter(field)}2:{letter(field)}{last}")
        dropdowns.append(dropdown)
    for validation in dropdowns:
        validation.showErrorMessage = True
        sheet.add_data_validation(validation)
    for row in range(2, 52):
        sheet.cell(row=row, column=1).number_format = "yyyy-mm-dd"

    _help_sheet(workbook.create_sheet(HELP_SHEET), unit, period, instrument)

    token_sheet = workbook.create_sheet(TOKEN_SHEET)
    token = TemplateToken(unit.code, period.pk, instrument.pk, uuid.uuid4().hex)
    token_sheet["A1"] = sign_token(token)
    token_sheet.sheet_state = "veryHidden"
    return workbook


#: Column widths of the instructions sheet (the label, a code, what the code means), and the
#: height (points) of one line of text and the width one character takes, to size wrapped rows.
HELP_WIDTHS = (26, 16, 44)
LINE_HEIGHT = 15
CHAR_WIDTH = 1.15


def _lines(text: str, width: float) -> int:
    """About how many lines a text takes wrapped in a column (or merged columns) of `width`."""
    room = max(int((width - 1) / CHAR_WIDTH), 1)
    lines, line = 1, 0
    for word in text.split():
        needed = len(word) if line == 0 else line + 1 + len(word)
        if needed > room and line:
            lines, line = lines + 1, len(word)
        else:
            line = needed
    return lines


def _print_one_page_wide(sheet: Any, *, landscape: bool) -> None:
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _help_sheet(sheet: Any, unit: ServiceUnit, period: Period, instrument: Instrument) -> None:
    """The instructions, printed on pages one sheet wide: each sentence wrapped across the three
    columns, each code on its own row with its label beside it."""
    for index, width in enumerate(HELP_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    last_column = len(HELP_WIDTHS)
    row = 1

    def across(text: str, *, first_column: int = 1, bold: bool = False) -> None:
        nonlocal row
        cell = sheet.cell(row=row, column=first_column, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.font = Font(bold=bold)
        sheet.merge_cells(start_row=row, start_column=first_column, end_row=row, end_column=last_column)
        lines = _lines(text, sum(HELP_WIDTHS[first_column - 1 :]))
        sheet.row_dimensions[row].height = LINE_HEIGHT * lines
        row += 1

    across(_("Templat impor formulir kertas SKM"), bold=True)
    for label, value in (
        (_("Unit"), f"{unit.name} ({unit.code})"),
        (_("Periode"), f"{period.name} ({period.start} s.d. {period.end})"),
        (_("Instrumen"), str(instrument)),
    ):
        sheet.cell(row=row, column=1, value=label).alignment = Alignment(vertical="top")
        across(neutralise(value), first_column=2)
    row += 1
    for sentence in (
        _("Isi satu baris per kuesioner pada lembar Isian, mulai baris 2. Jangan ubah baris judul."),
        _("Nilai unsur: 1, 2, 3 atau 4. Wajib diisi seperti pada formulir warga: tanggal, jenis layanan, usia,")
        + " "
        + _("jenis kelamin, pendidikan, pekerjaan dan nilai setiap unsur. Kritik dan saran boleh kosong."),
        _('Jenis layanan yang tidak ada di daftar dicatat sebagai "lainnya" dengan tulisan Anda.'),
        _("Mengunggah berkas yang sama dua kali tidak mengimpor apa pun untuk kedua kalinya."),
    ):
        across(sentence)
    for title, choices in (
        (_("Jenis kelamin"), Sex.choices),
        (_("Pendidikan"), Education.choices),
        (_("Pekerjaan"), Occupation.choices),
    ):
        row += 1
        sheet.cell(row=row, column=1, value=title).font = Font(bold=True)
        sheet.cell(row=row, column=2, value=_("Kode")).font = Font(bold=True)
        sheet.cell(row=row, column=3, value=_("Artinya")).font = Font(bold=True)
        row += 1
        for code, meaning in choices:
            sheet.cell(row=row, column=2, value=str(code))
            sheet.cell(row=row, column=3, value=str(meaning))
            row += 1
    row += 1
    sheet.cell(row=row, column=1, value=_("Jenis layanan")).font = Font(bold=True)
    services = list(unit.services.filter(is_active=True))
    for service in services:
        across(neutralise(service.name), first_column=2)
    if not services:
        row += 1
    _print_one_page_wide(sheet, landscape=False)
    sheet.print_area = f"A1:{get_column_letter(last_column)}{max(row - 1, 1)}"


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ParsedImport:
    token: TemplateToken | None
    submissions: list[services.Submission]
    errors: list[RowError]
    rows_read: int


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _lookup(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """Accept a stored code or its label, in any case."""
    table: dict[str, str] = {}
    for value, label in choices:
        table[str(value).casefold()] = value
        table[str(label).casefold()] = value
    return table


def _normalise(data: dict[str, str], blank_form: PaperForm) -> dict[str, str]:
    """Spreadsheet words to form values: codes or labels for the choice lists, a service by name
    (an unknown name becomes "lainnya" with the words kept, as a citizen's own answer)."""
    for field in ("sex", "education", "occupation"):
        choices = blank_form.fields[field].choices  # type: ignore[attr-defined]
        if data.get(field):
            data[field] = _lookup(choices).get(data[field].casefold(), data[field])
    service, other = blank_form.service_value(data.get("service", ""))
    if service:
        data["service"] = service
        data["service_other"] = other or data.get("service_other", "")
    elif data.get("service_other"):
        data["service"] = SERVICE_OTHER
    return data


def row_key(template_id: str, content: Sequence[str], occurrence: int) -> uuid.UUID:
    canonical = "\x1f".join(content)
    return uuid.uuid5(KEY_NAMESPACE, f"{template_id}\x1e{occurrence}\x1e{canonical}")


def parse_upload(
    *, upload: IO[bytes], unit: ServiceUnit, period: Period | None = None, filename: str = "templat.xlsx"
) -> ParsedImport:
    """Read and validate a filled template completely; submissions only when there is no error.
    The file passes the upload guard (`surveys.uploads`) before anything parses it."""
    try:
        with uploads.open_spreadsheet(upload, filename=filename, limits=UPLOAD_LIMITS, kinds=("xlsx",)) as book:
            return parse_spreadsheet(book=book, unit=unit, period=period)
    except uploads.UploadRefused as refusal:
        return refused(refusal.message)


def needs_background(book: uploads.Spreadsheet) -> bool:
    """A filled template with more rows (or cells) than a request should check goes to the worker."""
    most = settings.PAPER_IMPORT_SYNC_MAX_ROWS
    rows = book.row_count(DATA_SHEET) - 1 if DATA_SHEET in book.sheet_names else 0
    return rows > most or book.cells > most * CELLS_PER_ROW


def parse_spreadsheet(
    *,
    book: uploads.Spreadsheet,
    unit: ServiceUnit,
    period: Period | None = None,
    on_row: Callable[[int], None] | None = None,
) -> ParsedImport:
    """`parse_upload` for a file already opened; `on_row(rows_read)` reports progress."""
    try:
        return _parse_workbook(book, unit, period, on_row)
    except uploads.UploadRefused as refusal:
        return refused(refusal.message)


def refused(message: str) -> ParsedImport:
    """The outcome of a file refused as a whole: one error, no row."""
    return ParsedImport(None, [], [RowError(0, "", message)], 0)


def _parse_workbook(
    book: uploads.Spreadsheet, unit: ServiceUnit, period: Period | None, on_row: Callable[[int], None] | None
) -> ParsedImport:
    if DATA_SHEET not in book.sheet_names or TOKEN_SHEET not in book.sheet_names:
        return refused(_("Berkas ini bukan templat impor SKM. Unduh templat dari halaman ini lalu isi."))
    token = read_token(next(book.rows(TOKEN_SHEET, max_columns=1), (None,))[0])
    if token is None:
        return refused(_("Kode templat rusak atau diubah. Unduh templat baru."))
    if token.unit_code != unit.code:
        return refused(_("Templat ini untuk unit lain (%(code)s).") % {"code": token.unit_code})
    template_period = Period.objects.filter(pk=token.period_id).first()
    instrument = Instrument.objects.filter(pk=token.instrument_id).first()
    if template_period is None or instrument is None:
        return refused(_("Periode atau instrumen templat ini sudah tidak ada. Unduh templat baru."))
    if period is not None and template_period.pk != period.pk:
        return refused(_("Templat ini untuk periode %(period)s.") % {"period": template_period.name})
    if not Period.objects.accepting_paper().filter(pk=template_period.pk).exists():
        return refused(
            _("Hasil periode %(period)s sudah dipublikasikan; formulir kertas tidak dapat ditambahkan lagi.")
            % {"period": template_period.name}
        )

    columns = columns_for(instrument)
    rows = book.rows(DATA_SHEET, max_columns=len(columns))
    header = [_cell_text(value) for value in next(rows, ())]
    if header[: len(columns)] != [column.heading for column in columns]:
        return refused(_("Baris judul lembar Isian diubah. Gunakan templat tanpa mengubah judul kolom."))

    blank_form = PaperForm(unit=unit, instrument=instrument, period=template_period)
    headings = {column.field: column.heading for column in columns}
    errors: list[RowError] = []
    submissions: list[services.Submission] = []
    seen: Counter[tuple[str, ...]] = Counter()
    rows_read = 0
    for number, values in enumerate(rows, start=2):
        content = [_cell_text(value) for value in values[: len(columns)]]
        content += [""] * (len(columns) - len(content))
        if not any(content):
            continue
        rows_read += 1
        if on_row is not None and rows_read % PROGRESS_EVERY == 0:
            on_row(rows_read)
        if rows_read > MAX_ROWS:
            errors.append(RowError(number, "", _("Paling banyak %(max)s baris per berkas.") % {"max": MAX_ROWS}))
            break
        data = _normalise({column.field: text for column, text in zip(columns, content, strict=True)}, blank_form)
        form = PaperForm(data, unit=unit, instrument=instrument, period=template_period)
        if not form.is_valid():
            for field, messages in form.errors.items():
                errors.extend(RowError(number, headings.get(field, ""), str(message)) for message in messages)
            continue
        occurrence = seen[tuple(content)]
        seen[tuple(content)] += 1
        submissions.append(
            _submission(form, unit, instrument, template_period, row_key(token.template_id, content, occurrence))
        )
    if rows_read == 0 and not errors:
        errors.append(RowError(0, "", _("Lembar Isian masih kosong.")))
    return ParsedImport(token, [] if errors else submissions, errors, rows_read)


def _submission(
    form: PaperForm, unit: ServiceUnit, instrument: Instrument, period: Period, key: uuid.UUID
) -> services.Submission:
    return form.submission(
        key=key,
        unit=unit,
        instrument=instrument,
        period=period,
        channel=Channel.IMPORT,
        submitted_at=paper_timestamp(form.cleaned_data["submitted_on"]),
    )


def paper_timestamp(day: datetime.date) -> datetime.datetime:
    """A paper form has a date, not a time: store local noon of that day."""
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))
