"""Provincial schemes of two years with different weights, 66 zones' sub-scores through the API, and the gap
analysis of one zone with every number worked out by hand below."""

from decimal import Decimal as D

import pytest

from assessments.models import Evaluation, Flag, Ranking
from evaluations.models import EvaluationResult, SubScore
from evaluations.selectors import scheme_get, zone_gap
from evaluations.services import EvaluationError, SubIndicatorSpec, scheme_define

CODES = ("innovation", "industry", "opening", "green")
GROUPS = {"innovation": "创新能力", "industry": "产业发展", "opening": "开放合作", "green": "绿色发展"}
WEIGHTS = {2023: (25, 35, 20, 20), 2024: (30, 30, 20, 20)}


def define(year):
    return scheme_define(
        kind="provincial",
        year=year,
        title=f"{year}年全省开发区高质量发展评价",
        sub_indicators=[
            SubIndicatorSpec(
                group=GROUPS[code],
                code=code,
                name=GROUPS[code],
                weight=D(weight),
                feeds=("industrial-output",) if code == "industry" else (),
            )
            for code, weight in zip(CODES, WEIGHTS[year], strict=True)
        ],
    )


def row(year, zone, scores, **extra):
    return {
        "year": year,
        "zone": zone,
        **extra,
        "sub_scores": [
            {"indicator": c, "score": str(s), "value": str(s / 10)} for c, s in zip(CODES, scores, strict=True)
        ],
    }


def year_rows(year, lufeng, wuding, portal_codes):
    """66 zones: three leaders outside the prefecture (90/80/60/70), lufeng and wuding as given, the rest 50s."""
    rows = [row(year, f"yn-lead-{i}", (90, 80, 60, 70), zone_name=f"省内领先开发区{i}") for i in range(3)]
    rows += [row(year, "lufeng", lufeng), row(year, "wuding", wuding)]
    others = [code for code in portal_codes if code not in ("lufeng", "wuding")]
    rows += [row(year, code, (50, 50, 50, 50)) for code in others]
    rows += [row(year, f"yn-{i:02d}", (40, 40, 40, 40), zone_name=f"省内开发区{i:02d}") for i in range(66 - len(rows))]
    return rows


@pytest.fixture
def portal_codes(plan):
    from parks.models import Zone

    return list(Zone.objects.values_list("code", flat=True))


def test_it_imports_two_years_and_names_the_sub_indicators_that_lost_the_points(
    sync, portal_codes, django_capture_on_commit_callbacks
):
    define(2023)
    define(2024)
    with django_capture_on_commit_callbacks(execute=True):
        response = sync.post(
            "/api/v1/evaluation-results/bulk/",
            year_rows(2023, (50, 70, 55, 20), (60, 60, 80, 50), portal_codes)
            + year_rows(2024, (40, 70, 55, 30), (60, 60, 80, 50), portal_codes),
            format="json",
        )
    assert response.status_code == 200, response.json()
    assert response.json()["created"] == 132
    assert EvaluationResult.objects.filter(scheme__year=2024).count() == 66

    scheme = scheme_get(kind="provincial", year=2024)
    lufeng = EvaluationResult.objects.get(scheme=scheme, zone_code="lufeng")
    # 2024 weights 30/30/20/20: 30×40% + 30×70% + 20×55% + 20×30% = 12 + 21 + 11 + 6 = 50
    assert lufeng.total == D("50.00") and lufeng.review == ""
    # 2023 weights 25/35/20/20 give the same scores other points: 12.5 + 24.5 + 11 + 4 = 52
    assert EvaluationResult.objects.get(scheme__year=2023, zone_code="lufeng").total == D("52.00")

    gap = zone_gap(scheme=scheme, zone_code="lufeng")
    assert [r.zone_code for r in gap.references] == ["yn-lead-0", "yn-lead-1", "yn-lead-2"]
    # Leaders earn 30×90% = 27, 30×80% = 24, 20×60% = 12, 20×70% = 14.
    # Lost: innovation 27 − 12 = 15, green 14 − 6 = 8, industry 24 − 21 = 3, opening 12 − 11 = 1.
    assert [(line.sub.code, line.row.gap) for line in gap.losses] == [
        ("innovation", D("15.00")),
        ("green", D("8.00")),
        ("industry", D("3.00")),
        ("opening", D("1.00")),
    ]
    moved = {line.sub.code: line.row.movement for line in gap.lines}
    # Each year under its own weights: innovation 12 vs 25×50% = 12.5; green 6 vs 20×20% = 4; industry 21 vs 24.5.
    assert moved == {"innovation": D("-0.50"), "green": D("2.00"), "industry": D("-3.50"), "opening": D("0.00")}
    assert [i.code for i in next(line for line in gap.lines if line.sub.code == "industry").sub.feeds.all()] == [
        "industrial-output"
    ]

    # Against wuding as the benchmark (60/60/80/50): innovation 18 − 12 = 6, opening 16 − 11 = 5,
    # green 10 − 6 = 4; industry 18 − 21 = −3 is no loss.
    benchmark = zone_gap(scheme=scheme, zone_code="lufeng", benchmark_code="wuding")
    assert [(line.sub.code, line.row.gap) for line in benchmark.losses] == [
        ("innovation", D("6.00")),
        ("opening", D("5.00")),
        ("green", D("4.00")),
    ]


def test_the_rankings_the_rules_read_come_from_the_results(sync, portal_codes, django_capture_on_commit_callbacks):
    define(2023)
    define(2024)
    with django_capture_on_commit_callbacks(execute=True):
        sync.post(
            "/api/v1/evaluation-results/bulk/",
            year_rows(2023, (50, 70, 55, 20), (60, 60, 80, 50), portal_codes)
            + year_rows(2024, (40, 70, 55, 30), (60, 60, 80, 50), portal_codes),
            format="json",
        )
    evaluation = Evaluation.objects.get(scheme="provincial", year=2024)
    assert evaluation.total_zones == 66
    ranking = Ranking.objects.get(evaluation=evaluation, zone__code="lufeng")
    result = EvaluationResult.objects.get(scheme__year=2024, zone_code="lufeng")
    assert (ranking.rank, ranking.score) == (result.rank, result.total)
    assert Ranking.objects.filter(evaluation=evaluation).count() == len(portal_codes)
    assert Flag.objects.filter(year=2024, rule="no_improvement", zone__code="lufeng").exists()


def test_a_total_that_is_not_the_weighted_sum_is_kept_and_marked_for_review(sync, portal_codes):
    define(2024)
    rows = year_rows(2024, (40, 70, 55, 30), (60, 60, 80, 50), portal_codes)
    rows[3]["total"] = "55.00"  # lufeng's sub-scores weigh 50.00
    assert sync.post("/api/v1/evaluation-results/bulk/", rows, format="json").status_code == 200
    lufeng = EvaluationResult.objects.get(zone_code="lufeng")
    assert (lufeng.total, lufeng.weighted_sum, lufeng.review) == (D("55.00"), D("50.00"), "total_mismatch")
    assert sync.get("/api/v1/evaluation-results/?review=total_mismatch").json()["results"][0]["zone"] == "lufeng"


def test_the_import_is_idempotent_atomic_and_dry_runs(sync, portal_codes):
    define(2024)
    rows = year_rows(2024, (40, 70, 55, 30), (60, 60, 80, 50), portal_codes)
    dry = sync.post("/api/v1/evaluation-results/bulk/?dry_run=true", rows, format="json")
    assert dry.status_code == 200 and dry.json()["created"] == 66 and not EvaluationResult.objects.exists()
    assert sync.post("/api/v1/evaluation-results/bulk/", rows, format="json").status_code == 200
    again = sync.post("/api/v1/evaluation-results/bulk/", rows, format="json").json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 66)
    stored = SubScore.objects.count()
    bad = [dict(r) for r in rows]
    bad[0] = row(2024, "yn-lead-0", (95, 80, 60, 70), zone_name="省内领先开发区0")
    bad[5] = {**bad[5], "sub_scores": bad[5]["sub_scores"][:3]}
    bad[6] = {**bad[6], "sub_scores": [{**bad[6]["sub_scores"][0], "score": 120}, *bad[6]["sub_scores"][1:]]}
    refused = sync.post("/api/v1/evaluation-results/bulk/", bad, format="json")
    assert refused.status_code == 400
    assert {(e["index"], e["field"]) for e in refused.json()["errors"]} == {
        (5, "sub_scores"),
        (6, "sub_scores[0].score"),
    }
    assert SubScore.objects.count() == stored
    assert not SubScore.objects.filter(result__zone_code="yn-lead-0", score=D("95")).exists()


@pytest.mark.parametrize(
    ("field", "sent", "status"),
    [
        ("score", "abc", 400),  # neither a number nor a decimal string: breaks the schema
        ("score", True, 400),
        ("score", {"points": 62}, 400),
        ("score", 120, 400),  # a number beyond the schema's 0–100
        ("score", "120", 409),  # a decimal string keeps to the schema, which cannot bound a string: refused
        ("score", "62.555", 409),  # more than 2 decimals
        ("score", 62.555, 409),
        ("value", "abc", 400),
        ("value", "1,2,3", 409),  # shaped like a number, separators out of place
        ("total", "abc", 400),
        ("total", [78], 400),
        ("total", "78.405", 409),
    ],
)
def test_a_decimal_the_schema_allows_but_the_import_cannot_take_is_a_409_anything_else_a_400(
    sync, plan, field, sent, status
):
    # These were all 409, "well-formed but refused", though "abc" or true is no number at all (the indicator values'
    # and the rankings' imports answered 400).
    define(2024)
    body = row(2024, "lufeng", (1, 2, 3, 4))
    if field == "total":
        body["total"] = sent
        where = "total"
    else:
        body["sub_scores"][2][field] = sent
        where = f"sub_scores[2].{field}"
    response = sync.post("/api/v1/evaluation-results/bulk/", [body], format="json")
    assert response.status_code == status, response.json()
    assert [(e["index"], e["field"]) for e in response.json()["errors"]] == [(0, where)]
    assert not EvaluationResult.objects.exists()


def test_a_result_with_its_decimals_as_strings_is_read(sync, plan):
    define(2024)
    body = row(2024, "lufeng", (62, 70, 55, 30), total="54.20")
    assert sync.post("/api/v1/evaluation-results/bulk/", [body], format="json").status_code == 200
    result = EvaluationResult.objects.get(zone_code="lufeng")
    assert result.total == D("54.20")
    assert result.sub_scores.get(sub_indicator__code="innovation").score == D("62")


def test_a_year_without_a_scheme_and_an_unknown_outside_zone_are_refused(sync, plan):
    response = sync.post(
        "/api/v1/evaluation-results/bulk/",
        [row(2024, "lufeng", (1, 2, 3, 4)), row(2024, "yn-x", (1, 2, 3, 4))],
        format="json",
    )
    assert response.status_code == 409  # well-formed rows, refused: no scheme for the year, no name for the zone
    fields = {(e["index"], e["field"]) for e in response.json()["errors"]}
    assert fields == {(0, "year"), (1, "zone_name")}


def test_a_scheme_whose_weights_do_not_make_100_is_refused(plan):
    with pytest.raises(EvaluationError, match="100"):
        scheme_define(
            kind="provincial",
            year=2024,
            title="x",
            sub_indicators=[SubIndicatorSpec(group="创新能力", code="a", name="a", weight=D(60))],
        )


def test_only_writers_may_bulk_import(token_client, alice, plan):
    assert token_client(alice).post("/api/v1/evaluation-results/bulk/", [], format="json").status_code == 403


def test_the_zone_page_and_the_gap_page_show_where_the_points_were_lost(sync, portal_codes, client_for, olga, sam):
    define(2023)
    define(2024)
    sync.post(
        "/api/v1/evaluation-results/bulk/",
        year_rows(2023, (50, 70, 55, 20), (60, 60, 80, 50), portal_codes)
        + year_rows(2024, (40, 70, 55, 30), (60, 60, 80, 50), portal_codes),
        format="json",
    )
    html = client_for(olga).get("/zones/lufeng/").content.decode()
    table = html.split('id="zone-gap"')[1].split("</table>")[0]
    assert table.index("创新能力") < table.index("绿色发展") < table.index("产业发展")
    assert "15.00" in table and "开放合作" not in table  # the three biggest losses only

    page = client_for(sam).get("/evaluations/provincial/2024/zones/lufeng/?benchmark=wuding").content.decode()
    rows = page.split('id="gap"')[1].split("</table>")[0]
    assert [rows.index(f'data-code="{c}"') for c in ("innovation", "opening", "green", "industry")] == sorted(
        rows.index(f'data-code="{c}"') for c in ("innovation", "opening", "green", "industry")
    )
    assert "对标：武定" in page
    assert client_for(sam).get("/evaluations/provincial/2024/zones/wuding/").status_code == 403


def _flags():
    return sorted(
        Flag.objects.values_list("zone__code", "year", "rule", "outcome", "state", "evidence", "reason"),
        key=lambda f: (f[0], f[1], f[2]),
    )


def test_the_rules_fire_exactly_as_with_imported_rankings(sync, portal_codes, django_capture_on_commit_callbacks):
    """The same places reached through /rankings/bulk/ and through sub-score results give the same flags."""
    define(2023)
    define(2024)
    rows = year_rows(2023, (50, 70, 55, 20), (10, 10, 10, 10), portal_codes) + year_rows(
        2024, (40, 70, 55, 30), (5, 5, 5, 5), portal_codes
    )
    ranks = {2023: {}, 2024: {}}
    with django_capture_on_commit_callbacks(execute=True):
        assert sync.post("/api/v1/evaluation-results/bulk/", rows, format="json").status_code == 200
    for result in EvaluationResult.objects.filter(zone__isnull=False).select_related("scheme"):
        ranks[result.scheme.year][result.zone_code] = (result.rank, str(result.total), result.funding_awarded)
    from_results = _flags()
    assert {f[2] for f in from_results if f[3] == "fired"} >= {"bottom_five", "bottom_five_twice", "no_improvement"}

    Flag.history.model.objects.all().delete()
    Flag.objects.all().delete()
    Ranking.objects.all().delete()
    Evaluation.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        response = sync.post(
            "/api/v1/rankings/bulk/",
            [
                {
                    "year": year,
                    "zone": code,
                    "rank": rank,
                    "total_zones": 66,
                    "score": total,
                    "funding_awarded": funding,
                }
                for year, by_zone in ranks.items()
                for code, (rank, total, funding) in by_zone.items()
            ],
            format="json",
        )
    assert response.status_code == 200, response.content.decode()[:600]
    assert _flags() == from_results


def test_a_result_import_leaves_the_rankings_of_zones_it_does_not_change_as_imported_since(
    sync, portal_codes, django_capture_on_commit_callbacks
):
    """/rankings/bulk/ sets wuding's place after the results came in; a later result import that changes lufeng only
    derives lufeng's ranking (and those whose rank it moved) — wuding's stays as the province last sent it."""
    define(2024)
    rows = year_rows(2024, (40, 70, 55, 30), (60, 60, 80, 50), portal_codes)
    with django_capture_on_commit_callbacks(execute=True):
        assert sync.post("/api/v1/evaluation-results/bulk/", rows, format="json").status_code == 200
        ranking = {"year": 2024, "zone": "wuding", "rank": 63, "total_zones": 66, "funding_awarded": False}
        assert sync.post("/api/v1/rankings/bulk/", [ranking], format="json").status_code == 200
    wuding = Ranking.objects.get(evaluation__year=2024, zone__code="wuding")
    assert (
        wuding.rank == 63
        and Flag.objects.filter(
            year=2024, zone__code="wuding", rule="bottom_five", outcome="fired", state="open"
        ).exists()
    )

    rows = year_rows(2024, (45, 70, 55, 30), (60, 60, 80, 50), portal_codes)  # lufeng's innovation score only
    with django_capture_on_commit_callbacks(execute=True):
        assert sync.post("/api/v1/evaluation-results/bulk/", rows, format="json").json()["updated"] == 1
    wuding.refresh_from_db()
    assert wuding.rank == 63
    assert Flag.objects.filter(
        year=2024, zone__code="wuding", rule="bottom_five", outcome="fired", state="open"
    ).exists()
    lufeng = Ranking.objects.get(evaluation__year=2024, zone__code="lufeng")
    result = EvaluationResult.objects.get(scheme__year=2024, zone_code="lufeng")
    assert (lufeng.rank, lufeng.score) == (result.rank, result.total) and result.total == D("51.5")
