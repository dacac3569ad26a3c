"""Free text from citizens and staff: refuse characters that hide or disguise what is shown, and
keep text that reaches a spreadsheet from ever becoming a formula.

Bidirectional controls (e.g. U+202E RIGHT-TO-LEFT OVERRIDE) can make a suggestion read
differently on a staff screen than what was stored; invisible characters (zero-width space,
word joiner, byte-order mark) and control characters hide text; U+FFFD is what undecodable
bytes turn into. Zero-width joiners (used in emoji and some scripts) stay allowed.

The formula-injection guard lives here, the lowest layer, so the exports (`reports`) and the
import templates (`surveys.imports`) share one copy: `neutralise` for a spreadsheet cell,
`neutralise_csv` for a CSV field.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HIDDEN_CHARACTERS = re.compile(
    "["
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f"  # control characters other than tab and line breaks
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional marks, embeddings, overrides, isolates
    "\u200b\u2060\ufeff"  # zero-width space, word joiner, byte-order mark
    "\ufffd"  # the replacement character: bytes that were not valid UTF-8
    "]"
)


HIDDEN_MESSAGE = _(
    "Teks berisi karakter tersembunyi atau pengubah arah tulisan yang tidak diizinkan. Hapus lalu ketik ulang."
)


def hidden_characters(text: str) -> list[str]:
    """The code points (as U+XXXX) of the hidden or disguising characters in `text`."""
    return sorted({f"U+{ord(char):04X}" for char in HIDDEN_CHARACTERS.findall(text)})


def validate_visible_text(value: str) -> None:
    """A form validator: text must not contain hidden, direction-changing or broken characters."""
    if HIDDEN_CHARACTERS.search(value or ""):
        raise ValidationError(HIDDEN_MESSAGE, code="hidden_characters")


# ---- Formula injection --------------------------------------------------------------------------

#: What makes a spreadsheet read a cell as a formula or a DDE call (OWASP's list, plus line feed).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
#: Characters after which a spreadsheet may start a new cell when it opens a CSV file: the
#: separators Excel and LibreOffice use (comma, semicolon, tab), line breaks, and the quote that
#: ends a quoted field when a file is read with another separator than it was written with.
CELL_BREAKS = ',;\t\r\n"'
_TRIGGER_AFTER_BREAK = re.compile("([" + re.escape(CELL_BREAKS) + r"]\s*)(?=[=+\-@])")


def neutralise(text: str) -> str:
    """Text made safe for a spreadsheet cell: a leading formula trigger gets an apostrophe.

    The check also looks past leading spaces, since Excel and LibreOffice ignore them before
    ``=`` in some import paths. The apostrophe is what OWASP recommends: the cell shows the text.
    """
    if text.lstrip(" ").startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def neutralise_csv(text: str) -> str:
    """Text made safe for a CSV field whatever separator the file is opened with.

    Quoting a field does not stop a spreadsheet from reading ``x;=10*10`` as two cells when it
    splits on ``;`` (what Excel does with Indonesian regional settings) while the file was
    written with ``,``, so a trigger is neutralised at the start and after every character that
    may start a cell (`CELL_BREAKS`, then any spaces): ``x;=10*10`` becomes ``x;'=10*10``.
    """
    return _TRIGGER_AFTER_BREAK.sub(r"\1'", neutralise(text))
