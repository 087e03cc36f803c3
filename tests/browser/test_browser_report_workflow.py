"""The dispatch report workflow in a real browser, as the people who use it see it.

Department staff (alice, 州发展改革委) find a due report on /todo/, save a draft, submit it; the
unit's reviewer (rita) returns it with a reason; alice sees the reason, trips over the "滞后 needs a
reason" rule, fixes it and resubmits; rita approves and the report is locked. A second test walks a
zone's statistician (sam) and leader (leo) through the zone value set. Every step asserts what is on
the screen (messages, badges, sections of the to-do page, disabled inputs), and the database is only
read to confirm that a refused step changed nothing.
"""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from indicators.models import DispatchReport, IndicatorValue, ReportingPeriod
from tasks.models import Task

pytestmark = pytest.mark.browser

TASK_14 = "14. "
MILESTONE_LUFENG = "done__seven-connections__zone__lufeng"  # 七通一平, 禄丰产业园区: a completion date
OUTPUT_LUFENG = "value__industrial-output__zone__lufeng"  # 工业总产值（亿元）, must not be negative
WAIT_MS = 15_000

RETURN_REASON = "请补充禄丰产业园区七通一平的完成佐证材料。"


# --- helpers -------------------------------------------------------------------------------


def _period(year: int, month: int) -> ReportingPeriod:
    return ReportingPeriod.objects.get(cadence="monthly", year=year, index=month)


def _click_and_wait(page: Page, target: Locator) -> None:
    """Click a submit button or link and wait until the next page has loaded."""
    with page.expect_navigation():
        target.click()


def _click_refused(page: Page, target: Locator, url: str) -> None:
    """Click a submit button whose POST the server refuses: it answers 400 with the form and the errors.

    That is the app's design for every refused form (the HTTP tests assert the 400). Chromium logs a
    400 document as a console error ("Failed to load resource: ... status of 400"), which the harness
    would count as a JavaScript error, so exactly that one expected message is taken back off the list.
    """

    def is_refusal(message) -> bool:
        return (
            message.type == "error" and "status of 400" in message.text and (message.location or {}).get("url") == url
        )

    with page.expect_console_message(is_refusal):
        with page.expect_navigation() as navigation:
            target.click()
    assert navigation.value.status == 400
    expected = [e for e in page.js_errors if e.startswith(f"console.error at {url}:") and "status of 400" in e]
    assert len(expected) == 1, page.js_errors
    page.js_errors.remove(expected[0])


def _logout(page: Page, live_server) -> None:
    _click_and_wait(page, page.get_by_role("button", name="退出", exact=True))
    expect(page).to_have_url(f"{live_server.url}/accounts/login/", timeout=WAIT_MS)
    expect(page.locator("#id_username")).to_be_visible()


def _todo(page: Page, live_server) -> None:
    _click_and_wait(page, page.locator("nav.mainnav").get_by_role("link", name="待办", exact=True))
    expect(page).to_have_url(f"{live_server.url}/todo/")
    expect(page.locator("h1")).to_have_text("待办")


def _row(page: Page, section: str, report: DispatchReport) -> Locator:
    """The row of `report` in one section (#owed, #waiting, #recent) of the to-do page."""
    link = page.locator(f'a[href="/reports/{report.pk}/"]')
    return page.locator(f"#{section} tbody tr").filter(has=link)


def _open_from_todo(page: Page, live_server, section: str, report: DispatchReport) -> None:
    row = _row(page, section, report)
    expect(row).to_have_count(1)
    _click_and_wait(page, row.get_by_role("link"))
    expect(page).to_have_url(f"{live_server.url}/reports/{report.pk}/")


def _message(page: Page) -> Locator:
    return page.locator("ul.messages li")


def _state(page: Page) -> Locator:
    return page.locator("#report-state")


def _button(page: Page, action: str) -> Locator:
    return page.locator(f"button[name=action][value={action}]")


def _expect_locked(page: Page) -> None:
    """An approved report: every input of the report form disabled, no save/submit/review/upload."""
    form = page.locator("form.report-form")
    fields = form.locator("input:not([type=hidden]), select, textarea")
    expect(fields.first).to_be_visible()
    for i in range(fields.count()):
        expect(fields.nth(i)).to_be_disabled()
    expect(_button(page, "save")).to_have_count(0)
    expect(_button(page, "submit")).to_have_count(0)
    expect(page.locator("#review-form")).to_have_count(0)
    expect(page.locator("input[type=file][name=file]")).to_have_count(0)
    expect(page.locator(".badge.locked")).to_have_text("已锁定")


# --- the department report -----------------------------------------------------------------


@pytest.fixture
def dept_report(plan):
    """州发展改革委's report on task 14 for March 2023: due (started long ago), overdue, not yet touched."""
    return DispatchReport.objects.create(
        department=plan["ndrc"], task=Task.objects.get(number=14), period=_period(2023, 3)
    )


def test_department_report_is_drafted_submitted_returned_fixed_and_approved(
    page, login, screenshot, live_server, alice, rita, dept_report
):
    report = dept_report

    # --- 1. alice finds the report under 应报事项 and opens it ----------------------------------
    login(page, alice)
    _todo(page, live_server)
    owed = _row(page, "owed", report)
    expect(owed).to_contain_text(TASK_14)
    expect(owed).to_contain_text("2023年3月")
    expect(owed.locator(".badge").first).to_have_text("待填报")
    expect(owed.locator(".badge.overdue")).to_have_text("逾期")
    expect(page.locator("#recent")).to_contain_text("暂无提交记录。")
    screenshot(page, "01-alice-todo-owed")

    _open_from_todo(page, live_server, "owed", report)
    expect(page.locator("h1")).to_contain_text(TASK_14)
    expect(_state(page)).to_have_text("待填报")
    expect(page.locator("#id_delay_reason")).to_be_hidden()  # only asked for when progress is 滞后
    milestone = page.locator(f"input[name='{MILESTONE_LUFENG}']")
    expect(milestone).to_have_attribute("type", "date")

    # --- 2. fill the report and save a draft --------------------------------------------------
    page.locator("#id_progress").select_option(label="推进中")
    page.locator("#id_progress_pct").fill("40")
    page.locator("#id_work_done").fill("完成禄丰产业园区路网规划编制，启动供水管网建设。")
    page.locator("#id_problems").fill("资金缺口较大。")
    page.locator("#id_next_steps").fill("争取专项债资金支持。")
    milestone.fill("2023-03-20")
    screenshot(page, "02-alice-filled")
    _click_and_wait(page, _button(page, "save"))

    expect(page).to_have_url(f"{live_server.url}/reports/{report.pk}/")
    expect(_message(page)).to_have_text("草稿已保存。")
    expect(_state(page)).to_have_text("草稿")
    expect(page.locator("#id_progress")).to_have_value("in_progress")
    expect(page.locator("#id_progress_pct")).to_have_value("40")
    expect(page.locator("#id_work_done")).to_have_value("完成禄丰产业园区路网规划编制，启动供水管网建设。")
    expect(page.locator(f"input[name='{MILESTONE_LUFENG}']")).to_have_value("2023-03-20")
    expect(page.locator("#value-history")).to_contain_text("2023年3月20日")
    expect(page.locator("#report-history")).to_contain_text("保存草稿")
    screenshot(page, "03-alice-draft-saved")

    # --- 3. submit: back on /todo/, listed under 最近提交 as 已提交 ------------------------------
    _click_and_wait(page, _button(page, "submit"))

    expect(page).to_have_url(f"{live_server.url}/todo/")
    expect(_message(page)).to_have_text("已提交，等待审核。")
    recent = _row(page, "recent", report)
    expect(recent).to_contain_text(TASK_14)
    expect(recent.locator(".badge").first).to_have_text("已提交")
    expect(recent.locator(".badge.overdue")).to_have_count(0)
    expect(recent.locator(".badge.late")).to_have_text("迟报")  # first submitted after the 2023 deadline
    expect(_row(page, "owed", report)).to_have_count(0)
    expect(page.locator("#owed")).to_contain_text("当前没有待填报的事项。")
    expect(page.locator("#waiting")).to_have_count(0)  # 待审核 is the reviewer's to-do, not hers
    screenshot(page, "04-alice-submitted")

    # --- 4. rita sees it under 待审核; returning needs a reason; she returns it ---------------
    _logout(page, live_server)
    login(page, rita)
    _todo(page, live_server)
    waiting = _row(page, "waiting", report)
    expect(page.locator("#waiting h2")).to_have_text("待审核")
    expect(waiting).to_contain_text(TASK_14)
    expect(waiting).to_contain_text("州发展改革委")
    expect(waiting.locator(".badge").first).to_have_text("已提交")
    screenshot(page, "05-rita-todo-waiting")

    _open_from_todo(page, live_server, "waiting", report)
    expect(_state(page)).to_have_text("已提交")
    expect(page.locator("#id_work_done")).to_be_disabled()  # the reviewer reads, she does not edit
    expect(_button(page, "save")).to_have_count(0)
    review = page.locator("#review-form")
    expect(review.get_by_role("button", name="审核通过")).to_be_visible()

    version = DispatchReport.objects.get(pk=report.pk).version
    _click_refused(
        page,
        review.locator("button[value=return]"),  # no reason given
        f"{live_server.url}/reports/{report.pk}/review/",
    )
    expect(_message(page)).to_have_text("退回时必须填写退回原因。")
    expect(_state(page)).to_have_text("已提交")
    assert DispatchReport.objects.get(pk=report.pk).version == version

    page.locator("#review_reason").fill(RETURN_REASON)
    screenshot(page, "06-rita-return-reason")
    _click_and_wait(page, page.locator("#review-form button[value=return]"))

    expect(page).to_have_url(f"{live_server.url}/reports/{report.pk}/")
    expect(_message(page)).to_have_text("已退回，填报人将看到退回原因。")
    expect(_state(page)).to_have_text("已退回")
    expect(page.locator("#return-reason")).to_contain_text(RETURN_REASON)
    expect(page.locator("#review-form")).to_have_count(0)
    screenshot(page, "07-rita-returned")

    # --- 5. alice sees the reason, forgets the delay reason, then resubmits ----------------
    _logout(page, live_server)
    login(page, alice)
    _todo(page, live_server)
    owed = _row(page, "owed", report)
    expect(owed.locator(".badge").first).to_have_text("已退回")
    _open_from_todo(page, live_server, "owed", report)
    expect(_state(page)).to_have_text("已退回")
    expect(page.locator("#return-reason")).to_contain_text("退回原因：")
    expect(page.locator("#return-reason")).to_contain_text(RETURN_REASON)
    expect(page.locator("#id_progress")).to_have_value("in_progress")  # the draft is still there
    screenshot(page, "08-alice-sees-return-reason")

    fixed = "完成禄丰产业园区路网规划编制，七通一平于3月20日完成，佐证材料已上传。"
    page.locator("#id_work_done").fill(fixed)
    page.locator("#id_progress").select_option(label="滞后")
    expect(page.locator("#id_delay_reason")).to_be_visible()  # report.js shows the box for 滞后
    before = DispatchReport.objects.get(pk=report.pk)
    _click_refused(page, _button(page, "submit"), f"{live_server.url}/reports/{report.pk}/")

    expect(page).to_have_url(f"{live_server.url}/reports/{report.pk}/")
    expect(_message(page)).to_have_text("填报内容有误，请按提示修改后再提交。")
    delay_error = page.locator("#delay-box .errorlist")
    expect(delay_error).to_be_visible()
    expect(delay_error).to_contain_text("必须说明滞后原因")
    expect(page.locator("#id_delay_reason")).to_be_visible()
    expect(_state(page)).to_have_text("已退回")
    expect(page.locator("#id_work_done")).to_have_value(fixed)  # what she typed is kept
    expect(page.locator("#id_progress")).to_have_value("delayed")
    after = DispatchReport.objects.get(pk=report.pk)
    assert (after.state, after.version, after.work_done, after.progress) == (
        DispatchReport.State.RETURNED,
        before.version,
        before.work_done,
        before.progress,
    )
    screenshot(page, "09-alice-delay-reason-missing")

    page.locator("#id_delay_reason").fill("征地拆迁进度慢于预期。")
    _click_and_wait(page, _button(page, "submit"))

    expect(page).to_have_url(f"{live_server.url}/todo/")
    expect(_message(page)).to_have_text("已提交，等待审核。")
    expect(_row(page, "recent", report).locator(".badge").first).to_have_text("已提交")
    expect(_row(page, "owed", report)).to_have_count(0)
    screenshot(page, "10-alice-resubmitted")

    # --- 6. rita approves: 已审核, locked -------------------------------------------------------
    _logout(page, live_server)
    login(page, rita)
    _todo(page, live_server)
    _open_from_todo(page, live_server, "waiting", report)
    expect(page.locator("#id_work_done")).to_have_value(fixed)
    expect(page.locator("#id_delay_reason")).to_have_value("征地拆迁进度慢于预期。")
    expect(page.locator("#return-reason")).to_have_count(0)  # resubmitted: no longer 已退回
    _click_and_wait(page, page.get_by_role("button", name="审核通过"))

    expect(page).to_have_url(f"{live_server.url}/reports/{report.pk}/")
    expect(_message(page)).to_have_text("已审核通过，数据已锁定。")
    expect(_state(page)).to_have_text("已审核")
    expect(page.locator(".badge.overdue")).to_have_count(0)
    expect(page.locator("p", has=_state(page))).to_contain_text("审核人")
    _expect_locked(page)
    screenshot(page, "11-rita-approved")

    # --- 7. alice can no longer change it either ----------------------------------------------
    _logout(page, live_server)
    login(page, alice)
    _todo(page, live_server)
    expect(_row(page, "recent", report).locator(".badge").first).to_have_text("已审核")
    expect(page.locator("#waiting")).to_have_count(0)
    _open_from_todo(page, live_server, "recent", report)
    expect(_state(page)).to_have_text("已审核")
    _expect_locked(page)
    expect(page.locator(f"input[name='{MILESTONE_LUFENG}']")).to_have_value("2023-03-20")
    screenshot(page, "12-alice-sees-locked")

    report.refresh_from_db()
    assert report.state == DispatchReport.State.APPROVED
    value = IndicatorValue.objects.get(report=report, zone__code="lufeng", indicator__code="seven-connections")
    assert (str(value.done_on), value.locked) == ("2023-03-20", True)


# --- the zone value set ----------------------------------------------------------------------


@pytest.fixture
def zone_report(plan):
    """禄丰产业园区's indicator values for March 2024."""
    return DispatchReport.objects.create(zone=plan["lufeng"], period=_period(2024, 3))


def test_zone_statistician_submits_values_and_the_zone_leader_approves(
    page, login, screenshot, live_server, sam, leo, zone_report
):
    report = zone_report

    login(page, sam)
    _todo(page, live_server)
    owed = _row(page, "owed", report)
    expect(owed).to_contain_text("禄丰产业园区 · 园区指标")
    _open_from_todo(page, live_server, "owed", report)
    expect(page.locator("h1")).to_contain_text("园区指标填报")
    expect(page.locator("#id_progress")).to_have_count(0)  # a zone value set has no task fields

    output = page.locator(f"input[name='{OUTPUT_LUFENG}']")
    output.fill("-5")
    _click_refused(page, _button(page, "save"), f"{live_server.url}/reports/{report.pk}/")
    expect(_message(page)).to_have_text("填报内容有误，请按提示修改后再保存。")
    output = page.locator(f"input[name='{OUTPUT_LUFENG}']")
    expect(output.locator("xpath=following-sibling::ul[contains(@class, 'errorlist')]")).to_contain_text("不能为负数")
    expect(output).to_be_focused()  # the keyboard starts at the value to correct, not at the top of the page
    expect(_state(page)).to_have_text("待填报")
    assert not IndicatorValue.objects.filter(report=report).exists()
    screenshot(page, "01-sam-negative-value")

    output.fill("123.45")
    page.locator("#id_work_done").fill("一季度工业总产值稳步增长。")
    # Every number the report asks for is required on submit: the rest are filled in too.
    others = page.locator(f"input[name^='value__']:not([name='{OUTPUT_LUFENG}'])")
    for index in range(others.count()):
        others.nth(index).fill("1")
    _click_and_wait(page, _button(page, "submit"))
    expect(page).to_have_url(f"{live_server.url}/todo/")
    expect(_message(page)).to_have_text("已提交，等待审核。")
    expect(_row(page, "recent", report).locator(".badge").first).to_have_text("已提交")
    expect(page.locator("#waiting")).to_have_count(0)
    screenshot(page, "02-sam-submitted")

    _logout(page, live_server)
    login(page, leo)
    _todo(page, live_server)
    waiting = _row(page, "waiting", report)
    expect(waiting).to_contain_text("禄丰产业园区")
    _open_from_todo(page, live_server, "waiting", report)
    expect(page.locator(f"input[name='{OUTPUT_LUFENG}']")).to_have_value(re.compile(r"^123\.45(00)?$"))
    _click_and_wait(page, page.get_by_role("button", name="审核通过"))
    expect(_message(page)).to_have_text("已审核通过，数据已锁定。")
    expect(_state(page)).to_have_text("已审核")
    _expect_locked(page)
    screenshot(page, "03-leo-approved")
