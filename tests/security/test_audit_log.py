"""The audit log: every staff change is recorded (who, what, when), and nothing can change it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction

from reports import services as report_services
from surveys import services
from surveys.models import Answer, AuditEvent, AuditLogImmutable, Kiosk, Response, StaffProfile, StaffRole
from tests import builders
from tests.conftest import logged_in


def test_registering_and_revoking_a_kiosk_records_who_did_it(city, kecamatan_admin):
    client = logged_in(kecamatan_admin)
    client.post("/petugas/kios/", {"unit": city.kelurahan.pk, "label": "Tablet loket 1"})
    kiosk = Kiosk.objects.get()
    client.post(f"/petugas/kios/{kiosk.pk}/cabut/")
    events = list(AuditEvent.objects.order_by("id").filter(action__startswith="kiosk."))
    assert [event.action for event in events] == ["kiosk.register", "kiosk.revoke"]
    assert {event.actor_username for event in events} == {"admin-ib1"}
    assert {event.unit for event in events} == {city.kelurahan}
    assert events[0].object_label == str(kiosk)


def test_period_close_publish_and_recompute_are_recorded(city, instrument, period, secretariat):
    builders.make_response(city.kelurahan, [4] * 9, instrument=instrument, period=period)
    report_services.period_close(period=period, user=secretariat)
    report_services.snapshot_recompute(period=period, user=secretariat, reason="Koreksi data kertas")
    report_services.period_publish(period=period, user=secretariat)
    actions = list(
        AuditEvent.objects.filter(object_type="surveys.period").order_by("id").values_list("action", flat=True)
    )
    assert actions == ["period.close", "period.recompute", "period.publish"]
    recompute = AuditEvent.objects.get(action="period.recompute")
    assert recompute.detail == {"revision": 2, "reason": "Koreksi data kertas"}
    assert recompute.actor == secretariat


def test_instrument_publish_and_unit_changes_are_recorded(city, secretariat):
    draft = builders.make_instrument(published=False)
    services.instrument_publish(instrument=draft, actor=secretariat)
    city.kelurahan.name = "24 Ilir (baru)"
    services.unit_save(unit=city.kelurahan, actor=secretariat)
    assert AuditEvent.objects.filter(action="instrument.publish", actor=secretariat).count() == 1
    update = AuditEvent.objects.get(action="unit.update", actor=secretariat)
    assert update.unit == city.kelurahan and update.object_label == "24 Ilir (baru)"


def test_a_role_change_in_the_admin_is_recorded(city):
    boss = get_user_model().objects.create_superuser("kepala", password="sandi-uji-yang-panjang-123")
    user = get_user_model().objects.create_user("baru", password="sandi-uji-yang-panjang-123")
    client = logged_in(boss)
    response = client.post(
        "/admin/surveys/staffprofile/add/",
        {"user": user.pk, "role": StaffRole.UNIT_ADMIN, "units": [city.kelurahan.pk]},
    )
    assert response.status_code == 302, response.content[:2000]
    event = AuditEvent.objects.get(action="role.grant")
    assert event.actor == boss
    assert event.detail["units"] == [city.kelurahan.code]
    assert event.object_id == str(StaffProfile.objects.get(user=user).pk)


def test_the_actor_name_stays_after_the_account_is_deleted(city):
    user = get_user_model().objects.create_user("sementara", password="sandi-uji-yang-panjang-123")
    services.kiosk_register(unit=city.kelurahan, label="Tablet", actor=user)
    user.delete()
    event = AuditEvent.objects.get(action="kiosk.register")
    assert event.actor is None and event.actor_username == "sementara"


def test_an_entry_cannot_be_changed_or_deleted_through_the_orm(city, secretariat):
    event = services.audit_record(actor=secretariat, action="test.action", target=city.kelurahan)
    event.action = "something.else"
    with pytest.raises(AuditLogImmutable):
        event.save()
    with pytest.raises(AuditLogImmutable):
        event.delete()
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.action"


@pytest.mark.postgres
def test_postgresql_refuses_to_update_or_delete_an_entry_even_in_raw_sql(city, secretariat):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    event = services.audit_record(actor=secretariat, action="test.action", target=city.kelurahan)
    for statement in (
        "UPDATE surveys_auditevent SET action = 'forged' WHERE id = %s",
        "DELETE FROM surveys_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.action"


def test_the_admin_shows_entries_read_only_and_refuses_changes(city):
    boss = get_user_model().objects.create_superuser("kepala", password="sandi-uji-yang-panjang-123")
    event = services.audit_record(actor=boss, action="test.action", target=city.kelurahan)
    client = logged_in(boss)
    page = client.get(f"/admin/surveys/auditevent/{event.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.post(f"/admin/surveys/auditevent/{event.pk}/change/", {"action": "forged"}).status_code == 403
    assert client.post(f"/admin/surveys/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/surveys/auditevent/add/").status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == "test.action"


def test_the_secretariat_reads_the_log_filtered_by_action(city, secretariat, kecamatan_admin):
    services.kiosk_register(unit=city.kelurahan, label="Tablet A", actor=kecamatan_admin)
    services.audit_record(actor=secretariat, action="period.close", target=city.root)
    page = logged_in(secretariat).get("/petugas/audit/", {"action": "kiosk.register"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tablet A" in html and "admin-ib1" in html
    assert "period.close</code>" not in html


def test_the_log_page_costs_a_fixed_number_of_queries(city, secretariat, django_assert_max_num_queries):
    for number in range(80):
        services.audit_record(actor=secretariat, action="test.action", target=city.kelurahan, detail={"n": number})
    client = logged_in(secretariat)
    with django_assert_max_num_queries(8):
        page = client.get("/petugas/audit/")
    assert page.status_code == 200
    assert "Halaman 1 dari 2" in page.content.decode()


def test_unit_admins_get_a_404_and_visitors_the_login_page(city, kecamatan_admin, client):
    assert logged_in(kecamatan_admin).get("/petugas/audit/").status_code == 404
    response = client.get("/petugas/audit/")
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_a_bad_filter_is_a_clear_message_not_an_error(city, secretariat):
    page = logged_in(secretariat).get("/petugas/audit/", {"action": "'; DROP TABLE x; --", "halaman": "abc"})
    assert page.status_code == 400
    assert "Masukkan pilihan yang valid" in page.content.decode()


def test_exports_and_paper_imports_are_recorded(city, instrument, period, kecamatan_admin, settings, tmp_path):
    settings.EXPORT_ROOT = tmp_path / "exports"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    builders.make_response(city.kelurahan, [4] * 9, instrument=instrument, period=period)
    client = logged_in(kecamatan_admin)
    assert client.get(f"/laporan/unit/{city.kelurahan.code}/periode/{period.pk}/workbook.xlsx").status_code == 200
    client.post(
        "/laporan/ekspor/", {"kind": "raw", "period": period.pk, "unit": "", "file_format": "csv", "weight": "exact"}
    )
    actions = set(AuditEvent.objects.filter(actor=kecamatan_admin).values_list("action", flat=True))
    assert {"export.download", "export.request"} <= actions


def test_the_admin_cannot_delete_or_change_a_response_or_its_answers(city, instrument, period):
    """Tallies and the audit log move only through the services: the admin only shows responses."""
    boss = get_user_model().objects.create_superuser("kepala", password="sandi-uji-yang-panjang-123")
    response = builders.make_response(city.kelurahan, [4] * 9, instrument=instrument, period=period)
    client = logged_in(boss)
    assert client.get(f"/admin/surveys/response/{response.pk}/delete/").status_code == 403
    assert client.post(f"/admin/surveys/response/{response.pk}/delete/", {"post": "yes"}).status_code == 403
    page = client.get(f"/admin/surveys/response/{response.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content and b'class="deletelink' not in page.content
    bulk = {"action": "delete_selected", "_selected_action": [response.pk], "post": "yes"}
    client.post("/admin/surveys/response/", bulk)
    assert client.get("/admin/surveys/response/add/").status_code == 403
    assert Response.objects.filter(pk=response.pk).exists() and Answer.objects.filter(response=response).count() == 9
