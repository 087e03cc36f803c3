from django.apps import AppConfig


class ToolsConfig(AppConfig):
    """The benchmark, the demo data and the synthetic province: tools beside the portal, which never imports them.

    Installed only for its management commands (`benchmark`, `bootstrap`, `load_demo`); it has no models, URLs
    or jobs.
    """

    name = "tools"
    default_auto_field = "django.db.models.BigAutoField"
