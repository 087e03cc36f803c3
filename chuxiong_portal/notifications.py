"""In-portal notifications of the jobs (reminders, overdue notices) and their email copy: one way for every app."""

from collections.abc import Callable

from django.utils import translation

from .jobs import mail_notifications
from .models import Notification
from .queue import enqueue_on_commit


def notifications_send(notes: list[Notification]) -> int:
    """Store the notifications `notes` (built with their user) that are not stored yet, never twice for the same
    user and key, and queue the mail of those whose user has an address; the number stored.

    The mail goes after the commit, by its own job through the outbox: a rolled-back run sends nothing, a failure
    is logged, kept on the notification (`mail_error`) and retried (chuxiong_portal/mail.py)."""
    already = set(Notification.objects.filter(key__in={n.key for n in notes}).values_list("user_id", "key"))
    fresh = [n for n in notes if (n.user_id, n.key) not in already]
    Notification.objects.bulk_create(fresh, ignore_conflicts=True)
    wanted = {(n.user_id, n.key) for n in fresh if n.user.email}
    if wanted:
        stored = Notification.objects.filter(key__in={key for _user, key in wanted}).values_list("pk", "user_id", "key")
        enqueue_on_commit(mail_notifications, sorted(pk for pk, user_id, key in stored if (user_id, key) in wanted))
    return len(fresh)


def worded_for(user, words: Callable[[], tuple[str, str]]) -> tuple[str, str]:
    """(title, body) of a notice to `user`, as `words` words them in the user's language (`User.notice_language`):
    a job's notices are written for each reader, whoever's request or whichever worker runs it."""
    with translation.override(user.notice_language):
        title, body = words()
        return str(title), str(body)
