"""The unit registry: units in the city's tree and their populations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils.translation import gettext as _

from surveys.models import Period, ServiceUnit, UnitPopulation
from surveys.services.audit import audit_record
from surveys.services.responses import SubmissionInvalid


def unit_path(*, code: str, parent: ServiceUnit | None) -> str:
    return f"{parent.path if parent else '/'}{code}/"


def unit_save(*, unit: ServiceUnit, actor: AbstractBaseUser | AnonymousUser | None = None) -> ServiceUnit:
    """Save a unit and keep its materialised path (and its descendants' paths) in step."""
    with transaction.atomic():
        created = unit.pk is None
        _unit_save_tree(unit=unit)
        audit_record(actor=actor, action="unit.create" if created else "unit.update", target=unit)
    return unit


def _unit_save_tree(*, unit: ServiceUnit) -> None:
    old_path = unit.path
    unit.path = unit_path(code=unit.code, parent=unit.parent)
    unit.save()
    if old_path and old_path != unit.path:
        for child in ServiceUnit.objects.filter(parent=unit):
            _unit_save_tree(unit=child)


@dataclass(frozen=True)
class UnitRow:
    """One row of a unit registry file (`code,name,kind,parent_code`)."""

    code: str
    name: str
    kind: str
    parent_code: str


HEALTH_OFFICE_CODE = "opd-dinkes"


def units_import(*, rows: Sequence[UnitRow]) -> int:
    """Create or update the registry from rows ordered parents first; returns how many changed.

    A puskesmas in the file hangs under its kecamatan (or the city, where its kecamatan is not
    certain); organisationally it belongs to the Dinas Kesehatan, so it is filed there with the
    kecamatan kept as its `area`. A kelurahan's area is its kecamatan.
    """
    changed = 0
    with transaction.atomic():
        units = {unit.code: unit for unit in ServiceUnit.objects.all()}
        for row in rows:
            listed_parent = units.get(row.parent_code) if row.parent_code else None
            if row.parent_code and listed_parent is None:
                raise SubmissionInvalid(f"unit {row.code}: parent {row.parent_code} is not in the registry")
            parent = listed_parent
            area = listed_parent if listed_parent is not None and listed_parent.kind == "kecamatan" else None
            if row.kind == "puskesmas" and HEALTH_OFFICE_CODE in units:
                parent = units[HEALTH_OFFICE_CODE]
            unit = units.get(row.code) or ServiceUnit(code=row.code)
            wanted = (row.name, row.kind, parent, area)
            if unit.pk and (unit.name, unit.kind, unit.parent, unit.area) == wanted:
                continue
            unit.name, unit.kind, unit.parent, unit.area = wanted
            units[row.code] = unit_save(unit=unit)
            changed += 1
    return changed


def unit_population_set(*, unit: ServiceUnit, period: Period, population: int) -> UnitPopulation:
    """Record the number of service users of a unit in a period (N for the minimum sample)."""
    if isinstance(population, bool) or not isinstance(population, int) or population < 1:
        raise SubmissionInvalid(_("Populasi harus bilangan bulat paling sedikit 1."))
    record, _created = UnitPopulation.objects.update_or_create(
        unit=unit, period=period, defaults={"population": population}
    )
    return record
