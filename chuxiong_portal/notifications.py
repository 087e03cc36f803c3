"""In-portal notifications of the jobs (reminders, overdue notices) and their email copy: one way for every app."""

from collections.abc import Callable

from django.db import transaction
from django.utils import translation

from .db import serialised
from .jobs import mail_notifications
from .models import Notification
from .queue import enqueue_on_commit


@transaction.atomic
def notifications_send(notes: list[Notification]) -> int:
    """Store the notifications `notes` (built with their user) that are not stored yet, never twice for the same
    user and key, and queue the mail of those whose user has an address; the number stored.

    The mail goes after the commit, by its own job through the outbox: a rolled-back run sends nothing, a failure
    is logged, kept on the notification (`mail_error`) and retried (chuxiong_portal/mail.py).

    Two runs at once (two beat ticks, a retry meeting a slow first run, the job beside `manage.py recompute`) both
    read "nothing stored yet": the unique key kept the second's rows out, but it counted them and queued their mail
    again. The second now waits for the first's commit and finds its notifications stored. A title too long for its
    column is shortened (`_fitted`)."""
    serialised("chuxiong_portal.notifications_send")
    already = set(Notification.objects.filter(key__in={n.key for n in notes}).values_list("user_id", "key"))
    fresh = [n for n in notes if (n.user_id, n.key) not in already]
    for note in fresh:
        note.title = _fitted(note.title)
    Notification.objects.bulk_create(fresh, ignore_conflicts=True)
    wanted = {(n.user_id, n.key) for n in fresh if n.user.email}
    if wanted:
        stored = Notification.objects.filter(key__in={key for _user, key in wanted}).values_list("pk", "user_id", "key")
        enqueue_on_commit(mail_notifications, sorted(pk for pk, user_id, key in stored if (user_id, key) in wanted))
    return len(fresh)


def _fitted(title: str) -> str:
    """A title cut to its column with an ellipsis: a notice names what it is about (a work item may be titled in 300
    characters, a title holds 200), and PostgreSQL refuses a longer one, failing the whole run of the job."""
    limit = Notification._meta.get_field("title").max_length
    return title if len(title) <= limit else title[: limit - 1] + "…"


def worded_for(user, words: Callable[[], tuple[str, str]]) -> tuple[str, str]:
    """(title, body) of a notice to `user`, as `words` words them in the user's language (`User.notice_language`):
    a job's notices are written for each reader, whoever's request or whichever worker runs it."""
    with translation.override(user.notice_language):
        title, body = words()
        return str(title), str(body)
