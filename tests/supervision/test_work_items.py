"""Work items: each body sees its own (co-units the ones they support), files reports with evidence; the
year-end copy keeps every item with its plan task; the demo has a checkable item for each of the 26 tasks."""

from datetime import date

import pytest
import time_machine

from supervision import services
from supervision.models import TaskList, WorkItem, WorkReport
from tools.demo import demo_load


@pytest.mark.parametrize(
    "persona,visible",
    [
        ("zack", {"lufeng"}),
        ("zoe", {"lufeng"}),
        ("cora", {"wuding"}),
        ("alice", {"ndrc"}),
        ("bob", {"ndrc"}),
        ("olga", {"lufeng", "wuding", "ndrc"}),
        ("leo", {"lufeng"}),
    ],
)
def test_each_body_sees_its_own_work_items_and_nobody_elses(request, client_for, work_list, persona, visible):
    _list, items = work_list
    client = client_for(request.getfixturevalue(persona))
    page = client.get("/work-items/").content.decode()
    assert {key for key, item in items.items() if item.title in page} == visible
    for key, item in items.items():
        assert client.get(item.get_absolute_url()).status_code == (200 if key in visible else 404)


@pytest.mark.parametrize("persona,key", [("zack", "lufeng"), ("cora", "wuding")])
def test_a_committee_and_a_county_file_a_report_with_evidence(
    request, client_for, work_list, upload, samples, private_storage, persona, key
):
    _list, items = work_list
    item = items[key]
    client = client_for(request.getfixturevalue(persona))
    assert item.title in client.get("/todo/").content.decode()
    response = client.post(
        item.get_absolute_url(), {"progress": "done", "text": "已完成", "files": [upload("证明.pdf", samples["pdf"])]}
    )
    assert response.status_code == 302
    report = WorkReport.objects.get(work_item=item)
    assert report.state == "submitted" and [f.original_name for f in report.files.all()] == ["证明.pdf"]
    assert "证明.pdf" in client.get(item.get_absolute_url()).content.decode()


def test_a_body_cannot_report_on_another_bodys_item(client_for, work_list, cora):
    _list, items = work_list
    assert (
        client_for(cora).post(items["lufeng"].get_absolute_url(), {"progress": "done", "text": "x"}).status_code == 404
    )
    assert not WorkReport.objects.exists()


def test_the_committee_reviewer_approves_and_a_done_report_completes_the_item(work_list, zack, zoe):
    _list, items = work_list
    report = services.work_report_file(work_item=items["lufeng"], user=zack, progress="done", text="已成立公司")
    with pytest.raises(services.SupervisionError):
        services.work_report_review(report=report, user=zack, approve=True)  # staff do not review
    services.work_report_review(report=report, user=zoe, approve=True)
    items["lufeng"].refresh_from_db()
    assert items["lufeng"].status == "done" and items["lufeng"].result == "已成立公司"


@time_machine.travel(date(2026, 6, 10), tick=False)
def test_a_completed_items_page_says_when_and_what_was_done(client_for, work_list, zack, zoe, olga):
    """The item's own completion date and result of the year, as the approval of its 'done' report set them; an
    item still open shows neither."""
    _list, items = work_list
    item = items["lufeng"]
    before = client_for(olga).get(item.get_absolute_url()).content.decode()
    assert 'id="done-on"' not in before and 'id="result"' not in before
    text = "已成立运营公司\n已完成工商登记"
    report = services.work_report_file(work_item=item, user=zack, progress="done", text=text)
    services.work_report_review(report=report, user=zoe, approve=True)
    for persona, words in ((olga, ("2026年6月10日", "已成立运营公司<br>已完成工商登记")), (zack, ("2026年6月10日",))):
        page = client_for(persona).get(item.get_absolute_url()).content.decode()
        for text in words:
            assert text in page, text
    english = client_for(olga).get(item.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Completion date" in english and "Result of the year" in english


def test_the_year_end_copy_keeps_the_items_their_tasks_and_co_units(work_list, olga):
    task_list, items = work_list
    items["ndrc"].status, items["ndrc"].result = "done", "已印发"
    items["ndrc"].save()
    draft = services.task_list_copy(task_list=task_list, user=olga)
    assert draft.year == 2027 and draft.state == TaskList.State.DRAFT and draft.copied_from == task_list
    copies = {c.copied_from_id: c for c in draft.items.all()}
    assert set(copies) == {i.pk for i in items.values()}
    for item in items.values():
        copy = copies[item.pk]
        assert (copy.task_id, copy.title, copy.zone_id, copy.county_id, copy.department_id) == (
            item.task_id,
            item.title,
            item.zone_id,
            item.county_id,
            item.department_id,
        )
        assert copy.due_date == item.due_date.replace(year=2027) and copy.status == "open"
        assert set(copy.co_departments.all()) == set(item.co_departments.all())
    with pytest.raises(services.SupervisionError):
        services.task_list_copy(task_list=task_list, user=olga)


def test_the_draft_shows_last_years_results_is_adjusted_and_adopted(client_for, work_list, olga):
    task_list, items = work_list
    items["ndrc"].status, items["ndrc"].result = "done", "实施意见已印发"
    items["ndrc"].save()
    client = client_for(olga)
    assert client.post("/task-lists/2026/copy/").status_code == 302
    page = client.get("/task-lists/2027/").content.decode()
    assert "实施意见已印发" in page and "上年完成情况" in page
    copy = WorkItem.objects.get(task_list__year=2027, copied_from=items["wuding"])
    body = f"county:{copy.county_id}"
    response = client.post(
        f"/work-items/{copy.pk}/adjust/",
        {"title": "专窗提质", "body": body, "due_date": "2027-05-31", "evidence_required": "运行台账"},
    )
    assert response.status_code == 302
    copy.refresh_from_db()
    assert (copy.title, copy.due_date) == ("专窗提质", date(2027, 5, 31))
    bad = client.post(
        f"/work-items/{copy.pk}/adjust/",
        {"title": "x", "body": body, "due_date": "2028-01-01", "evidence_required": "y"},
    )
    assert bad.status_code == 400
    copy.refresh_from_db()
    assert copy.title == "专窗提质"  # refused: the due date is outside the list's year
    client.post("/task-lists/2027/adopt/")
    assert TaskList.objects.get(year=2027).state == "adopted"


def test_every_task_of_the_plan_has_a_work_item_in_the_demo_and_the_copy_keeps_them(plan):
    demo_load()
    for year in (2025, 2026):
        numbers = set(WorkItem.objects.filter(task_list__year=year).values_list("task__number", flat=True))
        assert numbers == set(range(1, 27)), year
    copied = WorkItem.objects.filter(task_list__year=2026)
    assert all(item.copied_from.task_id == item.task_id for item in copied.select_related("copied_from"))
    assert (
        WorkItem.objects.filter(task_list__year=2026).count() == WorkItem.objects.filter(task_list__year=2025).count()
    )


def test_a_refused_return_reason_or_adjustment_says_which_field_is_wrong_and_why(
    client_for, work_list, zack, zoe, olga
):
    _list, items = work_list
    report = services.work_report_file(work_item=items["lufeng"], user=zack, progress="done", text="已成立公司")
    response = client_for(zoe).post(
        f"/work-reports/{report.pk}/review/", {"action": "return", "reason": "佐证\x00不全"}, follow=True
    )
    page = response.content.decode()
    assert "退回原因：含有不可用的字符（空字符）" in page and "审核请求无效" not in page
    report.refresh_from_db()
    assert report.state == WorkReport.State.SUBMITTED
    malformed = client_for(zoe).post(f"/work-reports/{report.pk}/review/", {"action": "maybe"}, follow=True)
    assert "审核请求无效" in malformed.content.decode()
    draft = services.task_list_copy(task_list=_list, user=olga)
    item = draft.items.get(copied_from=items["wuding"])
    response = client_for(olga).post(
        f"/work-items/{item.pk}/adjust/",
        {
            "title": "专" * 301,
            "body": f"county:{item.county_id}",
            "due_date": "2027-05-31",
            "evidence_required": "台账",
        },
    )
    field = response.content.decode().split(f'id="adjust-{item.pk}-title"')[1].split("</p>")[0]
    assert response.status_code == 400 and "301" in field  # the length refused, next to the field
    item.refresh_from_db()
    assert item.title != "专" * 301


def test_the_reviewer_returns_a_report_from_its_page_with_a_reason(client_for, work_list, zack, zoe):
    """The page offers 退回 beside 审核通过, with the reason box the service asks for."""
    import re

    _list, items = work_list
    report = services.work_report_file(work_item=items["lufeng"], user=zack, progress="done", text="已成立公司")
    client = client_for(zoe)
    page = client.get(items["lufeng"].get_absolute_url()).content.decode()
    form = page.split(f'action="/work-reports/{report.pk}/review/"')[1].split("</form>")[0]
    assert re.search(r'<label for="reason-\d+">', form) and 'value="return"' in form and 'value="approve"' in form
    client.post(f"/work-reports/{report.pk}/review/", {"action": "return", "reason": ""})
    report.refresh_from_db()
    assert report.state == "submitted"  # a return needs its reason
    client.post(f"/work-reports/{report.pk}/review/", {"action": "return", "reason": "请补充工商登记材料"})
    report.refresh_from_db()
    assert (report.state, report.return_reason) == ("returned", "请补充工商登记材料")


def _row(page: str, title: str) -> str:
    """The table row of the work item `title` on a page."""
    return next(row.split("</tr>")[0] for row in page.split("<tr")[1:] if title in row.split("</tr>")[0])


def test_the_list_page_the_work_items_page_and_the_todo_mark_the_same_items_overdue(client_for, work_list, olga, zack):
    """/task-lists/2026/ showed 推进中 without the 逾期 badge /work-items/ and the to-do gave the same item: the three
    pages read one rule, an item still 推进中 after its 完成时限 (a settled item is not chased)."""
    _list, items = work_list
    WorkItem.objects.filter(pk=items["wuding"].pk).update(status="done", due_date=date(2026, 5, 31))
    with time_machine.travel(date(2026, 7, 15), tick=False):
        pages = [client_for(olga).get(url).content.decode() for url in ("/task-lists/2026/", "/work-items/", "/todo/")]
        committee = client_for(zack).get("/task-lists/2026/").content.decode()
    for page in pages:
        assert "逾期" in _row(page, items["ndrc"].title)  # due 06-30, still 推进中
        assert "逾期" not in _row(page, items["lufeng"].title)  # due 09-30
    for page in pages[:2]:  # the to-do lists open items only
        assert "逾期" not in _row(page, items["wuding"].title)  # done, though its date is past
    assert 'class="overdue"' in _row(pages[0], items["ndrc"].title)
    assert "逾期" not in _row(committee, items["lufeng"].title)


def _headline(page: str) -> str:
    return page[page.index('id="todo-headline"') :].split("</p>", 1)[0] if 'id="todo-headline"' in page else ""


def test_a_body_reviewers_todo_heads_with_the_reports_waiting_for_them_before_any_history(
    client_for, work_list, zack, zoe, cora, cary, alice, rita, plan
):
    """The committee's and the county's reviewers had no 待审核 N 项 although work-item reports waited for them, and
    their list came last, after the zone's history of indicator reports. A unit's reviewer is not asked to review the
    reports of an item their unit only supports."""
    from chuxiong_portal.roles import Role
    from chuxiong_portal.services import user_create

    _list, items = work_list
    for key, filer in (("lufeng", zack), ("wuding", cora), ("ndrc", alice)):
        services.work_report_file(work_item=items[key], user=filer, progress="in_progress", text="推进中")
    commerce_reviewer = user_create(
        username="rex", password="x-Password-2025", role=Role.DEPARTMENT_REVIEWER, department=plan["commerce"]
    )
    expected = {zoe: "lufeng", cary: "wuding", rita: "ndrc"}
    for reviewer, key in expected.items():
        page = client_for(reviewer).get("/todo/").content.decode()
        assert "待审核 1 项" in _headline(page), reviewer
        waiting = page.split('id="waiting"', 1)[1].split("</section>", 1)[0]
        assert items[key].get_absolute_url() in waiting
        assert all(items[other].get_absolute_url() not in waiting for other in expected.values() if other != key)
        assert page.index('id="waiting"') < min(page.index(f'id="{s}"') for s in ("owed", "recent", "work-items-todo"))
    supporting = client_for(commerce_reviewer).get("/todo/").content.decode()
    assert "待审核 0 项" in _headline(supporting) and "当前没有等待审核的报告。" in supporting
    assert "待审核" not in _headline(client_for(zack).get("/todo/").content.decode())  # staff file, they do not review


def _messages_of(page: str) -> str:
    """The page's message area (base.html's ul.messages), or "" when it has none."""
    return page.split('<ul class="messages">', 1)[1].split("</ul>", 1)[0] if '<ul class="messages">' in page else ""


def test_a_report_on_a_drafts_item_says_why_in_the_message_area(client_for, work_list, olga, zack):
    """The page draws the report form for adopted lists only: the 400 said nothing."""
    _list, items = work_list
    draft = services.task_list_copy(task_list=_list, user=olga)
    item = draft.items.get(copied_from=items["lufeng"])
    response = client_for(zack).post(item.get_absolute_url(), {"progress": "in_progress", "text": "推进中"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="work-report-form"' not in page
    assert "该清单尚未印发，不能报送进展。" in _messages_of(page)
    assert not WorkReport.objects.exists()


def test_the_same_report_sent_twice_is_filed_once(client_for, work_list, zack, zoe):
    """Two POSTs of the same progress and text made two reports waiting for review; the second is refused while the
    first waits, another progress is filed, and once they are reviewed the same words may be reported again."""
    _list, items = work_list
    item = items["lufeng"]
    client = client_for(zack)
    sent = {"progress": "in_progress", "text": "已完成选址"}
    assert client.post(item.get_absolute_url(), sent).status_code == 302
    again = client.post(item.get_absolute_url(), sent | {"text": " 已完成选址\r\n"})
    assert again.status_code == 400
    assert "尚待审核的进展报告内容相同，未重复报送。" in again.content.decode()
    assert WorkReport.objects.filter(work_item=item).count() == 1
    assert client.post(item.get_absolute_url(), sent | {"progress": "delayed"}).status_code == 302  # not the same
    services.work_report_review(report=WorkReport.objects.get(progress="delayed"), user=zoe, approve=False, reason="x")
    services.work_report_review(report=WorkReport.objects.get(progress="in_progress"), user=zoe, approve=True)
    assert client.post(item.get_absolute_url(), sent).status_code == 302  # none waits for review now
    assert WorkReport.objects.filter(work_item=item).count() == 3


def test_a_completed_item_takes_no_report_nor_offers_the_form(client_for, work_list, zack, zoe):
    """An approved "done" report completes the item: the form was still offered and another report accepted (the
    item then still read 已完成)."""
    _list, items = work_list
    item = items["lufeng"]
    report = services.work_report_file(work_item=item, user=zack, progress="done", text="已成立公司")
    services.work_report_review(report=report, user=zoe, approve=True)
    client = client_for(zack)
    assert 'id="work-report-form"' not in client.get(item.get_absolute_url()).content.decode()
    response = client.post(item.get_absolute_url(), {"progress": "in_progress", "text": "补充说明"})
    assert response.status_code == 400
    assert "该工作事项已完成，不能再报送进展。" in _messages_of(response.content.decode())
    with pytest.raises(services.SupervisionError) as refused:
        services.work_report_file(work_item=item, user=zack, progress="delayed", text="补充说明")
    assert refused.value.message == "该工作事项已完成，不能再报送进展。"
    assert WorkReport.objects.filter(work_item=item).count() == 1


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"department": "ndrc"}, ["department", "zone"]),  # a zone's item given a unit as well
        ({"zone": None}, ["department", "zone", "county"]),  # no body at all
    ],
)
def test_the_admin_refuses_a_work_item_of_no_body_or_two_in_the_pages_words(rf, work_list, olga, change, fields):
    """It showed 「约束 “workitem_one_body” 是无效的」, as the 督办单's admin did."""
    from django.contrib import admin
    from django.forms.models import model_to_dict

    from tasks.models import Department

    item = WorkItem.objects.filter(zone__isnull=False).first()
    model_admin = admin.site._registry[WorkItem]
    request = rf.post("/")
    request.user = olga
    form_class = model_admin.get_form(request, item)
    data = {key: value for key, value in model_to_dict(item).items() if value is not None}
    data["co_departments"] = [d.pk for d in item.co_departments.all()]
    for key, value in change.items():
        data.pop(key, None)
        if value is not None:
            data[key] = Department.objects.get(slug=value).pk
    form = form_class(data, instance=item)
    assert not form.is_valid()
    assert sorted(form.errors) == sorted(fields)
    assert all("请只选择一个" in "".join(form.errors[field]) for field in fields)
