"""A unit's Laporan Hasil SKM as a .docx: the chapters the regulation's practice asks for, filled
from `unit_data.UnitReport`."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from docx.document import Document as DocumentObject

from reports import display
from reports.laporan import chapters, docx_kit
from reports.laporan.docx_kit import DASH, heading, numbered, para, row_number, table
from reports.laporan.docx_kit import num as n
from reports.laporan.unit_data import UnitReport


def _revisions(report: UnitReport) -> list[tuple[str, int | None]]:
    return [
        (source.period.name, source.snapshot.revision if source.snapshot else None)
        for source in report.reading.basis.sources
    ]


def unit_document(report: UnitReport, *, today: datetime.date) -> DocumentObject:
    document = docx_kit.new_document()
    title = _("Laporan Hasil SKM %(unit)s, %(period)s") % {"unit": report.unit.name, "period": report.choice.label}
    docx_kit.header_and_footer(
        document,
        title=title,
        provisional_text=chapters.provisional_text() if report.provisional else "",
        page_word=_("Halaman"),
    )
    chapters.cover(
        document,
        subject=report.unit.name,
        period=report.choice.label,
        revisions=_revisions(report),
        provisional=report.provisional,
        today=today,
    )
    docx_kit.page_break(document)
    docx_kit.table_of_contents(document, _("DAFTAR ISI"), _("Perbarui bidang (F9) untuk menampilkan daftar isi."))
    chapters.chapter_one(document, report.texts)
    chapters.collection_start(document, report.texts, channels=report.channels)
    chapters.sample_paragraph(document, report.overall.sample, report.overall.respondents)
    _chapter_three(document, report)
    _chapter_four(document, report)
    _chapter_five(document, report, today)
    _annexes(document, report)
    return document


def _chapter_three(document: DocumentObject, report: UnitReport) -> None:
    heading(document, _("BAB III HASIL PENGOLAHAN DATA SKM"), 1, new_page=True)
    heading(document, _("A. Karakteristik Responden"), 2)
    if not report.overall.respondents:
        para(document, _("Belum ada responden yang dihitung pada periode ini, sehingga indeks belum dapat dihitung."))
    chapters.characteristics_table(document, report.characteristics)
    heading(document, _("B. Indeks Kepuasan Masyarakat"), 2)
    para(
        document,
        _("Perhitungan mengikuti %(rules)s, %(weight)s; nilai dibulatkan sekali untuk tampilan.")
        % {"rules": report.rules.title, "weight": display.weight_text(report.reading.weight, report.rules)},
        align="justify",
    )
    chapters.index_table(document, report.elements, report.overall, _("IKM unit pelayanan"))
    if report.overall.has_index:
        para(
            document,
            _("Nilai IKM %(unit)s adalah %(nik)s (nilai indeks %(index)s) dengan mutu pelayanan %(grade)s.")
            % {
                "unit": report.unit.name,
                "nik": n(report.overall.nik, 2),
                "index": n(report.overall.index, 4),
                "grade": chapters.grade_text(report.overall.grade, report.overall.label),
            },
            align="justify",
        )
    heading(document, _("C. Nilai per Unsur Pelayanan"), 2)
    if report.overall.has_index:
        chapters.element_charts(document, report.elements, report.rules, report.choice.label)
    else:
        para(document, _("Grafik belum dapat dibuat karena belum ada data."))
    heading(document, _("D. Indeks per Jenis Layanan"), 2)
    _services(document, report)
    chapters.interval_paragraph(document, report.overall, _("E. Selang Kepercayaan 95%"))


def _services(document: DocumentObject, report: UnitReport) -> None:
    if report.services is None:
        para(document, _("Tidak tersedia: hasil beku periode ini dibuat sebelum indeks per jenis layanan disimpan."))
    elif len(report.services) > 1:
        table(
            document,
            [_("Jenis layanan"), _("Responden"), _("Nilai IKM"), _("Mutu pelayanan")],
            [
                (
                    line.name,
                    n(line.figures.respondents),
                    n(line.figures.nik, 2),
                    chapters.grade_text(line.figures.grade, line.figures.label),
                )
                for line in report.services
            ],
            widths=(7, 2.5, 3, 3),
            right=(1, 2),
        )
    elif report.services:
        para(
            document,
            _("Seluruh responden menerima satu jenis layanan (%(service)s); indeksnya sama dengan indeks unit.")
            % {"service": report.services[0].name},
        )
    else:
        para(document, _("Belum ada responden yang dihitung."))


def _chapter_four(document: DocumentObject, report: UnitReport) -> None:
    heading(document, _("BAB IV ANALISIS HASIL SKM"), 1, new_page=True)
    heading(document, _("A. Unsur Terendah dan Tertinggi"), 2)
    chapters.extremes_section(document, report.priorities, report.strongest)
    heading(document, _("B. Saran dan Masukan Masyarakat"), 2)
    chapters.suggestions_section(document, report.suggestions, report.suggestion_total, report.names)
    heading(document, _("C. Rencana Tindak Lanjut"), 2)
    if report.actions:
        table(
            document,
            [row_number(), _("Prioritas unsur"), _("Program/kegiatan"), _("Waktu"), _("Penanggung jawab")],
            [
                (
                    str(number),
                    report.names.get(action.element_code, action.element_code),
                    action.program,
                    action.timing_label,
                    action.responsible,
                )
                for number, action in enumerate(report.actions, 1)
            ],
            widths=(1, 3.5, 5.5, 2.5, 3),
        )
    else:
        para(
            document,
            _(
                "Belum ada rencana tindak lanjut untuk periode ini. Unsur yang diusulkan menjadi prioritas: "
                "%(elements)s."
            )
            % {"elements": ", ".join(row.name for row in report.priorities) or DASH},
            align="justify",
        )
    heading(document, _("D. Tren dan Tindak Lanjut Periode Sebelumnya"), 2)
    chapters.trend_section(document, report.trend, _("Tren Nilai IKM %(unit)s") % {"unit": report.unit.name})
    _progress(document, report)


def _progress(document: DocumentObject, report: UnitReport) -> None:
    if report.progress is None:
        para(document, _("Tidak ada rencana tindak lanjut periode sebelumnya yang dapat dinilai."))
        return
    para(
        document,
        _("Unsur sasaran rencana tindak lanjut %(period)s dibandingkan dengan hasil laporan ini:")
        % {"period": report.progress.period.name},
    )
    outcome = {True: _("naik"), False: _("tidak naik"), None: _("belum dapat dinilai")}
    table(
        document,
        [_("Unsur"), report.progress.period.name, report.choice.label, _("Hasil")],
        [
            (item.name, n(item.before_display, 2), n(item.after_display, 2), outcome[item.improved])
            for item in report.progress.improvements
        ],
        widths=(6, 3, 3, 3.5),
        right=(1, 2),
    )


def _chapter_five(document: DocumentObject, report: UnitReport, today: datetime.date) -> None:
    heading(document, _("BAB V PENUTUP"), 1, new_page=True)
    heading(document, _("A. Kesimpulan"), 2)
    if report.overall.has_index:
        weakest = ", ".join(row.name for row in report.priorities)
        para(
            document,
            _(
                "Nilai IKM %(unit)s periode %(period)s adalah %(nik)s dengan mutu pelayanan %(grade)s, dari %(n)s "
                "responden. Unsur dengan nilai terendah: %(weakest)s."
            )
            % {
                "unit": report.unit.name,
                "period": report.choice.label,
                "nik": n(report.overall.nik, 2),
                "grade": chapters.grade_text(report.overall.grade, report.overall.label),
                "n": n(report.overall.respondents),
                "weakest": weakest or DASH,
            },
            align="justify",
        )
    else:
        para(document, _("Belum ada data pada periode ini, sehingga nilai IKM belum dapat disimpulkan."))
    heading(document, _("B. Rekomendasi"), 2)
    if report.texts.recommendation:
        docx_kit.paragraphs(document, report.texts.recommendation)
    else:
        numbered(document, _default_recommendations(report))
    chapters.signature(document, report.signatory, today=today)


def _default_recommendations(report: UnitReport) -> list[str]:
    lines = [
        _("Memperbaiki unsur %(element)s (Nilai IKM %(nik)s) melalui rencana tindak lanjut yang terukur.")
        % {"element": row.name, "nik": n(row.nik, 2)}
        for row in report.priorities
    ]
    if report.strongest:
        lines.append(_("Mempertahankan kinerja unsur %(element)s.") % {"element": report.strongest[0].name})
    sample = report.overall.sample
    if sample is not None and not sample.adequate:
        lines.append(
            _("Menambah jumlah responden hingga sekurang-kurangnya %(minimum)s pada periode berikutnya.")
            % {"minimum": n(sample.minimum)}
        )
    lines.append(_("Melaksanakan survei secara berkala, mempublikasikan hasilnya, dan melaporkan tindak lanjutnya."))
    return lines


def _annexes(document: DocumentObject, report: UnitReport) -> None:
    heading(document, _("LAMPIRAN"), 1, new_page=True)
    chapters.questionnaire_annex(document, report.questionnaires, _("Lampiran 1. Kuesioner"))
    heading(document, _("Lampiran 2. Tabel Pengolahan Data per Responden"), 2, new_page=True)
    table_data = report.respondents
    if table_data.rows is None and table_data.note == "large":
        para(
            document,
            _(
                "Jumlah responden (%(n)s) terlalu besar untuk dicetak di sini; tabel pengolahan lengkap ada pada "
                "workbook unit (lembar Pengolahan)."
            )
            % {"n": n(report.overall.respondents)},
            align="justify",
        )
    elif table_data.rows is None:
        para(
            document,
            _(
                "Data per responden telah berubah sejak hasil dibekukan; tabel pengolahan yang sesuai ada pada "
                "workbook unit."
            ),
            align="justify",
        )
    elif not table_data.rows:
        para(document, _("Belum ada responden."))
    else:
        header = [row_number(), *[f"U{position}" for position in range(1, len(table_data.codes) + 1)]]
        rows = [
            [str(number), *[str(score) if score is not None else "" for score in row]]
            for number, row in enumerate(table_data.rows, 1)
        ]
        totals = [
            _("Jumlah"),
            *[str(sum(row[column] or 0 for row in table_data.rows)) for column in range(len(table_data.codes))],
        ]
        nrr = [_("NRR"), *[n(line.nrr, 4) for line in report.elements]]
        table(
            document,
            header,
            [*rows, totals, nrr],
            right=tuple(range(1, len(header))),
            bold_rows=(len(rows), len(rows) + 1),
            font_size=8,
        )
    chapters.suggestion_annex(
        document, report.suggestions, report.suggestion_total, _("Lampiran 3. Daftar Saran dan Masukan")
    )
