"""The unit registry: units in the city's tree and their populations."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from surveys.models import Period, Response, ServiceUnit, UnitKind, UnitPopulation
from surveys.services.audit import AnyUser, audit_record
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
        summary = audit_words(
            lambda: (
                _("Menetapkan populasi %(population)s untuk %(unit)s pada periode %(period)s")
                % {"population": f"{population:,}".replace(",", "."), "unit": unit_title(unit), "period": period.name}
            )
        )
        audit_record(actor=actor, action="unit.population", target=record, unit=unit, detail={"summary": summary})
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


def audit_words(summary: Callable[[], str]) -> str:
    """An audit sentence in the site's language (the log is read by the city, whoever acted)."""
    with translation.override(settings.LANGUAGE_CODE):
        return summary()


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
        audit_record(
            actor=actor, action="unit.create", target=unit, detail={"summary": audit_words(lambda: _created(unit))}
        )
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
        summary = audit_words(
            lambda: _("Mengubah unit '%(unit)s': %(changes)s") % {"unit": before.name, "changes": "; ".join(changes)}
        )
        audit_record(actor=actor, action="unit.update", target=unit, detail={"summary": summary})
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
            summary = audit_words(lambda: _("Mengaktifkan kembali unit '%(unit)s'") % {"unit": unit_title(unit)})
        else:
            summary = audit_words(lambda: _("Menonaktifkan unit '%(unit)s'") % {"unit": unit_title(unit)})
        action = "unit.reactivate" if active else "unit.deactivate"
        audit_record(actor=actor, action=action, target=unit, detail={"summary": summary})
    return unit


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
    plan.problems.extend(_cycles(by_code))
    if plan.problems:
        plan.problems.sort(key=lambda problem: problem.number)
        return plan
    health_office = HEALTH_OFFICE_CODE if HEALTH_OFFICE_CODE in by_code else ""
    for row in by_code.values():
        parent_code, area_code = row.parent_code, ""
        listed = by_code.get(row.parent_code)
        if listed is not None and listed.kind == UnitKind.KECAMATAN:
            area_code = listed.code
        if row.kind == UnitKind.PUSKESMAS and health_office:
            parent_code = health_office
        unit = existing.get(row.code)
        if unit is None:
            plan.added.append(PlannedUnit(row, parent_code, area_code))
            continue
        if not area_code and unit.area is not None:
            area_code = unit.area.code  # the file does not say: keep what was set in the app
        changes = _row_changes(unit, row, parent_code, area_code, by_code)
        if changes:
            plan.changed.append(PlannedUnit(row, parent_code, area_code, tuple(changes)))
        else:
            plan.unchanged += 1
    plan.deactivated = [unit for code, unit in existing.items() if code not in by_code and unit.is_active]
    return plan


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


def _cycles(by_code: dict[str, RegistryRow]) -> list[RowProblem]:
    """Rows whose chain of parents comes back to themselves (A under B under A)."""
    problems = []
    for row in by_code.values():
        chain, current = [row.code], by_code.get(row.parent_code)
        while current is not None and current.code != row.code and len(chain) <= len(by_code):
            chain.append(current.code)
            current = by_code.get(current.parent_code)
        if current is not None and current.code == row.code and len(chain) > 1:
            message = _("unit berada di bawah dirinya sendiri (%(chain)s).") % {"chain": " → ".join([*chain, row.code])}
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
        pending = {planned.row.code: planned for planned in [*plan.added, *plan.changed]}
        for planned in _parents_first(pending, units):
            _apply_row(planned, units, actor)
        for unit in plan.deactivated:
            unit_set_active(actor=actor, unit=units[unit.code], active=False)
        summary = audit_words(
            lambda: (
                _("Mengunggah registri unit: %(added)s ditambah, %(changed)s diubah, %(deactivated)s dinonaktifkan")
                % {"added": len(plan.added), "changed": len(plan.changed), "deactivated": len(plan.deactivated)}
            )
        )
        audit_record(actor=actor, action="registry.upload", target=None, detail={"summary": summary})
    return plan


def _parents_first(pending: dict[str, PlannedUnit], units: dict[str, ServiceUnit]) -> Iterator[PlannedUnit]:
    done = {code for code in units if code not in pending}
    while pending:
        ready = [planned for code, planned in pending.items() if not planned.parent_code or planned.parent_code in done]
        if not ready:  # cannot happen after `registry_plan`'s cycle check; refuse rather than loop
            raise RegistryInvalid(_("Registri memuat lingkaran induk."))
        for planned in ready:
            del pending[planned.row.code]
            done.add(planned.row.code)
            yield planned


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
