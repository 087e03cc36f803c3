"""The data-quality page: values that break a check between values are saved, warned about, listed, and
must be acknowledged by their reviewer before the report can be approved."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import DataQualityWarning, DispatchReport, Indicator, IndicatorValue, ReportingPeriod
from indicators.reporting.services import ReportError, quality_recheck, report_approve
from parks.models import IndustryCluster, Zone

PAGE = reverse("data-quality")


def value(code, period, number, *, zone=None, cluster=None, report=None):
    scope = "zone" if zone else "cluster" if cluster else "prefecture"
    return IndicatorValue.objects.create(
        indicator=Indicator.objects.get(code=code),
        period=period,
        scope=scope,
        zone=zone,
        cluster=cluster,
        value=Decimal(str(number)),
        report=report,
    )


def month(year, index):
    return ReportingPeriod.objects.get(cadence="monthly", year=year, index=index)


@pytest.fixture
def broken(plan):
    """One value breaking each check; 禄丰's are in a submitted zone value set."""
    lufeng, hitech = plan["lufeng"], plan["hitech"]
    report = DispatchReport.objects.create(zone=lufeng, period=month(2024, 9), state=DispatchReport.State.SUBMITTED)
    value("industrial-output", month(2024, 8), 400, zone=lufeng)
    ytd = value("industrial-output", month(2024, 9), 380, zone=lufeng, report=report)  # falls
    value("industrial-output", month(2023, 9), 300, zone=lufeng)
    growth = value("industrial-output-growth", month(2024, 9), 40, zone=lufeng, report=report)  # 380/300 is +26.7 %
    value("industrial-output", month(2024, 9), 500, zone=hitech)
    cluster = value(
        "cluster-output",
        ReportingPeriod.objects.get(cadence="quarterly", year=2024, index=3),
        600,
        cluster=IndustryCluster.objects.get(code="biomedicine"),
    )  # on 高新区 alone: 500
    half = ReportingPeriod.objects.get(cadence="half_yearly", year=2024, index=2)
    value("idle-land", half, 100, zone=lufeng)
    land = value("idle-land-disposed", half, 120, zone=lufeng)
    quality_recheck()
    return {"report": report, "ytd": ytd, "growth": growth, "cluster": cluster, "land": land}


def rules_of(obj) -> set[str]:
    return set(DataQualityWarning.objects.filter(value=obj).values_list("rule", flat=True))


def test_it_keeps_the_values_and_warns_about_each_check(broken):
    assert rules_of(broken["ytd"]) == {DataQualityWarning.Check.YTD_FALLS}
    assert rules_of(broken["growth"]) == {DataQualityWarning.Check.GROWTH_INCONSISTENT}
    assert rules_of(broken["cluster"]) == {DataQualityWarning.Check.CLUSTER_ABOVE_ZONES}
    assert rules_of(broken["land"]) == {DataQualityWarning.Check.NUMERATOR_ABOVE_DENOMINATOR}
    assert IndicatorValue.objects.get(pk=broken["ytd"].pk).value == 380  # saved all the same


def test_it_lists_the_cases_for_the_office(broken, client_for, olga):
    html = client_for(olga).get(PAGE).content.decode()
    for rule in DataQualityWarning.Check.values:
        assert f'data-rule="{rule}"' in html
    assert "年内累计值380低于上期（截至2024年8月31日）的400" in html
    assert "分子120大于分母100" in html
    assert "集群产值600高于所依托园区产值之和500" in html
    assert "按本期与上年同期总量计算应为26.67%" in html


def test_a_zone_leader_sees_and_acknowledges_their_zone_s_warnings_only(broken, client_for, leo):
    client = client_for(leo)
    html = client.get(PAGE).content.decode()
    assert 'data-rule="ytd_falls"' in html and 'data-rule="cluster_above_zones"' not in html
    warning = DataQualityWarning.objects.get(value=broken["ytd"])
    client.post(reverse("data-quality-acknowledge", args=[warning.pk]), {"note": "已核实：9月为年报口径"})
    warning.refresh_from_db()
    assert warning.is_acknowledged and warning.acknowledged_by == leo
    cluster_warning = DataQualityWarning.objects.get(value=broken["cluster"])
    assert client.post(reverse("data-quality-acknowledge", args=[cluster_warning.pk]), {"note": "x"}).status_code == 404


def test_an_acknowledgement_needs_a_note(broken, client_for, olga):
    warning = DataQualityWarning.objects.get(value=broken["land"])
    client_for(olga).post(reverse("data-quality-acknowledge", args=[warning.pk]), {"note": "  "})
    warning.refresh_from_db()
    assert not warning.is_acknowledged


@pytest.mark.parametrize(
    ("note", "message"),
    [("已核实\x00", "含有不可用的字符（空字符）"), ("核" * 1001, "核实情况最多 1000 字（现为 1001 字）")],
)
def test_a_note_no_text_may_hold_is_refused_with_a_message_and_kept_nowhere(broken, client_for, olga, note, message):
    """A null character (which PostgreSQL refuses in any text) or a note over 1,000 characters (once cut short
    silently): refused, said, the warning left open."""
    warning = DataQualityWarning.objects.get(value=broken["land"])
    client = client_for(olga)
    response = client.post(reverse("data-quality-acknowledge", args=[warning.pk]), {"note": note}, follow=True)
    assert response.status_code == 200 and message in response.content.decode()
    warning.refresh_from_db()
    assert not warning.is_acknowledged and warning.acknowledgement == ""


def test_a_report_with_open_warnings_cannot_be_approved_until_they_are_acknowledged(broken, leo):
    report = broken["report"]
    with pytest.raises(ReportError, match="2条数据质量提示尚未确认"):
        report_approve(report=report, user=leo, version=report.version)
    DataQualityWarning.objects.filter(value__report=report).update(
        acknowledged_at="2024-10-05T10:00:00+08:00", acknowledgement="已核实"
    )
    assert report_approve(report=report, user=leo, version=report.version).state == DispatchReport.State.APPROVED


def test_a_recheck_keeps_acknowledgements_and_drops_what_was_corrected(broken, olga):
    land = DataQualityWarning.objects.get(value=broken["land"])
    land.acknowledged_at, land.acknowledgement = "2024-10-05T10:00:00+08:00", "已核实"
    land.save()
    IndicatorValue.objects.filter(pk=broken["ytd"].pk).update(value=Decimal(420))
    summary = quality_recheck()
    # 420 no longer falls below August's 400, and 420 ÷ 300 is the +40 % reported: both warnings go.
    assert summary.cleared == 2
    assert not DataQualityWarning.objects.filter(value__in=[broken["ytd"], broken["growth"]]).exists()
    assert DataQualityWarning.objects.get(pk=land.pk).is_acknowledged


def test_it_is_closed_to_staff_and_statisticians(plan, client_for, alice, sam):
    assert client_for(alice).get(PAGE).status_code == 403
    assert client_for(sam).get(PAGE).status_code == 403


def test_the_demo_data_shows_each_case(plan, client_for, olga):
    from tests.dashboards.data import grow

    grow()
    html = client_for(olga).get(PAGE + "?state=all").content.decode()
    for rule in DataQualityWarning.Check.values:
        assert f'data-rule="{rule}"' in html, rule
    assert Zone.objects.get(code="mouding").name in html


def _warnings(count: int) -> None:
    lufeng = Zone.objects.get(code="lufeng")
    output = Indicator.objects.get(code="industrial-output")
    periods = list(ReportingPeriod.objects.filter(cadence="monthly").order_by("start")[:count])
    for period in periods:
        report = DispatchReport.objects.create(zone=lufeng, period=period, state=DispatchReport.State.SUBMITTED)
        row = IndicatorValue.objects.create(
            indicator=output, period=period, scope="zone", zone=lufeng, value=Decimal(1), report=report
        )
        DataQualityWarning.objects.create(
            value=row, rule="ytd_falls", params={"previous": 2.0, "current": 1.0, "previous_period_end": "x"}
        )


def test_the_page_s_queries_do_not_grow_with_the_warnings(plan, client_for, olga, leo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (3, 30):
        DataQualityWarning.objects.all().delete()
        IndicatorValue.objects.all().delete()
        DispatchReport.objects.all().delete()
        _warnings(size)
        for user in (olga, leo):
            client = client_for(user)
            with CaptureQueriesContext(connection) as queries:
                html = client.get(PAGE).content.decode()
            assert html.count('data-rule="ytd_falls"') == size
            counts.append(len(queries))
    assert counts[:2] == counts[2:]


def test_a_page_left_open_does_not_acknowledge_over_a_change_made_since(broken, client_for, olga, leo):
    """The 确认 form carries the warning as its page showed it (`quality_warning_token`): drawn before its reviewer
    acknowledged it, or before its figures changed and were checked again, it is refused in words and nothing is
    written; drawn again, it is taken."""
    import re

    from indicators.reporting.services import quality_warning_acknowledge

    client = client_for(olga)
    ytd = DataQualityWarning.objects.get(value=broken["ytd"])
    land = DataQualityWarning.objects.get(value=broken["land"])

    def shown(warning) -> str:
        page = client.get(PAGE).content.decode()
        form = page.split(reverse("data-quality-acknowledge", args=[warning.pk]), 1)[1].split("</form>", 1)[0]
        return re.search(r'name="seen" value="([^"]*)"', form).group(1)

    def post(warning, seen: str):
        url = reverse("data-quality-acknowledge", args=[warning.pk])
        return client.post(url, {"note": "已核实，数据无误", "seen": seen}, follow=True).content.decode()

    stale_ytd, stale_land = shown(ytd), shown(land)
    quality_warning_acknowledge(warning=ytd, user=leo, note="已要求填报单位更正")
    assert "已由" in post(ytd, stale_ytd) and "（已要求填报单位更正）" in post(ytd, stale_ytd)
    ytd.refresh_from_db()
    assert (ytd.acknowledged_by, ytd.acknowledgement) == (leo, "已要求填报单位更正")

    IndicatorValue.objects.filter(pk=broken["land"].pk).update(value=Decimal(130))
    quality_recheck()
    assert "所依据的数据已有变化" in post(land, stale_land)
    land.refresh_from_db()
    assert not land.is_acknowledged and land.params["numerator"] == 130

    assert "已确认该数据质量提示" in post(land, shown(land))
    land.refresh_from_db()
    assert (land.acknowledged_by, land.acknowledgement) == (olga, "已核实，数据无误")


def test_a_refused_acknowledgement_comes_back_with_its_note_and_the_warning_now_stored_to_send_again(
    broken, client_for, olga
):
    """Refused for a warning whose figures changed since, the data-quality page it returns to draws the warning as
    it is now with the note typed and its current token: pressed again, it is taken. A warning acknowledged since
    shows that acknowledgement, with no form (and no note kept) to send again."""
    from indicators.reporting.services import quality_warning_acknowledge, quality_warning_token
    from tests.resend import form_data

    client = client_for(olga)
    land = DataQualityWarning.objects.get(value=broken["land"])
    url = reverse("data-quality-acknowledge", args=[land.pk])
    stale = quality_warning_token(land)
    IndicatorValue.objects.filter(pk=broken["land"].pk).update(value=Decimal(130))
    quality_recheck()
    refused = client.post(url, {"note": "已核实，数据无误", "seen": stale}, follow=True)
    page = refused.content.decode()
    assert "所依据的数据已有变化" in page and "您填写的内容已保留" in page
    land.refresh_from_db()
    assert not land.is_acknowledged

    again = form_data(page, f'//form[@action="{url}"]')
    assert again == {"note": "已核实，数据无误", "seen": quality_warning_token(land)}
    assert "已确认该数据质量提示" in client.post(url, again, follow=True).content.decode()
    land.refresh_from_db()
    assert (land.acknowledged_by, land.acknowledgement) == (olga, "已核实，数据无误")
    assert "您填写的内容已保留" not in client.get(PAGE).content.decode()  # the note was kept for one page

    ytd = DataQualityWarning.objects.get(value=broken["ytd"])
    stale = quality_warning_token(ytd)
    quality_warning_acknowledge(warning=ytd, user=olga, note="已要求填报单位更正")
    url = reverse("data-quality-acknowledge", args=[ytd.pk])
    page = client.post(url, {"note": "再核实", "seen": stale}, follow=True).content.decode()
    assert "已由" in page and "您填写的内容已保留" not in page and f'action="{url}"' not in page


def test_the_value_column_reads_as_the_finding_beside_it_does(plan, client_for, olga):
    """The 数值 column showed the value as stored, four decimals: 306.5100 beside 「年内累计值306.51低于上期…」, and
    1850 beside 「分子1,850…」. It is the same number in the same notation now."""
    lufeng = plan["lufeng"]
    value("industrial-output", month(2024, 8), 340.57, zone=lufeng)
    value("industrial-output", month(2024, 9), 306.51, zone=lufeng)
    half = ReportingPeriod.objects.get(cadence="half_yearly", year=2024, index=2)
    value("idle-land", half, 1700, zone=lufeng)
    value("idle-land-disposed", half, 1850, zone=lufeng)
    quality_recheck()
    html = client_for(olga).get(PAGE + "?state=all").content.decode()
    cells = [cell.strip() for cell in html.split('<td class="num">')[1:]]
    shown = sorted(cell.split("</td>")[0] for cell in cells)
    assert shown == ["1,850", "306.51"], shown
    assert "306.5100" not in html
