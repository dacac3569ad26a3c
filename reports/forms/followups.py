"""The follow-up action form (rencana tindak lanjut)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reports import display
from reports.forms.filters import choice_field
from reports.models import FollowUpAction, FollowUpStatus

DATE_TIMING = "date"


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
        choice_field(self, "element_code").choices = list(display.element_names(rules).items())
        choice_field(self, "timing").choices = [
            *((str(quarter), f"TW {roman} {next_year}") for quarter, roman in enumerate(("I", "II", "III", "IV"), 1)),
            (DATE_TIMING, _("Tanggal tertentu")),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        timing = data.get("timing")
        if timing == DATE_TIMING and not data.get("due_date"):
            self.add_error("due_date", _("Isi tanggal, atau pilih salah satu triwulan."))
        return data

    def action_values(self) -> dict[str, Any]:
        """The keyword arguments of `followup_create` and `followup_update`: the action's content,
        with exactly one of quarter and due date set."""
        data = self.cleaned_data
        timing = data["timing"]
        return {
            **{name: data[name] for name in ("element_code", "program", "responsible", "status", "realisation")},
            "is_public": data["is_public"],
            "quarter": None if timing == DATE_TIMING else int(timing),
            "due_date": data["due_date"] if timing == DATE_TIMING else None,
        }

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
