"""What a chart says (its tooltip, axis and point labels) is in the reader's language: the words come with the
chart's data from the server, translated there; the portal's scripts hold no words of their own."""

import re
from pathlib import Path
from types import SimpleNamespace

from django.utils import translation

from pages.dashboards.zone import rank_chart

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _scripts() -> list[Path]:
    return [
        path
        for folder in ("chuxiong_portal/static", "projects/static", "pages/static")
        for path in (ROOT / folder).rglob("*.js")
        if "vendor" not in path.parts
    ]


def _without_comments(source: str) -> str:
    source = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    return "\n".join(
        line.split("//", 1)[0] if not line.lstrip().startswith("//") else "" for line in source.split("\n")
    )


def test_the_portals_scripts_say_nothing_in_chinese_of_their_own():
    scripts = _scripts()
    assert any(path.name == "charts.js" for path in scripts)
    said = {
        f"{path.relative_to(ROOT)}:{number}": line.strip()
        for path in scripts
        for number, line in enumerate(_without_comments(path.read_text(encoding="utf-8")).split("\n"), 1)
        if CJK.search(line)
    }
    assert said == {}


def _rankings():
    return [
        SimpleNamespace(
            evaluation=SimpleNamespace(year=year, total_zones=66), rank=rank, score=None, funding_awarded=False
        )
        for year, rank in ((2023, 40), (2024, 63))
    ]


def test_the_rank_charts_words_are_the_readers():
    with translation.override("en"):
        english = rank_chart(chart_id="c", title="t", rankings=_rankings(), band=True).spec
    with translation.override("zh-hans"):
        chinese = rank_chart(chart_id="c", title="t", rankings=_rankings(), band=True).spec
    assert english["words"] == {
        "tooltip": "{year}: ranked {rank} of {total}",
        "bottomFive": ", in the bottom five",
        "axis": "Rank",
        "point": "No. {c}",
    }
    assert chinese["words"]["tooltip"] == "{year}：第{rank}位（共{total}个）" and chinese["words"]["point"] == "第{c}位"
    for words in (english["words"], chinese["words"]):
        assert {"{year}", "{rank}", "{total}"} <= set(re.findall(r"\{\w+\}", words["tooltip"]))
        assert "{c}" in words["point"]


def test_the_task_status_donuts_tooltip_is_the_readers():
    from pages.dashboards import task_board

    with translation.override("en"):
        english = task_board({})["chart"].spec["tooltip"]
    with translation.override("zh-hans"):
        chinese = task_board({})["chart"].spec["tooltip"]
    assert english == "{b}: {c} tasks ({d}%)" and chinese == "{b}：{c}项（{d}%）"
