"""A responsibility letter's target rows are written in Python (`letter_rows`): they must read as the template wrote
them, for targets with and without a stretch value, a letter's own value that differs, and no progress yet; each
status in words."""

import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from indicators.models import ProgressResult
from indicators.progress.status_words import status_short
from parks.models import Zone
from supervision.models import LetterTarget
from supervision.selectors import zone_letter
from supervision.services import letter_create
from supervision.templatetags.supervision_tags import letter_rows
from tests.dashboards.data import build_small

# The rows as a template would draw them (`supervision/_letter.html` did, before `letter_rows`), each value with its
# indicator's unit, and "—" for a value the letter or the plan does not set.
LETTER_ROWS = Template(
    """{% load i18n %}{% for t in targets %}<tr><td>{{ t.target.indicator.name }}</td>{% with u=t.target.indicator.unit %}<td data-label="{% translate "方案目标" %}">{% if t.target.committed_value is None %}—{% else %}{{ t.target.committed_value|floatformat:"-2" }}{% if u %} {{ u }}{% endif %}{% endif %}{% if t.target.stretch_value is not None %} / {% translate "力争" %} {{ t.target.stretch_value|floatformat:"-2" }}{% if u %} {{ u }}{% endif %}{% endif %}</td>
<td data-label="{% translate "责任书目标" %}">{% if t.committed_value is None %}—{% else %}{{ t.committed_value|floatformat:"-2" }}{% if u %} {{ u }}{% endif %}{% endif %}{% if t.stretch_value is not None %} / {% translate "力争" %} {{ t.stretch_value|floatformat:"-2" }}{% if u %} {{ u }}{% endif %}{% endif %}{% if t.differs %} <span class="badge late">{% translate "与方案不同" %}</span> {{ t.note }}{% endif %}</td>
<td data-label="{% translate "最新进度" %}">{% if t.latest_status %}<span class="status {{ t.latest_status }}">{{ t.status_words }}</span>{% if t.latest_attainment is not None %} {% widthratio t.latest_attainment 1 100 %}%{% endif %}{% else %}<span class="muted">{% translate "暂无数据" %}</span>{% endif %}</td></tr>
{% endwith %}{% endfor %}"""  # noqa: E501
)


@pytest.fixture
def data(plan):
    return build_small()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_letters_rows_read_as_the_template_wrote_them(data, language):
    zone = Zone.objects.get(code="lufeng")
    letter = letter_create(zone=zone, year=2025)
    first, second, *_rest = letter.targets.order_by("pk")
    LetterTarget.objects.filter(pk=first.pk).update(committed_value=Decimal("12.345"), note='<b>"改"</b>')
    LetterTarget.objects.filter(pk=second.pk).update(stretch_value=Decimal("7"), committed_value=None)
    ProgressResult.objects.filter(target=first.target).update(attainment=Decimal("0.8550"))
    ProgressResult.objects.filter(target=second.target).delete()
    _letter, targets = zone_letter(zone=zone, year=2025)
    assert any(t.differs for t in targets) and any(not t.latest_status for t in targets)
    assert any(t.latest_attainment is not None for t in targets)
    with translation.override(language):
        for t in targets:
            t.status_words = status_short(t.latest_status) if t.latest_status else ""
        assert str(letter_rows(targets)) == LETTER_ROWS.render(Context({"targets": targets}))
    rows = str(letter_rows(targets))
    # Every status pill says its status: an empty one has no height, and the status would not show at all.
    assert re.search(r'class="status \w+"></span>', rows) is None
    assert re.search(r'class="status \w+">(正常|略低|滞后|无数据)</span> 86%', rows)
    assert "&lt;b&gt;" in rows
    unit = second.target.indicator.unit
    assert (
        unit and f'<td data-label="责任书目标">— / 力争 7 {unit}' in rows
    )  # no empty value before "/", and the unit after each one
