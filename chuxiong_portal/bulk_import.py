"""The plumbing every bulk import shares (indicator values, rankings, evaluation results, project investment).

A batch is a JSON array of at most MAX_ROWS rows; every error is collected with its row index and field
(`ImportSummary`), and any error rejects the whole batch. An error is either invalid (the batch breaks the
published schema: `ImportSummary.error`, a 400) or a refusal of well-formed rows (`ImportSummary.refuse`, a 409).
The row parsers here check one field each and return None (or an error message) instead of raising.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from .numbers import NumberError, parse_decimal

# A bulk request carries at most this many rows.
MAX_ROWS = 10_000
MAX_ERRORS = 1_000
MAX_NOTE = 2_000
MIN_YEAR, MAX_YEAR = 2000, 2100
CODE = re.compile(r"[-A-Za-z0-9_]{1,100}")
# The shape of a decimal string as the schema documents it (indicators.serializers.BulkValueField); what
# parse_decimal then refuses ("1,2,3") is well-formed but refused, what does not even look like this ("1e3", "1_000",
# "abc") is invalid.
VALUE_STRING = r"^\s*[-+]?[0-9０-９][0-9０-９,，]*([.．][0-9０-９]+)?\s*$"


class ImportConflict(Exception):
    """Another request wrote the same keys at the same moment; retrying the batch is safe."""


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)
    dry_run: bool = False
    error_count: int = 0
    refused_count: int = 0
    # Rows refused because what their sender saw changed meanwhile (a form's `seen`): its page may offer to send again.
    stale_count: int = 0

    def error(self, index: int | None, field_name: str | None, message: str) -> None:
        """The batch breaks the schema here (invalid: a 400)."""
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append({"index": index, "field": field_name, "message": str(message)})

    def refuse(self, index: int | None, field_name: str | None, message: str) -> None:
        """The row is well-formed, but the portal's data or rules refuse it (a 409 unless something is invalid)."""
        self.refused_count += 1
        self.error(index, field_name, message)

    @property
    def only_refused(self) -> bool:
        """Every error is a refusal of well-formed rows: the batch keeps to the schema."""
        return bool(self.error_count) and self.refused_count == self.error_count

    def as_dict(self) -> dict:
        data = {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": self.errors,
            "dry_run": self.dry_run,
        }
        if self.errors:
            # One form in Chinese, two in English ("1 error", "2 errors").
            data["detail"] = ngettext(
                "共有 %(count)d 处错误，整批数据均未写入。",
                "共有 %(count)d 处错误，整批数据均未写入。",
                self.error_count,
            ) % {"count": self.error_count}
            if self.error_count > len(self.errors):
                data["detail"] += _("（仅列出前 %(shown)d 处）") % {"shown": len(self.errors)}
            data["created"] = data["updated"] = data["unchanged"] = 0
        elif self.dry_run:
            data["detail"] = _("校验通过（试运行，未写入任何数据）。")
        else:
            data["detail"] = _("导入完成。")
        return data


def batch_error(summary: ImportSummary, rows) -> bool:
    """Batch-level problems (not a list, too many rows); True when the batch cannot be read at all."""
    if not isinstance(rows, list):
        summary.error(None, None, _("请求体必须是 JSON 数组，每个元素为一行数据。"))
        return True
    if len(rows) > MAX_ROWS:
        summary.error(
            None,
            None,
            _("一次最多提交 %(max)d 行，本次为 %(count)d 行，请分批提交。") % {"max": MAX_ROWS, "count": len(rows)},
        )
        return True
    return False


def code_of(
    row: dict,
    name: str,
    index: int,
    summary: ImportSummary,
    label: str,
    *,
    optional: bool = False,
    max_length: int = 100,
) -> str | None:
    """A code field. `optional`: the schema lets it be left out, null or empty, and a rule between fields needs it.
    `max_length`: the longest code the schema documents (`api_support.code_field`), that of the column a code is
    stored in: a longer one breaks the schema (and PostgreSQL would refuse to store it: a 500, where SQLite kept it)."""
    raw = row.get(name)
    if raw in (None, "") and optional:
        summary.refuse(index, name, _("请填写%(label)s代码。") % {"label": label})
        return None
    if raw is None or raw == "":
        summary.error(index, name, _("请填写%(label)s代码。") % {"label": label})
        return None
    if not isinstance(raw, str):
        summary.error(index, name, _("%(label)s代码必须是字符串。") % {"label": label})
        return None
    if not CODE.fullmatch(raw.strip()):
        summary.error(index, name, _("未知的%(label)s代码“%(code)s”。") % {"label": label, "code": printable(raw)})
        return None
    if len(raw.strip()) > max_length:
        summary.error(index, name, too_long_code(label, max_length))
        return None
    return raw.strip()


def too_long_code(label: str, max_length: int) -> str:
    return _("%(label)s代码最多 %(max)d 个字符。") % {"label": label, "max": max_length}


def printable(text: str, limit: int = 60) -> str:
    """Text safe to echo in a message (and to store or send to any database): no NUL, no lone surrogates."""
    return text[:limit].encode("utf-8", "replace").decode("utf-8").replace("\x00", "\ufffd")


def clean_text(text: str) -> bool:
    """False for text no database takes: NUL characters or lone surrogates (JSON allows both as escapes)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def int_of(raw, low: int, high: int) -> int | None:
    """An integer (a JSON number, or a string of digits) in [low, high], else None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, str) and re.fullmatch(r"-?[0-9]{1,11}", raw.strip()):
        raw = int(raw.strip())
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, Decimal) and raw.is_finite() and raw == raw.to_integral_value() and abs(raw) < 10**12:
        raw = int(raw)
    if not isinstance(raw, int) or not low <= raw <= high:
        return None
    return raw


def decimal_of(raw, places: int, limit: Decimal) -> tuple[Decimal | None, str | None]:
    """A finite decimal with at most `places` decimal places and |x| < limit, or an error message."""
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        return None, _("必须是数字或数字字符串。")
    try:
        if isinstance(raw, str):
            number = parse_decimal(raw)  # the portal's one rule ("1,234.5", full-width digits; not "1,2,3")
        else:
            number = Decimal(raw) if isinstance(raw, int | Decimal) else Decimal(str(raw))
    except (NumberError, InvalidOperation, ValueError):
        return None, _("必须是有效数字。")
    if not number.is_finite():
        return None, _("必须是有效数字。")
    if abs(number) >= limit:
        return None, _("数值过大。")
    quantum = Decimal(1).scaleb(-places)
    if number != number.quantize(quantum):
        return None, _("最多保留 %(places)d 位小数。") % {"places": places}
    return number.quantize(quantum), None


def decimal_refusable(raw, low: int, high: int, *, exclusive: bool = False) -> bool:
    """Whether `raw`, a decimal a bulk row gave and the import cannot take, keeps to the schema all the same
    (`api_support.decimal_field`): a JSON number within [low, high] (exclusive: (low, high)) or a decimal string.
    Such a value is refused (`ImportSummary.refuse`, a 409: too many decimals, "1,2,3", a string beyond the bounds
    the schema cannot write for strings); anything else breaks the schema (`ImportSummary.error`, a 400)."""
    if isinstance(raw, bool):
        return False
    if isinstance(raw, str):
        return re.fullmatch(VALUE_STRING, raw) is not None
    if isinstance(raw, int | float | Decimal):
        return low < raw < high if exclusive else low <= raw <= high
    return False


def labelled(label: str, message: str) -> str:
    """A field's name before a parser's message (`decimal_of`'s): 「得分必须是有效数字。」, "Score: must be …"; the name
    glued to the message reads in Chinese, and gave "ScoreMust be a valid number." in English."""
    return _("%(label)s%(message)s") % {"label": label, "message": message}


OUT_OF_RANGE = _lazy("日期超出有效范围。")


def date_of(raw) -> tuple[date | None, str | None]:
    """A YYYY-MM-DD date of the plan's era (`MIN_YEAR`–`MAX_YEAR`); else None and a message (`OUT_OF_RANGE` for a
    well-formed date outside them)."""
    if raw is None or raw == "":
        return None, None
    if not isinstance(raw, str) or len(raw) > 10:
        return None, _("日期格式应为 YYYY-MM-DD。")
    try:
        day = parse_date(raw)
    except ValueError:
        return None, _("日期无效。")
    if day is None:
        return None, _("日期格式应为 YYYY-MM-DD。")
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        return None, OUT_OF_RANGE
    return day, None
