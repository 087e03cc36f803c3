"""What a person is told when a typed number is not one (``numbers.NumberFormatError``), on the report forms and in
the Excel uploads alike: the cause named where it is a common one (a % on an amount, 无 for a blank, a unit after
the number), else the general example."""

from django.utils.translation import gettext as _

from .numbers import NumberFormatError


def number_error_text(error: NumberFormatError, unit: str = "") -> str:
    if error.kind == "percent_sign":
        if unit:
            return _("该项的单位是“%(unit)s”，不是百分比：请去掉“%%”，只填数字。") % {"unit": unit}
        return _("请去掉百分号“%”，只填数字。")
    if error.kind == "word_for_none":
        return _("没有数据请留空，不要填写“%(text)s”。") % {"text": error.text}
    if error.kind == "with_unit":
        return _("请只填数字，不要带单位或文字（“%(text)s”）。") % {"text": error.text}
    return _("请输入数字，例如 123.45。")
