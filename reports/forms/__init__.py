"""Forms of the report pages, by screen: filters, periods and populations, follow-up plans."""

from reports.forms.filters import (
    CityFilterForm,
    PeriodFilterForm,
    PublicFilterForm,
    SuggestionFilterForm,
    UnitFilterForm,
)
from reports.forms.followups import FollowUpForm
from reports.forms.periods import PeriodCreateForm, PopulationForm, RecomputeForm

__all__ = [
    "CityFilterForm",
    "FollowUpForm",
    "PeriodCreateForm",
    "PeriodFilterForm",
    "PopulationForm",
    "PublicFilterForm",
    "RecomputeForm",
    "SuggestionFilterForm",
    "UnitFilterForm",
]
