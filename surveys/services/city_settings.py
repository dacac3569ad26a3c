"""The city's survey settings the secretariat keeps in the app ("Pengaturan survei")."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from surveys.models import GRACE_DAYS_MAX, GRACE_DAYS_MIN, SurveySettings
from surveys.services.audit import AnyUser, acting_user, audit_record, in_site_language


class SettingsError(ValueError):
    """A setting the city cannot use; the message is for the secretariat."""


def kiosk_queue_grace_set(*, actor: AnyUser | None, days: int) -> SurveySettings:
    """Set how many days a kiosk's queued form may take to arrive (`GRACE_DAYS_MIN` to
    `GRACE_DAYS_MAX`): a form filled longer ago is refused. Saving the value in force changes nothing."""
    if not GRACE_DAYS_MIN <= days <= GRACE_DAYS_MAX:
        raise SettingsError(
            _("Tenggang antrean kios harus antara %(min)d dan %(max)d hari.")
            % {"min": GRACE_DAYS_MIN, "max": GRACE_DAYS_MAX}
        )
    with transaction.atomic():
        stored = SurveySettings.objects.select_for_update().filter(pk=1).first()
        before = (stored or SurveySettings.defaults()).kiosk_queue_grace_days
        if stored is not None and before == days:
            return stored
        record = stored or SurveySettings.defaults()
        record.kiosk_queue_grace_days = days
        record.updated_by = acting_user(actor)
        record.save()
        with translation.override(settings.LANGUAGE_CODE):  # the record's label too, as the log is kept
            audit_record(
                actor=actor,
                action="settings.kiosk_queue_grace",
                target=record,
                detail={"from": before, "kiosk_queue_grace_days": days},
                summary=in_site_language(
                    lambda: (
                        _("Mengubah tenggang antrean kios dari %(before)d menjadi %(after)d hari")
                        % {"before": before, "after": days}
                    )
                ),
            )
    return record
