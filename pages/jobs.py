"""Cross-domain Celery jobs: work that calls several domains' services, thin, idempotent and retried.

They keep the names they are queued and scheduled by (settings' beat schedule, chuxiong_portal/celery.py).
"""

from celery import shared_task

from assessments.services import flags_recompute
from chuxiong_portal.queue import RETRY
from indicators.progress.services import progress_recompute
from indicators.reporting import services


@shared_task(name="indicators.jobs.recompute_all", **RETRY)
def recompute_all() -> dict:
    """The nightly recompute: progress of every target, then the accountability flags, then the data-quality checks."""
    results = progress_recompute()
    flags = flags_recompute()
    quality = services.quality_recheck()
    return {
        "results": results,
        "flags_raised": flags.raised,
        "flags_withdrawn": flags.withdrawn,
        "quality_warnings": quality.found,
    }
