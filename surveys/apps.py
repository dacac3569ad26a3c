from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "surveys"
    verbose_name = _("Survei")

    def ready(self) -> None:
        """A unit, instrument, element, service, period or the city's survey settings saved in this
        process empties this process's lookup cache at once (other processes wait out its short TTL)."""
        from django.db.models.signals import post_delete, post_save

        from surveys import lookup_cache
        from surveys.models import Element, Instrument, Period, Service, ServiceUnit, SurveySettings

        for model in (ServiceUnit, Instrument, Element, Service, Period, SurveySettings):
            post_save.connect(lookup_cache.clear, sender=model, dispatch_uid=f"lookup_cache.{model.__name__}.save")
            post_delete.connect(lookup_cache.clear, sender=model, dispatch_uid=f"lookup_cache.{model.__name__}.delete")
