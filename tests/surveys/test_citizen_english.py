"""English by the switch: the citizen pages, the questions and the messages all change language."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from surveys.models import Response
from tests.surveys.citizen_support import english_client, filled_form

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
PART = ROOT / "locale" / "en" / "citizen.po.part"
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
CITIZEN_SOURCES = [
    "templates/surveys/citizen",
    "templates/surveys/kiosk",
    "surveys/forms.py",
    "surveys/views/citizen.py",
    "surveys/views/kiosk.py",
    "surveys/views/posters.py",
]
MSGID = re.compile(r'^msgid ((?:".*"\n)+)msgstr(?:\[0\])? ((?:".*"\n)+)', re.M)


def translations(po_text: str) -> dict[str, str]:
    def joined(lines: str) -> str:
        return "".join(re.findall(r'"(.*)"', lines))

    return {joined(msgid): joined(msgstr) for msgid, msgstr in MSGID.findall(po_text) if joined(msgid)}


@pytest.fixture
def english_catalog(tmp_path: Path, settings: Any) -> None:
    """Compile this area's English strings (until the lead merges them into locale/en/django.po)."""
    if not PART.exists():
        return  # merged: the project's own compiled catalogue is used
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (Debian package gettext) is needed to compile the English strings")
    target = tmp_path / "en" / "LC_MESSAGES"
    target.mkdir(parents=True)
    subprocess.run([msgfmt, "-o", str(target / "django.mo"), str(PART)], check=True)
    settings.LOCALE_PATHS = [tmp_path, *settings.LOCALE_PATHS]


@pytest.fixture
def survey(city: Any, instrument: Any, period: Any, english_catalog: None) -> Any:
    return city


def test_the_language_switch_turns_the_form_into_english(survey: Any, instrument: Any) -> None:
    client = Client()
    switched = client.post("/i18n/setlang/", {"language": "en", "next": f"/s/{survey.kelurahan.code}/"})
    assert switched.status_code == 302 and switched["Location"] == f"/s/{survey.kelurahan.code}/"
    html = client.get(switched["Location"]).content.decode()
    assert '<html lang="en">' in html
    assert "The service you received" in html and "Send answers" in html
    assert "We do not ask for your name, phone number or ID number" in html
    waktu = instrument.elements.get(code="WAKTU")
    assert waktu.question_en in html and waktu.option4_en in html
    assert waktu.question_id not in html
    assert ">Female</span>" in html
    assert 'lang="id">Bahasa Indonesia</button>' in html  # the way back


def test_errors_are_in_english_when_english_was_chosen(survey: Any, instrument: Any) -> None:
    page = english_client().post(f"/s/{survey.kelurahan.code}/", filled_form(instrument, age="7", element_BIAYA=""))
    html = page.content.decode()
    assert page.status_code == 400
    assert "Some answers need fixing" in html
    assert "The lowest age is 10 years." in html
    assert '<p class="field-error" id="element_BIAYA-error">Choose one answer.</p>' in html
    assert "Question 4: Choose one answer." in html
    assert not Response.objects.exists()


def test_the_thank_you_page_speaks_english_too(survey: Any, instrument: Any) -> None:
    client = english_client()
    page = client.post(f"/s/{survey.kelurahan.code}/", filled_form(instrument), follow=True)
    assert "Thank you!" in page.content.decode()
    assert "We have received your answers for 24 Ilir." in page.content.decode()


def test_every_string_on_the_citizen_pages_has_an_english_translation(
    tmp_path: Path, settings: Any, monkeypatch: Any
) -> None:
    if shutil.which("xgettext") is None:
        pytest.skip("xgettext (Debian package gettext) is needed to extract the strings")
    for source in CITIZEN_SOURCES:
        target = tmp_path / source
        target.parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / source).is_dir():
            shutil.copytree(ROOT / source, target)
        else:
            shutil.copy(ROOT / source, target)
    (tmp_path / "locale").mkdir()
    settings.LOCALE_PATHS = []
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["en"], no_location=True, verbosity=0)
    wanted = set(translations((tmp_path / "locale/en/LC_MESSAGES/django.po").read_text(encoding="utf-8")))
    known = translations((PART if PART.exists() else CATALOGUE).read_text(encoding="utf-8"))
    missing = sorted(msgid for msgid in wanted if not known.get(msgid))
    assert not missing, missing
