"""`/petugas/pengaturan/`: the secretariat sets the city's survey settings (today: how long a
kiosk's offline queue may take to arrive). Anyone but the secretariat gets a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from surveys import access, selectors, services
from surveys.forms_manage import SurveySettingsForm


@login_required
@require_http_methods(["GET", "POST"])
def survey_settings(request: HttpRequest) -> HttpResponse:
    if not access.is_secretariat(request.user):
        raise Http404("secretariat only")
    current = selectors.survey_settings()
    form = SurveySettingsForm(request.POST or None, initial={"kiosk_queue_grace_days": current.kiosk_queue_grace_days})
    if request.method == "POST" and form.is_valid():
        try:
            services.kiosk_queue_grace_set(actor=request.user, days=form.cleaned_data["kiosk_queue_grace_days"])
        except services.SettingsError as refused:
            form.add_error("kiosk_queue_grace_days", str(refused))
        else:
            messages.success(request, _("Pengaturan survei disimpan."))
            return redirect("survey-settings")
    return render(
        request,
        "surveys/settings.html",
        {"form": form, "current": current},
        status=400 if form.errors else 200,
    )
