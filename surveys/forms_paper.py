"""The paper questionnaire as a staff form: the citizen form, laid out for fast keyboard entry.

`PaperForm` is `CitizenForm` (same fields, same required answers, same limits and messages) with
three changes for staff typing paper forms: each element is a one-character box taking 1-4
instead of four radio buttons, the choice lists are drop-downs, and there is a date (the day the
citizen filled the paper form), which decides the period. One form validates both the
data-entry screen and each row of a bulk import.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from surveys.forms import ELEMENT_PREFIX, SERVICE_OTHER, CitizenForm
from surveys.models import Instrument, Period, ServiceUnit

SCORE_ERRORS = {
    "required": _("Isi nilai 1 sampai 4."),
    "invalid_choice": _("Nilai harus angka bulat 1 sampai 4."),
}


#: The date formats a clerk may type (the same in every language, so 03/04 is never read as a US date).
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
DATE_HINT = _("TTTT-BB-HH atau HH/BB/TTTT, misalnya 2026-03-14 atau 14/03/2026")

#: The citizen form's fields, relabelled for the clerk who copies a paper form (label, "required").
CLERK_WORDS = {
    "service": (_("Layanan yang diterima responden"), _("Pilih layanan yang diterima responden.")),
    "service_other": (_("Layanan lain yang ditulis responden"), None),
    "age": (_("Usia responden (tahun)"), _("Isi usia responden dalam tahun.")),
    "sex": (_("Jenis kelamin responden"), _("Pilih jenis kelamin responden.")),
    "education": (_("Pendidikan terakhir responden"), _("Pilih pendidikan terakhir responden.")),
    "occupation": (_("Pekerjaan responden"), _("Pilih pekerjaan responden.")),
    "occupation_other": (_("Pekerjaan lain yang ditulis responden"), None),
    "suggestion": (_("Kritik dan saran responden (salin apa adanya; boleh kosong)"), None),
}


def allowed_codes(choices: list[tuple[Any, Any]]) -> str:
    """ "L (Laki-laki), P (Perempuan)": the values a clerk may type, for an error message."""
    return ", ".join(f"{value} ({label})" if str(value) != str(label) else str(value) for value, label in choices)


def score_field_name(code: str) -> str:
    return ELEMENT_PREFIX + code


class PaperForm(CitizenForm):
    """One paper questionnaire. `period` fixes the allowed dates (bulk import); without it the
    date must fall in an open or closed period (`Period.objects.accepting_paper_on`), which then
    becomes the response's period."""

    missing_service_other = _("Tulis layanan lain yang ditulis responden.")
    missing_occupation_other = _("Tulis pekerjaan lain yang ditulis responden.")
    key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    submitted_on = forms.DateField(
        label=_("Tanggal pengisian"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"placeholder": "TTTT-BB-HH", "autocomplete": "off"}),
        input_formats=DATE_FORMATS,
        help_text=DATE_HINT,
    )

    def __init__(
        self, *args: Any, unit: ServiceUnit, instrument: Instrument, period: Period | None = None, **kwargs: Any
    ) -> None:
        elements = list(instrument.elements.order_by("order"))
        services = list(unit.services.filter(is_active=True))
        super().__init__(*args, elements=elements, services=services, **kwargs)
        self.unit = unit
        self.instrument = instrument
        self.period = period
        self.resolved_period: Period | None = period
        for element in elements:
            field = self.fields[score_field_name(element.code)]
            field.label = f"U{element.order} {element.name(get_language())}"
            field.error_messages.update(SCORE_ERRORS)
            field.widget = forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "maxlength": 1,
                    "size": 1,
                    "pattern": "[1-4]",
                    "autocomplete": "off",
                    "class": "form-control paper-score",
                }
            )
        date_field = self.fields["submitted_on"]
        date_field.error_messages = {
            "required": _("Isi tanggal pengisian."),
            "invalid": _("Tulis tanggal sebagai %(formats)s.") % {"formats": DATE_HINT},
        }
        for name, (label, required) in CLERK_WORDS.items():
            self.fields[name].label = label
            if required is not None:
                self.fields[name].error_messages["required"] = required
        for name in ("service", "sex", "education", "occupation"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            offered = list(field.widget.choices)
            field.widget = forms.Select()
            field.choices = [("", "—"), *offered]  # required: the blank entry is refused like no answer
            if name != "service":  # a service is named in words; the codes are what a file may hold
                field.error_messages["invalid_choice"] = _("Isi salah satu: %(codes)s.") % {
                    "codes": allowed_codes(offered)
                }
        self.order_fields(["key", "submitted_on", *(score_field_name(element.code) for element in elements)])

    def clean_submitted_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["submitted_on"]
        if self.period is not None:
            if not self.period.start <= day <= self.period.end:
                raise forms.ValidationError(
                    _("Tanggal harus dalam periode %(period)s (%(start)s s.d. %(end)s).")
                    % {"period": self.period.name, "start": self.period.start, "end": self.period.end}
                )
            return day
        period = Period.objects.accepting_paper_on(day).first()
        if period is None:
            published = Period.objects.published().filter(start__lte=day, end__gte=day).first()
            if published is not None:
                raise forms.ValidationError(
                    _("Hasil periode %(period)s sudah dipublikasikan; formulir kertas tidak dapat ditambahkan lagi.")
                    % {"period": published.name}
                )
            raise forms.ValidationError(_("Tidak ada periode survei pada tanggal ini."))
        self.resolved_period = period
        return day

    def service_value(self, text: str) -> tuple[str, str]:
        """(service field, service_other field) for a service named in words (bulk import):
        a unit service by name in any case, otherwise "lainnya" with the words kept."""
        wanted = text.strip().casefold()
        if not wanted:
            return "", ""
        for pk, service in self.services.items():
            if service.name.casefold() == wanted:
                return pk, ""
        return SERVICE_OTHER, text.strip()

    def key_or_new(self) -> uuid.UUID:
        key = self.cleaned_data.get("key")
        return key if isinstance(key, uuid.UUID) else uuid.uuid4()
