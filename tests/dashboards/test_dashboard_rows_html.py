"""The long tables' rows written in Python (`flag_rows_html`, `change_rows_html`) are the same HTML, byte for byte,
as the template loops they replace wrote, in Chinese and in English, every branch of a row included."""

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from django.utils import translation

from assessments.models import Flag, Rule
from pages.dashboards import change_rows_html, flag_rows, flag_rows_html

# The loops as dashboards/_flags.html and dashboards/_changes.html wrote them.
FLAG_LOOP = """{% load i18n %}{% for row in rows %}{% url 'flag-detail' row.flag.pk as flag_url %}
  <tr class="flag-{{ row.flag.state }}">
    <th scope="row">{% if hide_zone %}{{ row.flag.get_scheme_display }}{% else %}<a href="{{ row.flag.zone.get_absolute_url }}">{{ row.flag.zone.short_name|default:row.flag.zone.name }}</a>{% endif %}</th>
    <td>{{ row.flag.year }}</td>
    <td>{% if flag_url %}<a href="{{ flag_url }}">{{ row.flag.get_rule_display }}</a>{% else %}{{ row.flag.get_rule_display }}{% endif %}</td>
    <td class="wrap">{{ row.evidence }}{% if row.flag.reason_words %}<br><span class="muted">{{ row.flag.reason_words }}</span>{% endif %}</td>
    <td class="wrap">{{ row.flag.consequence_words }}</td>
    <td>{{ row.flag.responsible_party_words }}</td>
    <td class="wrap"><span class="badge flag-state {{ row.flag.state }}">{{ row.flag.get_state_display }}</span>{% if row.flag.note %}<br><span class="muted">{{ row.flag.note }}</span>{% endif %}{% if row.flag.handled_at %}<br><span class="muted">{% translate "Y年n月j日" as day_format %}{{ row.flag.handled_at|date:day_format }}</span>{% endif %}</td>
  </tr>
  {% empty %}
  <tr><td colspan="7" class="muted">{% translate "暂无问责提示" %}</td></tr>
  {% endfor %}"""  # noqa: E501
CHANGE_LOOP = """{% for c in changes %}<tr{% if c.worse %} class="worse"{% endif %}><th scope="row">{{ c.indicator.name }}</th><td>{{ c.scope }}</td>
  <td><span class="status {{ c.old }}">{{ c.old_short }}</span> → <span class="status {{ c.new }}" title="{{ c.reason }}">{{ c.new_short }}</span>
    <span class="muted">{{ c.periods }}</span><span class="visually-hidden">：{{ c.labels }}</span></td></tr>
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
