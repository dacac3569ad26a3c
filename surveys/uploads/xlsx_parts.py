"""One XML part of an .xlsx, read as a stream by a safe parser that keeps only counts.

`PartReader` is a SAX handler for defusedxml's parser (no DTD, no entity, no external
reference). It recognises a part by its root element: a worksheet (rows, row numbers, columns,
and the value of each cell tried as openpyxl would convert it), shared strings (how many), the
workbook (its sheets) and relationships (their targets). It refuses as soon as a count is over
its limit, so a hostile part costs at most the time to reach that point.
"""

from __future__ import annotations

import re
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
from surveys.uploads.base import UploadLimits, UploadRefused

READ_CHUNK = 256 * 1024
CELL_REFERENCE = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
EXCEL_LAST_COLUMN = 16_384
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
    """Reads one XML part as a stream and keeps only counts; refuses as soon as one is over."""

    def __init__(self, part: str, name: str, limits: UploadLimits) -> None:
        super().__init__()
        self.part, self.limits = part, limits
        self.root: str | None = None
        self.sheet = SheetFacts(name=name)
        self.shared_strings = 0
        self.sheets: list[tuple[str, str]] = []  # (name, relationship id) of workbook.xml
        self.relations: list[tuple[str, str]] = []  # (type, target) of a .rels part
        self.targets: dict[str, str] = {}  # relationship id -> target
        self._cell, self._kind, self._column = "", "n", 0
        self._value: list[str] | None = None
        self._value_length = 0

    def startElement(self, name: str, attrs: AttributesImpl) -> None:
        local = name.rpartition(":")[2]
        if self.root is None:
            self.root = local
        if self.root == "worksheet":
            self._sheet_element(local, attrs)
        elif self.root == "sst" and local == "si":
            self.shared_strings += 1
            if self.shared_strings > self.limits.max_shared_strings:
                raise UploadRefused(
                    _("Berkas berisi lebih dari %(max)s teks berbeda.") % {"max": self.limits.max_shared_strings}
                )
        elif self.root == "workbook" and local == "sheet":
            self._workbook_sheet(attrs)
        elif self.root == "Relationships" and local == "Relationship":
            self.relations.append((attrs.get("Type", ""), attrs.get("Target", "")))
            self.targets[attrs.get("Id", "")] = attrs.get("Target", "")

    def characters(self, content: str) -> None:
        if self._value is None:
            return
        self._value_length += len(content)
        if self._value_length > self.limits.max_cell_characters:
            raise UploadRefused(
                _("Sel %(cell)s di lembar %(sheet)s berisi lebih dari %(max)s karakter.")
                % {"cell": self._cell, "sheet": self.sheet.name, "max": self.limits.max_cell_characters}
            )
        self._value.append(content)

    def endElement(self, name: str) -> None:
        if self._value is not None and name.rpartition(":")[2] == "v":
            self._check_value("".join(self._value))
            self._value = None

    def _workbook_sheet(self, attrs: AttributesImpl) -> None:
        if len(self.sheets) >= self.limits.max_sheets:
            raise UploadRefused(_("Berkas berisi lebih dari %(max)s lembar.") % {"max": self.limits.max_sheets})
        identifier = next((attrs[key] for key in attrs.getNames() if key.rpartition(":")[2] == "id"), "")
        self.sheets.append((attrs.get("name", ""), identifier))

    def _sheet_element(self, local: str, attrs: AttributesImpl) -> None:
        sheet = self.sheet
        if local == "row":
            number = whole_number(attrs["r"]) if "r" in attrs else sheet.last_row + 1
            if number is None or number == 0:
                raise UploadRefused(
                    _("Lembar %(sheet)s berisi nomor baris yang tidak sah (%(value)s).")
                    % {"sheet": sheet.name, "value": attrs.get("r", "")[:20]}
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
                        "number": f"{max(number, sheet.rows):,}".replace(",", "."),
                        "max": f"{self.limits.max_rows:,}".replace(",", "."),
                    }
                )
            sheet.last_row = max(sheet.last_row, number)
            self._column = 0
        elif local == "c":
            self._cell_start(attrs)
        elif local == "v":
            self._value, self._value_length = [], 0

    def _cell_start(self, attrs: AttributesImpl) -> None:
        reference = attrs.get("r")
        if reference is None:
            self._column += 1
            self._cell = f"#{self._column}"
        else:
            match = CELL_REFERENCE.fullmatch(reference)
            if match is None:
                raise UploadRefused(
                    _("Lembar %(sheet)s berisi alamat sel yang tidak sah (%(value)s).")
                    % {"sheet": self.sheet.name, "value": reference[:20]}
                )
            self._column = _column_number(match.group(1))
            self._cell = reference.replace("$", "").upper()
        if self._column > min(self.limits.max_columns, EXCEL_LAST_COLUMN):
            raise UploadRefused(
                _("Lembar %(sheet)s memakai sel %(cell)s; paling jauh kolom ke-%(max)s.")
                % {"sheet": self.sheet.name, "cell": self._cell, "max": self.limits.max_columns}
            )
        self.sheet.last_column = max(self.sheet.last_column, self._column)
        self._kind = attrs.get("t", "n")

    def _check_value(self, text: str) -> None:
        """The conversions openpyxl makes for each cell type, tried here so a bad one is named."""
        if not text:
            return
        if self._kind == "s":
            index = whole_number(text)
            if index is None:
                self._refuse_value(text)
            elif index > self.sheet.last_shared_string:
                self.sheet.last_shared_string, self.sheet.shared_string_cell = index, self._cell
            return
        try:
            if self._kind == "n":
                float(text) if any(mark in text for mark in ".Ee") else int(text)
            elif self._kind == "b":
                int(text)
            elif self._kind == "d":
                from_ISO8601(text)
        except (ValueError, TypeError, OverflowError):
            self._refuse_value(text)

    def _refuse_value(self, text: str) -> None:
        raise UploadRefused(
            _("Sel %(cell)s di lembar %(sheet)s berisi “%(text)s”, yang bukan isi sah untuk sel %(kind)s.")
            % {"cell": self._cell, "sheet": self.sheet.name, "text": text[:40], "kind": _kind_name(self._kind)}
        )


def _kind_name(kind: str) -> str:
    return {"n": _("angka"), "s": _("teks bersama"), "b": _("benar/salah"), "d": _("tanggal")}.get(kind, kind)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number
