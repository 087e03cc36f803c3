from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """The pages and cross-domain jobs (DESIGN §7): home, overview, zone, task and unit pages, the bulletin and the
    nightly recompute — the only layer that reads several domains at once. It has no models."""

    name = "pages"
    verbose_name = _("页面与跨领域任务")
    default_auto_field = "django.db.models.BigAutoField"
