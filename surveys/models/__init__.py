"""The survey's data: units and their services, questionnaires, periods and responses.

Models are thin: fields, constraints and query vocabulary. Writes live in `services.py`,
reads in `selectors.py`; who may see which unit is decided in `access.py`.
"""

from surveys.models.audit import AuditEvent, AuditEventQuerySet, AuditLogImmutable
from surveys.models.city_settings import GRACE_DAYS_MAX, GRACE_DAYS_MIN, SurveySettings
from surveys.models.imports import ImportJob, ImportStatus
from surveys.models.instruments import Element, Instrument, InstrumentQuerySet, InstrumentState
from surveys.models.kiosks import Kiosk
from surveys.models.periods import Period, PeriodKind, PeriodQuerySet, PeriodState
from surveys.models.responses import (
    COUNTABLE,
    Answer,
    Channel,
    Education,
    ExclusionProposal,
    Occupation,
    ProposalDecision,
    Reason,
    Response,
    ResponseQuerySet,
    ResponseState,
    Sex,
    is_counted,
)
from surveys.models.staff import StaffProfile, StaffRole
from surveys.models.tallies import AnswerTally, RespondentTally
from surveys.models.units import (
    SERVING_PUBLIC,
    Service,
    ServiceUnit,
    ServiceUnitQuerySet,
    UnitKind,
    UnitPopulation,
)

__all__ = [
    "COUNTABLE",
    "GRACE_DAYS_MAX",
    "GRACE_DAYS_MIN",
    "SERVING_PUBLIC",
    "Answer",
    "AnswerTally",
    "AuditEvent",
    "AuditEventQuerySet",
    "AuditLogImmutable",
    "Channel",
    "Education",
    "Element",
    "ExclusionProposal",
    "ImportJob",
    "ImportStatus",
    "Instrument",
    "InstrumentQuerySet",
    "InstrumentState",
    "Kiosk",
    "Occupation",
    "Period",
    "PeriodKind",
    "PeriodQuerySet",
    "PeriodState",
    "ProposalDecision",
    "Reason",
    "RespondentTally",
    "Response",
    "ResponseQuerySet",
    "ResponseState",
    "Service",
    "ServiceUnit",
    "ServiceUnitQuerySet",
    "Sex",
    "StaffProfile",
    "StaffRole",
    "SurveySettings",
    "UnitKind",
    "UnitPopulation",
    "is_counted",
]
