"""Forms of the Laporan Hasil SKM page: which period, the editable texts, the signatory, the format."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.laporan.texts import ScheduleError, parse_schedule
from reports.periods import PeriodChoice
from reports.services.laporan import TEXT_LIMITS


def _period_field(choices: Sequence[PeriodChoice]) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Periode laporan"),
        choices=[(choice.value, choice.label) for choice in choices],
        error_messages={
            "invalid_choice": _("Periode yang dipilih tidak dikenal."),
            "required": _("Pilih periode laporan."),
        },
    )


class ReportPeriodForm(forms.Form):
    """The period choice of the page (GET) and of every action on it (a hidden field)."""

    def __init__(self, data: Any = None, *, periods: Sequence[PeriodChoice], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["period"] = _period_field(periods)


def _text(label: Any, name: str, rows: int, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_LIMITS[name],
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ReportTextForm(ReportPeriodForm):
    background = _text(_("Latar belakang"), "background", 8, _("Pisahkan paragraf dengan satu baris kosong."))
    executor = _text(_("Pelaksana"), "executor", 3)
    location = _text(_("Lokasi"), "location", 3)
    schedule = _text(
        _("Jadwal"),
        "schedule",
        5,
        _('Satu kegiatan per baris: "Kegiatan | Waktu | Jumlah hari kerja".'),
    )
    recommendation = _text(
        _("Rekomendasi"),
        "recommendation",
        6,
        _("Kosongkan agar rekomendasi disusun dari unsur terendah dan kecukupan sampel."),
    )

    def clean_schedule(self) -> str:
        value: str = self.cleaned_data.get("schedule", "")
        try:
            parse_schedule(value)
        except ScheduleError as error:
            raise forms.ValidationError(str(error)) from error
        return value


class SignatoryForm(forms.Form):
    place = forms.CharField(label=_("Tempat penandatanganan"), required=False, max_length=100)
    title = forms.CharField(label=_("Jabatan"), required=False, max_length=200)
    name = forms.CharField(label=_("Nama"), required=False, max_length=150)
    nip = forms.RegexField(
        label=_("NIP"),
        required=False,
        max_length=30,
        regex=r"^[0-9 ]*$",
        error_messages={"invalid": _("NIP hanya berisi angka (dan spasi).")},
    )


class ReportGenerateForm(ReportPeriodForm):
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=[("docx", _("Word (.docx), dapat diedit")), ("pdf", _("PDF, untuk dipublikasikan"))],
        initial="docx",
        error_messages={"invalid_choice": _("Pilih Word atau PDF.")},
    )
