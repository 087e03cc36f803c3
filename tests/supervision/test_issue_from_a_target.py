"""督办单 for a lagging target (滞后目标) are issued from the target's own page, as from a flag: only for a target whose
latest judged result is red on the day, only by the office, linked both ways (the target's page lists the items issued
for it to those who may open them, the item's page links to the target), and bad input writes nothing."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from indicators.models import ProgressResult, ReportingPeriod, Target
from supervision import services
from supervision.models import SupervisionItem, SupervisionStep

TODAY = date(2026, 12, 1)


@pytest.fixture
def target(plan):
    """A 禄丰 target whose latest judged result (June of its year) is red."""
    target = Target.objects.filter(zone=plan["lufeng"], indicator__kind="share").order_by("pk").first()
    ProgressResult.objects.create(
        target=target,
        period=ReportingPeriod.objects.get(cadence="monthly", year=target.year, index=6),
        status=ProgressResult.Status.RED,
        actual=Decimal("40"),
        expected=Decimal("60"),
        reason="完成率不足七成",
    )
    return target


def _turn_green(target):
    result = target.results.get()
    result.status = ProgressResult.Status.GREEN
    result.save()


def _issue(client, target, **changes):
    data = {
        "source": "red_target",
        "source_ref": str(target.pk),
        "source_text": "",
        "body": f"zone:{target.zone_id}",
        "requirement": "制定追赶措施并反馈",
        "deadline": "2026-12-20",
        **changes,
    }
    return client.post(f"/supervision/new/?source=red_target&ref={target.pk}", data)


def _issue_now(olga, row, body):
    return services.supervision_issue(
        user=olga,
        body=body,
        source=SupervisionItem.Source.RED_TARGET,
        source_object=row,
        requirement="制定追赶措施",
        deadline=date(2026, 12, 20),
        today=TODAY,
    )


# --------------------------------------------------------------------------- the service's rule


def test_it_refuses_a_red_target_source_without_its_target_or_with_another_row(plan, olga, target):
    wrong_row = target.indicator  # not a target
    for row in (None, wrong_row):
        with pytest.raises(services.SupervisionError) as refused:
            _issue_now(olga, row, plan["lufeng"])
        assert "滞后目标的督办单须关联所出自的目标" in refused.value.message and refused.value.field == "source"
    assert not SupervisionItem.objects.exists() and not SupervisionStep.objects.exists()


def test_it_refuses_a_target_not_red_on_the_day_in_words(plan, olga, target):
    _turn_green(target)
    with pytest.raises(services.SupervisionError) as refused:
        _issue_now(olga, target, plan["lufeng"])
    assert "该目标目前的进展状态为“达到序时进度”，不是滞后" in refused.value.message
    target.results.all().delete()  # no result at all: 暂无数据
    with pytest.raises(services.SupervisionError) as refused:
        _issue_now(olga, target, plan["lufeng"])
    assert "“暂无数据”" in refused.value.message
    assert not SupervisionItem.objects.exists()


def test_it_links_the_item_to_its_red_target(plan, olga, target):
    item = _issue_now(olga, target, plan["lufeng"])
    assert item.source_object == target and item.zone == plan["lufeng"]


# --------------------------------------------------------------------------- the target's page


@time_machine.travel(TODAY, tick=False)
def test_the_office_issues_from_a_red_targets_page_and_each_page_links_the_other(client_for, olga, zack, plan, target):
    client = client_for(olga)
    link = f'href="/supervision/new/?source=red_target&amp;ref={target.pk}"'
    assert link in client.get(target.get_absolute_url()).content.decode()
    form = client.get(f"/supervision/new/?source=red_target&ref={target.pk}").content.decode()
    assert f'value="zone:{plan["lufeng"].pk}" selected' in form
    response = _issue(client, target)
    issued = SupervisionItem.objects.get()
    assert response.status_code == 302 and response["Location"] == issued.get_absolute_url()
    assert issued.source == "red_target" and issued.source_object == target and issued.source_text == str(target)

    detail = client.get(issued.get_absolute_url()).content.decode()
    assert f'<a href="{target.get_absolute_url()}" id="item-source">' in detail
    listed = client.get(target.get_absolute_url()).content.decode().split('id="source-supervision"')[1]
    listed = listed.split("</section>")[0]
    assert issued.number in listed and "2026年12月20日" in listed and "已交办" in listed

    # The committee reads the item issued to it on its target's page, without the office's link.
    page = client_for(zack).get(target.get_absolute_url()).content.decode()
    assert issued.number in page and link not in page


@time_machine.travel(TODAY, tick=False)
def test_a_target_not_red_offers_no_issue_and_a_post_is_refused_in_words(client_for, olga, target):
    _turn_green(target)
    client = client_for(olga)
    page = client.get(target.get_absolute_url()).content.decode()
    assert 'id="issue-supervision"' not in page and 'id="source-supervision"' not in page
    response = _issue(client, target)
    assert response.status_code == 400 and "不是滞后，不能按滞后目标交办督办单" in response.content.decode()
    assert not SupervisionItem.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_only_the_office_issues_from_a_target(client_for, zack, alice, target):
    for user in (zack, alice):
        assert _issue(client_for(user), target).status_code == 403, user.username
    assert not SupervisionItem.objects.exists()


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    "changes,words",
    [
        ({"deadline": "2026-11-30"}, "早于交办日期"),
        ({"requirement": "   "}, "请填写督办要求"),
        ({"body": "zone:999999"}, "选择一个有效的选项"),
    ],
)
def test_bad_input_from_a_target_is_a_clear_400_and_writes_nothing(client_for, olga, target, changes, words):
    response = _issue(client_for(olga), target, **changes)
    page = response.content.decode()
    assert response.status_code == 400 and words in page
    assert f'name="source_ref" value="{target.pk}"' in page  # still linked to its target
    assert not SupervisionItem.objects.exists() and not SupervisionStep.objects.exists()


def test_an_open_milestone_past_its_deadline_is_lagging_on_the_day_as_the_task_page_reads_it(open_milestone):
    """A milestone due 2025-11-15, reported not done in the third quarter: its stored result (30 September) counts
    46 days left, amber; on 1 December the task page reads it overdue, red — and so does the 滞后目标 rule, which
    offers the 督办 the page's red row calls for. On 1 November it is still due soon: not lagging."""
    from indicators.progress.services import progress_recompute

    target = open_milestone
    Target.objects.filter(pk=target.pk).update(due_date=date(2025, 11, 15))
    with time_machine.travel(date(2025, 10, 10)):
        progress_recompute()
    stored = ProgressResult.objects.filter(target=target).order_by("-period_end").first()
    assert (stored.period_end, stored.status) == (date(2025, 9, 30), ProgressResult.Status.AMBER)
    assert "不是滞后" in services.source_row_error(source="red_target", source_object=target, today=date(2025, 11, 1))
    assert services.source_row_error(source="red_target", source_object=target, today=date(2025, 12, 1)) is None
