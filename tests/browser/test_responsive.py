"""Every page type at a phone's width (375 px) and a desktop's (1280 px), on the demo history.

On each page: no input, select or textarea narrower than 120 px; no table cell whose short text (a zone,
a state, a unit: 高新区, 待处理) is broken over several lines (tables scroll sideways instead); the page
itself never wider than the screen (only the table wrappers scroll). Screenshots of every page at both
widths go to test-artifacts/screenshots/. And every page shape the office, a unit and a zone's committee reach
by links, at a phone's width: none wider than the screen.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from indicators.models import DispatchReport
from supervision import services as supervision_services
from supervision.models import EvidenceFile, ResponsibilityLetter, SupervisionItem, SupervisionStep, TaskList
from tests.browser.walking import walk

pytestmark = pytest.mark.browser

WIDTHS = {"phone": (375, 812), "desktop": (1280, 900)}

# Every visible form control's width, and every short table cell whose text spans more than one line.
MEASURE = """() => {
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const controls = Array.from(document.querySelectorAll(
      "main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), main select, main textarea, "
      + ".bulletin select"))
    .filter(visible)
    .map((el) => ({name: el.name || el.id, width: el.getBoundingClientRect().width}));
  const wrapped = [];
  // A short word (a zone, a state, a unit: one text node without spaces) laid out on more than one line.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (text.length < 2 || text.length > 8 || /\\s/.test(text) || !node.parentElement.closest("td, th")) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0).sort((x, y) => x.top - y.top);
    let lines = 0, bottom = -Infinity;
    for (const r of rects) { if (r.top >= bottom - 2) { lines += 1; bottom = r.bottom; } }
    if (lines > 1) wrapped.push(text);
  }
  return {controls, wrapped, pageWidth: document.documentElement.scrollWidth, screen: window.innerWidth};
}"""


def assert_usable(page: Page, where: str) -> None:
    found = page.evaluate(MEASURE)
    narrow = [c for c in found["controls"] if c["width"] < 120]
    assert not narrow, f"{where}: inputs narrower than 120 px: {narrow}"
    assert not found["wrapped"], f"{where}: table cells wrapped over several lines: {found['wrapped']}"
    assert found["pageWidth"] <= found["screen"] + 1, f"{where}: page {found['pageWidth']} px on {found['screen']}"


@pytest.mark.parametrize("size", WIDTHS)
def test_it_keeps_the_report_form_the_overview_the_zone_and_the_bulletin_usable(
    page, login, screenshot, olga, demo, size
):
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[size], strict=True)))
    zone_report = DispatchReport.objects.filter(zone__code="lufeng", task=None).order_by("-period__end").first()
    task_report = DispatchReport.objects.filter(task__number=14).order_by("-period__end").first()
    login(page, olga)
    pages = [
        ("overview", "/"),
        ("changes", "/changes/?direction=worse"),
        ("zone", "/zones/lufeng/"),
        ("bulletin", "/bulletin/"),
        ("todo", "/todo/"),  # the key projects' overdue milestones: long text in a table
        ("reconciliation", "/reconciliation/"),
        ("zone-report", zone_report.get_absolute_url()),
        ("task-report", task_report.get_absolute_url()),
    ]
    for name, url in pages:
        page.goto(url)
        expect(page.locator("h1").first).to_be_visible()
        screenshot(page, f"{name}-{size}")
        assert_usable(page, f"{name} at {size}")


def test_it_finds_a_wrapped_cell_and_a_narrow_input(page):
    """The measurement itself sees the defects it guards against (a squeezed table, an 18 px input)."""
    page.set_viewport_size({"width": 375, "height": 812})
    page.set_content(
        "<main><input name='v' size='1'><table width='40'><tr><td>高新区</td>"
        "<td>" + "很长的说明文字" * 20 + "</td></tr></table></main>"
    )
    found = page.evaluate(MEASURE)
    assert [c["name"] for c in found["controls"] if c["width"] < 120] == ["v"]
    assert found["wrapped"] == ["高新区"]


def test_it_keeps_the_english_overview_and_zone_within_a_phones_width(page, login, screenshot, olga, demo):
    """English words are longer than the Chinese ones (“Slightly behind time-proportional progress”): the
    headline cards wrap them instead of widening the page."""
    page.set_viewport_size({"width": 375, "height": 812})
    login(page, olga)
    page.evaluate("document.cookie = 'django_language=en; path=/'")
    for name, url in (
        ("overview", "/"),
        ("changes", "/changes/"),
        ("zone", "/zones/lufeng/"),
        ("todo", "/todo/"),
        ("reconciliation", "/reconciliation/"),
    ):
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        screenshot(page, f"{name}-phone-en")
        assert_usable(page, f"{name} in English at phone")


@pytest.mark.parametrize("reader", ["olga", "alice", "zack"])
def test_it_keeps_every_page_a_reader_reaches_within_a_phones_width(page, login, request, demo, reader):
    """From the landing page, one page of each shape the reader's links lead to (about 90 for the office: lists,
    details, forms, evaluations, projects, supervision), each no wider than a 375 px screen: wide tables scroll
    in their own box, a long option narrows its select; and no box on them narrower than 120 px."""
    user = request.getfixturevalue(reader)
    page.set_viewport_size({"width": 375, "height": 812})
    login(page, user)
    shapes, too_wide, narrow = 0, [], []
    for path in walk(page):
        shapes += 1
        found = page.evaluate(MEASURE)
        if found["pageWidth"] > 376:
            too_wide.append(f"{path}: {found['pageWidth']} px")
        narrow += [f"{path}: {c['name']} {c['width']:.0f} px" for c in found["controls"] if c["width"] < 120]
    assert shapes > 40
    assert not too_wide, "pages wider than a phone: " + ", ".join(too_wide)
    # A table of form rows squeezed to the screen left boxes one character wide (a scheme's sub-indicators).
    assert not narrow, "inputs narrower than 120 px: " + ", ".join(narrow)


def test_on_a_phone_the_navigation_folds_behind_a_menu_button(page, login, olga, plan):
    """Fourteen links took a third of a phone's screen above every page: they unfold under 菜单 instead."""
    page.set_viewport_size({"width": 375, "height": 812})
    login(page, olga)
    page.goto("/todo/")
    toggle, nav = page.locator(".menu-toggle"), page.locator("#mainnav")
    expect(nav).to_be_hidden()
    assert page.locator("header.topbar").bounding_box()["height"] < 150
    toggle.click()
    expect(nav).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    # What a finger taps in the header is 44 px at least (菜单 was 30 × 23 px, 退出 29 × 22, the links 23 px tall).
    targets = page.evaluate(
        """() => Array.from(document.querySelectorAll("header.topbar button, #mainnav a"))
             .map((el) => { const r = el.getBoundingClientRect(); return [el.textContent.trim(), r.width, r.height]; })
             .filter(([_text, width, height]) => width > 0 && height > 0)"""
    )
    assert len(targets) > 10
    small = [target for target in targets if min(target[1], target[2]) < 44]
    assert not small, f"header targets under 44 px: {small}"
    nav.get_by_role("link", name="任务", exact=True).click()
    expect(page).to_have_url(re.compile(r"/tasks/$"))
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(page.locator("#mainnav")).to_be_visible()
    expect(page.locator(".menu-toggle")).to_be_hidden()


def test_on_a_phone_the_key_project_chart_scrolls_sideways_with_its_months_readable(page, login, olga, demo):
    page.set_viewport_size({"width": 375, "height": 812})
    login(page, olga)
    page.goto("/projects/board/")
    chart = page.locator(".chart.gantt")
    expect(chart).to_have_attribute("data-rendered", "1")
    scroller = page.locator("figure.chart-card .scroll")
    box = chart.evaluate("el => el.clientWidth")
    assert box >= 720 > scroller.evaluate("el => el.clientWidth")  # the months keep their room; the box scrolls
    assert page.evaluate("document.documentElement.scrollWidth") <= 376


def test_on_a_phone_the_key_project_charts_names_stay_in_view_when_it_scrolls_sideways(
    page, login, screenshot, olga, demo
):
    """Scrolled sideways, the Gantt's bars had lost their projects' names (drawn inside the chart): a bar could not be
    told apart from the others. The names are a column of the page beside the chart that stays at the left edge, each
    on its bar's row."""
    page.set_viewport_size({"width": 375, "height": 812})
    login(page, olga)
    page.goto("/projects/board/")
    chart = page.locator(".chart.gantt")
    expect(chart).to_have_attribute("data-rendered", "1")
    names = page.locator(".gantt-names li")
    assert names.count() == page.locator("#board-table tbody tr").count()
    scroller = page.locator("figure.chart-card .scroll")
    scroller.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    assert scroller.evaluate("el => el.scrollLeft") > 300  # scrolled to the year's end
    screenshot(page, "board-gantt-scrolled")
    first = names.first.bounding_box()
    assert first["width"] > 60 and first["x"] >= 0 and first["x"] + first["width"] <= 375
    assert names.first.evaluate("li => getComputedStyle(li.parentElement).backgroundColor") != "rgba(0, 0, 0, 0)"
    # Each name on its bar's row: under the chart's 30 px of months, 28 px a project.
    top = chart.bounding_box()["y"]
    for index in (0, names.count() - 1):
        assert abs(names.nth(index).bounding_box()["y"] - (top + 30 + 28 * index)) < 1.5
    assert page.evaluate("document.documentElement.scrollWidth") <= 376


# Each cell of the stacked tables under `selector`: its right edge, how it is laid out, the column name before it, and
# whether the page marked it empty (class "empty": a 督办 step with no 佐证材料).
STACKED_CELLS = """(selector) => Array.from(document.querySelectorAll(selector)).map((td) => ({
  right: td.getBoundingClientRect().right,
  display: getComputedStyle(td).display,
  label: getComputedStyle(td, "::before").content,
  table: td.closest("section, main").id,
  empty: td.classList.contains("empty"),
}))"""


def assert_stacked_on_a_phone(page: Page, selector: str, labels: set[str]) -> list[dict]:
    """Every cell under `selector` one under the other within the 375 px screen, the `labels` among the column names
    before them; a cell marked empty is left out of its card. On a desk the same rows stay table rows, their empty
    cells too. The cells shown are returned."""
    found_cells = page.evaluate(STACKED_CELLS, selector)
    cells = [cell for cell in found_cells if not cell["empty"]]
    assert cells, selector
    assert {cell["display"] for cell in cells} == {"block"}  # one cell under the other, not squeezed side by side
    assert {cell["display"] for cell in found_cells if cell["empty"]} <= {"none"}  # no bare "佐证材料：" line
    assert max(cell["right"] for cell in cells) <= 375
    found = {cell["label"] for cell in cells}
    assert labels <= found, found
    assert page.evaluate("document.documentElement.scrollWidth") <= 376
    page.set_viewport_size({"width": 1280, "height": 900})
    row = page.locator(selector).first.locator("xpath=..")
    assert row.evaluate("tr => getComputedStyle(tr).display") == "table-row"
    displays = {cell["display"] for cell in page.evaluate(STACKED_CELLS, selector)}
    assert displays == {"table-cell"}, displays  # an empty cell keeps its column on a desk
    return cells


def test_on_a_phone_the_to_do_lists_stack_each_row_as_a_card_with_its_deadline_and_state_in_view(
    page, login, screenshot, alice, demo
):
    """The to-do tables' deadline and state sat beyond the right edge of a sideways-scrolling box: on a phone each
    row is a card whose cells all fit the screen, each after its column's name."""
    page.set_viewport_size({"width": 375, "height": 812})
    login(page, alice)
    page.goto("/todo/")
    screenshot(page, "todo-phone")
    labels = {'"截止日期："', '"状态："', '"完成时限："', '"逾期节点："'}
    cells = assert_stacked_on_a_phone(page, "main table.stack tbody td", labels)
    sections = {cell["table"] for cell in cells}
    assert {"owed", "work-items-todo", "project-todo"} <= sections, sections


def test_on_a_phone_the_key_project_board_stacks_each_project_as_a_card(page, login, screenshot, olga, demo):
    """The board's table was seven columns wide in a sideways-scrolling box: a project's investment and its late
    milestones sat beyond the screen. On a phone each project is a card, each cell after its column's name."""
    page.set_viewport_size({"width": 375, "height": 812})
    login(page, olga)
    page.goto("/projects/board/")
    screenshot(page, "board-phone")
    labels = {'"投资完成（序时进度）："', '"倒排工期节点："', '"牵头单位："'}
    cells = assert_stacked_on_a_phone(page, "#board-table tbody td", labels)
    assert len(cells) >= 7 * 3


def test_on_a_phone_a_targets_progress_stacks_each_period_as_a_card(page, login, olga, demo):
    """A target's page lists its results period by period: on a phone each period is a card (its status and the
    reason in view), not five columns scrolling sideways."""
    from indicators.models import ProgressResult

    target_id = ProgressResult.objects.values_list("target_id", flat=True).order_by("target_id").first()
    page.set_viewport_size({"width": 375, "height": 812})
    login(page, olga)
    page.goto(f"/targets/{target_id}/")
    labels = {'"调度期："', '"状态："', '"说明："'}
    assert_stacked_on_a_phone(page, "#target-results-table tbody td", labels)


def test_on_a_phone_a_letters_targets_stack_with_each_status_in_words(page, login, screenshot, olga, demo):
    """A letter's targets were four columns in a sideways-scrolling box: the latest progress sat beyond a phone's
    screen, and a status without an attainment (a milestone) was an empty pill of no height — nothing showed. On a
    phone each target is a card, each cell after its column's name, and every status pill says its status."""
    letter = ResponsibilityLetter.objects.filter(zone__code="chuxiong-hitech").order_by("year").first()
    page.set_viewport_size({"width": 375, "height": 812})
    login(page, olga)
    page.goto(f"/letters/{letter.pk}/")
    screenshot(page, "letter-phone")
    labels = {'"方案目标："', '"责任书目标："', '"最新进度："'}
    assert_stacked_on_a_phone(page, "#letter tbody td", labels)
    pills = page.evaluate(
        """() => Array.from(document.querySelectorAll("#letter .status"))
        .map((el) => [el.textContent.trim(), el.getBoundingClientRect().height])"""
    )
    assert pills and all(text and height > 0 for text, height in pills), pills


# Each visible link or button under `selector` narrower or lower than a fingertip's 24 px.
SMALL_TARGETS = """(selector) => Array.from(document.querySelectorAll(selector))
  .map((el) => { const r = el.getBoundingClientRect(); return [el.textContent.trim(), r.width, r.height]; })
  .filter(([_text, width, height]) => width > 0 && height > 0 && Math.min(width, height) < 24)"""


# Each visible box of a form: its name, type, place and the portal's input style (border, corners, the page's font).
FORM_BOXES = """(form) => Array.from(form.querySelectorAll("input:not([type=hidden]), select, textarea"))
  .filter((el) => el.getBoundingClientRect().width > 0)
  .map((el) => { const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return {name: el.name, type: el.type, left: r.left, right: r.right, width: r.width,
            border: s.borderTopWidth, radius: s.borderTopLeftRadius, fontSize: s.fontSize}; })"""


def test_on_a_phone_a_task_list_stacks_each_work_item_with_its_body_deadline_and_state_in_view(
    page, login, screenshot, olga, demo
):
    """The list was a plain wide table: long 工作事项 were cut at the screen's edge, 责任主体, 完成时限 and 状态 were
    beyond it, and a task's number was an 8 × 18 px link. On a phone each item is a card, each cell after its column's
    name, every link a tap target of 24 px at least."""
    task_list = TaskList.objects.exclude(copied_from=None).get()  # with last year's results beside each item
    page.set_viewport_size({"width": 375, "height": 812})
    login(page, olga)
    page.goto(f"/task-lists/{task_list.year}/")
    screenshot(page, "task-list-phone")
    assert not page.evaluate(SMALL_TARGETS, "#task-list-items tbody a")
    # The note said 「右栏为上年完成情况」: on a phone there is no right column. It names the line each card shows.
    note = page.locator("#copied-note")
    expect(note).to_contain_text("“上年完成情况”")
    expect(note).not_to_contain_text("右栏")
    # An item with no 配合单位 leaves that line out of its card rather than a bare "配合单位：".
    alone = task_list.items.filter(co_departments=None).first()
    helped = task_list.items.exclude(co_departments=None).distinct().count()
    assert alone is not None and helped
    row = page.locator("#task-list-items tbody tr", has=page.locator(f"a[href='/work-items/{alone.pk}/']"))
    alone_co = row.locator("td[data-label='配合单位']")
    expect(alone_co).to_have_class(re.compile(r"\bempty\b"))
    expect(alone_co).to_be_hidden()
    labels = {'"工作事项："', '"责任主体："', '"完成时限："', '"状态："', '"上年完成情况："', '"配合单位："'}
    cells = assert_stacked_on_a_phone(page, "#task-list-items tbody td", labels)
    assert len(cells) == 7 * task_list.items.count() + helped  # every cell shown but the empty 配合单位
    expect(alone_co).to_be_visible()  # on a desk its column stays

    # Next year's draft, a 调整 form open, then the 新增工作事项 form: typed boxes styled as the portal's other forms,
    # nothing wider than the phone's screen.
    draft = supervision_services.task_list_copy(task_list=task_list, user=olga)
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"/task-lists/{draft.year}/")
    for opened in (page.locator("details[id^='adjust-']").first, page.locator("#add-item")):
        opened.locator("summary").click()
        boxes = opened.locator("form").evaluate(FORM_BOXES)
        assert {box["name"] for box in boxes} >= {"title", "body", "due_date", "evidence_required"}
        types = {"body": "select-one", "task": "select-one", "due_date": "date"}
        for box in boxes:
            assert box["type"] == types.get(box["name"], "text"), box
            assert (box["border"], box["radius"], box["fontSize"]) == ("1px", "4px", "15px"), box
            assert box["left"] >= 0 and box["right"] <= 375 and box["width"] >= 120, box
        screenshot(page, f"task-list-draft-{opened.get_attribute('id')}-phone")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_on_a_phone_a_supervision_items_trail_stacks_with_its_answers_and_files_in_view(
    page, login, screenshot, zack, demo
):
    """The trail's 内容 and 佐证材料 — the answers themselves — sat beyond the screen's edge, and the answer form's
    file input was 21 px high."""
    item = SupervisionItem.objects.get(zone__code="lufeng", state=SupervisionItem.State.ANSWERED)
    answer = item.steps.get(kind=SupervisionStep.Kind.ANSWER)
    SupervisionStep.objects.filter(pk=answer.pk).update(text="组建方案已审定，正在办理工商登记。" * 6)
    # The office account that issued it was deleted since: the step keeps no 办理人 (SET_NULL).
    SupervisionStep.objects.filter(item=item, kind=SupervisionStep.Kind.ISSUE).update(user=None)
    EvidenceFile.objects.create(
        file="evidence/2026/12/licence.pdf",
        original_name="运营公司营业执照（副本）扫描件.pdf",
        kind=EvidenceFile.Kind.PDF,
        content_type="application/pdf",
        size=1000,
        sha256="0" * 64,
        step=answer,
    )
    page.set_viewport_size({"width": 375, "height": 812})
    login(page, zack)
    page.goto(item.get_absolute_url())
    screenshot(page, "supervision-trail-phone")
    evidence = page.locator("#trail").get_by_role("link", name="运营公司营业执照（副本）扫描件.pdf")
    box = evidence.bounding_box()  # within the screen's width, not in a box scrolled sideways
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375 and box["height"] >= 24
    assert page.locator("#answer-form input[type=file]").bounding_box()["height"] >= 40
    # The 交办 step has no files: its 佐证材料 cell is marked empty and left out of its card, not a bare "佐证材料：".
    issue_evidence = page.locator("#trail tr.step-issue td[data-label='佐证材料']")
    expect(issue_evidence).to_have_class("empty")
    expect(issue_evidence).to_be_hidden()
    expect(page.locator("#trail td[data-label='佐证材料']:not(.empty)").first).to_be_visible()
    # Nor a bare "办理人：" for the step whose 办理人 is gone; the answer's keeps its line.
    issue_user = page.locator("#trail tr.step-issue td[data-label='办理人']")
    expect(issue_user).to_have_class("empty")
    expect(issue_user).to_be_hidden()
    expect(page.locator("#trail tr.step-answer td[data-label='办理人']")).to_be_visible()
    assert_stacked_on_a_phone(page, "#trail tbody td", {'"内容："', '"佐证材料："', '"环节："', '"办理人："'})
    expect(issue_evidence).to_be_visible()  # on a desk its column stays
    expect(issue_user).to_be_visible()


def test_on_a_phone_the_units_task_numbers_are_each_a_target_a_finger_can_hit(page, login, olga, plan):
    """责任单位 lists each unit's tasks as bare numbers (1 2 3 4 5 8 20): they were 8 × 17 px, 4 px apart."""
    page.set_viewport_size({"width": 375, "height": 812})
    login(page, olga)
    page.goto("/departments/")
    sizes = page.eval_on_selector_all(
        "main td a[href^='/tasks/']",
        "links => links.map((a) => [a.textContent, a.getBoundingClientRect().width, a.getBoundingClientRect().height])",
    )
    assert len(sizes) > 40
    small = [size for size in sizes if min(size[1], size[2]) < 24]
    assert not small, f"task numbers under 24 px: {small[:5]}"


# Each visible box and button of the page's forms lower than `least` px: its name (or text), type and height.
LOW_CONTROLS = """(least) => Array.from(document.querySelectorAll(
    "main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), main select, main textarea, "
    + "main button, main .button"))
  .map((el) => { const r = el.getBoundingClientRect();
    return [el.name || el.textContent.trim().slice(0, 12), el.type || el.tagName, Math.round(r.width), r.height]; })
  .filter(([_name, _type, width, height]) => width > 0 && height > 0 && height < least)"""


def test_on_a_phone_a_forms_boxes_and_buttons_are_a_fingers_height(page, login, screenshot, olga, demo):
    """The forms' selects were 33 px high on a phone, their text, number and date boxes 34–38 px, their buttons
    (记录完成, 调整基线, 提交审核) 36–38 px: each is 44 px high at least, in Chinese and in English, and no page is
    wider than the screen. On a desk the same boxes keep their compact height."""
    from projects.models import Project

    project = Project.objects.filter(code__startswith="demo-").order_by("code").first()
    task_report = DispatchReport.objects.filter(task__number=14).order_by("-period__end").first()
    pages = [
        ("project", project.get_absolute_url()),  # the milestones' small forms, the stage, the project's edit form
        ("task-report", task_report.get_absolute_url()),
        ("supervision-new", "/supervision/new/"),
        ("project-new", "/projects/new/"),
        ("password", "/accounts/password/"),
    ]
    page.set_viewport_size({"width": 375, "height": 740})
    login(page, olga)
    for language in ("zh-hans", "en"):
        page.evaluate(f"document.cookie = 'django_language={language}; path=/'")
        for name, url in pages:
            page.goto(url)
            assert page.locator("main select, main input:not([type=hidden])").count(), f"{name}: no form"
            screenshot(page, f"{name}-phone-{language}")
            low = page.evaluate(LOW_CONTROLS, 43.5)
            assert not low, f"{name} ({language}) at 375 px: boxes and buttons under 44 px: {low}"
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{name} ({language})"
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/supervision/new/")
    assert page.locator("main select").first.bounding_box()["height"] < 40  # a desk's compact boxes
    assert page.locator("main button").first.bounding_box()["height"] < 40


def test_on_a_phone_a_stored_values_clear_box_sits_beside_its_word(page, login, screenshot, olga, demo):
    """The report's 清除 box (beside a value stored before) took the values' 8rem min-width: a 120 px wide box with its
    tick in the middle and 清除 pushed away from it, 13 px high to tap. The box sits beside its word, the label around
    both is 44 px high; on a desk too the box is its own size."""
    # A zone report with values stored before, made returned, its period open and its values unlocked, whatever
    # states the demo drew, so that each stored value has its 清除 box.
    from indicators.models import IndicatorValue, ReportingPeriod

    report = DispatchReport.objects.filter(task=None, values__isnull=False).order_by("pk").first()
    ReportingPeriod.objects.filter(pk=report.period_id).update(is_locked=False)
    IndicatorValue.objects.filter(report=report).update(locked=False)
    DispatchReport.objects.filter(pk=report.pk).update(state="returned")
    page.set_viewport_size({"width": 375, "height": 740})
    login(page, olga)
    page.goto(report.get_absolute_url())
    label = page.locator("table.values label.clear-box").first
    box = label.locator("input[type=checkbox]")
    screenshot(page, "clear-box-phone")
    assert box.bounding_box()["width"] < 30, box.bounding_box()
    assert label.bounding_box()["height"] >= 44 and label.bounding_box()["width"] < 120
    box.click()  # the word and the box one target: a tap checks it
    expect(box).to_be_checked()
    page.set_viewport_size({"width": 1280, "height": 800})
    assert box.bounding_box()["width"] < 30
