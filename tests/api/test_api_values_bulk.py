"""POST /api/v1/indicator-values/bulk/: atomic, idempotent upserts of the province's figures."""

from decimal import Decimal

import pytest
from api_rows import value_row

from indicators.models import Indicator, IndicatorValue, ProgressResult, ReportingPeriod
from tests.jobs import queued


def _province(zone="lufeng", indicator="industrial-output", year=2024, index=3):
    return IndicatorValue.objects.filter(
        source="province",
        zone__code=zone,
        indicator__code=indicator,
        period__cadence="monthly",
        period__year=year,
        period__index=index,
    )


def test_it_creates_updates_and_leaves_unchanged_rows(sync, push_values):
    first = push_values(sync, [value_row(index=1, value="10"), value_row(index=2, value=20.25)])
    assert first.status_code == 200, first.json()
    assert first.json() | {"detail": ""} == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "errors": [],
        "dry_run": False,
        "detail": "",
    }
    second = push_values(
        sync, [value_row(index=1, value="10.0000"), value_row(index=2, value="21"), value_row(index=3, value="30")]
    )
    assert (second.json()["created"], second.json()["updated"], second.json()["unchanged"]) == (1, 1, 1)
    assert _province(index=2).get().value == Decimal("21")
    assert _province(index=2).get().version == 2
    assert _province(index=2).get().source == IndicatorValue.Source.PROVINCE


def test_it_is_idempotent_and_touches_nothing_the_second_time(sync, push_values):
    rows = [value_row(index=i, value=str(i * 10), note="省统计局月报") for i in range(1, 7)]
    assert push_values(sync, rows).json()["created"] == 6
    before = list(
        IndicatorValue.objects.filter(source="province")
        .order_by("pk")
        .values_list("pk", "value", "updated_at", "version")
    )
    history_before = IndicatorValue.history.count()
    again = push_values(sync, rows)
    assert again.status_code == 200
    assert (again.json()["created"], again.json()["updated"], again.json()["unchanged"]) == (0, 0, 6)
    after = list(
        IndicatorValue.objects.filter(source="province")
        .order_by("pk")
        .values_list("pk", "value", "updated_at", "version")
    )
    assert after == before
    assert IndicatorValue.history.count() == history_before


def test_it_reports_without_writing_in_a_dry_run(sync, push_values):
    response = push_values(sync, [value_row(index=1), value_row(index=2)], dry_run="true")
    assert response.status_code == 200
    assert response.json()["dry_run"] is True
    assert response.json()["created"] == 2
    assert not IndicatorValue.objects.filter(source="province").exists()


def test_it_answers_409_to_a_dry_run_with_an_error(sync, push_values):
    response = push_values(sync, [value_row(zone="nowhere")], dry_run="true")
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "zone"


def test_it_rejects_the_whole_batch_for_one_bad_row(sync, push_values):
    rows = [value_row(index=i) for i in range(1, 6)]
    rows[3]["value"] = "-5"
    response = push_values(sync, rows)
    assert response.status_code == 409  # well-formed, refused by the indicator's rule
    body = response.json()
    assert body["errors"] == [{"index": 3, "field": "value", "message": "“工业总产值”不能为负数。"}]
    assert (body["created"], body["updated"], body["unchanged"]) == (0, 0, 0)
    assert "整批数据均未写入" in body["detail"]
    assert not IndicatorValue.objects.filter(source="province").exists()


def test_it_rejects_updates_too_for_one_bad_row(sync, push_values):
    push_values(sync, [value_row(index=1, value="10")])
    response = push_values(sync, [value_row(index=1, value="11"), value_row(index=2, value="abc")])
    assert response.status_code == 400
    assert response.json()["errors"][0] == {"index": 1, "field": "value", "message": "“工业总产值”必须是有效数字。"}
    assert _province(index=1).get().value == Decimal("10")


def test_it_refuses_duplicate_keys_in_one_batch(sync, push_values):
    response = push_values(sync, [value_row(index=1), value_row(index=2), value_row(index=1, value="3")])
    assert response.status_code == 409
    assert response.json()["errors"] == [
        {"index": 2, "field": None, "message": "与第 0 行（从0起计）的开发区、指标和调度期重复。"}
    ]


# 400: the row breaks the published schema; 409: it keeps to it, but the portal refuses it (an unknown code, a rule
# between fields or against the stored data). Nothing is written either way.
@pytest.mark.parametrize(
    "change, field, message, status",
    [
        ({"zone": "nowhere"}, "zone", "未知的开发区代码“nowhere”。", 409),
        ({"indicator": "no-such-indicator"}, "indicator", "未知的指标代码“no-such-indicator”。", 409),
        (
            {"period": {"cadence": "monthly", "year": 2024, "index": 13}},
            "period.index",
            "monthly 的期次应为 1—12 之间的整数。",
            409,
        ),
        ({"period": {"cadence": "weekly", "year": 2024, "index": 1}}, "period.cadence", None, 400),
        ({"period": {"cadence": "monthly", "year": "last year", "index": 1}}, "period.year", None, 400),
        ({"period": {"cadence": "quarterly", "year": 2024, "index": 1}}, "period.cadence", None, 409),
        (
            {"period": {"cadence": "monthly", "year": 2030, "index": 1}},
            "period",
            "平台尚未设立调度期“2030年1月”。",
            409,
        ),
        ({"period": "2024-03"}, "period", None, 400),
        ({"period": {"cadence": "monthly", "year": 2024, "index": 1, "day": 3}}, "period", None, 400),
        ({"value": "1.23456"}, "value", "“工业总产值”最多保留 4 位小数。", 409),
        ({"value": 1e20}, "value", "“工业总产值”数值过大。", 400),
        ({"value": "1e20"}, "value", "“工业总产值”必须是有效数字。", 400),  # a string is digits, not exponents
        ({"value": True}, "value", None, 400),
        ({"value": None}, "value", "请填写数值（value）。", 409),
        ({"done_on": "2024-03-31"}, "done_on", "只有节点类指标可以填写完成日期。", 409),
        ({"note": 5}, "note", "说明必须是字符串。", 400),
        ({"extra": 1}, None, "未知字段：extra。", 400),
        ({"scope": "galaxy"}, "scope", None, 400),
        ({"cluster": "pv"}, "cluster", None, 409),
        ({"zone": ["lufeng"]}, "zone", "开发区代码必须是字符串。", 400),
    ],
)
def test_it_explains_a_bad_row(sync, push_values, change, field, message, status):
    response = push_values(sync, [value_row(index=1), value_row(index=2, **change)])
    assert response.status_code == status
    errors = response.json()["errors"]
    assert [(e["index"], e["field"]) for e in errors][:1] == [(1, field)]
    if message:
        assert errors[0]["message"] == message
    assert not IndicatorValue.objects.filter(source="province").exists()


def test_it_applies_the_form_rules_of_the_indicator(sync, push_values):
    response = push_values(
        sync, [value_row(indicator="leading-industry-share", cadence="quarterly", index=1, value="120")]
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["message"] == "“主导产业营业收入占比”不能大于100%。"


def test_it_accepts_cluster_and_prefecture_scopes_and_milestones(sync, push_values):
    response = push_values(
        sync,
        [
            {
                "scope": "cluster",
                "cluster": "pv",
                "indicator": "cluster-output",
                "period": {"cadence": "quarterly", "year": 2024, "index": 1},
                "value": 300,
            },
            {
                "scope": "prefecture",
                "indicator": "new-above-scale-firms",
                "period": {"cadence": "quarterly", "year": 2024, "index": 1},
                "value": 12,
            },
            {
                "zone": "wuding",
                "indicator": "seven-connections",
                "period": {"cadence": "quarterly", "year": 2023, "index": 4},
                "value": None,
                "done_on": "2023-12-20",
            },
        ],
    )
    assert response.status_code == 200, response.json()
    milestone = IndicatorValue.objects.get(indicator__code="seven-connections", source="province")
    assert milestone.value == 1 and str(milestone.done_on) == "2023-12-20"
    assert IndicatorValue.objects.get(indicator__code="cluster-output", source="province").cluster.code == "pv"


def test_it_keeps_the_units_own_value_next_to_the_province_figure(sync, push_values, plan):
    period = ReportingPeriod.objects.get(cadence="monthly", year=2024, index=3)
    portal = IndicatorValue.objects.create(
        indicator=Indicator.objects.get(code="industrial-output"),
        scope="zone",
        zone=plan["lufeng"],
        period=period,
        value=Decimal("99"),
    )
    assert push_values(sync, [value_row(value="100.5")]).status_code == 200
    portal.refresh_from_db()
    assert portal.value == Decimal("99") and portal.source == "portal"
    assert _province().get().value == Decimal("100.5")


def test_it_refuses_to_change_a_locked_province_figure_unless_the_office_does(sync, office, push_values):
    push_values(sync, [value_row(value="10")])
    _province().update(locked=True)
    assert push_values(sync, [value_row(value="10")]).json()["unchanged"] == 1  # same value: fine
    refused = push_values(sync, [value_row(value="12")])
    assert refused.status_code == 409
    assert refused.json()["errors"] == [
        {"index": 0, "field": "value", "message": "该省统计数据已锁定，只有州开发区办可以修改。"}
    ]
    assert _province().get().value == Decimal("10")
    allowed = push_values(office, [value_row(value="12")])
    assert allowed.status_code == 200 and allowed.json()["updated"] == 1
    assert _province().get().value == Decimal("12")


def test_it_keeps_history_of_every_write_authored_by_the_client(sync, sync_user, push_values):
    push_values(sync, [value_row(value="10")])
    push_values(sync, [value_row(value="11")])
    value = _province().get()
    history = list(value.history.order_by("history_date"))
    assert [(h.history_type, h.value, h.history_user) for h in history] == [
        ("+", Decimal("10"), sync_user),
        ("~", Decimal("11"), sync_user),
    ]
    assert all(h.history_change_reason == "省统计系统接口同步" for h in history)
    assert value.updated_by == sync_user


def test_it_recomputes_the_affected_progress(sync, push_values, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        # The 2022 December year-to-date figure is the baseline the level target needs.
        response = push_values(sync, [value_row(year=2022, index=12, value="600"), value_row(value="500")])
    assert response.status_code == 200
    assert len(queued(callbacks)) == 1
    result = ProgressResult.objects.get(
        target__indicator__code="industrial-output",
        target__zone__code="lufeng",
        period__cadence="monthly",
        period__year=2024,
        period__index=3,
    )
    assert result.actual == Decimal("500")
    assert result.status != "grey"


def test_it_queues_no_recompute_for_an_unchanged_batch(sync, push_values, django_capture_on_commit_callbacks):
    push_values(sync, [value_row(value="500")])
    with django_capture_on_commit_callbacks() as callbacks:
        push_values(sync, [value_row(value="500")])
    assert callbacks == []
