"""The status changes since the previous period: the overview lists the first dozen and counts them all; the changes
page (``/changes/``) lists every one, a page at a time, worsened or improved only, in the same order."""

import pytest
from django.urls import reverse
from django.utils import timezone

from pages.dashboards import overview as overview_module
from pages.dashboards import period_changes, period_overview, period_pick, period_summary
from tests.dashboards.data import grow


@pytest.fixture
def grown(plan):
    grow()
    return period_pick(today=timezone.localdate())


def _keys(changes: list[dict]) -> list[tuple]:
    return [(c["target_id"], c["old"], c["new"], c["worse"]) for c in changes]


def test_the_overview_lists_the_first_changes_in_the_bulletins_order_and_counts_them_all(grown, monkeypatch):
    every = period_summary(period=grown, today=timezone.localdate())["changes"]
    assert len(every) > 3, "the demo history should change more statuses than the overview is made to list here"
    monkeypatch.setattr(overview_module, "OVERVIEW_CHANGES", 3)

    data = period_overview(period=grown, today=timezone.localdate())

    assert _keys(data["changes"]) == _keys(every[:3])
    worse = sum(1 for c in every if c["worse"])
    assert data["change_counts"] == {"total": len(every), "worse": worse, "better": len(every) - worse}
    # The bulletin's list is in the order the rows are ranked by: worsened first.
    assert [c["worse"] for c in every] == sorted((c["worse"] for c in every), reverse=True)


def test_the_overview_links_to_every_change_when_it_lists_fewer(client_for, olga, grown, monkeypatch):
    total = len(period_summary(period=grown, today=timezone.localdate())["changes"])
    monkeypatch.setattr(overview_module, "OVERVIEW_CHANGES", 2)

    html = client_for(olga).get(reverse("overview")).content.decode()

    assert f'href="/changes/?period={grown.pk}" id="all-changes"' in html
    assert f"查看全部{total}项状态变化" in html
    assert f"目标状态变化 <strong>{total}</strong>项" in html
    assert html.count('<table class="table small changes">') == 1
    section = html.split('id="changes"', 1)[1].split("</table>", 1)[0]
    assert section.count("<tr") == 2 + 1  # the two listed rows and the header


def test_the_changes_page_lists_every_change_a_page_at_a_time(grown, monkeypatch):
    every = period_summary(period=grown, today=timezone.localdate())["changes"]
    monkeypatch.setattr(overview_module, "CHANGES_PER_PAGE", 3)

    pages = [period_changes(period=grown, page=number) for number in range(1, -(-len(every) // 3) + 1)]

    assert [key for page in pages for key in _keys(page["changes"])] == _keys(every)
    assert pages[0]["page_obj"].paginator.num_pages == len(pages)
    assert pages[0]["counts"]["total"] == len(every)
    # A page out of range gives the last; a page that is not a number, the first.
    assert _keys(period_changes(period=grown, page=999)["changes"]) == _keys(pages[-1]["changes"])
    assert _keys(period_changes(period=grown, page="x")["changes"]) == _keys(pages[0]["changes"])


@pytest.mark.parametrize("direction", ["worse", "better"])
def test_the_changes_page_lists_one_direction(grown, direction):
    every = period_summary(period=grown, today=timezone.localdate())["changes"]
    wanted = [c for c in every if c["worse"] == (direction == "worse")]
    assert wanted, f"the demo history should have {direction} statuses"

    data = period_changes(period=grown, direction=direction)

    assert _keys(data["changes"]) == _keys(wanted)
    assert data["direction"] == direction
    assert data["counts"]["total"] == len(every)  # the counts say all of them, whatever is listed


def test_a_made_up_direction_lists_all(grown):
    every = period_summary(period=grown, today=timezone.localdate())["changes"]
    data = period_changes(period=grown, direction="sideways")
    assert data["direction"] == ""
    assert _keys(data["changes"]) == _keys(every)


def test_the_first_period_has_nothing_to_compare(plan):
    from indicators.models import ReportingPeriod

    first = ReportingPeriod.objects.filter(cadence="monthly").order_by("end").first()
    data = period_changes(period=first)
    assert data["previous"] is None and data["changes"] == [] and data["counts"]["total"] == 0


def test_the_changes_page_renders_its_rows_filters_and_pager(client_for, olga, grown, monkeypatch):
    every = period_summary(period=grown, today=timezone.localdate())["changes"]
    monkeypatch.setattr(overview_module, "CHANGES_PER_PAGE", 2)
    client = client_for(olga)

    response = client.get(reverse("status-changes"), {"period": grown.pk, "direction": "worse", "page": "2"})

    assert response.status_code == 200
    html = response.content.decode()
    worse = [c for c in every if c["worse"]]
    assert f"共{len(every)}项，其中变差{len(worse)}项" in html
    assert '<option value="worse" selected>' in html
    assert f'<option value="{grown.pk}" selected>' in html
    for change in worse[2:4]:
        assert f">{change['indicator'].name}</th><td>{change['scope']}</td>" in html
    if len(worse) > 4:
        assert f'href="?period={grown.pk}&amp;direction=worse&amp;zone=&amp;page=3" rel="next"' in html
    assert f'href="?period={grown.pk}&amp;direction=worse&amp;zone=&amp;page=1" rel="prev"' in html


@pytest.mark.parametrize(
    "query", [{"page": "x"}, {"page": "-1"}, {"page": "99999999999"}, {"direction": "<script>"}, {"period": "abc"}]
)
def test_bad_parameters_get_a_page_not_an_error(client_for, olga, grown, query):
    response = client_for(olga).get(reverse("status-changes"), query)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def test_an_unknown_period_is_not_found(client_for, olga, grown):
    assert client_for(olga).get(reverse("status-changes"), {"period": "987654"}).status_code == 404


def test_who_reads_the_changes(client, client_for, alice, rita, leo, charlie, grown):
    url = reverse("status-changes")
    assert client.get(url).status_code == 302  # to the login page
    assert client_for(alice).get(url).status_code == 200
    assert client_for(rita).get(url).status_code == 200
    response = client_for(leo).get(url)
    assert response.status_code == 302 and response["Location"] == reverse("zone-detail", args=["lufeng"])
    assert client_for(charlie).get(url).status_code == 403


def test_the_changes_page_lists_one_zones_changes(grown, plan):
    every = period_summary(period=grown, today=timezone.localdate())["changes"]
    lufeng = plan["lufeng"]
    wanted = [c for c in every if c["scope"] == lufeng.name]
    assert wanted and len(wanted) < len(every), "the demo history should change 禄丰's statuses and others'"

    data = period_changes(period=grown, zone=lufeng, direction="worse")

    assert _keys(data["changes"]) == _keys([c for c in wanted if c["worse"]])
    assert data["counts"]["total"] == len(every)


def test_the_zone_filter_on_the_page_and_a_made_up_zone(client_for, olga, grown, plan):
    from chuxiong_portal import pagecache

    client = client_for(olga)
    html = client.get(reverse("status-changes"), {"period": grown.pk, "zone": "lufeng"}).content.decode()
    assert '<option value="lufeng" selected>' in html
    listed = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert listed.count("<tr") >= 1
    assert all(f"<td>{plan['lufeng'].name}</td>" in row for row in listed.split("<tr")[1:])
    assert "符合筛选条件的" in html

    before = pagecache.stats(["changes"])["changes"]["uncached"]
    for _ in range(2):
        response = client.get(reverse("status-changes"), {"zone": "nowhere"})
        assert response.status_code == 200
        assert "符合筛选条件的" not in response.content.decode()  # a zone that does not exist filters nothing
    assert pagecache.stats(["changes"])["changes"]["uncached"] == before + 2  # answered, not cached
