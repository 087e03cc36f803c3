"""A bad plan file is refused with a Chinese message naming each bad entry's JSON path, and nothing of it is written:
a second plan in force beside the one in force, a key a file gives twice, a file that breaks the schema.

The successor plan file (tests/tasks/data/successor_plan_synthetic.json) is SYNTHETIC: made up for these tests.
"""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tasks.models import Plan, Task
from tasks.services import PlanFileError, plan_file_read

SUCCESSOR = Path(__file__).parent / "data" / "successor_plan_synthetic.json"
SUCCESSOR_CODE = "synthetic-successor-2026-2028"


def _file(tmp_path, change) -> Path:
    data = json.loads(SUCCESSOR.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _refusal(path) -> str:
    with translation.override("zh-hans"), pytest.raises(CommandError) as refused:
        call_command("load_plan", str(path), verbosity=0)
    return str(refused.value)


@pytest.mark.parametrize("status", [None, "in_force"])
def test_it_refuses_a_new_plan_in_force_beside_the_plan_in_force(plan, tmp_path, status):
    def change(data):
        data["plan"].pop("status")  # the schema's default is in_force
        if status:
            data["plan"]["status"] = status

    text = _refusal(_file(tmp_path, change))
    assert "$.plan.status" in text and "同一时间只能有一个方案执行中" in text and "未写入任何内容" in text
    assert list(Plan.objects.values_list("code", "status")) == [("zones-2023-2025", "in_force")]


def test_it_loads_the_same_file_as_a_draft_and_reloads_the_plan_in_force(plan, tmp_path):
    call_command("load_plan", str(SUCCESSOR), verbosity=0)
    call_command("load_plan", verbosity=0)  # the first plan's own file, in force: a reload, not a second plan
    assert dict(Plan.objects.values_list("code", "status")) == {"zones-2023-2025": "in_force", SUCCESSOR_CODE: "draft"}


@pytest.mark.parametrize(
    "change, where",
    [
        (lambda d: d["tasks"].append(dict(d["tasks"][0], title="【合成】另一任务")), "$.tasks[2].number"),
        (lambda d: d["programmes"].append(dict(d["programmes"][0])), "$.programmes[2].number"),
        (lambda d: d["indicators"].append(dict(d["indicators"][0])), "$.indicators[2].code"),
        (lambda d: d["tasks"][0]["units"].append("州工业和信息化局"), "$.tasks[0].units[2]"),
    ],
    ids=["task", "programme", "indicator", "unit-of-a-task"],
)
def test_it_refuses_a_key_given_twice_instead_of_keeping_the_last(plan, tmp_path, change, where):
    text = _refusal(_file(tmp_path, change))
    assert f"{where}: " in text and "重复：同一文件中只能出现一次" in text
    assert not Plan.objects.filter(code=SUCCESSOR_CODE).exists()
    assert Task.objects.count() == 26


def test_it_words_each_schema_problem_in_chinese_with_its_path(tmp_path):
    def change(data):
        data["plan"]["first_year"] = "2026"
        data["plan"]["extra"] = 1
        del data["plan"]["title"]
        data["indicators"][0]["targets"][0]["scope"] = "county"

    with translation.override("zh-hans"), pytest.raises(PlanFileError) as refused:
        plan_file_read(_file(tmp_path, change))
    assert sorted(refused.value.problems) == [
        ("$.indicators[0].targets[0].scope", '取值应为以下之一："zone"、"cluster"、"prefecture"；实为 "county"。'),
        ("$.plan", "不允许的键：extra。"),
        ("$.plan", "缺少必填项：title。"),
        ("$.plan.first_year", '类型应为整数，实为 "2026"。'),
    ]


def test_it_lists_problems_in_document_order(tmp_path):
    def change(data):
        data["tasks"] = [dict(data["tasks"][0], number=n) for n in range(1, 12)]
        for task in data["tasks"]:
            task["title"] = ""

    with pytest.raises(PlanFileError) as refused:
        plan_file_read(_file(tmp_path, change))
    assert [where for where, _ in refused.value.problems] == [f"$.tasks[{i}].title" for i in range(11)]


@pytest.mark.parametrize(
    "content, words",
    [('{"plan": ', "不是有效的 JSON"), ("[1, 2]", "类型应为对象"), (b"\xff\xfe", "无法读取文件")],
    ids=["truncated", "a-list", "not-utf8"],
)
def test_it_says_in_chinese_why_a_file_cannot_be_read(tmp_path, content, words):
    path = tmp_path / "plan.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with translation.override("zh-hans"), pytest.raises(PlanFileError) as refused:
        plan_file_read(path)
    assert refused.value.problems[0][0] == "$" and words in refused.value.problems[0][1]


def _indicator_problems(data):
    first, second = data["indicators"][0], data["indicators"][1]
    first["continues"] = "no-such-indicator"
    first["targets"][0]["zone"] = "no-such-zone"
    second["task"] = 99
    data["indicators"].append({**second, "code": "synthetic-from-the-first-plan", "task": None, "owner": "nobody"})
    data["indicators"].append({**second, "code": "industrial-output", "task": None})  # the first plan's code


def test_it_words_the_indicators_problems_in_chinese_with_their_paths(plan, tmp_path):
    """The indicators' part of a file (`indicators.plan_file`) answers in the reader's language too, each problem at
    its path; nothing of the file is written."""
    refusal = _refusal(_file(tmp_path, _indicator_problems))
    for words in (
        "$.indicators[0].continues: 其他方案中没有代码为“no-such-indicator”的指标。",
        "$.indicators[0].targets[0]: 未知的开发区或产业集群代码“no-such-zone”。",
        "$.indicators[1].task: 本方案没有序号为 99 的任务。",
        "$.indicators[2].owner: 未知的责任单位“nobody”。",
        "$.indicators[3].code: 指标代码“industrial-output”属于方案“zones-2023-2025”",
    ):
        assert words in refusal, words
    assert not Plan.objects.filter(code=SUCCESSOR_CODE).exists()
