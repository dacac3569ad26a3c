"""Filter forms: the dashboards' and suggestions' (staff, GET) and the public results page's.

Choices come from rows the view already fetched, so a form costs no query of its own. A value
that is not among the choices is an error shown to the user; the page then shows its defaults.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.city_table import CITY_SORTS
from reports.periods import PeriodChoice
from reports.selectors import SUGGESTION_STATES
from reports.snapshots import Filters
from surveys.models import Channel, Service, ServiceUnit, UnitKind


def choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    """A form's choice field, typed, to set its choices."""
    return cast(forms.ChoiceField, form.fields[name])


def _period_field(choices: Sequence[PeriodChoice]) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Periode"),
        required=False,
        choices=[("", _("Periode berjalan")), *((choice.value, choice.label) for choice in choices)],
        error_messages={"invalid_choice": _("Periode yang dipilih tidak dikenal. Ditampilkan periode berjalan.")},
    )


class PeriodFilterForm(forms.Form):
    """A period choice alone (the data-quality page)."""

    def __init__(self, data: Any = None, *, periods: Sequence[PeriodChoice], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["period"] = _period_field(periods)


class UnitFilterForm(forms.Form):
    def __init__(
        self, data: Any = None, *, periods: Sequence[PeriodChoice], services: Sequence[Service], **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.fields["period"] = _period_field(periods)
        self.fields["service"] = forms.TypedChoiceField(
            label=_("Jenis layanan"),
            required=False,
            coerce=int,
            empty_value=None,
            choices=[("", _("Semua layanan")), *((str(service.pk), service.name) for service in services)],
            error_messages={"invalid_choice": _("Jenis layanan yang dipilih bukan layanan unit ini.")},
        )
        self.fields["channel"] = forms.ChoiceField(
            label=_("Saluran"),
            required=False,
            choices=[("", _("Semua saluran")), *Channel.choices],
            error_messages={"invalid_choice": _("Saluran yang dipilih tidak dikenal.")},
        )


class SuggestionFilterForm(UnitFilterForm):
    def __init__(
        self,
        data: Any = None,
        *,
        periods: Sequence[PeriodChoice],
        services: Sequence[Service],
        elements: Sequence[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, periods=periods, services=services, **kwargs)
        del self.fields["channel"]
        self.fields["q"] = forms.CharField(label=_("Cari"), required=False, max_length=100, strip=True)
        self.fields["element"] = forms.ChoiceField(
            label=_("Unsur"),
            required=False,
            choices=[("", _("Unsur mana pun")), *elements],
            error_messages={"invalid_choice": _("Unsur yang dipilih tidak dikenal.")},
        )
        self.fields["score"] = forms.TypedChoiceField(
            label=_("Nilai unsur"),
            required=False,
            coerce=int,
            empty_value=None,
            choices=[("", _("Nilai berapa pun")), *((str(score), str(score)) for score in (1, 2, 3, 4))],
            error_messages={"invalid_choice": _("Nilai unsur harus 1, 2, 3 atau 4.")},
        )
        self.fields["state"] = forms.ChoiceField(
            label=_("Status"),
            required=False,
            choices=[
                ("", _("Dihitung")),
                ("aside", _("Ditahan atau tidak dihitung")),
                ("all", _("Semua")),
            ],
            error_messages={"invalid_choice": _("Status yang dipilih tidak dikenal.")},
        )

    def clean_state(self) -> str:
        state: str = self.cleaned_data.get("state") or ""
        return state if state in SUGGESTION_STATES else ""


class CityFilterForm(forms.Form):
    def __init__(
        self, data: Any = None, *, periods: Sequence[PeriodChoice], kecamatans: Sequence[ServiceUnit], **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.fields["period"] = _period_field(periods)
        self.fields["kind"] = forms.ChoiceField(
            label=_("Jenis unit"),
            required=False,
            choices=[("", _("Semua jenis")), *((v, label) for v, label in UnitKind.choices if v != UnitKind.PEMKOT)],
            error_messages={"invalid_choice": _("Jenis unit yang dipilih tidak dikenal.")},
        )
        self.fields["kecamatan"] = forms.TypedChoiceField(
            label=_("Kecamatan"),
            required=False,
            coerce=int,
            empty_value=None,
            choices=[("", _("Semua kecamatan")), *((str(unit.pk), unit.name) for unit in kecamatans)],
            error_messages={"invalid_choice": _("Kecamatan yang dipilih tidak dikenal.")},
        )
        self.fields["sort"] = forms.ChoiceField(
            label=_("Urutkan"),
            required=False,
            choices=[("", _("Nilai IKM tertinggi dulu")), *((key, key) for key in CITY_SORTS)],
            error_messages={"invalid_choice": _("Urutan yang dipilih tidak dikenal.")},
        )
        self.fields["q"] = forms.CharField(label=_("Cari unit"), required=False, max_length=100, strip=True)
        self.fields["page"] = forms.IntegerField(
            label=_("Halaman"),
            required=False,
            min_value=1,
            max_value=10_000,
            error_messages={"invalid": _("Nomor halaman harus bilangan bulat.")},
        )


class PublicFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari unit"), required=False, max_length=100)
    jenis = forms.ChoiceField(label=_("Jenis unit"), required=False)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)

    def __init__(self, *args: Any, kecamatan_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "jenis").choices = [("", _("Semua jenis")), *UnitKind.choices]
        choice_field(self, "kecamatan").choices = [("", _("Semua kecamatan")), *kecamatan_choices]

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        return Filters(
            query=self.cleaned_data["q"].strip(),
            kind=self.cleaned_data["jenis"],
            kecamatan=self.cleaned_data["kecamatan"],
        )
