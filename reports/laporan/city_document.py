"""The city's Laporan Hasil SKM as a .docx: the same chapters for the city as a whole, with the
pooled city index and the mean of unit indices (labelled as the city dashboard labels them), the
ranking by unit kind with intervals, the grade distribution, the units needing attention and an
annex with one line per unit. Filled from `city_data.CityReport`."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils.translation import gettext as _
from docx.document import Document as DocumentObject

from reports import display
from reports.laporan import chapters, charts, docx_kit
from reports.laporan.city_data import CityReport
from reports.laporan.docx_kit import DASH, heading, numbered, para, picture, table
from reports.laporan.docx_kit import num as n
from surveys import naming


def city_document(report: CityReport, *, today: datetime.date) -> DocumentObject:
    document = docx_kit.new_document()
    subject = _("Pemerintah %(city)s") % {"city": settings.CITY_NAME}
    docx_kit.header_and_footer(
        document,
        title=_("Laporan Hasil SKM %(city)s, %(period)s") % {"city": settings.CITY_NAME, "period": report.choice.label},
        provisional_text=chapters.provisional_text() if report.provisional else "",
        page_word=_("Halaman"),
    )
    chapters.cover(
        document,
        subject=subject,
        period=report.choice.label,
        revisions=report.revisions,
        provisional=report.provisional,
        today=today,
    )
    docx_kit.page_break(document)
    docx_kit.table_of_contents(document, _("DAFTAR ISI"), _("Perbarui bidang (F9) untuk menampilkan daftar isi."))
    chapters.chapter_one(document, report.texts)
    chapters.collection_start(document, report.texts, channels=report.channels)
    chapters.sample_paragraph(document, report.sample, report.city.pooled.respondents)
    _chapter_three(document, report)
    _chapter_four(document, report)
    _chapter_five(document, report, today)
    _annex(document, report)
    return document


def _city_figures(document: DocumentObject, report: CityReport) -> None:
    city = report.city
    table(
        document,
        [_("Angka kota"), _("Nilai IKM"), _("Mutu pelayanan"), _("Cakupan")],
        [
            (
                _("Nilai IKM kota, gabungan semua responden"),
                n(city.pooled.nik, 2),
                chapters.grade_text(city.pooled.grade, city.pooled.label),
                _("%(n)s responden dari %(units)s unit")
                % {"n": n(city.pooled.respondents), "units": n(city.pooled_units)},
            ),
            (
                _("Rata-rata Nilai IKM unit (tanpa bobot)"),
                n(city.mean_nik, 2),
                DASH,
                _("rata-rata dari %(units)s unit yang memiliki indeks") % {"units": n(city.mean_units)},
            ),
        ],
        widths=(5, 3, 3, 4.5),
        right=(1,),
    )
    para(
        document,
        _(
            "Tidak ada aturan resmi untuk satu angka kota; keduanya ditampilkan. Nilai IKM kota menggabungkan semua "
            "responden (unit dengan banyak responden berpengaruh lebih besar); rata-rata Nilai IKM unit memberi setiap "
            "unit bobot yang sama."
        ),
        italic=True,
        align="justify",
    )


def _chapter_three(document: DocumentObject, report: CityReport) -> None:
    heading(document, _("BAB III HASIL PENGOLAHAN DATA SKM"), 1, new_page=True)
    heading(document, _("A. Karakteristik Responden"), 2)
    if not report.city.pooled.respondents:
        para(document, _("Belum ada responden yang dihitung pada periode ini, sehingga indeks belum dapat dihitung."))
    chapters.characteristics_table(document, report.characteristics)
    heading(document, _("B. Indeks Kepuasan Masyarakat"), 2)
    para(
        document,
        _("Perhitungan mengikuti %(rules)s, %(weight)s; nilai dibulatkan sekali untuk tampilan.")
        % {"rules": report.rules.title, "weight": display.weight_text(report.weight, report.rules)},
        align="justify",
    )
    _city_figures(document, report)
    chapters.index_table(document, report.elements, report.city.pooled, _("IKM kota (gabungan)"))
    heading(document, _("C. Nilai per Unsur Pelayanan"), 2)
    if report.city.pooled.has_index:
        chapters.element_charts(document, report.elements, report.rules, report.choice.label)
    else:
        para(document, _("Grafik belum dapat dibuat karena belum ada data."))
    heading(document, _("D. Peringkat per Jenis Unit"), 2)
    para(
        document,
        _(
            "Unit dibandingkan dengan semua unit sejenis; kisaran dalam kurung menunjukkan peringkat yang masih "
            "mungkin menurut selang kepercayaan 95%."
        ),
        align="justify",
    )
    for kind in report.kinds:
        para(
            document,
            f"{kind.label}: {_('Nilai IKM')} {n(kind.figures.nik, 2)} ({n(kind.figures.respondents)} {_('responden')})",
            bold=True,
        )
        table(
            document,
            [_("Peringkat"), _("Unit"), "n", _("Nilai IKM"), _("Mutu"), _("Selang kepercayaan 95%")],
            [
                (
                    f"{row.peer_rank.rank} ({row.peer_rank.best}\N{EN DASH}{row.peer_rank.worst})"
                    if row.peer_rank
                    else DASH,
                    row.unit.name,
                    n(row.figures.respondents),
                    n(row.figures.nik, 2),
                    row.figures.grade or DASH,
                    f"{n(row.figures.ci_low, 2)}\N{EN DASH}{n(row.figures.ci_high, 2)}"
                    if row.figures.ci_low is not None
                    else DASH,
                )
                for row in kind.rows
            ],
            widths=(2.2, 5.8, 1.5, 2.5, 1.3, 3.2),
            right=(2, 3),
            font_size=8,
        )
    heading(document, _("E. Sebaran Mutu Pelayanan"), 2)
    grades = [(f"{grade.grade} {grade.label}", grade.units) for grade in report.city.grades]
    grades.append((_("Belum ada data"), len(report.city.no_data)))
    table(document, [_("Mutu"), _("Jumlah unit")], grades, widths=(8, 4), right=(1,))
    chart_title = _("Jumlah unit per mutu pelayanan (unit yang sudah ada data)")
    picture(document, charts.grade_chart(grades[:-1], title=chart_title), width_cm=11)
    chapters.interval_paragraph(document, report.city.pooled, _("F. Selang Kepercayaan 95%"))


def _chapter_four(document: DocumentObject, report: CityReport) -> None:
    heading(document, _("BAB IV ANALISIS HASIL SKM"), 1, new_page=True)
    heading(document, _("A. Unsur Terendah dan Tertinggi"), 2)
    chapters.extremes_section(document, report.priorities, report.strongest)
    heading(document, _("B. Unit yang Perlu Perhatian"), 2)
    below = [
        (row.unit.name, f"{n(row.figures.sample.achieved)}/{n(row.figures.sample.minimum)}")
        for row in report.city.below_minimum
        if row.figures.sample
    ]
    para(document, _("Di bawah sampel minimum: %(count)s unit.") % {"count": n(len(below))}, bold=True)
    if below:
        table(document, [_("Unit"), _("Responden/sampel minimum")], below, widths=(10, 5), right=(1,))
    para(document, _("Belum ada responden: %(count)s unit.") % {"count": n(len(report.city.no_data))}, bold=True)
    if report.city.no_data:
        para(document, ", ".join(row.unit.name for row in report.city.no_data), align="justify")
    heading(document, _("C. Saran dan Masukan Masyarakat"), 2)
    chapters.suggestions_section(document, report.suggestions, report.suggestion_total, report.names)
    heading(document, _("D. Rencana Tindak Lanjut"), 2)
    _followups(document, report)
    heading(document, _("E. Tren"), 2)
    chapters.trend_section(document, report.trend, _("Tren Nilai IKM kota (gabungan)"))


def _followups(document: DocumentObject, report: CityReport) -> None:
    overview = report.followups
    if overview is None:
        para(
            document,
            _("Rencana tindak lanjut dibuat setelah periode ditutup; belum ada periode tertutup pada laporan ini."),
        )
        return
    share = overview.share
    para(
        document,
        _(
            "%(period)s: %(with_plan)s dari %(with_data)s unit yang memiliki data telah menyusun rencana tindak "
            "lanjut; %(done)s dari %(total)s aksi selesai."
        )
        % {
            "period": overview.period.name,
            "with_plan": n(overview.units_with_plan),
            "with_data": n(overview.units_with_data),
            "done": n(share.done),
            "total": n(share.total),
        },
        align="justify",
    )
    rows = [
        (
            line.unit.name,
            n(line.actions),
            f"{n(line.share.percent)}%" if line.share.percent is not None else DASH,
            ", ".join(
                f"{target.name} ({n(target.before_display, 2)}\N{RIGHTWARDS ARROW}{n(target.after_display, 2)})"
                for target in line.targets
            )
            or DASH,
        )
        for line in overview.units
        if line.has_plan
    ]
    if rows:
        table(
            document,
            [_("Unit"), _("Aksi"), _("Selesai"), _("Unsur sasaran (sebelum → sesudah)")],
            rows,
            widths=(5, 1.5, 2, 7),
            right=(1, 2),
            font_size=8,
        )


def _chapter_five(document: DocumentObject, report: CityReport, today: datetime.date) -> None:
    heading(document, _("BAB V PENUTUP"), 1, new_page=True)
    heading(document, _("A. Kesimpulan"), 2)
    city = report.city
    if city.pooled.has_index:
        para(
            document,
            _(
                "Nilai IKM %(city)s periode %(period)s, gabungan semua responden, adalah %(nik)s dengan mutu pelayanan "
                "%(grade)s (%(n)s responden dari %(units)s unit); rata-rata Nilai IKM unit (tanpa bobot) %(mean)s. "
                "Unsur dengan nilai terendah: %(weakest)s."
            )
            % {
                "city": settings.CITY_NAME,
                "period": report.choice.label,
                "nik": n(city.pooled.nik, 2),
                "grade": chapters.grade_text(city.pooled.grade, city.pooled.label),
                "n": n(city.pooled.respondents),
                "units": n(city.pooled_units),
                "mean": n(city.mean_nik, 2),
                "weakest": ", ".join(row.name for row in report.priorities) or DASH,
            },
            align="justify",
        )
    else:
        para(document, _("Belum ada data pada periode ini, sehingga nilai IKM belum dapat disimpulkan."))
    heading(document, _("B. Rekomendasi"), 2)
    if report.texts.recommendation:
        docx_kit.paragraphs(document, report.texts.recommendation)
    else:
        lines = [
            _("Memperbaiki unsur %(element)s (Nilai IKM %(nik)s) di seluruh unit.")
            % {"element": row.name, "nik": n(row.nik, 2)}
            for row in report.priorities
        ]
        if city.below_minimum or city.no_data:
            lines.append(_("Mendampingi unit yang belum memiliki responden atau belum mencapai sampel minimum."))
        lines.append(_("Memastikan setiap unit menyusun, melaksanakan, dan mempublikasikan rencana tindak lanjut."))
        numbered(document, lines)
    chapters.signature(document, report.signatory, today=today)


def _annex(document: DocumentObject, report: CityReport) -> None:
    heading(document, _("LAMPIRAN"), 1, new_page=True)
    chapters.questionnaire_annex(document, report.questionnaires, _("Lampiran 1. Kuesioner"))
    heading(document, _("Lampiran 2. Hasil per Unit"), 2, new_page=True)
    rows = [
        (
            row.unit.code,
            row.unit.name,
            row.unit.get_kind_display(),
            n(row.figures.respondents),
            n(row.population),
            n(row.figures.sample.minimum) if row.figures.sample else DASH,
            n(row.figures.nik, 2),
            row.figures.grade or DASH,
            f"{row.peer_rank.rank}/{row.peer_rank.of}" if row.peer_rank else DASH,
        )
        for row in naming.by_key(report.city.rows, lambda row: row.unit.name)
    ]
    table(
        document,
        [_("Kode"), _("Unit"), _("Jenis"), "n", "N", _("Min."), _("Nilai IKM"), _("Mutu"), _("Peringkat")],
        rows,
        widths=(2.2, 4.6, 2, 1.2, 1.4, 1.2, 1.4, 1, 1.5),
        right=(3, 4, 5, 6),
        font_size=7,
    )
    chapters.suggestion_annex(
        document, report.suggestions, report.suggestion_total, _("Lampiran 3. Daftar Saran dan Masukan")
    )
