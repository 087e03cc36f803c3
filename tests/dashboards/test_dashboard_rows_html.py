"""The long tables' rows written in Python (`flag_rows_html`, `change_rows_html`) are the same HTML, byte for byte,
as the template loops they replace wrote, in Chinese and in English, every branch of a row included."""

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from django.template.loader import render_to_string
from django.utils import translation

from assessments.models import Flag, Rule
from indicators.selectors import task_statuses
from pages.dashboards import board_html, change_rows_html, flag_rows, flag_rows_html, task_board, zone_cards_html
from tasks.selectors import plan_get

# The loops as dashboards/_flags.html and dashboards/_changes.html wrote them.
FLAG_LOOP = """{% load i18n %}{% for row in rows %}{% url 'flag-detail' row.flag.pk as flag_url %}
  <tr class="flag-{{ row.flag.state }}">
    <th scope="row" class="words">{% if hide_zone %}{{ row.flag.get_scheme_display }}{% else %}<a href="{{ row.flag.zone.get_absolute_url }}">{{ row.flag.zone.short_name|default:row.flag.zone.name }}</a>{% endif %}</th>
    {% if hide_zone %}<td>{{ row.flag.year }}</td>{% else %}<td class="wrap">{{ row.flag.year }}<br><span class="muted">{{ row.flag.get_scheme_display }}</span></td>{% endif %}
    <td class="words">{% if flag_url %}<a href="{{ flag_url }}">{{ row.flag.get_rule_display }}</a>{% else %}{{ row.flag.get_rule_display }}{% endif %}</td>
    <td class="wrap">{{ row.evidence }}{% if row.flag.reason_words %}<br><span class="muted">{{ row.flag.reason_words }}</span>{% endif %}</td>
    <td class="wrap">{{ row.flag.consequence_words }}</td>
    <td class="words">{{ row.flag.responsible_party_words }}</td>
    <td class="wrap"><span class="badge flag-state {{ row.flag.state }}">{{ row.flag.get_state_display }}</span>{% if row.flag.note %}<br><span class="muted">{{ row.flag.note }}</span>{% endif %}{% if row.flag.handled_at %}<br><span class="muted">{% translate "Y年n月j日" as day_format %}{{ row.flag.handled_at|date:day_format }}</span>{% endif %}</td>
  </tr>
  {% empty %}
  <tr><td colspan="7" class="muted">{% translate "暂无问责提示" %}</td></tr>
  {% endfor %}"""  # noqa: E501
CHANGE_LOOP = """{% load i18n %}{% for c in changes %}<tr{% if c.worse %} class="worse"{% endif %}><th scope="row" class="words">{{ c.indicator.name }}</th><td>{{ c.scope }}</td>
  <td class="words"><span class="status {{ c.old }}">{{ c.old_short }}</span> → <span class="status {{ c.new }}" title="{{ c.reason }}">{{ c.new_short }}</span>
    <span class="muted">{{ c.periods }}</span><span class="visually-hidden">{% translate "：" %}{{ c.labels }}</span></td></tr>
{% endfor %}"""  # noqa: E501


# The zone cards as dashboards/overview_body.html wrote them.
ZONE_LOOP = """{% load i18n %}{% translate "截至" as t_as_of %}{% translate "暂无数据" as t_no_data %}{% translate "年目标" as t_year_goal %}{% translate "年力争" as t_year_stretch %}{% translate "尚需年均增速" as t_rate_needed %}{% translate "完成序时进度" as t_on_pace %}{% translate "完成目标" as t_on_goal %}{% translate "方案未对本园区设定该项目标" as t_no_goal %}{% translate "属地" as t_county %}{% for row in headlines %}
    <article class="zone-card zone-{{ row.status }}">
      <header class="zone-card-head">
        <h3><a href="{{ row.zone.get_absolute_url }}">{{ row.zone.name }}</a></h3>
        <p class="muted small">{{ row.zone.get_level_display }} · {{ t_county }}{{ row.zone.county.name }}</p>
      </header>
      <div class="kpi-grid">{% for card in row.cards %}<div class="kpi kpi-{{ card.status }}">
  <div class="kpi-name">{{ card.name }}</div>
  {% if card.has_target %}
  <div class="kpi-value">{{ card.value }}</div>
  <div class="kpi-meta">{% if card.as_of %}{{ t_as_of }}{{ card.as_of }}{% else %}{{ t_no_data }}{% endif %}</div>
  {% if card.goal %}<div class="kpi-meta">{{ card.goal_year }}{{ t_year_goal }} ≥{{ card.goal }}</div>{% endif %}
  {% if card.stretch %}<div class="kpi-meta">{{ card.goal_year }}{{ t_year_stretch }} {{ card.stretch }}</div>{% endif %}
  {% if card.projection %}<div class="kpi-meta">{% blocktranslate with year=card.goal_year %}预计{{ year }}年{% endblocktranslate %} {{ card.projection }}{% if card.required_rate %} · {{ t_rate_needed }} {{ card.required_rate }}{% endif %}</div>{% endif %}
  <div class="kpi-foot"><span class="status {{ card.status }}">{{ card.status_label }}</span>{% if card.attainment != "—" %} <span class="muted small">{% if card.at_goal %}{{ t_on_goal }}{% else %}{{ t_on_pace }}{% endif %} {{ card.attainment }}</span>{% endif %}</div>
  {% else %}
  <div class="kpi-value muted">—</div>
  <div class="kpi-meta">{{ t_no_goal }}</div>
  {% endif %}
</div>
{% endfor %}</div>
    </article>
    {% empty %}<p class="muted">{% translate "暂无开发区" %}</p>
    {% endfor %}"""  # noqa: E501


# The programmes and task tiles as dashboards/overview_body.html wrote them.
BOARD_LOOP = """{% load i18n %}{% for block in board.programmes %}
      <div class="programme programme-{{ block.status }}">
        <h3>{% translate "（" %}{{ block.programme.number }}{% translate "）" %}{{ block.programme.name }} <span class="status {{ block.status }}">{{ block.status_label }}</span></h3>
        <ul class="tiles">
          {% for t in block.tasks %}
          <li><a class="tile tile-{{ t.status }}" href="{{ t.task.get_absolute_url }}" title="{{ t.status_label }}{% for r in t.reasons %}{% translate "；" %}{{ r }}{% endfor %}">
            <span class="tile-no">{{ t.task.number }}</span><span class="tile-title">{{ t.task.title }}</span><span class="visually-hidden">{% translate "（" %}{{ t.status_label }}{% translate "）" %}</span></a></li>
          {% endfor %}
        </ul>
      </div>
      {% endfor %}"""  # noqa: E501


def loop(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.fixture
def flags(plan):
    handled = datetime(2025, 3, 31, 20, 30, tzinfo=ZoneInfo("UTC"))  # 1 April in Chuxiong
    return [
        Flag.objects.create(
            zone=plan["lufeng"],
            year=2025,
            rule=Rule.BOTTOM_FIVE,
            consequence="约谈<主要负责人>",
            responsible_party="禄丰市人民政府",
            note='已约谈 & "整改"',
            state=Flag.State.ACKNOWLEDGED,
            handled_at=handled,
        ),
        Flag.objects.create(zone=plan["hitech"], year=2024, rule=Rule.BOTTOM_FIVE, consequence="通报"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("hide_zone", [False, True])
def test_it_writes_the_flag_rows_as_the_template_did(flags, language, hide_zone):
    rows = flag_rows(flags)
    with translation.override(language):
        assert flag_rows_html(rows, hide_zone=hide_zone) == loop(FLAG_LOOP, rows=rows, hide_zone=hide_zone)
        assert flag_rows_html([], hide_zone=hide_zone) == loop(FLAG_LOOP, rows=[], hide_zone=hide_zone)


def change(*, worse: bool, scope: str) -> dict:
    old, new = ("green", "red") if worse else ("amber", "green")
    return {
        "indicator": SimpleNamespace(name="工业总产值<增速>", order=1),
        "scope": scope,
        "old": old,
        "new": new,
        "old_short": old,
        "new_short": new,
        "periods": "2025年11月 → 2025年12月",
        "labels": f"{old} → {new}",
        "reason": '本年累计值1,245.85，"序时进度" & more',
        "worse": worse,
    }


def test_it_writes_the_change_rows_as_the_template_did():
    changes = [change(worse=True, scope="<b>全州 & “开发区”</b>"), change(worse=False, scope="禄丰产业园区")]
    assert change_rows_html(changes) == loop(CHANGE_LOOP, changes=changes)
    assert change_rows_html([]) == ""


def card(**shown) -> dict:
    return {
        "name": "工业总产值<合计>",
        "status": "amber",
        "status_label": "略低于序时进度",
        "has_target": True,
        "value": "1,245.8亿元",
        "as_of": "2025年11月",
        "goal_year": 2025,
        "goal": "",
        "stretch": "",
        "projection": "",
        "required_rate": "",
        "attainment": "—",
        "at_goal": False,
        **shown,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_the_zone_cards_as_the_template_did(plan, language):
    cards = [
        card(goal="1,500.0亿元", stretch="2,000.0亿元", projection="1,398.7亿元", attainment="93.2%"),
        card(as_of="", projection="24.9%", required_rate="18.1%", status="green"),
        card(stretch="1,200.0亿元", value="A & B"),
        card(goal="30%", attainment="95.0%", at_goal=True),
        card(has_target=False, status="grey"),
    ]
    headlines = [
        {"zone": plan["lufeng"], "cards": cards, "status": "amber"},
        {"zone": plan["hitech"], "cards": [], "status": "grey"},
    ]
    with translation.override(language):
        assert zone_cards_html(headlines) == loop(ZONE_LOOP, headlines=headlines)
        assert zone_cards_html([]) == loop(ZONE_LOOP, headlines=[])


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_the_task_board_as_the_template_did(data, language):
    with translation.override(language):
        board = task_board(task_statuses(as_of=data["period"].end, plan=plan_get()))
        tiles = [t for block in board["programmes"] for t in block["tasks"]]
        assert len(tiles) == 26 and len({t["status"] for t in tiles}) > 1
        tiles[0]["reasons"] = ["州发展改革委报告滞后", "<i>工业总产值</i> & “增速”"]  # escaped as the template did
        assert board_html(board) == loop(BOARD_LOOP, board=board)


def test_the_flags_first_column_is_headed_by_what_it_holds():
    """On a zone's page the first column holds the evaluation (全省开发区高质量发展评价), not a zone."""
    assert "<th>评价</th>" in render_to_string("dashboards/_flags.html", {"rows": [], "hide_zone": True})
    assert "<th>开发区</th>" in render_to_string("dashboards/_flags.html", {"rows": [], "hide_zone": False})
