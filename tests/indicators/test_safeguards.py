"""The plan's 保障措施 items recorded by the office through the page form
(indicators/reporting/services/safeguards.py)."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from indicators.models import Indicator, IndicatorValue, ProgressResult
from indicators.reporting.services import safeguard_record
from tasks.models import Safeguard

PAGE = reverse("safeguards")


def record_url(code: str) -> str:
    return reverse("safeguard-record", args=[code])


def test_the_office_records_a_milestone_done_with_its_date_and_a_note(client_for, olga, plan):
    response = client_for(olga).post(
        record_url("dual-leader-system"), {"done": "1", "on": "2025-03-10", "note": "州委办印发通知"}
    )
    assert response.status_code == 302 and response["Location"] == PAGE
    value = IndicatorValue.objects.get(indicator__code="dual-leader-system")
    assert (value.scope, value.value, value.done_on) == ("prefecture", 1, date(2025, 3, 10))
    assert value.note == "州委办印发通知"
    assert value.period.start <= date(2025, 3, 10) <= value.period.end and value.updated_by == olga
    result = ProgressResult.objects.filter(
        target__indicator__code="dual-leader-system", period__end=value.period.end
    ).get()
    assert result.status == ProgressResult.Status.GREEN  # done before its due date
    html = client_for(olga).get(PAGE).content.decode()
    assert "已完成（2025年3月10日）" in html and "州委办印发通知" in html


def test_not_done_is_recorded_as_such(client_for, olga, plan):
    client_for(olga).post(record_url("fault-tolerance-mechanism"), {"done": "0", "on": "2025-06-30"})
    value = IndicatorValue.objects.get(indicator__code="fault-tolerance-mechanism")
    assert value.value == 0 and value.done_on is None
    assert "未完成（2025年第二季度）" in client_for(olga).get(PAGE).content.decode()


def test_a_counted_item_takes_its_number(client_for, olga, plan):
    response = client_for(olga).post(record_url("key-task-list-review"), {"value": "2", "on": "2024-12-20"})
    assert response.status_code == 302
    value = IndicatorValue.objects.get(indicator__code="key-task-list-review")
    assert value.value == 2 and value.period.year == 2024
    response = client_for(olga).post(record_url("key-task-list-review"), {"on": "2024-12-20"})
    assert response.status_code == 400 and "该字段是必填项" in response.content.decode()


def test_an_item_the_plan_asks_of_each_zone_needs_the_zone(client_for, olga, plan):
    client = client_for(olga)
    response = client.post(record_url("exit-standards"), {"done": "1", "on": "2025-05-01"})
    assert response.status_code == 400 and "请选择方案对该项作出要求的开发区" in response.content.decode()
    assert not IndicatorValue.objects.filter(indicator__code="exit-standards").exists()
    lufeng = plan["lufeng"]
    response = client.post(record_url("exit-standards"), {"zone": lufeng.pk, "done": "1", "on": "2025-05-01"})
    assert response.status_code == 302
    assert IndicatorValue.objects.get(indicator__code="exit-standards").zone == lufeng


def test_bad_dates_are_refused_and_nothing_is_written(client_for, olga, plan):
    client = client_for(olga)
    response = client.post(record_url("dual-leader-system"), {"done": "1", "on": "2099-01-01"})
    assert response.status_code == 400 and "日期不能晚于今天" in response.content.decode()
    response = client.post(record_url("dual-leader-system"), {"done": "1", "on": "not a date"})
    assert response.status_code == 400
    assert not IndicatorValue.objects.filter(indicator__code="dual-leader-system").exists()


def test_only_the_office_records(client_for, alice, leo, plan):
    for user in (alice, leo):
        response = client_for(user).post(record_url("dual-leader-system"), {"done": "1", "on": "2025-03-10"})
        assert response.status_code == 403
        assert client_for(user).get(PAGE).status_code == 200
    assert not IndicatorValue.objects.filter(indicator__code="dual-leader-system").exists()


def test_the_page_reads_a_fixed_number_of_queries(client_for, olga, plan):
    client = client_for(olga)

    def count() -> int:
        client.get(PAGE)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PAGE).status_code == 200
        return len(queries)

    safeguard_record(
        indicator=Indicator.objects.get(code="dual-leader-system"),
        user=olga,
        on=date(2023, 5, 1),
        today=date(2026, 12, 1),
        done=True,
    )
    small = count()
    indicators = Indicator.objects.filter(safeguard__isnull=False, kind="milestone", targets__scope="prefecture")
    for indicator in indicators.distinct():
        for day in (date(2024, 3, 1), date(2025, 3, 1)):
            safeguard_record(indicator=indicator, user=olga, on=day, today=date(2026, 12, 1), done=True)
    assert IndicatorValue.objects.filter(indicator__safeguard__isnull=False).count() >= 10
    assert count() == small


def test_the_admin_records_through_the_same_service(client_for, olga, plan):
    client = client_for(olga)
    url = reverse("admin:indicators_safeguardvalue_add")
    indicator = Indicator.objects.get(code="dual-leader-system")
    response = client.post(url, {"indicator": indicator.pk, "done": "on", "on": "2099-01-01", "note": ""})
    assert response.status_code == 200 and "日期不能晚于今天" in response.content.decode()
    assert not IndicatorValue.objects.filter(indicator=indicator).exists()
    response = client.post(url, {"indicator": indicator.pk, "done": "on", "on": "2025-03-10", "note": "admin"})
    assert response.status_code == 302
    value = IndicatorValue.objects.get(indicator=indicator)
    assert (value.value, value.done_on, value.note, value.updated_by) == (1, date(2025, 3, 10), "admin", olga)
    assert ProgressResult.objects.get(target__indicator=indicator, period__end=value.period.end).status == "green"


def test_the_safeguards_are_numbered_as_the_plan_does_and_in_figures_for_an_english_reader(plan):
    first = Safeguard.objects.order_by("number").first()
    with translation.override("zh-hans"):
        assert str(first) == f"（一）{first.title}"
    with translation.override("en"):
        assert str(first) == f"(1) {first.title}"


@pytest.mark.parametrize(
    "day, default",
    [
        (date(2024, 6, 20), date(2024, 6, 20)),  # inside the plan: today
        (date(2025, 12, 31), date(2025, 12, 31)),
        (date(2026, 1, 1), date(2025, 12, 31)),  # after it: the plan's last day, which the service accepts
        (date(2026, 12, 5), date(2025, 12, 31)),
    ],
)
def test_the_form_proposes_a_date_the_service_accepts(client_for, olga, plan, day, default):
    with time_machine.travel(datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        client = client_for(olga)
        html = client.get(record_url("dual-leader-system")).content.decode()
        proposed = re.search(r'<input[^>]*name="on"[^>]*>', html).group(0)
        assert f'value="{default.isoformat()}"' in proposed
        response = client.post(record_url("dual-leader-system"), {"done": "1", "on": default.isoformat()})
    assert response.status_code == 302
    assert IndicatorValue.objects.get(indicator__code="dual-leader-system").done_on == default


def shown_seen(html: str) -> str:
    return re.search(r'name="seen" value="([0-9a-f]+)"', html).group(1)


def test_the_record_page_shows_what_is_recorded_and_opens_on_the_rows_zone(client_for, olga, plan):
    """The 登记 link of a zone's row opens the form on that zone, above the item's records: who recorded what, when."""
    client = client_for(olga)
    lufeng = plan["lufeng"]
    client.post(record_url("exit-standards"), {"zone": lufeng.pk, "done": "1", "on": "2025-05-01", "note": "已印发"})
    listing = client.get(PAGE).content.decode()
    link = f"{record_url('exit-standards')}?zone={lufeng.code}"
    assert f'href="{link}"' in listing
    html = client.get(link).content.decode()
    assert re.search(rf'<option value="{lufeng.pk}" selected>', html)
    rows = re.findall(r'<tr class="safeguard-record">(.*?)</tr>', html, re.S)
    assert len(rows) == 1
    assert lufeng.name in rows[0] and "已完成（2025年5月1日）" in rows[0] and "已印发" in rows[0]
    assert str(olga) in rows[0]
    assert "尚未登记" in client.get(record_url("dual-leader-system")).content.decode()


def test_a_page_drawn_before_someone_elses_record_is_refused_then_taken_when_sent_again(client_for, olga, plan):
    """Two officers open the form; the second one's save, drawn before the first's, does not replace it unseen: it
    comes back with the latest record named, the input kept and the page's records as they are now; sent again, it is
    taken."""
    first, second = client_for(olga), client_for(olga)
    url = record_url("key-task-list-review")
    stale = shown_seen(second.get(url).content.decode())
    page = first.get(url).content.decode()
    response = first.post(url, {"value": "2", "on": "2024-12-20", "seen": shown_seen(page)})
    assert response.status_code == 302
    response = second.post(url, {"value": "3", "on": "2024-12-20", "note": "第二次", "seen": stale})
    html = response.content.decode()
    assert response.status_code == 400
    assert "保存前，该项的登记已有变动" in html and "将全州登记为2次（2024年度）" in html
    assert IndicatorValue.objects.get(indicator__code="key-task-list-review").value == 2
    assert "第二次" in html and 'value="3"' in html  # what the user entered, kept
    assert len(re.findall(r'<tr class="safeguard-record">', html)) == 1
    fresh = shown_seen(html)
    assert fresh != stale
    response = second.post(url, {"value": "3", "on": "2024-12-20", "note": "第二次", "seen": fresh})
    assert response.status_code == 302
    assert IndicatorValue.objects.get(indicator__code="key-task-list-review").value == 3


def test_a_record_of_another_zone_since_the_page_was_drawn_refuses_it_too(client_for, olga, plan):
    """The page showed every zone's records: any of them changed means the page is not what is stored."""
    client = client_for(olga)
    url = record_url("exit-standards")
    seen = shown_seen(client.get(url).content.decode())
    safeguard_record(
        indicator=Indicator.objects.get(code="exit-standards"),
        user=olga,
        on=date(2025, 5, 1),
        today=date(2026, 12, 1),
        done=False,
        zone=plan["hitech"],
    )
    response = client.post(url, {"zone": plan["lufeng"].pk, "done": "1", "on": "2025-05-01", "seen": seen})
    assert response.status_code == 400 and f"将{plan['hitech'].name}登记为未完成" in response.content.decode()
    assert not IndicatorValue.objects.filter(indicator__code="exit-standards", zone=plan["lufeng"]).exists()


def test_done_or_not_is_chosen_not_assumed(client_for, olga, plan):
    """The form proposes no answer: saved without one, it asks for it and records nothing."""
    client = client_for(olga)
    html = client.get(record_url("dual-leader-system")).content.decode()
    assert re.search(r'<option value="" selected>', html)
    response = client.post(record_url("dual-leader-system"), {"on": "2025-03-10"})
    assert response.status_code == 400 and "该字段是必填项" in response.content.decode()
    assert not IndicatorValue.objects.filter(indicator__code="dual-leader-system").exists()
