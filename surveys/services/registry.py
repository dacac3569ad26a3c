"""The unit registry: units in the city's tree and their populations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils.translation import gettext as _

from surveys.models import Period, Response, ServiceUnit, UnitKind, UnitPopulation
from surveys.services.audit import AnyUser, audit_record, in_site_language
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


class Listed(Protocol):
    """A unit as a registry file lists it."""

    @property
    def code(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def parent_code(self) -> str: ...


def placement(row: Listed, by_code: Mapping[str, Listed], unit: ServiceUnit | None) -> tuple[str, str]:
    """Where a row's unit is filed: its parent and area codes. A kelurahan's area is the kecamatan
    it is listed under; a puskesmas listed under a kecamatan is filed under the Dinas Kesehatan
    (when the file has it) with that kecamatan as its area; an area set in the app is kept while
    the file does not say otherwise and that area stays a kecamatan."""
    parent_code, area_code = row.parent_code, ""
    listed = by_code.get(row.parent_code)
    if listed is not None and listed.kind == UnitKind.KECAMATAN:
        area_code = listed.code
    if row.kind == UnitKind.PUSKESMAS and HEALTH_OFFICE_CODE in by_code and row.code != HEALTH_OFFICE_CODE:
        parent_code = HEALTH_OFFICE_CODE
    kept = unit.area if unit is not None else None
    if not area_code and kept is not None and kept.kind == UnitKind.KECAMATAN:
        in_file = by_code.get(kept.code)
        if in_file is not None and in_file.kind == UnitKind.KECAMATAN:
            area_code = kept.code
    return parent_code, area_code


def units_import(*, rows: Sequence[UnitRow]) -> int:
    """Create or update the registry from rows ordered parents first; returns how many changed.
    Each unit is filed where `placement` says, as an uploaded registry file's would be."""
    changed = 0
    by_code = {row.code: row for row in rows}
    with transaction.atomic():
        units = {unit.code: unit for unit in ServiceUnit.objects.all()}
        for row in rows:
            if row.parent_code and row.parent_code not in units:
                raise SubmissionInvalid(f"unit {row.code}: parent {row.parent_code} is not in the registry")
            unit = units.get(row.code) or ServiceUnit(code=row.code)
            parent_code, area_code = placement(row, by_code, unit if unit.pk else None)
            wanted = (row.name, row.kind, units.get(parent_code), units.get(area_code))
            if unit.pk and (unit.name, unit.kind, unit.parent, unit.area) == wanted:
                continue
            unit.name, unit.kind, unit.parent, unit.area = wanted
            units[row.code] = unit_save(unit=unit)
            changed += 1
    return changed


def unit_population_set(
    *, unit: ServiceUnit, period: Period, population: int, actor: AnyUser | None = None
) -> UnitPopulation:
    """Record the number of service users of a unit in a period (N for the minimum sample)."""
    if isinstance(population, bool) or not isinstance(population, int) or population < 1:
        raise SubmissionInvalid(_("Populasi harus bilangan bulat paling sedikit 1."))
    with transaction.atomic():
        record, _created = UnitPopulation.objects.update_or_create(
            unit=unit, period=period, defaults={"population": population}
        )
        summary = in_site_language(
            lambda: (
                _("Menetapkan populasi %(population)s untuk %(unit)s pada periode %(period)s")
                % {"population": f"{population:,}".replace(",", "."), "unit": unit_title(unit), "period": period.name}
            )
        )
        audit_record(actor=actor, action="unit.population", target=record, unit=unit, summary=summary)
    return record


# --------------------------------------------------------------------------------------------
# Editing the registry in the app (issue 16): one unit at a time, or a whole file at once
# --------------------------------------------------------------------------------------------


class RegistryInvalid(Exception):
    """A registry change refused as a whole: `field` names the form field (or "" for the form)."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def unit_title(unit: ServiceUnit) -> str:
    """A unit as a person names it: 'Kelurahan 24 Ilir', 'Kecamatan Sukarami', 'Puskesmas Plaju'."""
    if unit.kind in (UnitKind.KECAMATAN, UnitKind.KELURAHAN):
        label = str(UnitKind(unit.kind).label)
        if not unit.name.lower().startswith(label.lower()):
            return f"{label} {unit.name}"
    return unit.name


def _check_unit(unit: ServiceUnit, *, old_code: str) -> None:
    """The rules every unit change keeps; raises `RegistryInvalid` naming the field."""
    if not unit.code.strip():
        raise RegistryInvalid(_("Kode unit wajib diisi."), field="code")
    if not unit.name.strip():
        raise RegistryInvalid(_("Nama unit wajib diisi."), field="name")
    if unit.kind not in UnitKind.values:
        raise RegistryInvalid(_("Jenis unit '%(kind)s' tidak dikenal.") % {"kind": unit.kind}, field="kind")
    if ServiceUnit.objects.filter(code=unit.code).exclude(pk=unit.pk).exists():
        raise RegistryInvalid(_("Kode '%(code)s' sudah dipakai unit lain.") % {"code": unit.code}, field="code")
    if unit.pk is not None and old_code != unit.code and Response.objects.filter(unit=unit).exists():
        raise RegistryInvalid(
            _("Kode unit yang sudah punya tanggapan tidak dapat diubah: kode itu tercetak di setiap kode QR."),
            field="code",
        )
    if unit.parent is not None and unit.pk is not None and _is_within(unit.parent, unit):
        raise RegistryInvalid(_("Unit tidak dapat dipindah ke bawah dirinya sendiri."), field="parent")
    if unit.area is not None and unit.area.kind != UnitKind.KECAMATAN:
        raise RegistryInvalid(_("Wilayah harus sebuah kecamatan."), field="area")


def _is_within(candidate: ServiceUnit, unit: ServiceUnit) -> bool:
    """Whether `candidate` is `unit` itself or below it in the tree (as stored)."""
    stored = ServiceUnit.objects.filter(pk=unit.pk).values_list("path", flat=True).first() or unit.path
    return candidate.pk == unit.pk or ServiceUnit.objects.filter(pk=candidate.pk, path__startswith=stored).exists()


def unit_create(
    *,
    actor: AnyUser | None,
    code: str,
    name: str,
    kind: str,
    parent: ServiceUnit | None,
    area: ServiceUnit | None = None,
) -> ServiceUnit:
    """Add a unit to the tree; refused (`RegistryInvalid`) with a duplicate code or a bad kind."""
    unit = ServiceUnit(code=code.strip(), name=name.strip(), kind=kind, parent=parent, area=area)
    _check_unit(unit, old_code="")
    with transaction.atomic():
        _unit_save_tree(unit=unit)
        audit_record(actor=actor, action="unit.create", target=unit, summary=in_site_language(lambda: _created(unit)))
    return unit


def _created(unit: ServiceUnit) -> str:
    kind = str(UnitKind(unit.kind).label)
    if unit.parent is None:
        return _("Menambah unit '%(unit)s' (%(kind)s)") % {"unit": unit.name, "kind": kind}
    return _("Menambah unit '%(unit)s' (%(kind)s) di bawah %(parent)s") % {
        "unit": unit.name,
        "kind": kind,
        "parent": unit_title(unit.parent),
    }


def unit_update(
    *,
    actor: AnyUser | None,
    unit: ServiceUnit,
    code: str,
    name: str,
    kind: str,
    parent: ServiceUnit | None,
    area: ServiceUnit | None,
) -> ServiceUnit:
    """Rename, move or re-file a unit. Its code may change only while it has no responses (the
    code is printed in every QR code); moving it under itself or its own descendant is refused."""
    before = ServiceUnit.objects.select_related("parent", "area").get(pk=unit.pk)
    unit.code, unit.name, unit.kind, unit.parent, unit.area = code.strip(), name.strip(), kind, parent, area
    _check_unit(unit, old_code=before.code)
    changes = _differences(before, unit)
    if not changes:
        return unit
    with transaction.atomic():
        _unit_save_tree(unit=unit)
        summary = in_site_language(
            lambda: _("Mengubah unit '%(unit)s': %(changes)s") % {"unit": before.name, "changes": "; ".join(changes)}
        )
        audit_record(actor=actor, action="unit.update", target=unit, summary=summary)
    return unit


def _differences(before: ServiceUnit, after: ServiceUnit) -> list[str]:
    def named(unit: ServiceUnit | None) -> str:
        return unit.name if unit is not None else "—"

    pairs = [
        (_("kode"), before.code, after.code),
        (_("nama"), before.name, after.name),
        (
            _("jenis"),
            str(UnitKind(before.kind).label),
            str(UnitKind(after.kind).label) if after.kind in UnitKind.values else after.kind,
        ),
        (_("induk"), named(before.parent), named(after.parent)),
        (_("wilayah"), named(before.area), named(after.area)),
    ]
    return [f"{label} '{old}' → '{new}'" for label, old, new in pairs if old != new]


def unit_set_active(*, actor: AnyUser | None, unit: ServiceUnit, active: bool) -> ServiceUnit:
    """Deactivate a unit (it leaves the citizen finder and new figures; its responses stay) or
    bring it back. Its code stays reserved either way, so old posters keep naming it."""
    if unit.is_active == active:
        return unit
    with transaction.atomic():
        unit.is_active = active
        unit.save(update_fields=["is_active"])
        if active:
            summary = in_site_language(lambda: _("Mengaktifkan kembali unit '%(unit)s'") % {"unit": unit_title(unit)})
        else:
            summary = in_site_language(lambda: _("Menonaktifkan unit '%(unit)s'") % {"unit": unit_title(unit)})
        action = "unit.reactivate" if active else "unit.deactivate"
        audit_record(actor=actor, action=action, target=unit, summary=summary)
    return unit
