"""The overview's "what changed since the previous period": every target whose latest judged status differs."""

import io
import re

from django.utils import timezone
from django.utils.html import escape
from docx import Document
from openpyxl import load_workbook

from indicators.models import Target
from indicators.selectors import latest_results, task_statuses
from pages.bulletin import bulletin_build
from pages.dashboards import latest_judged, overview, period_overview, period_pick, period_summary, previous_period
from tasks.models import Task
from tests.dashboards.data import grow


def test_it_lists_exactly_the_targets_whose_status_changed(plan):
    grow()
    period = period_pick(today=timezone.localdate())
    previous = previous_period(period)
    targets = Target.objects.filter(indicator__plan=period.plan)
    # Every target's result loaded in full, the way the page did before it read keys and statuses only.
    now, before = latest_judged(as_of=period.end, targets=targets), latest_judged(as_of=previous.end, targets=targets)
    expected = {(t, before[t].status, now[t].status) for t in now if t in before and before[t].status != now[t].status}

    # Every change, as the bulletin lists them (the overview lists the first dozen: test_changes_page.py).
    changes = period_summary(period=period, today=timezone.localdate())["changes"]

    assert expected, "the demo history should change some statuses between two periods"
    assert {(c["target_id"], c["old"], c["new"]) for c in changes} == expected
    shown = {c["target_id"]: c for c in changes}
    for target_id in shown:
        assert shown[target_id]["old_period"] == before[target_id].period.label
        assert shown[target_id]["new_period"] == now[target_id].period.label
        # Read as plain values, the rows say what the full results say.
        assert shown[target_id]["reason"] == now[target_id].reason_words
        assert shown[target_id]["scope"] == now[target_id].target.scope_label
        assert shown[target_id]["indicator"].name == now[target_id].target.indicator.name
        assert shown[target_id]["old_label"] == before[target_id].get_status_display()


def test_the_task_boards_red_targets_say_what_their_full_results_say(plan):
    grow()
    period = period_pick(today=timezone.localdate())
    statuses = task_statuses(as_of=period.end, plan=period.plan)
    targets = Target.objects.filter(indicator__plan=period.plan, indicator__task__isnull=False)
    red = [r for r in latest_results(as_of=period.end, targets=targets).values() if r.status == "red"]
    expected = {
        (r.target.indicator.task.number, r.target.indicator.name, r.target.scope_label, r.reason_words) for r in red
    }

    shown = {
        (number, row["indicator"], row["scope"], row["reason"])
        for number, entry in statuses.items()
        for row in entry["red_targets"]
    }

    assert expected, "the demo history should leave some targets red"
    assert shown == expected


def test_a_page_asking_for_some_tasks_gets_the_same_statuses_as_the_whole_board(plan):
    grow()
    period = period_pick(today=timezone.localdate())
    board = task_statuses(as_of=period.end, plan=period.plan)
    assert {entry["status"] for entry in board.values()} >= {"red", "green"}
    for number, entry in board.items():
        one = task_statuses(as_of=period.end, plan=period.plan, tasks=Task.objects.filter(pk=entry["task"].pk))
        assert list(one) == [number]
        assert one[number]["status"] == entry["status"], number
        assert one[number]["red_targets"] == entry["red_targets"], number
        assert [r.pk for r in one[number]["delayed_reports"]] == [r.pk for r in entry["delayed_reports"]], number


def test_the_overview_names_a_tasks_first_red_targets_and_counts_them_all(plan, monkeypatch):
    grow()
    period = period_pick(today=timezone.localdate())
    every = task_statuses(as_of=period.end, plan=period.plan)
    many = {number: entry for number, entry in every.items() if len(entry["red_targets"]) > 1}
    assert many, "the demo history should leave some task with several red targets"

    listed = task_statuses(as_of=period.end, plan=period.plan, red_listed=1)

    for number, entry in every.items():
        assert listed[number]["red_targets"] == entry["red_targets"][:1], number
        assert listed[number]["red_count"] == entry["red_count"] == len(entry["red_targets"]), number
        assert listed[number]["status"] == entry["status"], number
    # The overview's tiles say how many more there are; the bulletin names them all.
    monkeypatch.setattr(overview, "OVERVIEW_RED_TARGETS", 1)
    tiles = {
        t["task"].number: t
        for b in period_overview(period=period, today=period.end)["board"]["programmes"]
        for t in b["tasks"]
    }
    for number, entry in many.items():
        assert tiles[number]["reasons"][1] == f"等{entry['red_count']}个目标滞后", number
        assert len(tiles[number]["reasons"]) == 1 + 1 + len(entry["delayed_reports"]), number
    printed = {t["task"].number: t for t in bulletin_build(period=period, today=period.end)["red_tasks"]}
    for number, entry in many.items():
        if number in printed:
            assert not any(r.startswith("等") for r in printed[number]["reasons"]), number
            lines = {(red["indicator"], red["reason"]) for red in entry["red_targets"]}
            assert len(printed[number]["reasons"]) == len(lines) + len(entry["delayed_reports"]), number


def test_the_bulletin_names_together_the_zones_red_for_the_same_reason(plan):
    grow()
    period = period_pick(today=timezone.localdate())
    every = task_statuses(as_of=period.end, plan=period.plan)
    printed = {t["task"].number: t["reasons"] for t in bulletin_build(period=period, today=period.end)["red_tasks"]}
    together = 0
    for number, entry in every.items():
        if not entry["red_targets"]:
            continue
        lines: dict[tuple, list[str]] = {}
        years: dict[str, set[int]] = {}
        for red in entry["red_targets"]:
            lines.setdefault((red["year"], red["indicator"], red["reason"]), []).append(red["scope"])
            years.setdefault(red["indicator"], set()).add(red["year"])
        # One line per indicator and reason, naming each of its red scopes, in the order the targets are listed; the
        # target's year first where the indicator is red in several years.
        expected = [
            f"{f'{year}年 ' if len(years[indicator]) > 1 else ''}{indicator}（{'、'.join(scopes)}）：{reason}"
            for (year, indicator, reason), scopes in lines.items()
        ]
        assert printed[number][: len(expected)] == expected, number
        assert len(printed[number]) == len(expected) + len(entry["delayed_reports"]), number
        together += sum(len(scopes) > 1 for scopes in lines.values())
    assert together, "the demo history should leave one indicator red in several zones for the same reason"


def test_the_bulletins_late_tasks_tell_an_indicators_yearly_targets_apart_on_the_page_docx_and_xlsx(client_for, olga):
    """实际利用外资增速（全州开发区）：增速13.69%…；实际利用外资增速（全州开发区）：增速17.58%… named the targets of
    2023, 2024 and 2025 alike: each such line now starts with its target's year."""
    grow()
    period = period_pick(today=timezone.localdate())
    red = bulletin_build(period=period, today=timezone.localdate())["red_tasks"]
    lines = [reason for t in red for reason in t["reasons"]]
    for t in red:
        labels = [reason.split("：", 1)[0] for reason in t["reasons"]]
        assert len(labels) == len(set(labels)), (t["task"].number, labels)
    yearly = [line for line in lines if re.match(r"20\d\d年 ", line)]
    assert yearly, "the demo history should leave one indicator red in several years"

    page = client_for(olga).get(f"/bulletin/?period={period.pk}").content.decode()
    document = Document(io.BytesIO(client_for(olga).get(f"/bulletin/{period.pk}.docx").content))
    docx = "\n".join(p.text for p in document.paragraphs)
    sheet = load_workbook(io.BytesIO(client_for(olga).get(f"/bulletin/{period.pk}.xlsx").content))["任务进展"]
    xlsx = "\n".join(str(row[5] or "") for row in sheet.iter_rows(min_row=2, values_only=True))
    for line in yearly:
        assert escape(line) in page and line in docx and line in xlsx, line


def test_the_bulletins_late_tasks_carry_their_own_numbers_once(client_for, olga):
    grow()
    period = period_pick(today=timezone.localdate())
    red = bulletin_build(period=period, today=timezone.localdate())["red_tasks"]
    assert len(red) > 2 and any(t["task"].number != i for i, t in enumerate(red, 1))

    page = client_for(olga).get(f"/bulletin/?period={period.pk}").content.decode()
    listed = page[page.index('<ol class="bulletin-list">') :].split("</ol>", 1)[0]
    # The list's marker is the task's number in the plan (not a running count with the number written beside it).
    items = re.findall(r'<li value="(\d+)"><strong>([^<]*)</strong>', listed)
    assert items == [(str(t["task"].number), t["task"].title) for t in red]

    response = client_for(olga).get(f"/bulletin/{period.pk}.docx")
    document = Document(io.BytesIO(response.content)).paragraphs
    texts = [p.text for p in document]
    # The red tasks: after section one's heading and its summary line, up to section two.
    paragraphs = document[texts.index("一、总体进展") + 2 : texts.index("二、各开发区核心指标")]
    assert [p.text.split(".", 1)[0] for p in paragraphs] == [str(t["task"].number) for t in red]
    assert not any(p.style.name == "List Number" for p in paragraphs)  # Word numbers nothing beside them
