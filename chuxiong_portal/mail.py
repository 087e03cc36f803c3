"""The email copy of in-portal notifications, sent after the commit by its own job (`chuxiong_portal.jobs`).

The notification rows are written in the job's transaction; their mail is queued through the outbox
(`enqueue_on_commit`), so a rolled-back run sends nothing and a retried one never sends twice: each notification
is claimed (`mailed_at` set) before its mail goes, and only those without it are sent. Two runs of the same job at
once (the outbox sweep meeting a delivery still at work on a slow mail server) share the notifications out instead
of both mailing each. A failure is logged, written to the notification's `mail_error` (the office sees it in the
admin's notification list), its claim given back, and raised, so the job is run again by the outbox sweep, up to
`queue.MAX_ATTEMPTS` times. (A worker killed in the middle of a send leaves that one notification claimed: its
in-portal notice stands, its mail is not resent — once rather than twice.)
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
        if not Notification.objects.filter(pk=note.pk, mailed_at__isnull=True).update(mailed_at=timezone.now()):
            continue  # another run of this job has it
        try:
            send_mail(note.title, note.body, settings.DEFAULT_FROM_EMAIL, [note.user.email], fail_silently=False)
        except Exception as error:  # SMTP errors, refused connections, bad addresses: all logged and kept
            failed += 1
            logger.error("could not mail notification #%s to %s: %s", note.pk, note.user.email, error)
            Notification.objects.filter(pk=note.pk).update(
                mailed_at=None, mail_error=f"{type(error).__name__}: {error}"[:500]
            )
            continue
        sent += 1
        if note.mail_error:
            Notification.objects.filter(pk=note.pk).update(mail_error="")
    if failed:
        raise MailFailed(f"{failed} of {failed + sent} notification emails failed")
    return sent
