"""督办 to closure: 交办 → 反馈 → 催办 → 退回 → 办结 with 评价, every step dated and kept; bad input writes nothing."""

import re
from datetime import date

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from assessments.models import Flag, Rule
from chuxiong_portal import dates
from chuxiong_portal.stale import current_of
from supervision import services
from supervision.models import EvidenceFile, SupervisionItem, SupervisionStep


@pytest.fixture
def item(plan, olga):
    return services.supervision_issue(
        user=olga,
        body=plan["lufeng"],
        source=SupervisionItem.Source.INSTRUCTION,
        requirement="报送运营公司组建进展",
        deadline=date(2026, 12, 10),
        today=date(2026, 12, 1),
    )


def test_it_numbers_items_by_year_and_records_the_issue_step(item, plan, olga):
    second = services.supervision_issue(
        user=olga,
        body=plan["ndrc"],
        source="instruction",
        requirement="x",
        deadline=date(2026, 12, 31),
        today=date(2026, 12, 1),
    )
    assert (item.number, second.number) == ("楚开督〔2026〕001号", "楚开督〔2026〕002号")
    assert [(s.kind, s.on) for s in item.steps.all()] == [("issue", date(2026, 12, 1))]


def test_it_numbers_after_the_years_highest_number_once_an_item_was_deleted(item, plan, olga):
    """Three items, the second deleted in the admin: a count of the year's items gave the next one 003, which the third
    held, and every retry failed with 「督办单编号冲突」."""

    def issue():
        return services.supervision_issue(
            user=olga,
            body=plan["ndrc"],
            source="instruction",
            requirement=f"要求{SupervisionItem.objects.order_by('-pk').values_list('pk', flat=True).first()}",
            deadline=date(2026, 12, 31),
            today=date(2026, 12, 1),
        )

    second, third = issue(), issue()
    second.delete()
    assert third.number == "楚开督〔2026〕003号"
    assert issue().number == "楚开督〔2026〕004号"
    SupervisionItem.objects.filter(pk=third.pk).update(number="楚开督〔2026〕1000号")  # past 999: read as a number
    assert issue().number == "楚开督〔2026〕1001号"


def test_it_refuses_a_deadline_before_the_issue_date_and_writes_nothing(plan, olga):
    with pytest.raises(services.SupervisionError) as refused:
        services.supervision_issue(
            user=olga,
            body=plan["lufeng"],
            source="instruction",
            requirement="x",
            deadline=date(2026, 11, 30),
            today=date(2026, 12, 1),
        )
    assert "早于交办日期" in refused.value.message
    assert not SupervisionItem.objects.exists() and not SupervisionStep.objects.exists()


@pytest.mark.parametrize(
    "source,words",
    [
        (SupervisionItem.Source.FLAG, "问责提示的督办单须关联所出自的问责提示"),
        (SupervisionItem.Source.EVALUATION_GAP, "评价差距整改须关联所出自的失分分项"),
    ],
)
def test_a_flag_or_gap_source_without_its_row_is_refused_and_nothing_written(plan, olga, source, words):
    """Such an item would be listed on no flag page and no gap page: it needs the row it follows up."""
    flag = Flag.objects.create(zone=plan["lufeng"], year=2025, rule=Rule.BOTTOM_FIVE, consequence="约谈")
    wrong_row = None if source == SupervisionItem.Source.FLAG else flag  # a flag is not a gap's sub-score
    for row in (None, wrong_row):
        with pytest.raises(services.SupervisionError) as refused:
            services.supervision_issue(
                user=olga,
                body=plan["lufeng"],
                source=source,
                source_object=row,
                source_text="手填来源",
                requirement="整改",
                deadline=date(2026, 12, 31),
                today=date(2026, 12, 1),
            )
        assert words in refused.value.message and refused.value.field == "source"
    assert not SupervisionItem.objects.exists() and not SupervisionStep.objects.exists()


@pytest.mark.parametrize(
    "source,words",
    [
        (SupervisionItem.Source.FLAG, "问责提示的督办单须关联所出自的问责提示"),
        (SupervisionItem.Source.EVALUATION_GAP, "评价差距整改须关联所出自的失分分项"),
    ],
)
def test_the_admin_refuses_a_flag_or_gap_source_without_its_row_by_the_same_rule(plan, olga, client_for, source, words):
    """The admin's form asks the issue service's rule: an item changed there to this source without its row, or with
    a row of another kind, is refused beside the source field and nothing is written; pointing at its flag, a flag's
    item is saved. The admin adds no item: items are issued (and numbered) on the pages."""
    flag = Flag.objects.create(zone=plan["lufeng"], year=2025, rule=Rule.BOTTOM_FIVE, consequence="约谈")
    flag_type = ContentType.objects.get_for_model(Flag).pk
    client = client_for(olga)
    item = services.supervision_issue(
        user=olga,
        body=plan["lufeng"],
        source="instruction",
        requirement="整改",
        deadline=date(2026, 12, 31),
        today=date(2026, 12, 1),
    )
    form = {
        "source": source,
        "source_text": "手填来源",
        "source_facts": "{}",
        "requirement": "整改",
        "issued_on": "2026-12-01",
        "deadline": "2026-12-31",
        "zone": plan["lufeng"].pk,
        "issued_by": olga.pk,
        "steps-TOTAL_FORMS": "1",
        "steps-INITIAL_FORMS": "1",
        "steps-0-id": item.steps.get().pk,
        "steps-0-item": item.pk,
    }
    change = reverse("admin:supervision_supervisionitem_change", args=[item.pk])
    wrong_row = {} if source == SupervisionItem.Source.FLAG else {"source_type": flag_type, "source_id": flag.pk}
    for row in ({}, {"source_type": flag_type, "source_id": flag.pk + 1000}, wrong_row):
        response = client.post(change, form | row)
        assert response.status_code == 200
        assert words in "".join(response.context["adminform"].form.errors["source"])
        item.refresh_from_db()
        assert item.source == "instruction"
    if source == SupervisionItem.Source.FLAG:
        response = client.post(change, form | {"source_type": flag_type, "source_id": flag.pk})
        assert response.status_code == 302
        item.refresh_from_db()
        assert item.source_object == flag
    add = reverse("admin:supervision_supervisionitem_add")
    assert client.get(add).status_code == 403 and client.post(add, form).status_code == 403
    assert SupervisionItem.objects.count() == 1


def test_only_the_office_issues(plan, zack):
    with pytest.raises(services.SupervisionError):
        services.supervision_issue(
            user=zack,
            body=plan["lufeng"],
            source="instruction",
            requirement="x",
            deadline=date(2026, 12, 31),
            today=date(2026, 12, 1),
        )


def test_the_whole_trail_answer_return_answer_close_late(item, olga, zack, upload, samples, private_storage):
    services.supervision_answer(
        item=item,
        user=zack,
        text="已拟定方案",
        progress_pct=30,
        files=[upload("方案.pdf", samples["pdf"])],
        today=date(2026, 12, 5),
    )
    item.refresh_from_db()
    assert item.state == "answered" and item.answered_on == date(2026, 12, 5)
    services.supervision_return(item=item, user=olga, reason="缺少营业执照", today=date(2026, 12, 6))
    item.refresh_from_db()
    assert item.state == "returned"
    services.supervision_remind(item=item, user=olga, today=date(2026, 12, 11))
    services.supervision_answer(
        item=item,
        user=zack,
        text="已取得营业执照",
        progress_pct=100,
        files=[upload("执照.png", samples["png"])],
        today=date(2026, 12, 14),
    )
    item.refresh_from_db()
    with pytest.raises(services.SupervisionError):  # answered after the deadline: not 按时办结
        services.supervision_close(item=item, user=olga, assessment="on_time", today=date(2026, 12, 15))
    services.supervision_close(item=item, user=olga, assessment="late", today=date(2026, 12, 15))
    item.refresh_from_db()
    assert (item.state, item.assessment, item.closed_on) == ("closed", "late", date(2026, 12, 15))
    trail = [(s.kind, s.on) for s in item.steps.all()]
    assert trail == [
        ("issue", date(2026, 12, 1)),
        ("answer", date(2026, 12, 5)),
        ("return", date(2026, 12, 6)),
        ("remind", date(2026, 12, 11)),
        ("answer", date(2026, 12, 14)),
        ("close", date(2026, 12, 15)),
    ]
    files = EvidenceFile.objects.order_by("pk")
    assert [f.original_name for f in files] == ["方案.pdf", "执照.png"]
    assert all(private_storage in (private_storage / f.file.name).parents for f in files)
    assert all((private_storage / f.file.name).exists() for f in files)


def test_an_answer_to_a_closed_item_is_refused_and_writes_nothing(item, olga, zack, upload, samples, private_storage):
    services.supervision_close(item=item, user=olga, assessment="not_done", today=date(2026, 12, 2))
    steps = item.steps.count()
    with pytest.raises(services.SupervisionError) as refused:
        services.supervision_answer(
            item=item, user=zack, text="补充", files=[upload("a.pdf", samples["pdf"])], today=date(2026, 12, 3)
        )
    assert "已办结" in refused.value.message
    assert item.steps.count() == steps and not EvidenceFile.objects.exists()
    assert not private_storage.exists() or not any(private_storage.rglob("*.bin"))


def test_an_answer_with_a_file_that_is_not_what_its_name_says_writes_nothing(
    item, zack, upload, samples, private_storage
):
    with pytest.raises(services.SupervisionError) as refused:
        services.supervision_answer(
            item=item,
            user=zack,
            text="见附件",
            files=[upload("好.pdf", samples["pdf"]), upload("报告.pdf", samples["exe"])],
            today=date(2026, 12, 3),
        )
    assert "报告.pdf" in refused.value.message
    item.refresh_from_db()
    assert item.state == "issued" and item.steps.count() == 1
    assert not EvidenceFile.objects.exists()
    assert not private_storage.exists() or not any(private_storage.rglob("*.bin"))


def test_a_database_failure_after_storing_files_removes_them(item, zack, upload, samples, private_storage, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(EvidenceFile, "save", broken_save)
    with pytest.raises(RuntimeError):
        services.supervision_answer(
            item=item, user=zack, text="见附件", files=[upload("a.pdf", samples["pdf"])], today=date(2026, 12, 3)
        )
    assert not any(private_storage.rglob("*.bin"))


def test_another_body_cannot_answer(item, cora):
    with pytest.raises(services.SupervisionError):
        services.supervision_answer(item=item, user=cora, text="x", today=date(2026, 12, 3))


def test_a_stale_version_is_refused(item, zack, olga):
    version = item.version
    services.supervision_answer(item=item, user=zack, text="第一次", version=version, today=date(2026, 12, 3))
    with pytest.raises(services.SupervisionError) as refused:
        services.supervision_return(item=item, user=olga, reason="不全", version=version, today=date(2026, 12, 4))
    answered = item.steps.get(kind="answer")
    assert refused.value.message == (
        f"该督办单已由{zack}于{dates.moment(answered.at)}反馈，当前状态为“{SupervisionItem.State.ANSWERED.label}”。"
    )
    assert current_of(refused.value) == str(version + 1)  # what a page drawn now would hold


def test_an_office_action_on_a_changed_item_comes_back_told_what_changed_and_ready_to_send_again(
    item, zack, olga, client_for
):
    version = item.version
    services.supervision_answer(item=item, user=zack, text="第一次", version=version, today=date(2026, 12, 3))
    client = client_for(olga)
    url = reverse("supervision-return", args=[item.pk])
    refused = client.post(url, {"text": "材料不全", "version": version})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert f"该督办单已由{zack}于" in page and "第一次" in page  # the trail as it is now
    returning = re.search(r'<form[^>]*id="return-form".*?</form>', page, re.S).group(0)
    assert re.search(r'name="version" value="(\d+)"', returning).group(1) == str(version + 1)
    assert "材料不全" in returning
    assert not item.steps.filter(kind="return").exists()
    resent = client.post(url, {"text": "材料不全", "version": version + 1})
    assert resent.status_code == 302
    assert item.steps.filter(kind="return", text="材料不全").exists()


@pytest.mark.parametrize(
    "today,late", [(date(2026, 12, 10), False), (date(2026, 12, 11), True), (date(2027, 2, 1), True)]
)
def test_reminding_needs_the_item_to_be_late(item, olga, today, late):
    with time_machine.travel(today, tick=False):
        if late:
            services.supervision_remind(item=item, user=olga)
            assert item.steps.filter(kind="remind", on=today).exists()
        else:
            with pytest.raises(services.SupervisionError):
                services.supervision_remind(item=item, user=olga)


def test_an_answer_returned_no_longer_counts_towards_closing_on_time(item, olga, zack, client_for):
    """Answered on 12-05 (deadline 12-10), returned on 12-06 and not answered again: past the deadline it is owed,
    and the office can no longer call it 按时办结 (nor is that offered)."""
    services.supervision_answer(item=item, user=zack, text="已拟定方案", progress_pct=30, today=date(2026, 12, 5))
    item.refresh_from_db()
    services.supervision_return(item=item, user=olga, reason="缺少营业执照", today=date(2026, 12, 6))
    item.refresh_from_db()
    assert (item.state, item.answered_on) == ("returned", None)
    with pytest.raises(services.SupervisionError):
        services.supervision_close(item=item, user=olga, assessment="on_time", today=date(2026, 12, 15))
    item.refresh_from_db()
    assert item.state == "returned"
    from supervision import rules

    assert rules.suggest_assessment(answered_on=item.answered_on, deadline=item.deadline) != "on_time"
    assert rules.is_overdue(
        state=item.state, deadline=item.deadline, answered_on=item.answered_on, today=date(2026, 12, 15)
    )


def test_a_supplementary_answer_after_the_deadline_keeps_the_first_answers_day(item, olga, zack):
    """Answered on 12-08 (deadline 12-10), supplemented on 12-12: still answered in time, not 逾期, and 按时办结 is
    accepted. Both answers stay in the trail with their own days."""
    services.supervision_answer(item=item, user=zack, text="已拟定方案", today=date(2026, 12, 8))
    services.supervision_answer(item=item, user=zack, text="补充营业执照", today=date(2026, 12, 12))
    item.refresh_from_db()
    assert (item.state, item.answered_on) == ("answered", date(2026, 12, 8))
    from supervision import rules

    assert not rules.is_overdue(
        state=item.state, deadline=item.deadline, answered_on=item.answered_on, today=date(2026, 12, 13)
    )
    services.supervision_close(item=item, user=olga, assessment="on_time", today=date(2026, 12, 13))
    item.refresh_from_db()
    assert (item.state, item.assessment) == ("closed", "on_time")
    assert [s.on for s in item.steps.filter(kind="answer")] == [date(2026, 12, 8), date(2026, 12, 12)]


def test_a_new_answer_after_a_return_counts_from_its_own_day(item, olga, zack):
    """Answered on 12-08, returned on 12-09, answered again on 12-12: the answer that stands came after the deadline."""
    services.supervision_answer(item=item, user=zack, text="已拟定方案", today=date(2026, 12, 8))
    services.supervision_return(item=item, user=olga, reason="缺少营业执照", today=date(2026, 12, 9))
    services.supervision_answer(item=item, user=zack, text="已取得营业执照", today=date(2026, 12, 12))
    item.refresh_from_db()
    assert item.answered_on == date(2026, 12, 12)
    with pytest.raises(services.SupervisionError):
        services.supervision_close(item=item, user=olga, assessment="on_time", today=date(2026, 12, 13))


@pytest.mark.parametrize(
    ("answered", "closed", "words"),
    [
        (None, date(2026, 12, 9), "尚未超过办理时限（2026年12月10日），不能评为逾期办结"),  # not answered, not due yet
        (date(2026, 12, 8), date(2026, 12, 9), "已在办理时限（2026年12月10日）前反馈，不能评为逾期办结"),
        (date(2026, 12, 8), date(2026, 12, 20), "已在办理时限（2026年12月10日）前反馈，不能评为逾期办结"),
    ],
)
def test_closing_as_late_is_refused_for_an_item_that_was_not_late(item, olga, zack, answered, closed, words):
    """逾期办结 for an item answered by its deadline (or not yet due) counted it late in its body's record."""
    if answered:
        services.supervision_answer(item=item, user=zack, text="已办理", today=answered)
        item.refresh_from_db()
    with pytest.raises(services.SupervisionError) as refused:
        services.supervision_close(item=item, user=olga, assessment="late", today=closed)
    assert words in refused.value.message and refused.value.field == "assessment"
    item.refresh_from_db()
    assert item.state != "closed" and not item.steps.filter(kind="close").exists()


@pytest.mark.parametrize(("answered", "closed"), [(None, date(2026, 12, 11)), (date(2026, 12, 11), date(2026, 12, 11))])
def test_closing_as_late_is_accepted_for_an_item_that_was_late(item, olga, zack, answered, closed):
    if answered:
        services.supervision_answer(item=item, user=zack, text="已办理", today=answered)
        item.refresh_from_db()
    services.supervision_close(item=item, user=olga, assessment="late", today=closed)
    item.refresh_from_db()
    assert (item.state, item.assessment) == ("closed", "late")


def test_a_file_with_a_long_name_is_judged_by_its_whole_name_and_kept_with_its_extension(
    item, zack, upload, samples, private_storage
):
    """A real PDF named with 198 characters and .pdf was cut to 200 characters before its type was read, and refused
    as 「…的内容与其扩展名不符」."""
    long_name = "园" * 198 + ".pdf"
    services.supervision_answer(
        item=item, user=zack, text="见附件", files=[upload(long_name, samples["pdf"])], today=date(2026, 12, 3)
    )
    kept = EvidenceFile.objects.get()
    assert kept.kind == "pdf" and len(kept.original_name) == 200
    assert kept.original_name == "园" * 196 + ".pdf"
    with pytest.raises(services.SupervisionError) as refused:  # the whole name still has to match the content
        services.supervision_answer(
            item=item, user=zack, text="见附件", files=[upload(long_name, samples["png"])], today=date(2026, 12, 4)
        )
    assert "内容与其扩展名不符" in refused.value.message and "园" * 196 + ".pdf" in refused.value.message


@pytest.mark.parametrize(
    ("deadline", "accepted"),
    [(date(2028, 12, 1), True), (date(2028, 12, 2), False), (date(9999, 12, 31), False)],
)
def test_a_deadline_more_than_two_years_after_the_issue_is_refused(plan, olga, deadline, accepted):
    """9999-12-31 was accepted: an item that could never be overdue."""

    def issue():
        return services.supervision_issue(
            user=olga,
            body=plan["lufeng"],
            source="instruction",
            requirement="x",
            deadline=deadline,
            today=date(2026, 12, 1),
        )

    if accepted:
        assert issue().deadline == deadline
        return
    with pytest.raises(services.SupervisionError) as refused:
        issue()
    assert refused.value.field == "deadline"
    assert refused.value.message == (
        f"办理时限（{dates.day(deadline)}）晚于交办日期起2年（2028年12月1日），请重新选择。"
    )
    assert not SupervisionItem.objects.exists()


@pytest.mark.parametrize(
    ("change", "fields", "words"),
    [
        (
            {"deadline": "2026-11-30"},
            ["deadline"],
            "办理时限（2026年11月30日）早于交办日期（2026年12月1日），请重新选择。",
        ),
        ({"deadline": "9999-12-31"}, ["deadline"], "晚于交办日期起2年（2028年12月1日），请重新选择。"),
        ({"county": "wuding", "department": "ndrc"}, ["department", "zone", "county"], "请只选择一个"),
        ({"zone": ""}, ["department", "zone", "county"], "请只选择一个"),
    ],
)
def test_the_admin_refuses_a_bad_deadline_or_body_in_the_pages_words(
    item, plan, olga, client_for, change, fields, words
):
    """It showed 「约束 “supervision_deadline_after_issue” 是无效的」 / 「约束 “supervision_one_body” 是无效的」."""
    from parks.models import County

    form = {
        "source": "instruction",
        "source_text": "",
        "source_facts": "{}",
        "requirement": item.requirement,
        "issued_on": "2026-12-01",
        "deadline": "2026-12-10",
        "zone": plan["lufeng"].pk,
        "issued_by": olga.pk,
        "steps-TOTAL_FORMS": "1",
        "steps-INITIAL_FORMS": "1",
        "steps-0-id": item.steps.get().pk,
        "steps-0-item": item.pk,
    }
    ids = {"wuding": County.objects.get(code="wuding").pk, "ndrc": plan["ndrc"].pk}
    response = client_for(olga).post(
        reverse("admin:supervision_supervisionitem_change", args=[item.pk]),
        form | {key: ids.get(value, value) for key, value in change.items()},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert sorted(errors) == sorted(fields)
    assert all(words in "".join(errors[field]) for field in fields)
    assert "约束" not in response.content.decode()
    item.refresh_from_db()
    assert (item.deadline, item.zone_id, item.county_id) == (date(2026, 12, 10), plan["lufeng"].pk, None)
