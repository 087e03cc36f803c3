"""Table rows the pages write in Python rather than cell by cell in a template must read as the template did."""

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from indicators.models import Target
from pages.dashboards import Chart, department_dashboard, matrix_rows, task_dashboard, zone_dashboard
from pages.selectors import task_get
from tasks.models import Department, Responsibility, Task
from tasks.selectors import department_get, responsibility_matrix

# The chart table's rows as `dashboards/_chart.html` drew them before `Chart.rows_html`.
CHART_ROWS = Template(
    '{% for row in chart.rows %}<tr>{% for cell in row %}{% if forloop.first %}<th scope="row">{{ cell }}</th>'
    '{% else %}<td class="num">{{ cell }}</td>{% endif %}{% endfor %}</tr>{% endfor %}'
)
# The matrix's cells as the template drew them, each mark since named by its role for screen readers.
MATRIX_CELLS = Template(
    '{% for cell in row.cells %}<td class="cell {% if cell %}{{ cell.role }}{% endif %}" {% if cell %}'
    'title="{{ cell.display_name }} · {{ cell.get_role_display }}"{% endif %}>{% if cell %}'
    '<span role="img" aria-label="{{ cell.get_role_display }}">{% if cell.role == "lead" %}'
    "●{% else %}○{% endif %}</span>{% endif %}</td>{% endfor %}"
)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_charts_rows_read_as_the_template_wrote_them(language):
    rows = [
        ["2024", "1,234.5", "", None, 7, 2.5],
        ['<b>"R&D"</b>', "≥ 3 'x'", gettext_lazy("暂无数据"), "—", 0, -1],
    ]
    chart = Chart(id="c", title="t", spec={}, headers=["a"] * 6, rows=rows)
    with translation.override(language):
        expected = CHART_ROWS.render(Context({"chart": chart}))
        assert str(chart.rows_html) == expected
    assert '<th scope="row">&lt;b&gt;&quot;R&amp;D&quot;&lt;/b&gt;</th>' in expected  # escaped, a row header


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_matrix_cells_read_as_the_template_wrote_them(plan, language):
    Responsibility.objects.filter(pk=Responsibility.objects.order_by("pk").first().pk).update(acting_as=["<州>办"])
    with translation.override(language):
        rows = matrix_rows(responsibility_matrix()["rows"])
        assert rows and any("●" in row["cells_html"] for row in rows) and any("○" in row["cells_html"] for row in rows)
        for row in rows:
            assert str(row["cells_html"]) == MATRIX_CELLS.render(Context({"row": row}))


# A target's row on the zone page as `parks/zone_body.html` drew it before `zone.target_row` (with the indicator's
# name now linked to the target's page, and a recurring duty's requirement as the plan sets it: 每半年, 每年N月底前).
TARGET_ROW = Template(
    """{% load i18n %}<tr><th scope="row"><a class="target-name" href="{{ row.target.get_absolute_url }}">{{ row.target.indicator.name }}</a><span class="muted"> · {{ row.target.indicator.get_kind_display }}</span>{% if row.target.basis == "office" %}<br><span class="muted small" data-basis="office" title="{{ row.target.note }}">{% translate "州开发区办分解，非方案原文" %}</span>{% endif %}</th>
          <td>{{ row.target.year }}</td>
          <td class="num">{% if row.card.goal %}≥{{ row.card.goal }}{% if row.card.stretch %}<br>{% translate "力争" %}{{ row.card.stretch }}{% endif %}{% elif row.card.stretch %}{% translate "力争" %}{{ row.card.stretch }}{% elif row.target.due_date %}{% if row.card.is_stretch %}{% translate "力争" %}{% endif %}{% translate "Y年n月j日" as day_format %}{{ row.target.due_date|date:day_format }}{% translate "前" %}{% elif row.target.required_count %}{% if row.target.per_half_year %}{% blocktranslate with n=row.target.required_count %}每半年{{ n }}次{% endblocktranslate %}{% elif row.target.due_month %}{% blocktranslate with n=row.target.required_count month=row.target.due_month %}每年{{ month }}月底前{{ n }}次{% endblocktranslate %}{% else %}{% blocktranslate with n=row.target.required_count %}每年{{ n }}次{% endblocktranslate %}{% endif %}{% else %}—{% endif %}</td>
          <td class="num">{{ row.card.value }}{% if row.card.as_of %}<br><span class="muted">{{ row.card.as_of }}</span>{% endif %}</td>
          <td class="num">{{ row.card.expected }}</td>
          <td><span class="status {{ row.card.status }}">{{ row.card.status_label }}</span></td>
          <td class="wrap">{{ row.card.reason }}{% if row.card.required_rate and row.target.indicator.kind == "average_growth" %}<br><span class="muted">{% blocktranslate with rate=row.card.required_rate %}尚需年均增长{{ rate }}{% endblocktranslate %}</span>{% endif %}</td></tr>"""  # noqa: E501
)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_zone_pages_target_rows_read_as_the_template_wrote_them(data, language):
    with translation.override(language):
        rows = [
            row
            for code in ("lufeng", "chuxiong-hitech", "wuding")
            for group in zone_dashboard(zone=data["zones"][code], today=timezone.localdate())["task_groups"]
            for row in group["rows"]
        ]
        kinds = {row["target"].indicator.kind for row in rows}
        assert {"level", "average_growth"} <= kinds and any(row["target"].basis == "office" for row in rows)
        for row in rows:
            assert str(row["html"]) == TARGET_ROW.render(Context({"row": row})), row["target"]


# A task's group of rows on the zone page as `parks/zone_body.html` drew it before `zone.task_group`, with the task's
# link moved from the summary into the group's body (no link inside a <summary>).
TASK_GROUP = Template(
    """{% load i18n %}<details class="task-group" {% if group.status == "red" or group.status == "amber" %}open{% endif %}>
    <summary><span class="status {{ group.status }}">{{ group.status_label }}</span>
      {% if group.task %}{{ group.task.number }}. {{ group.task.title }}{% else %}{% translate "发展目标" %}{% endif %}
      <span class="muted small">{% translate "（" %}{{ group.rows|length }}{% translate "项目标" %}{% translate "）" %}</span></summary>
{% if group.task %}    <p class="small task-link"><a href="{{ group.task.get_absolute_url }}">{% blocktranslate with number=group.task.number %}查看任务{{ number }}的详情{% endblocktranslate %}</a></p>
{% endif %}    <div class="scroll"><table class="table small">
      <thead><tr><th>{% translate "指标" %}</th><th>{% translate "年度" %}</th><th>{% translate "目标" %}</th><th>{% translate "最新值" %}</th><th>{% translate "序时目标" %}</th><th>{% translate "状态" %}</th><th>{% translate "说明" %}</th></tr></thead>
      <tbody>{% for row in group.rows %}
        {{ row.html }}
      {% endfor %}</tbody>
    </table></div>
  </details>"""  # noqa: E501
)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_zone_pages_task_groups_read_as_the_template_wrote_them(data, language):
    with translation.override(language):
        groups = [
            group
            for code in ("lufeng", "chuxiong-hitech", "wuding")
            for group in zone_dashboard(zone=data["zones"][code], today=timezone.localdate())["task_groups"]
        ]
        # Open (red, amber) and closed groups, tasks' groups and the development goals' (no task).
        assert {"red", "grey"} <= {group["status"] for group in groups}
        assert any(group["task"] is None for group in groups) and any(group["task"] for group in groups)
        for group in groups:
            assert str(group["html"]) == TASK_GROUP.render(Context({"group": group})), group["task"]


# A target's row on the task page as `tasks/task_body.html` drew it before `tasks.target_row` (with the indicator's
# name now linked to the target's page, and a recurring duty's requirement as the plan sets it: 每半年, 每年N月底前).
TASK_TARGET_ROW = Template(
    """{% load i18n %}{% with t=row.target indicator=row.indicator %}<tr><td class="wrap"><a class="target-name" href="{{ t.get_absolute_url }}">{{ indicator.name }}</a><span class="muted small"> · {{ indicator.get_kind_display }}{% if indicator.unit %} · {{ indicator.unit }}{% endif %}</span>
            {% if t.wording %}<br><span class="muted small">{{ t.wording }}</span>{% endif %}</td>
        <td class="words">{% if t.zone %}<a href="{{ t.zone.get_absolute_url }}">{{ t.scope_label }}</a>{% else %}{{ t.scope_label }}{% endif %}</td><td>{{ t.year }}</td>
        <td class="num">{{ t.committed_value|default_if_none:"—"|floatformat:"-2" }}</td>
        <td class="num">{{ t.stretch_value|default_if_none:"—"|floatformat:"-2" }}</td>
        <td>{% if t.due_date %}{% translate "Y年n月j日" as day_format %}{{ t.due_date|date:day_format }}{% elif t.required_count %}{% if t.per_half_year %}{% blocktranslate with n=t.required_count %}每半年{{ n }}次{% endblocktranslate %}{% elif t.due_month %}{% blocktranslate with n=t.required_count month=t.due_month %}每年{{ month }}月底前{{ n }}次{% endblocktranslate %}{% else %}{% blocktranslate with n=t.required_count %}每年{{ n }}次{% endblocktranslate %}{% endif %}{% endif %}</td>
        <td class="num">{{ row.card.value }}{% if row.card.as_of %}<br><span class="muted small">{{ row.card.as_of }}</span>{% endif %}</td>
        <td><span class="status {{ row.card.status }}">{{ row.card.status_label }}</span></td>
        <td class="small wrap">{{ row.card.reason }}</td></tr>{% endwith %}"""  # noqa: E501
)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_task_pages_target_rows_read_as_the_template_wrote_them(data, language):
    Target.objects.filter(pk=Target.objects.order_by("pk").first().pk).update(wording='<i>"原文"</i>', required_count=2)
    with translation.override(language):
        rows = [
            row
            for task in Task.objects.all()
            for row in task_dashboard(task=task_get(number=task.number), today=timezone.localdate())["target_rows"]
        ]
        targets = [row["target"] for row in rows]
        assert any(t.zone for t in targets) and any(not t.zone for t in targets) and any(t.wording for t in targets)
        assert any(t.due_date for t in targets) and any(t.required_count and not t.due_date for t in targets)
        for row in rows:
            assert str(row["html"]) == TASK_TARGET_ROW.render(Context({"row": row})), row["target"]


# A task's row on the unit page as `tasks/department_body.html` drew it before `tasks.unit_task_row`.
UNIT_TASK_ROW = Template(
    """{% load i18n %}{% with r=row.responsibility %}<tr><td class="wrap"><a href="{{ r.task.get_absolute_url }}">{{ r.task }}</a></td><td><span class="tag role-{{ r.role }}">{{ r.get_role_display }}</span>{% if r.acting_as %} {% translate "（" %}{% translate "以" %}{{ r.acting_as|join:_("、") }}{% translate "名义" %}{% translate "）" %}{% endif %}</td>
      <td><span class="status {{ row.status }}">{{ row.status_label }}</span></td></tr>{% endwith %}"""  # noqa: E501
)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_unit_pages_task_rows_read_as_the_template_wrote_them(data, language):
    Responsibility.objects.filter(pk=Responsibility.objects.order_by("pk").first().pk).update(
        acting_as=["<州>办", "国资委"]
    )
    with translation.override(language):
        rows = [
            row
            for department in Department.objects.filter(responsibilities__isnull=False).distinct()
            for row in department_dashboard(
                department=department_get(slug=department.slug), today=timezone.localdate()
            )["task_rows"]
        ]
        assert any(row["responsibility"].acting_as for row in rows) and len({row["status"] for row in rows}) >= 2
        for row in rows:
            assert str(row["html"]) == UNIT_TASK_ROW.render(Context({"row": row})), row["responsibility"]


# The bulletin's table of the zones' headline figures as `dashboards/bulletin.html` drew it before
# `headline_rows_html`.
HEADLINE_ROWS = Template(
    """{% load i18n %}{% translate "目标" as t_goal %}{% translate "力争" as t_stretch %}{% translate "无目标" as t_no_goal %}{% for row in headlines %}<tr><th scope="row">{{ row.zone.name }}</th>{% for card in row.cards %}<td class="num">{% if card.has_target %}{{ card.value }}<br><span class="muted">{% if card.goal %}{{ t_goal }}≥{{ card.goal }}{% elif card.stretch %}{{ t_stretch }}{{ card.stretch }}{% endif %}</span><br><span class="status {{ card.status }}">{{ card.status_label }}</span>{% else %}<span class="muted">{{ t_no_goal }}</span>{% endif %}</td>{% endfor %}</tr>{% if not forloop.last %}\n{% endif %}{% endfor %}"""  # noqa: E501
)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_bulletins_headline_rows_read_as_the_template_wrote_them(data, language):
    from pages.dashboards import headline_rows_html, period_summary
    from pages.dashboards.common import period_pick

    today = timezone.localdate()
    with translation.override(language):
        headlines = period_summary(period=period_pick(today=today), today=today)["headlines"]
        cards = [card for row in headlines for card in row["cards"]]
        assert any(card["has_target"] for card in cards) and any(not card["has_target"] for card in cards)
        assert any(card["goal"] for card in cards)
        # A zone's name and a card's words escaped as the template escaped them; a 力争-only goal.
        headlines[0]["zone"].name = '<b>"禄丰" & R&D</b>'
        shown = next(card for card in cards if card["has_target"])
        shown.update(goal="", stretch="1,200 <亿>", value="3'4")
        assert str(headline_rows_html(headlines)) == HEADLINE_ROWS.render(Context({"headlines": headlines}))
        assert "&lt;b&gt;&quot;禄丰&quot; &amp; R&amp;D&lt;/b&gt;" in str(headline_rows_html(headlines))
