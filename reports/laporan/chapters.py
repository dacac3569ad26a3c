"""Chapters and blocks the unit report and the city report share: the cover, BAB I, the parts of
BAB II and III that read the same, the suggestions, the signature and the annexes."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from docx.document import Document as DocumentObject
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from reports import charts as page_charts
from reports import indices
from reports.dashboards import ElementRow
from reports.display import Figures
from reports.laporan import charts
from reports.laporan.docx_kit import DASH, heading, numbered, para, paragraphs, picture, row_number, table
from reports.laporan.docx_kit import num as n
from reports.laporan.parts import CharacteristicGroup, CountLine, Questionnaire, TrendLine
from reports.laporan.suggestions import OTHER, SuggestionSummary
from reports.laporan.texts import ReportTexts, legal_basis, purpose
from reports.models import ReportSignatory


def provisional_text() -> str:
    return _("SEMENTARA: periode belum ditutup, angka dapat berubah")


def revision_text(revisions: Sequence[tuple[str, int | None]]) -> str:
    parts = [
        _("%(period)s revisi %(revision)d") % {"period": name, "revision": revision}
        if revision is not None
        else _("%(period)s data berjalan (sementara)") % {"period": name}
        for name, revision in revisions
    ]
    return _("Sumber angka: hasil beku (snapshot) %(parts)s.") % {"parts": "; ".join(parts)}


def cover(
    document: DocumentObject,
    *,
    subject: str,
    period: str,
    revisions: Sequence[tuple[str, int | None]],
    provisional: bool,
    today: datetime.date,
) -> None:
    for _blank in range(2):
        para(document)
    title = para(document, _("LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT"), bold=True, align="center")
    title.runs[0].font.size = Pt(18)
    para(document)
    if settings.REPORT_LOGO is not None:
        picture(document, settings.REPORT_LOGO.read_bytes(), width_cm=4)
    else:
        slot = document.add_table(rows=1, cols=1)
        slot.style = "Table Grid"
        slot.alignment = WD_TABLE_ALIGNMENT.CENTER
        slot.autofit = False
        slot.columns[0].width = Cm(4)
        cell = slot.rows[0].cells[0]
        cell.width = Cm(4)
        slot.rows[0].height = Cm(4)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        cell.paragraphs[0].add_run(_("[tempat logo]")).italic = True
    para(document)
    name = para(document, subject, bold=True, align="center")
    name.runs[0].font.size = Pt(16)
    para(document, _("Periode: %(period)s") % {"period": period}, align="center")
    para(document)
    if provisional:
        warning = para(document, _("SEMENTARA"), bold=True, align="center")
        warning.runs[0].font.size = Pt(16)
        para(document, _("Periode survei belum ditutup; angka dalam laporan ini dapat berubah."), align="center")
    para(document, revision_text(revisions), italic=True, align="center")
    for _blank in range(3):
        para(document)
    city = para(document, _("PEMERINTAH %(city)s") % {"city": settings.CITY_NAME.upper()}, bold=True, align="center")
    city.runs[0].font.size = Pt(13)
    para(document, str(today.year), bold=True, align="center")
    para(document, _("Dibuat %(date)s") % {"date": date_format(today, "j F Y")}, italic=True, align="center")


def chapter_one(document: DocumentObject, texts: ReportTexts) -> None:
    heading(document, _("BAB I PENDAHULUAN"), 1, new_page=True)
    heading(document, _("A. Latar Belakang"), 2)
    paragraphs(document, texts.background)
    heading(document, _("B. Dasar Hukum"), 2)
    numbered(document, legal_basis())
    heading(document, _("C. Maksud dan Tujuan"), 2)
    intent, aims = purpose()
    para(document, intent, align="justify")
    para(document, _("Tujuan survei ini adalah:"))
    numbered(document, aims, bullet=True)


def collection_start(document: DocumentObject, texts: ReportTexts, *, channels: list[CountLine] | None) -> None:
    """BAB II up to the sample: pelaksana, metode with the channels used, lokasi, waktu."""
    heading(document, _("BAB II PENGUMPULAN DATA"), 1, new_page=True)
    heading(document, _("A. Pelaksana"), 2)
    paragraphs(document, texts.executor)
    heading(document, _("B. Metode Pengumpulan Data"), 2)
    para(
        document,
        _(
            "Data dikumpulkan dengan kuesioner sembilan unsur pelayanan sesuai Peraturan Menteri PANRB Nomor 14 "
            "Tahun 2017; setiap unsur dijawab dengan skala 1 sampai 4. Responden mengisi kuesioner secara mandiri "
            "tanpa identitas. Saluran yang dipakai dan jumlah responden yang dihitung dari setiap saluran:"
        ),
        align="justify",
    )
    count_table(document, _("Saluran"), channels)
    heading(document, _("C. Lokasi Pengumpulan Data"), 2)
    paragraphs(document, texts.location)
    heading(document, _("D. Waktu Pelaksanaan"), 2)
    table(
        document,
        [_("Kegiatan"), _("Waktu"), _("Jumlah hari kerja")],
        [(line.activity, line.when, line.workdays if line.workdays is not None else DASH) for line in texts.schedule],
        widths=(5.5, 6.5, 3),
        right=(2,),
    )


def count_table(document: DocumentObject, title: str, lines: list[CountLine] | None) -> None:
    if lines is None:
        para(
            document, _("Rincian ini tidak tersedia: hasil beku periode ini dibuat sebelum rincian tersebut disimpan.")
        )
        return
    table(
        document,
        [title, _("Jumlah"), _("Persentase")],
        [(line.label, n(line.count), f"{n(line.percent)}%" if line.percent is not None else DASH) for line in lines],
        widths=(8, 3, 3),
        right=(1, 2),
    )


def sample_paragraph(document: DocumentObject, sample: indices.SampleAdequacy | None, respondents: int) -> None:
    heading(document, _("E. Penentuan Jumlah Responden"), 2)
    para(
        document,
        _(
            "Jumlah responden minimum ditentukan dengan tabel Krejcie dan Morgan (1970) berdasarkan populasi "
            "penerima layanan (N) pada periode survei."
        ),
        align="justify",
    )
    if sample is None:
        table(document, [_("Uraian"), _("Nilai")], [(_("Responden tercapai (n)"), n(respondents))], widths=(9, 5))
        para(
            document,
            _("Populasi penerima layanan belum diisi lengkap, sehingga sampel minimum belum dapat ditentukan."),
        )
        return
    adequacy = _("Sesuai") if sample.adequate else _("Belum sesuai")
    table(
        document,
        [_("Uraian"), _("Nilai")],
        [
            (_("Populasi penerima layanan (N)"), n(sample.population)),
            (_("Sampel minimum (Krejcie-Morgan)"), n(sample.minimum)),
            (_("Responden tercapai (n)"), n(sample.achieved)),
            (_("Kecukupan sampel"), adequacy),
        ],
        widths=(9, 5),
        right=(1,),
    )


def characteristics_table(document: DocumentObject, groups: list[CharacteristicGroup]) -> None:
    rows: list[tuple[str, str, str, str]] = []
    missing = []
    for group in groups:
        if group.lines is None:
            missing.append(group.title)
            continue
        for position, line in enumerate(group.lines):
            share = f"{n(line.percent)}%" if line.percent is not None else DASH
            rows.append((group.title if position == 0 else "", line.label, n(line.count), share))
    table(
        document,
        [_("Karakteristik"), _("Indikator"), _("Jumlah"), _("Persentase")],
        rows,
        widths=(3.5, 6.5, 2.5, 2.5),
        right=(2, 3),
    )
    if missing:
        para(
            document,
            _("Tidak tersedia untuk hasil beku ini: %(groups)s (disimpan sejak versi laporan ini).")
            % {"groups": ", ".join(missing)},
            italic=True,
        )


def grade_text(grade: str | None, label: str | None) -> str:
    return f"{grade} ({_(label)})" if grade and label else DASH


def index_table(document: DocumentObject, elements: list[ElementRow], overall: Figures, total_label: str) -> None:
    """No | Unsur pelayanan | NRR | Nilai IKM | Mutu pelayanan; the total in the last row."""
    rows = [
        (f"U{row.number}", row.name, n(row.nrr, 4), n(row.nik, 2), grade_text(row.result.grade, row.result.label))
        for row in elements
    ]
    rows.append(("", total_label, n(overall.index, 4), n(overall.nik, 2), grade_text(overall.grade, overall.label)))
    table(
        document,
        [row_number(), _("Unsur pelayanan"), _("NRR"), _("Nilai IKM"), _("Mutu pelayanan")],
        rows,
        widths=(1.2, 6.3, 2.2, 2.6, 3.2),
        right=(2, 3),
        bold_rows=(len(rows) - 1,),
    )


def element_charts(document: DocumentObject, elements: list[ElementRow], rules: indices.RuleSet, period: str) -> None:
    thresholds = [(guide.value, guide.label) for guide in page_charts.band_guides(rules)]
    bars = [charts.Bar(f"U{row.number} {row.name}", row.nik, row.priority) for row in elements]
    title = _("Nilai IKM per unsur, %(period)s") % {"period": period}
    picture(document, charts.element_chart(bars, thresholds=thresholds, title=title))
    para(
        document,
        _(
            "Garis putus-putus: batas mutu. Batang merah: prioritas perbaikan "
            "(tiga unsur terendah, termasuk unsur yang nilainya sama dengan unsur ketiga)."
        ),
        italic=True,
    )
    panels = [(f"U{row.number} {row.name}", row.counts) for row in elements]
    picture(document, charts.distribution_chart(panels, title=_("Sebaran jawaban (1-4) per unsur")))


def interval_paragraph(document: DocumentObject, overall: Figures, heading_text: str) -> None:
    heading(document, heading_text, 2)
    if overall.ci_low is None:
        para(document, _("Selang kepercayaan belum dapat dihitung (diperlukan sekurang-kurangnya dua responden)."))
        return
    para(
        document,
        _(
            "Dengan tingkat kepercayaan 95%%, Nilai IKM seluruh penerima layanan diperkirakan berada antara "
            "%(low)s dan %(high)s; rentang ini ada karena hanya sebagian penerima layanan yang mengisi survei."
        )
        % {"low": n(overall.ci_low, 2), "high": n(overall.ci_high, 2)},
        align="justify",
    )


def trend_section(document: DocumentObject, lines: list[TrendLine], title: str) -> None:
    if not lines:
        para(document, _("Belum ada periode sebelumnya dengan hasil yang dapat dibandingkan."))
        return
    rows = [
        (
            line.period.name + (f" ({_('sementara')})" if line.revision is None else ""),
            n(line.figures.respondents),
            n(line.figures.nik, 2),
            grade_text(line.figures.grade, line.figures.label),
        )
        for line in lines
    ]
    table(
        document,
        [_("Periode"), _("Responden"), _("Nilai IKM"), _("Mutu pelayanan")],
        rows,
        widths=(5.5, 2.5, 3.5, 4),
        right=(1, 2),
    )
    if len(lines) > 1:
        picture(document, charts.trend_chart([(line.period.name, line.figures.nik) for line in lines], title=title))


def suggestions_section(
    document: DocumentObject, summary: SuggestionSummary, total: int, names: dict[str, str]
) -> None:
    if not total:
        para(document, _("Tidak ada saran atau masukan tertulis dari responden yang dihitung pada periode ini."))
        return
    para(
        document,
        _(
            "Sebanyak %(total)s responden menuliskan saran atau masukan. Saran dikelompokkan menurut unsur yang "
            "disebut kata-katanya (satu saran dapat menyebut beberapa unsur); kutipan di bawah ini telah "
            "dibersihkan dari data pribadi."
        )
        % {"total": n(total)},
        align="justify",
    )
    if summary.total < total:
        para(
            document,
            _("Pengelompokan dihitung dari %(count)s saran terbaru.") % {"count": n(summary.total)},
            italic=True,
        )
    rows = [
        (names.get(group.code, _("Lainnya/umum")) if group.code != OTHER else _("Lainnya/umum"), n(group.count))
        for group in summary.groups
    ]
    table(document, [_("Unsur yang disebut"), _("Jumlah saran")], rows, widths=(10, 4), right=(1,))
    for group in summary.groups:
        if not group.quotes:
            continue
        label = names.get(group.code, _("Lainnya/umum")) if group.code != OTHER else _("Lainnya/umum")
        para(document, label, bold=True)
        for quote in group.quotes:
            para(document, f"\N{LEFT DOUBLE QUOTATION MARK}{quote}\N{RIGHT DOUBLE QUOTATION MARK}", italic=True)


def signature(document: DocumentObject, signatory: ReportSignatory | None, *, today: datetime.date) -> None:
    default_place = settings.CITY_NAME.removeprefix("Kota ").removeprefix("Kabupaten ")
    place = (signatory.place if signatory and signatory.place else default_place).strip()
    lines = [
        f"{place}, {date_format(today, 'j F Y')}",
        signatory.title if signatory and signatory.title else _("Kepala Unit"),
        "",
        "",
        "",
        signatory.name if signatory and signatory.name else "(" + "." * 40 + ")",
        _("NIP. %(nip)s") % {"nip": signatory.nip} if signatory and signatory.nip else _("NIP. ") + "." * 30,
    ]
    para(document)
    for position, line in enumerate(lines):
        paragraph = para(document, line, bold=position == 5)
        paragraph.paragraph_format.left_indent = Cm(8.5)
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.keep_with_next = True


def questionnaire_annex(document: DocumentObject, questionnaires: list[Questionnaire], heading_text: str) -> None:
    heading(document, heading_text, 2)
    for questionnaire in questionnaires:
        para(document, questionnaire.title, bold=True)
        rows = [
            (
                f"U{question.number}",
                question.name,
                question.question,
                " / ".join(f"{score}. {label}" for score, label in enumerate(question.options, 1)),
            )
            for question in questionnaire.questions
        ]
        table(
            document,
            [row_number(), _("Unsur"), _("Pertanyaan"), _("Pilihan jawaban (nilai)")],
            rows,
            widths=(1.2, 3.3, 5.5, 5.5),
            font_size=8,
        )


def suggestion_annex(document: DocumentObject, summary: SuggestionSummary, total: int, heading_text: str) -> None:
    heading(document, heading_text, 2, new_page=True)
    if not summary.listing:
        para(document, _("Tidak ada saran tertulis."))
        return
    if len(summary.listing) < total:
        para(
            document,
            _(
                "Ditampilkan %(shown)s saran terbaru dari %(total)s; daftar lengkap ada pada workbook unit "
                "(lembar Saran)."
            )
            % {"shown": n(len(summary.listing)), "total": n(total)},
            italic=True,
        )
    table(
        document,
        [row_number(), _("Saran dan masukan (tanpa data pribadi)")],
        [(str(i), text) for i, text in enumerate(summary.listing, 1)],
        widths=(1.2, 14.3),
        font_size=8,
    )


def extremes_section(
    document: DocumentObject, priorities: Sequence[ElementRow], strongest: Sequence[ElementRow]
) -> None:
    """BAB IV A: the priorities (the three lowest NRR and any tied with the third) and the strengths."""
    if not priorities:
        para(document, _("Belum ada data untuk dianalisis."))
        return
    lists = (
        (
            _(
                "Prioritas perbaikan. Tiga unsur dengan NRR terendah; "
                "unsur yang NRR-nya sama dengan unsur ketiga ikut menjadi prioritas."
            ),
            priorities,
        ),
        (
            _(
                "Unsur terkuat. Tiga unsur dengan NRR tertinggi; "
                "unsur yang NRR-nya sama dengan unsur ketiga ikut disebut."
            ),
            strongest,
        ),
    )
    for lead, rows in lists:
        para(document, lead)
        numbered(
            document,
            [f"U{row.number} {row.name}: NRR {n(row.nrr, 4)}, {_('Nilai IKM')} {n(row.nik, 2)}" for row in rows],
        )
