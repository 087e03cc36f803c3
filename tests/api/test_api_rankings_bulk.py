"""POST /api/v1/rankings/bulk/: rankings upserted by (scheme, year, zone), and the flags they raise."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from assessments.models import Evaluation, Flag, Ranking


def _year(year, ranks, total=66, **extra):
    return [{"year": year, "zone": zone, "rank": rank, "total_zones": total, **extra} for zone, rank in ranks.items()]


def test_it_creates_evaluations_and_rankings(sync, push_rankings):
    response = push_rankings(
        sync,
        _year(2024, {"lufeng": 12, "wuding": 63})
        + [{"year": 2024, "zone": "mouding", "rank": 30, "total_zones": 66, "score": "85.5", "funding_awarded": True}],
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["created"], response.json()["updated"], response.json()["unchanged"]) == (3, 0, 0)
    evaluation = Evaluation.objects.get(scheme="provincial", year=2024)
    assert evaluation.total_zones == 66
    mouding = Ranking.objects.get(evaluation=evaluation, zone__code="mouding")
    assert (mouding.rank, mouding.score, mouding.funding_awarded) == (30, Decimal("85.50"), True)


def test_it_is_idempotent_and_updates_by_year_and_zone(sync, push_rankings):
    rows = _year(2024, {"lufeng": 12, "wuding": 63})
    push_rankings(sync, rows)
    stamps = list(Ranking.objects.order_by("pk").values_list("updated_at", flat=True))
    again = push_rankings(sync, rows)
    assert (again.json()["created"], again.json()["updated"], again.json()["unchanged"]) == (0, 0, 2)
    assert list(Ranking.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps
    changed = push_rankings(sync, _year(2024, {"lufeng": 10, "wuding": 63}))
    assert (changed.json()["updated"], changed.json()["unchanged"]) == (1, 1)
    assert Ranking.objects.get(zone__code="lufeng").rank == 10


def test_it_raises_flags_visible_in_the_api_when_rankings_are_imported(
    sync, push_rankings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = push_rankings(sync, _year(2023, {"wuding": 40}, total=64) + _year(2024, {"wuding": 63}))
    assert response.status_code == 200
    flags = sync.get("/api/v1/flags/?zone=wuding&year=2024").json()["results"]
    fired = {f["rule"] for f in flags if f["outcome"] == "fired"}
    assert {"bottom_five", "drop_over_ten", "no_improvement"} <= fired
    bottom = next(f for f in flags if f["rule"] == "bottom_five")
    assert bottom["responsible_party"] == "武定县人民政府"
    assert bottom["evidence"]["current_rank"] == 63 and bottom["evidence"]["current_total_zones"] == 66
    assert (
        sync.get("/api/v1/flags/?zone=wuding&year=2024&rule=bottom_five&state=open").json()["results"][0]["id"]
        == bottom["id"]
    )


def test_it_writes_nothing_and_raises_no_flag_in_a_dry_run(sync, push_rankings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = push_rankings(sync, _year(2024, {"wuding": 63}), dry_run="true")
    assert response.status_code == 200 and response.json()["created"] == 1
    assert callbacks == []
    assert not Ranking.objects.exists() and not Evaluation.objects.filter(year=2024).exists()
    assert not Flag.objects.exists()


def test_it_keeps_the_national_scheme_for_the_national_zone(sync, push_rankings):
    refused = push_rankings(sync, _year(2024, {"lufeng": 20}, total=178, scheme="national"))
    assert refused.status_code == 409  # well-formed, but 禄丰 is no national zone
    assert refused.json()["errors"][0]["field"] == "scheme"
    accepted = push_rankings(sync, _year(2024, {"chuxiong-hitech": 20}, total=178, scheme="national"))
    assert accepted.status_code == 200
    assert Ranking.objects.get().evaluation.scheme == "national"


# 400: the batch breaks the published schema; 409: well-formed, but refused (an unknown zone, a rule between rows).
@pytest.mark.parametrize(
    "rows, field, status",
    [
        (_year(2024, {"lufeng": 70}), "rank", 409),
        (_year(2024, {"lufeng": 0}), "rank", 400),
        (_year(2024, {"nowhere": 3}), "zone", 409),
        ([{"year": 2024, "zone": "lufeng", "rank": 3}], "total_zones", 400),
        ([{"year": "2024x", "zone": "lufeng", "rank": 3, "total_zones": 66}], "year", 400),
        (_year(2024, {"lufeng": 3}, score="abc"), "score", 400),
        (_year(2024, {"lufeng": 3}, funding_awarded="yes"), "funding_awarded", 400),
        (_year(2024, {"lufeng": 3}, scheme="global"), "scheme", 400),
        (_year(2024, {"lufeng": 3}) + _year(2024, {"wuding": 4}, total=60), "total_zones", 409),
        (_year(2024, {"lufeng": 3}) + _year(2024, {"lufeng": 4}), None, 409),
    ],
)
def test_it_rejects_bad_rows_and_writes_nothing(sync, push_rankings, rows, field, status):
    response = push_rankings(sync, _year(2023, {"mouding": 5}, total=64) + rows)
    assert response.status_code == status
    assert response.json()["errors"][0]["field"] == field
    assert not Ranking.objects.exists() and not Evaluation.objects.exists()


def test_it_refuses_a_total_below_an_existing_rank(sync, push_rankings):
    push_rankings(sync, _year(2024, {"lufeng": 60, "wuding": 3}))
    response = push_rankings(sync, _year(2024, {"wuding": 3}, total=50))
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "total_zones"
    ok = push_rankings(sync, _year(2024, {"wuding": 3, "lufeng": 45}, total=50))
    assert ok.status_code == 200
    assert Evaluation.objects.get(year=2024).total_zones == 50


def test_it_bumps_the_other_rankings_when_the_total_changes(sync, push_rankings):
    push_rankings(sync, _year(2024, {"lufeng": 20, "wuding": 3}))
    before = Ranking.objects.get(zone__code="lufeng").updated_at
    response = push_rankings(sync, _year(2024, {"wuding": 3}, total=67))
    assert response.json()["updated"] == 1
    assert Ranking.objects.get(zone__code="lufeng").updated_at > before


def test_it_keeps_ranking_history_authored_by_the_client(sync, sync_user, push_rankings):
    push_rankings(sync, _year(2024, {"lufeng": 20}))
    push_rankings(sync, _year(2024, {"lufeng": 18}))
    ranking = Ranking.objects.get()
    assert [(h.rank, h.history_user) for h in ranking.history.order_by("history_date")] == [
        (20, sync_user),
        (18, sync_user),
    ]


def test_it_filters_the_ranking_list_by_zone_and_year(sync, push_rankings):
    push_rankings(sync, _year(2023, {"lufeng": 25, "wuding": 50}, total=64) + _year(2024, {"lufeng": 20}))
    rows = sync.get("/api/v1/rankings/?zone=lufeng&year=2024").json()["results"]
    assert [(r["year"], r["zone"], r["rank"], r["total_zones"]) for r in rows] == [(2024, "lufeng", 20, 66)]
    assert set(rows[0]) == {
        "id",
        "scheme",
        "year",
        "zone",
        "rank",
        "total_zones",
        "score",
        "funding_awarded",
        "updated_at",
    }
    assert len(sync.get("/api/v1/rankings/?year=2023").json()["results"]) == 2
    unknown = sync.get("/api/v1/rankings/?zone=nowhere")  # an unknown code matches nothing
    assert (unknown.status_code, unknown.json()["results"]) == (200, [])
    assert sync.get("/api/v1/rankings/?zone=").status_code == 400
    evaluations = sync.get("/api/v1/evaluations/?year=2023").json()["results"]
    assert [(e["scheme"], e["total_zones"]) for e in evaluations] == [("provincial", 64)]


@pytest.mark.parametrize(
    "moment, year",
    [
        (datetime(2024, 6, 20, 10, 0), 2025),
        (datetime(2026, 12, 5, 10, 0), 2027),
        (datetime(2026, 12, 31, 23, 30), 2027),  # still 2026 in Chuxiong (15:30 UTC)
    ],
)
def test_it_refuses_the_ranking_of_a_year_still_to_come_and_writes_nothing(sync, push_rankings, moment, year):
    """An evaluation of a year that has not ended cannot exist yet: refused like a future month of investment."""
    with time_machine.travel(moment.replace(tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        response = push_rankings(sync, _year(year - 1, {"lufeng": 5}) + _year(year, {"wuding": 65}))
        assert response.status_code == 409
        errors = response.json()["errors"]
        assert [(e["index"], e["field"]) for e in errors] == [(1, "year")]
        assert errors[0]["message"] == f"不能写入未来年度（{year}年）的评价排名。"
        assert not Ranking.objects.exists() and not Evaluation.objects.exists()
        assert not Flag.objects.filter(year=year).exists()
        # This year's is accepted.
        assert push_rankings(sync, _year(year - 1, {"wuding": 65})).status_code == 200


def test_it_takes_tied_places_and_a_resend_of_what_is_stored_is_unchanged(sync, push_rankings):
    # The province publishes tied places (并列); the import refused a second zone on a place, in one batch
    # (「…排名相同」) or beside a stored one (「…同一年度排名不能重复」): re-sending the stored rankings was refused.
    tied = _year(2024, {"chuxiong-hitech": 4, "lufeng": 4, "wuding": 6})
    response = push_rankings(sync, tied)
    assert response.status_code == 200, response.json()
    assert sorted(Ranking.objects.filter(rank=4).values_list("zone__code", flat=True)) == ["chuxiong-hitech", "lufeng"]
    again = push_rankings(sync, tied)
    assert again.status_code == 200 and again.json()["unchanged"] == 3
    # Beside a stored ranking: wuding moves up to the stored place 4.
    moved = push_rankings(sync, _year(2024, {"wuding": 4}))
    assert moved.status_code == 200, moved.json()
    assert Ranking.objects.filter(rank=4).count() == 3
    # A place beyond the zones ranked stays refused.
    assert push_rankings(sync, _year(2024, {"wuding": 67})).status_code == 409
