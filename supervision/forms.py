"""Forms of the responsibility cycle: they translate input, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chuxiong_portal.forms import DateInput
from chuxiong_portal.params import whole_number
from parks.models import County, Zone
from tasks.models import Department, Task

from .models import SOURCES_OF_A_ROW, SupervisionItem, WorkReport
from .services import work_item_token


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); type and size are checked by the service."""

    def __init__(self, *args, **kwargs):
        accept = ".pdf,.png,.jpg,.jpeg,.gif,.doc,.docx,.xls,.xlsx"
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


def body_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (
            str(_("州级单位")),
            [
                (f"department:{d.pk}", d.name)
                for d in Department.objects.filter(kind=Department.Kind.PREFECTURE).order_by("order")
            ],
        ),
        (
            str(_("园区管委会")),
            [(f"zone:{z.pk}", str(_("%(zone)s管委会") % {"zone": z.name})) for z in Zone.objects.order_by("order")],
        ),
        (
            str(_("县市人民政府")),
            [
                (f"county:{c.pk}", str(_("%(county)s人民政府") % {"county": c.name}))
                for c in County.objects.order_by("order")
            ],
        ),
    ]


def body_from_choice(value: str):
    kind, _sep, pk = value.partition(":")
    model = {"department": Department, "zone": Zone, "county": County}.get(kind)
    pk = whole_number(pk)
    return model.objects.filter(pk=pk).first() if model and pk is not None else None


class BodyField(forms.ChoiceField):
    """A responsible body chosen among `body_choices()` (set by the form); cleaned to the Department, Zone or County."""

    def clean(self, value):
        body = body_from_choice(super().clean(value))
        if body is None:
            raise forms.ValidationError(_("请选择责任主体。"))
        return body


class IssueForm(forms.Form):
    source = forms.ChoiceField(label=_("来源"), choices=SupervisionItem.Source.choices)
    source_ref = forms.CharField(widget=forms.HiddenInput, required=False)
    source_text = forms.CharField(label=_("来源说明"), max_length=300, required=False)
    body = BodyField(label=_("责任主体"))
    requirement = forms.CharField(
        label=_("督办要求"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": _("请填写督办要求。")},  # the service's words for an empty one
    )
    deadline = forms.DateField(label=_("办理时限"), widget=DateInput())

    def __init__(self, *args, linked_source: str | None = None, **kwargs):
        """`linked_source`: the source of the row the form was opened from (a flag's page), if any."""
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [("", "—"), *body_choices()]
        # The select offers what may be issued here: opened from a row, that row's source; by hand, the sources
        # that need no row (SOURCES_OF_A_ROW are issued from their row's page). Every source still passes the field,
        # so that the service refuses a row's source without its row in its own words.
        choices = SupervisionItem.Source.choices
        if linked_source:
            self.fields["source"].widget.choices = [(v, label) for v, label in choices if v == linked_source]
        else:
            self.fields["source"].widget.choices = [(v, label) for v, label in choices if v not in SOURCES_OF_A_ROW]


class AnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("办理情况"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    progress_pct = forms.IntegerField(label=_("完成进度（%）"), min_value=0, max_value=100, required=False)
    files = MultipleFileField(label=_("佐证材料（PDF、图片、Word、Excel）"))


class OfficeActionForm(forms.Form):
    """The office's return or reminder. Its fields' ids carry a prefix of their own: the close form shares the page."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("退回或催办意见"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "return_%s")
        super().__init__(*args, **kwargs)


class CloseForm(OfficeActionForm):
    assessment = forms.ChoiceField(label=_("评价"), choices=SupervisionItem.Assessment.choices)
    text = forms.CharField(
        label=_("办结意见"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "close_%s")
        super().__init__(*args, **kwargs)


class WorkReportForm(forms.Form):
    progress = forms.ChoiceField(label=_("推进情况"), choices=WorkReport.Progress.choices)
    text = forms.CharField(label=_("工作进展"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    files = MultipleFileField(label=_("佐证材料（PDF、图片、Word、Excel）"))


class WorkReviewForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", _("审核通过")), ("return", _("退回"))])
    reason = forms.CharField(label=_("退回原因"), max_length=2000, required=False)


def body_choice(obj) -> str:
    """The `body` choice naming the responsible body of `obj` (a work item, a supervision item)."""
    if obj.department_id:
        return f"department:{obj.department_id}"
    return f"zone:{obj.zone_id}" if obj.zone_id else f"county:{obj.county_id}"


def source_body_choice(row) -> str | None:
    """The `body` choice first offered for an item issued for `row`: the unit, zone or county the row is of (a work
    item's body, a report's unit or zone, a flag's zone), if it names one."""
    for kind in ("department", "zone", "county"):
        if pk := getattr(row, f"{kind}_id", None):
            return f"{kind}:{pk}"
    return None


class WorkItemForm(forms.Form):
    """A draft list's item: what is to be done, by whom, by when, shown by what. `bodies` (`body_choices()`) is read
    once by the page that shows a form for each item."""

    title = forms.CharField(label=_("工作事项"), max_length=300)
    body = BodyField(label=_("责任主体"))
    due_date = forms.DateField(label=_("完成时限"), widget=DateInput())
    evidence_required = forms.CharField(label=_("佐证材料"), max_length=300)

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [("", "—"), *(body_choices() if bodies is None else bodies)]


class AdjustForm(WorkItemForm):
    drop = forms.BooleanField(label=_("从清单中删除"), required=False)
    seen = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)  # services.work_item_token

    @classmethod
    def for_item(cls, item, *, bodies, data=None) -> "AdjustForm":
        """The form of one item on the list's page: its fields' ids carry the item's number (one form per row)."""
        initial = {
            "title": item.title,
            "body": body_choice(item),
            "due_date": item.due_date,
            "evidence_required": item.evidence_required,
            "seen": work_item_token(item),
        }
        return cls(data, initial=initial, bodies=bodies, auto_id=f"adjust-{item.pk}-%s")


class WorkItemAddForm(WorkItemForm):
    task = forms.ModelChoiceField(label=_("方案任务"), queryset=Task.objects.none(), empty_label="—")

    field_order = ["task", "title", "body", "due_date", "evidence_required"]

    def __init__(self, *args, tasks, **kwargs):
        kwargs.setdefault("auto_id", "add-%s")
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks


class LetterSignForm(forms.Form):
    prefecture_signatory = forms.CharField(label=_("州人民政府签署人"), max_length=60)
    zone_signatory = forms.CharField(label=_("管委会签署人"), max_length=60)
    signed_on = forms.DateField(label=_("签订日期"), widget=DateInput())
    scan = forms.FileField(
        label=_("签字扫描件（PDF 或图片）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.gif"}),
    )
    seen = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)  # services.signing_token


class LetterNewForm(forms.Form):
    zone = forms.ModelChoiceField(label=_("开发区"), queryset=Zone.objects.order_by("order"), empty_label="—")
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
