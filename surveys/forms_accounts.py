"""Forms for staff accounts (secretariat) and for setting a forgotten password."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from surveys.models import ServiceUnit, StaffRole


class UnitChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Units as checkboxes, indented by their depth in the tree (no JavaScript needed)."""

    def label_from_instance(self, obj: Any) -> str:
        unit: ServiceUnit = obj
        depth = max(0, unit.path.count("/") - 2)
        return f"{'— ' * depth}{unit.name} ({unit.get_kind_display()} · {unit.code})"


class AccountCreateForm(forms.Form):
    username = forms.CharField(
        label=_("Nama pengguna"), max_length=150, help_text=_("Huruf, angka, dan @ . + - _ tanpa spasi.")
    )
    email = forms.EmailField(
        label=_("Alamat e-mail"), help_text=_("Tautan untuk mengatur kata sandi dikirim ke alamat ini.")
    )
    role = forms.ChoiceField(
        label=_("Peran"), choices=StaffRole.choices, widget=forms.RadioSelect, initial=StaffRole.UNIT_ADMIN
    )
    units = UnitChoiceField(
        label=_("Unit yang dikelola (untuk admin unit)"),
        queryset=ServiceUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Admin kecamatan juga melihat kelurahannya; admin dinas melihat unit di bawahnya."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["units"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = ServiceUnit.objects.active().order_by("path")


class AccountEditForm(AccountCreateForm):
    """The same fields but the username, which never changes (the audit log names it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["username"]


class StaffPasswordResetForm(PasswordResetForm):
    """ "Lupa kata sandi?": also reaches an active account that never set a password (its first
    link expired), which Django's own form skips."""

    def get_users(self, email: str) -> Iterator[Any]:
        users = get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
        return (user for user in users if user.email and user.email.casefold() == email.casefold())
