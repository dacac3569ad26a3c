"""Forms for periods, recomputations, follow-up actions and the public results filter."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from reports import indices
from reports.models import FollowUpAction, FollowUpStatus
from reports.snapshots import Filters
from surveys.models import PeriodKind, UnitKind

DATE_TIMING = "date"


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class PeriodCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis periode"), choices=PeriodKind.choices)
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    number = forms.IntegerField(
        label=_("Nomor"),
        min_value=1,
        max_value=12,
        initial=1,
        help_text=_("Bulan 1-12, triwulan 1-4, semester 1-2; untuk periode tahunan isi 1."),
    )


class RecomputeForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan perhitungan ulang"),
        max_length=300,
        help_text=_("Ditampilkan kepada publik bersama nomor revisi, mis. 'Impor formulir kertas'."),
    )


class FollowUpForm(forms.Form):
    element_code = forms.ChoiceField(label=_("Prioritas unsur"))
    program = forms.CharField(label=_("Program/kegiatan"), max_length=300)
    timing = forms.ChoiceField(label=_("Waktu"))
    due_date = forms.DateField(
        label=_("Tanggal (jika waktu berupa tanggal)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    responsible = forms.CharField(label=_("Penanggung jawab"), max_length=200)
    status = forms.ChoiceField(label=_("Status"), choices=FollowUpStatus.choices, initial=FollowUpStatus.PLANNED)
    realisation = forms.CharField(
        label=_("Catatan realisasi"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_public = forms.BooleanField(label=_("Tampilkan di halaman hasil publik"), required=False)

    def __init__(self, *args: Any, rules: str, next_year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "element_code").choices = [
            (element.code, element.name) for element in indices.get_rules(rules).elements
        ]
        _choice_field(self, "timing").choices = [
            *((str(quarter), f"TW {roman} {next_year}") for quarter, roman in enumerate(("I", "II", "III", "IV"), 1)),
            (DATE_TIMING, _("Tanggal tertentu")),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        timing = data.get("timing")
        if timing == DATE_TIMING and not data.get("due_date"):
            self.add_error("due_date", _("Isi tanggal, atau pilih salah satu triwulan."))
        return data

    def timing_values(self) -> tuple[int | None, datetime.date | None]:
        """(quarter, due_date): exactly one of them is set."""
        timing = self.cleaned_data["timing"]
        if timing == DATE_TIMING:
            return None, self.cleaned_data["due_date"]
        return int(timing), None

    @staticmethod
    def initial_for(action: FollowUpAction) -> dict[str, Any]:
        return {
            "element_code": action.element_code,
            "program": action.program,
            "timing": str(action.quarter) if action.quarter else DATE_TIMING,
            "due_date": action.due_date,
            "responsible": action.responsible,
            "status": action.status,
            "realisation": action.realisation,
            "is_public": action.is_public,
        }


class PublicFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari unit"), required=False, max_length=100)
    jenis = forms.ChoiceField(label=_("Jenis unit"), required=False)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)

    def __init__(self, *args: Any, kecamatan_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "jenis").choices = [("", _("Semua jenis")), *UnitKind.choices]
        _choice_field(self, "kecamatan").choices = [("", _("Semua kecamatan")), *kecamatan_choices]

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        return Filters(
            query=self.cleaned_data["q"].strip(),
            kind=self.cleaned_data["jenis"],
            kecamatan=self.cleaned_data["kecamatan"],
        )
