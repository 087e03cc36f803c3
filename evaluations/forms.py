"""Forms of the evaluation pages: the prefecture's scheme of the year, and a hand score."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from parks.models import Zone
from supervision.forms import body_choices, body_from_choice

from .models import SubIndicator

# The prefecture's own 考评 as the office usually starts it: the plan's 抓党建促发展成效 by hand, what the portal
# holds (targets met, dispatch reports on time, the task list's work items done on time) computed. Weights are
# the office's to set.
PREFECTURE_TEMPLATE = [
    {"group": "党建", "code": "party-building", "name": "抓党建促发展成效", "weight": 15, "method": "manual"},
    {"group": "重点任务", "code": "task-list", "name": "重点任务清单完成情况", "unit": "%", "weight": 25,
     "method": "work_items"},
    {"group": "产业发展", "code": "targets-met", "name": "主要指标达标率", "unit": "%", "weight": 30,
     "method": "targets_met"},
    {"group": "调度管理", "code": "reports-on-time", "name": "调度按时报送率", "unit": "%", "weight": 15,
     "method": "reports_on_time"},
    {"group": "开放合作", "code": "investment", "name": "招商引资和项目建设", "weight": 15, "method": "manual"},
]


class SchemeForm(forms.Form):
    year = forms.IntegerField(label=_("考评年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("方案名称"), max_length=100)


class SubIndicatorForm(forms.Form):
    group = forms.CharField(label=_("分组"), max_length=30)
    code = forms.SlugField(label=_("代码"), max_length=40)
    name = forms.CharField(label=_("名称"), max_length=100)
    unit = forms.CharField(label=_("单位"), max_length=20, required=False)
    weight = forms.DecimalField(label=_("权重（分）"), min_value=Decimal("0.01"), max_digits=6, decimal_places=2)
    # A blank first choice, so that the formset's empty extra rows stay unchanged and are skipped.
    method = forms.ChoiceField(label=_("评分方式"), choices=[("", "—")] + [
        (value, label) for value, label in SubIndicator.Method.choices if value != SubIndicator.Method.IMPORTED])


SubIndicatorFormSet = forms.formset_factory(SubIndicatorForm, extra=3, min_num=1, validate_min=True, max_num=40)


class HandScoreForm(forms.Form):
    zone = forms.ModelChoiceField(label=_("开发区"), queryset=Zone.objects.order_by("order"), to_field_name="code")
    sub_indicator = forms.ModelChoiceField(label=_("分项"), queryset=SubIndicator.objects.none())
    score = forms.DecimalField(label=_("得分（百分制）"), min_value=0, max_value=100, max_digits=5, decimal_places=2)
    reason = forms.CharField(label=_("评分理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sub_indicator"].queryset = scheme.sub_indicators.all()


class RectificationForm(forms.Form):
    """整改: a weak sub-indicator of the zone's result, the measure, the body and the deadline."""

    sub_indicator = forms.ChoiceField(label=_("薄弱分项"))
    measure = forms.CharField(label=_("整改和发展措施"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    body = forms.ChoiceField(label=_("责任主体"))
    deadline = forms.DateField(label=_("整改时限"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sub_indicator"].choices = [
            (line.sub.code, f"{line.sub.group} · {line.sub.name}（{_('失分')} {line.row.gap}）") for line in lines]
        self.fields["body"].choices = [("", "—"), *body_choices()]

    def clean_body(self):
        body = body_from_choice(self.cleaned_data["body"])
        if body is None:
            raise forms.ValidationError(_("请选择责任主体。"))
        return body
