"""The regulations as data: rule sets (elements, bands, weights), display rounding and banding.

Pure Python, no Django. The rules are described, with their sources, in docs/skm-rules.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

# --------------------------------------------------------------------------------------------
# Rule sets
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """One row of a band table: every NIK (rounded to 2 dp) of at least ``min_nik``."""

    min_nik: Fraction
    grade: str
    label: str


@dataclass(frozen=True)
class Element:
    """A survey element (unsur pelayanan) under a stable code."""

    code: str
    name: str


@dataclass(frozen=True)
class RuleSet:
    """The parameters of one regulation, as data."""

    key: str
    title: str
    elements: tuple[Element, ...]  # in questionnaire order
    bands: tuple[Band, ...]  # highest threshold first; the last band catches everything below
    legacy_weights: tuple[str, ...]  # weight modes, besides "exact", that reproduce old reports
    bands_verified: bool = True
    scale_min: int = 1
    scale_max: int = 4
    factor: int = 25
    min_sample_rule: str | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(element.code for element in self.elements)

    @property
    def element_count(self) -> int:
        return len(self.elements)


BANDS_TABLE_A: tuple[Band, ...] = (
    Band(Fraction("88.31"), "A", "Sangat Baik"),
    Band(Fraction("76.61"), "B", "Baik"),
    Band(Fraction("65.00"), "C", "Kurang Baik"),
    Band(Fraction("25.00"), "D", "Tidak Baik"),
)

BANDS_TABLE_B: tuple[Band, ...] = (
    Band(Fraction("81.26"), "A", "Sangat Baik"),
    Band(Fraction("62.51"), "B", "Baik"),
    Band(Fraction("43.76"), "C", "Kurang Baik"),
    Band(Fraction("25.00"), "D", "Tidak Baik"),
)

KREJCIE_MORGAN_NOTE = "Krejcie & Morgan (1970): minimum sample for the population of service users"

RULE_SETS: dict[str, RuleSet] = {
    rule_set.key: rule_set
    for rule_set in (
        RuleSet(
            key="permenpan-14-2017",
            title=(
                "PermenPAN-RB 14/2017, Pedoman Penyusunan Survei Kepuasan Masyarakat "
                "Unit Penyelenggara Pelayanan Publik"
            ),
            elements=(
                Element("PERSYARATAN", "Persyaratan"),
                Element("PROSEDUR", "Sistem, Mekanisme, dan Prosedur"),
                Element("WAKTU", "Waktu Penyelesaian"),
                Element("BIAYA", "Biaya/Tarif"),
                Element("PRODUK", "Produk Spesifikasi Jenis Pelayanan"),
                Element("KOMPETENSI", "Kompetensi Pelaksana"),
                Element("PERILAKU", "Perilaku Pelaksana"),
                Element("SARANA", "Sarana dan Prasarana"),
                Element("PENGADUAN", "Penanganan Pengaduan, Saran dan Masukan"),
            ),
            bands=BANDS_TABLE_A,
            legacy_weights=("0.111", "0.11"),
            min_sample_rule=KREJCIE_MORGAN_NOTE,
        ),
        RuleSet(
            key="permenpan-16-2014",
            title="PermenPAN-RB 16/2014 (replaced by PermenPAN-RB 14/2017)",
            elements=(
                Element("PERSYARATAN", "Persyaratan"),
                Element("PROSEDUR", "Prosedur"),
                Element("WAKTU", "Waktu pelayanan"),
                Element("BIAYA", "Biaya/Tarif"),
                Element("PRODUK", "Produk spesifikasi jenis pelayanan"),
                Element("KOMPETENSI", "Kompetensi pelaksana"),
                Element("PERILAKU", "Perilaku pelaksana"),
                Element("MAKLUMAT", "Maklumat pelayanan"),
                Element("PENGADUAN", "Penanganan pengaduan, saran dan masukan"),
            ),
            bands=BANDS_TABLE_B,
            bands_verified=False,
            legacy_weights=("0.111", "0.11"),
            min_sample_rule=KREJCIE_MORGAN_NOTE,
        ),
        RuleSet(
            key="kepmenpan-25-2004",
            title="KepMenPAN 25/M.PAN/2/2004, Indeks Kepuasan Masyarakat",
            elements=(
                Element("PROSEDUR", "Prosedur pelayanan"),
                Element("PERSYARATAN", "Persyaratan pelayanan"),
                Element("KEJELASAN_PETUGAS", "Kejelasan petugas pelayanan"),
                Element("KEDISIPLINAN_PETUGAS", "Kedisiplinan petugas pelayanan"),
                Element("TANGGUNG_JAWAB_PETUGAS", "Tanggung jawab petugas pelayanan"),
                Element("KEMAMPUAN_PETUGAS", "Kemampuan petugas pelayanan"),
                Element("KECEPATAN", "Kecepatan pelayanan"),
                Element("KEADILAN", "Keadilan mendapatkan pelayanan"),
                Element("KESOPANAN", "Kesopanan dan keramahan petugas"),
                Element("KEWAJARAN_BIAYA", "Kewajaran biaya pelayanan"),
                Element("KEPASTIAN_BIAYA", "Kepastian biaya pelayanan"),
                Element("KEPASTIAN_JADWAL", "Kepastian jadwal pelayanan"),
                Element("KENYAMANAN", "Kenyamanan lingkungan"),
                Element("KEAMANAN", "Keamanan pelayanan"),
            ),
            bands=BANDS_TABLE_B,
            legacy_weights=("0.071",),
            min_sample_rule="at least 150 respondents (unverified); Krejcie & Morgan used here",
        ),
    )
}

DEFAULT_RULES = "permenpan-14-2017"

#: Weight modes: ``"exact"`` is 1/k; the others are the rounded weights printed on old templates.
WEIGHT_MODES: dict[str, Fraction | None] = {
    "exact": None,
    "0.111": Fraction("0.111"),
    "0.11": Fraction("0.11"),
    "0.071": Fraction("0.071"),
}


def get_rules(rules: str | RuleSet) -> RuleSet:
    """Return the rule set for a key (or the rule set itself); ValueError for an unknown key."""
    if isinstance(rules, RuleSet):
        return rules
    try:
        return RULE_SETS[rules]
    except KeyError:
        known = ", ".join(sorted(RULE_SETS))
        raise ValueError(f"unknown rule set {rules!r} (known: {known})") from None


def weight_for(weight: str, rules: str | RuleSet) -> Fraction:
    """The weight w of each element: 1/k for ``"exact"``, else a legacy weight of the rule set."""
    rule_set = get_rules(rules)
    if weight == "exact":
        return Fraction(1, rule_set.element_count)
    if weight not in WEIGHT_MODES or weight not in rule_set.legacy_weights:
        allowed = ", ".join(("exact", *rule_set.legacy_weights))
        raise ValueError(f"weight {weight!r} is not available for {rule_set.key} (use: {allowed})")
    value = WEIGHT_MODES[weight]
    assert value is not None
    return value


# --------------------------------------------------------------------------------------------
# Rounding and bands
# --------------------------------------------------------------------------------------------


def round_half_up(value: Fraction | Decimal | int, places: int) -> Decimal:
    """Round an exact value to ``places`` decimals, halves away from zero, as a Decimal."""
    scaled = Fraction(value) * 10**places
    magnitude = (2 * abs(scaled.numerator) + scaled.denominator) // (2 * scaled.denominator)
    digits = -magnitude if scaled < 0 else magnitude
    return Decimal(digits).scaleb(-places)


def round_nrr(value: Fraction | Decimal | int) -> Decimal:
    """An NRR (or weighted NRR) for display: 4 decimals, half-up."""
    return round_half_up(value, 4)


def round_index(value: Fraction | Decimal | int) -> Decimal:
    """The index (IKM, 1..4 scale) for display: 4 decimals, half-up."""
    return round_half_up(value, 4)


def round_nik(value: Fraction | Decimal | int) -> Decimal:
    """The converted value (NIK, 25..100 scale) for display: 2 decimals, half-up."""
    return round_half_up(value, 2)


def band_for(nik: Fraction | Decimal | int, rules: str | RuleSet = DEFAULT_RULES) -> Band:
    """The band of a NIK: the first band whose threshold the NIK rounded to 2 dp reaches.

    Values below the lowest threshold (possible only with a legacy weight, e.g. 24.75 for an
    all-1 survey with w = 0.11) fall in the lowest band.
    """
    rounded = Fraction(round_nik(nik))
    bands = get_rules(rules).bands
    for band in bands:
        if rounded >= band.min_nik:
            return band
    return bands[-1]
