"""The English catalogue and the language switch.

Chinese is the source language (every msgid is Chinese); English comes from
chuxiong_portal/locale/en/LC_MESSAGES/django.po, compiled to django.mo (committed, so CI needs no gettext).

- every entry of the catalogue is translated, not fuzzy, and keeps the placeholders of its msgid;
- the committed .mo matches the .po (someone edited the .po and forgot compilemessages);
- pages render in English when the language cookie or the session says so, and in Chinese by default.

The .po is read with a small parser of its own (no polib at test time).
"""

import ast
import gettext
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from indicators.models import DispatchReport, ReportingPeriod
from tasks.models import Task
from tasks.selectors import plan_get

LOCALE_DIR = Path(settings.BASE_DIR) / "chuxiong_portal" / "locale"
PO_PATH = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.mo"

CJK = re.compile(r"[\u4e00-\u9fff]")
# printf-style markers as Python's % operator reads them: %(name)s, %s, %d, %(size).1f, %% ...
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]")
# Messages that may legitimately stay in Chinese in the English catalogue (a language's own name).
# The Excel file format is Chinese whatever the language: a message naming its keyword keeps it.
KEEP_CHINESE = {"简体中文", "“%(name)s”原有数据，不能直接留空；如确需删除，请选择“清除”（Excel中在本期值填写“清除”）。"}


# --- a minimal .po reader ----------------------------------------------------------------------


def _unquote(text: str) -> str:
    return ast.literal_eval(text)  # a .po string literal is a valid Python string literal


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgctxt, msgid, msgid_plural, msgstr / msgstr[n], flags, references, obsolete."""
    entries, entry, field = [], None, None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            finish()
            entry, field = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "refs": [], "msgstr": {}, "obsolete": False}
        if obsolete:
            entry["obsolete"] = True
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#:"):
            entry["refs"].extend(line[2:].split())
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if field is None:
                raise AssertionError(f"{path}: continuation line without a keyword: {raw!r}")
            if isinstance(field, int):
                entry["msgstr"][field] += _unquote(line)
            else:
                entry[field] += _unquote(line)
        else:
            match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line)
            if not match:
                raise AssertionError(f"{path}: cannot parse line {raw!r}")
            keyword, index, value = match.group(1), match.group(2), _unquote(match.group(3))
            if keyword == "msgstr":
                field = int(index or 0)
                entry["msgstr"][field] = value
            else:
                if keyword == "msgctxt" and "msgid" in entry:  # a new entry without a blank line between
                    finish()
                    entry = {"flags": set(), "refs": [], "msgstr": {}, "obsolete": obsolete}
                field = keyword
                entry[keyword] = value
    finish()
    return entries


def placeholders(text: str, python_format: bool) -> list[str]:
    found = PLACEHOLDER.findall(text)
    if not python_format:  # a bare "%" in a plain message is just text
        found = [p for p in found if p != "%%"]
    return sorted(found)


@pytest.fixture(scope="module")
def catalogue():
    assert PO_PATH.exists(), f"missing {PO_PATH}: run makemessages -l en"
    entries = parse_po(PO_PATH)
    header = next(e for e in entries if e["msgid"] == "" and not e.get("msgctxt"))
    messages = [e for e in entries if e is not header and not e["obsolete"]]
    return header, messages


# --- the catalogue ---------------------------------------------------------------------------------


def test_header_is_final_and_english(catalogue):
    header, _messages = catalogue
    assert "fuzzy" not in header["flags"], "remove the '#, fuzzy' flag of the header"
    meta = header["msgstr"][0]
    assert "Language: en\n" in meta
    assert "charset=UTF-8" in meta
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in meta


def test_catalogue_is_not_trivially_small(catalogue):
    _header, messages = catalogue
    # A guard against an accidentally truncated or regenerated-empty file; the portal has ~600 messages.
    assert len(messages) > 400


def test_every_entry_is_translated_and_not_fuzzy(catalogue):
    _header, messages = catalogue
    untranslated = [e["msgid"] for e in messages if not all(s.strip() for s in e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    still_chinese = [
        e["msgid"]
        for e in messages
        if e["msgid"] not in KEEP_CHINESE and any(CJK.search(s) for s in e["msgstr"].values())
    ]
    assert not untranslated, f"{len(untranslated)} untranslated: {untranslated[:20]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy: {fuzzy[:20]}"
    assert not still_chinese, f"translations still containing Chinese: {still_chinese[:20]}"


def test_plural_entries_have_every_form(catalogue):
    _header, messages = catalogue
    for entry in messages:
        if "msgid_plural" in entry:
            assert sorted(entry["msgstr"]) == [0, 1], entry["msgid"]


def test_translations_keep_the_placeholders(catalogue):
    _header, messages = catalogue
    problems = []
    for entry in messages:
        python_format = "python-format" in entry["flags"]
        sources = {0: entry["msgid"], 1: entry.get("msgid_plural", entry["msgid"])}
        for index, translated in entry["msgstr"].items():
            source = sources[min(index, 1)]
            if placeholders(source, python_format) != placeholders(translated, python_format):
                problems.append((source, translated))
            # Placeholders of a python-format message must survive the % operator with the msgid's own names.
            if python_format:
                names = re.findall(r"%\(([^)]+)\)", source)
                values = {name: 1 for name in names}
                try:
                    (translated % values) if names else (translated % ())
                except (KeyError, TypeError, ValueError) as error:
                    problems.append((source, f"{translated}  <{error!r}>"))
    assert not problems, "\n".join(f"{s!r} -> {t!r}" for s, t in problems)


def test_the_compiled_catalogue_matches_the_po(catalogue):
    """django.mo is committed (CI may lack gettext): it must be compiled from the current django.po."""
    _header, messages = catalogue
    assert MO_PATH.exists(), "run: manage.py compilemessages --ignore=.venv"
    with MO_PATH.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in messages:
        if "msgctxt" in entry:
            got = compiled.pgettext(entry["msgctxt"], entry["msgid"])
        elif "msgid_plural" in entry:
            got = compiled.ngettext(entry["msgid"], entry["msgid_plural"], 1)
        else:
            got = compiled.gettext(entry["msgid"])
        if got != entry["msgstr"][0]:
            stale.append(entry["msgid"])
    assert not stale, f"django.mo is out of date for {len(stale)} messages, e.g. {stale[:5]}; run compilemessages"


# --- pages in English ------------------------------------------------------------------------------

ENGLISH_CHROME = ["Overview", "To-do", "Log out", "Responsibility matrix"]
CHINESE_CHROME = ["总览", "待办", "退出", "责任矩阵"]


@pytest.fixture
def owed_report(plan):
    """A report of 州发展改革委 (alice's unit) whose period is running, so it shows on her to-do page."""
    today = timezone.localdate()
    period, _ = ReportingPeriod.objects.update_or_create(
        plan=plan_get(),
        cadence="monthly",
        year=today.year,
        index=today.month,
        defaults={
            "start": today - timedelta(days=20),
            "end": today + timedelta(days=2),
            "deadline": today + timedelta(days=7),
        },
    )
    return DispatchReport.objects.create(department=plan["ndrc"], task=Task.objects.get(number=14), period=period)


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_login_page_defaults_to_chinese(client, db):
    html = _html(client.get(reverse("login")))
    assert '<html lang="zh-hans">' in html
    assert "用户名" in html and "密码" in html
    assert "Username" not in html


def test_login_page_in_english(client, db):
    html = _html(_in_english(client).get(reverse("login")))
    assert '<html lang="en">' in html
    for text in ["Log in", "Username", "Password"]:
        assert text in html
    for text in ["登录", "用户名", "密码", "楚雄州开发区提质增效三年行动调度平台"]:
        assert text not in html
    assert "Chuxiong Development Zone Three-Year Action Plan Dispatch Portal" in html


def test_failed_login_message_in_english(client, alice):
    html = _html(_in_english(client).post(reverse("login"), {"username": "alice", "password": "wrong"}))
    assert "Incorrect username or password" in html
    assert "用户名或密码不正确" not in html


def test_todo_page_defaults_to_chinese(client_for, alice, owed_report):
    html = _html(client_for(alice).get(reverse("todo")))
    for text in CHINESE_CHROME + ["应报事项（按截止日期）", "截止日期"]:
        assert text in html
    assert "Reports due (by deadline)" not in html


def test_todo_page_in_english(client_for, alice, owed_report):
    html = _html(_in_english(client_for(alice)).get(reverse("todo")))
    assert '<html lang="en">' in html
    for text in ENGLISH_CHROME + [
        "Reports due (by deadline)",
        "Deadline",
        "Dispatch period",
        "Recently submitted",
        "Department reporter",
        "To be filled in",
    ]:
        assert text in html, text
    for text in CHINESE_CHROME + ["应报事项（按截止日期）", "截止日期", "部门填报员", "待填报"]:
        assert text not in html, text


def test_report_page_defaults_to_chinese(client_for, alice, owed_report):
    html = _html(client_for(alice).get(reverse("report-detail", args=[owed_report.pk])))
    for text in ["保存草稿", "提交审核", "工作进展", "推进情况"]:
        assert text in html
    for text in ["Save draft", "Submit for review"]:
        assert text not in html


def test_report_page_in_english(client_for, alice, owed_report):
    html = _html(_in_english(client_for(alice)).get(reverse("report-detail", args=[owed_report.pk])))
    for text in [
        "Save draft",
        "Submit for review",
        "Download Excel template",
        "Upload and validate",
        "Work done",
        "Problems",
        "Next steps",
        "Reason for delay",
        "Progress",
        "Not started",
        "In progress",
        "Behind schedule",
        "Report history",
        "Status",
    ]:
        assert text in html, text
    for text in [
        "保存草稿",
        "提交审核",
        "下载Excel模板",
        "上传并校验",
        "工作进展",
        "存在问题",
        "下步措施",
        "滞后原因",
        "推进情况",
        "未启动",
        "报告流转记录",
    ]:
        assert text not in html, text


def test_messages_after_a_post_are_in_english(client_for, alice, owed_report):
    client = _in_english(client_for(alice))
    report_url = reverse("report-detail", args=[owed_report.pk])
    owed_report.refresh_from_db()
    data = {
        "action": "save",
        "version": owed_report.version,
        "progress": "",
        "progress_pct": "",
        "work_done": "road network plan drafted",
        "problems": "",
        "next_steps": "",
        "delay_reason": "",
        "change_reason": "",
    }
    html = _html(client.post(report_url, data, follow=True))
    assert "Draft saved." in html
    assert "草稿已保存" not in html


def test_switching_language_through_setlang(client_for, alice, owed_report):
    """base.html's switcher posts to /i18n/setlang/; the choice sticks for later pages; switching back works."""
    client = client_for(alice)
    todo = reverse("todo")
    assert "/i18n/setlang/" in _html(client.get(todo))

    response = client.post(reverse("set_language"), {"language": "en", "next": todo})
    assert response.status_code == 302 and response["Location"] == todo
    html = _html(client.get(todo))
    assert "Reports due (by deadline)" in html and "应报事项（按截止日期）" not in html
    html = _html(client.get(reverse("report-detail", args=[owed_report.pk])))
    assert "Save draft" in html and "保存草稿" not in html

    client.post(reverse("set_language"), {"language": "zh-hans", "next": todo})
    html = _html(client.get(todo))
    assert "应报事项（按截止日期）" in html and "Reports due (by deadline)" not in html


def test_language_cookie_wins_over_the_browser_language(client_for, alice, owed_report):
    """The switcher's choice (the cookie) beats Accept-Language, so a user who picks Chinese keeps Chinese."""
    client = client_for(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = _html(client.get(reverse("todo"), HTTP_ACCEPT_LANGUAGE="en"))
    assert "待办" in html and "To-do" not in html


@pytest.mark.parametrize(
    "url, english, chinese",
    [
        ("admin:tasks_task_changelist", "Lead unit", "牵头单位"),
        ("admin:parks_industrycluster_changelist", "Host zone", "依托园区"),
    ],
)
def test_the_admins_own_column_titles_in_english(client_for, olga, url, english, chinese):
    html = _html(_in_english(client_for(olga)).get(reverse(url)))
    assert english in html and chinese not in html


def test_the_plans_own_wording_is_quoted_in_the_readers_language(client_for, olga):
    chinese = _html(client_for(olga).get("/"))
    english = _html(_in_english(client_for(olga)).get("/"))
    quoted = re.findall("「([^」]+)」", chinese)
    assert quoted and "「" not in english
    assert all(f"“{wording}”" in english for wording in quoted)


def test_an_exited_project_is_not_logged_out_in_english(client_for, olga):
    from django.utils import translation

    from projects.models import Stage

    with translation.override("en"):
        assert str(Stage.EXITED.label) == "Exited"
    html = _html(_in_english(client_for(olga)).get("/"))
    assert ">Log out</button>" in html


def test_a_form_label_ends_in_the_colon_of_the_readers_language(client_for, alice, owed_report):
    """Django's own Chinese keeps the ASCII colon after a label (「完成进度（%）:」): the portal's Chinese takes the
    full-width one (its zh_Hans catalogue), English the ASCII one."""
    url = reverse("report-detail", args=[owed_report.pk])
    chinese = _html(client_for(alice).get(url))
    label = re.search(r'<label for="id_progress_pct">([^<]*)</label>', chinese).group(1)
    assert label.endswith("：") and not label.endswith(":")
    english = _html(_in_english(client_for(alice)).get(url))
    assert re.search(r'<label for="id_progress_pct">([^<]*)</label>', english).group(1).endswith(":")
