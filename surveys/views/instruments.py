"""`/petugas/instrumen/`: the secretariat keeps the questionnaires.

A new version is a draft copied from a published (or any) version, city-wide or for one unit;
only a draft's texts change (Indonesian and English), never its element codes or rule set. The
draft is previewed as citizens would see it and then published: the version it replaces in the
same scope retires, and a published version never changes again. Anyone but the secretariat
gets a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from surveys import services
from surveys.access import secretariat_required
from surveys.forms_manage import InstrumentTextsForm, NewVersionForm
from surveys.models import Instrument, InstrumentState
from surveys.services import InstrumentLocked, SubmissionInvalid


@secretariat_required
@require_GET
def instrument_list(request: HttpRequest) -> HttpResponse:
    instruments = Instrument.objects.select_related("unit").order_by(
        F("unit__name").asc(nulls_first=True), "name", "-version"
    )
    return render(
        request,
        "surveys/instruments/list.html",
        {
            "instruments": instruments,
            "form": NewVersionForm(),
            "states": InstrumentState,
            "city_has_one": any(instrument.unit_id is None for instrument in instruments),
        },
    )


@secretariat_required
@require_POST
def instrument_start(request: HttpRequest) -> HttpResponseRedirect:
    """A city with no questionnaire starts from the regulation's, as a draft."""
    try:
        draft = services.instrument_start(actor=request.user)
    except services.InstrumentLocked as error:
        messages.error(request, str(error))
        return redirect("instrument-list")
    messages.success(request, _("%(draft)s dibuat sebagai draf; periksa teksnya lalu terbitkan.") % {"draft": draft})
    return redirect("instrument-edit", pk=draft.pk)


@secretariat_required
@require_POST
def instrument_new_version(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    source = get_object_or_404(Instrument, pk=pk)
    form = NewVersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih unit yang ada, atau biarkan kosong untuk seluruh kota."))
        return redirect("instrument-list")
    unit = form.cleaned_data["unit"]
    draft = services.instrument_new_version(instrument=source, actor=request.user, unit=unit)
    messages.success(request, _("%(draft)s dibuat sebagai draf; ubah teksnya lalu terbitkan.") % {"draft": draft})
    return redirect("instrument-edit", pk=draft.pk)


@secretariat_required
@require_http_methods(["GET", "POST"])
def instrument_edit(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = get_object_or_404(Instrument.objects.select_related("unit"), pk=pk)
    form = InstrumentTextsForm(request.POST or None, instrument=instrument)
    if request.method == "POST":
        if not instrument.is_editable:
            messages.error(request, _("Instrumen yang sudah terbit tidak dapat diubah; buat versi baru."))
            return redirect("instrument-edit", pk=instrument.pk)
        if form.is_valid():
            try:
                changed = services.instrument_texts_update(
                    instrument=instrument, texts=form.texts(), actor=request.user
                )
            except (InstrumentLocked, ValueError) as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, _("Teks disimpan (%(count)s unsur berubah).") % {"count": len(changed)})
                return redirect("instrument-edit", pk=instrument.pk)
    return render(
        request,
        "surveys/instruments/edit.html",
        {"instrument": instrument, "form": form},
        status=400 if form.errors else 200,
    )


@secretariat_required
@require_GET
def instrument_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The questions and options as a citizen sees them, in Indonesian or (`?bahasa=en`) English."""
    instrument = get_object_or_404(Instrument.objects.select_related("unit"), pk=pk)
    language = "en" if request.GET.get("bahasa") == "en" else "id"
    elements = [
        (element.order, element.name(language), element.question(language), element.options(language))
        for element in instrument.elements.order_by("order")
    ]
    return render(
        request,
        "surveys/instruments/preview.html",
        {"instrument": instrument, "elements": elements, "language": language},
    )


@secretariat_required
@require_POST
def instrument_publish(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    instrument = get_object_or_404(Instrument, pk=pk)
    try:
        services.instrument_publish(instrument=instrument, actor=request.user)
    except (InstrumentLocked, SubmissionInvalid) as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request, _("%(instrument)s diterbitkan; versi sebelumnya tidak dipakai lagi.") % {"instrument": instrument}
        )
    return redirect("instrument-list")
