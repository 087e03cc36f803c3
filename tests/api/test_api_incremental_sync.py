"""Incremental sync: keyset paging over (updated_at, id) neither skips nor repeats rows while data changes."""

from datetime import timedelta

from api_rows import value_row
from django.utils import timezone

from indicators.models import IndicatorValue


def _page_through(client, url, on_page=None):
    seen, pages = [], 0
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        pages += 1
        if on_page:
            on_page(pages, body)
        url = body["next"]
    return seen, pages


def test_it_pages_stably_while_rows_change_and_arrive(sync, push_values):
    push_values(
        sync,
        [value_row(index=m, year=y, value="1") for y in (2023, 2024) for m in range(1, 13)]
        + [value_row(zone="wuding", index=1, value="1")],
    )  # 25 rows
    original = set(IndicatorValue.objects.values_list("id", flat=True))
    changed = {}

    def meddle(page, body):
        if page == 1:
            first_seen = body["results"][0]
            # change a row already seen, one not yet seen, and add a new one
            unseen = IndicatorValue.objects.exclude(id__in=[r["id"] for r in body["results"]]).order_by("-id").first()
            changed["seen"], changed["unseen"] = first_seen["id"], unseen.id
            rows = [
                value_row(index=first_seen["period"]["index"], year=first_seen["period"]["year"], value="2"),
                value_row(index=unseen.period.index, year=unseen.period.year, zone=unseen.zone.code, value="2"),
                value_row(zone="mouding", index=1, value="9"),
            ]
            assert push_values(sync, rows).json()["updated"] == 2

    seen, pages = _page_through(sync, "/api/v1/indicator-values/?page_size=10", meddle)
    assert pages == 3
    assert original <= set(seen), "no row may be skipped"
    new_id = IndicatorValue.objects.get(zone__code="mouding").id
    assert new_id in seen
    repeated = {i for i in seen if seen.count(i) > 1}
    assert repeated == {changed["seen"]}, "only a row changed after it was read comes again, with its new value"
    assert seen.count(changed["unseen"]) == 1


def test_it_returns_what_changed_since_the_last_sync(sync, push_values):
    push_values(sync, [value_row(index=m, value="1") for m in range(1, 13)])
    seen, _pages = _page_through(sync, "/api/v1/indicator-values/?page_size=5")
    assert len(seen) == 12
    watermark = max(IndicatorValue.objects.values_list("updated_at", flat=True))
    IndicatorValue.objects.update(updated_at=watermark - timedelta(seconds=1))  # the earlier sync is in the past
    same_plus_one = push_values(
        sync, [value_row(index=m, value="1") for m in range(1, 13)] + [value_row(index=4, year=2025, value="3")]
    )
    assert (same_plus_one.json()["unchanged"], same_plus_one.json()["created"]) == (12, 1)
    two_changed = push_values(sync, [value_row(index=2, value="5"), value_row(index=7, value="5")])
    assert two_changed.json()["updated"] == 2
    rows = sync.get("/api/v1/indicator-values/", {"updated_since": watermark.isoformat()}).json()["results"]
    assert sorted((r["period"]["year"], r["period"]["index"], r["value"]) for r in rows) == [
        (2024, 2, "5.0000"),
        (2024, 7, "5.0000"),
        (2025, 4, "3.0000"),
    ]
    future = (timezone.now() + timedelta(hours=1)).isoformat()
    assert sync.get("/api/v1/indicator-values/", {"updated_since": future}).json() == {"next": None, "results": []}


def test_it_pages_every_sync_list_by_keyset(sync, push_rankings):
    push_rankings(
        sync,
        [
            {"year": 2024, "zone": z, "rank": r, "total_zones": 66}
            for z, r in (("lufeng", 1), ("wuding", 2), ("mouding", 3))
        ],
    )
    for url in ("/api/v1/rankings/", "/api/v1/evaluations/", "/api/v1/flags/", "/api/v1/progress/"):
        body = sync.get(url + "?page_size=1").json()
        assert set(body) == {"next", "results"}, url
    seen, pages = _page_through(sync, "/api/v1/rankings/?page_size=2")
    assert len(seen) == 3 and len(set(seen)) == 3 and pages == 2


def test_it_answers_400_to_a_forged_cursor(sync):
    for cursor in ("garbage", "Zm9v", "MjAyNC0wMS0wMXwx", "%00"):  # ..., "2024-01-01|1" (naive time)
        response = sync.get(f"/api/v1/indicator-values/?cursor={cursor}")
        assert response.status_code == 400, cursor
        assert response.json()["errors"][0]["field"] == "cursor"


def test_every_cursor_matching_the_documented_pattern_is_read(sync):
    # The schema's pattern is the contract: any string matching it is a (time, id) position, even one never issued.
    for cursor in ("0-0", "99999999999999999-999999999999999999", "1733011200000000-5"):
        response = sync.get(f"/api/v1/indicator-values/?cursor={cursor}")
        assert response.status_code == 200, cursor
    assert sync.get("/api/v1/indicator-values/?cursor=").status_code == 400
    assert sync.get("/api/v1/indicator-values/?cursor=1-2-3").status_code == 400


def test_updated_since_reads_one_moment_alike_with_any_offset_and_without_one_as_beijing_time(sync, push_values):
    from datetime import UTC
    from zoneinfo import ZoneInfo

    push_values(sync, [value_row(index=m, value="1") for m in range(1, 4)])
    moment = (timezone.now() - timedelta(minutes=5)).replace(microsecond=0)
    IndicatorValue.objects.exclude(period__index=1).update(updated_at=moment)
    IndicatorValue.objects.filter(period__index=1).update(updated_at=moment - timedelta(seconds=1))
    beijing = moment.astimezone(ZoneInfo("Asia/Shanghai"))
    written = [
        moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        beijing.isoformat(),
        moment.astimezone(ZoneInfo("Europe/Athens")).isoformat(),
        beijing.replace(tzinfo=None).isoformat(),  # no offset: Beijing time
    ]
    for since in written:
        rows = sync.get("/api/v1/indicator-values/", {"updated_since": since}).json()["results"]
        assert sorted(r["period"]["index"] for r in rows) == [2, 3], since
    unencoded = sync.get(f"/api/v1/indicator-values/?updated_since={beijing.isoformat()}")  # "+" read as a space
    assert unencoded.status_code == 400 and unencoded.json()["errors"][0]["field"] == "updated_since"
