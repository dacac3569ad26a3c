"""The English catalogue is complete and its compiled form is the one committed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"
needs_gettext = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext (Debian: gettext)")


@needs_gettext
def test_every_message_has_an_english_translation() -> None:
    untranslated = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(CATALOGUE / "django.po")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "msgid" not in untranslated.replace('msgid ""\nmsgstr ""', "", 1)
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-obsolete", str(CATALOGUE / "django.po")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "msgid" not in fuzzy, "fuzzy entries are left out of the compiled catalogue"


@needs_gettext
def test_the_committed_mo_file_is_compiled_from_the_po_file(tmp_path: Path) -> None:
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(CATALOGUE / "django.po")], check=True)
    assert compiled.read_bytes() == (CATALOGUE / "django.mo").read_bytes()
