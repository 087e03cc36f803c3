"""The email copy of in-portal notifications, sent after the commit by its own job (`chuxiong_portal.jobs`).

The notification rows are written in the job's transaction; their mail is queued through the outbox
(`enqueue_on_commit`), so a rolled-back run sends nothing and a retried one never sends twice: each sent
notification gets `mailed_at`, and only those without it are sent. A failure is logged, written to the
notification's `mail_error` (the office sees it in the admin's notification list) and raised, so the job is run
again by the outbox sweep, up to `queue.MAX_ATTEMPTS` times.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)


class MailFailed(Exception):
    """Some notifications could not be mailed; they keep `mail_error` and are tried again."""


def notifications_mail(ids: list[int]) -> int:
    """Email the notifications `ids` not yet mailed to users with an address; the number sent."""
    pending = (
        Notification.objects.filter(pk__in=ids, mailed_at__isnull=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    sent, failed = 0, 0
    for note in pending:
        try:
            send_mail(note.title, note.body, settings.DEFAULT_FROM_EMAIL, [note.user.email], fail_silently=False)
        except Exception as error:  # SMTP errors, refused connections, bad addresses: all logged and kept
            failed += 1
            logger.error("could not mail notification #%s to %s: %s", note.pk, note.user.email, error)
            Notification.objects.filter(pk=note.pk).update(mail_error=f"{type(error).__name__}: {error}"[:500])
            continue
        sent += 1
        Notification.objects.filter(pk=note.pk).update(mailed_at=timezone.now(), mail_error="")
    if failed:
        raise MailFailed(f"{failed} of {failed + sent} notification emails failed")
    return sent
