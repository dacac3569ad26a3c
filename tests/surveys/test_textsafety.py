"""The one formula-injection guard, shared by the exports and the import template."""

from __future__ import annotations

import pytest

from surveys.textsafety import neutralise, neutralise_csv


@pytest.mark.parametrize("text", ["=1+1", "+62 811", "-5", "@SUM(A1)", "\t=1", "\r=1", "\n=1", "   =1"])
def test_a_leading_trigger_gets_an_apostrophe(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Pelayanan baik", "x;=10*10", "nilai 3-4", "a@b.id", ""])
def test_a_cell_that_does_not_start_a_formula_is_left_alone(text: str) -> None:
    assert neutralise(text) == text


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        ("x;=10*10;", "x;'=10*10;"),
        ("a, -b", "a, '-b"),
        ("a\t@SUM(1)", "a\t'@SUM(1)"),
        ('a"=1', "a\"'=1"),
        ("baris\n+1", "baris\n'+1"),
        ("=1;=2", "'=1;'=2"),
        ("Antrean 3-4 jam, ramah; cepat", "Antrean 3-4 jam, ramah; cepat"),
    ],
)
def test_in_a_csv_field_a_trigger_after_any_separator_is_neutralised_too(text: str, guarded: str) -> None:
    assert neutralise_csv(text) == guarded


def test_the_import_template_uses_the_same_guard() -> None:
    from surveys import imports

    assert imports.neutralise is neutralise
    assert not hasattr(imports, "safe_text")
