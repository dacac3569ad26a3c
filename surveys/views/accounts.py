"""`/petugas/akun/`: the secretariat lists, creates, deactivates and reactivates staff accounts
(never deletes them). Everyone else gets a 404. Each change is one POST URL and one service."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from surveys import ratelimit, services
from surveys.access import secretariat_required
from surveys.forms_accounts import AccountCreateForm, AccountEditForm, StaffPasswordResetForm
from surveys.models import StaffProfile


def _managed_account_or_404(pk: int) -> Any:
    """A staff account the secretariat manages (one with a staff profile, never a superuser)."""
    user = (
        get_user_model()
        .objects.filter(pk=pk, is_superuser=False, staff_profile__isnull=False)
        .select_related("staff_profile")
        .first()
    )
    if user is None:
        raise Http404("account not found")
    return user


@secretariat_required
@require_http_methods(["GET"])
def account_list(request: HttpRequest) -> HttpResponse:
    profiles = (
        StaffProfile.objects.select_related("user")
        .prefetch_related("units")
        .filter(user__is_superuser=False)
        .order_by("-user__is_active", "user__username")
    )
    return render(request, "surveys/accounts/list.html", {"profiles": profiles})


@secretariat_required
@require_http_methods(["GET", "POST"])
def account_create(request: HttpRequest) -> HttpResponse:
    """A new account gets no password: its owner sets one through the e-mailed one-time link."""
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.account_create(
                actor=request.user,
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                units=list(form.cleaned_data["units"]),
            )
        except services.AccountError as refused:
            form.add_error(refused.field or None, str(refused))
        else:
            try:
                services.account_link_send(
                    actor=request.user,
                    user=user,
                    domain=request.get_host(),
                    use_https=request.is_secure(),
                    new_account=True,
                )
            except services.AccountError as unsent:  # the account stands; the link can be sent again
                messages.warning(
                    request, _("Akun '%(username)s' dibuat.") % {"username": user.get_username()} + " " + str(unsent)
                )
            else:
                messages.success(
                    request,
                    _("Akun '%(username)s' dibuat. Tautan untuk mengatur kata sandi dikirim ke %(email)s.")
                    % {"username": user.get_username(), "email": form.cleaned_data["email"]},
                )
            return redirect("account-list")
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/accounts/create.html", {"form": form}, status=status)


@secretariat_required
@require_http_methods(["GET", "POST"])
def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an account's e-mail address, role or units; the username stays."""
    account = _managed_account_or_404(pk)
    profile = account.staff_profile
    initial = {"email": account.email, "role": profile.role, "units": list(profile.units.all())}
    form = AccountEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_update(
                actor=request.user,
                user=account,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                units=list(form.cleaned_data["units"]),
            )
        except services.AccountError as refused:
            form.add_error(refused.field or None, str(refused))
        else:
            messages.success(request, _("Akun '%(username)s' disimpan.") % {"username": account.get_username()})
            return redirect("account-list")
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/accounts/edit.html", {"form": form, "account": account}, status=status)


def _act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _managed_account_or_404(pk)
    name = user.get_username()
    try:
        if action == "deactivate":
            services.account_deactivate(actor=request.user, user=user)
            messages.success(request, _("Akun '%(username)s' dinonaktifkan; sesinya diakhiri.") % {"username": name})
        elif action == "reactivate":
            services.account_reactivate(actor=request.user, user=user)
            messages.success(request, _("Akun '%(username)s' aktif kembali.") % {"username": name})
        else:
            services.account_link_send(
                actor=request.user, user=user, domain=request.get_host(), use_https=request.is_secure()
            )
            messages.success(
                request,
                _("Tautan untuk mengatur kata sandi dikirim ke e-mail akun '%(username)s'.") % {"username": name},
            )
    except services.AccountError as refused:
        messages.error(request, str(refused))
    return redirect("account-list")


@secretariat_required
@require_POST
def account_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "deactivate")


@secretariat_required
@require_POST
def account_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "reactivate")


@secretariat_required
@require_POST
def account_link(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "link")


class StaffPasswordResetView(auth_views.PasswordResetView):
    """ "Lupa kata sandi?": Django's view, with a ceiling on links asked for from one address and
    for one e-mail address an hour, so nobody can flood a mailbox or the city's mail server."""

    form_class = StaffPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form: Any) -> HttpResponse:
        email = form.cleaned_data["email"].casefold()
        digest = hashlib.sha256(f"{settings.SECRET_KEY}:reset:{email}".encode()).hexdigest()[:32]
        limits = [
            ratelimit.Limit(f"reset:{ratelimit.address_bucket(self.request)}", settings.PASSWORD_RESET_PER_HOUR, 3600),
            ratelimit.Limit(f"reset-mail:{digest}", settings.PASSWORD_RESET_PER_HOUR, 3600),
        ]
        if ratelimit.take(limits):
            form.add_error(None, _("Terlalu banyak permintaan tautan. Coba lagi dalam satu jam."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """Django's page behind the e-mailed link; setting the password is written to the audit log."""

    def form_valid(self, form: SetPasswordForm[Any]) -> HttpResponse:
        response = super().form_valid(form)
        services.account_password_set(user=form.user)
        return response
