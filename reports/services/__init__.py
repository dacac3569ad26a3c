"""Writes for periods, frozen results, follow-up plans and the report's texts: keyword-only functions.

A period moves open → closed → published, and only through these functions. Closing stores a
snapshot of every unit's result; a later recomputation adds a revision and never edits an
earlier one. Published pages read the latest revision; earlier revisions stay viewable.
"""

from reports.services.followups import FollowUpError, followup_create, followup_delete, followup_update
from reports.services.laporan import ReportTextError, report_signatory_save, report_text_save
from reports.services.periods import (
    CLOSE_REASON,
    PeriodError,
    period_bounds,
    period_close,
    period_create,
    period_publish,
    period_reopen,
    snapshot_recompute,
)

__all__ = [
    "CLOSE_REASON",
    "FollowUpError",
    "PeriodError",
    "ReportTextError",
    "followup_create",
    "followup_delete",
    "followup_update",
    "period_bounds",
    "period_close",
    "period_create",
    "period_publish",
    "period_reopen",
    "report_signatory_save",
    "report_text_save",
    "snapshot_recompute",
]
