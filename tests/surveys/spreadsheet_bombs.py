"""Hostile .xlsx files, built from a real import template with zipfile and zlib.

Each bomb is what issue 14 found stalling or killing a server: a row numbered 1,000,000,000; a
megabyte and a half of zipped empty rows; a workbook.xml or sharedStrings.xml that a megabyte
of zip unpacks into a gigabyte; an undefined XML entity; truncated XML; text in a number cell;
a broken zip. The gigabyte bombs are written without compressing a gigabyte: one block is
compressed once and repeated, as a zip bomb's author would.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

DATA_PART = "xl/worksheets/sheet1.xml"  # the template's first sheet, Isian
MB = 1024 * 1024


@dataclass(frozen=True)
class Deflated:
    """An entry's raw deflate stream with its checksum and uncompressed size."""

    data: bytes
    crc: int
    size: int


def deflated(content: bytes) -> Deflated:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Deflated(compressor.compress(content) + compressor.flush(), zlib.crc32(content), len(content))


def repeated(prefix: bytes, block: bytes, times: int, suffix: bytes) -> Deflated:
    """prefix + block * times + suffix, compressed in the time it takes to compress one block:
    each piece is a complete run of deflate blocks with no reference outside itself."""

    def piece(content: bytes, flush: int) -> bytes:
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        return compressor.compress(content) + compressor.flush(flush)

    crc = zlib.crc32(prefix)
    for _ in range(times):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(suffix, crc)
    body = piece(block, zlib.Z_FULL_FLUSH)
    data = piece(prefix, zlib.Z_FULL_FLUSH) + body * times + piece(suffix, zlib.Z_FINISH)
    return Deflated(data, crc, len(prefix) + len(block) * times + len(suffix))


def entries_of(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zipped(entries: dict[str, bytes | Deflated]) -> bytes:
    """A zip of the entries (deflated), written field by field so an entry may be a ready-made
    deflate stream of any declared size."""
    out = io.BytesIO()
    directory = []
    for name, entry in entries.items():
        stream = entry if isinstance(entry, Deflated) else deflated(entry)
        encoded = name.encode()
        offset = out.tell()
        fields = (8, 0, 0x21, stream.crc, len(stream.data), stream.size, len(encoded))  # deflate, 1980-01-01
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, *fields, 0) + encoded + stream.data)
        directory.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, *fields, 0, 0, 0, 0, 0, offset) + encoded)
    start = out.tell()
    listing = b"".join(directory)
    out.write(
        listing + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(listing), start, 0)
    )
    return out.getvalue()


def with_data_sheet(template: bytes, change: Callable[[bytes], bytes | Deflated]) -> bytes:
    entries: dict[str, bytes | Deflated] = dict(entries_of(template))
    entries[DATA_PART] = change(entries_of(template)[DATA_PART])
    return zipped(entries)


def before_sheet_end(xml: bytes, rows: bytes) -> bytes:
    return xml.replace(b"</sheetData>", rows + b"</sheetData>")


def row_one_billion(template: bytes) -> bytes:
    """7-8 KB: one row numbered 1,000,000,000 (openpyxl alone fills in a billion empty rows)."""
    row = b'<row r="1000000000"><c r="A1000000000" t="n"><v>1</v></c></row>'
    return with_data_sheet(template, lambda xml: before_sheet_end(xml, row))


def zipped_empty_rows(template: bytes) -> bytes:
    """About 1.4 MB of zip holding 530,000 empty rows, within the sheet size limit (openpyxl
    alone pads each to the sheet's width: gigabytes of empty cells)."""
    rows = b"".join(b'<row r="%d" spans="1:18"/>' % number for number in range(100, 530_000))
    return with_data_sheet(template, lambda xml: before_sheet_end(xml, rows))


def blank_rows(template: bytes, count: int) -> bytes:
    """`count` blank rows without row numbers: small, and still more rows than the limit."""
    return with_data_sheet(template, lambda xml: before_sheet_end(xml, b"<row/>" * count))


def workbook_bomb(template: bytes) -> bytes:
    """A workbook.xml that 1 MB of zip unpacks into a gigabyte of whitespace."""
    entries: dict[str, bytes | Deflated] = dict(entries_of(template))
    xml = entries_of(template)["xl/workbook.xml"]
    head, tail = xml.split(b"<sheets>", 1)
    entries["xl/workbook.xml"] = repeated(head, b" " * MB, 1000, b"<sheets>" + tail)
    return zipped(entries)


def shared_strings_bomb(template: bytes) -> bytes:
    """A sharedStrings.xml that 1 MB of zip unpacks into 400 MB: 25 million strings."""
    entries: dict[str, bytes | Deflated] = dict(entries_of(template))
    namespace = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    entries["xl/sharedStrings.xml"] = repeated(namespace, b"<si><t>a</t></si>" * 65536, 380, b"</sst>")
    types = entries_of(template)["[Content_Types].xml"]
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    )
    entries["[Content_Types].xml"] = types.replace(b"</Types>", override + b"</Types>")
    return zipped(entries)


def undefined_entity(template: bytes) -> bytes:
    row = b'<row r="2"><c r="B2" t="inlineStr"><is><t>&bom;</t></is></c></row>'
    return with_data_sheet(template, lambda xml: re.sub(rb'<row r="2".*?</row>', row, xml, count=1))


def truncated_xml(template: bytes) -> bytes:
    return with_data_sheet(template, lambda xml: xml[: len(xml) // 2])


def text_in_a_number_cell(template: bytes) -> bytes:
    row = b'<row r="2"><c r="J2" t="n"><v>baik</v></c></row>'
    return with_data_sheet(template, lambda xml: re.sub(rb'<row r="2".*?</row>', row, xml, count=1))


def broken_zip(template: bytes) -> bytes:
    return template[: len(template) * 2 // 3]


def far_column(template: bytes) -> bytes:
    return with_data_sheet(template, lambda xml: before_sheet_end(xml, b'<row r="60"><c r="XFD60"><v>1</v></c></row>'))


def entity_expansion(template: bytes) -> bytes:
    """The billion laughs, in the data sheet."""
    laughs = b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    return with_data_sheet(template, lambda xml: laughs + xml.replace(b"<t>", b"<t>&lol2;", 1))
