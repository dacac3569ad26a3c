"""The export request form: what to export, for which period and units, in which format."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reports import indices
from reports.models import CSV_FORMATS, ExportFormat, ExportKind
from surveys.models import Period, ServiceUnitQuerySet

WEIGHT_CHOICES = [
    ("exact", _("Eksak 1/k (baku)")),
    ("0.111", _("0,111 (bobot lama, hanya untuk mencocokkan laporan lama)")),
    ("0.11", _("0,11 (bobot lama)")),
]


class ExportRequestForm(forms.Form):
    # The Laporan Hasil SKM has its own page (reports.views.laporan): not offered here.
    kind = forms.ChoiceField(
        label=_("Jenis ekspor"),
        choices=[(value, label) for value, label in ExportKind.choices if value != ExportKind.REPORT],
        initial=ExportKind.RAW,
    )
    period = forms.ModelChoiceField(
        label=_("Periode"),
        queryset=Period.objects.all(),
        error_messages={"invalid_choice": _("Pilih periode yang tersedia."), "required": _("Pilih periode.")},
    )
    unit = forms.ChoiceField(
        label=_("Unit"),
        required=False,
        help_text=_("Kosongkan untuk semua unit yang dapat Anda lihat (rekap dan data mentah)."),
    )
    include_descendants = forms.BooleanField(
        label=_("Sertakan unit di bawahnya"),
        required=False,
        help_text=_(
            "Hanya untuk workbook unit, dan hanya untuk unit yang punya unit di bawahnya. Rekap dan data mentah "
            "untuk satu unit selalu mencakup unit di bawahnya."
        ),
    )
    file_format = forms.ChoiceField(
        label=_("Format"),
        # The Word and PDF formats belong to the Laporan Hasil SKM, which has its own page.
        choices=[
            (value, label)
            for value, label in ExportFormat.choices
            if value not in (ExportFormat.DOCX, ExportFormat.PDF)
        ],
        initial=ExportFormat.XLSX,
        help_text=_(
            "Excel dengan pengaturan bahasa Indonesia membuka CSV bertitik koma langsung, dengan koma desimal."
        ),
    )
    weight = forms.ChoiceField(label=_("Bobot unsur"), choices=WEIGHT_CHOICES, initial="exact")

    def __init__(self, *args: Any, units: ServiceUnitQuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = units
        choices: list[tuple[str, str]] = [("", str(_("Semua unit yang dapat Anda lihat")))]
        choices += [(unit.code, f"{unit.name} ({unit.code})") for unit in units.order_by("path")[:2000]]
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ChoiceField)
        unit_field.choices = choices
        self.parents = set(
            units.filter(children__is_active=True).values_list("code", flat=True).distinct()
        )  # the units for which "include sub-units" changes anything
        if not self.parents:
            del self.fields["include_descendants"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == ExportKind.WORKBOOK and not data.get("unit"):
            self.add_error("unit", _("Workbook unit memerlukan satu unit."))
        if data.get("file_format") in CSV_FORMATS and kind != ExportKind.RAW:
            self.add_error("file_format", _("Format CSV hanya tersedia untuk data mentah."))
        data["include_descendants"] = bool(data.get("include_descendants")) and kind == ExportKind.WORKBOOK
        if data["include_descendants"] and data.get("unit") not in self.parents:
            self.add_error(
                "include_descendants", _("Unit di bawahnya hanya dapat disertakan pada workbook unit yang memilikinya.")
            )
        weight = data.get("weight")
        if weight and weight != "exact" and weight not in indices.get_rules(indices.DEFAULT_RULES).legacy_weights:
            self.add_error("weight", _("Bobot ini tidak tersedia."))
        return data
