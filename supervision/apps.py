from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "supervision"
    verbose_name = _("责任落实与督办")

    def ready(self):
        # Imported here because models are not loaded when this module is: the usual place to connect receivers.
        from indicators.reporting.signals import reminders_due

        from .services import reminders_send

        reminders_due.connect(reminders_send, dispatch_uid="supervision-reminders")
