"""Reading a number a person typed: one strict rule for the forms, the Excel upload and the API.

`parse_decimal(text)` accepts digits (ASCII or full-width), an optional leading sign, at most one decimal point,
and thousands separators only where they belong ("1,234.5", "１２３４．５", "-0.25", "+12"); surrounding spaces are
ignored. Anything else — "1,2,3", "1_000", "12,34", "1e5", "NaN", "1.2.3", "１２３４" with ideographic commas —
raises `NumberError`, whose `code` says why (pure module: codes, never sentences; callers choose the words).
"""

import re
from decimal import Decimal, InvalidOperation

MAX_LENGTH = 40
# Full-width forms (as typed with a Chinese input method) mapped to ASCII; nothing else is translated.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９＋－．，", "0123456789+-.,")
_NUMBER = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|[+-]?\.[0-9]+")


class NumberError(ValueError):
    """Not a number by the portal's rule; `code` is "empty", "too_long" or "invalid"."""

    def __init__(self, code: str, text: str = ""):
        super().__init__(f"{code}: {text[:MAX_LENGTH]!r}")
        self.code = code


def parse_decimal(text: str) -> Decimal:
    """The exact decimal `text` spells, by the rule above; NumberError otherwise."""
    if not isinstance(text, str):
        raise NumberError("invalid", repr(text))
    cleaned = text.translate(_FULL_WIDTH).strip()
    if not cleaned:
        raise NumberError("empty", text)
    if len(cleaned) > MAX_LENGTH:
        raise NumberError("too_long", text)
    if not _NUMBER.fullmatch(cleaned):
        raise NumberError("invalid", text)
    try:
        return Decimal(cleaned.replace(",", ""))
    except InvalidOperation as error:  # cannot happen after the pattern; kept so no caller ever sees a 500
        raise NumberError("invalid", text) from error
