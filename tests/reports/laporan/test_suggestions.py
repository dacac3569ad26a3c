"""The suggestion rules (docs/skm-rules.md §13): grouped by the element their words name, quoted
without personal data, and kept as plain text."""

from __future__ import annotations

import pytest

from reports.laporan.suggestions import OTHER, element_of, plain, scrub, shorten, summarise

CODES = ["PERSYARATAN", "PROSEDUR", "WAKTU", "BIAYA", "PRODUK", "KOMPETENSI", "PERILAKU", "SARANA", "PENGADUAN"]


@pytest.mark.parametrize(
    ("text", "elements"),
    [
        ("Antreannya lama sekali", ["WAKTU"]),
        ("Petugas kurang ramah dan ruang tunggu panas", ["PERILAKU", "SARANA"]),
        ("Persyaratan berkas tolong diumumkan", ["PERSYARATAN"]),
        ("Ada pungli di loket", ["BIAYA"]),
        ("Kotak saran tidak pernah dibuka", ["PENGADUAN"]),
        ("Petugas tidak paham aturan", ["KOMPETENSI"]),
        ("Semoga makin maju", [OTHER]),
        ("Selamat", [OTHER]),  # "lama" inside another word does not count
        ("lamaran kerja", [OTHER]),
    ],
)
def test_a_suggestion_is_grouped_by_the_elements_its_words_name(text: str, elements: list[str]) -> None:
    assert element_of(text, CODES) == elements


def test_phone_numbers_emails_nik_and_long_numbers_are_replaced() -> None:
    text = "WA 0812-3456-7890, +62 813 1111 2222, surel budi.s@contoh.go.id, NIK 1671012345678901, rek 123456789"
    assert scrub(text) == ("WA [nomor telepon], [nomor telepon], surel [email], NIK [NIK], rek [nomor]")


def test_a_name_after_a_form_of_address_is_replaced_but_not_a_job_title() -> None:
    assert scrub("Terima kasih Bapak Ahmad Yani dan ibu Siti Nur'aini") == "Terima kasih Bapak [nama] dan ibu [nama]"
    assert scrub("Pak lurah sangat ramah") == "Pak lurah sangat ramah"


def test_control_bidirectional_and_zero_width_characters_are_removed() -> None:
    assert plain("a\x00b\x0bc\u202ed\u200be\ufeff") == "abcde"
    assert plain("baris satu\nbaris dua\tkolom") == "baris satu\nbaris dua\tkolom"


def test_formulas_and_script_are_kept_as_text() -> None:
    assert scrub("=cmd|' /C calc'!A0") == "=cmd|' /C calc'!A0"
    assert scrub("<script>alert(1)</script>") == "<script>alert(1)</script>"


def test_a_summary_counts_each_group_and_quotes_a_few() -> None:
    texts = ["Antre lama", "Antrean lama sekali", "Menunggu lama", "Toilet kotor", "", "   "]
    summary = summarise(texts, CODES, quotes_per_group=2)
    assert summary.total == 4
    assert [(group.code, group.count) for group in summary.groups] == [("WAKTU", 3), ("SARANA", 1)]
    assert summary.groups[0].quotes == ("Antre lama", "Antrean lama sekali")
    assert len(summary.listing) == 4


def test_a_long_quote_is_shortened_at_a_word() -> None:
    assert shorten("satu dua tiga empat", 12) == "satu dua…"
