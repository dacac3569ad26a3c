"""Questionnaires: drafts, versions and publication (a published instrument never changes)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys.instrument_data import PERMENPAN_14_2017, PERMENPAN_14_2017_NAME, PERMENPAN_14_2017_RULES, ElementText
from surveys.models import Element, Instrument, InstrumentState, ServiceUnit
from surveys.services.audit import audit_record, in_site_language
from surveys.services.registry import unit_title
from surveys.services.responses import SubmissionInvalid


class InstrumentLocked(Exception):
    """A published or retired instrument cannot change; make a new version instead."""


def instrument_create(
    *, name: str, rules: str, elements: Sequence[ElementText], version: int = 1, unit: ServiceUnit | None = None
) -> Instrument:
    """A draft instrument with its elements in questionnaire order, from texts such as
    `instrument_data.PERMENPAN_14_2017`."""
    with transaction.atomic():
        instrument = Instrument.objects.create(name=name, version=version, rules=rules, unit=unit)
        Element.objects.bulk_create(
            Element(
                instrument=instrument,
                order=order,
                code=text["code"],
                name_id=text["name_id"],
                name_en=text["name_en"],
                question_id=text["question_id"],
                question_en=text["question_en"],
                option1_id=text["options_id"][0],
                option2_id=text["options_id"][1],
                option3_id=text["options_id"][2],
                option4_id=text["options_id"][3],
                option1_en=text["options_en"][0],
                option2_en=text["options_en"][1],
                option3_en=text["options_en"][2],
                option4_en=text["options_en"][3],
            )
            for order, text in enumerate(elements, start=1)
        )
    return instrument


def instrument_start(*, actor: AbstractBaseUser | AnonymousUser | None = None) -> Instrument:
    """The regulation's questionnaire (PermenPAN-RB 14/2017) as the city's first instrument, a
    city-wide draft to read, adjust and publish: how a city that starts from an empty database gets
    its questionnaire. Refused once the city has a city-wide instrument (make a new version of it)."""
    with transaction.atomic():
        if Instrument.objects.select_for_update().filter(unit=None).exists():
            raise InstrumentLocked(_("Kota sudah memiliki instrumen; buat versi baru dari instrumen itu."))
        draft = instrument_create(
            name=PERMENPAN_14_2017_NAME, rules=PERMENPAN_14_2017_RULES, elements=PERMENPAN_14_2017
        )
        summary = in_site_language(
            lambda: (
                _("Membuat %(draft)s (draf, seluruh kota) dari kuesioner PermenPAN-RB 14/2017") % {"draft": str(draft)}
            )
        )
        audit_record(actor=actor, action="instrument.start", target=draft, summary=summary)
    return draft


def instrument_publish(*, instrument: Instrument, actor: AbstractBaseUser | AnonymousUser | None = None) -> Instrument:
    """Publish a draft instrument; the one it replaces in the same scope is retired."""
    if instrument.state != InstrumentState.DRAFT:
        raise InstrumentLocked(_("Hanya instrumen berstatus draf yang dapat diterbitkan."))
    if not instrument.elements.exists():
        raise SubmissionInvalid(_("Instrumen belum memiliki unsur."))
    with transaction.atomic():
        current = Instrument.objects.select_for_update().filter(state=InstrumentState.PUBLISHED, unit=instrument.unit)
        replaced = list(current)
        current.update(state=InstrumentState.RETIRED)
        instrument.state = InstrumentState.PUBLISHED
        instrument.published_at = timezone.now()
        instrument.save(update_fields=["state", "published_at"])
        summary = in_site_language(
            lambda: (
                _("Menerbitkan %(instrument)s untuk %(scope)s%(retired)s")
                % {
                    "instrument": str(instrument),
                    "scope": _scope(instrument),
                    "retired": "".join(_("; %(old)s tidak dipakai lagi") % {"old": str(old)} for old in replaced),
                }
            )
        )
        audit_record(actor=actor, action="instrument.publish", target=instrument, summary=summary)
    return instrument


def instrument_new_version(
    *,
    instrument: Instrument,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    unit: ServiceUnit | Literal["same"] | None = "same",
) -> Instrument:
    """Copy an instrument and its elements into a new draft version for editing: for the same
    scope, or (`unit`) for one unit (None: city-wide). Element codes and the rule set are kept."""
    scope = instrument.unit if unit == "same" else unit
    with transaction.atomic():
        latest = Instrument.objects.filter(name=instrument.name).order_by("-version").first()
        draft = Instrument.objects.create(
            name=instrument.name,
            version=(latest.version if latest else instrument.version) + 1,
            rules=instrument.rules,
            unit=scope,
        )
        elements = list(instrument.elements.all())
        for element in elements:
            element.pk = None
            element.instrument = draft
        Element.objects.bulk_create(elements)
        summary = in_site_language(
            lambda: (
                _("Membuat %(draft)s (draf, %(scope)s) dari %(source)s")
                % {"draft": str(draft), "scope": _scope(draft), "source": str(instrument)}
            )
        )
        audit_record(
            actor=actor,
            action="instrument.new_version",
            target=draft,
            unit=scope,
            detail={"from": str(instrument)},
            summary=summary,
        )
    return draft


def _scope(instrument: Instrument) -> str:
    return unit_title(instrument.unit) if instrument.unit is not None else _("seluruh kota")


def element_update(*, element: Element, **changes: str) -> Element:
    """Change an element's wording; refused once its instrument is published."""
    if not element.instrument.is_editable:
        raise InstrumentLocked(_("Instrumen yang sudah terbit tidak dapat diubah; buat versi baru."))
    for name, value in changes.items():
        if name not in ELEMENT_TEXTS:
            raise InstrumentLocked(_("Kode unsur dan aturan mengikuti peraturan; yang dapat diubah hanya teksnya."))
        setattr(element, name, value)
    element.full_clean()
    element.save()
    return element


ELEMENT_TEXTS = (
    "name_id",
    "name_en",
    "question_id",
    "question_en",
    *(f"option{score}_{language}" for score in (1, 2, 3, 4) for language in ("id", "en")),
)


def instrument_texts_update(
    *,
    instrument: Instrument,
    texts: Mapping[int, Mapping[str, str]],
    actor: AbstractBaseUser | AnonymousUser | None = None,
) -> list[str]:
    """Change the wording of a draft's elements (by element id) in one go and log which elements
    changed; element codes, their order and the rule set stay as the regulation fixes them."""
    if not instrument.is_editable:
        raise InstrumentLocked(_("Instrumen yang sudah terbit tidak dapat diubah; buat versi baru."))
    changed: list[str] = []
    with transaction.atomic():
        for element in instrument.elements.select_for_update().order_by("order"):
            wanted = {
                name: value for name, value in texts.get(element.pk, {}).items() if getattr(element, name) != value
            }
            if wanted:
                element_update(element=element, **wanted)
                changed.append(f"U{element.order}")
        if changed:
            summary = in_site_language(
                lambda: (
                    _("Mengubah teks %(elements)s pada %(instrument)s")
                    % {"elements": ", ".join(changed), "instrument": str(instrument)}
                )
            )
            audit_record(actor=actor, action="instrument.edit", target=instrument, summary=summary)
    return changed
