"""The secretariat's review page acts on exactly the held responses it showed, never on ones that
arrived after the page was loaded."""

from __future__ import annotations

import re
from typing import Any

import pytest

from surveys.models import Reason, Response, ResponseState
from tests import builders
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def _hold(city: Any, instrument: Any, period: Any, count: int) -> None:
    for _number in range(count):
        held = {"state": ResponseState.HELD, "reason": Reason.ADDRESS}
        builders.make_response(city.kelurahan, [1] * 9, instrument=instrument, period=period, **held)


def _group_form(page: str) -> dict[str, str]:
    """The hidden fields of the first held group's decision form, as the page rendered them."""
    form = page[page.index('action="/petugas/tinjauan/ditahan/"') :]
    form = form[: form.index("</form>")]
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))


def test_release_counts_only_the_responses_the_page_showed(
    city: Any, instrument: Any, period: Any, secretariat: Any
) -> None:
    client = logged_in(secretariat)
    _hold(city, instrument, period, 5)
    fields = _group_form(client.get("/petugas/tinjauan/").content.decode())
    assert fields["shown"] == "5"
    _hold(city, instrument, period, 3)  # arrive while the secretariat reads the page
    page = client.post("/petugas/tinjauan/ditahan/", {**fields, "decision": "release"}, follow=True)
    assert "5 tanggapan kini dihitung." in page.content.decode()
    assert Response.objects.countable().count() == 5
    assert Response.objects.held().count() == 3  # the newcomers wait for their own look


def test_a_group_that_changed_since_it_was_shown_is_not_touched_and_the_page_says_why(
    city: Any, instrument: Any, period: Any, secretariat: Any
) -> None:
    client = logged_in(secretariat)
    _hold(city, instrument, period, 4)
    fields = _group_form(client.get("/petugas/tinjauan/").content.decode())
    first = Response.objects.held().order_by("pk").first()
    assert first is not None
    first.state = ResponseState.EXCLUDED  # decided in another tab meanwhile
    first.save(update_fields=["state"])
    data = {**fields, "decision": "reject", "note": "Satu alamat, banyak kiriman"}
    page = client.post("/petugas/tinjauan/ditahan/", data, follow=True).content.decode()
    assert "Kelompok ini berubah sejak halaman dimuat (4 ditampilkan, kini 3 ditahan)" in page
    assert Response.objects.held().count() == 3


def test_a_decision_without_the_shown_bounds_is_refused(
    city: Any, instrument: Any, period: Any, secretariat: Any
) -> None:
    _hold(city, instrument, period, 2)
    data = {"unit": city.kelurahan.code, "period": str(period.pk), "reason": Reason.ADDRESS, "decision": "release"}
    page = logged_in(secretariat).post("/petugas/tinjauan/ditahan/", data, follow=True).content.decode()
    assert "Kelompok tanggapan itu tidak dikenal" in page
    assert Response.objects.held().count() == 2
