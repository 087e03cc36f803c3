from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CloseoutConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "closeout"
    verbose_name = _("终期评估")
