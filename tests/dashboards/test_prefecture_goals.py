"""The prefecture's own goals on the overview: 「全州开发区…工业总产值年均增长20%以上」 and 「开发区主导产业营业收入占比
达到50%以上」 against the figures rolled up from the zones, the province's figure beside, a missing zone named."""

from decimal import Decimal

from django.urls import reverse

from indicators.models import Indicator, IndicatorValue, ProgressResult, Target
from indicators.progress.services import progress_recompute
from tests.dashboards.data import period

HOME = reverse("home")


def with_2023(data) -> None:
    """The compact data lacks 2023; with it, every zone's output grows by ×1.2, ×1.4/1.2, ×1.72/1.4."""
    output = Indicator.objects.get(code="industrial-output")
    bases = {"lufeng": 600.0, "chuxiong-hitech": 720.0, "wuding": 100.0, "mouding": 240.0}
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(
                indicator=output,
                period=period("monthly", 2023, month),
                scope="zone",
                zone=data["zones"][code],
                value=Decimal(str(round(base * 1.2 * month / 12, 2))),
                is_demo=True,
            )
            for code, base in bases.items()
            for month in (11, 12)
        ]
    )
    progress_recompute()


def goals(response) -> dict[str, dict]:
    return {g["target"].indicator.code: g for g in response.context["prefecture_goals"]}


def prefecture_result(code: str) -> ProgressResult:
    target = Target.objects.get(scope="prefecture", indicator__code=code)
    return target.results.exclude(actual=None).order_by("-period__end").first()


def test_it_shows_the_prefectures_goals_against_the_rolled_up_figures(client_for, olga, data):
    with_2023(data)
    response = client_for(olga).get(HOME)
    shown = goals(response)
    assert set(shown) == {"industrial-output-growth", "leading-industry-share"}
    growth = shown["industrial-output-growth"]
    stored = prefecture_result("industrial-output-growth")
    # The zones' summed output ×1.72 over three years: a 年均 of 1.72^(1/3) − 1 = 19.8 %, just short of 20 %.
    assert stored is not None and round(stored.actual, 1) == Decimal("19.8")
    assert growth["card"]["value"] == "年均19.8%" and growth["card"]["status"] != "grey"
    assert growth["card"]["goal"] == "20.0%" and not growth["missing"]
    html = response.content.decode()
    assert "全州开发区目标" in html and "工业总产值年均增长20%以上" in html
    assert "开发区主导产业营业收入占比达到50%以上" in html
    assert growth["province_value"] == ""  # the province reported nothing: no figure is made up
    assert "省未发布" in html


def test_it_puts_the_provinces_figure_beside_and_names_the_source(client_for, olga, data):
    share = Indicator.objects.get(code="leading-industry-share")
    IndicatorValue.objects.create(
        indicator=share,
        period=period("quarterly", 2025, 4),
        scope="prefecture",
        source=IndicatorValue.Source.PROVINCE,
        value=Decimal("51.3"),
        is_demo=True,
    )
    response = client_for(olga).get(HOME)
    row = goals(response)["leading-industry-share"]
    assert row["province_value"] == "51.3%" and row["province_source"] == "省统计系统"
    assert "51.3%" in response.content.decode()


def test_a_zone_missing_from_the_roll_up_is_named_and_never_read_as_zero(client_for, olga, data):
    with_2023(data)
    wuding = data["zones"]["wuding"]
    IndicatorValue.objects.filter(indicator__code="industrial-output", zone=wuding, period__year=2025).delete()
    progress_recompute()
    response = client_for(olga).get(HOME)
    growth = goals(response)["industrial-output-growth"]
    assert growth["missing"] == ["武定产业园区"]
    assert growth["card"]["value"] == "汇总不完整" and growth["card"]["status"] == "grey"
    html = response.content.decode()
    assert "缺少武定产业园区的数据，不按0计算" in html


def test_an_average_growth_card_says_it_is_the_average(client_for, olga, data):
    """The card shows the compound average since the baseline year; the chart beside it the latest growth, so the
    card says 年均 (users read 23.1% against the chart's 21.8% and took it for an error)."""
    with_2023(data)
    client = client_for(olga)
    assert goals(client.get(HOME))["industrial-output-growth"]["card"]["value"].startswith("年均")
    client.cookies["django_language"] = "en"
    assert goals(client.get(HOME))["industrial-output-growth"]["card"]["value"].startswith("avg. ")
