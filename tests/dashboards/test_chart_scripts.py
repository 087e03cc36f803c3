"""Chart code (ECharts, 643 KB before compression) is loaded only by the pages that draw charts."""

import re

import pytest

ECHARTS = "vendor/echarts/echarts"


# ECharts is not one of the page's own scripts (they run before the page can be used): the page's chart script has
# it loaded afterwards (portal.js), from the address in its data-echarts.
LOADED_BY = r'<script src="[^"]*/{script}[^"]*" data-echarts="[^"]*/vendor/echarts/echarts'
ECHARTS_SCRIPT = r'<script[^>]* src="[^"]*/vendor/echarts/'


@pytest.mark.parametrize("path", ["/", "/zones/lufeng/", "/tasks/9/", "/departments/ndrc/", "/bulletin/"])
def test_a_page_with_charts_loads_the_chart_code(client_for, olga, data, path):
    page = client_for(olga).get(path).content.decode()
    assert 'class="chart' in page or "data-chart" in page or "chart-" in page
    assert ECHARTS in page
    assert re.search(LOADED_BY.format(script="portal/charts"), page)
    assert not re.search(ECHARTS_SCRIPT, page)


@pytest.mark.parametrize("path", ["/projects/board/", "/projects/figures/"])
def test_the_key_project_pages_have_their_chart_script_load_the_chart_code(client_for, olga, data, path):
    page = client_for(olga).get(path).content.decode()
    assert re.search(LOADED_BY.format(script="projects/gantt"), page)
    assert not re.search(ECHARTS_SCRIPT, page)


@pytest.mark.parametrize("path", ["/tasks/", "/departments/", "/matrix/", "/todo/"])
def test_a_page_without_charts_does_not_load_the_chart_code(client_for, olga, data, path):
    response = client_for(olga).get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert "chart-" not in page  # no chart on it…
    assert ECHARTS not in page and "charts.js" not in page  # …so no chart code either


def test_the_report_page_does_not_load_the_chart_code(client_for, alice, data):
    from indicators.models import DispatchReport

    report = DispatchReport.objects.get(department__slug="ndrc", task__number=7)
    page = client_for(alice).get(report.get_absolute_url()).content.decode()
    assert "report.js" in page
    assert ECHARTS not in page
