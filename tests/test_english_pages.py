"""With the demo loaded, an English reader meets no Chinese on the portal's pages and downloads but the data's.

`tests/dashboards/test_english_pages_have_no_computed_chinese.py` holds the dashboards to this; here the rest of
what a user reaches is read the same way: the report, the projects, the safeguards, the evaluations, the
supervision lists, data quality, the flags, the units, the matrix, and the Word and Excel downloads an English
reader can take (the report's Excel template and the final evaluation's downloads are Chinese by design: the
template's labels are its file format, the evaluation is drawn in the plan's language).

What may stay Chinese is read from the database (the data's words of the dashboards' test, plus the supervision
items, the letters, the evaluations' zones and scores and people's names); what is left over is a word, a unit
or a punctuation mark the portal wrote itself and failed to word in English. The page is read as a user sees it:
its text, the attributes a user meets (title, placeholder, aria-label, alt, data-confirm, a button's value) and
the chart data its scripts draw.
"""

import io
import json
import re

import lxml.html
import openpyxl
import pytest
from django.conf import settings
from django.utils.translation import get_language_info
from docx import Document

from assessments.models import Flag
from chuxiong_portal.models import User
from evaluations.models import EvaluationResult, SchemeVersion, SubScore
from indicators.models import DispatchReport, ReportingPeriod, Target
from pages.management.commands.recompute import flags_recompute, progress_recompute
from projects.models import Project
from supervision.models import ResponsibilityLetter, SupervisionItem, SupervisionStep, WorkItem, WorkReport
from tasks.models import Department
from tests.dashboards.test_english_pages_have_no_computed_chinese import CJK, data_words, units
from tools.demo import demo_load

# Beyond the dashboards' data: what the supervision, letters and evaluations pages list, and people's names.
MORE_DATA_WORDS = [
    (SupervisionItem, ["number", "source_text", "requirement"]),
    (WorkItem, ["title", "evidence_required", "result"]),
    (WorkReport, ["text", "return_reason"]),
    (SupervisionStep, ["text"]),
    (ResponsibilityLetter, ["prefecture_signatory", "zone_signatory", "note"]),
    (EvaluationResult, ["zone_name"]),
    (SubScore, ["reason"]),
    (User, ["first_name", "last_name"]),
]
ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "data-confirm")


def _demo_words() -> list[str]:
    words = set(data_words())
    for model, fields in MORE_DATA_WORDS:
        for row in model.objects.values_list(*fields):
            for value in filter(None, row):
                words.add(value)
                words.update(line.strip() for line in value.splitlines() if line.strip())
    words.update(str(user) for user in User.objects.select_related("department", "zone"))
    # The language switcher names each language in itself (简体中文).
    words.update(get_language_info(code)["name_local"] for code, _name in settings.LANGUAGES)
    return sorted(words, key=len, reverse=True)


def _json_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_json_strings(k), *_json_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _json_strings(v)]
    return []


def page_texts(content: bytes) -> list[str]:
    """What a reader meets on the page: text outside scripts, the attributes read out, the charts' data."""
    texts = []
    for element in lxml.html.fromstring(content).iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "script":
            if element.get("type") == "application/json" and element.text:
                texts += _json_strings(json.loads(element.text))
        elif element.tag != "style" and element.text:
            texts.append(element.text)
        if element.tail:
            texts.append(element.tail)
        texts += [element.get(name) for name in ATTRIBUTES if element.get(name)]
        if element.tag in ("input", "button") and element.get("type") in ("submit", "button") and element.get("value"):
            texts.append(element.get("value"))
    return [text.strip() for text in texts if text.strip()]


def workbook_texts(content: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    texts = [sheet.title for sheet in book.worksheets]
    for sheet in book.worksheets:
        texts += [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    return texts


def document_texts(content: bytes) -> list[str]:
    document = Document(io.BytesIO(content))
    texts = [paragraph.text for paragraph in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return texts


def left_over(texts: list[str], words: list[str], unit_pattern: re.Pattern) -> list[str]:
    """The Chinese left in `texts` once the data's words and units are taken out, each text in its own cell."""
    found = []
    for text in texts:
        if not CJK.search(text):
            continue
        for word in words:
            if word in text:
                text = text.replace(word, " ")
        found += [f"{hit} in {text.strip()[:80]!r}" for hit in CJK.findall(unit_pattern.sub(" ", f">{text}<"))]
    return found


def _urls() -> dict[str, str]:
    """A representative page of each kind, and the downloads an English reader gets in English."""
    report = DispatchReport.objects.filter(state="approved", task__isnull=False).order_by("pk").first()
    zone_report = DispatchReport.objects.filter(zone__isnull=False).exclude(state="draft").order_by("pk").first()
    scheme = SchemeVersion.objects.filter(results__isnull=False).order_by("kind", "-year").distinct().first()
    gap_zone = EvaluationResult.objects.filter(scheme=scheme, zone__isnull=False).values_list("zone__code", flat=True)
    project = Project.objects.order_by("code").first()
    period = ReportingPeriod.objects.filter(reports__isnull=False).order_by("-end").first()
    work_item = WorkItem.objects.order_by("pk").first()
    target = Target.objects.filter(indicator__unit__gt="").order_by("pk").first()
    scheme_url = f"/evaluations/{scheme.kind}/{scheme.year}/"
    return {
        "overview": "/",
        "unit list": "/departments/",
        "unit with other names": f"/departments/{Department.objects.exclude(other_names=[]).first().slug}/",
        "matrix": "/matrix/",
        "task list": "/tasks/",
        "target": f"/targets/{target.pk}/",
        "changes": "/changes/",
        "report": f"/reports/{report.pk}/",
        "zone report": f"/reports/{zone_report.pk}/",
        "projects board": "/projects/board/",
        "projects list": "/projects/",
        "projects figures": "/projects/figures/",
        "project": f"/projects/{project.code}/",
        "safeguards": "/safeguards/",
        "safeguard record": "/safeguards/key-task-list-review/record/",  # a checked item with a unit (次)
        "evaluations": "/evaluations/",
        "evaluation scheme": scheme_url,
        "evaluation gap": f"{scheme_url}zones/{gap_zone.first()}/",
        "supervision": "/supervision/",
        "supervision item": f"/supervision/{SupervisionItem.objects.order_by('pk').first().pk}/",
        "letters": "/letters/",
        "letter": f"/letters/{ResponsibilityLetter.objects.order_by('pk').first().pk}/",
        "work items": "/work-items/",
        "work item": f"/work-items/{work_item.pk}/",
        "task list of the year": f"/task-lists/{work_item.task_list.year}/",
        "data quality": "/data-quality/",
        "reconciliation": "/reconciliation/",
        "flags": "/flags/",
        "flag": f"/flags/{Flag.objects.order_by('pk').first().pk}/",
        "bulletin.docx": f"/bulletin/{period.pk}.docx",
        "bulletin.xlsx": f"/bulletin/{period.pk}.xlsx",
        "projects board.xlsx": "/projects/board.xlsx",
        "evaluation results.xlsx": f"{scheme_url}results.xlsx",
        "evaluation results.docx": f"{scheme_url}results.docx",
    }


def _texts(response) -> list[str]:
    kind = response["Content-Type"]
    if "spreadsheet" in kind:
        return workbook_texts(response.content)
    if "wordprocessing" in kind:
        return document_texts(response.content)
    assert "html" in kind, kind
    return page_texts(response.content)


@pytest.fixture
def demo(plan):
    demo_load()
    progress_recompute()
    flags_recompute()


def test_the_demos_english_pages_and_downloads_show_no_chinese_but_the_datas(client, demo):
    client.force_login(User.objects.get(username="demo-office"))
    words, unit_pattern = _demo_words(), units()
    found, chinese_seen = {}, {}
    for name, url in _urls().items():
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
        chinese = client.get(url)
        assert chinese.status_code == 200, (name, url, chinese.status_code)
        chinese_seen[name] = bool(left_over(_texts(chinese), words, unit_pattern))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = client.get(url)
        assert english.status_code == 200, (name, url, english.status_code)
        found[name] = left_over(_texts(english), words, unit_pattern)
    # Not blind: in Chinese each page and download has words of its own beyond the data's.
    assert [name for name, seen in chinese_seen.items() if not seen] == []
    found = {name: hits for name, hits in found.items() if hits}
    assert found == {}
