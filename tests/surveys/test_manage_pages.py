"""The pages a secretariat and unit admins use to run the city: registry upload, services, instruments."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from surveys import naming
from surveys.models import AuditEvent, Instrument, InstrumentState, Response, Service, ServiceUnit
from tests import builders
from tests.conftest import City, logged_in
from tests.surveys.citizen_support import Clock, filled_form

pytestmark = pytest.mark.django_db

REGISTRY = (
    "code;name;kind;parent_code;source\r\n"
    "16,71;Pemerintah Kota Palembang;pemkot;;\r\n"
    "opd-dinkes;Dinas Kesehatan;opd;16.71;\r\n"
    "16.71.04;Ilir Barat I;kecamatan;16.71;\r\n"
    "16.71.04.1001;24 Ilir;kelurahan;16.71.04;\r\n"
    "pkm-dempo;Puskesmas Dempo;puskesmas;16.71.04;\r\n"
    "16.71.07;Sukarami;kecamatan;16.71;\r\n"
    "16.71.07.1005;Sukarami;kelurahan;16.71.07;\r\n"
    "16.71.07.1006;Kebun Bunga;kelurahan;16.71.07;\r\n"
)


def upload(client: Client, text: str, name: str = "registri.csv") -> Any:
    return client.post("/petugas/registri/unggah/", {"berkas": SimpleUploadedFile(name, text.encode("utf-8"))})


class TestRegistryUpload:
    def test_the_preview_changes_nothing_and_apply_changes_it_all(self, city: City, secretariat: Any) -> None:
        client = logged_in(secretariat)
        preview = upload(client, REGISTRY)
        assert preview.status_code == 200
        assert "Kebun Bunga" in preview.content.decode()
        assert not ServiceUnit.objects.filter(code="16.71.07.1006").exists()
        applied = client.post("/petugas/registri/unggah/terapkan/")
        assert applied.status_code == 302
        assert ServiceUnit.objects.get(code="16.71.07.1006").parent == city.other_kecamatan

    def test_a_registry_changed_since_the_preview_is_not_applied(self, city: City, secretariat: Any) -> None:
        client = logged_in(secretariat)
        upload(client, REGISTRY)
        ServiceUnit.objects.filter(pk=city.other_kecamatan.pk).update(name="Sukarami Baru")  # by someone else
        page = client.post("/petugas/registri/unggah/terapkan/", follow=True)
        assert "berubah sejak pratinjau" in page.content.decode()
        assert not ServiceUnit.objects.filter(code="16.71.07.1006").exists()

    def test_a_refused_upload_forgets_the_earlier_preview(self, city: City, secretariat: Any) -> None:
        client = logged_in(secretariat)
        upload(client, REGISTRY)
        upload(client, "bukan registri", name="r.pdf")
        client.post("/petugas/registri/unggah/terapkan/")
        assert not ServiceUnit.objects.filter(code="16.71.07.1006").exists()

    def test_a_bad_file_is_shown_with_its_rows_and_cannot_be_applied(self, city: City, secretariat: Any) -> None:
        client = logged_in(secretariat)
        before = sorted(ServiceUnit.objects.values_list("code", "name", "is_active"))
        page = upload(client, REGISTRY.replace("Kebun Bunga;kelurahan;16.71.07", "Kebun Bunga;kelurahan;16.71.99"))
        assert page.status_code == 400
        assert "Baris 9, kolom parent_code" in page.content.decode()
        assert client.post("/petugas/registri/unggah/terapkan/").status_code == 302
        assert sorted(ServiceUnit.objects.values_list("code", "name", "is_active")) == before

    def test_an_upload_goes_through_the_guarded_door(self, city: City, secretariat: Any) -> None:
        page = logged_in(secretariat).post(
            "/petugas/registri/unggah/", {"berkas": SimpleUploadedFile("r.xlsx", b"PK\x03\x04 not really a zip")}
        )
        assert page.status_code == 400 and "xlsx" in page.content.decode()

    def test_messages_follow_the_users_language(self, city: City, secretariat: Any) -> None:
        client = logged_in(secretariat)
        client.cookies["django_language"] = "en"
        page = upload(client, REGISTRY.replace(";kelurahan;16.71.07;\r\n", ";desa;16.71.07;\r\n"))
        assert page.status_code == 400
        assert "Row 9, column kind" in page.content.decode()


class TestOneUnitPages:
    def test_a_deactivated_unit_leaves_the_finder_and_its_poster_link_says_so(
        self, city: City, instrument: Any, period: Any, secretariat: Any
    ) -> None:
        client = logged_in(secretariat)
        client.post(f"/petugas/registri/unit/{city.other_kelurahan.code}/status/", {"active": "0"})
        assert f"/s/{city.other_kelurahan.code}/" not in Client().get("/s/").content.decode()
        assert Client().get(f"/s/{city.other_kelurahan.code}/").status_code == 410
        client.post(f"/petugas/registri/unit/{city.other_kelurahan.code}/status/", {"active": "1"})
        assert Client().get(f"/s/{city.other_kelurahan.code}/").status_code == 200

    def test_the_population_of_a_period_is_set_and_logged(self, city: City, period: Any, secretariat: Any) -> None:
        logged_in(secretariat).post(
            f"/petugas/registri/unit/{city.kelurahan.code}/populasi/", {"period": period.pk, "population": 1200}
        )
        assert city.kelurahan.populations.get(period=period).population == 1200
        event = AuditEvent.objects.filter(action="unit.population").get()
        assert event.summary == f"Menetapkan populasi 1.200 untuk Kelurahan 24 Ilir pada periode {period.name}"

    def test_a_unit_is_added_under_its_parent_from_the_form(self, city: City, secretariat: Any) -> None:
        response = logged_in(secretariat).post(
            "/petugas/registri/unit-baru/",
            {
                "code": "16.71.04.1009",
                "name": "26 Ilir",
                "kind": "kelurahan",
                "parent": city.kecamatan.pk,
                "area": city.kecamatan.pk,
            },
        )
        assert response.status_code == 302
        assert ServiceUnit.objects.get(code="16.71.04.1009").path == "/16.71/16.71.04/16.71.04.1009/"

    def test_moving_a_unit_under_its_own_child_is_refused_on_the_form(self, city: City, secretariat: Any) -> None:
        page = logged_in(secretariat).post(
            f"/petugas/registri/unit/{city.kecamatan.code}/",
            {"code": city.kecamatan.code, "name": "Ilir Barat I", "kind": "kecamatan", "parent": city.kelurahan.pk},
        )
        assert page.status_code == 400 and "dirinya sendiri" in page.content.decode()
        assert ServiceUnit.objects.get(pk=city.kecamatan.pk).parent == city.root


class TestServices:
    def test_a_unit_admin_adds_renames_and_retires_a_service(self, city: City, kecamatan_admin: Any) -> None:
        client = logged_in(kecamatan_admin)
        base = f"/petugas/unit/{city.kelurahan.code}/layanan/"
        assert client.post(base, {"name": "Legalisir"}).status_code == 302
        service = Service.objects.get(unit=city.kelurahan, name="Legalisir")
        event = AuditEvent.objects.filter(action="service.create").get()
        assert event.summary == "Menambah layanan 'Legalisir' pada Kelurahan 24 Ilir"
        client.post(f"{base}{service.pk}/nama/", {"name": "Legalisir dokumen"})
        client.post(f"{base}{service.pk}/status/", {"active": "0"})
        service.refresh_from_db()
        assert (service.name, service.is_active) == ("Legalisir dokumen", False)

    def test_a_duplicate_name_is_refused_in_words(self, city: City, kecamatan_admin: Any) -> None:
        page = logged_in(kecamatan_admin).post(
            f"/petugas/unit/{city.kelurahan.code}/layanan/", {"name": "surat keterangan domisili"}
        )
        assert page.status_code == 400 and "sudah ada" in page.content.decode()

    def test_a_retired_service_keeps_its_responses_and_leaves_the_form(
        self, city: City, instrument: Any, period: Any, kecamatan_admin: Any
    ) -> None:
        response = builders.make_response(
            city.kelurahan, [4] * 9, instrument=instrument, period=period, service=city.service
        )
        logged_in(kecamatan_admin).post(
            f"/petugas/unit/{city.kelurahan.code}/layanan/{city.service.pk}/status/", {"active": "0"}
        )
        assert Response.objects.get(pk=response.pk).service == city.service
        assert city.service.name not in Client().get(f"/s/{city.kelurahan.code}/").content.decode()


class TestInstruments:
    def test_a_new_version_is_edited_previewed_and_published(
        self, city: City, instrument: Instrument, period: Any, secretariat: Any, clock: Clock
    ) -> None:
        client = logged_in(secretariat)
        client.post(f"/petugas/instrumen/{instrument.pk}/versi-baru/", {"unit": ""})
        draft = Instrument.objects.get(state=InstrumentState.DRAFT)
        first = draft.elements.order_by("order").first()
        assert first is not None
        page = client.get(f"/petugas/instrumen/{draft.pk}/")
        fields = {name: field.initial for name, field in page.context["form"].fields.items()}
        fields[f"e{first.pk}-question_id"] = "Bagaimana pendapat Anda tentang persyaratan layanan kami?"
        fields[f"e{first.pk}-question_en"] = "What do you think of our service requirements?"
        assert client.post(f"/petugas/instrumen/{draft.pk}/", fields).status_code == 302
        preview = client.get(f"/petugas/instrumen/{draft.pk}/pratinjau/?bahasa=en").content.decode()
        assert "What do you think of our service requirements?" in preview
        url = f"/s/{city.kelurahan.code}/"
        assert "persyaratan layanan kami" not in Client().get(url).content.decode()
        client.post(f"/petugas/instrumen/{draft.pk}/terbitkan/")
        instrument.refresh_from_db()
        draft.refresh_from_db()
        assert (instrument.state, draft.state) == (InstrumentState.RETIRED, InstrumentState.PUBLISHED)
        assert "persyaratan layanan kami" in Client().get(url).content.decode()  # the cache saw it at once
        Client().post(url, filled_form(draft))
        assert Response.objects.get().instrument == draft

    def test_a_published_version_never_changes(self, instrument: Instrument, secretariat: Any) -> None:
        element = instrument.elements.order_by("order").first()
        assert element is not None
        logged_in(secretariat).post(f"/petugas/instrumen/{instrument.pk}/", {f"e{element.pk}-question_id": "Baru"})
        element.refresh_from_db()
        assert element.question_id != "Baru"

    def test_a_unit_gets_its_own_version_while_the_city_keeps_the_old_one(
        self, city: City, instrument: Instrument, secretariat: Any
    ) -> None:
        client = logged_in(secretariat)
        client.post(f"/petugas/instrumen/{instrument.pk}/versi-baru/", {"unit": city.kelurahan.pk})
        draft = Instrument.objects.get(state=InstrumentState.DRAFT)
        client.post(f"/petugas/instrumen/{draft.pk}/terbitkan/")
        assert set(Instrument.objects.filter(state=InstrumentState.PUBLISHED).values_list("unit", flat=True)) == {
            None,
            city.kelurahan.pk,
        }


class TestNaturalOrder:
    def test_names_sort_as_people_count(self) -> None:
        names = ["10 Ilir", "2 Ilir", "1 Ilir", "Kemang Manis", "11 Ilir", "3-4 Ulu", "20 Ilir D. I"]
        ordered = naming.by_key(names, lambda name: name)
        assert ordered == ["1 Ilir", "2 Ilir", "3-4 Ulu", "10 Ilir", "11 Ilir", "20 Ilir D. I", "Kemang Manis"]

    def test_the_unit_finder_lists_kelurahan_naturally(self, city: City, instrument: Any, period: Any) -> None:
        for number in (10, 2, 1):
            builders.make_unit(f"16.71.04.2{number:03}", name=f"{number} Ilir", kind="kelurahan", parent=city.kecamatan)
        page = Client().get("/s/").content.decode()
        assert page.index(">1 Ilir<") < page.index(">2 Ilir<") < page.index(">10 Ilir<")


class TestInstrumentServices:
    def test_element_codes_and_order_cannot_be_edited_even_in_a_draft(self, instrument: Instrument) -> None:
        from surveys.services import InstrumentLocked, element_update, instrument_new_version

        draft = instrument_new_version(instrument=instrument)
        element = draft.elements.order_by("order").first()
        assert element is not None
        for change in ({"code": "BARU"}, {"order": "12"}):
            with pytest.raises(InstrumentLocked):
                element_update(element=element, **change)

    def test_publishing_says_in_words_which_version_it_retired(self, instrument: Instrument, secretariat: Any) -> None:
        from surveys.services import instrument_new_version, instrument_publish

        draft = instrument_new_version(instrument=instrument, actor=secretariat)
        instrument_publish(instrument=draft, actor=secretariat)
        event = AuditEvent.objects.filter(action="instrument.publish").order_by("id").last()
        assert event is not None
        assert event.summary == f"Menerbitkan {draft} untuk seluruh kota; {instrument} tidak dipakai lagi"


def test_the_registry_upload_page_lists_the_unit_kinds_a_file_may_use(secretariat: Any) -> None:
    page = logged_in(secretariat).get("/petugas/registri/unggah/").content.decode()
    assert "<code>kelurahan</code> (Kelurahan)" in page and "<code>puskesmas</code> (Puskesmas)" in page
