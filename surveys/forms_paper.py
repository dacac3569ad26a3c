"""The paper questionnaire as a staff form, built from an Instrument.

One form validates both the data-entry screen and each row of a bulk import, so a paper form
typed in and a row uploaded in a template pass exactly the same checks (the citizen form's:
every element scored 1-4, age 10-120, choices from the official lists, a suggestion of at most
2,000 characters). When the citizen form class lands on main, this form should reuse its
profile fields.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from surveys.models import Education, Element, Instrument, Occupation, Period, Service, ServiceUnit, Sex

SCORE_ERRORS = {
    "required": _("Isi nilai 1 sampai 4."),
    "invalid": _("Nilai harus angka bulat 1 sampai 4."),
    "min_value": _("Nilai harus angka bulat 1 sampai 4."),
    "max_value": _("Nilai harus angka bulat 1 sampai 4."),
}


def score_field_name(element: Element) -> str:
    return f"score_{element.code}"


class PaperForm(forms.Form):
    """One paper questionnaire. `period` fixes the allowed dates (bulk import); without it the
    date must fall in an open period, which then becomes the response's period."""

    key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    submitted_on = forms.DateField(
        label=_("Tanggal pengisian"),
        widget=forms.DateInput(
            format="%Y-%m-%d", attrs={"inputmode": "numeric", "placeholder": "TTTT-BB-HH", "autocomplete": "off"}
        ),
        error_messages={"required": _("Isi tanggal pengisian."), "invalid": _("Tanggal harus berformat TTTT-BB-HH.")},
    )
    service: forms.ModelChoiceField[Service] = forms.ModelChoiceField(
        label=_("Jenis layanan"),
        queryset=None,
        to_field_name="name",
        required=False,
        empty_label=_("(tidak disebut)"),
        error_messages={"invalid_choice": _("Jenis layanan tidak dikenal untuk unit ini.")},
    )
    service_other = forms.CharField(label=_("Layanan lainnya"), max_length=200, required=False)
    age = forms.IntegerField(
        label=_("Usia"),
        min_value=10,
        max_value=120,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 3, "autocomplete": "off"}),
        error_messages={
            "invalid": _("Usia harus angka bulat."),
            "min_value": _("Usia harus antara 10 dan 120 tahun."),
            "max_value": _("Usia harus antara 10 dan 120 tahun."),
        },
    )
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=[("", "—"), *Sex.choices], required=False)
    education = forms.ChoiceField(label=_("Pendidikan"), choices=[("", "—"), *Education.choices], required=False)
    occupation = forms.ChoiceField(label=_("Pekerjaan"), choices=[("", "—"), *Occupation.choices], required=False)
    occupation_other = forms.CharField(label=_("Pekerjaan lainnya"), max_length=100, required=False)
    suggestion = forms.CharField(
        label=_("Kritik dan saran"),
        required=False,
        max_length=settings.SURVEY_SUGGESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args: Any, unit: ServiceUnit, instrument: Instrument, period: Period | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.instrument = instrument
        self.period = period
        self.resolved_period: Period | None = period
        service_field = self.fields["service"]
        assert isinstance(service_field, forms.ModelChoiceField)
        service_field.queryset = unit.services.filter(is_active=True)
        for element in self.elements:
            self.fields[score_field_name(element)] = forms.IntegerField(
                label=f"U{element.order} {element.name_id}",
                min_value=1,
                max_value=4,
                error_messages=SCORE_ERRORS,
                widget=forms.TextInput(
                    attrs={
                        "inputmode": "numeric",
                        "maxlength": 1,
                        "size": 1,
                        "pattern": "[1-4]",
                        "autocomplete": "off",
                        "class": "form-control paper-score",
                    }
                ),
            )

        self.order_fields(
            [
                "key",
                "submitted_on",
                *(score_field_name(element) for element in self.elements),
                "service",
                "service_other",
            ]
        )

    @property
    def elements(self) -> list[Element]:
        if not hasattr(self, "_elements"):
            self._elements = list(self.instrument.elements.order_by("order"))
        return self._elements

    def clean_submitted_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["submitted_on"]
        if self.period is not None:
            if not self.period.start <= day <= self.period.end:
                raise forms.ValidationError(
                    _("Tanggal harus dalam periode %(period)s (%(start)s s.d. %(end)s).")
                    % {"period": self.period.name, "start": self.period.start, "end": self.period.end}
                )
            return day
        period = Period.objects.open_on(day).first()
        if period is None:
            raise forms.ValidationError(_("Tidak ada periode survei yang dibuka pada tanggal ini."))
        self.resolved_period = period
        return day

    def scores(self) -> dict[str, int]:
        return {element.code: self.cleaned_data[score_field_name(element)] for element in self.elements}

    def key_or_new(self) -> uuid.UUID:
        key = self.cleaned_data.get("key")
        return key if isinstance(key, uuid.UUID) else uuid.uuid4()
