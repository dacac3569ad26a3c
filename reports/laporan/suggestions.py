"""Citizens' suggestions for the report: grouped by the element their words name, a few quoted,
with personal data taken out. Pure Python (no Django); the rules are in docs/skm-rules.md §13.

Grouping (`element_of`): the text is folded to lower case and cut into words (letters and
digits); a keyword of several words matches the same words in a row, and those words are then
spent; a one-word keyword matches a whole word that is not spent, or that word with the suffix
"-nya" ("antreannya"). A suggestion may name several elements and is counted under each; one
that names none is counted as "lainnya" (other). Keywords exist for
the elements of PermenPAN-RB 14/2017 (by their stable codes); other rule sets' elements with the
same code use them too.

Quotes (`scrub`): e-mail addresses, 16-digit NIK-like numbers, phone numbers and any other run
of 8 or more digits are replaced by a label; a capitalised name after a form of address (Bapak,
Ibu, Pak, Bu, Sdr., Saudara/i, Mas, Mbak) is replaced by "[nama]"; control, bidirectional and
zero-width characters are removed, and spaces folded. The text is only ever written as plain
text, so formulas and script in it stay inert.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

OTHER = "lainnya"

KEYWORDS: Mapping[str, tuple[str, ...]] = {
    "PERSYARATAN": (
        "persyaratan", "syarat", "berkas", "dokumen", "fotokopi", "fotocopy", "formulir", "kelengkapan",
        "pengantar", "lampiran",
    ),
    "PROSEDUR": (
        "prosedur", "alur", "mekanisme", "tahapan", "berbelit", "ribet", "rumit", "birokrasi", "sop",
        "sistem", "online", "aplikasi",
    ),
    "WAKTU": (
        "waktu", "lama", "lambat", "lelet", "cepat", "antre", "antri", "antrean", "antrian", "mengantre",
        "mengantri", "menunggu", "tunggu", "terlambat", "molor", "tepat waktu", "jam pelayanan", "jam buka",
    ),
    "BIAYA": (
        "biaya", "tarif", "bayar", "membayar", "pembayaran", "pungli", "pungutan", "gratis", "uang", "mahal",
        "retribusi", "imbalan",
    ),
    "PRODUK": (
        "produk", "hasil pelayanan", "hasilnya", "salah ketik", "typo", "keliru", "tidak sesuai permohonan",
        "cetak", "blangko", "sertifikat", "akta",
    ),
    "KOMPETENSI": (
        "kompeten", "kompetensi", "menguasai", "terampil", "keterampilan", "profesional", "pengetahuan",
        "keahlian", "tidak paham", "kurang paham", "kurang mengerti", "tidak mengerti", "pelatihan",
    ),
    "PERILAKU": (
        "ramah", "sopan", "santun", "senyum", "jutek", "judes", "galak", "kasar", "sikap", "perilaku",
        "sabar", "membentak", "cuek", "acuh", "melayani dengan baik",
    ),
    "SARANA": (
        "sarana", "prasarana", "fasilitas", "ruang", "ruangan", "kursi", "toilet", "wc", "parkir", "ac",
        "kipas", "panas", "sempit", "bersih", "kebersihan", "kotor", "air minum", "wifi", "gedung",
        "tempat duduk", "ruang tunggu", "mushola", "musala",
    ),
    "PENGADUAN": (
        "pengaduan", "aduan", "keluhan", "komplain", "complain", "kotak saran", "lapor", "hotline",
        "tanggapan", "ditanggapi", "ditindaklanjuti", "tindak lanjut",
    ),
}  # fmt: skip

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


_PHRASES = {code: tuple(keyword for keyword in keywords if " " in keyword) for code, keywords in KEYWORDS.items()}
_SINGLES = {
    code: frozenset(word for keyword in keywords if " " not in keyword for word in (keyword, f"{keyword}nya"))
    for code, keywords in KEYWORDS.items()
}


def element_of(text: str, codes: Sequence[str]) -> list[str]:
    """The elements (of `codes`, in that order) whose keywords the text uses; [OTHER] for none.

    Phrases match first and their words are then spent: "ruang tunggu" names the facilities,
    and its "tunggu" no longer names the waiting time."""
    line = f" {' '.join(words(text))} "
    found: set[str] = set()
    for code in codes:
        for phrase in _PHRASES.get(code, ()):
            if f" {phrase} " in line:
                found.add(code)
                line = line.replace(f" {phrase} ", " | ")
    remaining = set(line.split())
    found.update(code for code in codes if remaining & _SINGLES.get(code, frozenset()))
    return [code for code in codes if code in found] or [OTHER]


# --------------------------------------------------------------------------------------------
# Personal data
# --------------------------------------------------------------------------------------------

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
PHONE = re.compile(r"(?<![\w+])(?:\+62|62|0)[\s.-]?8\d(?:[\s.-]?\d){6,11}(?!\d)")
LONG_NUMBER = re.compile(r"(?<!\d)\d(?:[\s.-]?\d){7,}(?!\d)")
TITLES = r"(?i:Bapak|Ibu|Pak|Bu|Sdr\.?|Sdri\.?|Saudara|Saudari|Mas|Mbak|Mba|Kak|Bang)"
NAME_PART = "[A-Z][\\w'\u2019.-]*"  # a capitalised word, apostrophes (straight or curly) included
NAME_AFTER_TITLE = re.compile(rf"\b({TITLES})\s+{NAME_PART}(?:\s+{NAME_PART}){{0,2}}")
INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff0-\uffff\ud800-\udfff]"
)
SPACES = re.compile(r"\s+")


def plain(text: str) -> str:
    """Text safe to write into a document: no control, bidirectional or zero-width characters
    (nor anything XML cannot hold), line breaks and tabs kept as they are."""
    return INVISIBLE.sub("", text)


def scrub(text: str) -> str:
    """A quote without personal data, on one line."""
    cleaned = plain(text)
    cleaned = EMAIL.sub("[email]", cleaned)
    cleaned = NIK.sub("[NIK]", cleaned)
    cleaned = PHONE.sub("[nomor telepon]", cleaned)
    cleaned = LONG_NUMBER.sub("[nomor]", cleaned)
    cleaned = NAME_AFTER_TITLE.sub(lambda match: f"{match.group(1)} [nama]", cleaned)
    return SPACES.sub(" ", cleaned).strip()


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,.;:") + "…"


# --------------------------------------------------------------------------------------------
# Summary
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SuggestionGroup:
    code: str  # an element code or OTHER
    count: int
    quotes: tuple[str, ...]


@dataclass(frozen=True)
class SuggestionSummary:
    total: int
    groups: tuple[SuggestionGroup, ...]  # elements in questionnaire order, then OTHER; empty ones left out
    listing: tuple[str, ...]  # every suggestion, scrubbed, for the annex (up to `listing_limit`)
    listing_total: int


def summarise(
    texts: Iterable[str],
    codes: Sequence[str],
    *,
    quotes_per_group: int = 2,
    quote_length: int = 240,
    listing_limit: int = 500,
    listing_length: int = 600,
) -> SuggestionSummary:
    """Group suggestions (newest first, as given) by element, quoting the first few of each."""
    counts: dict[str, int] = {}
    quotes: dict[str, list[str]] = {}
    listing: list[str] = []
    total = 0
    for text in texts:
        cleaned = scrub(text)
        if not cleaned:
            continue
        total += 1
        if len(listing) < listing_limit:
            listing.append(shorten(cleaned, listing_length))
        for code in element_of(cleaned, codes):
            counts[code] = counts.get(code, 0) + 1
            chosen = quotes.setdefault(code, [])
            quote = shorten(cleaned, quote_length)
            if len(chosen) < quotes_per_group and quote not in chosen:
                chosen.append(quote)
    groups = tuple(
        SuggestionGroup(code, counts[code], tuple(quotes.get(code, ()))) for code in [*codes, OTHER] if code in counts
    )
    return SuggestionSummary(total, groups, tuple(listing), total)
