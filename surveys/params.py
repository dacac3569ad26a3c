"""Numbers read from query parameters, path segments and command arguments: ASCII digits only.

`str.isdigit` accepts superscripts, other scripts' digits and more ("²", "٣"), which `int()`
then refuses or reads differently; every number a request or a command names goes through
`whole_number` instead, so a stray character is "not a number", never a server error.
"""

from __future__ import annotations

import re

MAX_DIGITS = 9  # fits every id column, and a PostgreSQL integer
_DIGITS = re.compile(r"[0-9]+")


def whole_number(text: object, *, max_digits: int = MAX_DIGITS) -> int | None:
    """The non-negative whole number `text` spells in ASCII digits (at most `max_digits`), else None."""
    if not isinstance(text, str) or len(text) > max_digits or not _DIGITS.fullmatch(text):
        return None
    return int(text)
