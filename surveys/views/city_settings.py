"""`/petugas/pengaturan/`: the secretariat sets the city's survey settings (today: how long a
kiosk's offline queue may take to arrive). Anyone but the secretariat gets a 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from surveys import selectors, services
from surveys.access import secretariat_required
from surveys.forms_manage import SurveySettingsForm


@secretariat_required
@require_http_methods(["GET", "POST"])
def survey_settings(request: HttpRequest) -> HttpResponse:
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
