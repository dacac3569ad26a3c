"""Staff forms for running the city's setup: units, populations, registry files, services, instruments.

Forms only check the shape of what was typed; every rule (a unique code, no unit under itself, a
locked published instrument) is the services' to decide.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys import naming
from surveys.models import GRACE_DAYS_MAX, GRACE_DAYS_MIN, Element, Instrument, Period, ServiceUnit, UnitKind
from surveys.services.instruments import ELEMENT_TEXTS


def tree_choices(units: Any) -> list[tuple[str, str]]:
    """Units in tree order, each parent followed by its children in natural name order."""
    children: dict[int | None, list[ServiceUnit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    known = {unit.pk for unit in units}
    ordered: list[tuple[str, str]] = []

    def walk(parent: int | None, depth: int) -> None:
        for unit in naming.by_name(children.get(parent, [])):
            ordered.append((str(unit.pk), f"{'— ' * depth}{unit.name} ({unit.code})"))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    for parent in children:  # units whose parent is not in `units` (never the case for the whole tree)
        if parent is not None and parent not in known:
            walk(parent, 0)
    return ordered


class UnitForm(forms.Form):
    code = forms.CharField(
        label=_("Kode"),
        max_length=40,
        help_text=_("Tercetak pada setiap kode QR; tidak dapat diubah lagi setelah unit menerima tanggapan."),
    )
    name = forms.CharField(label=_("Nama"), max_length=200)
    kind = forms.ChoiceField(label=_("Jenis"), choices=UnitKind.choices)
    parent = forms.ModelChoiceField(
        label=_("Induk organisasi"), queryset=ServiceUnit.objects.all(), required=False, empty_label=_("— (akar) —")
    )
    area = forms.ModelChoiceField(
        label=_("Kecamatan wilayah"),
        queryset=ServiceUnit.objects.filter(kind=UnitKind.KECAMATAN),
        required=False,
        empty_label=_("— tidak ada —"),
    )

    def __init__(self, *args: Any, locked_code: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = list(ServiceUnit.objects.only("pk", "name", "code", "kind", "parent_id"))
        parent = self.fields["parent"]
        area = self.fields["area"]
        assert isinstance(parent, forms.ModelChoiceField) and isinstance(area, forms.ModelChoiceField)
        parent.choices = [("", str(_("— (akar) —"))), *tree_choices(units)]
        kecamatans = naming.by_name(unit for unit in units if unit.kind == UnitKind.KECAMATAN)
        area.choices = [("", str(_("— tidak ada —"))), *((str(unit.pk), unit.name) for unit in kecamatans)]
        if locked_code:
            self.fields["code"].disabled = True


class PopulationForm(forms.Form):
    period = forms.ModelChoiceField(label=_("Periode"), queryset=Period.objects.order_by("-start"))
    population = forms.IntegerField(label=_("Populasi penerima layanan (N)"), min_value=1, max_value=100_000_000)


class RegistryUploadForm(forms.Form):
    berkas = forms.FileField(
        label=_("Berkas registri (.xlsx, .xls, .ods atau .csv)"),
        help_text=_("Kolom: code, name, kind, parent_code (source boleh ada). Paling besar 2 MB."),
    )


class ServiceForm(forms.Form):
    name = forms.CharField(label=_("Nama layanan"), max_length=200)


class NewVersionForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Berlaku untuk"),
        queryset=ServiceUnit.objects.filter(is_active=True),
        required=False,
        empty_label=_("Seluruh kota"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.choices = [("", str(unit.empty_label)), *tree_choices(list(ServiceUnit.objects.filter(is_active=True)))]


TEXT_LABELS: dict[str, Any] = {
    "name_id": _("Nama unsur"),
    "name_en": _("Nama unsur (Inggris)"),
    "question_id": _("Pertanyaan"),
    "question_en": _("Pertanyaan (Inggris)"),
    **{f"option{score}_id": _("Pilihan %(score)s") % {"score": score} for score in (1, 2, 3, 4)},
    **{f"option{score}_en": _("Pilihan %(score)s (Inggris)") % {"score": score} for score in (1, 2, 3, 4)},
}


class InstrumentTextsForm(forms.Form):
    """Every text of a draft's elements, in Indonesian and English; codes and order are not fields."""

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.elements: list[Element] = list(instrument.elements.order_by("order"))
        for element in self.elements:
            for name in ELEMENT_TEXTS:
                max_length = getattr(Element._meta.get_field(name), "max_length", None)
                long = name.startswith("question")
                self.fields[f"e{element.pk}-{name}"] = forms.CharField(
                    label=TEXT_LABELS[name],
                    initial=getattr(element, name),
                    max_length=max_length,
                    widget=forms.Textarea(attrs={"rows": 2}) if long else forms.TextInput(),
                )

    def groups(self) -> list[tuple[Element, list[forms.BoundField]]]:
        return [(element, [self[f"e{element.pk}-{name}"] for name in ELEMENT_TEXTS]) for element in self.elements]

    def texts(self) -> dict[int, dict[str, str]]:
        return {
            element.pk: {name: self.cleaned_data[f"e{element.pk}-{name}"] for name in ELEMENT_TEXTS}
            for element in self.elements
        }


class SurveySettingsForm(forms.Form):
    kiosk_queue_grace_days = forms.IntegerField(
        label=_("Tenggang antrean kios (hari)"),
        min_value=GRACE_DAYS_MIN,
        max_value=GRACE_DAYS_MAX,
        help_text=_(
            "Isian yang disimpan kios saat sambungan putus diterima bila tiba paling lama sekian hari "
            "setelah diisi (dan periodenya belum dipublikasikan); yang lebih lama ditolak."
        ),
        error_messages={
            "required": _("Isi jumlah hari tenggang."),
            "invalid": _("Tulis jumlah hari sebagai bilangan bulat, misalnya 7."),
            "min_value": _("Tenggang tidak boleh kurang dari %(limit_value)s hari."),
            "max_value": _("Tenggang paling lama %(limit_value)s hari."),
        },
    )
