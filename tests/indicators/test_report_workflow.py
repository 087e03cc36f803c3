"""The dispatch report workflow, driven through HTTP as a browser would.

draft → submitted → approved, or submitted → returned → edited → submitted; approved data is
locked and only the prefecture office reopens it, with a reason. Every refusal is checked twice:
the Chinese message the user sees, and that the database did not change.
"""

import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from indicators.models import DispatchReport, IndicatorValue, ProgressResult, ReportingPeriod, Target
from indicators.selectors import report_slots
from tasks.models import Task
from tests.jobs import queued

OUTPUT = "industrial-output__zone__lufeng"  # 工业总产值, 亿元, min 0
GROWTH = "industrial-output-growth__zone__lufeng"  # 工业总产值增速, %
SHARE = "leading-industry-share__zone__lufeng"  # 主导产业营业收入占比, %, 0..100 (quarterly)
MILESTONE = "seven-connections__zone__lufeng"  # 七通一平, a milestone of task 14


# --- set-up helpers ----------------------------------------------------------------------


@pytest.fixture
def dept_report(plan):
    """州发展改革委's report on task 14 for March 2023 (milestone slots for the four zones)."""
    return DispatchReport.objects.create(
        department=plan["ndrc"],
        task=Task.objects.get(number=14),
        period=ReportingPeriod.objects.get(cadence="monthly", year=2023, index=3),
    )


@pytest.fixture
def zone_report(plan):
    """禄丰产业园区's indicator values for March 2024."""
    return DispatchReport.objects.create(
        zone=plan["lufeng"], period=ReportingPeriod.objects.get(cadence="monthly", year=2024, index=3)
    )


def url(report, action=""):
    return reverse(
        {"": "report-detail", "review": "report-review", "reopen": "report-reopen", "waive": "report-waive"}[action],
        args=[report.pk],
    )


def post_data(report, action="save", *, version=None, values=None, done=None, **fields):
    """What the report page posts: every text field, the hidden version, and the value fields."""
    report.refresh_from_db()
    data = {
        "action": action,
        "version": report.version if version is None else version,
        "progress": "",
        "progress_pct": "",
        "work_done": "",
        "problems": "",
        "next_steps": "",
        "delay_reason": "",
        "change_reason": "",
    }
    data.update({name: value for name, value in fields.items()})
    for key, value in (values or {}).items():
        data[f"value__{key}"] = value
    for key, value in (done or {}).items():
        data[f"done__{key}"] = value
    return data


def complete_zone(report, values=None):
    """A zone report's submission as the form requires it: every number it asks for, and 工作进展."""
    filled = {slot.key: "1" for slot in report_slots(report) if not slot.is_milestone}
    return {"values": {**filled, **(values or {})}, "work_done": "本月各项指标已核实。"}


def valid_task_fields(**overrides):
    fields = {
        "progress": "in_progress",
        "progress_pct": "40",
        "work_done": "完成路网规划编制",
        "problems": "资金缺口",
        "next_steps": "争取专项债",
    }
    fields.update(overrides)
    return fields


def snapshot(report):
    """Everything a refused request must leave untouched."""
    r = DispatchReport.objects.get(pk=report.pk)
    return {
        "report": (
            r.state,
            r.version,
            r.progress,
            r.progress_pct,
            r.work_done,
            r.problems,
            r.next_steps,
            r.delay_reason,
            r.return_reason,
            r.reopen_reason,
            r.submitted_at,
            r.reviewed_by_id,
            r.updated_by_id,
            r.updated_at,
        ),
        "values": sorted(
            IndicatorValue.objects.values_list(
                "pk",
                "indicator__code",
                "zone__code",
                "value",
                "done_on",
                "locked",
                "version",
                "report_id",
                "updated_at",
            )
        ),
        "report_history": DispatchReport.history.count(),
        "value_history": IndicatorValue.history.count(),
        "results": ProgressResult.objects.count(),
    }


def text(response) -> str:
    return response.content.decode()


def field_tag(html: str, name: str) -> str:
    match = re.search(rf'<(?:input|textarea|select)\b[^>]*\bname="{re.escape(name)}"[^>]*>', html)
    assert match, f"no field {name} on the page"
    return match.group(0)


def section(html: str, element_id: str) -> str:
    match = re.search(rf'<section[^>]*id="{element_id}".*?</section>', html, re.S)
    assert match, f"no section {element_id} on the page"
    return match.group(0)


def value_of(key: str) -> IndicatorValue:
    indicator, scope, zone = key.split("__")
    return IndicatorValue.objects.get(indicator__code=indicator, scope=scope, zone__code=zone)


def other_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- the whole cycle -----------------------------------------------------------------------


def test_it_takes_a_department_report_through_draft_submit_return_resubmit_approve_and_reopen(
    dept_report, alice, rita, olga, client_for
):
    client = client_for(alice)

    # alice saves a draft: state draft, values stored, version incremented.
    page = client.get(url(dept_report))
    assert page.status_code == 200
    assert 'name="version" value="1"' in text(page)
    response = client.post(
        url(dept_report),
        post_data(dept_report, "save", **valid_task_fields(), done={MILESTONE: "2023-03-20"}),
        follow=True,
    )
    assert response.status_code == 200
    assert "草稿已保存" in text(response)
    dept_report.refresh_from_db()
    assert dept_report.state == DispatchReport.State.DRAFT
    assert dept_report.version == 2
    assert dept_report.submitted_at is None
    assert (dept_report.progress, dept_report.progress_pct) == ("in_progress", 40)
    assert dept_report.work_done == "完成路网规划编制"
    assert dept_report.updated_by == alice
    milestone = value_of(MILESTONE)
    assert (milestone.done_on.isoformat(), milestone.value, milestone.report_id) == ("2023-03-20", 1, dept_report.pk)
    assert milestone.locked is False

    # alice submits: state submitted, submitted_at set; the to-do page is where she lands.
    response = client.post(
        url(dept_report), post_data(dept_report, "submit", **valid_task_fields(), done={MILESTONE: "2023-03-20"})
    )
    assert response.status_code == 302 and response.url == reverse("todo")
    dept_report.refresh_from_db()
    assert dept_report.state == DispatchReport.State.SUBMITTED
    assert dept_report.submitted_at is not None and dept_report.first_submitted_at == dept_report.submitted_at
    assert dept_report.version == 3
    # A submitted report is no longer editable by its author.
    page = client.get(url(dept_report))
    assert "disabled" in field_tag(text(page), "work_done")
    assert 'value="submit"' not in text(page)

    # rita returns it with a reason; alice's page shows the reason.
    reviewer = other_client(rita)
    page = reviewer.get(url(dept_report))
    assert 'id="review-form"' in text(page)
    response = reviewer.post(
        url(dept_report, "review"),
        {"action": "return", "reason": "七通一平完成日期与现场核查不符", "version": 3},
        follow=True,
    )
    assert "已退回，填报人将看到退回原因" in text(response)
    dept_report.refresh_from_db()
    assert dept_report.state == DispatchReport.State.RETURNED
    assert dept_report.return_reason == "七通一平完成日期与现场核查不符"
    assert dept_report.reviewed_by == rita
    page = client.get(url(dept_report))
    assert "退回原因" in text(page) and "七通一平完成日期与现场核查不符" in text(page)
    assert "已退回" in text(page)

    # alice edits and resubmits.
    response = client.post(
        url(dept_report),
        post_data(
            dept_report,
            "submit",
            **valid_task_fields(progress_pct="45"),
            done={MILESTONE: "2023-03-28"},
            change_reason="按现场核查更正完成日期",
        ),
    )
    assert response.status_code == 302
    dept_report.refresh_from_db()
    assert dept_report.state == DispatchReport.State.SUBMITTED
    assert dept_report.progress_pct == 45
    assert value_of(MILESTONE).done_on.isoformat() == "2023-03-28"

    # rita approves: approved, values locked, fields disabled on alice's page.
    response = reviewer.post(
        url(dept_report, "review"), {"action": "approve", "reason": "", "version": dept_report.version}, follow=True
    )
    assert "已审核通过，数据已锁定" in text(response)
    dept_report.refresh_from_db()
    assert dept_report.state == DispatchReport.State.APPROVED
    assert dept_report.reviewed_by == rita and dept_report.return_reason == ""
    assert set(IndicatorValue.objects.filter(report=dept_report).values_list("locked", flat=True)) == {True}
    page = client.get(url(dept_report))
    html = text(page)
    assert "已审核" in html and "已锁定" in html
    for name in ("progress", "progress_pct", "work_done", f"done__{MILESTONE}"):
        assert "disabled" in field_tag(html, name), name
    assert 'value="save"' not in html and 'value="submit"' not in html
    assert 'id="reopen-form"' not in html  # only the office may reopen

    # A further POST by alice (bypassing the disabled page) is refused and changes nothing.
    before = snapshot(dept_report)
    response = client.post(
        url(dept_report),
        post_data(dept_report, "save", **valid_task_fields(work_done="偷偷改"), done={MILESTONE: "2023-03-01"}),
    )
    assert response.status_code == 400
    assert "已审核锁定" in text(response)
    assert snapshot(dept_report) == before

    # The office reopens with a reason: returned, values unlocked, the author sees why.
    office = other_client(olga)
    assert 'id="reopen-form"' in text(office.get(url(dept_report)))
    response = office.post(url(dept_report, "reopen"), {"reason": "省里要求补充七通一平佐证"}, follow=True)
    assert "已重新开放" in text(response)
    dept_report.refresh_from_db()
    assert dept_report.state == DispatchReport.State.RETURNED
    assert dept_report.reopen_reason == "省里要求补充七通一平佐证"
    assert set(IndicatorValue.objects.filter(report=dept_report).values_list("locked", flat=True)) == {False}
    html = text(client.get(url(dept_report)))
    assert "重新开放原因" in html and "省里要求补充七通一平佐证" in html
    # Its state reads as what happened to it, with the earlier approval as such; it was submitted in time.
    state = html.split('id="report-state">')[1].split("</span>")[0]
    assert state == "已重新开放" and "原审核人" in html and 'class="badge overdue"' not in html
    assert "disabled" not in field_tag(html, "work_done")

    # Reopened, alice may correct and resubmit.
    response = client.post(
        url(dept_report), post_data(dept_report, "submit", **valid_task_fields(), done={MILESTONE: "2023-03-29"})
    )
    assert response.status_code == 302
    dept_report.refresh_from_db()
    assert dept_report.state == DispatchReport.State.SUBMITTED
    assert value_of(MILESTONE).done_on.isoformat() == "2023-03-29"

    # Returned once more by rita: the author reads rita's reason as a return reason, not the old reopening's.
    response = reviewer.post(
        url(dept_report, "review"), {"action": "return", "reason": "佐证材料不全", "version": dept_report.version}
    )
    assert response.status_code == 302
    notice = re.search(r'<div[^>]*id="return-reason".*?</div>', text(client.get(url(dept_report))), re.S).group(0)
    assert "退回原因" in notice and "佐证材料不全" in notice
    assert "重新开放原因" not in notice and "省里要求补充七通一平佐证" not in notice

    # The report's own history records every step, with who did it and why.
    reasons = list(
        dept_report.history.order_by("history_date").values_list(
            "state", "history_user__username", "history_change_reason"
        )
    )
    assert ("returned", "rita", "退回：七通一平完成日期与现场核查不符") in reasons
    assert ("approved", "rita", "审核通过") in reasons
    assert ("returned", "olga", "重新开放：省里要求补充七通一平佐证") in reasons
    assert ("returned", "rita", "退回：佐证材料不全") in reasons


def _approved(report, user, values):
    """Put a report straight into the approved state, its values locked, as if reviewed."""
    for key, value in values.items():
        indicator, scope, zone = key.split("__")
        slot = IndicatorValue(
            indicator_id=Target.objects.filter(indicator__code=indicator).first().indicator_id,
            period=report.period,
            scope=scope,
            zone_id=report.zone_id,
            report=report,
            value=Decimal(value),
            locked=True,
        )
        slot.save()
    report.state = DispatchReport.State.APPROVED
    report.reviewed_by = user
    report.save()
    return report


def test_it_refuses_to_reopen_without_a_reason(zone_report, leo, olga, client_for):
    _approved(zone_report, leo, {OUTPUT: "12.5"})
    client = client_for(olga)
    before = snapshot(zone_report)
    for data in ({"reason": ""}, {"reason": "   "}, {}):
        response = client.post(url(zone_report, "reopen"), data)
        assert response.status_code == 400
        assert "请填写重新开放的原因" in text(response)
        assert snapshot(zone_report) == before
    assert value_of(OUTPUT).locked is True


def test_it_refuses_to_return_without_a_reason(zone_report, sam, leo, client_for):
    zone_report.state = DispatchReport.State.SUBMITTED
    zone_report.save()
    before = snapshot(zone_report)
    response = client_for(leo).post(url(zone_report, "review"), {"action": "return", "reason": " ", "version": 1})
    assert response.status_code == 400
    assert "退回时必须填写退回原因" in text(response)
    assert snapshot(zone_report) == before


@pytest.mark.parametrize(
    "reason, words",
    [
        # Django's own Chinese for this validator reads "empty string not allowed"; the portal's catalogue words it.
        ("数据\x00有误", "含有不可用的字符（空字符）"),
        ("退" * 2001, "目前字符数 2001"),
    ],
)
def test_it_shows_a_refused_return_reason_on_the_page_with_what_is_wrong(
    zone_report, sam, leo, client_for, reason, words
):
    zone_report.state = DispatchReport.State.SUBMITTED
    zone_report.save()
    before = snapshot(zone_report)
    response = client_for(leo).post(url(zone_report, "review"), {"action": "return", "reason": reason, "version": 1})
    assert response.status_code == 400
    page = text(response)
    assert "审核意见有误" in page and words in page and "空字符串" not in page
    assert snapshot(zone_report) == before


def test_it_sends_the_reviewer_back_to_the_page_when_the_review_itself_is_malformed(zone_report, leo, client_for):
    zone_report.state = DispatchReport.State.SUBMITTED
    zone_report.save()
    before = snapshot(zone_report)
    response = client_for(leo).post(url(zone_report, "review"), {"action": "approve", "version": "x"}, follow=True)
    assert response.redirect_chain and "审核请求无效" in text(response)
    assert snapshot(zone_report) == before


def test_it_lets_a_statistician_edit_a_returned_zone_report_and_keeps_it_returned_until_resubmitted(
    zone_report, sam, client_for
):
    zone_report.state, zone_report.return_reason = DispatchReport.State.RETURNED, "增速口径有误"
    zone_report.save()
    client = client_for(sam)
    response = client.post(url(zone_report), post_data(zone_report, "save", values={GROWTH: "8.2"}))
    assert response.status_code == 302
    zone_report.refresh_from_db()
    assert zone_report.state == DispatchReport.State.RETURNED  # a draft of a returned report stays returned
    assert value_of(GROWTH).value == Decimal("8.2")
    response = client.post(
        url(zone_report), post_data(zone_report, "submit", **complete_zone(zone_report, {GROWTH: "8.4"}))
    )
    assert response.status_code == 302
    zone_report.refresh_from_db()
    assert zone_report.state == DispatchReport.State.SUBMITTED
    assert value_of(GROWTH).value == Decimal("8.4")


def state_line(html: str) -> str:
    """The paragraph under the title: the report's state and who reviewed it."""
    match = re.search(r"<p>[^<]*<span class=\"badge [^\"]*\" id=\"report-state\">.*?</p>", html, re.S)
    assert match, "no state line on the page"
    return match.group(0)


def test_a_report_resubmitted_after_its_return_does_not_read_as_reviewed(zone_report, sam, leo, client_for):
    """已提交 beside 审核人：<reviewer> <time> read as if the resubmitted report had been reviewed already: the
    reviewer named was the one who had returned it. While it waits for review again, no reviewer is named."""
    client = client_for(sam)
    client.post(url(zone_report), post_data(zone_report, "submit", **complete_zone(zone_report)))
    reviewer = other_client(leo)
    reviewer.post(
        url(zone_report, "review"), {"action": "return", "reason": "增速口径有误", "version": version(zone_report)}
    )
    zone_report.refresh_from_db()
    assert zone_report.state == DispatchReport.State.RETURNED
    assert "审核人" in state_line(text(client.get(url(zone_report))))  # who returned it, beside 已退回
    client.post(url(zone_report), post_data(zone_report, "submit", **complete_zone(zone_report)))
    zone_report.refresh_from_db()
    assert zone_report.state == DispatchReport.State.SUBMITTED
    for page in (client.get(url(zone_report)), reviewer.get(url(zone_report))):
        line = state_line(text(page))
        assert "已提交" in line and "审核人" not in line and str(leo) not in line
    reviewer.post(url(zone_report, "review"), {"action": "approve", "reason": "", "version": version(zone_report)})
    assert "审核人" in state_line(text(client.get(url(zone_report))))


def test_the_note_on_saving_a_draft_is_for_those_who_may_save_one(zone_report, sam, leo, client_for):
    """「保存草稿时可以暂缺」 spoke to the reviewer of a submitted report and to every reader of an approved one,
    who have no draft to save: the note is shown with the form's buttons only."""
    note = 'id="required-note"'
    author, reviewer = client_for(sam), other_client(leo)
    assert note in text(author.get(url(zone_report)))
    author.post(url(zone_report), post_data(zone_report, "submit", **complete_zone(zone_report)))
    assert note not in text(author.get(url(zone_report)))
    assert note not in text(reviewer.get(url(zone_report)))


def version(report) -> int:
    report.refresh_from_db()
    return report.version


# --- what a report must say ----------------------------------------------------------------


def test_it_refuses_delayed_progress_without_a_delay_reason(dept_report, alice, client_for):
    client = client_for(alice)
    before = snapshot(dept_report)
    for action in ("save", "submit"):
        response = client.post(
            url(dept_report),
            post_data(
                dept_report,
                action,
                **valid_task_fields(progress="delayed", delay_reason="  "),
                done={MILESTONE: "2023-03-20"},
            ),
        )
        assert response.status_code == 400
        html = text(response)
        assert "必须说明滞后原因" in html
        assert "填报内容有误" in html
        assert snapshot(dept_report) == before
    # With a reason it goes through.
    response = client.post(
        url(dept_report),
        post_data(dept_report, "submit", **valid_task_fields(progress="delayed", delay_reason="征地拆迁未完成")),
    )
    assert response.status_code == 302
    dept_report.refresh_from_db()
    assert (dept_report.state, dept_report.delay_reason) == ("submitted", "征地拆迁未完成")


def test_it_refuses_progress_done_with_a_completion_under_100_percent(dept_report, alice, client_for):
    """已完成 with 完成进度 40% went through and read as both finished and not: the reviewer had to return it to ask
    which. 已完成 is 100% (or the percentage left blank); anything less is refused beside the percentage."""
    client = client_for(alice)
    before = snapshot(dept_report)
    for action in ("save", "submit"):
        response = client.post(
            url(dept_report), post_data(dept_report, action, **valid_task_fields(progress="done", progress_pct="40"))
        )
        assert response.status_code == 400
        html = text(response)
        assert "推进情况为“已完成”时，完成进度应为100%" in html and "填报内容有误" in html
        assert snapshot(dept_report) == before
    for pct in ("100", ""):
        response = client.post(
            url(dept_report), post_data(dept_report, "save", **valid_task_fields(progress="done", progress_pct=pct))
        )
        assert response.status_code == 302, pct
    response = client.post(
        url(dept_report),
        post_data(dept_report, "submit", **valid_task_fields(progress="in_progress", progress_pct="40")),
    )
    assert response.status_code == 302
    dept_report.refresh_from_db()
    assert (dept_report.state, dept_report.progress, dept_report.progress_pct) == ("submitted", "in_progress", 40)


def test_it_refuses_to_submit_without_progress_or_work_done_but_saves_such_a_draft(dept_report, alice, client_for):
    client = client_for(alice)
    before = snapshot(dept_report)
    response = client.post(url(dept_report), post_data(dept_report, "submit", work_done="   "))
    assert response.status_code == 400
    html = text(response)
    assert "提交前请选择推进情况" in html
    assert "提交前请填写工作进展" in html
    assert snapshot(dept_report) == before

    response = client.post(url(dept_report), post_data(dept_report, "submit", progress="in_progress"))
    assert response.status_code == 400
    assert "提交前请填写工作进展" in text(response) and "提交前请选择推进情况" not in text(response)
    assert snapshot(dept_report) == before

    response = client.post(url(dept_report), post_data(dept_report, "save"))
    assert response.status_code == 302
    dept_report.refresh_from_db()
    assert (dept_report.state, dept_report.version) == ("draft", 2)


# --- bad input writes nothing ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"values": {OUTPUT: "abc"}}, "请输入数字"),
        ({"values": {OUTPUT: "-3"}}, "“工业总产值”不能为负数。"),
        ({"values": {SHARE: "100.5"}}, "“主导产业营业收入占比”不能大于100%。"),
        ({"values": {GROWTH: "-100.5"}}, "“工业总产值增速”不能小于-100。"),
        ({"values": {GROWTH: "1" + "0" * 20}}, "数字位数过多"),
        ({"values": {OUTPUT: "12.34567"}}, "最多保留4位小数"),
        ({"values": {OUTPUT: "NaN"}}, "请输入数字"),
        ({"values": {OUTPUT: "12%"}}, "该项的单位是“亿元”，不是百分比：请去掉“%”，只填数字。"),
        ({"values": {OUTPUT: "无"}}, "没有数据请留空，不要填写“无”。"),
    ],
    ids=[
        "text-in-number",
        "negative-output",
        "share-above-100",
        "growth-below-minus-100",
        "huge-growth",
        "five-decimals",
        "nan",
        "percent-on-an-amount",
        "word-for-none",
    ],
)
@pytest.mark.parametrize("action", ["save", "submit"])
def test_it_refuses_bad_input_with_a_message_and_writes_nothing(zone_report, sam, client_for, bad, message, action):
    client = client_for(sam)
    # A first, valid draft: the bad post must not touch these values either.
    client.post(url(zone_report), post_data(zone_report, "save", values={OUTPUT: "10", GROWTH: "5", SHARE: "60"}))
    zone_report.refresh_from_db()
    assert (zone_report.state, zone_report.version) == ("draft", 2)
    before = snapshot(zone_report)

    good = {OUTPUT: "11", GROWTH: "6", SHARE: "61"}
    good.update(bad.get("values", {}))
    fields = {k: v for k, v in bad.items() if k != "values"}
    response = client.post(url(zone_report), post_data(zone_report, action, values=good, **fields))

    assert response.status_code == 400
    html = text(response)
    assert message in html
    verb = "提交" if action == "submit" else "保存"
    assert f"填报内容有误，请按提示修改后再{verb}。" in html
    assert snapshot(zone_report) == before
    assert value_of(OUTPUT).value == Decimal("10")


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"progress_pct": "150"}, "完成进度不能大于100。"),
        ({"progress_pct": "-1"}, "完成进度不能小于0。"),
        ({"progress_pct": "四十"}, "请输入0到100之间的整数。"),
        ({"progress": "finished"}, "选择一个有效的选项"),
        ({"done": {MILESTONE: "2023-02-30"}}, "请输入有效日期"),
    ],
    ids=["pct-150", "pct-negative", "pct-text", "unknown-progress", "impossible-date"],
)
@pytest.mark.parametrize("action", ["save", "submit"])
def test_it_refuses_a_bad_department_report_with_a_message_and_writes_nothing(
    dept_report, alice, client_for, bad, message, action
):
    client = client_for(alice)
    client.post(url(dept_report), post_data(dept_report, "save", **valid_task_fields(), done={MILESTONE: "2023-03-20"}))
    dept_report.refresh_from_db()
    assert (dept_report.state, dept_report.version) == ("draft", 2)
    before = snapshot(dept_report)

    fields = valid_task_fields(work_done="改过的进展")
    fields.update({k: v for k, v in bad.items() if k != "done"})
    done = {MILESTONE: "2023-03-25", **bad.get("done", {})}
    response = client.post(url(dept_report), post_data(dept_report, action, done=done, **fields))

    assert response.status_code == 400
    html = text(response)
    assert message in html
    verb = "提交" if action == "submit" else "保存"
    assert f"填报内容有误，请按提示修改后再{verb}。" in html
    assert snapshot(dept_report) == before


def test_it_refuses_edits_in_a_locked_period(zone_report, sam, olga, client_for):
    client_for(sam).post(url(zone_report), post_data(zone_report, "save", values={OUTPUT: "10"}))
    ReportingPeriod.objects.filter(pk=zone_report.period_id).update(is_locked=True)
    before = snapshot(zone_report)
    for user in (sam, olga):  # not even the office edits a closed period
        client = client_for(user)
        for action in ("save", "submit"):
            response = client.post(url(zone_report), post_data(zone_report, action, values={OUTPUT: "99"}))
            assert response.status_code == 400
            assert "该调度期已关闭" in text(response)
            assert snapshot(zone_report) == before
        html = text(client.get(url(zone_report)))
        assert "disabled" in field_tag(html, f"value__{OUTPUT}")
        assert 'value="save"' not in html


# --- optimistic locking --------------------------------------------------------------------------


def test_it_refuses_a_save_from_a_stale_page_and_keeps_the_first_save(zone_report, sam, client_for):
    first, second = client_for(sam), other_client(sam)
    version_first = re.search(r'name="version" value="(\d+)"', text(first.get(url(zone_report)))).group(1)
    version_second = re.search(r'name="version" value="(\d+)"', text(second.get(url(zone_report)))).group(1)
    assert version_first == version_second == "1"

    response = first.post(
        url(zone_report),
        post_data(zone_report, "save", version=version_first, values={OUTPUT: "10"}, change_reason="第一次"),
    )
    assert response.status_code == 302
    before = snapshot(zone_report)

    response = second.post(
        url(zone_report),
        post_data(zone_report, "save", version=version_second, values={OUTPUT: "20"}, change_reason="第二次"),
    )
    assert response.status_code == 400
    html = text(response)
    message = re.search(r'<li class="error" role="alert">([^<]*)</li>', html).group(1)
    assert "已被" in message and "修改" in message and "sam" in message
    assert "刷新" not in html and "您填写的内容已保留" in html  # sending again is the way, not a refresh
    assert snapshot(zone_report) == before
    assert value_of(OUTPUT).value == Decimal("10")
    zone_report.refresh_from_db()
    assert zone_report.version == 2

    # Submitting from the stale page is refused just the same.
    response = second.post(
        url(zone_report),
        post_data(zone_report, "submit", version=version_second, **complete_zone(zone_report, {OUTPUT: "20"})),
    )
    assert response.status_code == 400 and "已被" in text(response)
    assert snapshot(zone_report) == before


def test_a_save_refused_for_a_stale_page_shows_where_the_stored_report_differs_and_is_taken_when_sent_again(
    zone_report, sam, client_for
):
    """The refused page keeps every value typed, and under each field where the other save differs it says what is
    stored now; the form holds the current version, so sending it again (after looking) saves it."""
    from tests.resend import form_data

    first, second = client_for(sam), other_client(sam)
    first.post(url(zone_report), post_data(zone_report, "save", version=1, values={OUTPUT: "10"}, work_done="甲"))
    refused = second.post(
        url(zone_report), post_data(zone_report, "save", version=1, values={OUTPUT: "20"}, work_done="乙")
    )
    page = text(refused)
    assert refused.status_code == 400 and "已被" in page
    assert value_of(OUTPUT).value == Decimal("10")
    notes = re.findall(r'<p class="small stored-now">([^<]*)</p>', page)
    assert sorted(notes) == ["现已保存：10", "现已保存：甲"], notes
    assert "有2项与他人保存的内容不同" in page and "您填写的内容已保留" in page
    again = form_data(page, '//form[contains(@class, "report-form")]')
    assert again["version"] == "2" and again[f"value__{OUTPUT}"] == "20" and again["work_done"] == "乙"
    assert second.post(url(zone_report), {**again, "action": "save"}).status_code == 302
    assert value_of(OUTPUT).value == Decimal("20")


def test_it_refuses_a_review_from_a_stale_page(zone_report, sam, leo, client_for):
    client_for(sam).post(
        url(zone_report), post_data(zone_report, "submit", **complete_zone(zone_report, {OUTPUT: "10"}))
    )
    zone_report.refresh_from_db()
    before = snapshot(zone_report)
    response = other_client(leo).post(
        url(zone_report, "review"), {"action": "approve", "version": zone_report.version - 1}
    )
    assert response.status_code == 400
    assert "已被" in text(response) and "修改" in text(response)
    assert snapshot(zone_report) == before


def test_a_review_refused_for_a_stale_page_comes_back_with_its_comment_and_the_current_version(
    zone_report, sam, leo, client_for
):
    """The page drawn again shows the report as it is now, with the comment typed and the version now stored: the
    reviewer, having looked again, approves by pressing the button once more."""
    from tests.resend import form_data

    client_for(sam).post(
        url(zone_report), post_data(zone_report, "submit", **complete_zone(zone_report, {OUTPUT: "10"}))
    )
    zone_report.refresh_from_db()
    reviewer = other_client(leo)
    refused = reviewer.post(
        url(zone_report, "review"), {"action": "approve", "version": zone_report.version - 1, "reason": "数据已核对"}
    )
    page = text(refused)
    assert refused.status_code == 400 and "已被" in page and "您填写的内容已保留" in page
    assert DispatchReport.objects.get(pk=zone_report.pk).state == DispatchReport.State.SUBMITTED
    again = form_data(page, '//form[@id="review-form"]')
    assert again == {"version": str(zone_report.version), "reason": "数据已核对"}
    assert reviewer.post(url(zone_report, "review"), {**again, "action": "approve"}).status_code == 302
    zone_report.refresh_from_db()
    assert zone_report.state == DispatchReport.State.APPROVED


# --- history -------------------------------------------------------------------------------------------


def test_it_shows_who_changed_which_value_from_what_to_what_and_why(zone_report, sam, client_for):
    client = client_for(sam)
    client.post(url(zone_report), post_data(zone_report, "save", values={OUTPUT: "10"}, change_reason="初次填报"))
    client.post(
        url(zone_report), post_data(zone_report, "save", values={OUTPUT: "12.5"}, change_reason="根据统计局快报更正")
    )

    value = value_of(OUTPUT)
    assert value.value == Decimal("12.5") and value.version == 2
    records = list(IndicatorValue.history.filter(id=value.pk).order_by("history_date"))
    assert [(r.value, r.history_user, r.history_change_reason) for r in records] == [
        (Decimal("10"), sam, "初次填报"),
        (Decimal("12.5"), sam, "根据统计局快报更正"),
    ]

    history = section(text(client.get(url(zone_report))), "value-history")
    assert "数据修改记录" in history
    rows = re.findall(r"<tr>(.*?)</tr>", history, re.S)[1:]
    cells = [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] for row in rows]
    # Newest first: time, who, indicator (scope), old, new, why.
    assert [c[1:3] + c[5:] for c in cells] == [
        ["sam", "工业总产值（禄丰产业园区）", "根据统计局快报更正"],
        ["sam", "工业总产值（禄丰产业园区）", "初次填报"],
    ]
    assert (Decimal(cells[0][3]), Decimal(cells[0][4])) == (Decimal("10"), Decimal("12.5"))
    assert (cells[1][3], Decimal(cells[1][4])) == ("—", Decimal("10"))


# --- progress recomputation ---------------------------------------------------------------------------

# 「年均增长20%以上」: 2023 grew 20 %, 2024 so far 22 %; the average so far is √(1.20 × 1.22) − 1.
AVERAGE_OF_20_AND_22 = Decimal("20.9959")


def _growth_target_with_2023() -> Target:
    """禄丰's 年均 growth target (the office's breakdown), with 2023's full-year growth already in."""
    target = Target.objects.get(indicator__code="industrial-output-growth", scope="zone", zone__code="lufeng")
    IndicatorValue.objects.create(
        indicator=target.indicator,
        scope="zone",
        zone=target.zone,
        value=Decimal(20),
        period=ReportingPeriod.objects.get(cadence="monthly", year=2023, index=12),
    )
    return target


def test_it_recomputes_progress_when_a_report_is_submitted_and_when_it_is_approved(
    zone_report, sam, leo, client_for, django_capture_on_commit_callbacks
):
    output = Target.objects.get(indicator__code="industrial-output", scope="zone", zone__code="lufeng", year=2025)
    growth = _growth_target_with_2023()
    values = {OUTPUT: "12.5", GROWTH: "22"}
    client = client_for(sam)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(url(zone_report), post_data(zone_report, "save", values=values))
    assert queued(callbacks) == []  # a draft counts for nothing yet
    assert not ProgressResult.objects.exists()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url(zone_report), post_data(zone_report, "submit", **complete_zone(zone_report, values)))
    assert response.status_code == 302
    assert len(queued(callbacks)) == 1
    assert ProgressResult.objects.filter(target=output, period=zone_report.period).exists()
    march = ProgressResult.objects.get(target=growth, period=zone_report.period)
    assert (march.actual, march.status) == (AVERAGE_OF_20_AND_22, ProgressResult.Status.GREEN)

    ProgressResult.objects.all().delete()
    zone_report.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = other_client(leo).post(
            url(zone_report, "review"), {"action": "approve", "version": zone_report.version}
        )
    assert response.status_code == 302
    assert len(queued(callbacks)) == 1
    zone_report.refresh_from_db()
    assert zone_report.state == DispatchReport.State.APPROVED
    assert ProgressResult.objects.filter(target=output, period=zone_report.period).exists()
    march = ProgressResult.objects.get(target=growth, period=zone_report.period)
    assert (march.actual, march.status) == (AVERAGE_OF_20_AND_22, ProgressResult.Status.GREEN)


def test_it_recomputes_progress_when_a_report_is_returned_or_reopened_so_its_values_stop_counting(
    zone_report, sam, leo, olga, client_for, django_capture_on_commit_callbacks
):
    growth = _growth_target_with_2023()
    client = client_for(sam)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(zone_report), post_data(zone_report, "submit", **complete_zone(zone_report, {GROWTH: "22"})))
    assert ProgressResult.objects.get(target=growth, period=zone_report.period).actual == AVERAGE_OF_20_AND_22

    # Returned: the values are being worked on again and no longer count.
    zone_report.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = other_client(leo).post(
            url(zone_report, "review"), {"action": "return", "reason": "增速口径有误", "version": zone_report.version}
        )
    assert response.status_code == 302
    assert len(queued(callbacks)) == 1
    march = ProgressResult.objects.get(target=growth, period=zone_report.period)
    assert (march.actual, march.status) == (None, ProgressResult.Status.GREY)

    # Resubmitted and approved they count again; reopened they stop counting once more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(zone_report), post_data(zone_report, "submit", **complete_zone(zone_report, {GROWTH: "23"})))
    zone_report.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        other_client(leo).post(url(zone_report, "review"), {"action": "approve", "version": zone_report.version})
    # √(1.20 × 1.23) − 1
    assert ProgressResult.objects.get(target=growth, period=zone_report.period).actual == Decimal("21.4907")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        other_client(olga).post(url(zone_report, "reopen"), {"reason": "省统计局反馈需更正"})
    assert len(queued(callbacks)) == 1
    assert ProgressResult.objects.get(target=growth, period=zone_report.period).actual is None


def test_a_reviewers_comment_on_approval_is_kept_in_the_flow_record(zone_report, leo, client_for):
    zone_report.state = DispatchReport.State.SUBMITTED
    zone_report.save()
    client = client_for(leo)
    page = text(client.get(url(zone_report)))
    assert "审核意见（退回时必填）" in page
    response = client.post(
        url(zone_report, "review"), {"action": "approve", "reason": " 同意，注意资金对接进度。 ", "version": 1}
    )
    assert response.status_code == 302
    zone_report.refresh_from_db()
    assert zone_report.state == DispatchReport.State.APPROVED and zone_report.return_reason == ""
    assert zone_report.history.latest().history_change_reason == "审核通过：同意，注意资金对接进度。"
    assert "审核通过：同意，注意资金对接进度。" in text(client.get(url(zone_report)))


def test_the_report_page_under_review_gives_each_box_its_own_id(zone_report, leo, client_for):
    """The report form and the review form both hold a version and the page a reason box: each with its own id, so
    that a label names its box (the review's reason box is `review_reason`)."""
    zone_report.state = DispatchReport.State.SUBMITTED
    zone_report.save()
    page = text(client_for(leo).get(url(zone_report)))
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert sorted({name for name in ids if ids.count(name) > 1}) == []
    assert 'id="review_version"' in page and 'id="id_version"' in page
    assert '<label for="review_reason">' in page and 'id="review_reason"' in page


def test_a_page_left_open_does_not_reopen_a_report_approved_again_since(zone_report, leo, olga, client_for):
    """The 重新开放 form carries the report's version its page showed: drawn before the report was reopened and
    approved again, it is refused in words naming who changed it, and the new approval stands; drawn again, it
    reopens."""
    import re

    from indicators.reporting.services import report_reopen

    _approved(zone_report, leo, {OUTPUT: "12.5"})
    client = client_for(olga)

    def shown() -> str:
        form = text(client.get(url(zone_report))).split('id="reopen-form"', 1)[1].split("</form>", 1)[0]
        return re.search(r'name="version" value="([^"]*)"', form).group(1)

    stale = shown()
    report_reopen(report=zone_report, user=olga, reason="补充佐证")
    DispatchReport.objects.filter(pk=zone_report.pk).update(state=DispatchReport.State.APPROVED)  # approved again
    refused = client.post(url(zone_report, "reopen"), {"reason": "数据有误", "version": stale})
    assert refused.status_code == 400 and "该报告已被olga于" in text(refused)
    zone_report.refresh_from_db()
    assert (zone_report.state, zone_report.reopen_reason) == (DispatchReport.State.APPROVED, "补充佐证")

    assert client.post(url(zone_report, "reopen"), {"reason": "数据有误", "version": shown()}).status_code == 302
    zone_report.refresh_from_db()
    assert (zone_report.state, zone_report.reopen_reason) == (DispatchReport.State.RETURNED, "数据有误")


def test_the_office_s_report_page_gives_the_waive_and_reopen_boxes_their_own_ids(zone_report, leo, olga, client_for):
    """The 免报 and 重新开放 forms carry the report's version beside the report form's: each with its own id."""
    client = client_for(olga)
    for state, form in ((DispatchReport.State.DRAFT, "waive"), (DispatchReport.State.APPROVED, "reopen")):
        DispatchReport.objects.filter(pk=zone_report.pk).update(state=state)
        page = text(client.get(url(zone_report)))
        ids = re.findall(r'\sid="([^"]+)"', page)
        assert sorted({name for name in ids if ids.count(name) > 1}) == []
        assert f'id="{form}_version"' in page and f'<label for="{form}_reason">' in page


def test_a_refused_reopen_comes_back_with_its_reason_and_the_version_now_stored_to_send_again(
    zone_report, leo, olga, client_for
):
    """Refused for a report approved again since, the 重新开放 form comes back with the reason typed and the report's
    current version: pressed again, it reopens."""
    from indicators.reporting.services import report_reopen
    from tests.resend import form_data

    _approved(zone_report, leo, {OUTPUT: "12.5"})
    zone_report.refresh_from_db()
    stale = zone_report.version
    report_reopen(report=zone_report, user=olga, reason="补充佐证")
    DispatchReport.objects.filter(pk=zone_report.pk).update(state=DispatchReport.State.APPROVED)  # approved again
    client = client_for(olga)
    refused = client.post(url(zone_report, "reopen"), {"reason": "数据有误", "version": stale})
    page = text(refused)
    assert refused.status_code == 400 and "该报告已被olga于" in page and "您填写的内容已保留" in page
    zone_report.refresh_from_db()
    assert (zone_report.state, zone_report.reopen_reason) == (DispatchReport.State.APPROVED, "补充佐证")

    again = form_data(page, '//form[@id="reopen-form"]')
    assert again == {"version": str(zone_report.version), "reason": "数据有误"}
    assert client.post(url(zone_report, "reopen"), again).status_code == 302
    zone_report.refresh_from_db()
    assert (zone_report.state, zone_report.reopen_reason) == (DispatchReport.State.RETURNED, "数据有误")


def test_a_report_approved_once_is_never_waived_and_its_page_offers_no_waive(zone_report, leo, olga, client_for):
    """Reopened for a correction, an approved report's data was delivered: a waive, which nothing undoes, dropped it
    from every count for good. A report never delivered is still waived."""
    from indicators.reporting.services import ReportError, report_reopen, report_waive

    client = client_for(olga)
    assert 'id="waive-form"' in text(client.get(url(zone_report)))  # owed, never delivered: it may be waived
    _approved(zone_report, leo, {OUTPUT: "12.5"})
    report_reopen(report=zone_report, user=olga, reason="补充佐证")
    zone_report.refresh_from_db()
    assert zone_report.is_editable

    assert 'id="waive-form"' not in text(client.get(url(zone_report)))
    with pytest.raises(ReportError, match="该报告曾经审核通过，其数据已报送，不能免报"):
        report_waive(report=zone_report, user=olga, reason="不再需要")
    refused = client.post(url(zone_report, "waive"), {"reason": "不再需要", "version": version(zone_report)})
    assert refused.status_code == 400 and "不能免报" in text(refused)
    zone_report.refresh_from_db()
    assert zone_report.state == DispatchReport.State.RETURNED and not zone_report.waive_reason


def test_a_save_after_the_report_was_submitted_or_approved_meanwhile_says_why(zone_report, sam, leo, client_for):
    """A double click on 提交审核 answered 「已被…（the user）…修改」, and a save from a page left open after the
    approval 「已被…审核人…修改」: the report's state says why it cannot be saved now."""
    client = client_for(sam)
    stale = version(zone_report)
    submit = post_data(zone_report, "submit", version=stale, **complete_zone(zone_report))
    assert client.post(url(zone_report), submit).status_code == 302
    twice = client.post(url(zone_report), submit)  # the second click of a double click
    assert twice.status_code == 400
    assert "该报告已提交，正在等待审核，暂不能修改" in text(twice) and "已被" not in text(twice)

    zone_report.refresh_from_db()
    review = {"action": "approve", "version": zone_report.version, "comment": ""}
    assert other_client(leo).post(url(zone_report, "review"), review).status_code == 302
    left_open = client.post(url(zone_report), post_data(zone_report, "save", version=stale, values={OUTPUT: "20"}))
    assert left_open.status_code == 400
    assert "该报告已审核锁定" in text(left_open) and "已被" not in text(left_open)


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("2031-05-05", "的完成日期（2031年5月5日）不能晚于今天。"),
        ("2026-12-07", "的完成日期（2026年12月7日）不能晚于今天。"),
        ("1900-01-01", "的完成日期（1900年1月1日）早于2013年1月1日，请核对。"),
    ],
)
def test_a_milestone_completed_in_the_future_or_long_before_the_plan_is_refused(
    dept_report, alice, client_for, typed, words
):
    """2031-05-05 and 1900-01-01 were taken, and the milestone counted as done."""
    import time_machine

    with time_machine.travel(datetime(2026, 12, 6, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        client = client_for(alice)
        refused = client.post(
            url(dept_report), post_data(dept_report, "save", **valid_task_fields(), done={MILESTONE: typed})
        )
        assert refused.status_code == 400 and words in text(refused)
        assert not IndicatorValue.objects.filter(report=dept_report).exists()
        taken = client.post(
            url(dept_report), post_data(dept_report, "save", **valid_task_fields(), done={MILESTONE: "2026-12-06"})
        )
    assert taken.status_code == 302
    assert value_of(MILESTONE).done_on == date(2026, 12, 6)
