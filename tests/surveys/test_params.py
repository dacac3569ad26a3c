"""Numbers a request or a command names: plain ASCII digits, or not a number at all."""

from __future__ import annotations

import pytest

from surveys.params import whole_number


@pytest.mark.parametrize(("text", "number"), [("0", 0), ("7", 7), ("00042", 42), ("999999999", 999_999_999)])
def test_plain_digits_are_a_number(text: str, number: int) -> None:
    assert whole_number(text) == number


@pytest.mark.parametrize(
    "text",
    ["", " 1", "1 ", "-1", "+1", "1.0", "1e3", "\u00b2", "\u0663", "\uff11", "1_000", "9" * 10, None, 3],
    ids=lambda value: repr(value),
)
def test_anything_else_is_not_a_number(text: object) -> None:
    assert whole_number(text) is None


def test_the_number_of_digits_is_bounded_by_the_caller() -> None:
    assert whole_number("12345", max_digits=5) == 12345
    assert whole_number("123456", max_digits=5) is None
