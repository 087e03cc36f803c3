"""Numbers as people type them, and how many decimals an indicator shows. Pure: no Django.

``number_parse`` is where a report's typed text becomes a number, for the report form and the Excel upload
alike: spaces are dropped, blank stand-ins (—, -, /) mean "no value", a trailing % is allowed for a percentage,
and the number itself is read by the portal's one rule (``chuxiong_portal.numbers.parse_decimal``: full-width
digits, thousands separators only in their proper places — 1,234.5 yes; 1,2,3 and 12,34 no).
"""

import unicodedata
from decimal import Decimal

from chuxiong_portal.numbers import NumberError, parse_decimal

BLANKS = frozenset({"", "-", "—", "–", "－", "——", "/"})

# Units counted in whole things: a count has no decimals (22 次, not 22.7400).
COUNT_UNITS = frozenset({"次", "个", "人", "家", "项", "户", "件", "场", "批", "名", "座", "条", "份", "篇", "所"})
DEFAULT_PLACES = 2


# What people type for "no figure" that is not blank: refused with a word of its own (留空), not read as nothing, since
# a unit may mean zero by it.
WORDS_FOR_NONE = frozenset({"无", "暂无", "没有", "空", "不适用", "na", "n/a", "null", "none", "nil"})


class NumberFormatError(ValueError):
    """The text is not a number as the portal reads one. `kind` says how, for the message: "percent_sign" (a number
    with % where the unit is not one), "word_for_none" (无, N/A…), "with_unit" (a number followed by words, 12亿元),
    else "other"."""

    def __init__(self, text: str, kind: str = "other"):
        super().__init__(text)
        self.text, self.kind = text, kind


def _kind(text: str) -> str:
    if text.lower() in WORDS_FOR_NONE:
        return "word_for_none"
    head = text.rstrip("%")
    if head != text and _is_number(head):
        return "percent_sign"
    digits = len(text) - len(text.lstrip("+-0123456789.,"))
    if 0 < digits < len(text) and _is_number(text[:digits]):
        return "with_unit"
    return "other"


def _is_number(text: str) -> bool:
    try:
        parse_decimal(text)
    except NumberError:
        return False
    return True


def number_normalize(text: str) -> str:
    """Full-width forms to ASCII, spaces out: the text a number is parsed from."""
    return unicodedata.normalize("NFKC", text).strip().replace(" ", "").replace("\u3000", "")


def number_parse(text: str, *, percent: bool = False) -> Decimal | None:
    """The number typed in ``text``; None for a blank; NumberFormatError when it is not one.

    With ``percent`` (an indicator measured in %), a trailing "%" is allowed and dropped: "45%" is 45.
    """
    text = number_normalize(text)
    if text in BLANKS:
        return None
    if percent and text.endswith("%"):
        text = text[:-1]
    try:
        return parse_decimal(text)
    except NumberError as error:
        raise NumberFormatError(text, _kind(text)) from error


def unit_places(unit: str) -> int:
    """How many decimals a value in ``unit`` is shown with: none for a count, else two."""
    return 0 if unit.strip() in COUNT_UNITS else DEFAULT_PLACES


def number_display(value: Decimal | None, unit: str) -> str:
    """A stored value (four places) as a person reads it in ``unit``: 1.0000 次 → "1", 22.7400 % → "22.74".

    Padding zeros go; a digit that was typed never does (a fraction is shown, not rounded away).
    """
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text.split(".")[0] if unit_places(unit) == 0 and value == value.to_integral_value() else text
