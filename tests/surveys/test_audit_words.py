"""The audit page names every action and detail in words, never by its stored key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from surveys import audit_words, services
from surveys.models import AuditEvent
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def recorded_actions() -> set[str]:
    """Every action key the code records (read from the source, so a new one cannot be missed)."""
    keys: set[str] = set()
    for path in [*ROOT.glob("surveys/**/*.py"), *ROOT.glob("reports/**/*.py")]:
        text = path.read_text(encoding="utf-8")
        for call in re.finditer(r"audit_record\((.*?)\)\n", text, re.S):
            keys.update(re.findall(r'"([a-z_]+(?:\.[a-z_]+)?)"', call.group(1).split("target")[0]))
    return {key for key in keys if key not in {"action", "actor"}}


def test_every_recorded_action_has_words() -> None:
    actions = recorded_actions()
    assert {"export.download", "period.close", "response.exclusion_decline"} <= actions
    assert actions - set(audit_words.ACTIONS) == set()


def test_the_audit_page_shows_words_not_keys_nor_true_false(city, secretariat):
    services.audit_record(
        actor=secretariat,
        action="import",
        target=city.kelurahan,
        detail={"file": "kertas.xlsx", "created": 3, "already_there": True, "held": False, "reasons": ["too_fast"]},
    )
    services.audit_record(actor=secretariat, action="response.mark_spam", target=city.kelurahan)
    page = logged_in(secretariat).get("/petugas/audit/").content.decode()
    assert "Berkas respons kertas diimpor" in page and "Respons ditandai sebagai kiriman tidak sah" in page
    assert "sudah ada sebelumnya: ya" in page and "ditahan untuk ditinjau: tidak" in page
    assert "Diisi lebih cepat daripada yang mungkin bagi orang" in page
    for code in ("response.mark_spam", "already_there", "True", "False", "too_fast", "<code>"):
        assert code not in page.split("</form>")[1], code


def test_the_audit_filter_offers_actions_in_words(city, secretariat):
    services.audit_record(actor=secretariat, action="export.download", target=city.kelurahan)
    page = logged_in(secretariat).get("/petugas/audit/").content.decode()
    assert '<option value="export.download">Berkas diunduh</option>' in page


def test_the_audit_page_speaks_english_in_english(city, secretariat):
    services.audit_record(actor=secretariat, action="period.close", target=city.kelurahan, detail={"held": True})
    client = logged_in(secretariat)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/petugas/audit/").content.decode()
    assert "Period closed" in page and "held for review: yes" in page


def test_an_element_code_in_an_objects_label_is_named(city, secretariat):
    event = AuditEvent.objects.create(actor_username="x", action="followup.create", object_label="161/11 PENGADUAN")
    assert audit_words.describe(event).object_label == "161/11 Penanganan Pengaduan, Saran dan Masukan"
