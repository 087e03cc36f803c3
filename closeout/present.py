"""The evaluation's tables, in words: one list of sections drawn by the page, the .docx and the .xlsx alike.

Every cell holds its text and, where it is a figure, the number the text shows (rounded as shown): the page
and the Word document print the text, the workbook stores the number. Nothing is computed here that the
read model (`selectors.evaluation_build`) did not already hold; the words come from the catalogue in the
language active when `sections` is called (the downloads are drawn in the plan's Chinese).
"""

from dataclasses import dataclass, field

from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from assessments.models import Flag, Rule, Scheme
from chuxiong_portal import dates
from indicators.models import DispatchReport
from pages.dashboards.format import decimals_for, fmt_number
from pages.dashboards.overview import flag_evidence
from tasks.lifecycle import status_on

from . import verdict as v
from .selectors import PREFECTURE_GROUP, Group, PlanEvaluation


@dataclass(frozen=True)
class Cell:
    text: str
    number: float | None = None
    css: str = ""
    wrap: str = ""  # on the page: "wrap", a long text that wraps; "words", a name that wraps between its words only


@dataclass
class Section:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Cell]]
    row_ids: list[str] = field(default_factory=list)  # e.g. the target of each goal row
    note: str = ""

    @property
    def lines(self) -> list[tuple[str, list[Cell]]]:
        """(row id, cells) pairs for the page, which marks each row with its id."""
        ids = self.row_ids or [""] * len(self.rows)
        return list(zip(ids, self.rows, strict=True))


def goal_verdict_label(code: str) -> str:
    return {
        v.MET: _("达到目标"),
        v.COMMITTED_ONLY: _("完成约束值，未达力争值"),
        v.STRETCH_NOT_MET: _("力争目标未达到"),
        v.NOT_MET: _("未完成"),
        v.NO_DATA: _("暂无最终数据"),
        v.NOT_JUDGED: _("定性目标，不评定"),
    }[code]


def milestone_verdict_label(code: str) -> str:
    return {v.ON_TIME: _("按期完成"), v.LATE: _("逾期完成"), v.NOT_DONE: _("未完成")}[code]


def source_label(code: str | None) -> str:
    if code is None:
        return "—"
    return {v.PROVINCE: _("省统计数据"), v.COMPUTED: _("平台计算")}.get(code) or _("单位填报")


def _figure(value: float | None, unit: str = "") -> Cell:
    if value is None:
        return Cell("—")
    places = decimals_for(unit)
    return Cell(fmt_number(value, decimals=places), round(value, places))


def _count(n: int) -> Cell:
    return Cell(str(n), n)


def _rate(rate: float | None) -> Cell:
    if rate is None:
        return Cell("—")
    pct = round(rate * 100, 1)
    return Cell(f"{pct:.1f}%", pct)


def _text(text, wrap: str = "") -> Cell:
    if text in (None, ""):
        return Cell("—")
    return Cell(str(text), wrap=wrap)


def _date(day) -> Cell:
    return Cell(dates.day(day) or "—")


def scope_label(scope: str, name: str) -> str:
    return name or _("全州开发区")


def task_label(number: int | None) -> str:
    return str(number) if number else _("发展目标")


def sections(ev: PlanEvaluation) -> list[Section]:
    return [
        _summary(ev),
        _goals(ev),
        _group_section("zones", _("按开发区"), _("开发区"), ev.by_zone),
        _group_section("clusters", _("按产业集群"), _("产业集群"), ev.by_cluster),
        _group_section("tasks", _("按任务"), _("任务"), ev.by_task),
        _group_section("units", _("按责任单位"), _("责任单位"), ev.by_unit, units=True),
        _milestones(ev),
        _flags(ev),
        _reporting(ev),
    ]


def _summary(ev: PlanEvaluation) -> Section:
    g, m, f, r = ev.goal_totals, ev.milestone_totals, ev.flag_counts, ev.reporting_totals
    rows = [[_text(goal_verdict_label(code)), _count(g[code])] for code in v.GOAL_VERDICTS]
    rows.append([_text(_("目标合计")), _count(g["total"])])
    rows += [
        [_text(_("节点任务") + _("：") + milestone_verdict_label(code)), _count(m[code])]
        for code in v.MILESTONE_VERDICTS
    ]
    rows.append([_text(_("问责提示（触发）")), _count(f["fired"])])
    rows.append([_text(_("问责提示已办结")), _count(f["resolved"])])
    rows.append([_text(_("问责规则无法判定")), _count(f["not_evaluable"])])
    rows.append([_text(_("正向激励（触发）")), _count(f["positive"])])
    rows.append([_text(_("应报送报告")), _count(r.get("total", 0))])
    rows.append([_text(_("按时报送")), _count(r.get("on_time", 0))])
    rate = r["on_time"] / r["total"] if r.get("total") else None
    rows.append([_text(_("按时报送率")), _rate(rate)])
    return Section("summary", _("总体情况"), [pgettext("list heading", "项目"), _("数量")], rows)


def _goals(ev: PlanEvaluation) -> Section:
    headers = [
        _("任务"),
        _("指标"),
        _("范围"),
        _("年度"),
        _("计量单位"),
        _("约束值"),
        _("力争值"),
        _("最终值"),
        _("数据来源"),
        _("单位填报值"),
        _("省统计值"),
        _("数据截至"),
        _("评估结果"),
    ]
    rows, ids = [], []
    for g in ev.goals:
        reading = g.verdict.reading
        final = _figure(g.value, g.unit)
        if g.kind == "recurring" and g.verdict.required is not None:
            committed = _figure(float(g.verdict.required), "次")
        else:
            committed = _figure(g.committed, g.unit)
        rows.append(
            [
                _text(task_label(g.task_number), wrap="words"),
                _text(g.indicator, wrap="wrap"),
                _text(scope_label(g.scope, g.scope_name), wrap="words"),
                Cell(str(g.year), g.year),
                _text(g.unit),
                committed,
                _figure(g.stretch, g.unit),
                final,
                _text(source_label(g.source), wrap="words"),
                _yearly(g, "unit_value") if g.verdict.yearly else _figure(g.unit_value, g.unit),
                _yearly(g, "province_value") if g.verdict.yearly else _figure(g.province_value, g.unit),
                _date(reading.period_end if reading else None),
                Cell(_verdict_text(g), css=g.code, wrap="wrap"),
            ]
        )
        ids.append(str(g.target_id))
    return Section(
        "goals",
        _("目标完成情况"),
        headers,
        rows,
        ids,
        note=_sentences(
            _("最终值取目标年度年末一期的数据；同一期既有单位填报值又有省统计数据时，以省统计数据为准。"),
            _("年均增速目标的最终值为各年年末增速的几何平均，单位填报值、省统计值两列列出各年年末增速。"),
            _(
                "有分子、分母数据的占比由平台按分子、分母计算，全州开发区的增速和占比由平台按各开发区数据汇总计算"
                "（与总览一致，数据来源均记为“平台计算”）；有开发区缺少数据时汇总不完整，不作评定；"
                "没有可汇总的分项数据时，与总览一样采用州级填报值（数据来源记为“单位填报”）。"
            ),
        ),
    )


def _sentences(*sentences: str) -> str:
    """Sentences of a note one after the other: run on in Chinese, a space between them in other languages."""
    return ("" if (get_language() or "").startswith("zh") else " ").join(sentences)


def _yearly(g, attr: str) -> Cell:
    """An average growth goal's year-end rates, each with its year, from one source (— where it gave none)."""
    words = [
        _("%(year)s年%(value)s") % {"year": r.period_end.year, "value": _figure(getattr(r, attr), g.unit).text}
        for r in g.verdict.yearly
    ]
    if all(getattr(r, attr) is None for r in g.verdict.yearly):
        return Cell("—")
    return Cell(_("、").join(words), wrap="wrap")


def _verdict_text(g) -> str:
    """The verdict; without a final figure, why (a roll-up lacking zones) or the latest figure of the year."""
    latest = g.verdict.latest
    if g.verdict.missing:
        return _("%(verdict)s（汇总不完整，缺少：%(zones)s）") % {
            "verdict": goal_verdict_label(g.code),
            "zones": _("、").join(g.verdict.missing),
        }
    if g.verdict.missing_years:
        return _("%(verdict)s（缺少%(years)s年的年末数据）") % {
            "verdict": goal_verdict_label(g.code),
            "years": _("、").join(str(year) for year in g.verdict.missing_years),
        }
    if latest is None:
        return goal_verdict_label(g.code)
    # An average growth goal's latest figure is the average so far, as progress words it.
    if g.kind == v.AVERAGE_GROWTH:
        words = _("%(verdict)s（最新年均%(value)s，截至%(date)s）")
    else:
        words = _("%(verdict)s（最新%(value)s，截至%(date)s）")
    return words % {
        "verdict": goal_verdict_label(g.code),
        "value": _figure(latest.value, g.unit).text,
        "date": dates.day(latest.period_end),
    }


def _group_section(key: str, title: str, what: str, groups: list[Group], *, units: bool = False) -> Section:
    headers = [what]
    if units:
        headers.append(_("牵头任务数"))
    headers += [
        _("目标数"),
        goal_verdict_label(v.MET),
        goal_verdict_label(v.COMMITTED_ONLY),
        goal_verdict_label(v.STRETCH_NOT_MET),
        goal_verdict_label(v.NOT_MET),
        goal_verdict_label(v.NO_DATA),
        goal_verdict_label(v.NOT_JUDGED),
        pgettext("share of goals met", "完成率"),
        _("节点按期完成"),
        _("节点逾期完成"),
        _("节点未完成"),
    ]
    progress = tuple(DispatchReport.Progress) if key == "tasks" else ()
    headers += [_("单位最后报送：%(progress)s") % {"progress": p.label} for p in progress]
    rows = []
    for group in groups:
        name = group.name
        if key == "zones" and group.key == PREFECTURE_GROUP:
            name = _("全州开发区")
        elif key == "tasks":
            name = f"{group.key}. {group.name}" if group.name else _("发展目标")
        row = [_text(name, wrap="wrap" if key == "tasks" else "words")]
        if units:
            row.append(_count(group.lead_tasks or 0))
        row += [
            _count(group.goals["total"]),
            *(_count(group.goals[c]) for c in v.GOAL_VERDICTS),
            _rate(group.met_rate),
            *(_count(group.milestones[c]) for c in v.MILESTONE_VERDICTS),
        ]
        row += [_count(group.reported[p.value]) if group.reported else Cell("—") for p in progress]
        rows.append(row)
    note = [_("完成率 = （达到目标 + 完成约束值）÷ 有最终数据的目标数（力争目标未达到的计入分母）。")]
    if units:
        note.append(_("责任单位按其牵头或配合的任务计入目标。"))
    if progress:
        note.append(_("单位最后报送：各责任单位在方案期内最后一次已提交或已审核报告所填的推进情况。"))
    return Section(key, title, headers, rows, [g.key for g in groups], note=_sentences(*note))


def _milestones(ev: PlanEvaluation) -> Section:
    headers = [
        _("任务"),
        _("节点"),
        _("范围"),
        _("完成时限"),
        _("完成日期"),
        _("逾期天数"),
        _("数据来源"),
        _("评估结果"),
    ]
    rows = [
        [
            _text(task_label(m.task_number), wrap="words"),
            _text(m.indicator, wrap="wrap"),
            _text(scope_label(m.scope, m.scope_name), wrap="words"),
            _date(m.due_date),
            _date(m.verdict.done_on),
            _count(m.verdict.days_late) if m.verdict.days_late is not None else Cell("—"),
            _text(source_label(m.source), wrap="words"),
            Cell(_milestone_verdict_text(m), css=m.code, wrap="words"),
        ]
        for m in ev.milestones
    ]
    return Section("milestones", _("节点任务完成情况"), headers, rows, [str(m.target_id) for m in ev.milestones])


def _milestone_verdict_text(m) -> str:
    """Not done, and nothing ever reported of it, says so: progress shows such a milestone as 暂无数据."""
    if m.code == v.NOT_DONE and not m.verdict.reported:
        return _("未完成（未报送完成情况）")
    return milestone_verdict_label(m.code)


def _flags(ev: PlanEvaluation) -> Section:
    headers = [
        _("开发区"),
        _("评价体系"),
        _("年度"),
        _("规则"),
        _("判定"),
        _("依据"),
        _("处理措施"),
        _("责任主体"),
        _("处理状态"),
        _("处理说明"),
        _("处理人"),
        _("处理时间"),
    ]
    rows = [
        [
            _text(f.zone),
            _text(Scheme(f.scheme).label, wrap="words"),
            Cell(str(f.year), f.year),
            _text(Rule(f.rule).label, wrap="words"),
            _text(Flag.Outcome(f.outcome).label, wrap="words"),
            _text(flag_evidence(f), wrap="wrap"),
            _text(f.consequence, wrap="wrap"),
            _text(f.responsible_party, wrap="words"),
            Cell(str(Flag.State(f.state).label), css=f.state),
            _text(f.note, wrap="wrap"),
            _text(f.handled_by),
            _date(f.handled_at),
        ]
        for f in ev.flags
    ]
    return Section("flags", _("问责提示及处理情况"), headers, rows, [str(f.flag_id) for f in ev.flags])


def _reporting(ev: PlanEvaluation) -> Section:
    headers = [
        _("单位"),
        _("应报送"),
        _("按时报送"),
        _("迟报"),
        _("逾期未报"),
        _("未到期"),
        _("其中退回未重报"),
        _("按时率"),
    ]
    rows = [
        [
            _text(r.unit),
            _count(r.total),
            _count(r.on_time),
            _count(r.late),
            _count(r.overdue),
            _count(r.not_due),
            _count(r.returned),
            _rate(r.on_time_rate),
        ]
        for r in ev.reporting
    ]
    return Section(
        "reporting",
        _("各单位按时报送情况（方案全期）"),
        headers,
        rows,
        [r.slug for r in ev.reporting],
        note=_(
            "按首次提交日期计：截止日前提交为按时，截止日后提交为迟报，截止日已过仍未提交为逾期未报。"
            "已提交后被退回、尚未重新提交的报告计入按时或迟报，另列于“其中退回未重报”：其数据在重新提交前不计入进度。"
        ),
    )


def _status(plan, day) -> str:
    """The plan's status as the home page words its phase: a plan still marked in force after its end is closing."""
    return str(plan.Status(status_on(plan, day)).label)


def heading(ev: PlanEvaluation) -> dict[str, str]:
    plan = ev.plan
    return {
        "title": _("《%(title)s》终期评估") % {"title": plan.title},
        "document_number": plan.document_number,
        "issuer": plan.issuing_body,
        "years": _("%(first)s—%(last)s年") % {"first": plan.first_year, "last": plan.last_year},
        "status": _status(plan, ev.as_of),
        "as_of": _("数据截至%(date)s") % {"date": dates.day(ev.as_of)},
        "demo": _("评估依据平台中已提交和已审核的数据、省统计数据与问责提示记录自动生成，可下载后编辑。"),
    }
