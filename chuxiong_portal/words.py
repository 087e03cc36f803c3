"""Punctuation that reads as the reader's language writes it.

Chinese brackets a note after a name with full-width brackets, 州财政局（州国资委）; English with a space and
ASCII ones, 州财政局 (州国资委). The brackets are gettext msgids (``（`` → `` (``, ``）`` → ``)``), so every
page, export and message that brackets a note says it one way.
"""

from django.utils.translation import gettext as _


def bracketed(text, note) -> str:
    """``text（note）`` in Chinese, ``text (note)`` in English."""
    return f"{text}{_('（')}{note}{_('）')}"
