"""The words a report's history keeps for what the workflow did (保存草稿, 提交, 审核通过, 退回：…): kept in the
portal's own language whoever acted — a reviewer reading in English wrote "Approved: …" into a record a Chinese
reader then read in English — and shown in the reader's (`shown`). Dispatch reports and project reports alike."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, pgettext_lazy

# The workflow's own lines, as the history shows them (the same words are also buttons: 提交 is "Submit" there).
_DONE = {
    "提交": pgettext_lazy("report history", "提交"),
    "保存草稿": pgettext_lazy("report history", "保存草稿"),
    "审核通过": pgettext_lazy("report history", "审核通过"),
    "演示数据": pgettext_lazy("report history", "演示数据"),  # a demo figure's first record (tools/demo.py)
}
# Lines made of a head and the words the user gave: the catalogue message and the name of its parameter.
_WITH_WORDS = {
    "审核通过：": ("审核通过：%(comment)s", "comment"),
    "退回：": ("退回：%(reason)s", "reason"),
    "重新开放：": ("重新开放：%(reason)s", "reason"),
    "免报：": ("免报：%(reason)s", "reason"),
}


def kept(message: str, **params) -> str:
    """`message` (a catalogue message, marked where it is written with gettext_noop) as a report's history keeps it:
    in the portal's own language, with `params`."""
    with translation.override(settings.LANGUAGE_CODE):
        text = gettext(message)
    return text % params if params else text


def shown(value: str | None) -> str:
    """A history line's reason in the reader's language: a line the workflow wrote is worded again; what a user typed
    (a change reason) is shown as typed."""
    if not value:
        return ""
    if value in _DONE:
        return str(_DONE[value])
    for head, (message, name) in _WITH_WORDS.items():
        if value.startswith(head):
            return gettext(message) % {name: value[len(head) :]}
    return value
