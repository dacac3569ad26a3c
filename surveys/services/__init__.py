"""Writes: every change to survey data goes through a keyword-only function in this package.

One module per topic; everything public is importable from `surveys.services`.
"""

from surveys.services.audit import AUDIT_LABEL_MAX, AnyUser, acting_user, audit_record
from surveys.services.catalogue import service_add, service_rename, service_set_active
from surveys.services.instruments import (
    InstrumentLocked,
    element_update,
    instrument_create,
    instrument_new_version,
    instrument_publish,
    instrument_texts_update,
)
from surveys.services.kiosks import kiosk_register, kiosk_revoke
from surveys.services.periods import PeriodError, period_bounds, period_create
from surveys.services.registry import (
    HEALTH_OFFICE_CODE,
    RegistryInvalid,
    UnitRow,
    unit_create,
    unit_path,
    unit_population_set,
    unit_save,
    unit_set_active,
    unit_title,
    unit_update,
    units_import,
)
from surveys.services.registry_file import RegistryPlan, RegistryRow, registry_apply, registry_plan
from surveys.services.responses import (
    SUBMIT_CALL,
    ImportResult,
    Profile,
    Submission,
    SubmissionInvalid,
    SubmitResult,
    paper_entry_submit,
    response_submit,
    responses_import,
)
from surveys.services.retention import PurgeResult, responses_purge_free_text
from surveys.services.review import (
    ReviewRefused,
    exclusion_decide,
    exclusion_propose,
    response_exclude,
    response_reinstate,
    responses_reject,
    responses_release,
)

__all__ = [
    "AUDIT_LABEL_MAX",
    "HEALTH_OFFICE_CODE",
    "SUBMIT_CALL",
    "AnyUser",
    "ImportResult",
    "InstrumentLocked",
    "PeriodError",
    "Profile",
    "PurgeResult",
    "RegistryInvalid",
    "RegistryPlan",
    "RegistryRow",
    "ReviewRefused",
    "Submission",
    "SubmissionInvalid",
    "SubmitResult",
    "UnitRow",
    "acting_user",
    "audit_record",
    "element_update",
    "exclusion_decide",
    "exclusion_propose",
    "instrument_create",
    "instrument_new_version",
    "instrument_publish",
    "instrument_texts_update",
    "kiosk_register",
    "kiosk_revoke",
    "paper_entry_submit",
    "period_bounds",
    "period_create",
    "registry_apply",
    "registry_plan",
    "response_exclude",
    "response_reinstate",
    "response_submit",
    "responses_import",
    "responses_purge_free_text",
    "responses_reject",
    "responses_release",
    "service_add",
    "service_rename",
    "service_set_active",
    "unit_create",
    "unit_path",
    "unit_population_set",
    "unit_save",
    "unit_set_active",
    "unit_title",
    "unit_update",
    "units_import",
]
