from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("重大项目调度")
    default_auto_field = "django.db.models.BigAutoField"
