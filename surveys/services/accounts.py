"""Staff accounts: the secretariat creates, changes, deactivates and reactivates them (never
deletes: the audit log keeps the name). A new account has no password; its owner sets one through
the one-time link `account_link_send` e-mails with Django's password-reset machinery."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from importlib import import_module
from typing import Any, cast

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from surveys.models import ServiceUnit, StaffProfile, StaffRole
from surveys.services.audit import AnyUser, audit_record, in_site_language

USERNAME_MAX = 150
logger = logging.getLogger(__name__)


class AccountError(ValueError):
    """An account change that is refused; `field` names the form field it concerns ("" = none)."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def role_words(*, role: str, units: Sequence[ServiceUnit]) -> str:
    """'sekretariat', or 'admin unit Kelurahan 24 Ilir dan Puskesmas Dempo'."""
    if role == StaffRole.SECRETARIAT:
        return _("sekretariat")
    names = get_text_list([unit.name for unit in units], _("dan"))
    return _("admin unit %(units)s") % {"units": names}


def _clean_new_account(*, username: str, email: str, role: str, units: Sequence[ServiceUnit]) -> str:
    """The username to store, or an AccountError naming the field at fault."""
    username = username.strip()
    if not username:
        raise AccountError(_("Isi nama pengguna."), field="username")
    if len(username) > USERNAME_MAX:
        raise AccountError(_("Nama pengguna paling panjang 150 karakter."), field="username")
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        raise AccountError(
            _("Nama pengguna hanya boleh berisi huruf, angka, dan tanda @ . + - _ tanpa spasi."), field="username"
        ) from None
    user_model = get_user_model()
    if user_model.objects.filter(username__iexact=username).exists():
        raise AccountError(
            _("Nama pengguna '%(username)s' sudah dipakai (akun nonaktif juga tetap menyimpan namanya).")
            % {"username": username},
            field="username",
        )
    _check_email(email=email, other_than=None)
    _check_role(role=role, units=units)
    return username


def _check_email(*, email: str, other_than: AbstractBaseUser | None) -> None:
    try:
        validate_email(email)
    except ValidationError:
        raise AccountError(_("Alamat e-mail tidak sah."), field="email") from None
    taken = get_user_model().objects.filter(email__iexact=email)
    if other_than is not None:
        taken = taken.exclude(pk=other_than.pk)
    if taken.exists():
        raise AccountError(_("Alamat e-mail ini sudah dipakai akun lain."), field="email")


def _check_role(*, role: str, units: Sequence[ServiceUnit]) -> None:
    if role not in StaffRole.values:
        raise AccountError(_("Pilih peran akun."), field="role")
    if role == StaffRole.UNIT_ADMIN and not units:
        raise AccountError(_("Admin unit harus mengelola paling sedikit satu unit."), field="units")
    if any(not unit.is_active for unit in units):
        raise AccountError(_("Unit yang tidak aktif tidak dapat diberikan kepada admin."), field="units")


def _refuse_losing_the_last_secretariat(*, user: AbstractBaseUser) -> None:
    """Refuse a change that would leave the city without an active secretariat account (the
    secretariat's profiles stay locked until the caller's transaction ends)."""
    secretariat = StaffProfile.objects.select_for_update().filter(role=StaffRole.SECRETARIAT, user__is_active=True)
    if not secretariat.exclude(user_id=user.pk).exists():
        raise AccountError(
            _("'%(username)s' adalah akun sekretariat aktif terakhir; buat akun sekretariat lain dulu.")
            % {"username": user.get_username()}
        )


def account_create(
    *, actor: AnyUser, username: str, email: str, role: str, units: Sequence[ServiceUnit] = ()
) -> AbstractBaseUser:
    """Create a staff account without a usable password (its owner sets one through the e-mailed
    link), with its role and, for a unit admin, the units it manages (each with its subtree)."""
    email = email.strip()
    units = [] if role == StaffRole.SECRETARIAT else sorted(units, key=lambda unit: unit.name)
    with transaction.atomic():
        username = _clean_new_account(username=username, email=email, role=role, units=units)
        try:
            with transaction.atomic():
                user = get_user_model().objects.create_user(username=username, email=email, password=None)
        except IntegrityError:  # the same name, created by another request a moment ago
            raise AccountError(
                _("Nama pengguna '%(username)s' sudah dipakai (akun nonaktif juga tetap menyimpan namanya).")
                % {"username": username},
                field="username",
            ) from None
        profile = StaffProfile.objects.create(user=user, role=role)
        profile.units.set(units)
        audit_record(
            actor=actor,
            action="account.create",
            target=user,
            unit=units[0] if len(units) == 1 else None,
            detail={"role": role, "units": [unit.code for unit in units]},
            summary=in_site_language(
                lambda: (
                    _("Membuat akun '%(username)s' sebagai %(role)s")
                    % {"username": username, "role": role_words(role=role, units=units)}
                )
            ),
        )
    return user


def account_update(
    *, actor: AnyUser, user: AbstractBaseUser, email: str, role: str, units: Sequence[ServiceUnit] = ()
) -> AbstractBaseUser:
    """Change an account's e-mail address, role or units (all checked first, then all saved)."""
    email = email.strip()
    units = [] if role == StaffRole.SECRETARIAT else sorted(units, key=lambda unit: unit.name)
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        profile = _managed(user)
        _check_email(email=email, other_than=user)
        _check_role(role=role, units=units)
        before_units = sorted(profile.units.all(), key=lambda unit: unit.name)
        before_role = profile.role
        if profile.role == StaffRole.SECRETARIAT and role != StaffRole.SECRETARIAT:
            if user.pk == actor.pk:
                raise AccountError(
                    _("Anda tidak dapat melepas peran sekretariat dari akun Anda sendiri."), field="role"
                )
            if user.is_active:
                _refuse_losing_the_last_secretariat(user=user)
        old_email = getattr(user, "email", "")
        if (old_email, profile.role, before_units) == (email, role, units):
            return user
        cast(Any, user).email = email
        user.save(update_fields=["email"])
        profile.role = role
        profile.save(update_fields=["role"])
        profile.units.set(units)
        audit_record(
            actor=actor,
            action="account.update",
            target=user,
            unit=units[0] if len(units) == 1 else None,
            detail={"role": role, "units": [unit.code for unit in units], "email_changed": old_email != email},
            summary=in_site_language(
                lambda: (
                    _("Mengubah alamat e-mail akun '%(username)s'") % {"username": user.get_username()}
                    if (before_role, before_units) == (role, units)
                    else _("Mengubah akun '%(username)s' dari %(before)s menjadi %(after)s")
                    % {
                        "username": user.get_username(),
                        "before": role_words(role=before_role, units=before_units),
                        "after": role_words(role=role, units=units),
                    }
                )
            ),
        )
    return user


def _managed(user: AbstractBaseUser) -> StaffProfile:
    """The staff profile of an account the secretariat may manage (never a superuser's)."""
    profile = StaffProfile.objects.filter(user_id=user.pk).first()
    if profile is None or getattr(user, "is_superuser", False):
        raise AccountError(_("Akun ini tidak dikelola di sini."))
    return profile


def account_deactivate(*, actor: AnyUser, user: AbstractBaseUser) -> AbstractBaseUser:
    """Stop an account from signing in and end its sessions at once. Refused for one's own
    account and for the last active secretariat account (the city would lock itself out)."""
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        profile = _managed(user)
        if user.pk == actor.pk:
            raise AccountError(_("Anda tidak dapat menonaktifkan akun Anda sendiri."))
        if not user.is_active:
            raise AccountError(_("Akun '%(username)s' sudah nonaktif.") % {"username": user.get_username()})
        if profile.role == StaffRole.SECRETARIAT:
            _refuse_losing_the_last_secretariat(user=user)
        user.is_active = False
        user.save(update_fields=["is_active"])
        ended = sessions_end(user=user)
        audit_record(
            actor=actor,
            action="account.deactivate",
            target=user,
            detail={"sessions_ended": ended},
            summary=in_site_language(
                lambda: _("Menonaktifkan akun '%(username)s'") % {"username": user.get_username()}
            ),
        )
    return user


def account_reactivate(*, actor: AnyUser, user: AbstractBaseUser) -> AbstractBaseUser:
    """Let a deactivated account sign in again, with the role and units it had."""
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        _managed(user)
        if user.is_active:
            raise AccountError(_("Akun '%(username)s' sudah aktif.") % {"username": user.get_username()})
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="account.reactivate",
            target=user,
            summary=in_site_language(
                lambda: _("Mengaktifkan kembali akun '%(username)s'") % {"username": user.get_username()}
            ),
        )
    return user


def account_link_sent(*, actor: AnyUser, user: AbstractBaseUser) -> None:
    """Record that the secretariat sent an account its one-time link to set a password."""
    audit_record(
        actor=actor,
        action="account.link",
        target=user,
        summary=in_site_language(
            lambda: _("Mengirim tautan atur kata sandi ke akun '%(username)s'") % {"username": user.get_username()}
        ),
    )


def account_password_set(*, user: AbstractBaseUser) -> None:
    """Record that an account's owner set a new password through an e-mailed link."""
    audit_record(
        actor=user,
        action="account.password",
        target=user,
        summary=in_site_language(
            lambda: _("Akun '%(username)s' mengatur kata sandi lewat tautan e-mail") % {"username": user.get_username()}
        ),
    )


def sessions_end(*, user: AbstractBaseUser) -> int:
    """End every stored session of `user`; returns how many. Deactivation alone already shuts
    them out (Django refuses an inactive user on each request); this removes them outright."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            store(session_key=session.session_key).delete()
            ended += 1
    return ended


def account_link_send(
    *, actor: AnyUser, user: AbstractBaseUser, domain: str, use_https: bool, new_account: bool = False
) -> None:
    """E-mail an account the one-time link to set its password (Django's password-reset token:
    it stops working once the password changes, or after PASSWORD_RESET_TIMEOUT), and record it."""
    email = getattr(user, "email", "")
    if not email:
        raise AccountError(_("Akun '%(username)s' tidak punya alamat e-mail.") % {"username": user.get_username()})
    if not user.is_active:
        raise AccountError(_("Akun '%(username)s' nonaktif; aktifkan dulu.") % {"username": user.get_username()})
    context = {
        "email": email,
        "domain": domain,
        "site_name": settings.SITE_NAME,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(cast(Any, user)),
        "protocol": "https" if use_https else "http",
    }
    kind = "account_new" if new_account else "password_reset"
    try:
        PasswordResetForm().send_mail(
            f"registration/{kind}_subject.txt", f"registration/{kind}_email.txt", context, None, email
        )
    except (smtplib.SMTPException, OSError):
        logger.exception("the link for account %s could not be e-mailed", user.pk)
        raise AccountError(
            _("E-mail ke %(email)s tidak dapat dikirim. Periksa pengaturan e-mail, lalu kirim tautannya lagi.")
            % {"email": email}
        ) from None
    account_link_sent(actor=actor, user=user)
