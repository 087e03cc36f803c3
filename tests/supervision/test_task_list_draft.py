"""The office edits a draft 重点工作任务清单 on its page: a refused 调整 comes back with what was typed and why, an
item is added or given another responsible body, and the irreversible buttons ask first."""

import re
from datetime import date

import pytest

from parks.models import County
from supervision import services
from supervision.models import TaskList, WorkItem
from tasks.models import Department, Task


@pytest.fixture
def draft(work_list, olga):
    """The 2027 draft copied from the adopted 2026 list."""
    task_list, items = work_list
    return services.task_list_copy(task_list=task_list, user=olga), items


def _details(page: str, item_id: str) -> str:
    return page.split(f'<details id="{item_id}"', 1)[1].split("</details>", 1)[0]


def test_a_refused_adjustment_comes_back_with_what_was_typed_the_error_and_its_item_open(client_for, draft, olga):
    task_list, items = draft
    item = task_list.items.get(copied_from=items["wuding"])
    other = task_list.items.get(copied_from=items["lufeng"])
    response = client_for(olga).post(
        f"/work-items/{item.pk}/adjust/",
        {
            "title": "专窗提质增效",
            "body": f"county:{item.county_id}",
            "due_date": "2028-01-31",
            "evidence_required": "运行台账及群众评价",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    block = _details(page, f"adjust-{item.pk}")
    assert block.startswith(" open>")
    assert 'value="专窗提质增效"' in block and 'value="运行台账及群众评价"' in block and 'value="2028-01-31"' in block
    due = block.split(f'id="adjust-{item.pk}-due_date"', 1)[1].split("</p>", 1)[0]
    assert "完成时限应在2027年内。" in due and 'aria-invalid="true"' in block
    assert not _details(page, f"adjust-{other.pk}").startswith(" open")
    item.refresh_from_db()
    assert (item.title, item.due_date) == ("设立综合服务专窗", date(2027, 12, 10))


def test_the_office_gives_an_item_another_responsible_body(client_for, draft, olga):
    task_list, items = draft
    item = task_list.items.get(copied_from=items["ndrc"])
    commerce = Department.objects.get(slug="commerce")
    page = client_for(olga).get("/task-lists/2027/").content.decode()
    assert re.search(rf'<option value="department:{item.department_id}" selected>', _details(page, f"adjust-{item.pk}"))
    data = {"title": item.title, "due_date": "2027-06-30", "evidence_required": item.evidence_required}
    refused = client_for(olga).post(f"/work-items/{item.pk}/adjust/", {**data, "body": ""})
    assert refused.status_code == 400 and "责任主体" in _details(refused.content.decode(), f"adjust-{item.pk}")
    response = client_for(olga).post(f"/work-items/{item.pk}/adjust/", {**data, "body": f"department:{commerce.pk}"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.department == commerce and not item.co_departments.filter(pk=commerce.pk).exists()
    wuding = County.objects.get(code="wuding")
    client_for(olga).post(f"/work-items/{item.pk}/adjust/", {**data, "body": f"county:{wuding.pk}"})
    item.refresh_from_db()
    assert (item.department_id, item.zone_id, item.county_id) == (None, None, wuding.pk)


def test_the_office_adds_an_item_to_a_draft(client_for, draft, olga, plan):
    task_list, _items = draft
    task = Task.objects.get(number=12)
    client = client_for(olga)
    page = client.get("/task-lists/2027/").content.decode()
    assert 'action="/task-lists/2027/add/"' in page
    data = {
        "task": task.pk,
        "title": "建设园区数字化管理平台",
        "body": f"zone:{plan['lufeng'].pk}",
        "due_date": "2028-03-31",
        "evidence_required": "平台上线文件",
    }
    refused = client.post("/task-lists/2027/add/", data)
    assert refused.status_code == 400
    form = _details(refused.content.decode(), "add-item")
    assert form.startswith(' class="card" open>')
    assert "完成时限应在2027年内。" in form and 'value="建设园区数字化管理平台"' in form
    no_body = client.post("/task-lists/2027/add/", {**data, "due_date": "2027-03-31", "body": ""})
    assert no_body.status_code == 400 and (
        'id="add-body_error"><li>该字段是必填项' in _details(no_body.content.decode(), "add-item")
    )
    assert not WorkItem.objects.filter(title="建设园区数字化管理平台").exists()
    response = client.post("/task-lists/2027/add/", {**data, "due_date": "2027-03-31"})
    assert response.status_code == 302
    added = WorkItem.objects.get(title="建设园区数字化管理平台")
    assert (added.task_list, added.task, added.zone, added.due_date) == (
        task_list,
        task,
        plan["lufeng"],
        date(2027, 3, 31),
    )
    assert "建设园区数字化管理平台" in client.get("/task-lists/2027/").content.decode()
    # The same form sent again (a double click, a reload) adds nothing: it says the item is there already.
    again = client.post("/task-lists/2027/add/", {**data, "due_date": "2027-03-31"})
    assert again.status_code == 400 and "已有工作事项“建设园区数字化管理平台”，未重复新增" in again.content.decode()
    assert WorkItem.objects.filter(title="建设园区数字化管理平台").count() == 1


def test_only_the_office_edits_and_only_a_draft(client_for, draft, olga, zack, plan):
    task_list, items = draft
    adopted = TaskList.objects.get(year=2026)
    data = {
        "task": Task.objects.get(number=12).pk,
        "title": "新事项",
        "body": f"zone:{plan['lufeng'].pk}",
        "due_date": "2026-03-31",
        "evidence_required": "文件",
    }
    assert client_for(zack).post("/task-lists/2027/add/", {**data, "due_date": "2027-03-31"}).status_code == 403
    response = client_for(olga).post("/task-lists/2026/add/", data, follow=True)
    assert "清单已印发，不能再调整。" in response.content.decode()
    assert not WorkItem.objects.filter(title="新事项").exists()
    assert 'action="/task-lists/2026/add/"' not in client_for(olga).get("/task-lists/2026/").content.decode()
    with pytest.raises(services.SupervisionError):
        services.work_item_add(
            task_list=adopted,
            user=olga,
            task=Task.objects.get(number=12),
            title="x",
            body=plan["lufeng"],
            due_date=date(2026, 3, 1),
            evidence_required="y",
        )


def test_adopting_and_dropping_ask_first(client_for, draft, olga):
    task_list, _items = draft
    page = client_for(olga).get("/task-lists/2027/").content.decode()
    adopt = page.split('id="adopt-button"', 1)[1].split(">", 1)[0]
    assert 'data-confirm="印发后2027年清单不能再调整' in adopt
    item = task_list.items.first()
    drop = _details(page, f"adjust-{item.pk}").split('name="drop"', 1)[1].split(">", 1)[0]
    assert "data-confirm=" in drop
    response = client_for(olga).post(
        f"/work-items/{item.pk}/adjust/",
        {
            "title": item.title,
            "body": f"zone:{item.zone_id}"
            if item.zone_id
            else f"county:{item.county_id}"
            if item.county_id
            else f"department:{item.department_id}",
            "due_date": item.due_date.isoformat(),
            "evidence_required": item.evidence_required,
            "drop": "1",
        },
    )
    assert response.status_code == 302 and not WorkItem.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize("today", [date(2027, 7, 1), date(2027, 12, 31), date(2031, 1, 1)])
def test_a_drafts_item_past_its_date_is_not_overdue_until_the_list_is_issued(client_for, draft, olga, plan, today):
    """The 2027 draft read after its items' dates (制定飞地经济实施意见 due 2027-06-30): nobody owes a draft's item yet
    (the to-do and the reminders read adopted lists only), so no page marks it 逾期 nor offers its 督办; once the
    list is issued, it is overdue."""
    import time_machine

    from supervision.models import SupervisionItem

    task_list, items = draft
    item = task_list.items.get(copied_from=items["ndrc"])
    with time_machine.travel(today, tick=False):
        client = client_for(olga)
        for url in ("/task-lists/2027/", item.get_absolute_url(), "/work-items/?year=2027"):
            page = client.get(url).content.decode()
            assert item.title in page and "badge overdue" not in page, url
        assert "交办督办单" not in client.get(item.get_absolute_url()).content.decode()
        with pytest.raises(services.SupervisionError) as refused:
            services.supervision_issue(
                user=olga,
                body=plan["ndrc"],
                source=SupervisionItem.Source.OVERDUE_WORK_ITEM,
                source_object=item,
                requirement="限期完成",
                deadline=today,
                today=today,
            )
        assert "该工作事项所在的2027年清单尚未印发" in refused.value.message
        services.task_list_adopt(task_list=task_list, user=olga, today=today)
        row = client.get("/task-lists/2027/").content.decode().split(item.title, 1)[1].split("</tr>", 1)[0]
        assert "badge overdue" in row
        assert "交办督办单" in client.get(item.get_absolute_url()).content.decode()


def test_a_list_page_left_open_neither_adjusts_over_nor_drops_an_item_adjusted_since(client_for, draft, olga):
    """The 调整 form carries the item as its page showed it (`work_item_token`): drawn before someone else adjusted the
    item, it is refused in words naming what is stored now, nothing is written and the item is not dropped; drawn
    again, it is taken."""
    task_list, items = draft
    item = task_list.items.get(copied_from=items["ndrc"])
    client = client_for(olga)

    def shown() -> str:
        page = client.get("/task-lists/2027/").content.decode()
        return re.search(r'name="seen" value="([^"]*)"', _details(page, f"adjust-{item.pk}")).group(1)

    stale = shown()
    data = {
        "title": "制定飞地经济实施细则",
        "body": f"department:{item.department_id}",
        "due_date": "2027-09-30",
        "evidence_required": item.evidence_required,
    }
    services.work_item_adjust(
        item=item,
        user=olga,
        title="出台飞地经济实施意见",
        due_date=date(2027, 8, 31),
        evidence_required=item.evidence_required,
        body=item.department,
    )
    for extra in ({}, {"drop": "1"}):
        refused = client.post(f"/work-items/{item.pk}/adjust/", {**data, **extra, "seen": stale})
        assert refused.status_code == 400
        assert "已被他人调整为“出台飞地经济实施意见”" in refused.content.decode()
        assert "2027年8月31日" in _details(refused.content.decode(), f"adjust-{item.pk}")
        item.refresh_from_db()
        assert (item.title, item.due_date) == ("出台飞地经济实施意见", date(2027, 8, 31))

    taken = client.post(f"/work-items/{item.pk}/adjust/", {**data, "seen": shown()})
    assert taken.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.due_date) == ("制定飞地经济实施细则", date(2027, 9, 30))


@pytest.mark.parametrize("drop", [False, True])
def test_a_refused_adjustment_comes_back_with_what_was_typed_and_the_item_now_stored_to_send_again(
    client_for, draft, olga, drop
):
    """Refused for an item adjusted since, the item's 调整 form comes back with what was typed and the item's current
    token: pressed again (保存, or 从清单中删除), after the message naming what is stored now, it is taken."""
    from tests.resend import form_data

    task_list, items = draft
    item = task_list.items.get(copied_from=items["ndrc"])
    stale = services.work_item_token(item)
    typed = {
        "title": "制定飞地经济实施细则",
        "body": f"department:{item.department_id}",
        "due_date": "2027-09-30",
        "evidence_required": item.evidence_required,
    }
    services.work_item_adjust(
        item=item,
        user=olga,
        title="出台飞地经济实施意见",
        due_date=date(2027, 8, 31),
        evidence_required=item.evidence_required,
        body=item.department,
    )
    client = client_for(olga)
    pressed = {"drop": "1"} if drop else {}
    refused = client.post(f"/work-items/{item.pk}/adjust/", {**typed, **pressed, "seen": stale})
    page = refused.content.decode()
    assert refused.status_code == 400 and "已被他人调整为“出台飞地经济实施意见”" in page
    assert "您填写的内容已保留" in page
    item.refresh_from_db()
    assert (item.title, item.due_date) == ("出台飞地经济实施意见", date(2027, 8, 31))

    again = form_data(page, f'//details[@id="adjust-{item.pk}"]//form')
    assert again == {**typed, "seen": services.work_item_token(item)}
    assert client.post(f"/work-items/{item.pk}/adjust/", {**again, **pressed}).status_code == 302
    if drop:
        assert not WorkItem.objects.filter(pk=item.pk).exists()
    else:
        item.refresh_from_db()
        assert (item.title, item.due_date) == ("制定飞地经济实施细则", date(2027, 9, 30))
