"""In English, the dashboards, the unit page, the to-do list and the bulletin show no Chinese but names and
the plan's own text.

Every section is filled (the compact dataset plus one of everything: flags of all six rules, evaluations,
key projects, milestones, reports). The text inside <main> (chart data included) is taken, the data's own
words are removed — names of zones, counties, units, indicators, tasks, programmes, projects, the plan's
wording, units of measure, what people typed — by reading them from the database, and no Chinese character may
be left: what is left would be a sentence the portal computed (a reason, a period's name, a date, a
responsible party) and failed to word in English.

The page cache stays on and each page is read in Chinese first: an English reader served the Chinese body
would fail here too.
"""

import html
import json
import re

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from assessments import rules
from assessments.models import Flag
from evaluations.models import SchemeVersion, SubIndicator
from indicators.models import DispatchReport, Indicator, IndicatorValue, Target
from parks.models import Area, County, IndustryCluster, Zone
from projects.models import Project, ProjectReport
from tasks.models import Department, Plan, Programme, Safeguard, Task
from tests.dashboards.data import fill_every_section
from tests.dashboards.test_english_reasons import main_of

PAGES = {
    "overview": ("home", []),
    "zone lufeng": ("zone-detail", ["lufeng"]),
    "zone hitech": ("zone-detail", ["chuxiong-hitech"]),
    "zone wuding": ("zone-detail", ["wuding"]),  # bottom five, two years running: every responsible party
    "task 8": ("task-detail", [8]),
    "task 9": ("task-detail", [9]),
    "task 14": ("task-detail", [14]),
    "unit ndrc": ("department-detail", ["ndrc"]),  # its reports' deadlines
    "to-do": ("todo", []),
    "bulletin": ("bulletin", []),  # a document of its own: its <body> is read
}
# Chinese characters, and the full-width punctuation (、。（），：；) an English sentence must not carry either.
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3001\u3002\uff08\uff09\uff0c\uff1a\uff1b]+")
# Where the data's own words live: (model, fields).
DATA_WORDS = [
    (Zone, ["name", "short_name"]),
    (County, ["name"]),
    (Area, ["name"]),
    (IndustryCluster, ["name", "description"]),
    (Department, ["name"]),
    (Plan, ["title", "document_number", "issuing_body"]),
    (Programme, ["name"]),
    (Task, ["title", "text", "responsibility_text"]),
    (Safeguard, ["title", "text"]),
    (Indicator, ["name", "description"]),
    (Target, ["wording", "note"]),
    (IndicatorValue, ["note"]),
    (
        DispatchReport,
        ["work_done", "problems", "next_steps", "delay_reason", "return_reason", "reopen_reason", "waive_reason"],
    ),
    (Project, ["name", "area", "chain", "lead_person", "leader_in_charge", "enterprise", "exit_reason"]),
    (ProjectReport, ["image_progress", "problems", "coordination", "coordination_answer"]),
    (SchemeVersion, ["title", "purpose"]),
    (SubIndicator, ["group", "name"]),
]
# Units of measure (亿元, 人, 个…) are the data's too, but some are one character that sentences use as well
# (共66个, 人民政府): a unit is removed only where it stands as a unit — after a number, alone in brackets,
# quotes or a cell, or after a separator.
UNITS = [(Indicator, "unit"), (SubIndicator, "unit")]
# The plan's consequences are its own words (task 8); the portal's warning quotes the plan's goal.
PLAN_WORDS = [words for rule, words in rules.CONSEQUENCES.items() if rule != rules.NO_IMPROVEMENT]
PLAN_WORDS += [rules.IMPROVEMENT_GOAL, rules.NATIONAL_IMPROVEMENT_GOAL, rules.FINANCE_BUREAU]


def data_words() -> list[str]:
    words = set(PLAN_WORDS)
    # The bulletin's 落款 and 抄送 are the office's settings; a unit's other names are data too.
    words.update([django_settings.BULLETIN_ISSUER, *django_settings.BULLETIN_COPIES_TO])
    words.update(name for names in Department.objects.values_list("other_names", flat=True) for name in names or [])
    for model, fields in DATA_WORDS:
        for row in model.objects.values_list(*fields):
            for value in filter(None, row):
                words.add(value)
                words.update(line.strip() for line in value.splitlines() if line.strip())  # shown |linebreaks
    # The longest first, so that a name inside a longer text does not break the text up before it is removed.
    return sorted(words, key=len, reverse=True)


def visible_text(main: str) -> str:
    """The text and attribute values of <main>, entities and JSON escapes (\\u5e74) decoded."""
    text = html.unescape(main)
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


def units() -> re.Pattern:
    found = {unit for model, field in UNITS for unit in model.objects.values_list(field, flat=True) if unit}
    alternatives = "|".join(re.escape(unit) for unit in sorted(found, key=len, reverse=True))
    return re.compile(
        rf"(?<=[\d%])\s*(?:{alternatives})|\((?:{alternatives})\)|\"(?:{alternatives})\""
        rf"|>\s*(?:{alternatives})\s*<|·\s*(?:{alternatives})(?=\s*(?:<|$))",
        re.M,
    )


def left_over(main: str, words: list[str], unit_pattern: re.Pattern) -> list[str]:
    text = visible_text(main)
    for word in words:
        text = text.replace(word, " ")
        text = text.replace(json.dumps(word)[1:-1], " ")  # as written inside a JSON string
    return CJK.findall(unit_pattern.sub(" ", text))


@pytest.fixture
def filled(data):
    fill_every_section()
    assert Flag.objects.filter(zone__code="wuding", rule=rules.BOTTOM_FIVE_TWICE, outcome="fired").exists()
    assert Flag.objects.filter(rule=rules.NO_IMPROVEMENT, outcome="fired").exists()


def _main(client, settings, language: str, name: str) -> str:
    url, args = PAGES[name]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse(url, args=args))
    assert response.status_code == 200, (name, language, response.status_code)
    if name == "bulletin":
        return re.search(r"<body\b.*?</body>", response.content.decode(), re.S).group(0)
    return main_of(response.content.decode())


def test_the_english_pages_show_no_chinese_but_names_and_the_plans_text(client_for, olga, filled, settings):
    """One dataset for all the pages (filling every section takes a while)."""
    assert settings.PORTAL_PAGE_CACHE_SECONDS > 0  # the cache is on: a Chinese body served in English fails below
    client = client_for(olga)
    words, unit_pattern = data_words(), units()
    found = {}
    for name in PAGES:
        chinese = _main(client, settings, "zh-hans", name)
        # Not blind: the Chinese page has computed text beyond the names (period names, dates, reasons).
        assert len(left_over(chinese, words, unit_pattern)) > 5, f"{name}: no computed text in Chinese: a blind test"
        english = _main(client, settings, "en", name)
        found[name] = left_over(english, words, unit_pattern)
    assert found == {name: [] for name in PAGES}
