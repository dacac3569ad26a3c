from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from surveys import services
from surveys.models import (
    Answer,
    AuditEvent,
    Element,
    Instrument,
    Kiosk,
    Period,
    Response,
    Service,
    ServiceUnit,
    StaffProfile,
    UnitPopulation,
)


class ServiceInline(admin.TabularInline[Service, ServiceUnit]):
    model = Service
    extra = 0


@admin.register(ServiceUnit)
class ServiceUnitAdmin(admin.ModelAdmin[ServiceUnit]):
    list_display = ["code", "name", "kind", "parent", "area", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent", "area"]
    inlines = [ServiceInline]

    def save_model(self, request: HttpRequest, obj: ServiceUnit, form: Any, change: bool) -> None:
        services.unit_save(unit=obj, actor=request.user)


class ElementInline(admin.StackedInline[Element, Instrument]):
    model = Element
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Instrument | None = None) -> bool:
        return obj is None or obj.is_editable

    def has_change_permission(self, request: HttpRequest, obj: Instrument | None = None) -> bool:
        return obj is None or obj.is_editable

    def has_delete_permission(self, request: HttpRequest, obj: Instrument | None = None) -> bool:
        return obj is None or obj.is_editable


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin[Instrument]):
    list_display = ["name", "version", "rules", "unit", "state", "published_at"]
    list_filter = ["state", "rules"]
    inlines = [ElementInline]
    actions = ["publish", "new_version"]

    def get_readonly_fields(self, request: HttpRequest, obj: Instrument | None = None) -> list[str]:
        if obj is not None and not obj.is_editable:
            return ["name", "version", "rules", "unit", "state", "published_at"]
        return ["state", "published_at"]

    def has_delete_permission(self, request: HttpRequest, obj: Instrument | None = None) -> bool:
        return obj is None or obj.is_editable

    @admin.action(description="Terbitkan instrumen draf terpilih")
    def publish(self, request: HttpRequest, queryset: Any) -> None:
        for instrument in queryset:
            services.instrument_publish(instrument=instrument, actor=request.user)

    @admin.action(description="Buat versi baru (draf) dari instrumen terpilih")
    def new_version(self, request: HttpRequest, queryset: Any) -> None:
        for instrument in queryset:
            services.instrument_new_version(instrument=instrument, actor=request.user)


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin[Period]):
    """Read only: periods are created, closed, reopened and published at /petugas/periode/, where
    closing freezes the results and periods are kept from overlapping."""

    list_display = ["name", "kind", "start", "end", "state"]
    list_filter = ["kind", "state"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Period | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Period | None = None) -> bool:
        return False


@admin.register(UnitPopulation)
class UnitPopulationAdmin(admin.ModelAdmin[UnitPopulation]):
    list_display = ["unit", "period", "population"]
    list_filter = ["period"]
    autocomplete_fields = ["unit"]


class AnswerInline(admin.TabularInline[Answer, Response]):
    model = Answer
    extra = 0
    can_delete = False
    readonly_fields = ["element", "score"]

    def has_add_permission(self, request: HttpRequest, obj: Response | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Response | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Response | None = None) -> bool:
        return False


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin[Response]):
    """Read only: a response enters or leaves the index through the services (submission, paper
    entry, import, review), which keep the running tallies in step and write the audit log; an
    edit or a delete here would do neither."""

    list_display = ["submitted_at", "unit", "period", "channel", "score_sum", "state", "reason", "is_test"]
    list_filter = ["channel", "state", "reason", "is_test", "period"]
    search_fields = ["unit__code", "unit__name"]
    list_select_related = ["unit", "period"]
    readonly_fields = [field.name for field in Response._meta.fields]
    inlines = [AnswerInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Response | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Response | None = None) -> bool:
        return False


@admin.register(Kiosk)
class KioskAdmin(admin.ModelAdmin[Kiosk]):
    list_display = ["label", "unit", "created_at", "revoked_at"]
    readonly_fields = ["token", "created_at"]

    def save_model(self, request: HttpRequest, obj: Kiosk, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.audit_record(
            actor=request.user,
            action="kiosk.update" if change else "kiosk.register",
            target=obj,
            detail={"changed": list(form.changed_data)},
        )


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin[StaffProfile]):
    list_display = ["user", "role"]
    list_filter = ["role"]
    filter_horizontal = ["units"]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        profile: StaffProfile = form.instance
        services.audit_record(
            actor=request.user,
            action="role.update" if change else "role.grant",
            target=profile,
            detail={
                "role": profile.role,
                "units": sorted(unit.code for unit in profile.units.all()),
                "changed": list(form.changed_data),
            },
        )

    def delete_model(self, request: HttpRequest, obj: StaffProfile) -> None:
        services.audit_record(actor=request.user, action="role.revoke", target=obj, detail={"role": obj.role})
        super().delete_model(request, obj)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the audit log can be viewed here, never added to, changed or deleted."""

    list_display = ["created_at", "actor_username", "action", "object_label", "unit"]
    list_filter = ["action"]
    search_fields = ["actor_username", "action", "object_label"]
    readonly_fields = [field.name for field in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
