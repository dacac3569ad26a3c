"""Running totals kept in step with the responses that count (see `surveys.tallies`)."""

from __future__ import annotations

from django.db import models

from surveys.models.periods import Period
from surveys.models.responses import Channel
from surveys.models.units import ServiceUnit

# The tally schema, stated once: the key each running total is kept by and the counters it keeps.
# `surveys.tallies` (the Python upserts and the rebuild), the reports that read the tallies and the
# PostgreSQL functions of migrations 0007/0009 all follow these (a test reads the functions' SQL).
SCORES = (1, 2, 3, 4)
ANSWER_TALLY_KEY = ("unit", "period", "service_ref", "channel", "element_code")
ANSWER_TALLY_COUNTERS = ("answers", "total", *(f"c{score}" for score in SCORES))
RESPONDENT_TALLY_KEY = ("unit", "period", "service_ref", "channel", "answered")
RESPONDENT_TALLY_COUNTERS = ("respondents", "score_sum", "score_sum_sq")


class AnswerTally(models.Model):
    """Running totals per unit, period, service, channel and element, kept in step with submissions.

    Reports read these few rows instead of scanning every answer. `service_ref` is the service id,
    or 0 for none, so that the unique key has no NULLs. Only countable responses are tallied.
    """

    unit = models.ForeignKey(ServiceUnit, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    service_ref = models.BigIntegerField(default=0)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    element_code = models.CharField(max_length=40)
    answers = models.BigIntegerField(default=0)
    total = models.BigIntegerField(default=0)
    c1 = models.BigIntegerField(default=0)
    c2 = models.BigIntegerField(default=0)
    c3 = models.BigIntegerField(default=0)
    c4 = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=ANSWER_TALLY_KEY, name="answer_tally_key")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.period_id}/{self.element_code}: {self.total}/{self.answers}"


class RespondentTally(models.Model):
    """Running respondent counts and score-sum moments per unit, period, service, channel and
    number of answered elements (for n and the spread of respondents' mean scores)."""

    unit = models.ForeignKey(ServiceUnit, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    service_ref = models.BigIntegerField(default=0)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    answered = models.PositiveSmallIntegerField()
    respondents = models.BigIntegerField(default=0)
    score_sum = models.BigIntegerField(default=0)
    score_sum_sq = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=RESPONDENT_TALLY_KEY, name="respondent_tally_key")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.period_id}: {self.respondents}"
