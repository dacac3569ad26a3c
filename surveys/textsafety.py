"""Free text from citizens and staff: refuse characters that hide or disguise what is shown.

Bidirectional controls (e.g. U+202E RIGHT-TO-LEFT OVERRIDE) can make a suggestion read
differently on a staff screen than what was stored; invisible characters (zero-width space,
word joiner, byte-order mark) and control characters hide text; U+FFFD is what undecodable
bytes turn into. Zero-width joiners (used in emoji and some scripts) stay allowed.
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
