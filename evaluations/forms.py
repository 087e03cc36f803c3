"""Forms of the evaluation pages: the prefecture's scheme of the year, and a hand score."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from chuxiong_portal.forms import DateInput, holding
from chuxiong_portal.params import whole_number
from chuxiong_portal.words import bracketed
from parks.models import Zone
from supervision.forms import body_choices, body_from_choice

from .models import SubIndicator
from .services import PREFECTURE_PAGE_METHODS, result_seen, scheme_seen, sub_score_token

# The prefecture's own 考评 as the office usually starts it: the plan's 抓党建促发展成效 by hand, what the portal
# holds (targets met, dispatch reports on time, the task list's work items done on time) computed. Weights are
# the office's to set.
PREFECTURE_TEMPLATE = [
    {"group": "党建", "code": "party-building", "name": "抓党建促发展成效", "weight": 15, "method": "manual"},
    {
        "group": "重点任务",
        "code": "task-list",
        "name": "重点任务清单完成情况",
        "unit": "%",
        "weight": 25,
        "method": "work_items",
    },
    {
        "group": "产业发展",
        "code": "targets-met",
        "name": "主要指标达标率",
        "unit": "%",
        "weight": 30,
        "method": "targets_met",
    },
    {
        "group": "调度管理",
        "code": "reports-on-time",
        "name": "调度按时报送率",
        "unit": "%",
        "weight": 15,
        "method": "reports_on_time",
    },
    {"group": "开放合作", "code": "investment", "name": "招商引资和项目建设", "weight": 15, "method": "manual"},
]


YEAR_RANGE = (2000, 2100)  # the years a scheme may be defined for


class SchemeForm(forms.Form):
    year = forms.IntegerField(label=_("考评年度"), min_value=YEAR_RANGE[0], max_value=YEAR_RANGE[1])
    title = forms.CharField(label=_("方案名称"), max_length=100)
    # The year the page was opened for and `scheme_seen` of its stored scheme ("year@time", time "" when none): the
    # scheme is not replaced if it was saved meanwhile.
    seen = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)

    @staticmethod
    def seen_for(year: int, scheme) -> str:
        return SchemeForm.seen_of(year, scheme_seen(scheme))

    @staticmethod
    def seen_of(year: int, stored: str) -> str:
        """The `seen` of a page showing `year`'s stored scheme as `scheme_seen` gives it (`stored`)."""
        return f"{year}@{stored}"

    def seen_scheme(self) -> str | None:
        """`scheme_define`'s `seen`: what the page showed of the year posted — the stored scheme's `scheme_seen` for the
        year it was opened for; "" (none) for another year typed in, whose stored scheme the page did not show; None
        (not checked) for a post without `seen`."""
        year, at_sign, when = (self.cleaned_data.get("seen") or "").partition("@")
        if not at_sign:
            return None
        return when if year == str(self.cleaned_data["year"]) else ""


def define_initial(*, year: int, stored) -> tuple[dict, list[dict]]:
    """Where the define form for `year` starts (the scheme form's and the sub-indicators' initial): the year's stored
    scheme `stored` when there is one, so that a draft saved before is edited rather than replaced by the template
    when the page is sent unchanged; else the template."""
    initial = {"year": year, "seen": SchemeForm.seen_for(year, stored)}
    if stored is None:
        return {**initial, "title": _("%(year)s年度全州开发区综合考评") % {"year": year}}, PREFECTURE_TEMPLATE
    subs = [
        {field: getattr(sub, field) for field in SubIndicatorForm.base_fields}
        for sub in stored.sub_indicators.order_by("order", "pk")
    ]
    return {**initial, "title": stored.title}, subs


class SubIndicatorForm(forms.Form):
    group = forms.CharField(label=_("分组"), max_length=30)
    code = forms.SlugField(label=_("代码"), max_length=40)
    name = forms.CharField(label=_("名称"), max_length=100)
    unit = forms.CharField(label=_("单位"), max_length=20, required=False)
    weight = forms.DecimalField(label=_("权重（分）"), min_value=Decimal("0.01"), max_digits=6, decimal_places=2)
    # Every method a stored sub-indicator may hold is a valid choice, so that a scheme is shown and kept as stored;
    # `scheme_define(settable_methods=...)` refuses one the page may not set. A blank first choice, so that the
    # formset's empty extra rows stay unchanged and are skipped.
    # The help is shown once, under the table (id "method-help" in evaluations/define.html), and every row's select
    # points to it: Django's default reference is to a per-row help element the page does not have.
    method = forms.ChoiceField(
        label=_("评分方式"),
        choices=[("", "—"), *SubIndicator.Method.choices],
        widget=forms.Select(attrs={"aria-describedby": "method-help"}),
        help_text=_(
            "评分方式“导入得分”只能在管理后台设置：州开发区年度综合考评的得分在平台内计算或人工评分，不从外部导入。"
            "已设为导入得分的分项在本页显示并保存不变，其得分在考评页人工评分。"
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The list offers what the page may set, and a method outside it only on the row that holds (or posted) it.
        held = {self.initial.get("method"), self.data.get(self.add_prefix("method")) if self.is_bound else None}
        self.fields["method"].widget.choices = [
            (value, label)
            for value, label in self.fields["method"].choices
            if value in ("", *PREFECTURE_PAGE_METHODS) or value in held
        ]


# A stored row is removed by its 删除 box (a cleared row is refused as incomplete, not taken as a removal); the
# empty extra rows have none.
class BaseSubIndicatorFormSet(forms.BaseFormSet):
    default_error_messages = {"too_few_forms": _("评价方案至少需要一个分项。")}


SubIndicatorFormSet = forms.formset_factory(
    SubIndicatorForm,
    formset=BaseSubIndicatorFormSet,
    extra=3,
    min_num=1,
    validate_min=True,
    max_num=40,
    can_delete=True,
    can_delete_extra=False,
)


class HandScoreForm(forms.Form):
    zone = forms.ModelChoiceField(label=_("开发区"), queryset=Zone.objects.order_by("order"), to_field_name="code")
    sub_indicator = forms.ModelChoiceField(label=_("分项"), queryset=SubIndicator.objects.none())
    score = forms.DecimalField(label=_("得分（百分制）"), min_value=0, max_value=100, max_digits=5, decimal_places=2)
    reason = forms.CharField(label=_("评分理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    # Each scored cell the page showed, "zone/sub=token" joined by ";" (`sub_score_token`): the score is refused if
    # the cell chosen changed meanwhile.
    seen = forms.CharField(widget=forms.HiddenInput, required=False, max_length=8000)

    def __init__(self, *args, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sub_indicator"].queryset = scheme.sub_indicators.all()

    @staticmethod
    def seen_for(results) -> str:
        """The `seen` of the scheme's page: its results with their sub-scores (prefetched)."""
        return ";".join(
            f"{result.zone_code}/{cell.sub_indicator_id}={token}"
            for result in results
            for cell in result.sub_scores.all()
            if (token := sub_score_token(cell))
        )

    def seen_cell(self) -> str | None:
        """`prefecture_hand_score`'s `seen` for the cell posted ("" where the page showed none), None when the post
        carries no `seen` at all."""
        if "seen" not in self.data:
            return None
        return self._cells().get(self._cell_posted(), "")

    def seen_with(self, token: str) -> str:
        """The `seen` posted, the cell posted now `token` (`sub_score_token`, "" none): the form of a refusal for a
        page left open, sent again, scores over what it was told is stored now."""
        cells = {**self._cells(), self._cell_posted(): token}
        return ";".join(f"{cell}={shown}" for cell, shown in cells.items() if shown)

    def _cells(self) -> dict[str, str]:
        return dict(pair.split("=", 1) for pair in self.cleaned_data["seen"].split(";") if "=" in pair)

    def _cell_posted(self) -> str:
        return f"{self.cleaned_data['zone'].code}/{self.cleaned_data['sub_indicator'].pk}"


class RectificationForm(forms.Form):
    """整改: a weak sub-indicator of the zone's result, the measure, the body and the deadline."""

    sub_indicator = forms.ChoiceField(label=_("薄弱分项"))
    measure = forms.CharField(label=_("整改和发展措施"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    body = forms.ChoiceField(label=_("责任主体"))
    deadline = forms.DateField(label=_("整改时限"), widget=DateInput())

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sub_indicator"].choices = [
            (line.sub.code, bracketed(f"{line.sub.group} · {line.sub.name}", f"{_('失分')} {line.row.gap}"))
            for line in lines
        ]
        self.fields["body"].choices = [("", "—"), *body_choices()]

    def clean_body(self):
        body = body_from_choice(self.cleaned_data["body"])
        if body is None:
            raise forms.ValidationError(_("请选择责任主体。"))
        return body


class ResultEntryForm(forms.Form):
    """A zone's provincial or national result of one year, typed in: per sub-indicator of the year's scheme its
    value, score and published rank, with the stated total and rank. The numbers are read and checked by
    `results_import`, the rules of the bulk API and the Excel route, so the fields here are plain text."""

    zone = forms.SlugField(label=_("开发区代码"), max_length=40)
    zone_name = forms.CharField(label=_("开发区名称（州外开发区必填）"), max_length=60, required=False)
    # Text (the import reads the numbers), with a phone's number keyboard as the sub-indicators' boxes have.
    total = forms.CharField(
        label=_("公布总分（可空，空则为加权合计）"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    rank = forms.CharField(
        label=_("公布排名（可空，空则按总分排）"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    funding_awarded = forms.BooleanField(label=_("获省级资金补助"), required=False)
    # The zone the form was opened for and when its stored result was last written ("zone@time", time "" when none):
    # the entry is refused if that result changed meanwhile (`results_import(expected=...)`).
    seen = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)

    PARTS = ("value", "score", "rank")

    def __init__(self, *args, subs, **kwargs):
        super().__init__(*args, **kwargs)
        self.subs = list(subs)
        labels = {"value": _("指标值"), "score": _("得分（百分制）"), "rank": _("分项排名")}
        for sub in self.subs:
            for part in self.PARTS:
                self.fields[f"{part}_{sub.code}"] = forms.CharField(
                    label=f"{sub.name} · {labels[part]}",
                    max_length=30,
                    required=False,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
                )

    def lines(self):
        """(sub-indicator, its value, score and rank fields) for the template."""
        return [(sub, [self[f"{part}_{sub.code}"] for part in self.PARTS]) for sub in self.subs]

    @staticmethod
    def seen_for(code: str, result) -> str:
        """The `seen` of a form opened for zone `code`, whose stored result is `result` (None: none yet)."""
        return f"{code}@{result_seen(result)}"

    def seen_results(self, *, kind: str, year: int) -> dict[tuple, str]:
        """`results_import`'s `expected` for the zone the form was opened for, when it is still the zone posted."""
        code, at_sign, when = (self.cleaned_data.get("seen") or "").partition("@")
        return {(kind, year, code): when} if at_sign and code == self.cleaned_data["zone"] else {}

    def seen_now(self, scheme) -> None:
        """After a refusal: `seen` as the zone's stored result is now, so that the user, told what it is, can send
        what they typed again deliberately."""
        code = self.cleaned_data["zone"]
        holding(self, "seen", self.seen_for(code, scheme.results.filter(zone_code=code).first()))

    def row(self, *, kind: str, year: int) -> dict:
        """The bulk import's row of the form. Sub-scores posted for codes the scheme does not have are passed
        on too, so that the import refuses them like any other."""
        data = self.cleaned_data
        row = {
            "scheme": kind,
            "year": year,
            "zone": data["zone"],
            "total": data["total"] or None,
            "rank": data["rank"] or None,
            "funding_awarded": data["funding_awarded"],
            "sub_scores": [],
        }
        if data["zone_name"].strip():
            row["zone_name"] = data["zone_name"]
        codes = [sub.code for sub in self.subs]
        codes += sorted({key[len("score_") :] for key in self.data if key.startswith("score_")} - set(codes))
        for code in codes:
            values = {part: (self.data.get(f"{part}_{code}") or "").strip() or None for part in self.PARTS}
            row["sub_scores"].append({"indicator": code, **values})
        self.codes = codes
        return row

    def add_import_errors(self, errors) -> None:
        """Put the import's errors ({index, field, message}) on the fields they concern."""
        for error in errors:
            field = error["field"] or ""
            name = None
            if field.startswith("sub_scores[") and "]." in field:
                position, part = field[len("sub_scores[") :].split("].", 1)
                at = whole_number(position, digits=4)
                code = self.codes[at] if at is not None and at < len(self.codes) else ""
                name = f"{part}_{code}"
            elif field in ("zone", "zone_name", "total", "rank", "funding_awarded"):
                name = field
            self.add_error(name if name in self.fields else None, error["message"])
