"""The city's survey settings that the secretariat keeps in the app ("Pengaturan survei")."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The bounds of the grace a queued kiosk form has to arrive (SURVEY_KIOSK_QUEUE_GRACE_DAYS has the
#: same). Not 0: every kiosk form goes through the queue, so a grace of 0 would refuse them all.
GRACE_DAYS_MIN = 1
GRACE_DAYS_MAX = 30
SINGLE_ROW = 1


class SurveySettings(models.Model):
    """One row for the whole city (its id is always 1). Until the secretariat first saves it,
    `defaults()` stands in, with the deployment's values (`SURVEY_KIOSK_QUEUE_GRACE_DAYS`)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLE_ROW, editable=False)
    kiosk_queue_grace_days = models.PositiveSmallIntegerField(
        _("tenggang antrean kios (hari)"),
        validators=[MinValueValidator(GRACE_DAYS_MIN), MaxValueValidator(GRACE_DAYS_MAX)],
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("pengaturan survei")
        verbose_name_plural = _("pengaturan survei")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=SINGLE_ROW), name="survey_settings_single_row"),
            models.CheckConstraint(
                condition=models.Q(
                    kiosk_queue_grace_days__gte=GRACE_DAYS_MIN, kiosk_queue_grace_days__lte=GRACE_DAYS_MAX
                ),
                name="survey_settings_grace_bounded",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Pengaturan survei"))

    @classmethod
    def defaults(cls) -> SurveySettings:
        """The settings of a city whose secretariat has not saved any yet (not stored)."""
        return cls(id=SINGLE_ROW, kiosk_queue_grace_days=settings.SURVEY_KIOSK_QUEUE_GRACE_DAYS)
