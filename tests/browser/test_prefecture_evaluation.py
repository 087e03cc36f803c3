"""The prefecture's 综合考评 in a real browser: the office defines the year's scheme, lets the portal compute
what it can, scores the rest by hand with a reason, publishes, and downloads the Excel and Word exports."""

from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from evaluations.models import EvaluationResult, SchemeVersion, SubScore
from parks.models import Zone

pytestmark = pytest.mark.browser


def test_the_office_defines_scores_publishes_and_exports_the_year(page, login, screenshot, olga):
    login(page, olga)
    page.goto("/evaluations/")
    page.locator("#define-link").click()
    page.locator("#id_year").fill("2024")
    page.locator("#id_title").fill("2024年度全州开发区综合考评")
    # The office's template rows: 抓党建促发展成效 and the task list by hand, targets met and reports on time
    # computed. Move 5 points from 招商引资 to 党建 (20 + 25 + 30 + 15 + 10 = 100).
    expect(page.locator("#id_subs-0-name")).to_have_value("抓党建促发展成效")
    page.locator("#id_subs-0-weight").fill("20")
    page.locator("#id_subs-4-weight").fill("10")
    page.get_by_role("button", name="保存方案").click()
    expect(page.locator("h1")).to_contain_text("2024年度全州开发区综合考评")
    expect(page.locator("#scheme-purpose")).to_contain_text("干部选拔、职级晋升的重要依据")
    expect(page.locator("#scheme-subs")).to_contain_text("调度按时报送率（平台计算）")

    page.locator("#compute").click()
    expect(page.locator("body")).to_contain_text("已根据平台数据计算")
    scheme = SchemeVersion.objects.get(kind="prefecture", year=2024)
    assert EvaluationResult.objects.filter(scheme=scheme).count() == Zone.objects.count()

    # Every score still missing (the hand parts, and computed parts with nothing to compute from), by hand.
    missing = list(
        SubScore.objects.filter(result__scheme=scheme, score=None).values_list(
            "result__zone__name", "sub_indicator__name"
        )
    )
    hand = [s.name for s in scheme.sub_indicators.filter(method="manual")]
    todo = [(zone.name, name) for zone in Zone.objects.order_by("order") for name in hand] + missing
    for zone_name, sub_name in todo:
        page.locator("#id_zone").select_option(label=zone_name)
        page.locator("#id_sub_indicator").select_option(
            label=next(str(s) for s in scheme.sub_indicators.all() if s.name == sub_name)
        )
        page.locator("#id_score").fill("85")
        page.locator("#id_reason").fill(f"{zone_name}述职评议及佐证材料")
        page.get_by_role("button", name="保存评分").click()
        expect(page.locator("body")).to_contain_text("人工评分已保存")
    lufeng = SubScore.objects.get(
        result__scheme=scheme, result__zone__code="lufeng", sub_indicator__code="party-building"
    )
    assert (lufeng.scorer, lufeng.reason) == (olga, "禄丰产业园区述职评议及佐证材料")
    screenshot(page, "scored")

    asked = []  # publishing locks the results: the browser asks first (data-confirm), and the office says yes
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.locator("#publish").click()
    expect(page.locator("#scheme-state")).to_have_text("已发布")
    assert len(asked) == 1 and "锁定" in asked[0]
    expect(page.locator("#office-actions")).to_have_count(0)
    expect(page.locator("#results tbody tr")).to_have_count(Zone.objects.count())
    screenshot(page, "published")

    with page.expect_download() as download:
        page.locator("#export-xlsx").click()
    with open(download.value.path(), "rb") as handle:
        sheet = load_workbook(BytesIO(handle.read())).worksheets[0]
    assert "干部选拔、职级晋升的重要依据" in sheet["A2"].value
    assert {row[1] for row in sheet.iter_rows(min_row=4, values_only=True)} == set(
        Zone.objects.values_list("name", flat=True)
    )
    with page.expect_download() as download:
        page.locator("#export-docx").click()
    with open(download.value.path(), "rb") as handle:
        document = Document(BytesIO(handle.read()))
    assert "干部选拔、职级晋升的重要依据" in "\n".join(p.text for p in document.paragraphs)
    assert len(document.tables[0].rows) == Zone.objects.count() + 1
