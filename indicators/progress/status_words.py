"""A result's status in words, in the reader's language: the full label, the short one a status pill shows, a task's
and one against the goal itself. Looked up once per language (`_status_words`): a province's pages show thousands."""

from functools import lru_cache

from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from ..models import ProgressResult

STATUSES = ("green", "amber", "red", "grey")


def status_label(status: str) -> str:
    return _status_words(get_language())[0].get(status, status)


def status_short(status: str) -> str:
    return _status_words(get_language())[1].get(status, status)


def task_status_label(status: str) -> str:
    return _status_words(get_language())[2].get(status, status)


def goal_status_label(status: str) -> str:
    """A status against the goal itself (a rate, a share, a final figure), where a pace means nothing."""
    return _status_words(get_language())[3].get(status, status)


@lru_cache(maxsize=16)
def _status_words(language: str | None) -> tuple[dict, dict, dict, dict]:
    """The status words in `language`, looked up once."""
    return (
        {status: str(ProgressResult.Status(status).label) for status in STATUSES},
        {"green": _("正常"), "amber": _("略低"), "red": _("滞后"), "grey": _("无数据")},
        {"green": _("进展正常"), "amber": _("需关注"), "red": _("滞后"), "grey": _("暂无数据")},
        {
            "green": pgettext("status against the goal", "达到目标"),
            "amber": pgettext("status against the goal", "略低于目标"),
            "red": pgettext("status against the goal", "明显低于目标"),
            "grey": _("暂无数据"),
        },
    )
