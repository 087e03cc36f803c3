"""The final evaluation page and its downloads: the same figures in the page, the .docx and the .xlsx.

The page is parsed with lxml, the Word document with python-docx and the workbook with openpyxl; every
table row of every section must agree, cell by cell (the workbook holds numbers where the page shows them).
"""

from datetime import datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from docx import Document
from lxml import html
from openpyxl import load_workbook

from assessments.models import Flag
from assessments.rules import POSITIVE_RULES
from assessments.services import flag_transition
from closeout.documents import neutralise
from indicators.models import DispatchReport, Indicator, IndicatorValue, ReportingPeriod, Target
from indicators.progress.services import progress_recompute
from tasks.models import Department, Plan, Responsibility, Task
from tests.dashboards.data import build_small

CODE = "zones-2023-2025"
TZ = ZoneInfo("Asia/Shanghai")
LATE_2026 = datetime(2026, 12, 1, 10, tzinfo=TZ)


def urls():
    return {
        kind: reverse(name, args=[CODE])
        for kind, name in (
            ("page", "plan-evaluation"),
            ("docx", "plan-evaluation-docx"),
            ("xlsx", "plan-evaluation-xlsx"),
        )
    }


@pytest.fixture
def evaluated(plan, olga):
    """The compact dataset, a province figure that overrides a unit's, and a handled flag with formula-like text."""
    with time_machine.travel(LATE_2026, tick=False):
        data = build_small()
        hitech = data["zones"]["chuxiong-hitech"]
        december = ReportingPeriod.objects.get(cadence="monthly", year=2025, index=12)
        IndicatorValue.objects.create(
            indicator=Indicator.objects.get(code="industrial-output"),
            period=december,
            scope="zone",
            zone=hitech,
            value=Decimal("1600"),
            source="province",
        )
        june_2024 = ReportingPeriod.objects.get(cadence="monthly", year=2024, index=6)
        IndicatorValue.objects.create(
            indicator=Indicator.objects.get(code="industrial-output-growth"),
            period=june_2024,
            scope="zone",
            zone=data["zones"]["lufeng"],
            value=Decimal("19.5"),
        )  # no December 2024 figure: no 年均 over 2023–2025
        DispatchReport.objects.create(  # an earlier report of miit's on task 9: its last one counts
            department=Department.objects.get(slug="miit"),
            task=Task.objects.get(number=9),
            period=ReportingPeriod.objects.get(cadence="biweekly", year=2025, index=1),
            state="approved",
            progress="delayed",
            first_submitted_at=LATE_2026,
        )
        progress_recompute()
        flag = Flag.objects.filter(outcome=Flag.Outcome.FIRED).first()
        flag_transition(flag=flag, user=olga, state=Flag.State.RESOLVED, note='=HYPERLINK("http://x","约谈已完成")')
    return {"hitech": hitech, "lufeng": data["zones"]["lufeng"], "flag": flag}


def page_tables(content: bytes) -> dict[str, list[tuple[str, list[str]]]]:
    tree = html.fromstring(content.decode())
    tables = {}
    for section in tree.xpath("//section[@data-section]"):
        rows = [
            (tr.get("data-row"), [td.text_content() for td in tr.xpath("./td")])
            for tr in section.xpath(".//tbody/tr[@data-row]")
        ]
        tables[section.get("data-section")] = rows
    return tables


def docx_tables(content: bytes) -> list[list[list[str]]]:
    return [
        [[cell.text for cell in row.cells] for row in table.rows[1:]] for table in Document(BytesIO(content)).tables
    ]


def xlsx_tables(content: bytes, headers: list[list[str]]) -> list[list[list]]:
    """Each sheet's rows below its header row (found by the page's headers)."""
    workbook = load_workbook(BytesIO(content))
    tables = []
    for sheet, header in zip(workbook.worksheets, headers, strict=True):
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        start = next(i for i, r in enumerate(rows) if [c for c in r if c is not None] == header)
        tables.append(
            [
                [sheet.cell(row=start + 2 + i, column=j + 1) for j in range(len(header))]
                for i in range(len(rows) - start - 1)
            ]
        )
    return tables


def page_headers(content: bytes) -> list[list[str]]:
    tree = html.fromstring(content.decode())
    return [[th.text_content() for th in s.xpath(".//thead//th")] for s in tree.xpath("//section[@data-section]")]


def as_number(text: str) -> Decimal:
    return Decimal(text.replace(",", "").rstrip("%"))


def fetch(client):
    got = {kind: client.get(url) for kind, url in urls().items()}
    assert {kind: r.status_code for kind, r in got.items()} == {"page": 200, "docx": 200, "xlsx": 200}
    return got["page"].content, got["docx"].content, got["xlsx"].content


@time_machine.travel(LATE_2026, tick=False)
def test_it_shows_the_same_figures_in_the_page_the_docx_and_the_xlsx(client_for, olga, evaluated):
    page, docx, xlsx = fetch(client_for(olga))
    tables = page_tables(page)
    assert list(tables) == [
        "summary",
        "goals",
        "zones",
        "clusters",
        "tasks",
        "units",
        "milestones",
        "flags",
        "reporting",
    ]
    assert len(tables["goals"]) > 50 and len(tables["milestones"]) > 10 and tables["flags"]
    word = docx_tables(docx)
    sheets = xlsx_tables(xlsx, page_headers(page))
    numbers = 0
    for (key, rows), word_rows, sheet_rows in zip(tables.items(), word, sheets, strict=True):
        page_rows = [cells for _id, cells in rows]
        assert word_rows == page_rows, key
        assert len(sheet_rows) == len(page_rows), key
        for page_row, sheet_row in zip(page_rows, sheet_rows, strict=True):
            for text, cell in zip(page_row, sheet_row, strict=True):
                if isinstance(cell.value, int | float):
                    assert as_number(text) == Decimal(str(cell.value)), (key, page_row)
                    numbers += 1
                else:
                    assert cell.value == neutralise(text), (key, page_row)
    assert numbers > 500


@time_machine.travel(LATE_2026, tick=False)
def test_the_provinces_figure_decides_and_both_figures_are_shown(client_for, olga, evaluated):
    page, _docx, _xlsx = fetch(client_for(olga))
    target = Target.objects.get(indicator__code="industrial-output", zone=evaluated["hitech"])
    row = dict(page_tables(page)["goals"])[str(target.pk)]
    # 任务 指标 范围 年度 单位 约束值 力争值 最终值 来源 单位填报值 省统计值 数据截至 评估结果
    assert row[5:] == [
        "1,500.0",
        "2,000.0",
        "1,600.0",
        "省统计数据",
        "1,238.4",
        "1,600.0",
        "2025年12月31日",
        "完成约束值，未达力争值",
    ]
    revenue = Target.objects.get(indicator__code="operating-revenue", zone=evaluated["hitech"])
    assert dict(page_tables(page)["goals"])[str(revenue.pk)][7:9] == ["1,300.0", "单位填报"]
    assert dict(page_tables(page)["goals"])[str(revenue.pk)][-1] == "未完成"
    # 年均: judged on the year-end rates of 2023–2025; without December 2024 there is no final value.
    growth = Target.objects.get(indicator__code="industrial-output-growth", zone=evaluated["lufeng"], year=2025)
    assert dict(page_tables(page)["goals"])[str(growth.pk)][7:] == [
        "—",
        "—",
        "—",
        "—",
        "—",
        "暂无最终数据（缺少2023、2024年的年末数据）",
    ]


@time_machine.travel(LATE_2026, tick=False)
def test_it_counts_the_goals_per_zone_as_listed(client_for, olga, evaluated):
    page, _docx, _xlsx = fetch(client_for(olga))
    tables = page_tables(page)
    goals = [cells for _id, cells in tables["goals"]]
    hitech = dict(tables["zones"])["chuxiong-hitech"]
    listed = [g for g in goals if g[2] == "楚雄国家高新区"]
    assert int(hitech[1]) == len(listed)
    assert int(hitech[3]) == sum(g[-1] == "完成约束值，未达力争值" for g in listed) >= 1
    assert int(hitech[4]) == sum(g[-1] == "力争目标未达到" for g in listed)
    assert int(hitech[5]) == sum(g[-1] == "未完成" for g in listed) >= 1
    # Every task of the plan is listed (and the 发展目标 section), every prefecture unit that answers for one.
    assert [key for key, _cells in tables["tasks"]] == ["0", *(str(n) for n in range(1, 27))]
    units = Responsibility.objects.filter(task__plan__code=CODE, department__kind="prefecture")
    assert {key for key, _cells in tables["units"]} == set(units.values_list("department__slug", flat=True))
    assert dict(tables["units"])["miit"][1] == str(units.filter(department__slug="miit", role="lead").count())
    # 未启动 推进中 已完成 滞后, from each unit's last report on the task: miit's on task 9, ndrc's on task 14.
    tasks = dict(tables["tasks"])
    assert (tasks["9"][12:], tasks["14"][12:], tasks["0"][12:]) == (
        ["0", "1", "0", "0"],
        ["0", "0", "0", "1"],
        ["—"] * 4,
    )


@time_machine.travel(LATE_2026, tick=False)
def test_it_lists_each_flag_with_its_handling_and_keeps_formula_text_inert(client_for, olga, evaluated):
    page, docx, xlsx = fetch(client_for(olga))
    row = dict(page_tables(page)["flags"])[str(evaluated["flag"].pk)]
    note = '=HYPERLINK("http://x","约谈已完成")'
    assert row[4:5] + row[8:11] == ["触发", "已办结", note, "olga"]
    assert any(note in cells for table in docx_tables(docx) for cells in table)
    workbook = load_workbook(BytesIO(xlsx))
    cells = [
        c for ws in workbook.worksheets for r in ws.iter_rows() for c in r if c.value and "HYPERLINK" in str(c.value)
    ]
    assert [(c.value, c.data_type) for c in cells] == [("'" + note, "s")]


@time_machine.travel(LATE_2026, tick=False)
def test_the_summary_counts_the_flags_that_stand_and_keeps_the_positive_ones_apart(client_for, olga, evaluated):
    """A withdrawn flag (its ranking corrected) is neither listed nor counted; a rule that could not be judged is listed
    as such and counted apart; the positive consequences are not counted among the accountability flags."""
    fired = Flag.objects.filter(outcome=Flag.Outcome.FIRED)
    withdrawn = fired.exclude(pk=evaluated["flag"].pk).exclude(rule__in=POSITIVE_RULES).order_by("pk").first()
    Flag.objects.filter(pk=withdrawn.pk).update(state=Flag.State.WITHDRAWN)
    unjudged = fired.exclude(pk__in=[withdrawn.pk, evaluated["flag"].pk]).exclude(rule__in=POSITIVE_RULES)[0]
    Flag.objects.filter(pk=unjudged.pk).update(outcome=Flag.Outcome.NOT_EVALUABLE, evidence={"missing_years": [2024]})
    handled = fired.exclude(pk__in=[withdrawn.pk, unjudged.pk]).exclude(rule__in=POSITIVE_RULES)[0]
    flag_transition(flag=handled, user=olga, state=Flag.State.RESOLVED, note="约谈已完成")
    assert evaluated["flag"].rule in POSITIVE_RULES  # resolved too, but not an accountability flag
    standing = Flag.objects.exclude(state=Flag.State.WITHDRAWN)
    positive = standing.filter(outcome=Flag.Outcome.FIRED, rule__in=POSITIVE_RULES).count()
    accountable = standing.filter(outcome=Flag.Outcome.FIRED).exclude(rule__in=POSITIVE_RULES).count()
    assert positive and accountable

    page, _docx, _xlsx = fetch(client_for(olga))
    tables = page_tables(page)
    summary = {cells[0]: cells[1] for _row, cells in tables["summary"]}
    assert summary["问责提示（触发）"] == str(accountable)
    assert summary["问责提示已办结"] == "1"
    assert summary["问责规则无法判定"] == str(standing.filter(outcome=Flag.Outcome.NOT_EVALUABLE).count())
    assert summary["正向激励（触发）"] == str(positive)
    listed = dict(tables["flags"])
    assert str(withdrawn.pk) not in listed and len(listed) == standing.count()
    assert listed[str(unjudged.pk)][4:6] == ["无法判定", "缺少2024年排名"]


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1"])
def test_it_neutralises_formula_like_text(text):
    assert neutralise(text) == "'" + text
    assert neutralise("约谈" + text) == "约谈" + text


@pytest.mark.parametrize(
    ("when", "opened"),
    [
        (datetime(2025, 6, 1, 10, tzinfo=TZ), False),  # inside the plan
        (datetime(2025, 12, 31, 20, tzinfo=TZ), False),  # its last day
        (datetime(2026, 1, 1, 9, tzinfo=TZ), True),  # the day after
        (datetime(2027, 3, 1, 9, tzinfo=TZ), True),  # a year later
    ],
)
def test_it_opens_once_the_plans_last_year_has_ended(client_for, olga, plan, when, opened):
    with time_machine.travel(when, tick=False):
        client = client_for(olga)  # logged in at that date: a session lasts a working day
        response = client.get(urls()["page"])
        assert response.status_code == 200
        assert bool(html.fromstring(response.content.decode()).xpath("//section[@data-section]")) is opened
        assert ("终期评估在方案期满后开放" in response.content.decode()) is not opened
        assert client.get(urls()["docx"]).status_code == (200 if opened else 404)
        assert client.get(urls()["xlsx"]).status_code == (200 if opened else 404)


@time_machine.travel(LATE_2026, tick=False)
def test_it_answers_403_to_everyone_but_the_office_and_404_for_an_unknown_plan(
    client, plan, olga, alice, rita, leo, charlie
):
    for user in (alice, rita, leo, charlie):
        client.force_login(user)
        for url in urls().values():
            assert client.get(url).status_code == 403, (user, url)
    client.force_login(olga)
    assert client.get(reverse("plan-evaluation", args=["no-such-plan"])).status_code == 404


@time_machine.travel(LATE_2026, tick=False)
def test_the_page_reads_in_english_and_the_downloads_stay_in_chinese(client_for, olga, evaluated):
    client = client_for(olga)
    client.cookies["django_language"] = "en"
    page = client.get(urls()["page"]).content.decode()
    assert "Final evaluation" in page and "Targets and results" in page
    assert '<th scope="col">Item</th><th scope="col">Count</th>' in page  # the summary's rows, not projects
    # The flags' addressee and consequence as the flag pages word them in English, not as stored in Chinese.
    # (The portal's own warning: both are worded, where the plan's consequences are quoted as the plan has them.)
    flag = Flag.objects.filter(outcome=Flag.Outcome.FIRED, rule="no_improvement").select_related("zone__county")[0]
    with translation.override("en"):
        party, consequence = flag.responsible_party_words, flag.consequence_words
    assert party != flag.responsible_party and consequence != flag.consequence
    assert escape(party) in page and escape(consequence) in page
    word = Document(BytesIO(client.get(urls()["docx"]).content))
    assert "终期评估" in word.paragraphs[0].text
    assert "目标完成情况" in [p.text for p in word.paragraphs]


@time_machine.travel(LATE_2026, tick=False)
def test_the_downloads_name_the_plan_as_the_page_does(client_for, olga, evaluated):
    """文号, issuing body, years and status under the title, in the .docx and the .xlsx alike."""
    plan = Plan.objects.get(code=CODE)
    page, docx, xlsx = fetch(client_for(olga))
    reference = Document(BytesIO(docx)).paragraphs[1].text
    assert reference.startswith(f"{plan.document_number} · {plan.issuing_body} · ")
    assert reference in page.decode()
    assert load_workbook(BytesIO(xlsx)).worksheets[0]["A2"].value == reference


@time_machine.travel(LATE_2026, tick=False)
def test_the_overview_links_the_office_to_the_evaluation(client_for, olga, alice, evaluated):
    link = urls()["page"]
    assert link in client_for(olga).get(reverse("home")).content.decode()
    assert link not in client_for(alice).get(reverse("home")).content.decode()


def test_the_overview_has_no_link_while_the_plan_runs(client_for, olga, plan):
    with time_machine.travel(datetime(2025, 6, 1, 10, tzinfo=TZ), tick=False):
        assert urls()["page"] not in client_for(olga).get(reverse("home")).content.decode()


@time_machine.travel(LATE_2026, tick=False)
def test_it_evaluates_each_plan_on_its_own_years_and_rows(client_for, olga, evaluated):
    from tasks.models import Plan

    first = Plan.objects.get(code=CODE)
    successor = Plan.objects.create(
        code="zones-2026-2028",
        title="（测试用）后续方案",
        baseline_year=2025,
        first_year=2026,
        last_year=2028,
        goal_year=2028,
        status=Plan.Status.IN_FORCE,
    )
    indicator = Indicator.objects.create(
        plan=successor, code="test-successor-output", name="后续方案指标", kind="level", unit="亿元"
    )
    Target.objects.create(indicator=indicator, scope="prefecture", year=2028, committed_value=Decimal("10"))
    draft = Plan.objects.create(
        code="zones-draft",
        title="（测试用）草案",
        baseline_year=2023,
        first_year=2024,
        last_year=2025,
        goal_year=2025,
        status=Plan.Status.DRAFT,
    )
    client = client_for(olga)
    goals = [cells[1] for _id, cells in page_tables(client.get(urls()["page"]).content)["goals"]]
    assert (
        "后续方案指标" not in goals
        and len(goals) == Target.objects.filter(indicator__plan=first).exclude(indicator__kind="milestone").count()
    )
    running = client.get(reverse("plan-evaluation", args=[successor.code])).content.decode()
    assert "终期评估在方案期满后开放" in running and "2028" in running
    assert client.get(reverse("plan-evaluation-xlsx", args=[successor.code])).status_code == 404
    assert client.get(reverse("plan-evaluation", args=[draft.code])).status_code == 404
    assert reverse("plan-evaluation", args=[successor.code]) not in client.get(reverse("home")).content.decode()
