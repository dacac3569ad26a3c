"""A whole registry file at once: planned (what would be added, changed, deactivated, or which
rows are wrong, by row and column), then applied all or nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from surveys.models import ServiceUnit, UnitKind
from surveys.services.audit import AnyUser, audit_record, in_site_language
from surveys.services.registry import (
    RegistryInvalid,
    placement,
    unit_create,
    unit_set_active,
    unit_update,
)


@dataclass(frozen=True)
class RegistryRow:
    """One row of an uploaded registry file, with its row number in the file (for messages)."""

    number: int
    code: str
    name: str
    kind: str
    parent_code: str


@dataclass(frozen=True)
class RowProblem:
    number: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Baris %(row)s, kolom %(column)s: %(problem)s") % {
            "row": self.number,
            "column": self.column,
            "problem": self.message,
        }


@dataclass(frozen=True)
class PlannedUnit:
    """What the file wants one unit to be, resolved: its parent and area by code."""

    row: RegistryRow
    parent_code: str
    area_code: str
    changes: tuple[str, ...] = ()


@dataclass
class RegistryPlan:
    """What applying a registry file would do: units added, changed and deactivated, or why not."""

    added: list[PlannedUnit] = field(default_factory=list)
    changed: list[PlannedUnit] = field(default_factory=list)
    unchanged: int = 0
    deactivated: list[ServiceUnit] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    order: list[PlannedUnit] = field(default_factory=list)  # added and changed, parents (and areas) first

    @property
    def is_valid(self) -> bool:
        return not self.problems

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.deactivated)

    def fingerprint(self) -> str:
        """What this plan would do, in a few bytes: a preview and its apply must agree on it."""
        parts = [
            *(f"+{planned.row.code}" for planned in self.added),
            *(f"~{planned.row.code}:{'|'.join(planned.changes)}" for planned in self.changed),
            *(f"-{unit.code}" for unit in self.deactivated),
        ]
        return hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()


def registry_plan(rows: Sequence[RegistryRow]) -> RegistryPlan:
    """Compare a registry file with the registry: the file is the whole registry, so a unit
    missing from it is deactivated. Every row is checked (known kind, unique code, a parent
    that is in the file, no unit under itself); any problem names its row and column."""
    plan = RegistryPlan()
    existing = {unit.code: unit for unit in ServiceUnit.objects.select_related("parent", "area")}
    by_code: dict[str, RegistryRow] = {}
    for row in rows:
        problems = _row_problems(row, by_code)
        plan.problems.extend(problems)
        if not any(problem.column == "code" for problem in problems):
            by_code.setdefault(row.code, row)
    for row in by_code.values():
        if row.parent_code and row.parent_code != row.code and row.parent_code not in by_code:
            message = _("induk '%(parent)s' tidak ada di berkas (setiap induk harus tercantum di berkas).")
            plan.problems.append(RowProblem(row.number, "parent_code", message % {"parent": row.parent_code}))
    plan.problems.extend(_cycles({code: row.parent_code for code, row in by_code.items()}, by_code))
    if not plan.problems:
        placed = {code: placement(row, by_code, existing.get(code)) for code, row in by_code.items()}
        plan.problems.extend(_cycles({code: parent for code, (parent, _area) in placed.items()}, by_code))
    if plan.problems:
        plan.problems.sort(key=lambda problem: problem.number)
        return plan
    for code, row in by_code.items():
        parent_code, area_code = placed[code]
        unit = existing.get(code)
        if unit is None:
            plan.added.append(PlannedUnit(row, parent_code, area_code))
            continue
        changes = _row_changes(unit, row, parent_code, area_code, by_code)
        if changes:
            plan.changed.append(PlannedUnit(row, parent_code, area_code, tuple(changes)))
        else:
            plan.unchanged += 1
    plan.deactivated = [unit for code, unit in existing.items() if code not in by_code and unit.is_active]
    plan.order = _in_order([*plan.added, *plan.changed], set(existing))
    stuck = {planned.row.code for planned in [*plan.added, *plan.changed]} - {
        planned.row.code for planned in plan.order
    }
    for code in sorted(stuck, key=lambda code: by_code[code].number):
        message = _("unit berada di bawah dirinya sendiri melalui induk atau wilayahnya.")
        plan.problems.append(RowProblem(by_code[code].number, "parent_code", message))
    return plan


def _in_order(pending: list[PlannedUnit], existing: set[str]) -> list[PlannedUnit]:
    """The planned units with each one after its parent and its area (those already in the
    registry and untouched count as placed); a unit that can never be placed is left out."""
    waiting = {planned.row.code: planned for planned in pending}
    placed = existing - set(waiting)
    order: list[PlannedUnit] = []
    while waiting:
        ready = [
            planned
            for planned in waiting.values()
            if all(not code or code in placed for code in (planned.parent_code, planned.area_code))
        ]
        if not ready:
            break
        for planned in ready:
            del waiting[planned.row.code]
            placed.add(planned.row.code)
            order.append(planned)
    return order


def _row_problems(row: RegistryRow, seen: dict[str, RegistryRow]) -> list[RowProblem]:
    problems = []
    if not row.code:
        problems.append(RowProblem(row.number, "code", _("kode wajib diisi.")))
    elif row.code in seen:
        message = _("kode '%(code)s' sudah dipakai di baris %(first)s.") % {
            "code": row.code,
            "first": seen[row.code].number,
        }
        problems.append(RowProblem(row.number, "code", message))
    if not row.name:
        problems.append(RowProblem(row.number, "name", _("nama wajib diisi.")))
    if row.kind not in UnitKind.values:
        kinds = ", ".join(UnitKind.values)
        message = _("jenis '%(kind)s' tidak dikenal; pilih salah satu: %(kinds)s.") % {"kind": row.kind, "kinds": kinds}
        problems.append(RowProblem(row.number, "kind", message))
    if row.code and row.parent_code == row.code:
        problems.append(RowProblem(row.number, "parent_code", _("unit tidak dapat berada di bawah dirinya sendiri.")))
    return problems


def _cycles(parents: dict[str, str], by_code: dict[str, RegistryRow]) -> list[RowProblem]:
    """Rows whose chain of parents comes back to themselves (A under B under A)."""
    problems = []
    for code, row in by_code.items():
        chain, current = [code], parents.get(code, "")
        while current and current != code and current in parents and len(chain) <= len(parents):
            chain.append(current)
            current = parents[current]
        if current == code and len(chain) > 1:
            message = _("unit berada di bawah dirinya sendiri (%(chain)s).") % {"chain": " → ".join([*chain, code])}
            problems.append(RowProblem(row.number, "parent_code", message))
    return problems


def _row_changes(
    unit: ServiceUnit, row: RegistryRow, parent_code: str, area_code: str, by_code: dict[str, RegistryRow]
) -> list[str]:
    def name_of(code: str) -> str:
        return by_code[code].name if code in by_code else code or "—"

    def unit_name(other: ServiceUnit | None) -> str:
        return other.name if other is not None else "—"

    changes = []
    if unit.name != row.name:
        changes.append(_("nama '%(old)s' → '%(new)s'") % {"old": unit.name, "new": row.name})
    if unit.kind != row.kind:
        changes.append(_("jenis '%(old)s' → '%(new)s'") % {"old": unit.kind, "new": row.kind})
    if (unit.parent.code if unit.parent else "") != parent_code:
        changes.append(_("induk '%(old)s' → '%(new)s'") % {"old": unit_name(unit.parent), "new": name_of(parent_code)})
    if (unit.area.code if unit.area else "") != area_code:
        changes.append(_("wilayah '%(old)s' → '%(new)s'") % {"old": unit_name(unit.area), "new": name_of(area_code)})
    if not unit.is_active:
        changes.append(_("diaktifkan kembali"))
    return changes


def registry_apply(*, rows: Sequence[RegistryRow], actor: AnyUser | None, previewed: str = "") -> RegistryPlan:
    """Apply a registry file all or nothing: planned again against the registry as it is now
    (never from what a browser sends back), then every change in one transaction. With
    `previewed` (the fingerprint of the plan the user saw), a registry that changed since the
    preview is refused, so what is applied is exactly what was shown."""
    with transaction.atomic():
        list(ServiceUnit.objects.select_for_update().values_list("pk", flat=True))
        plan = registry_plan(rows)
        if not plan.is_valid:
            raise RegistryInvalid("\n".join(str(problem) for problem in plan.problems))
        if previewed and plan.fingerprint() != previewed:
            raise RegistryInvalid(_("Registri berubah sejak pratinjau dibuat; periksa berkasnya sekali lagi."))
        units = {unit.code: unit for unit in ServiceUnit.objects.all()}
        for planned in plan.order:
            _apply_row(planned, units, actor)
        for unit in plan.deactivated:
            unit_set_active(actor=actor, unit=units[unit.code], active=False)
        summary = in_site_language(
            lambda: (
                _("Mengunggah registri unit: %(added)s ditambah, %(changed)s diubah, %(deactivated)s dinonaktifkan")
                % {"added": len(plan.added), "changed": len(plan.changed), "deactivated": len(plan.deactivated)}
            )
        )
        audit_record(actor=actor, action="registry.upload", target=None, summary=summary)
    return plan


def _apply_row(planned: PlannedUnit, units: dict[str, ServiceUnit], actor: AnyUser | None) -> None:
    row = planned.row
    parent = units.get(planned.parent_code) if planned.parent_code else None
    area = units.get(planned.area_code) if planned.area_code else None
    unit = units.get(row.code)
    if unit is None:
        units[row.code] = unit_create(
            actor=actor, code=row.code, name=row.name, kind=row.kind, parent=parent, area=area
        )
        return
    if not unit.is_active:
        unit_set_active(actor=actor, unit=unit, active=True)
    unit_update(actor=actor, unit=unit, code=unit.code, name=row.name, kind=row.kind, parent=parent, area=area)
