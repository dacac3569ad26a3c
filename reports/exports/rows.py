"""Row generators: one per sheet, each yielding plain rows (lists of plain values).

They know nothing about cells, styles or file formats; `render` and `workbooks` do. Numbers
come from `reports.indices` (never recomputed here); texts are Indonesian through gettext.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from reports import display, indices
from reports.exports.data import Characteristic, ElementColumn, ScoredResponse
from surveys.models import Channel, Education, Occupation, Reason, ResponseState, Sex, is_counted

Row = list[object]


# ---- Pengolahan --------------------------------------------------------------------------------


def processing_header(columns: Sequence[ElementColumn]) -> Row:
    return [_("No. Resp"), *(column.heading for column in columns)]


def processing_rows(responses: Iterable[ScoredResponse], columns: Sequence[ElementColumn]) -> Iterator[Row]:
    """One row per respondent: its number and its score per element (blank when unanswered)."""
    for number, response in enumerate(responses, start=1):
        yield [number, *(response.scores.get(column.code) for column in columns)]


def legend_rows(columns: Sequence[ElementColumn], rules: str, weight: str) -> Iterator[Row]:
    yield [_("Keterangan")]
    for column in columns:
        yield [f"U{column.number}", column.name]
    yield [_("NRR"), _("Nilai rata-rata per unsur (jumlah nilai per unsur dibagi jumlah jawaban)")]
    yield [
        _("NRR tertimbang"),
        _("NRR per unsur x bobot (%(weight)s)") % {"weight": display.weight_text(weight, rules)},
    ]
    yield [_("IKM"), _("Indeks Kepuasan Masyarakat")]
    yield ["(*)", _("Jumlah NRR tertimbang (nilai indeks, skala 1-4)")]
    yield ["(**)", _("IKM unit pelayanan = (*) x 25 (nilai konversi, skala 25-100)")]
    yield []
    yield from band_rows(rules)


def band_rows(rules: str) -> Iterator[Row]:
    rule_set = indices.get_rules(rules)
    yield [_("Nilai IKM (paling rendah)"), _("Mutu pelayanan"), _("Kinerja unit pelayanan")]
    for band in rule_set.bands:
        yield [
            Decimal(band.min_nik.numerator) / Decimal(band.min_nik.denominator),
            band.grade,
            display.grade_label(band.label),
        ]
    if not rule_set.bands_verified:
        yield [_("Tabel mutu untuk aturan ini belum terverifikasi.")]


# ---- Ringkasan ---------------------------------------------------------------------------------


def summary_header() -> Row:
    return [
        pgettext("nomor urut", "No"),
        _("Unsur pelayanan"),
        _("NRR"),
        _("Nilai IKM"),
        _("Mutu pelayanan"),
        _("Kinerja"),
    ]


def summary_element_rows(result: indices.IndexResult, columns: Sequence[ElementColumn]) -> Iterator[Row]:
    by_code = {element.code: element for element in result.elements}
    for column in columns:
        element = by_code[column.code]
        yield [
            column.number,
            column.name,
            display.nrr(element.nrr),
            display.nik(element.nik),
            element.grade,
            display.grade_label(element.label),
        ]


def summary_unit_row(result: indices.IndexResult) -> Row:
    if result.nik is None:
        return ["", _("Nilai IKM unit pelayanan"), None, None, _("belum ada data"), ""]
    return [
        "",
        _("Nilai IKM unit pelayanan"),
        display.nrr(result.index),
        display.nik(result.nik),
        result.grade,
        display.grade_label(result.label),
    ]


def summary_fact_rows(result: indices.IndexResult, population: int | None) -> Iterator[Row]:
    yield [_("Jumlah responden (n)"), result.respondents]
    yield [_("Populasi penerima layanan (N)"), population if population is not None else _("belum dicatat")]
    if result.sample is not None:
        yield [_("Sampel minimum (Krejcie & Morgan)"), result.sample.minimum]
        yield [_("Kecukupan sampel"), _("Sesuai") if result.sample.adequate else _("Belum sesuai")]
    else:
        yield [_("Sampel minimum (Krejcie & Morgan)"), _("tidak dapat dihitung tanpa populasi")]
        yield [_("Kecukupan sampel"), ""]
    if result.ci is not None:
        yield [_("Selang kepercayaan 95% (batas bawah)"), display.nik(result.ci.low)]
        yield [_("Selang kepercayaan 95% (batas atas)"), display.nik(result.ci.high)]
    else:
        yield [_("Selang kepercayaan 95%"), _("tidak tersedia (kurang dari 2 responden)")]
    yield [_("Aturan"), display.rules_text(result.rules)]
    yield [_("Bobot"), display.weight_text(result.weight, result.rules)]
    if not result.bands_verified:
        yield [_("Catatan"), _("Tabel mutu untuk aturan ini belum terverifikasi.")]


# ---- Responden ---------------------------------------------------------------------------------


def respondent_header() -> Row:
    return [pgettext("nomor urut", "No"), _("Karakteristik"), _("Indikator"), _("Jumlah"), _("Persentase")]


def respondent_rows(lines: Sequence[Characteristic], respondents: int) -> Iterator[Row]:
    number = 0
    previous = None
    for line in lines:
        first = line.group != previous
        if first:
            number += 1
        previous = line.group
        share = Fraction(line.count, respondents) if respondents else None
        yield [number if first else "", line.group if first else "", line.indicator, line.count, share]


# ---- Saran -------------------------------------------------------------------------------------


def suggestion_header(columns: Sequence[ElementColumn]) -> Row:
    return [
        pgettext("nomor urut", "No"),
        _("Tanggal"),
        _("Jenis layanan"),
        _("Kritik dan saran"),
        *(column.heading for column in columns),
    ]


def suggestion_rows(responses: Iterable[ScoredResponse], columns: Sequence[ElementColumn]) -> Iterator[Row]:
    from reports.exports.data import local_date

    for number, response in enumerate(responses, start=1):
        fields = response.fields
        service = fields.get("service__name") or fields.get("service_other") or ""
        yield [
            number,
            local_date(fields["submitted_at"]),
            service,
            fields["suggestion"],
            *(response.scores.get(column.code) for column in columns),
        ]


# ---- RTL ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpRow:
    """One follow-up action (rencana tindak lanjut), as plain values."""

    element: str
    programme: str
    timing: str
    responsible: str
    status: str = ""
    realisation: str = ""


def followup_header() -> Row:
    return [
        pgettext("nomor urut", "No"),
        _("Prioritas unsur"),
        _("Program/Kegiatan"),
        _("Waktu"),
        _("Penanggung jawab"),
        _("Status"),
        _("Realisasi"),
    ]


def followup_sheet_rows(actions: Sequence[FollowUpRow]) -> Iterator[Row]:
    if not actions:
        yield ["", _("Belum ada rencana tindak lanjut")]
        return
    for number, action in enumerate(actions, start=1):
        yield [
            number,
            action.element,
            action.programme,
            action.timing,
            action.responsible,
            action.status,
            action.realisation,
        ]


# ---- City recap --------------------------------------------------------------------------------


def recap_header(columns: Sequence[ElementColumn]) -> Row:
    return [
        _("Kode"),
        _("Unit layanan"),
        _("Jenis"),
        _("Induk"),
        _("Kecamatan"),
        _("Responden (n)"),
        _("Sampel minimum"),
        _("Kecukupan sampel"),
        _("Nilai IKM"),
        _("Mutu"),
        *(f"U{column.number} {column.name}" for column in columns),
    ]


@dataclass(frozen=True)
class RecapUnit:
    """A unit's identity (from `data.unit_rows`) and its index result."""

    unit: dict[str, Any]
    result: indices.IndexResult
    kind_label: str


def recap_rows(units: Iterable[RecapUnit], columns: Sequence[ElementColumn]) -> Iterator[Row]:
    for item in units:
        unit, result = item.unit, item.result
        by_code = {element.code: element for element in result.elements}
        kecamatan = unit["name"] if unit["kind"] == "kecamatan" else unit["area__name"]
        sample = result.sample
        yield [
            unit["code"],
            unit["name"],
            item.kind_label,
            unit["parent__name"] or "",
            kecamatan or "",
            result.respondents,
            sample.minimum if sample else None,
            (_("Sesuai") if sample.adequate else _("Belum sesuai")) if sample else _("populasi belum dicatat"),
            display.nik(result.nik),
            result.grade or _("belum ada data"),
            *(display.nik(by_code[column.code].nik) for column in columns),
        ]


# ---- Raw data ----------------------------------------------------------------------------------

RAW_FIELDS: tuple[str, ...] = (
    "submission_key",
    "unit__code",
    "unit__name",
    "period__name",
    "submitted_at",
    "channel",
    "service__name",
    "service_other",
    "age",
    "sex",
    "education",
    "occupation",
    "occupation_other",
    "suggestion",
    "is_test",
    "state",
    "reason",
    "instrument__name",
    "instrument__version",
    "score_sum",
    "answered",
)


def raw_header(columns: Sequence[ElementColumn]) -> Row:
    return [
        _("ID"),
        _("Kunci pengiriman"),
        _("Kode unit"),
        _("Unit layanan"),
        _("Periode"),
        _("Waktu pengisian"),
        _("Saluran"),
        _("Jenis layanan"),
        _("Layanan lainnya"),
        _("Usia"),
        _("Jenis kelamin"),
        _("Pendidikan"),
        _("Pekerjaan"),
        _("Pekerjaan lainnya"),
        _("Kritik dan saran"),
        _("Data uji"),
        _("Status"),
        _("Alasan ditahan/tidak dihitung"),
        _("Instrumen"),
        _("Versi instrumen"),
        _("Jumlah nilai"),
        _("Unsur dijawab"),
        _("Dihitung"),
        *(column.heading for column in columns),
    ]


def _choice_labels() -> dict[str, dict[str, str]]:
    """The words for each coded field of the raw export, in the active language."""
    coded = {
        "channel": Channel,
        "sex": Sex,
        "education": Education,
        "occupation": Occupation,
        "state": ResponseState,
        "reason": Reason,
    }
    return {name: {str(value): str(label) for value, label in kind.choices} for name, kind in coded.items()}


def _yes_no(value: object) -> str:
    return _("Ya") if value else _("Tidak")


def raw_rows(responses: Iterable[ScoredResponse], columns: Sequence[ElementColumn]) -> Iterator[Row]:
    """Every response with all its fields and its scores; coded fields (channel, sex, state...) in
    words and yes/no for true/false, as a person reads them."""
    codes = [column.code for column in columns]
    labels = _choice_labels()

    def shown(name: str, value: object) -> object:
        if name == "is_test":
            return _yes_no(value)
        words = labels.get(name)
        if words is None or value in (None, ""):
            return value
        return words.get(str(value), value)

    for response in responses:
        fields = response.fields
        yield [
            fields["id"],
            str(fields["submission_key"]),
            *(shown(name, fields[name]) for name in RAW_FIELDS[1:]),
            _yes_no(is_counted(fields)),
            *(response.scores.get(code) for code in codes),
        ]
