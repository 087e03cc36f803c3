from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("指标、目标与调度")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from tasks.services import plan_file_loading

        from .plan_file import plan_indicators_load

        # A plan file's indicators and targets load in the same transaction as its tasks (tasks.services.plan_load).
        plan_file_loading.connect(plan_indicators_load, dispatch_uid="indicators-plan-file")
