"""Forms translate the browser's input into service calls; the rules live in the services."""

from decimal import Decimal

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chuxiong_portal.forms import DateInput
from indicators.models import DispatchReport
from indicators.selectors import ValueSlot

from .number_words import number_error_text
from .numbers import NumberFormatError, number_display, number_parse
from .services import ReportInput, required_on_submit, value_error

NUMBER_ERRORS = {
    "invalid": _("请输入数字，例如 123.45。"),
    "max_digits": _("数字位数过多。"),
    "max_decimal_places": _("最多保留4位小数。"),
}


class NumberInput(forms.TextInput):
    """Shows a stored value as people write it in the indicator's unit: 1 次, not 1.0000."""

    def __init__(self, *, unit: str, **kwargs):
        super().__init__(**kwargs)
        self.unit = unit

    def format_value(self, value):
        if isinstance(value, Decimal):
            return number_display(value, self.unit)
        return super().format_value(value)


class TypedNumberField(forms.DecimalField):
    """A number as people type it: 1,129.61 or full-width ３６５．２５ (see ``indicators.reporting.numbers``)."""

    def __init__(self, *, unit: str, **kwargs):
        self.unit = unit
        super().__init__(widget=NumberInput(unit=unit, attrs={"inputmode": "decimal", "data-unit": unit}), **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            try:
                parsed = number_parse(value, percent=self.unit == "%")
            except NumberFormatError as error:
                raise forms.ValidationError(number_error_text(error, self.unit), code="invalid") from None
            return super().to_python(None if parsed is None else str(parsed))
        return super().to_python(value)


class TextField(forms.CharField):
    """Free text with a limit the page states: no browser maxlength (a paste past it would be cut without a
    word), a live count beside the field (static/portal/report.js), and the server's refusal in plain words."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        label = self.label
        # Chosen when shown (the user's language), then filled in by Django with the two counts.
        self.error_messages["max_length"] = lazy(
            lambda: (
                gettext("“%(field)s”最多%(limit)s字，现有%(count)s字，请精简后重试；已填内容没有被删减。")
                % {"field": label, "limit": "%(limit_value)d", "count": "%(show_value)d"}
            ),
            str,
        )()

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        attrs["data-max"] = str(self.max_length)
        return attrs


def slot_label(slot) -> str:
    """A value's field label: the indicator and, in brackets of the reader's language, its scope."""
    return f"{slot.indicator.name}{gettext('（')}{slot.scope_label}{gettext('）')}"


class ReportForm(forms.Form):
    progress = forms.ChoiceField(
        label=_("推进情况"), required=False, choices=[("", "—")] + list(DispatchReport.Progress.choices)
    )
    progress_pct = forms.IntegerField(
        label=_("完成进度（%）"),
        required=False,
        min_value=0,
        max_value=100,
        error_messages={
            "invalid": _("请输入0到100之间的整数。"),
            "min_value": _("完成进度不能小于0。"),
            "max_value": _("完成进度不能大于100。"),
        },
    )
    work_done = TextField(label=_("工作进展"), required=False, widget=forms.Textarea, max_length=5000)
    problems = TextField(label=_("存在问题"), required=False, widget=forms.Textarea, max_length=5000)
    next_steps = TextField(label=_("下步措施"), required=False, widget=forms.Textarea, max_length=5000)
    delay_reason = TextField(label=_("滞后原因"), required=False, widget=forms.Textarea, max_length=5000)
    change_reason = TextField(label=_("修改说明"), required=False, max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, slots: list[ValueSlot], **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = slots
        for slot in slots:
            unit = slot.indicator.unit
            if slot.current is not None and (slot.current.value is not None or slot.current.done_on is not None):
                # Removing a stored value is an explicit act: blank alone is refused (see services.erasure).
                self.fields[f"clear__{slot.key}"] = forms.BooleanField(label=_("清除"), required=False)
            if slot.is_milestone:
                self.fields[f"done__{slot.key}"] = forms.DateField(
                    label=slot_label(slot),
                    required=False,
                    widget=DateInput(),
                    error_messages={"invalid": _("请输入有效日期，例如 2024-06-30。")},
                )
            else:
                self.fields[f"value__{slot.key}"] = TypedNumberField(
                    label=slot_label(slot),
                    required=False,
                    max_digits=18,
                    decimal_places=4,
                    error_messages=NUMBER_ERRORS,
                    unit=unit,
                )

    def value_fields(self):
        """(slot, input, "清除" box or None, required on submit) for each value the report asks for."""
        for slot in self.slots:
            name = f"done__{slot.key}" if slot.is_milestone else f"value__{slot.key}"
            clear = self[f"clear__{slot.key}"] if f"clear__{slot.key}" in self.fields else None
            yield slot, self[name], clear, required_on_submit(slot)

    def clean(self):
        cleaned = super().clean()
        for slot in self.slots:
            if slot.is_milestone:
                continue
            name = f"value__{slot.key}"
            message = value_error(slot.indicator, cleaned.get(name))
            if message:
                self.add_error(name, message)
        return cleaned

    def to_input(self) -> ReportInput:
        data = self.cleaned_data
        values = {}
        for slot in self.slots:
            if slot.is_milestone:
                done_on = data.get(f"done__{slot.key}")
                values[slot.key] = (None, done_on) if done_on else (Decimal(0), None)
            else:
                values[slot.key] = (data.get(f"value__{slot.key}"), None)
        return ReportInput(
            progress=data.get("progress") or "",
            progress_pct=data.get("progress_pct"),
            work_done=data.get("work_done") or "",
            problems=data.get("problems") or "",
            next_steps=data.get("next_steps") or "",
            delay_reason=data.get("delay_reason") or "",
            values=values,
            cleared=frozenset(slot.key for slot in self.slots if data.get(f"clear__{slot.key}")),
        )

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        names = {slot.key: (f"done__{slot.key}" if slot.is_milestone else f"value__{slot.key}") for slot in self.slots}
        for key, messages in errors.items():
            field = names.get(key, key if key in self.fields else None)
            for message in messages:
                self.add_error(field, message)


def report_initial(report: DispatchReport, slots: list[ValueSlot]) -> dict:
    initial = {
        name: getattr(report, name)
        for name in ("progress", "progress_pct", "work_done", "problems", "next_steps", "delay_reason", "version")
    }
    for slot in slots:
        if slot.current is None:
            continue
        if slot.is_milestone:
            initial[f"done__{slot.key}"] = slot.current.done_on
        else:
            initial[f"value__{slot.key}"] = slot.current.value
    return initial


class ReviewForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", _("审核通过")), ("return", _("退回"))])
    # One box for both buttons: required to return (the service says so), kept with an approval when written.
    reason = forms.CharField(label=_("审核意见（退回时必填）"), required=False, widget=forms.Textarea, max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        # Its own ids on the report's page, beside the report form's (its version too).
        kwargs.setdefault("auto_id", "review_%s")
        super().__init__(*args, **kwargs)

    def only_reason_refused(self) -> bool:
        """Invalid for its reason alone (too long, a null character): the reviewer corrects it on the page. A bad
        action or version is a stale or altered page, answered by sending the reviewer back to it."""
        return bool(self.errors) and set(self.errors) == {"reason"}


class ReopenForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)  # the report's, as the page showed it
    reason = forms.CharField(
        label=_("重新开放原因"),
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": _("请填写重新开放的原因。")},
    )

    def __init__(self, *args, **kwargs):
        # Its own ids on the report's page, beside the report form's (its version too).
        kwargs.setdefault("auto_id", "reopen_%s")
        super().__init__(*args, **kwargs)


class AcknowledgeForm(forms.Form):
    """A data-quality warning's 核实情况: the service refuses an empty one with its own words."""

    note = forms.CharField(
        label=_("核实情况"),
        required=False,
        max_length=1000,
        error_messages={
            "max_length": _("核实情况最多 %(limit_value)d 字（现为 %(show_value)d 字），请精简后再确认。"),
            # Django's Chinese for this reads "empty string not allowed", which it is not.
            "null_characters_not_allowed": _("核实情况中含有不可用的字符（空字符），请删除后再确认。"),
        },
    )
    seen = forms.CharField(required=False, max_length=32)  # services.quality_warning_token, as the page showed it


class WaiveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)  # the report's, as the page showed it
    reason = forms.CharField(
        label=_("免报原因"),
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": _("请填写免报的原因。")},
    )

    def __init__(self, *args, **kwargs):
        # Its own ids on the report's page, beside the report form's (its version too).
        kwargs.setdefault("auto_id", "waive_%s")
        super().__init__(*args, **kwargs)
