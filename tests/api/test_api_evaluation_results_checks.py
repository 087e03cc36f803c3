"""What the evaluation-results import refuses beyond the shape of a row: a code longer than its column, a rank beyond
the year's zones, a zone code in another case or under another's name, a prefecture zone under another name; and a
result sent back as the list gave it is unchanged."""

from decimal import Decimal as D

import pytest
from test_api_evaluation_results import define, row, year_rows

from evaluations.models import EvaluationResult

URL = "/api/v1/evaluation-results/bulk/"


@pytest.fixture
def year_2024(sync, plan):
    """The 66 zones of 2024, imported."""
    from parks.models import Zone

    define(2024)
    codes = list(Zone.objects.values_list("code", flat=True))
    rows = year_rows(2024, (40, 70, 55, 30), (60, 60, 80, 50), codes)
    assert sync.post(URL, rows, format="json").status_code == 200
    return rows


def errors(response) -> list[tuple]:
    return [(e["index"], e["field"]) for e in response.json()["errors"]]


def test_it_refuses_a_zone_code_longer_than_its_column_as_outside_the_schema(sync, plan):
    # PostgreSQL refused to store it (varchar(40)): a 500; SQLite kept it.
    define(2024)
    response = sync.post(URL, [row(2024, "y" * 41, (1, 2, 3, 4), zone_name="长代码开发区")], format="json")
    assert response.status_code == 400, response.json()
    assert errors(response) == [(0, "zone")]
    assert "最多 40 个字符" in response.json()["errors"][0]["message"]
    fits = row(2024, "y" * 40, (1, 2, 3, 4), zone_name="长代码开发区")
    assert sync.post(URL, [fits], format="json").status_code == 200


def test_it_refuses_a_sub_indicator_code_longer_than_its_column_as_outside_the_schema(sync, plan):
    define(2024)
    body = row(2024, "lufeng", (1, 2, 3, 4))
    body["sub_scores"][1]["indicator"] = "x" * 41
    response = sync.post(URL, [body], format="json")
    assert response.status_code == 400
    assert errors(response) == [(0, "sub_scores[1].indicator")]


def test_it_refuses_a_rank_beyond_the_zones_ranked_that_year(sync, year_2024):
    response = sync.post(URL, [row(2024, "lufeng", (40, 70, 55, 30), rank=9999)], format="json")
    assert response.status_code == 409
    assert errors(response) == [(0, "rank")]
    assert "不能大于2024年参评开发区数（66" in response.json()["errors"][0]["message"]
    assert EvaluationResult.objects.get(zone_code="lufeng").stated_rank is None
    # The last place is a place; with a 67th zone in the same batch, so is 67.
    assert sync.post(URL, [row(2024, "lufeng", (40, 70, 55, 30), rank=66)], format="json").status_code == 200
    newcomer = row(2024, "yn-new", (1, 1, 1, 1), zone_name="省内新开发区")
    both = [row(2024, "lufeng", (40, 70, 55, 30), rank=67), newcomer]
    assert sync.post(URL, both, format="json").status_code == 200


def test_a_code_in_another_case_is_refused_not_taken_for_a_new_zone(sync, year_2024):
    # "LUFENG" made a 67th result, and moved N for every zone.
    response = sync.post(URL, [row(2024, "LUFENG", (40, 70, 55, 30), zone_name="禄丰产业园区")], format="json")
    assert response.status_code == 409
    assert errors(response) == [(0, "zone")]
    assert "请使用“lufeng”" in response.json()["errors"][0]["message"]
    outside = sync.post(URL, [row(2024, "YN-LEAD-0", (90, 80, 60, 70), zone_name="省内领先开发区0")], format="json")
    assert outside.status_code == 409 and "请使用“yn-lead-0”" in outside.json()["errors"][0]["message"]
    assert EvaluationResult.objects.filter(scheme__year=2024).count() == 66


def test_two_rows_of_one_code_in_two_cases_are_one_zone_twice(sync, plan):
    define(2024)
    rows = [row(2024, "yn-a", (1, 2, 3, 4), zone_name="甲"), row(2024, "YN-A", (1, 2, 3, 4), zone_name="甲")]
    response = sync.post(URL, rows, format="json")
    assert response.status_code == 409 and (1, None) in errors(response)


def test_a_new_code_under_the_name_of_another_codes_result_is_refused(sync, year_2024):
    response = sync.post(URL, [row(2024, "nowhere", (40, 40, 40, 40), zone_name="省内开发区00")], format="json")
    assert response.status_code == 409
    assert errors(response) == [(0, "zone")]
    assert "名称“省内开发区00”已用于代码“yn-00”" in response.json()["errors"][0]["message"]
    assert EvaluationResult.objects.filter(scheme__year=2024).count() == 66


def test_a_prefecture_zones_code_under_another_name_is_refused(sync, year_2024):
    response = sync.post(URL, [row(2024, "wuding", (60, 60, 80, 50), zone_name="昆明高新区")], format="json")
    assert response.status_code == 409
    assert errors(response) == [(0, "zone_name")]
    assert EvaluationResult.objects.get(zone_code="wuding").zone_name != "昆明高新区"


def test_a_result_sent_back_as_the_list_gave_it_is_unchanged_and_keeps_following_its_sub_scores(sync, year_2024):
    listed = sync.get("/api/v1/evaluation-results/?year=2024&zone=lufeng&scheme=provincial").json()["results"]
    (result,) = listed
    body = {key: result[key] for key in ("scheme", "year", "zone", "zone_name", "total", "rank", "funding_awarded")}
    body["sub_scores"] = [
        {key: score[key] for key in ("indicator", "value", "score", "rank")} for score in result["sub_scores"]
    ]
    answer = sync.post(URL, [body], format="json").json()
    assert (answer["created"], answer["updated"], answer["unchanged"]) == (0, 0, 1), answer
    stored = EvaluationResult.objects.get(zone_code="lufeng")
    assert (stored.stated_total, stored.stated_rank) == (None, None)
    # The total still follows the sub-scores.
    body["sub_scores"][0]["score"] = "60.00"
    body.pop("total"), body.pop("rank")
    assert sync.post(URL, [body], format="json").status_code == 200
    stored.refresh_from_db()
    assert stored.total == stored.weighted_sum != D(result["total"])


def test_a_stated_total_or_rank_other_than_the_computed_one_is_kept(sync, year_2024):
    body = row(2024, "lufeng", (40, 70, 55, 30), total="51.00", rank=3)
    assert sync.post(URL, [body], format="json").status_code == 200
    stored = EvaluationResult.objects.get(zone_code="lufeng")
    assert (stored.stated_total, stored.stated_rank, stored.total, stored.rank) == (D("51.00"), 3, D("51.00"), 3)
