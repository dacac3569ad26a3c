"""One XML part of an .xlsx, read as a stream by a safe parser that keeps only counts.

`PartReader` is a SAX handler for defusedxml's parser (no DTD, no entity, no external
reference). It recognises a part by its root element: a worksheet (rows, row numbers, columns,
and the value of each cell tried as openpyxl would convert it), shared strings (how many), the
workbook (its sheets) and relationships (their targets). It refuses as soon as a count is over
its limit, so a hostile part costs at most the time to reach that point.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import AttributesImpl

import defusedxml.sax
from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl.utils.datetime import from_ISO8601

from surveys.params import whole_number
from surveys.uploads.base import UploadLimits, UploadRefused, thousands

READ_CHUNK = 256 * 1024
EXCEL_LAST_COLUMN = 16_384
OUTSIDE_DATA_ELEMENTS = 20_000  # a worksheet's merges, validations, formats, ... (openpyxl keeps each)
ELEMENTS_PER_CELL = 8  # a cell, its value, and a few runs of rich text
ELEMENTS_PER_STRING = 1_000  # runs of rich text in one shared string
#: The parser's (English) error, and how we name the problem to the user.
XML_PROBLEMS = {
    "undefined entity": gettext_noop("memuat entitas XML yang tidak dikenal"),
    "no element found": gettext_noop("terpotong: isinya berhenti sebelum selesai"),
    "unclosed token": gettext_noop("terpotong: isinya berhenti sebelum selesai"),
    "mismatched tag": gettext_noop("memuat tag XML yang tidak berpasangan"),
    "junk after document element": gettext_noop("memuat isi setelah akhir dokumen XML"),
    "not well-formed": gettext_noop("bukan XML yang tersusun dengan benar"),
}


@dataclass
class Budget:
    """What every part of one file has used so far: XML elements (each costs the scan and
    openpyxl a few microseconds) and cells."""

    elements: int = 0
    cells: int = 0


@dataclass
class SheetFacts:
    """What the scan learnt of one worksheet."""

    name: str
    rows: int = 0  # <row> elements, blank or not
    last_row: int = 0  # the highest row number
    last_column: int = 0
    last_shared_string: int = -1  # the highest shared-string index a cell refers to
    shared_string_cell: str = ""


def parse_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, reader: PartReader) -> None:
    """Stream one part through the safe parser; every failure becomes a message naming the part."""
    parser = defusedxml.sax.make_parser()
    parser.forbid_dtd = True
    parser.setContentHandler(reader)
    part = info.filename
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(READ_CHUNK):
                parser.feed(chunk)
        parser.close()
    except UploadRefused:
        raise
    except SAXParseException as error:
        raise UploadRefused(_xml_message(part, error)) from None
    except DefusedXmlException:
        raise UploadRefused(
            _("Bagian %(part)s memuat deklarasi DTD atau entitas XML, yang tidak diizinkan.") % {"part": part}
        ) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError):
        raise UploadRefused(
            _("Berkas .xlsx rusak: bagian %(part)s tidak dapat dibuka dari arsip zip.") % {"part": part}
        ) from None


def _xml_message(part: str, error: SAXParseException) -> str:
    text = error.getMessage()
    problem = next((words for english, words in XML_PROBLEMS.items() if english in text), None)
    return _("Bagian %(part)s %(problem)s (baris %(line)s, kolom %(column)s).") % {
        "part": part,
        "problem": _(problem) if problem else _("bukan XML yang sah"),
        "line": error.getLineNumber(),
        "column": error.getColumnNumber(),
    }


class PartReader(ContentHandler):
    """Reads one XML part as a stream and keeps only counts; refuses as soon as one is over.

    The first element names the part (worksheet, shared strings, workbook, relationships); the
    handler then switches to the callbacks for that kind, so a worksheet's million elements cost
    one short method call each.
    """

    def __init__(self, part: str, name: str, limits: UploadLimits, budget: Budget) -> None:
        super().__init__()
        self.part, self.limits, self.budget = part, limits, budget
        self.root: str | None = None
        self.sheet = SheetFacts(name=name)
        self.shared_strings = 0
        self.sheets: list[tuple[str, str]] = []  # (name, relationship id) of workbook.xml
        self.relations: list[tuple[str, str]] = []  # (type, target) of a .rels part
        self.targets: dict[str, str] = {}  # relationship id -> target
        self._cell, self._kind, self._column = "", "n", 0
        self._value: list[str] | None = None
        self._value_length = 0
        self._in_data = False
        self._elements = 0  # in the current row (or shared string), or outside the sheet's data
        self._outside = 0
        self._columns: dict[str, int] = {}
        self._last_column = min(limits.max_columns, EXCEL_LAST_COLUMN)

    def startElement(self, name: str, attrs: AttributesImpl) -> None:
        self.root = _local(name)
        handlers = {
            "worksheet": (self._sheet_start, self._sheet_end),
            "sst": (self._strings_start, self._ignore_end),
            "workbook": (self._workbook_start, self._ignore_end),
            "Relationships": (self._relations_start, self._ignore_end),
        }
        ignored = (self._ignore_start, self._ignore_end)
        self.startElement, self.endElement = handlers.get(self.root, ignored)  # type: ignore[method-assign]

    def characters(self, content: str) -> None:  # bound once by the parser: cannot be switched
        if self._value is not None:
            self._value_characters(content)

    # ---- worksheets

    def _sheet_start(self, name: str, attrs: AttributesImpl) -> None:
        self._spend()
        local = _local(name)
        self._elements += 1
        if local == "c":
            self._cell_start(attrs)
        elif local == "v":
            self._value, self._value_length = [], 0
        elif local == "row":
            self._row_start(attrs)
        elif local == "sheetData":
            self._in_data = True
        elif not self._in_data:
            self._outside += 1
            if self._outside > OUTSIDE_DATA_ELEMENTS:
                self._refuse_elements()
        if self._in_data and self._elements > self.limits.max_columns * ELEMENTS_PER_CELL:
            self._refuse_elements()

    def _sheet_end(self, name: str) -> None:
        if self._value is not None and _local(name) == "v":
            self._check_value("".join(self._value))
            self._value = None
        elif _local(name) == "sheetData":
            self._in_data = False

    def _value_characters(self, content: str) -> None:
        assert self._value is not None
        self._value_length += len(content)
        if self._value_length > self.limits.max_cell_characters:
            raise UploadRefused(
                _("Sel %(cell)s di lembar %(sheet)s berisi lebih dari %(max)s karakter.")
                % {"cell": self._cell, "sheet": self.sheet.name, "max": self.limits.max_cell_characters}
            )
        self._value.append(content)

    def _row_start(self, attrs: AttributesImpl) -> None:
        sheet = self.sheet
        raw = attrs.get("r")
        number = sheet.last_row + 1 if raw is None else whole_number(raw, max_digits=15)
        if not number:
            raise UploadRefused(
                _("Lembar %(sheet)s berisi nomor baris yang tidak sah (%(value)s).")
                % {"sheet": sheet.name, "value": (raw or "")[:20]}
            )
        sheet.rows += 1
        if sheet.rows > self.limits.max_rows or number > self.limits.max_rows:
            raise UploadRefused(
                _(
                    "Lembar %(sheet)s memuat baris nomor %(number)s; paling banyak %(max)s baris, termasuk "
                    "baris kosong. Hapus baris kosong di bawah data lalu unggah lagi."
                )
                % {
                    "sheet": sheet.name,
                    "number": thousands(max(number, sheet.rows)),
                    "max": thousands(self.limits.max_rows),
                }
            )
        sheet.last_row = max(sheet.last_row, number)
        self._column, self._elements = 0, 0

    def _cell_start(self, attrs: AttributesImpl) -> None:
        reference = attrs.get("r")
        if reference is None:
            self._column += 1
            self._cell = f"#{self._column}"
        else:
            if "$" in reference:
                reference = reference.replace("$", "")
            letters = reference.rstrip("0123456789")
            column = self._columns.get(letters)
            if column is None:
                column = self._columns[letters] = _column_number(letters)
            if not column or not 0 < len(reference) - len(letters) <= 7:
                raise UploadRefused(
                    _("Lembar %(sheet)s berisi alamat sel yang tidak sah (%(value)s).")
                    % {"sheet": self.sheet.name, "value": reference[:20]}
                )
            self._column, self._cell = column, reference
        if self._column > self._last_column:
            raise UploadRefused(
                _("Lembar %(sheet)s memakai sel %(cell)s; paling jauh kolom ke-%(max)s.")
                % {"sheet": self.sheet.name, "cell": self._cell.upper(), "max": self.limits.max_columns}
            )
        if self._column > self.sheet.last_column:
            self.sheet.last_column = self._column
        self.budget.cells += 1
        self._kind = attrs.get("t", "n")

    def _check_value(self, text: str) -> None:
        """The conversions openpyxl makes for each cell type, tried here so a bad one is named."""
        if not text:
            return
        kind = self._kind
        if kind == "s":
            index = whole_number(text)
            if index is None:
                self._refuse_value(text)
            elif index > self.sheet.last_shared_string:
                self.sheet.last_shared_string, self.sheet.shared_string_cell = index, self._cell
            return
        try:
            if kind == "n":
                float(text) if ("." in text or "E" in text or "e" in text) else int(text)
            elif kind == "b":
                int(text)
            elif kind == "d":
                from_ISO8601(text)
        except (ValueError, TypeError, OverflowError):
            self._refuse_value(text)

    def _refuse_value(self, text: str) -> None:
        raise UploadRefused(
            _("Sel %(cell)s di lembar %(sheet)s berisi “%(text)s”, yang bukan isi sah untuk sel %(kind)s.")
            % {"cell": self._cell.upper(), "sheet": self.sheet.name, "text": text[:40], "kind": _kind_name(self._kind)}
        )

    def _spend(self) -> None:
        self.budget.elements += 1
        if self.budget.elements > self.limits.max_elements:
            raise UploadRefused(
                _("Berkas memuat lebih dari %(max)s unsur XML; berkas sebesar ini tidak dibaca.")
                % {"max": thousands(self.limits.max_elements)}
            )

    def _refuse_elements(self) -> None:
        raise UploadRefused(
            _("Lembar %(sheet)s memuat terlalu banyak unsur XML (%(where)s); berkas seperti ini tidak dibaca.")
            % {"sheet": self.sheet.name, "where": _("dalam satu baris") if self._in_data else _("di luar data")}
        )

    # ---- shared strings, the workbook, relationships

    def _strings_start(self, name: str, attrs: AttributesImpl) -> None:
        self._spend()
        if _local(name) != "si":
            self._elements += 1
            if self._elements > ELEMENTS_PER_STRING:
                raise UploadRefused(
                    _("Sebuah teks di berkas memuat lebih dari %(max)s bagian format.") % {"max": ELEMENTS_PER_STRING}
                )
            return
        self._elements = 0
        self.shared_strings += 1
        if self.shared_strings > self.limits.max_shared_strings:
            raise UploadRefused(
                _("Berkas berisi lebih dari %(max)s teks berbeda.") % {"max": thousands(self.limits.max_shared_strings)}
            )

    def _workbook_start(self, name: str, attrs: AttributesImpl) -> None:
        self._spend()
        if _local(name) != "sheet":
            return
        if len(self.sheets) >= self.limits.max_sheets:
            raise UploadRefused(_("Berkas berisi lebih dari %(max)s lembar.") % {"max": self.limits.max_sheets})
        identifier = next((attrs[key] for key in attrs.getNames() if _local(key) == "id"), "")
        self.sheets.append((attrs.get("name", ""), identifier))

    def _relations_start(self, name: str, attrs: AttributesImpl) -> None:
        self._spend()
        if _local(name) == "Relationship":
            self.relations.append((attrs.get("Type", ""), attrs.get("Target", "")))
            self.targets[attrs.get("Id", "")] = attrs.get("Target", "")

    def _ignore_start(self, name: str, attrs: AttributesImpl) -> None:
        self._spend()

    def _ignore_end(self, name: str) -> None:
        pass


def _local(name: str) -> str:
    return name.rpartition(":")[2] if ":" in name else name


def _kind_name(kind: str) -> str:
    return {"n": _("angka"), "s": _("teks bersama"), "b": _("benar/salah"), "d": _("tanggal")}.get(kind, kind)


def _column_number(letters: str) -> int:
    """A column's number from its letters (A = 1); 0 when they are not 1 to 3 letters A-Z."""
    if not 1 <= len(letters) <= 3 or not letters.isascii() or not letters.isalpha():
        return 0
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number
