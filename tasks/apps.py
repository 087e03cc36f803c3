from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("行动方案与责任分工")
    default_auto_field = "django.db.models.BigAutoField"
