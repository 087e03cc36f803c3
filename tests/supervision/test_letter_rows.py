"""A responsibility letter's target rows are written in Python (`letter_rows`): they must read as the template wrote
them, for targets with and without a stretch value, a letter's own value that differs, and no progress yet."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from indicators.models import ProgressResult
from parks.models import Zone
from supervision.models import LetterTarget
from supervision.selectors import zone_letter
from supervision.services import letter_create
from supervision.templatetags.supervision_tags import letter_rows
from tests.dashboards.data import build_small

# The rows as `supervision/_letter.html` drew them before `letter_rows`.
LETTER_ROWS = Template(
    """{% load i18n %}{% for t in targets %}<tr><td>{{ t.target.indicator.name }}</td><td>{{ t.target.committed_value|default_if_none:"—"|floatformat:"-2" }}{% if t.target.stretch_value is not None %} / {% translate "力争" %} {{ t.target.stretch_value|floatformat:"-2" }}{% endif %}</td>
<td>{{ t.committed_value|default_if_none:"—"|floatformat:"-2" }}{% if t.stretch_value is not None %} / {% translate "力争" %} {{ t.stretch_value|floatformat:"-2" }}{% endif %}{% if t.differs %} <span class="badge late">{% translate "与方案不同" %}</span> {{ t.note }}{% endif %}</td>
<td>{% if t.latest_status %}<span class="status {{ t.latest_status }}"></span> {% if t.latest_attainment is not None %}{% widthratio t.latest_attainment 1 100 %}%{% endif %}{% else %}<span class="muted">{% translate "暂无数据" %}</span>{% endif %}</td></tr>
{% endfor %}"""  # noqa: E501
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
        assert str(letter_rows(targets)) == LETTER_ROWS.render(Context({"targets": targets}))
    assert "&lt;b&gt;" in str(letter_rows(targets))
