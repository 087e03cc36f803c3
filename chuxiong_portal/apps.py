from axes import apps as axes_apps
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "chuxiong_portal"
    verbose_name = _("平台与用户")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.utils.module_loading import autodiscover_modules

        from . import pagecache
        from .cache import FailOpenRedisCache

        # Register every app's jobs (jobs.py) now, so that a job queued by name runs in this process too. The
        # Celery app itself is configuration (chuxiong_portal/celery.py, loaded by the package's __init__).
        autodiscover_modules("jobs")

        # Every SQL write to the plan's tables starts a new data version for the cached dashboards,
        # and so does Redis coming back (writes during the outage could not record theirs).
        connection_created.connect(pagecache.watch_connection, dispatch_uid="pagecache-watch")
        if pagecache.data_changed not in FailOpenRedisCache.recovery_hooks:
            FailOpenRedisCache.recovery_hooks.append(pagecache.data_changed)


class AxesConfig(axes_apps.AppConfig):
    """django-axes under a Chinese name in the admin (its own is "Axes").

    Not this module's default: with two configs here Django would otherwise take neither, and the portal's
    own ``ready()`` (the page cache's write watcher) would never run.
    """

    default = False

    verbose_name = _("登录防护（失败登录记录）")
