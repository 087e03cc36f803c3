"""The 督办 pages over HTTP: issuing from a flag, answering with a file, permissions on items and evidence."""

from datetime import date, timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from assessments.models import Flag, Rule
from supervision import services
from supervision.models import EvidenceFile, SupervisionItem


@pytest.fixture
def flag(plan):
    return Flag.objects.create(
        zone=plan["lufeng"], year=2025, rule=Rule.BOTTOM_FIVE, consequence="约谈", responsible_party="禄丰市人民政府"
    )


@pytest.fixture
def answered(issued, zack, upload, samples, private_storage):
    item = issued
    services.supervision_answer(
        item=item, user=zack, text="见附件", files=[upload("进展.xlsx", samples["xlsx"])], today=date(2026, 12, 2)
    )
    return item, EvidenceFile.objects.get()


@time_machine.travel(date(2026, 12, 1), tick=False)
def test_the_office_issues_from_a_flag(client_for, olga, flag, plan):
    client = client_for(olga)
    form = client.get(f"/supervision/new/?source=flag&ref={flag.pk}").content.decode()
    assert f'value="zone:{plan["lufeng"].pk}" selected' in form
    response = client.post(
        f"/supervision/new/?source=flag&ref={flag.pk}",
        {
            "source": "flag",
            "source_ref": str(flag.pk),
            "source_text": "",
            "body": f"zone:{plan['lufeng'].pk}",
            "requirement": "制定整改方案",
            "deadline": "2026-12-15",
        },
    )
    item = SupervisionItem.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert item.source_object == flag and item.zone == plan["lufeng"] and item.issued_on == date(2026, 12, 1)


def _source_options(page: str) -> list[str]:
    select = page.split('name="source"')[1].split("</select>")[0]
    return [part.split('"')[0] for part in select.split('<option value="')[1:]]


@time_machine.travel(date(2026, 12, 1), tick=False)
def test_the_hand_form_offers_only_a_leaders_instruction_and_refuses_a_rows_source_without_its_row(
    client_for, olga, flag, plan
):
    """问责提示, 滞后目标, 逾期工作事项, 报告反映的问题 and 评价差距整改 are issued from their row's page (the
    flag's, the target's, …), which links the item to its row; the hand form offers only 领导批示, and a row's source
    posted without its row is refused in words, with nothing written."""
    client = client_for(olga)
    assert _source_options(client.get("/supervision/new/").content.decode()) == ["instruction"]
    assert _source_options(client.get(f"/supervision/new/?source=flag&ref={flag.pk}").content.decode()) == ["flag"]
    for source, words in (
        ("evaluation_gap", "评价差距整改须关联所出自的失分分项"),
        ("flag", "问责提示的督办单须关联"),
        ("red_target", "滞后目标的督办单须关联所出自的目标"),
    ):
        response = client.post(
            "/supervision/new/",
            {
                "source": source,
                "source_ref": "",
                "source_text": "手填来源",
                "body": f"zone:{plan['lufeng'].pk}",
                "requirement": "整改",
                "deadline": "2026-12-15",
            },
        )
        assert response.status_code == 400 and words in response.content.decode()
    assert not SupervisionItem.objects.exists()


@time_machine.travel(date(2026, 12, 1), tick=False)
def test_a_deadline_before_today_is_a_clear_400_and_nothing_is_written(client_for, olga, plan):
    response = client_for(olga).post(
        "/supervision/new/",
        {
            "source": "instruction",
            "body": f"ndrc:{plan['ndrc'].pk}".replace("ndrc:", "department:"),
            "requirement": "x",
            "deadline": "2026-11-20",
        },
    )
    assert response.status_code == 400
    assert "早于交办日期" in response.content.decode()
    assert not SupervisionItem.objects.exists()


@time_machine.travel(date(2026, 12, 1), tick=False)
def test_the_same_instruction_sent_twice_issues_one_item(client_for, olga, plan):
    """The same 督办单 POST sent twice issued two items under two numbers; the second is refused naming the first.
    Another deadline, or the first one closed, issues again."""
    client = client_for(olga)
    form = {
        "source": "instruction",
        "body": f"department:{plan['ndrc'].pk}",
        "requirement": "报送飞地经济实施意见起草进展",
        "deadline": "2026-12-20",
    }
    assert client.post("/supervision/new/", form).status_code == 302
    first = SupervisionItem.objects.get()
    again = client.post("/supervision/new/", form | {"requirement": "  报送飞地经济实施意见起草进展 \r\n"})
    assert again.status_code == 400
    assert (
        f"已向州发展改革委交办要求和办理时限相同的督办单 {first.number}，尚未办结，未重复交办。"
        in again.content.decode()
    )
    assert SupervisionItem.objects.count() == 1
    assert client.post("/supervision/new/", form | {"deadline": "2026-12-21"}).status_code == 302
    services.supervision_close(item=first, user=olga, assessment="not_done")
    assert client.post("/supervision/new/", form).status_code == 302
    assert SupervisionItem.objects.count() == 3


def test_the_body_answers_with_a_file_over_http(client_for, plan, olga, zack, upload, samples, private_storage):
    item = services.supervision_issue(
        user=olga,
        body=plan["lufeng"],
        source="instruction",
        requirement="报进展",
        deadline=timezone.localdate() + timedelta(days=365),
    )
    response = client_for(zack).post(
        f"/supervision/{item.pk}/answer/",
        {
            "version": item.version,
            "text": "已完成",
            "progress_pct": "100",
            "files": [upload("结果.pdf", samples["pdf"])],
        },
    )
    assert response.status_code == 302
    page = client_for(zack).get(item.get_absolute_url()).content.decode()
    assert "结果.pdf" in page and "已反馈" in page


def test_a_renamed_executable_is_refused_over_http(client_for, plan, olga, zack, upload, samples, private_storage):
    item = services.supervision_issue(
        user=olga,
        body=plan["lufeng"],
        source="instruction",
        requirement="报进展",
        deadline=timezone.localdate() + timedelta(days=365),
    )
    response = client_for(zack).post(
        f"/supervision/{item.pk}/answer/",
        {"version": item.version, "text": "见附件", "files": [upload("结果.pdf", samples["exe"])]},
    )
    assert response.status_code == 400
    assert "不是 PDF、图片、Word 或 Excel 文件" in response.content.decode()
    assert item.steps.count() == 1 and not EvidenceFile.objects.exists()


@pytest.mark.parametrize(
    "persona,status",
    [
        ("olga", 200),
        ("zack", 200),
        ("zoe", 200),
        ("leo", 200),
        ("cora", 404),
        ("alice", 404),
        ("sam", 200),
        ("charlie", 403),
    ],
)
def test_evidence_is_served_only_to_those_who_may_read_the_item(request, client_for, answered, persona, status):
    _item, evidence = answered
    response = client_for(request.getfixturevalue(persona)).get(f"/evidence/{evidence.pk}/")
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content).startswith(b"PK")


def test_evidence_needs_a_login_and_is_not_under_media(client, answered, settings):
    _item, evidence = answered
    response = client.get(f"/evidence/{evidence.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    private = Path(settings.PRIVATE_ROOT)
    assert not private.is_relative_to(settings.MEDIA_ROOT) and not private.is_relative_to(settings.STATIC_ROOT)
    with pytest.raises(ValueError):
        evidence.file.url  # noqa: B018 - the private storage has no URL at all


@pytest.mark.parametrize("persona,status", [("zack", 200), ("cora", 404), ("alice", 404), ("olga", 200)])
def test_items_are_readable_only_by_their_body_and_the_office(request, client_for, answered, persona, status):
    item, _evidence = answered
    assert client_for(request.getfixturevalue(persona)).get(item.get_absolute_url()).status_code == status


def _late_marks(client_for, zack, olga, day) -> tuple[str, str, str]:
    """The committee's to-do, the zone page and the bulletin on `day`."""
    with time_machine.travel(day, tick=False):
        return (
            client_for(zack).get("/todo/").content.decode(),
            client_for(olga).get("/zones/lufeng/").content.decode(),
            client_for(olga).get("/bulletin/").content.decode(),
        )


@pytest.mark.parametrize("day,red", [(date(2026, 12, 10), False), (date(2026, 12, 11), True)])
def test_late_items_are_red_on_the_todo_the_zone_page_and_the_bulletin(
    client_for, issued, zack, olga, day, red, settings
):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    item = issued
    todo, zone, bulletin = _late_marks(client_for, zack, olga, day)
    assert (item.number in todo) and (item.number in zone)
    assert ('class="overdue"><td><a href="/supervision/' in todo) is red
    assert ('class="overdue"><td><a href="/supervision/' in zone) is red
    assert (item.number in bulletin) is red


@pytest.mark.parametrize("day", [date(2026, 12, 11), date(2027, 3, 1)])
def test_an_item_answered_by_its_deadline_is_not_overdue_after_it(client_for, answered, zack, olga, day, settings):
    """楚开督〔2026〕003号, answered on 11-28 and due on 12-10, read 逾期 from 12-11 while it waited for the office's
    办结: on the committee's to-do (督办事项 逾期 1 项), the zone page (在办 1，其中逾期 1) and in the bulletin."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    item, _evidence = answered  # answered on 12-02, due on 12-10
    todo, zone, bulletin = _late_marks(client_for, zack, olga, day)
    assert (item.number in todo) and (item.number in zone)  # still open: the office has yet to close it
    assert 'class="overdue"><td><a href="/supervision/' not in todo
    assert 'class="overdue"><td><a href="/supervision/' not in zone
    supervision_todo = todo.split('id="supervision-todo"', 1)[1].split("</section>", 1)[0]
    assert "已反馈" in supervision_todo and "逾期" not in supervision_todo
    assert "在办 1，其中逾期 0。" in zone
    assert item.number not in bulletin


def test_an_item_answered_after_its_deadline_stays_marked_overdue(client_for, issued, zack, olga, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    services.supervision_answer(item=issued, user=zack, text="已办理", today=date(2026, 12, 12))
    todo, zone, bulletin = _late_marks(client_for, zack, olga, date(2026, 12, 14))
    assert 'class="overdue"><td><a href="/supervision/' in todo
    assert "在办 1，其中逾期 1。" in zone
    assert issued.number in bulletin


def test_a_new_late_item_reaches_the_cached_bulletin(client_for, plan, olga, settings):
    """The bulletin is served from the page cache: a supervision write starts a new data version."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 3600
    with time_machine.travel(date(2026, 12, 1), tick=False):
        client = client_for(olga)
        assert "没有逾期的督办事项" in client.get("/bulletin/").content.decode()
        item = services.supervision_issue(
            user=olga,
            body=plan["ndrc"],
            source="instruction",
            requirement="报进展",
            deadline=date(2026, 11, 30),
            today=date(2026, 11, 20),
        )
        assert item.number in client.get("/bulletin/").content.decode()


def test_a_return_or_close_without_its_opinion_says_what_is_missing_next_to_the_field(client_for, answered, olga):
    item, _evidence = answered
    client = client_for(olga)
    for path, form_id, field_id in (
        (f"/supervision/{item.pk}/return/", "return-form", "return_text"),
        (f"/supervision/{item.pk}/close/", "close-form", "close_text"),
    ):
        response = client.post(path, {"version": item.version, "text": "", "assessment": "on_time"})
        assert response.status_code == 400
        page = response.content.decode()
        assert "未能办理，请按提示修改后重试" in page
        form = page[page.index(f'id="{form_id}"') :]
        form = form[: form.index("</form>")]
        assert f'id="{field_id}"' in form and 'class="errorlist' in form
    item.refresh_from_db()
    assert item.state == SupervisionItem.State.ANSWERED
    page = client.get(f"/supervision/{item.pk}/").content.decode()
    assert page.count('id="id_text"') <= 1 and 'id="return_text"' in page and 'id="close_text"' in page


def test_a_closed_item_reads_closed_with_its_assessment_and_no_overdue_badge(client_for, olga, answered):
    """It read 已办结 · 评价：未办结 逾期: closed and not closed, and still overdue."""
    item, _file = answered
    services.supervision_close(item=item, user=olga, assessment="not_done", today=date(2026, 12, 20))
    with time_machine.travel(date(2026, 12, 21), tick=False):
        client = client_for(olga)
        detail = client.get(item.get_absolute_url()).content.decode()
        listing = client.get("/supervision/").content.decode()
        zone = client.get("/zones/lufeng/").content.decode()
    assert '<span id="item-assessment">办结但未落实</span>' in detail
    # The zone's record counts the closed item and lists only open ones: none open, it says so, not "no items".
    record = zone.split('id="supervision-record"', 1)[1].split("</section>", 1)[0]
    assert "办结但未落实 1" in record and "暂无在办的督办单。" in record and "暂无督办单。" not in record
    assert 'id="item-late"' not in detail
    row = listing.split(f">{item.number}<", 1)[0].rsplit("<tr", 1)[1] + listing.split(f">{item.number}<", 1)[1]
    row = row.split("</tr>", 1)[0]
    assert "已办结" in row and "逾期" not in row
    assert 'class="overdue"' not in row  # nor the overdue row's red bar


def _office_buttons(client, item) -> set[str]:
    page = client.get(item.get_absolute_url()).content.decode()
    return {button for button in ("return-form", "return-button", "remind-button") if f'id="{button}"' in page}


@pytest.mark.parametrize(
    "today, buttons",
    [
        (date(2026, 12, 3), set()),  # before its deadline, not answered: nothing to return, no reason to remind
        (date(2026, 12, 10), set()),  # its last day
        (date(2026, 12, 11), {"return-form", "remind-button"}),  # overdue: 催办
        (date(2027, 2, 1), {"return-form", "remind-button"}),
    ],
)
def test_the_office_may_remind_a_body_whose_item_is_overdue(client_for, olga, issued, today, buttons):
    with time_machine.travel(today, tick=False):
        assert _office_buttons(client_for(olga), issued) == buttons


def test_an_item_answered_by_its_deadline_is_returned_or_closed_not_reminded(client_for, olga, answered):
    item, _evidence = answered
    item.refresh_from_db()
    with time_machine.travel(date(2026, 12, 5), tick=False):
        assert _office_buttons(client_for(olga), item) == {"return-form", "return-button"}
    with time_machine.travel(date(2026, 12, 14), tick=False):
        # Past its deadline, but answered by it: the office's turn (办结 or 退回), no 催办 for the body.
        assert _office_buttons(client_for(olga), item) == {"return-form", "return-button"}
        with pytest.raises(services.SupervisionError) as refused:
            services.supervision_remind(item=item, user=olga)
    assert refused.value.message == "该督办单已在办理时限（2026年12月10日）前反馈，无需催办，请办结或退回。"
    assert not item.steps.filter(kind="remind").exists()


def test_an_item_answered_after_its_deadline_is_reminded_too(client_for, olga, zack, issued):
    services.supervision_answer(item=issued, user=zack, text="已办理", today=date(2026, 12, 12))
    with time_machine.travel(date(2026, 12, 14), tick=False):
        assert _office_buttons(client_for(olga), issued) == {"return-form", "return-button", "remind-button"}


@time_machine.travel(date(2026, 12, 11), tick=False)
def test_the_remind_button_reminds(client_for, olga, issued):
    client = client_for(olga)
    response = client.post(f"/supervision/{issued.pk}/remind/", {"version": issued.version, "text": ""})
    assert response.status_code == 302
    assert issued.steps.filter(kind="remind").count() == 1


@time_machine.travel(date(2026, 12, 11), tick=False)
def test_a_reminder_without_words_is_kept_in_chinese_and_read_in_the_readers_language(client_for, olga, issued):
    client = client_for(olga)
    client.cookies["django_language"] = "en"
    client.post(f"/supervision/{issued.pk}/remind/", {"version": issued.version, "text": ""})
    step = issued.steps.get(kind="remind")
    assert step.text == "该督办单已超过办理时限，请抓紧办理并反馈。"
    english = client.get(issued.get_absolute_url()).content.decode()
    assert "该督办单已超过办理时限" not in english and "past its deadline" in english
    client.cookies["django_language"] = "zh-hans"
    assert "该督办单已超过办理时限，请抓紧办理并反馈。" in client.get(issued.get_absolute_url()).content.decode()


@time_machine.travel(date(2026, 12, 14), tick=False)
def test_a_close_without_words_is_kept_in_chinese_and_read_in_the_readers_language(client_for, olga, issued):
    """In English the 办结 row read 「Close … 逾期办结」 beside a translated 催办 row: the default was kept in the
    language of whoever closed."""
    client = client_for(olga)
    client.cookies["django_language"] = "en"
    client.post(f"/supervision/{issued.pk}/close/", {"version": issued.version, "assessment": "late", "text": ""})
    step = issued.steps.get(kind="close")
    assert step.text == "逾期办结"
    english = client.get(issued.get_absolute_url()).content.decode()
    trail = english.split('id="trail"', 1)[1].split("</table>", 1)[0]
    assert "逾期办结" not in trail and "Closed late" in trail
    client.cookies["django_language"] = "zh-hans"
    trail = client.get(issued.get_absolute_url()).content.decode().split('id="trail"', 1)[1]
    assert "逾期办结" in trail.split("</table>", 1)[0]


@pytest.mark.parametrize("kept", ["逾期办结", "Closed late"])
def test_a_close_kept_before_in_either_language_reads_in_the_readers_one(client_for, olga, issued, kept):
    services.supervision_close(item=issued, user=olga, assessment="late", text="x", today=date(2026, 12, 14))
    issued.steps.filter(kind="close").update(text=kept)  # as older rows hold the default
    client = client_for(olga)
    for language, shown, hidden in (("en", "Closed late", "逾期办结"), ("zh-hans", "逾期办结", "Closed late")):
        client.cookies["django_language"] = language
        trail = client.get(issued.get_absolute_url()).content.decode().split('id="trail"', 1)[1]
        trail = trail.split("</table>", 1)[0]
        assert shown in trail and hidden not in trail


def test_words_the_office_wrote_on_closing_are_shown_as_written(client_for, olga, issued):
    services.supervision_close(item=issued, user=olga, assessment="late", text="已整改到位", today=date(2026, 12, 14))
    client = client_for(olga)
    client.cookies["django_language"] = "en"
    assert "已整改到位" in client.get(issued.get_absolute_url()).content.decode()


def test_an_items_heading_names_one_item_in_english(client_for, olga, issued):
    """It read "Supervision items 楚开督…" for one item."""
    client = client_for(olga)
    client.cookies["django_language"] = "en"
    page = client.get(issued.get_absolute_url()).content.decode()
    assert f"<h1>Supervision item {issued.number}</h1>" in page
    client.cookies["django_language"] = "zh-hans"
    assert f"<h1>督办单 {issued.number}</h1>" in client.get(issued.get_absolute_url()).content.decode()


def _messages_of(page: str) -> str:
    """The page's message area (base.html's ul.messages), or "" when it has none."""
    return page.split('<ul class="messages">', 1)[1].split("</ul>", 1)[0] if '<ul class="messages">' in page else ""


def test_an_answer_to_an_item_closed_meanwhile_says_why_in_the_message_area(client_for, issued, olga, zack):
    """The staff's form was open while the office closed the item: the 400 page drew no answer form and said
    nothing; it now says the service's reason."""
    version = issued.version
    services.supervision_close(item=issued, user=olga, assessment="not_done", today=date(2026, 12, 2))
    response = client_for(zack).post(f"/supervision/{issued.pk}/answer/", {"version": version, "text": "已办理"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="answer-form"' not in page
    assert "该督办单已办结，不能再反馈。" in _messages_of(page)
    assert not issued.steps.filter(kind="answer").exists()


@pytest.mark.parametrize(
    ("action", "data", "words"),
    [
        ("return", {"text": "材料不全"}, "只有已反馈的督办单可以退回。"),
        ("close", {"assessment": "not_done", "text": ""}, "该督办单已办结。"),  # the same 办结 sent twice
        ("remind", {"text": ""}, "该督办单已办结，不能再催办。"),
    ],
)
def test_an_office_action_on_a_closed_item_says_why_in_the_message_area(client_for, issued, olga, action, data, words):
    """It said only 「未能办理，请按提示修改后重试。」: the office forms that carry the reason are not drawn on a closed
    item."""
    with time_machine.travel(date(2026, 12, 20), tick=False):
        client = client_for(olga)
        client.post(f"/supervision/{issued.pk}/close/", {"version": issued.version, "assessment": "late"})
        issued.refresh_from_db()
        assert issued.state == "closed"
        response = client.post(f"/supervision/{issued.pk}/{action}/", data | {"version": issued.version})
    assert response.status_code == 400
    shown = _messages_of(response.content.decode())
    assert words in shown and "未能办理" not in shown
    assert issued.steps.count() == 2  # 交办 and the one 办结
