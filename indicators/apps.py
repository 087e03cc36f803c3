from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("指标、目标与调度")
    default_auto_field = "django.db.models.BigAutoField"
