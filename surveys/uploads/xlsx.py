""".xlsx uploads: the zip and every XML part checked as a stream before openpyxl reads a row.

`XlsxSpreadsheet` runs `scan` first: the zip's entries (count, uncompressed sizes, compression
ratio, method) from its directory, then each XML part once through defusedxml's SAX parser
(no DTD, no entity, no external reference) keeping only counts. Only a file that passes is
handed to openpyxl, whose row reader is bounded by the last row and column the scan saw.
"""

from __future__ import annotations

import io
import logging
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from surveys.uploads.base import MB, Spreadsheet, UploadLimits, UploadRefused
from surveys.uploads.xlsx_parts import Budget, PartReader, SheetFacts, parse_part

logger = logging.getLogger(__name__)
END_OF_DIRECTORY = b"PK\x05\x06"


@dataclass
class XlsxScan:
    sheets: dict[str, SheetFacts] = field(default_factory=dict)  # by sheet name, in workbook order
    shared_strings: int = 0
    cells: int = 0


class XlsxSpreadsheet(Spreadsheet):
    def __init__(self, data: bytes, limits: UploadLimits) -> None:
        self.scan = scan(data, limits)
        self.sheet_names = list(self.scan.sheets)
        self.cells = self.scan.cells
        self._data = data
        self._workbook: Any = None

    def row_count(self, sheet: str) -> int:
        return self.scan.sheets[sheet].last_row

    def rows(self, sheet: str, *, max_columns: int) -> Iterator[tuple[object, ...]]:
        last_row = self.scan.sheets[sheet].last_row
        if last_row == 0:
            return
        number = 0
        try:
            worksheet = self._opened()[sheet]
            for values in worksheet.iter_rows(max_row=last_row, max_col=max_columns, values_only=True):
                number += 1
                yield tuple(values)
        except UploadRefused:
            raise
        except Exception:  # any value openpyxl cannot convert: the user gets the row, the log the cause
            logger.warning("openpyxl could not read row %s of sheet %r", number + 1, sheet, exc_info=True)
            raise UploadRefused(
                _("Baris %(row)s lembar %(sheet)s tidak dapat dibaca (angka atau tanggal di luar batas).")
                % {"row": number + 1, "sheet": sheet}
            ) from None

    def _opened(self) -> Any:
        if self._workbook is None:
            from openpyxl import load_workbook

            try:
                self._workbook = load_workbook(io.BytesIO(self._data), read_only=True, data_only=True, keep_links=False)
            except Exception:  # openpyxl raises many kinds for a file it cannot read
                logger.warning("openpyxl refused an upload that passed the scan", exc_info=True)
                raise UploadRefused(
                    _("Berkas .xlsx tidak dapat dibaca. Buka di Excel, simpan ulang sebagai .xlsx, lalu unggah lagi.")
                ) from None
        return self._workbook

    def close(self) -> None:
        if self._workbook is not None:
            self._workbook.close()
            self._workbook = None


def scan(data: bytes, limits: UploadLimits) -> XlsxScan:
    """Check the zip and every XML part within `limits`; raises `UploadRefused` naming the problem."""
    _check_declared_entries(data, limits)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise UploadRefused(_not_a_zip()) from None
    budget = Budget()
    with archive:
        infos = _checked_entries(archive, limits)
        names, parsed = _sheet_names(archive, infos, limits, budget)
        result = XlsxScan()
        facts: dict[str, SheetFacts] = {}
        for info in infos.values():
            if info.filename in parsed or not info.filename.lower().endswith((".xml", ".rels")):
                continue
            reader = PartReader(info.filename, names.get(info.filename, info.filename), limits, budget)
            parse_part(archive, info, reader)
            if reader.root == "sst":
                result.shared_strings = reader.shared_strings
            elif reader.root == "worksheet":
                facts[info.filename] = reader.sheet
    for sheet in facts.values():
        if sheet.last_shared_string >= result.shared_strings:
            raise UploadRefused(
                _("Sel %(cell)s di lembar %(sheet)s merujuk teks yang tidak ada di berkas.")
                % {"cell": sheet.shared_string_cell, "sheet": sheet.name}
            )
    result.sheets = {name: facts[part] for part, name in names.items() if part in facts}
    result.cells = budget.cells
    return result


def _not_a_zip() -> str:
    return _(
        "Berkas bukan berkas Excel .xlsx yang utuh: isinya bukan arsip zip yang dapat dibuka "
        "(berkas .xls lama dan berkas berkata sandi tidak dapat dibaca). Simpan ulang sebagai .xlsx."
    )


def _check_declared_entries(data: bytes, limits: UploadLimits) -> None:
    """Count the zip's entries from its end record, before the zip reader builds one object each."""
    end = data.rfind(END_OF_DIRECTORY, max(0, len(data) - 65_557))
    if end < 0 or len(data) < end + 22:
        raise UploadRefused(_not_a_zip())
    (entries,) = struct.unpack("<H", data[end + 10 : end + 12])
    if entries > limits.max_entries:  # 0xFFFF (a zip64 archive) too: no spreadsheet needs one here
        raise UploadRefused(
            _("Berkas .xlsx berisi %(count)s bagian; paling banyak %(max)s.")
            % {"count": entries, "max": limits.max_entries}
        )


def _checked_entries(archive: zipfile.ZipFile, limits: UploadLimits) -> dict[str, zipfile.ZipInfo]:
    """Every entry within its size and ratio, from the sizes the zip declares (the zip reader
    never decompresses more than an entry declares: a longer stream fails its checksum)."""
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise UploadRefused(
            _("Berkas .xlsx berisi %(count)s bagian; paling banyak %(max)s.")
            % {"count": len(infos), "max": limits.max_entries}
        )
    total = 0
    for info in infos:
        part = info.filename
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x1:
            raise UploadRefused(
                _("Bagian %(part)s terenkripsi atau dimampatkan dengan cara yang tidak didukung.") % {"part": part}
            )
        ceiling = _ceiling(part, limits)
        if info.file_size > ceiling:
            raise UploadRefused(
                _("Bagian %(part)s berukuran %(size)s MB setelah dibuka; paling besar %(max)s MB.")
                % {"part": part, "size": _megabytes(info.file_size), "max": _megabytes(ceiling)}
            )
        if info.file_size > MB and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise UploadRefused(
                _(
                    "Bagian %(part)s dimampatkan %(ratio)s kali lipat; berkas seperti ini (bom zip) tidak dibaca. "
                    "Simpan ulang dari Excel lalu unggah lagi."
                )
                % {"part": part, "ratio": info.file_size // max(info.compress_size, 1)}
            )
        total += info.file_size
    if total > limits.max_total_bytes:
        raise UploadRefused(
            _("Isi berkas .xlsx setelah dibuka berukuran %(size)s MB; paling besar %(max)s MB.")
            % {"size": _megabytes(total), "max": _megabytes(limits.max_total_bytes)}
        )
    return {info.filename: info for info in infos}


def _ceiling(part: str, limits: UploadLimits) -> int:
    lowered = part.lower()
    if (lowered.startswith("xl/worksheets/") and lowered.endswith(".xml")) or lowered == "content.xml":
        return limits.max_sheet_bytes
    if lowered.endswith("sharedstrings.xml"):
        return limits.max_shared_strings_bytes
    return limits.max_part_bytes


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f}".replace(".", ",")


def _sheet_names(
    archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], limits: UploadLimits, budget: Budget
) -> tuple[dict[str, str], set[str]]:
    """Worksheet part -> sheet name, in workbook order (for openpyxl's names and our messages),
    and the parts read to learn it."""
    parsed: set[str] = set()

    def read(part: str) -> PartReader:
        reader = PartReader(part, part, limits, budget)
        if part in infos:
            parse_part(archive, infos[part], reader)
            parsed.add(part)
        return reader

    package = read("_rels/.rels")
    workbook_part = next(
        (target.lstrip("/") for kind, target in package.relations if kind.endswith("/officeDocument")),
        "xl/workbook.xml",
    )
    folder, _slash, base = workbook_part.rpartition("/")
    workbook = read(workbook_part)
    relations = read(f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels")
    names: dict[str, str] = {}
    for name, identifier in workbook.sheets:
        target = relations.targets.get(identifier, "")
        part = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}" if folder else target
        names[_normalised(part)] = name
    return names, parsed


def _normalised(part: str) -> str:
    pieces: list[str] = []
    for piece in part.split("/"):
        if piece == "..":
            pieces = pieces[:-1]
        elif piece not in ("", "."):
            pieces.append(piece)
    return "/".join(pieces)
