import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuxiong_portal.settings")

app = Celery("chuxiong_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
# The app named `tasks` would make `tasks/tasks.py` confusing: jobs live in `jobs.py`.
app.autodiscover_tasks(related_name="jobs")

app.conf.beat_schedule = {
    "nightly-recompute": {"task": "indicators.jobs.recompute_all", "schedule": crontab(hour=1, minute=30)},
    "mark-overdue": {"task": "indicators.jobs.mark_overdue", "schedule": crontab(hour=0, minute=15)},
    "send-reminders": {"task": "indicators.jobs.send_reminders", "schedule": crontab(hour=8, minute=0)},
    # The outbox (chuxiong_portal/queue.py): runs what the broker did not deliver within a minute.
    "sweep-outbox": {"task": "chuxiong_portal.jobs.sweep_pending", "schedule": 30.0},
}


@setup_logging.connect
def _django_logging(**kwargs) -> None:
    """Workers and beat log like the web processes (JSON lines in production)."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
