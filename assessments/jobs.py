from celery import shared_task

from chuxiong_portal.queue import RETRY

from .services import flags_recompute


@shared_task(name="assessments.jobs.recompute_flags", **RETRY)
def recompute_flags() -> dict:
    summary = flags_recompute()
    return {"raised": summary.raised, "updated": summary.updated, "withdrawn": summary.withdrawn}
