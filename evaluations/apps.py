from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("评价方案与综合考评")
    default_auto_field = "django.db.models.BigAutoField"
