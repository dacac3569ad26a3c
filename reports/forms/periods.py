"""Forms of the secretariat's period pages and of a unit's population."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.models import Period, PeriodKind


class PeriodCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis periode"), choices=PeriodKind.choices)
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    number = forms.IntegerField(
        label=_("Nomor"),
        min_value=1,
        max_value=12,
        initial=1,
        help_text=_("Bulan 1-12, triwulan 1-4 atau semester 1-2; untuk periode tahunan nomor diabaikan."),
    )


class RecomputeForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan perhitungan ulang"),
        max_length=300,
        help_text=_("Ditampilkan kepada publik bersama nomor revisi, mis. 'Impor formulir kertas'."),
    )


class PopulationForm(forms.Form):
    period = forms.ModelChoiceField(
        label=_("Periode"),
        queryset=Period.objects.all(),
        error_messages={"invalid_choice": _("Periode tidak dikenal."), "required": _("Pilih periode.")},
    )
    population = forms.IntegerField(
        label=_("Populasi penerima layanan"),
        min_value=1,
        max_value=100_000_000,
        error_messages={
            "required": _("Isi jumlah penerima layanan."),
            "invalid": _("Populasi harus berupa bilangan bulat."),
            "min_value": _("Populasi paling sedikit 1."),
            "max_value": _("Populasi terlalu besar."),
        },
    )
