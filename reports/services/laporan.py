"""Writes for the Laporan Hasil SKM: its editable texts (per unit, or the city, and period choice)
and who signs it (per unit, or the city). Each change is audited in the same transaction, in
words a person reads: which sections changed, for which report."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from reports.laporan.suggestions import plain
from reports.laporan.texts import EDITABLE, ScheduleError, default_texts, parse_schedule, section_names
from reports.models import ReportSignatory, ReportText
from reports.periods import PeriodChoice
from surveys.models import ServiceUnit
from surveys.services import AnyUser, acting_user, audit_record

TEXT_LIMITS = {"background": 6000, "executor": 3000, "location": 3000, "schedule": 3000, "recommendation": 6000}
NIP = re.compile(r"^[0-9 ]{0,30}$")


class ReportTextError(ValueError):
    """Report texts or a signatory that cannot be kept; the message is for the user."""


def _normalised(name: str, value: str, default: str) -> str:
    text = plain(value).replace("\r\n", "\n").strip()
    if len(text) > TEXT_LIMITS[name]:
        raise ReportTextError(
            _("%(section)s paling panjang %(limit)d karakter.")
            % {"section": section_names()[name], "limit": TEXT_LIMITS[name]}
        )
    return "" if text == default.strip() else text  # the default wording is kept as "use the default"


def report_text_save(
    *, unit: ServiceUnit | None, choice: PeriodChoice, user: AnyUser | None, texts: dict[str, str]
) -> ReportText:
    """Keep the texts of a unit's (None: the city's) report for a period choice. A text equal to
    its default (or empty) is kept empty, meaning the default. Refuses an unreadable schedule."""
    defaults = default_texts(unit=unit, choice=choice)
    values = {name: _normalised(name, texts.get(name, ""), defaults[name]) for name in EDITABLE}
    if values["schedule"]:
        try:
            parse_schedule(values["schedule"])
        except ScheduleError as error:
            raise ReportTextError(str(error)) from error
    with transaction.atomic():
        stored, _created = ReportText.objects.select_for_update().get_or_create(
            unit=unit, scope=choice.value, defaults={"scope_label": choice.label}
        )
        changed = [name for name in EDITABLE if getattr(stored, name) != values[name]]
        if not changed:
            return stored
        for name in EDITABLE:
            setattr(stored, name, values[name])
        stored.scope_label = choice.label
        stored.updated_by = acting_user(user)
        stored.save()
        names = section_names()
        audit_record(
            actor=user,
            action="report.texts",
            target=stored,
            unit=unit,
            detail={
                "laporan": choice.label,
                "bagian diubah": ", ".join(names[name] for name in changed),
                "kembali ke teks baku": ", ".join(names[name] for name in changed if not values[name]) or "-",
            },
        )
    return stored


def report_signatory_save(
    *, unit: ServiceUnit | None, user: AnyUser | None, place: str, name: str, nip: str, title: str
) -> ReportSignatory:
    """Keep who signs a unit's (None: the city's) reports."""
    fields = {"place": place, "name": name, "nip": nip, "title": title}
    limits = {"place": 100, "name": 150, "nip": 30, "title": 200}
    cleaned = {key: " ".join(plain(value).split()) for key, value in fields.items()}
    for key, value in cleaned.items():
        if len(value) > limits[key]:
            raise ReportTextError(_("Isian penandatangan terlalu panjang."))
    if not NIP.match(cleaned["nip"]):
        raise ReportTextError(_("NIP hanya berisi angka (dan spasi)."))
    with transaction.atomic():
        signatory, _created = ReportSignatory.objects.select_for_update().get_or_create(unit=unit)
        changed = [key for key, value in cleaned.items() if getattr(signatory, key) != value]
        if not changed:
            return signatory
        for key, value in cleaned.items():
            setattr(signatory, key, value)
        signatory.save()
        labels = {"place": _("tempat"), "name": _("nama"), "nip": _("NIP"), "title": _("jabatan")}
        audit_record(
            actor=user,
            action="report.signatory",
            target=signatory,
            unit=unit,
            detail={"diubah": ", ".join(labels[key] for key in changed)},
        )
    return signatory
