"""No input, however malformed, gets a 500: bad bodies, bad types, huge payloads, odd query strings."""

import json

import pytest
from api_rows import value_row

from assessments.models import Ranking
from chuxiong_portal.api_support import MAX_BULK_BODY_BYTES
from indicators.models import IndicatorValue

BULK_URLS = ["/api/v1/indicator-values/bulk/", "/api/v1/rankings/bulk/"]

RAW_BODIES = [
    b"",
    b"{",
    b"[",
    b"nul",
    b"[1,]",
    b"\xff\xfe[]",
    b"NaN",
    b"[NaN]",
    b"[Infinity]",
    b'{"a": 1}',
    b'"rows"',
    b"42",
    b"null",
    b"true",
    b"[" * 50_000 + b"]" * 50_000,
    b'[{"zone": "\\ud800"}]',
    b"[1e400]",
    b'[{"value": 1e400}]',
    b"[" + b"9" * 5000 + b"]",
    '["中文"]'.encode("gbk"),
]

BAD_ROWS = [
    1,
    "x",
    None,
    True,
    [],
    [1, 2],
    {},
    {"zone": None},
    {"zone": 1, "indicator": 2, "period": 3, "value": 4},
    {
        "zone": "\ud800",
        "indicator": "industrial-output",
        "period": {"cadence": "monthly", "year": 2024, "index": 1},
        "value": 1,
    },
    value_row(note="\x00"),
    value_row(note="\ud800 note"),
    value_row(note="x" * 100_000),
    value_row(zone="x" * 10_000),
    value_row(zone="lufeng\x00"),
    value_row(indicator="%"),
    value_row(value="1" * 10_000),
    value_row(value=1e308),
    value_row(value=-1e-300),
    value_row(value="0x10"),
    value_row(value={"a": 1}),
    value_row(value=[1]),
    value_row(value="١٢"),
    value_row(value=" "),
    value_row(value="1e-999999999"),
    value_row(value="9" * 30),
    value_row(value="-0"),
    {
        "zone": "lufeng",
        "indicator": "industrial-output",
        "period": {"cadence": ["monthly"], "year": {}, "index": []},
        "value": 1,
    },
    {
        "zone": "lufeng",
        "indicator": "industrial-output",
        "period": {"cadence": "monthly", "year": 2**70, "index": 1},
        "value": 1,
    },
    {
        "zone": "lufeng",
        "indicator": "industrial-output",
        "period": {"cadence": "monthly", "year": 2024.5, "index": 1},
        "value": 1,
    },
    {
        "zone": "lufeng",
        "indicator": "industrial-output",
        "period": {"cadence": "monthly", "year": "2024", "index": "-1"},
        "value": 1,
    },
    value_row(done_on="2024-02-30"),
    value_row(done_on="9999-99-99"),
    value_row(done_on=20240101),
    value_row(done_on="0001-01-01"),
    value_row(indicator="seven-connections", cadence="quarterly", index=1, done_on="24-1-1", value=1),
    {"year": 2**63, "zone": "lufeng", "rank": -1, "total_zones": 1e10, "score": "NaN", "funding_awarded": None},
    {"year": 2024, "zone": "lufeng", "rank": 1, "total_zones": 66, "score": 1e300},
    {"year": 2024, "zone": "lufeng", "rank": 1, "total_zones": 66, "score": "12.345"},
    {"year": 2024, "zone": {"code": "lufeng"}, "rank": "1", "total_zones": "66", "scheme": ["national"]},
    {"year": True, "zone": "lufeng", "rank": True, "total_zones": True},
]


@pytest.mark.parametrize("url", BULK_URLS)
@pytest.mark.parametrize("body", RAW_BODIES, ids=lambda b: repr(b[:20]))
def test_it_never_answers_500_to_a_raw_body(sync, url, body):
    response = sync.generic("POST", url, body, content_type="application/json")
    assert response.status_code in (400, 413), response.content[:300]
    data = response.json()
    assert data["detail"] and isinstance(data["errors"], list)
    assert not IndicatorValue.objects.filter(source="province").exists() and not Ranking.objects.exists()


@pytest.mark.parametrize("url", BULK_URLS)
@pytest.mark.parametrize("bad", BAD_ROWS, ids=lambda r: repr(r)[:40])
def test_it_never_answers_500_to_a_bad_row_and_writes_nothing(sync, url, bad):
    good = value_row() if "indicator" in url else {"year": 2024, "zone": "wuding", "rank": 2, "total_zones": 66}
    body = json.dumps([good, bad]).encode()  # ASCII-escaped, so lone surrogates travel as \ud800
    response = sync.generic("POST", url, body, content_type="application/json")
    # 400 when the row breaks the published schema, 409 when it is well-formed but refused (which of the two is
    # checked case by case in test_api_values_bulk, test_api_rankings_bulk and by the schemathesis run).
    assert response.status_code in (400, 409), response.content[:300]
    assert response.json()["errors"], response.json()
    assert all(e["index"] == 1 for e in response.json()["errors"])
    assert not IndicatorValue.objects.filter(source="province").exists() and not Ranking.objects.exists()


@pytest.mark.parametrize("url", BULK_URLS)
def test_it_refuses_a_batch_over_10000_rows_clearly(sync, url):
    response = sync.post(url, [{}] * 10_001, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"index": None, "field": None, "message": "一次最多提交 10000 行，本次为 10001 行，请分批提交。"}
    ]


@pytest.mark.parametrize("url", BULK_URLS)
def test_it_refuses_a_body_over_the_cap_with_413(sync, url):
    body = json.dumps([value_row(note="x" * 1000)] * (MAX_BULK_BODY_BYTES // 1000 + 10)).encode()
    response = sync.generic("POST", url, body, content_type="application/json")
    assert response.status_code == 413
    assert "请求体过大" in response.json()["detail"]


@pytest.mark.parametrize("url", BULK_URLS)
@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "application/xml"]
)
def test_it_refuses_other_content_types_with_415(sync, url, content_type):
    response = sync.generic("POST", url, b"[]", content_type=content_type)
    assert response.status_code == 415
    assert response.json()["detail"]


@pytest.mark.parametrize("url", BULK_URLS)
def test_it_answers_400_to_a_bad_dry_run_flag(sync, url):
    response = sync.post(f"{url}?dry_run=perhaps", [], format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "dry_run"


@pytest.mark.parametrize(
    "query",
    [
        "/api/v1/indicator-values/?year=99999999999999999999",
        "/api/v1/indicator-values/?year=-1e400",
        "/api/v1/indicator-values/?updated_since=0001-01-01T00:00:00%2B14:00",
        "/api/v1/indicator-values/?updated_since=9999-12-31T23:59:59-14:00",
        "/api/v1/evaluations/?updated_since=0116-03-24T12:06:33-17:50",
        "/api/v1/flags/?updated_since=2024-01-01T00:00%2B23:59",
        "/api/v1/indicator-values/?cursor=MjAyNC0wMS0wMVQwMDowMDowMC0xNzo1MHwx",
        "/api/v1/indicator-values/?period_from=0001-01-01&period_to=9999-12-31",
        "/api/v1/indicator-values/?zone=%00",
        "/api/v1/indicator-values/?indicator=%00&cluster=%00",
        "/api/v1/indicator-values/?cursor=MDAwMS0wMS0wMVQwMDowMDowMCsxNDowMHwx",
        "/api/v1/indicator-values/?page_size=-5",
        "/api/v1/indicator-values/?page_size=999999999999999999999",
        "/api/v1/targets/99999999999999999999/",
        "/api/v1/targets/?year=99999999999999999999",
        "/api/v1/targets/?page=99999",
        "/api/v1/targets/?page=0",
        "/api/v1/targets/?page_size=abc",
        "/api/v1/tasks/?programme=1e999",
        "/api/v1/tasks/?department=%00",
        "/api/v1/tasks/9999/",
        "/api/v1/flags/?year=1.5",
        "/api/v1/flags/?year=-99999999999999999999",
        "/api/v1/rankings/?scheme=%00",
        "/api/v1/progress/?target=99999999999999999999",
        "/api/v1/progress/?updated_since=%00",
        "/api/v1/reconciliation/?year=99999999999999999999",
        "/api/v1/reconciliation/?page=abc",
        "/api/v1/zones/%00/",
        "/api/v1/departments/?task=abc",
        "/api/v1/indicators/?owner=%00",
        "/api/v1/evaluations/99999999999999999999/",
        "/api/v1/rankings/-1/",
    ],
)
def test_it_never_answers_500_to_an_odd_query_string(sync, query):
    response = sync.get(query)
    assert response.status_code in (200, 400, 404), (query, response.status_code)
    if response.status_code != 200 and response["Content-Type"].startswith("application/json"):
        assert response.json()["detail"]


@pytest.mark.parametrize("page", ["abc", "0", "-1", "2.5", "1e3", "99999999999999999999"])
def test_a_page_number_that_is_not_a_whole_number_from_1_is_a_400_naming_the_page(sync, page):
    # As every malformed value (README, "Filters and the schema"); DRF answered these 404 「无效页面。」, the answer
    # for a page past the end, so a client could not tell a typo from the end of the list.
    response = sync.get(f"/api/v1/targets/?page={page}")
    assert response.status_code == 400, (page, response.status_code)
    assert response.json()["errors"] == [{"index": None, "field": "page", "message": "页码应为从1起的整数。"}]


def test_a_page_past_the_last_is_a_404_and_a_whole_page_number_still_reads(sync):
    assert sync.get("/api/v1/targets/?page=99999").status_code == 404
    first = sync.get("/api/v1/targets/?page=1&page_size=2").json()
    assert sync.get("/api/v1/targets/?page=01&page_size=2").json() == first
    assert sync.get("/api/v1/targets/?page=last&page_size=1000").status_code == 200


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_body_that_is_not_json_is_told_where_in_the_readers_language(sync, language):
    # The decoder's English ("Expecting property name enclosed in double quotes: line 1 column 2 (char 1)") was put
    # inside the Chinese sentence.
    response = sync.generic(
        "POST", BULK_URLS[0], b"{not json", content_type="application/json", HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "Expecting" not in detail and "char" not in detail
    if language == "zh-hans":
        assert detail == "请求体不是有效的 JSON：第 1 行第 2 列有误。"
    body = sync.generic("POST", BULK_URLS[0], b"[1,\n NaN]", content_type="application/json")
    assert "NaN" not in body.json()["detail"] and body.status_code == 400
