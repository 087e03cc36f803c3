from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "chuxiong_portal"
    verbose_name = _("平台与用户")
    default_auto_field = "django.db.models.BigAutoField"
