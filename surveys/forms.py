"""The citizen questionnaire as a plain Django form built from an instrument's elements.

`CitizenForm` knows nothing about requests, kiosks or spam: the public survey, the kiosk and
the paper-entry screen all build it the same way and read `scores()`, `profile()` and
`service_choice()` from it, or the whole `submission()`. The one-time key and the start time travel
separately, in a signed ticket (`surveys.tickets`).
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from surveys import lookup_cache, naming
from surveys.models import Education, Element, Instrument, Occupation, Period, Service, ServiceUnit, Sex
from surveys.services import Profile, Submission
from surveys.textsafety import validate_visible_text

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SERVICE_OTHER = "lainnya"
AGE_MIN, AGE_MAX = 10, 120
ELEMENT_PREFIX = "element_"
TICKET_FIELD = "t"
HONEYPOT_FIELD = "website"

CHOOSE_ONE = _("Pilih salah satu jawaban.")


def _configured(choices: Sequence[tuple[str, Any]], setting: str) -> list[tuple[str, Any]]:
    """The profile categories to offer: all of them, or the subset (in that order) a setting names."""
    codes = getattr(settings, setting, None)
    if not codes:
        return list(choices)
    labels = dict(choices)
    return [(code, labels[code]) for code in codes if code in labels]


def _own_words(label: StrOrPromise, *, max_length: int) -> forms.CharField:
    """The optional text box beside a "lainnya" choice."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        validators=[validate_visible_text],
        error_messages={"max_length": _("Tulis paling banyak %(limit_value)d karakter.")},
    )


def _citizen_fields(elements: Sequence[Element], services: Sequence[Service], language: str) -> dict[str, forms.Field]:
    """The citizen form's fields in page order: service, one 1-4 answer per element, the
    respondent profile and the suggestion."""
    limit = settings.SURVEY_SUGGESTION_MAX_LENGTH
    fields: dict[str, forms.Field] = {
        "service": forms.ChoiceField(
            label=_("Layanan yang Anda terima"),
            widget=forms.RadioSelect,
            choices=[(str(service.pk), service.name) for service in services] + [(SERVICE_OTHER, _("Lainnya"))],
            error_messages={"required": _("Pilih layanan yang Anda terima."), "invalid_choice": CHOOSE_ONE},
        ),
        "service_other": _own_words(_("Sebutkan layanan yang Anda terima"), max_length=200),
    }
    for element in elements:
        fields[ELEMENT_PREFIX + element.code] = forms.TypedChoiceField(
            label=element.question(language),
            choices=[(str(score), text) for score, text in element.options(language)],
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={"required": CHOOSE_ONE, "invalid_choice": CHOOSE_ONE},
        )
    fields |= {
        "age": forms.IntegerField(
            label=_("Usia (tahun)"),
            min_value=AGE_MIN,
            max_value=AGE_MAX,
            widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            error_messages={
                "required": _("Isi usia Anda dalam tahun."),
                "invalid": _("Tulis usia dengan angka, misalnya 35."),
                "min_value": _("Usia paling rendah %(limit_value)s tahun."),
                "max_value": _("Usia paling tinggi %(limit_value)s tahun."),
            },
        ),
        "sex": forms.ChoiceField(
            label=_("Jenis kelamin"),
            widget=forms.RadioSelect,
            choices=Sex.choices,
            error_messages={"required": _("Pilih jenis kelamin."), "invalid_choice": CHOOSE_ONE},
        ),
        "education": forms.ChoiceField(
            label=_("Pendidikan terakhir"),
            widget=forms.RadioSelect,
            choices=_configured(Education.choices, "SURVEY_EDUCATION_CODES"),
            error_messages={"required": _("Pilih pendidikan terakhir Anda."), "invalid_choice": CHOOSE_ONE},
        ),
        "occupation": forms.ChoiceField(
            label=_("Pekerjaan"),
            widget=forms.RadioSelect,
            choices=_configured(Occupation.choices, "SURVEY_OCCUPATION_CODES"),
            error_messages={"required": _("Pilih pekerjaan Anda."), "invalid_choice": CHOOSE_ONE},
        ),
        "occupation_other": _own_words(_("Sebutkan pekerjaan Anda"), max_length=100),
        "suggestion": forms.CharField(
            label=_("Kritik dan saran (boleh dikosongkan)"),
            required=False,
            max_length=limit,
            validators=[validate_visible_text],
            widget=forms.Textarea(attrs={"rows": 4, "aria-describedby": "suggestion-hint"}),
            error_messages={"max_length": _("Kritik dan saran paling banyak %(limit_value)d karakter.")},
        ),
    }
    return fields


def form_settings() -> tuple[Any, ...]:
    """The settings that shape the citizen form (a part of every cache key for it)."""
    return (
        settings.SURVEY_SUGGESTION_MAX_LENGTH,
        tuple(getattr(settings, "SURVEY_EDUCATION_CODES", None) or ()),
        tuple(getattr(settings, "SURVEY_OCCUPATION_CODES", None) or ()),
        settings.SURVEY_KIOSK_THANKS_SECONDS,  # the kiosk's thank-you screen counts them down
    )


def _shared_fields(elements: Sequence[Element], services: Sequence[Service], language: str) -> dict[str, forms.Field]:
    """The fields for a unit's cached setup (`selectors.survey_setup_for`), built once per element
    tuple, service tuple and language and kept as long as those are (`lookup_cache`)."""
    key = ("citizen-fields", id(elements), id(services), language, *form_settings())
    _elements, _services, fields = lookup_cache.cached(
        key,
        lambda: (elements, services, _citizen_fields(elements, services, language)),
        valid=lambda entry: entry[0] is elements and entry[1] is services,
    )
    return fields


class CitizenForm(forms.Form):
    """Service received, one 1-4 answer per element, the respondent profile and a suggestion.

    With `share_fields=True` (the public survey, given a setup's cached element and service
    tuples) the field objects are built once and shared read-only by every form of that setup
    and language, sparing each request the construction; marking invalid fields for screen
    readers, the one change a form makes to its fields, then works on a copy. Other callers
    (paper entry changes its widgets) get fields of their own.
    """

    _bound_fields_cache: dict[str, forms.BoundField]  # Django's, set in BaseForm.__init__
    missing_service_other: StrOrPromise = _("Sebutkan layanan yang Anda terima.")
    missing_occupation_other: StrOrPromise = _("Sebutkan pekerjaan Anda.")

    def __init__(
        self,
        *args: Any,
        elements: Sequence[Element],
        services: Sequence[Service],
        language: str = "id",
        share_fields: bool = False,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "id_%s")
        super().__init__(*args, **kwargs)
        self.elements = list(elements)
        self.services = {str(service.pk): service for service in services}
        self._fields_shared = share_fields
        build = _shared_fields if share_fields else _citizen_fields
        self.fields.update(build(elements, services, language))  # after a subclass's own declared fields

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("service") == SERVICE_OTHER and not cleaned.get("service_other", "").strip():
            self.add_error("service_other", self.missing_service_other)
        if cleaned.get("occupation") == Occupation.OTHER and not cleaned.get("occupation_other", "").strip():
            self.add_error("occupation_other", self.missing_occupation_other)
        return cleaned

    def full_clean(self) -> None:
        """Validate, then mark each invalid field so screen readers announce its message."""
        super().full_clean()
        if self.errors and self._fields_shared:
            self.fields = copy.deepcopy(self.fields)
            self._bound_fields_cache.clear()  # validation bound the shared fields; bind the copies instead
            self._fields_shared = False
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                described_by = " ".join(filter(None, [attrs.get("aria-describedby"), f"{name}-error"]))
                attrs.update({"aria-invalid": "true", "aria-describedby": described_by})

    @property
    def element_fields(self) -> list[tuple[Element, forms.BoundField]]:
        return [(element, self[ELEMENT_PREFIX + element.code]) for element in self.elements]

    @property
    def first_error_ids(self) -> list[tuple[str, str]]:
        """(anchor id, message) per invalid field, in page order, for the error summary."""
        numbers = {ELEMENT_PREFIX + element.code: number for number, element in enumerate(self.elements, start=1)}
        links = []
        for name, field in self.fields.items():
            if name not in self.errors:
                continue
            anchor = f"id_{name}_0" if isinstance(field.widget, forms.RadioSelect) else f"id_{name}"
            message = str(self.errors[name][0])
            if name in numbers:
                message = _("Pertanyaan %(number)s: %(message)s") % {"number": numbers[name], "message": message}
            links.append((anchor, message))
        return links

    def scores(self) -> dict[str, int]:
        return {element.code: self.cleaned_data[ELEMENT_PREFIX + element.code] for element in self.elements}

    def profile(self) -> Profile:
        data = self.cleaned_data
        occupation = data["occupation"]
        return Profile(
            age=data["age"],
            sex=data["sex"],
            education=data["education"],
            occupation=occupation,
            occupation_other=data["occupation_other"].strip() if occupation == Occupation.OTHER else "",
        )

    def service_choice(self) -> tuple[Service | None, str]:
        """The service chosen from the list, or (None, the citizen's own words) for "lainnya"."""
        choice = self.cleaned_data["service"]
        if choice == SERVICE_OTHER:
            return None, self.cleaned_data["service_other"].strip()
        return self.services[choice], ""

    def suggestion_text(self) -> str:
        return str(self.cleaned_data["suggestion"]).strip()

    def submission(
        self, *, key: uuid.UUID, unit: ServiceUnit, instrument: Instrument, period: Period, channel: str, **more: Any
    ) -> Submission:
        """The validated questionnaire as a `Submission` for `services.response_submit`: the one
        place a form becomes one (the citizen form, the kiosk, paper entry and import). `more`
        holds what the caller knows beside the answers (kiosk, state and reason, time, source)."""
        service, service_other = self.service_choice()
        return Submission(
            key=key,
            unit=unit,
            instrument=instrument,
            period=period,
            scores=self.scores(),
            service=service,
            service_other=service_other,
            channel=channel,
            profile=self.profile(),
            suggestion=self.suggestion_text(),
            elements=self.elements,
            **more,
        )


class KioskRegisterForm(forms.Form):
    """A unit admin names a tablet for one of their units."""

    unit: forms.ModelChoiceField[ServiceUnit] = forms.ModelChoiceField(
        label=_("Unit layanan"),
        queryset=ServiceUnit.objects.none(),  # narrowed to the user's units in __init__
        error_messages={"required": _("Pilih unit."), "invalid_choice": _("Pilih unit dari daftar.")},
    )
    label = forms.CharField(
        label=_("Nama perangkat"),
        max_length=100,
        help_text=_("Mis. Tablet loket 1."),
        error_messages={
            "required": _("Beri nama perangkat ini."),
            "max_length": _("Tulis paling banyak %(limit_value)d karakter."),
        },
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units
        unit_field.choices = [("", unit_field.empty_label), *((unit.pk, unit.name) for unit in naming.by_name(units))]
