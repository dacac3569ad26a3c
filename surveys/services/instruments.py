"""Questionnaires: drafts, versions and publication (a published instrument never changes)."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys.instrument_data import ElementText
from surveys.models import Element, Instrument, InstrumentState, ServiceUnit
from surveys.services.audit import audit_record
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


def instrument_publish(*, instrument: Instrument, actor: AbstractBaseUser | AnonymousUser | None = None) -> Instrument:
    """Publish a draft instrument; the one it replaces in the same scope is retired."""
    if instrument.state != InstrumentState.DRAFT:
        raise InstrumentLocked(_("Hanya instrumen berstatus draf yang dapat diterbitkan."))
    if not instrument.elements.exists():
        raise SubmissionInvalid(_("Instrumen belum memiliki unsur."))
    with transaction.atomic():
        Instrument.objects.filter(state=InstrumentState.PUBLISHED, unit=instrument.unit).update(
            state=InstrumentState.RETIRED
        )
        instrument.state = InstrumentState.PUBLISHED
        instrument.published_at = timezone.now()
        instrument.save(update_fields=["state", "published_at"])
        audit_record(actor=actor, action="instrument.publish", target=instrument)
    return instrument


def instrument_new_version(
    *, instrument: Instrument, actor: AbstractBaseUser | AnonymousUser | None = None
) -> Instrument:
    """Copy an instrument and its elements into a new draft version for editing."""
    with transaction.atomic():
        latest = Instrument.objects.filter(name=instrument.name).order_by("-version").first()
        draft = Instrument.objects.create(
            name=instrument.name,
            version=(latest.version if latest else instrument.version) + 1,
            rules=instrument.rules,
            unit=instrument.unit,
        )
        elements = list(instrument.elements.all())
        for element in elements:
            element.pk = None
            element.instrument = draft
        Element.objects.bulk_create(elements)
        audit_record(actor=actor, action="instrument.new_version", target=draft, detail={"from": str(instrument)})
    return draft


def element_update(*, element: Element, **changes: str) -> Element:
    """Change an element's wording; refused once its instrument is published."""
    if not element.instrument.is_editable:
        raise InstrumentLocked(_("Instrumen yang sudah terbit tidak dapat diubah; buat versi baru."))
    for name, value in changes.items():
        setattr(element, name, value)
    element.full_clean()
    element.save()
    return element
