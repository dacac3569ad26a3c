"""Staff accounts: the secretariat creates, deactivates and reactivates them; a one-time e-mailed
link sets a password (for a new account and "Lupa kata sandi?" alike); deactivation ends sessions."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse

from surveys import access, services
from surveys.models import AuditEvent, StaffProfile, StaffRole
from tests.conftest import PASSWORD, logged_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Pempek-Kapal-Selam-42"


def _link(message: Any) -> str:
    found = re.search(r"https?://[^/\s]+(/akun/atur-sandi/\S+/)", message.body)
    assert found, message.body
    return found.group(1)


def _create(client: Client, **changes: Any) -> Any:
    data = {"username": "budi", "email": "budi@example.org", "role": "unit_admin", **changes}
    return client.post(reverse("account-create"), data)


def _logs_in(username: str, password: str) -> bool:
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302 and response["Location"] == reverse("staff-home")


def _sessions_of(user: Any) -> int:
    return sum(1 for session in Session.objects.all() if session.get_decoded().get("_auth_user_id") == str(user.pk))


def _accounts() -> list[tuple[str, bool]]:
    return sorted(get_user_model().objects.values_list("username", "is_active"))


def test_a_new_unit_admin_gets_a_link_sets_a_password_and_sees_only_their_units(city: Any, secretariat: Any) -> None:
    response = _create(logged_in(secretariat), units=[city.kecamatan.pk])
    assert response.status_code == 302 and response["Location"] == reverse("account-list")
    budi = get_user_model().objects.get(username="budi")
    assert budi.is_active and not budi.has_usable_password()
    assert budi.staff_profile.role == StaffRole.UNIT_ADMIN
    assert set(access.visible_units(budi)) == {city.kecamatan, city.kelurahan}  # a kecamatan sees its kelurahan
    event = AuditEvent.objects.get(action="account.create")
    assert event.summary == "Membuat akun 'budi' sebagai admin unit Ilir Barat I" and event.actor == secretariat

    (message,) = mail.outbox
    assert message.to == ["budi@example.org"] and "budi" in message.body
    visitor = Client()
    form_page = visitor.get(_link(message), follow=True)
    assert form_page.status_code == 200 and "new_password1" in form_page.content.decode()
    done = visitor.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert AuditEvent.objects.filter(action="account.password", actor=budi).exists()
    assert _logs_in("budi", NEW_PASSWORD)

    again = Client().get(_link(message), follow=True).content.decode()
    assert "sudah tidak berlaku" in again  # the link worked once


def test_a_weak_password_is_refused_by_the_configured_validators(city: Any, secretariat: Any) -> None:
    _create(logged_in(secretariat), role="secretariat")
    visitor = Client()
    page = visitor.get(_link(mail.outbox[0]), follow=True)
    refused = visitor.post(page.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"})
    assert refused.status_code == 200
    assert not get_user_model().objects.get(username="budi").has_usable_password()


def test_forgotten_password_sends_a_link_from_the_login_page(city: Any, kecamatan_admin: Any) -> None:
    kecamatan_admin.email = "admin@ib1.example.org"
    kecamatan_admin.save()
    login = Client().get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in login and "Lupa kata sandi?" in login
    visitor = Client()
    sent = visitor.post(reverse("password_reset"), {"email": "ADMIN@ib1.example.org"})
    assert sent.status_code == 302 and sent["Location"] == reverse("password_reset_done")
    (message,) = mail.outbox
    page = visitor.get(_link(message), follow=True)
    visitor.post(page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert _logs_in("admin-ib1", NEW_PASSWORD)


def test_an_unknown_or_inactive_address_gets_the_same_answer_and_no_mail(city: Any, kecamatan_admin: Any) -> None:
    kecamatan_admin.email = "admin@ib1.example.org"
    kecamatan_admin.is_active = False
    kecamatan_admin.save()
    for email in ("admin@ib1.example.org", "siapa@example.org"):
        assert Client().post(reverse("password_reset"), {"email": email})["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"username": "ANALIS"}, "username", "sudah dipakai"),
        ({"username": "budi santoso"}, "username", "tanpa spasi"),
        ({"email": "bukan-email"}, "email", ""),
        ({"email": "Analis@Example.org"}, "email", "sudah dipakai akun lain"),
        ({"units": []}, "units", "paling sedikit satu unit"),
        ({"role": "superuser"}, "role", ""),
    ],
)
def test_bad_account_input_is_refused_with_a_message_and_nothing_is_created(
    city: Any, secretariat: Any, changes: dict[str, Any], field: str, message: str
) -> None:
    secretariat.email = "analis@example.org"
    secretariat.save()
    before = _accounts()
    response = _create(logged_in(secretariat), **{"units": [city.kelurahan.pk], **changes})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert _accounts() == before and mail.outbox == []
    assert not AuditEvent.objects.filter(action__startswith="account.").exists()


def test_the_service_refuses_the_same_input_without_a_form(city: Any, secretariat: Any) -> None:
    with pytest.raises(services.AccountError, match="paling sedikit satu unit"):
        services.account_create(actor=secretariat, username="budi", email="budi@example.org", role="unit_admin")
    with pytest.raises(services.AccountError, match="e-mail tidak sah"):
        services.account_create(actor=secretariat, username="budi", email="budi@", role="secretariat")
    assert not get_user_model().objects.filter(username="budi").exists()


def test_deactivating_ends_the_accounts_sessions_at_once(city: Any, secretariat: Any, kecamatan_admin: Any) -> None:
    admin_client = Client()
    admin_client.post(reverse("login"), {"username": "admin-ib1", "password": PASSWORD})
    assert admin_client.get(reverse("unit-dashboard", args=[city.kelurahan.code])).status_code == 200
    assert _sessions_of(kecamatan_admin) == 1
    response = logged_in(secretariat).post(reverse("account-deactivate", args=[kecamatan_admin.pk]), follow=True)
    assert "dinonaktifkan" in response.content.decode()
    kecamatan_admin.refresh_from_db()
    assert not kecamatan_admin.is_active and _sessions_of(kecamatan_admin) == 0
    assert _sessions_of(secretariat) == 1
    locked_out = admin_client.get(reverse("unit-dashboard", args=[city.kelurahan.code]))
    assert locked_out.status_code == 302 and locked_out["Location"].startswith(reverse("login"))
    assert not _logs_in("admin-ib1", PASSWORD)
    event = AuditEvent.objects.get(action="account.deactivate")
    assert event.summary == "Menonaktifkan akun 'admin-ib1'" and event.detail == {"sessions_ended": 1}

    logged_in(secretariat).post(reverse("account-reactivate", args=[kecamatan_admin.pk]))
    assert _logs_in("admin-ib1", PASSWORD)
    assert AuditEvent.objects.get(action="account.reactivate").summary == "Mengaktifkan kembali akun 'admin-ib1'"


def test_nobody_deactivates_their_own_account(city: Any, secretariat: Any) -> None:
    page = logged_in(secretariat).post(reverse("account-deactivate", args=[secretariat.pk]), follow=True)
    assert "akun Anda sendiri" in page.content.decode()
    secretariat.refresh_from_db()
    assert secretariat.is_active and not AuditEvent.objects.filter(action="account.deactivate").exists()


def test_the_last_active_secretariat_account_stays_active(city: Any, secretariat: Any) -> None:
    sari = services.account_create(actor=secretariat, username="sari", email="sari@example.org", role="secretariat")
    services.account_deactivate(actor=sari, user=secretariat)  # another secretariat account remains
    root = get_user_model().objects.create_superuser(username="root", email="root@example.org", password=PASSWORD)
    with pytest.raises(services.AccountError, match="akun sekretariat aktif terakhir"):
        services.account_deactivate(actor=root, user=sari)
    sari.refresh_from_db()
    assert sari.is_active


def test_the_list_shows_each_account_and_never_offers_to_delete(
    city: Any, secretariat: Any, kecamatan_admin: Any
) -> None:
    html = logged_in(secretariat).get(reverse("account-list")).content.decode()
    assert "admin-ib1" in html and "Ilir Barat I" in html and "analis" in html
    assert reverse("account-deactivate", args=[kecamatan_admin.pk]) in html
    assert reverse("account-deactivate", args=[secretariat.pk]) not in html  # not one's own
    assert "/hapus/" not in html


def test_a_superuser_is_not_managed_here(city: Any, secretariat: Any) -> None:
    root = get_user_model().objects.create_superuser(username="root", email="root@example.org", password=PASSWORD)
    StaffProfile.objects.create(user=root, role=StaffRole.SECRETARIAT)
    assert logged_in(secretariat).post(reverse("account-deactivate", args=[root.pk])).status_code == 404
    root.refresh_from_db()
    assert root.is_active


def test_asking_for_a_link_without_a_csrf_token_is_refused(city: Any, kecamatan_admin: Any) -> None:
    kecamatan_admin.email = "admin@ib1.example.org"
    kecamatan_admin.save()
    response = Client(enforce_csrf_checks=True).post(reverse("password_reset"), {"email": "admin@ib1.example.org"})
    assert response.status_code == 403 and mail.outbox == []


def test_an_admin_gets_another_unit_and_the_log_says_so_in_words(
    city: Any, secretariat: Any, kecamatan_admin: Any
) -> None:
    url = reverse("account-edit", args=[kecamatan_admin.pk])
    client = logged_in(secretariat)
    assert client.get(url).status_code == 200
    data = {"email": "ib1@example.org", "role": "unit_admin", "units": [city.kecamatan.pk, city.puskesmas.pk]}
    assert client.post(url, data).status_code == 302
    assert set(access.home_units(kecamatan_admin)) == {city.kecamatan, city.puskesmas}
    event = AuditEvent.objects.get(action="account.update")
    assert event.summary == (
        "Mengubah akun 'admin-ib1' dari admin unit Ilir Barat I menjadi admin unit Ilir Barat I dan Puskesmas Dempo"
    )


def test_a_bad_edit_changes_nothing(city: Any, secretariat: Any, kecamatan_admin: Any) -> None:
    url = reverse("account-edit", args=[kecamatan_admin.pk])
    response = logged_in(secretariat).post(url, {"email": "ib1@example.org", "role": "unit_admin", "units": []})
    assert response.status_code == 400 and "paling sedikit satu unit" in response.content.decode()
    kecamatan_admin.refresh_from_db()
    assert kecamatan_admin.email == "" and list(kecamatan_admin.staff_profile.units.all()) == [city.kecamatan]
    assert not AuditEvent.objects.filter(action="account.update").exists()


def test_the_last_secretariat_cannot_become_a_unit_admin(city: Any, secretariat: Any) -> None:
    with pytest.raises(services.AccountError, match="melepas peran sekretariat"):
        services.account_update(
            actor=secretariat, user=secretariat, email="a@example.org", role="unit_admin", units=[city.kelurahan]
        )
    root = get_user_model().objects.create_superuser(username="root", email="root@example.org", password=PASSWORD)
    with pytest.raises(services.AccountError, match="akun sekretariat aktif terakhir"):
        services.account_update(
            actor=root, user=secretariat, email="a@example.org", role="unit_admin", units=[city.kelurahan]
        )
    assert StaffProfile.objects.get(user=secretariat).role == StaffRole.SECRETARIAT


def test_asking_for_links_again_and_again_is_stopped(city: Any, kecamatan_admin: Any, settings: Any) -> None:
    settings.PASSWORD_RESET_PER_HOUR = 2
    kecamatan_admin.email = "admin@ib1.example.org"
    kecamatan_admin.save()
    statuses = [
        Client().post(reverse("password_reset"), {"email": "admin@ib1.example.org"}).status_code for _ in range(3)
    ]
    assert statuses == [302, 302, 429] and len(mail.outbox) == 2


def test_a_superuser_makes_the_first_secretariat_account_from_an_empty_city(db: Any) -> None:
    root = get_user_model().objects.create_superuser(username="root", email="root@example.org", password=PASSWORD)
    client = logged_in(root)
    assert reverse("account-list") in client.get(reverse("audit-log")).content.decode()  # in the menu
    response = client.post(
        reverse("account-create"), {"username": "sekretariat", "email": "skm@example.org", "role": "secretariat"}
    )
    assert response.status_code == 302
    created = get_user_model().objects.get(username="sekretariat")
    assert access.is_secretariat(created) and mail.outbox[0].to == ["skm@example.org"]
    assert AuditEvent.objects.get(action="account.create").summary == "Membuat akun 'sekretariat' sebagai sekretariat"


def test_a_mail_server_that_fails_leaves_the_account_and_says_so(
    city: Any, secretariat: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("django.contrib.auth.forms.PasswordResetForm.send_mail", refuse)
    client = logged_in(secretariat)
    data = {"username": "budi", "email": "budi@example.org", "role": "secretariat"}
    page = client.post(reverse("account-create"), data, follow=True).content.decode()
    assert "Akun &#x27;budi&#x27; dibuat." in page and "tidak dapat dikirim" in page
    assert get_user_model().objects.filter(username="budi", is_active=True).exists()
    assert AuditEvent.objects.filter(action="account.create").exists()
    assert not AuditEvent.objects.filter(action="account.link").exists()
