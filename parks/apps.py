from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParksConfig(AppConfig):
    name = "parks"
    verbose_name = _("县市、园区与产业集群")
    default_auto_field = "django.db.models.BigAutoField"
