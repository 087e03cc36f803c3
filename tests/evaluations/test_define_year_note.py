"""The define page says which year it defines, and why when that year is not the year just over: once the plan's
last 考评 is published it opens the year after the plan (2026), a policy the page states rather than hides."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from lxml import html

from evaluations.models import SchemeVersion
from evaluations.services import EvaluationError, SubIndicatorSpec, scheme_define

SHANGHAI = ZoneInfo("Asia/Shanghai")


def note(client, query=""):
    page = html.fromstring(client.get(f"/evaluations/define/{query}").content.decode())
    return " ".join(page.get_element_by_id("define-opened").text_content().split())


def scheme(year, state="draft"):
    defined = scheme_define(
        kind="prefecture",
        year=year,
        title=f"{year}年度考评",
        sub_indicators=[SubIndicatorSpec(group="党建", code="party", name="抓党建促发展成效", weight=100)],
    )
    SchemeVersion.objects.filter(pk=defined.pk).update(state=state)
    return defined


@time_machine.travel(datetime(2026, 12, 5, 10, tzinfo=SHANGHAI), tick=False)
def test_it_says_it_opens_the_year_after_the_plan_because_the_last_is_published(client_for, olga, plan):
    client = client_for(olga)
    assert note(client) == "本页定义2025年度的考评方案：该年度尚无方案，从模板开始。"  # the plan's last year
    scheme(2025, state="published")
    text = note(client)
    assert text.startswith("本页定义2026年度的考评方案：该年度尚无方案，从模板开始。")
    assert "2025年度考评已发布，因此打开其后尚未发布的2026年度。" in text
    assert "2026年不在行动方案年度（2023—2025年）内。" in text and "“打开年度”" in text
    scheme(2026, state="published")
    assert "2025—2026年度考评均已发布，因此打开其后尚未发布的2027年度。" in note(client)


@time_machine.travel(datetime(2024, 3, 1, 10, tzinfo=SHANGHAI), tick=False)
def test_it_says_whether_the_year_starts_from_a_stored_draft_or_a_published_scheme(client_for, olga, plan):
    client = client_for(olga)
    scheme(2023)
    assert note(client) == "本页定义2023年度的考评方案：从2024年3月1日 10:00保存的草稿开始。"
    assert note(client, "?year=2025") == "本页定义2025年度的考评方案：该年度尚无方案，从模板开始。"
    scheme(2022, state="published")  # asked for: no reason given, but outside the plan
    assert note(client, "?year=2022") == (
        "本页显示2022年度的考评方案：已发布，不能再修改。 2022年不在行动方案年度（2023—2025年）内。"
        " 要定义其他年度，请在上方“打开年度”中输入。"
    )


@pytest.mark.parametrize("language, words", [("en", "This page defines the 2026 evaluation scheme")])
@time_machine.travel(datetime(2026, 12, 5, 10, tzinfo=SHANGHAI), tick=False)
def test_the_note_reads_in_english(client_for, olga, plan, settings, language, words):
    scheme(2025, state="published")
    client = client_for(olga)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    text = note(client)
    assert words in text and "2025 evaluation is published" in text and "outside the plan's years (2023–2025)" in text


@pytest.mark.parametrize(
    ("today", "taken", "refused"),
    [
        (datetime(2026, 12, 6, 10, tzinfo=SHANGHAI), 2027, 2028),  # next year's scheme may be drawn up ahead
        (datetime(2027, 1, 2, 10, tzinfo=SHANGHAI), 2028, 2029),
        (datetime(2025, 6, 1, 10, tzinfo=SHANGHAI), 2026, 2031),
    ],
)
def test_a_scheme_is_defined_at_most_one_year_ahead_and_the_page_says_why(
    client_for, olga, plan, today, taken, refused
):
    """A 2031 scheme could be defined and computed in 2026: a typo in the year made a scheme no one would score."""
    with time_machine.travel(today, tick=False):
        assert scheme(taken).year == taken
        with pytest.raises(EvaluationError, match=f"不能定义{refused}年的评价方案：最远可提前定义下一年度"):
            scheme(refused)
        client = client_for(olga)
        form = html.fromstring(client.get(f"/evaluations/define/?year={taken}").content.decode())
        data = dict(form.get_element_by_id("define-form").form_values()) | {"year": str(refused)}
        page = client.post("/evaluations/define/", data)
    assert not SchemeVersion.objects.filter(year=refused).exists()
    assert page.status_code == 400
    assert f"不能定义{refused}年的评价方案：最远可提前定义下一年度（{taken}年）的方案。" in page.content.decode()
