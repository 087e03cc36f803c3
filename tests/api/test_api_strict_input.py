"""The API reads exactly what was sent or refuses it: exact numbers, no repeated keys, rankings that make sense;
a database busy with other writers is a 503 "try again" with nothing written; zone users read other zones'
unpublished figures nowhere."""

from decimal import Decimal

import pytest
from django.db import OperationalError, connection

from assessments.models import Ranking
from chuxiong_portal.api_support import loads_strict
from indicators.models import DispatchReport, IndicatorValue, ProgressResult, ReportingPeriod, Target

pytestmark = pytest.mark.django_db


def province_values():
    return IndicatorValue.objects.filter(source=IndicatorValue.Source.PROVINCE)


def post_raw(client, body: str):
    return client.generic("POST", "/api/v1/indicator-values/bulk/", body, content_type="application/json")


# Shaped like a number but with separators out of place: well-formed, refused (409); not even shaped like one: 400.
@pytest.mark.parametrize(
    "value, status", [("1,2,3", 409), ("1_000", 400), ("12,34", 409), ("1e3", 400), ("１,２,３", 409)]
)
def test_a_value_string_that_is_not_a_plain_number_is_a_row_error(sync, push_values, row, value, status):
    response = push_values(sync, [row(value=value)])
    assert response.status_code == status
    assert response.json()["errors"][0]["field"] == "value"
    assert not province_values().exists()


@pytest.mark.parametrize("value, stored", [("1,234.5", "1234.5"), ("１２３４．５", "1234.5"), ("+12", "12")])
def test_a_value_string_with_proper_separators_or_full_width_digits_is_read(sync, push_values, row, value, stored):
    assert push_values(sync, [row(value=value)]).status_code == 200
    assert province_values().get().value == Decimal(stored)


def test_json_numbers_are_parsed_as_decimals():
    assert loads_strict('{"value": 1234567890123.4567, "n": 3}') == {"value": Decimal("1234567890123.4567"), "n": 3}


def test_a_json_number_is_stored_exactly_not_as_a_binary_float(sync, row):
    body = (
        '[{"zone": "lufeng", "indicator": "industrial-output", '
        '"period": {"cadence": "monthly", "year": 2024, "index": 3}, "value": 1234567890123.4567}]'
    )
    assert post_raw(sync, body).status_code == 200
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps decimals as 8-byte reals: 17 significant digits are beyond its storage")
    assert province_values().get().value == Decimal("1234567890123.4567")


def test_a_tiny_json_number_is_refused_not_stored_as_zero(sync):
    body = (
        '[{"zone": "lufeng", "indicator": "industrial-output", '
        '"period": {"cadence": "monthly", "year": 2024, "index": 3}, "value": 1e-400}]'
    )
    response = post_raw(sync, body)
    assert response.status_code == 409 and response.json()["errors"][0]["field"] == "value"
    assert not province_values().exists()


def test_a_repeated_key_in_a_row_is_refused(sync):
    body = (
        '[{"zone": "lufeng", "indicator": "industrial-output", '
        '"period": {"cadence": "monthly", "year": 2024, "index": 3}, "value": "abc", "value": "1"}]'
    )
    response = post_raw(sync, body)
    assert response.status_code == 400
    assert "value" in response.json()["detail"] and "重复" in response.json()["detail"]
    assert not province_values().exists()


def ranking(zone, rank, **extra):
    return {"year": 2024, "zone": zone, "rank": rank, "total_zones": 66, **extra}


@pytest.mark.parametrize(
    "rows, field, status",
    [
        ([ranking("lufeng", 3, score=-5)], "score", 400),
        ([ranking("lufeng", 3, score=100.5)], "score", 400),  # a number beyond the schema's 0–100
        ([ranking("lufeng", 3, score="abc")], "score", 400),
        ([ranking("lufeng", 3, score="100.5")], "score", 409),  # a decimal string keeps to the schema: refused
        ([ranking("lufeng", 3, score="85.555")], "score", 409),
        ([ranking("lufeng", 3, funding_awarded=None)], "funding_awarded", 400),
        ([ranking("lufeng", 3, funding_awarded=1)], "funding_awarded", 400),
        ([ranking("lufeng", 3, funding_awarded="true")], "funding_awarded", 400),
    ],
)
def test_rankings_out_of_range_not_boolean_or_sharing_a_rank_are_refused(sync, push_rankings, rows, field, status):
    response = push_rankings(sync, rows)
    assert response.status_code == status, response.json()
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not Ranking.objects.exists()


def test_a_rank_already_held_by_a_zone_left_out_of_the_batch_is_a_tied_place(sync, push_rankings):
    # Ties are the province's 并列 places (test_api_rankings_bulk.py): one zone's place does not bar another's.
    assert push_rankings(sync, [ranking("lufeng", 3, score="99.5")]).status_code == 200
    assert push_rankings(sync, [ranking("wuding", 3), ranking("mouding", 3)]).status_code == 200
    assert dict(Ranking.objects.values_list("zone__code", "rank")) == {"lufeng": 3, "wuding": 3, "mouding": 3}


def test_a_busy_database_is_a_503_with_retry_after_in_the_error_shape(sync, push_values, row, monkeypatch):
    from indicators import api

    def busy(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(api.services, "values_import", busy)
    response = push_values(sync, [row()])
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    body = response.json()
    assert body["errors"] == [] and "请稍后重试" in body["detail"]


# --------------------------------------------------------------------------- zone users and unpublished data


@pytest.fixture
def wuding_draft(plan, olga):
    """武定's March 2024 report, saved as a draft with an output value; and lufeng's own draft."""
    from indicators.reporting.services import ReportInput, report_save

    report = DispatchReport.objects.create(
        zone=plan["wuding"], period=ReportingPeriod.objects.get(cadence="monthly", year=2024, index=3)
    )
    values = {"industrial-output__zone__wuding": (Decimal("77"), None)}
    return report_save(report=report, user=olga, data=ReportInput(values=values), version=report.version, submit=False)


def test_zone_users_read_other_zones_values_only_once_approved(wuding_draft, leo, token_client, olga):
    from indicators.reporting.services import report_approve, report_save

    leader = token_client(leo)
    codes = {row["zone"] for row in leader.get("/api/v1/indicator-values/").json()["results"]}
    assert "wuding" not in codes
    assert any(r["zone"] == "wuding" for r in token_client(olga).get("/api/v1/indicator-values/").json()["results"])

    submitted = report_save(
        report=wuding_draft, user=olga, data=_same(wuding_draft), version=wuding_draft.version, submit=True
    )
    report_approve(report=submitted, user=olga, version=submitted.version)
    codes = {row["zone"] for row in leader.get("/api/v1/indicator-values/").json()["results"]}
    assert "wuding" in codes


def _same(report):
    """The draft's output value, and every other number the period asks for (a zone report submits complete)."""
    from indicators.reporting.services import ReportInput
    from indicators.selectors import report_slots

    values = {slot.key: (Decimal(1), None) for slot in report_slots(report) if not slot.is_milestone}
    values["industrial-output__zone__wuding"] = (Decimal("77"), None)
    return ReportInput(work_done="已核实", values=values)


def test_zone_users_read_only_their_own_zones_progress_results(plan, leo, token_client, olga):
    from indicators.progress.services import progress_recompute

    progress_recompute()
    zones = {
        t.zone.code for t in Target.objects.filter(results__isnull=False, zone__isnull=False).select_related("zone")
    }
    assert {"lufeng", "wuding"} <= zones
    leader_rows = token_client(leo).get("/api/v1/progress/?page_size=1000").json()["results"]
    assert leader_rows and all(row["target"]["zone"] in (None, "lufeng") for row in leader_rows)
    assert ProgressResult.objects.filter(target__zone__code="wuding").exists()


@pytest.mark.parametrize(
    "query",
    ["page_size=-5", "page_size=2.5", "page_size=0", "page_size=1001", "page_size=", "zone=", "year=2024.5", "year="],
)
@pytest.mark.parametrize("path", ["/api/v1/indicator-values/", "/api/v1/targets/"])
def test_a_bad_page_size_or_an_empty_or_fractional_filter_is_a_400(sync, path, query):
    response = sync.get(f"{path}?{query}")
    assert response.status_code == 400, (path, query, response.status_code)
    assert response.json()["errors"]


def test_an_unknown_api_path_is_a_json_404(sync):
    response = sync.get("/api/v1/departments/%C2%84/")
    assert response.status_code == 404 and response.json() == {"detail": "未找到。", "errors": []}


@pytest.mark.parametrize(("language", "words"), [("zh-hans", "未找到。"), ("en", "Not found.")])
@pytest.mark.parametrize(
    "path", ["/api/v1/tasks/27/", "/api/v1/zones/nosuch/", "/api/v1/targets/999999/", "/api/v1/departments/x/"]
)
def test_an_unknown_row_is_not_found_in_the_readers_language(sync, path, language, words):
    """Not Django's "No Task matches the given query." for every reader: DRF's NotFound, translated."""
    response = sync.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404 and response.json() == {"detail": words, "errors": []}


@pytest.mark.parametrize("query", ["zone=lu%00feng", "indicator=%00", "plan=zones%002023"])
def test_a_nul_character_in_a_filter_names_nothing_and_is_no_500(sync, query):
    # PostgreSQL cannot compare a text with a NUL in it: no code has one, so such a filter matches nothing (and a
    # plan of such a code does not exist: 404), on both databases.
    response = sync.get(f"/api/v1/indicator-values/?{query}")
    if query.startswith("plan="):
        assert response.status_code == 404 and response.json()["errors"] == []
    else:
        assert response.status_code == 200 and response.json()["results"] == []


def test_a_units_draft_figure_for_a_zone_is_not_that_zones_until_approved(plan, leo, alice, token_client, olga):
    """A department's report is the department's until approved, on the report page and in the API alike: the
    figure it holds for 禄丰 is not read by 禄丰's users before."""
    from indicators.models import Indicator, IndicatorValue
    from tasks.models import Task

    period = ReportingPeriod.objects.get(cadence="monthly", year=2024, index=3)
    report = DispatchReport.objects.create(department=plan["ndrc"], task=Task.objects.get(number=14), period=period)
    value = IndicatorValue.objects.create(
        indicator=Indicator.objects.get(code="industrial-output"),
        scope="zone",
        zone=plan["lufeng"],
        period=period,
        value=Decimal("88"),
        report=report,
    )

    def ids(user):
        return {row["id"] for row in token_client(user).get("/api/v1/indicator-values/").json()["results"]}

    assert value.pk in ids(olga) and value.pk in ids(alice)
    assert value.pk not in ids(leo)
    assert token_client(leo).get(f"/api/v1/indicator-values/{value.pk}/").status_code == 404
    DispatchReport.objects.filter(pk=report.pk).update(state=DispatchReport.State.APPROVED)
    assert value.pk in ids(leo)


@pytest.mark.parametrize(
    ("language", "message", "detail"),
    [
        ("zh-hans", "得分必须是有效数字。", "共有 1 处错误，整批数据均未写入。"),
        ("en", "Score: Must be a valid number.", "1 error found; nothing in the batch was written."),
    ],
)
def test_a_row_error_reads_in_the_readers_language(sync, language, message, detail):
    # In English the field's name ran into the message ("ScoreMust be a valid number.") and one error was "1 errors".
    response = sync.post(
        "/api/v1/rankings/bulk/",
        [ranking("lufeng", 3, score="1,2,3")],
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 409
    assert response.json()["errors"] == [{"index": 0, "field": "score", "message": message}]
    assert response.json()["detail"] == detail


def test_an_indicator_values_error_names_the_indicator_before_the_message_in_english(sync, push_values, row):
    response = sync.post(
        "/api/v1/indicator-values/bulk/", [row(value="1,2,3"), row(value="x")], format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    errors = response.json()["errors"]
    assert [e["message"] for e in errors] == ["“工业总产值”: Must be a valid number."] * 2
    assert response.json()["detail"] == "2 errors found; nothing in the batch was written."
