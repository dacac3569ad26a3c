from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Laporan")

    def ready(self) -> None:
        from reports.models import ExportFormat, ExportKind, FollowUpStatus
        from surveys import audit_words

        for choices in (ExportKind.choices, ExportFormat.choices, FollowUpStatus.choices):
            audit_words.register_values(choices)
