"""python-docx helpers: an A4 document with real heading styles (Word builds the table of contents
from them), a header and footer on every page, tables with a repeated header row, numbers in the
active language's format, and every piece of text passed through `plain` (text only: nothing a
citizen or an editor wrote can become a field, a formula or markup).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import pgettext
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from reports.laporan.suggestions import plain

FONT = "Arial"  # LibreOffice renders it with Liberation Sans (same metrics) for the PDF
DASH = "\N{EM DASH}"
BULLET = "\N{BULLET}"
HEADER_FILL = "D9E2F3"
TEXT_WIDTH_CM = 15.5  # A4 less the margins
KEEP_TOGETHER_ROWS = 16


def row_number() -> str:
    """The heading of a table's row-number column ("No", a number, not the word "no")."""
    return pgettext("table column: row number", "No")


def num(value: Decimal | int | None, places: int = 0) -> str:
    """A number as the dashboards show it in the active language (88,31 in Indonesian)."""
    if value is None:
        return DASH
    return number_format(value, decimal_pos=places, use_l10n=True)


def new_document() -> DocumentObject:
    """An empty A4 portrait document with the house styles."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    section.header_distance, section.footer_distance = Cm(1.2), Cm(1.1)
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Title", 20), ("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 11)):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.element.rPr.rFonts.set(qn("w:asciiTheme"), "")
        style.paragraph_format.space_before = Pt(12 if name != "Heading 1" else 0)
        style.paragraph_format.keep_with_next = True
    styles["Heading 1"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _ask_word_to_update_fields(document)
    return document


def _ask_word_to_update_fields(document: DocumentObject) -> None:
    """Word fills the table of contents (and page numbers) when the file is opened."""
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    document.settings.element.append(update)


def _field(paragraph: Paragraph, instruction: str, placeholder: str = "") -> None:
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, None), ("end", None)):
        run = paragraph.add_run()
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)
        elif text is not None:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = placeholder


def table_of_contents(document: DocumentObject, title: str, placeholder: str) -> None:
    heading = document.add_paragraph(title, style="Title")
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.runs[0].font.size = Pt(14)
    _field(document.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u', placeholder)


def header_and_footer(document: DocumentObject, *, title: str, provisional_text: str, page_word: str) -> None:
    """The same header on every page (the title, and the provisional warning when there is one)
    and a page number in the footer."""
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = header.add_run(plain(title))
    run.font.size = Pt(8)
    run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    if provisional_text:
        warning = section.header.add_paragraph()
        warning.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        bold = warning.add_run(provisional_text)
        bold.bold = True
        bold.font.size = Pt(9)
        bold.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{page_word} ").font.size = Pt(8)
    _field(footer, "PAGE", "1")
    for run in footer.runs:
        run.font.size = Pt(8)


def heading(document: DocumentObject, text: str, level: int, *, new_page: bool = False) -> Paragraph:
    paragraph: Paragraph = document.add_heading(plain(text), level=level)
    paragraph.paragraph_format.page_break_before = new_page
    return paragraph


def para(
    document: DocumentObject, text: str = "", *, bold: bool = False, italic: bool = False, align: str = ""
) -> Paragraph:
    paragraph = document.add_paragraph()
    if text:
        run = paragraph.add_run(plain(text))
        run.bold, run.italic = bold, italic
    if align == "center":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "justify":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    elif align == "right":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return paragraph


def paragraphs(document: DocumentObject, text: str) -> None:
    """Text with blank lines between paragraphs, justified."""
    for block in plain(text).split("\n\n"):
        if block.strip():
            para(document, " ".join(block.split()), align="justify")


def numbered(document: DocumentObject, items: Iterable[str], *, bullet: bool = False) -> None:
    """A list numbered from 1 (or bulleted), with a hanging indent. Numbers are written as text so
    that every list starts at 1 in Word and in LibreOffice alike."""
    for number, item in enumerate(items, start=1):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(0.75)
        paragraph.paragraph_format.first_line_indent = Cm(-0.75)
        paragraph.paragraph_format.space_after = Pt(3)
        marker = BULLET if bullet else f"{number}."
        paragraph.add_run(f"{marker}\t{plain(item)}")
        paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(0.75))


def page_break(document: DocumentObject) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _shade(cell_element: object, fill: str) -> None:
    properties = cell_element.get_or_add_tcPr()  # type: ignore[attr-defined]
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _row_flags(row: object, *, header: bool) -> None:
    """A row never breaks across pages; the header row repeats on every page."""
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    for name in ("w:cantSplit", "w:tblHeader") if header else ("w:cantSplit",):
        marker = OxmlElement(name)
        marker.set(qn("w:val"), "true")
        properties.append(marker)


def table(
    document: DocumentObject,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    widths: Sequence[float] = (),
    right: Sequence[int] = (),
    bold_rows: Sequence[int] = (),
    font_size: float = 9,
) -> Table:
    """A grid table: a shaded header row repeated on every page, then the rows (text only).
    `widths` in cm; `right` the columns aligned right (numbers); `bold_rows` 0-based body rows."""
    materialised = [[plain(str(value)) if value is not None else DASH for value in row] for row in rows]
    keep = len(materialised) <= KEEP_TOGETHER_ROWS
    grid: Table = document.add_table(rows=1 + len(materialised), cols=len(header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    sizes = [Cm(width) for width in (list(widths) or [TEXT_WIDTH_CM / len(header)] * len(header))]
    for column, size in zip(grid.columns, sizes, strict=True):
        column.width = size
    font = Pt(font_size)
    last = len(materialised)
    for row_index, (row, values) in enumerate(zip(grid.rows, [list(header), *materialised], strict=True)):
        for column, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            cell.width = sizes[column]
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(value)
            run.font.size = font
            if row_index == 0 or (row_index - 1) in bold_rows:
                run.bold = True
            if row_index and column in right:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.space_after = Pt(0)
            if keep and row_index < last:
                paragraph.paragraph_format.keep_with_next = True  # a short table stays on one page
            if row_index == 0:
                _shade(cell._tc, HEADER_FILL)
        _row_flags(row, header=row_index == 0)
    document.add_paragraph().paragraph_format.space_after = Pt(2)
    return grid


def picture(document: DocumentObject, png: bytes, *, width_cm: float = 15.5, caption: str = "") -> None:
    document.add_picture(io.BytesIO(png), width=Cm(width_cm))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if caption:
        para(document, caption, italic=True, align="center")


def save(document: DocumentObject) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
