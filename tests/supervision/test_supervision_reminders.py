"""The reminder job covers work items and 督办 deadlines, on the working-day calendar, once per item and kind."""

from datetime import date

import pytest
import time_machine
from django.core import mail
from django.test import Client

from chuxiong_portal.models import Notification, PendingJob
from indicators.jobs import send_reminders
from supervision import services


@pytest.fixture
def due(plan, olga, work_list):
    item = services.supervision_issue(
        user=olga,
        body=plan["lufeng"],
        source="instruction",
        requirement="报进展",
        deadline=date(2026, 10, 9),
        today=date(2026, 9, 1),
    )
    return item, work_list[1]


def _titles(user):
    return sorted(Notification.objects.filter(user=user).values_list("title", flat=True))


@pytest.mark.parametrize(
    "today,expected",
    [
        # Two working days before 9 October 2026: the National Day holiday (1–8 October) does not count,
        # so on 30 September both deadlines are within reach (the next working days are 9 and 10 October).
        (date(2026, 9, 25), []),
        (date(2026, 9, 30), ["工作事项即将到期：成立专业化运营公司", "督办单即将到期：楚开督〔2026〕001号"]),
        (date(2026, 10, 12), ["工作事项已逾期：成立专业化运营公司", "督办单已逾期：楚开督〔2026〕001号"]),
    ],
)
def test_the_committee_is_reminded_on_working_days(due, zack, today, expected, settings):
    settings.PORTAL_REMINDER_WORKING_DAYS = 2
    item, _items = due
    item.deadline, item.issued_on = date(2026, 10, 9), date(2026, 9, 1)
    item.save()
    work = _items["lufeng"]
    work.due_date = date(2026, 10, 9)
    work.save()
    with time_machine.travel(today, tick=False):
        send_reminders()
        send_reminders()  # idempotent: nothing twice
    assert _titles(zack) == expected


def test_closed_items_and_other_bodies_get_nothing(due, zack, cora, olga):
    item, _items = due
    services.supervision_close(item=item, user=olga, assessment="not_done", today=date(2026, 9, 2))
    with time_machine.travel(date(2026, 12, 1), tick=False):
        send_reminders()
    assert _titles(zack) == ["工作事项已逾期：成立专业化运营公司"]  # its 督办单 is closed: no reminder
    assert _titles(cora) == []  # 武定's item falls due on 10 December, beyond two working days


def test_a_body_that_answered_by_the_deadline_is_not_told_its_item_is_overdue(due, zack, zoe, olga):
    """楚开督〔2026〕003号, answered on 11-28 and due on 12-10: on 12-11 its committee got 「督办单已逾期」, though
    what was pending was the office's 办结."""
    item, _items = due  # due on 10-09
    services.supervision_answer(item=item, user=zack, text="已办理", today=date(2026, 9, 28))
    for day in (date(2026, 9, 30), date(2026, 10, 12), date(2027, 3, 1)):
        with time_machine.travel(day, tick=False):
            send_reminders()
    assert not Notification.objects.filter(key__startswith=f"supervision:{item.pk}:").exists()
    assert [t for t in _titles(zack) + _titles(zoe) if t.startswith("督办单")] == []


def test_a_returned_item_past_its_deadline_is_reminded_as_overdue(due, zack, olga):
    item, _items = due
    services.supervision_answer(item=item, user=zack, text="已办理", today=date(2026, 9, 28))
    services.supervision_return(item=item, user=olga, reason="材料不全", today=date(2026, 10, 10))
    with time_machine.travel(date(2026, 10, 12), tick=False):
        send_reminders()
    assert "督办单已逾期：楚开督〔2026〕001号" in _titles(zack)


def test_the_reminder_mail_goes_after_the_commit_through_the_outbox(due, zack, django_capture_on_commit_callbacks):
    """It was sent in the job's transaction with `fail_silently=True`: sent from a run rolled back, lost on failure."""
    zack.email = "zack@example.cn"
    zack.save()
    with time_machine.travel(date(2026, 10, 12), tick=False):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            send_reminders()
        assert mail.outbox == []  # nothing before the commit
        assert PendingJob.objects.filter(job="chuxiong_portal.jobs.mail_notifications").count() == 1
        for callback in callbacks:
            callback()
    assert sorted(m.subject for m in mail.outbox) == [
        "工作事项已逾期：成立专业化运营公司",
        "督办单已逾期：楚开督〔2026〕001号",
    ]
    assert all(m.to == ["zack@example.cn"] for m in mail.outbox)
    assert not Notification.objects.filter(user=zack, mailed_at__isnull=True).exists()


def test_a_body_that_chose_english_is_reminded_in_english_and_the_others_in_chinese(due, zack, plan, settings):
    """The committee's staff who switched the pages to English read their reminders (and their e-mail) in English;
    a colleague who never switched, in Chinese; from the same run of the job."""
    from chuxiong_portal.roles import Role
    from chuxiong_portal.services import user_create

    settings.PORTAL_REMINDER_WORKING_DAYS = 2
    item, work = due
    colleague = user_create(username="zhu", password=None, role=Role.COMMITTEE_STAFF, zone=plan["lufeng"])
    client = Client()
    client.force_login(zack)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    zack.refresh_from_db()
    assert zack.language == "en"
    with time_machine.travel(date(2026, 10, 12), tick=False):
        send_reminders()
    assert _titles(colleague) == ["工作事项已逾期：成立专业化运营公司", "督办单已逾期：楚开督〔2026〕001号"]
    assert _titles(zack) == ["Supervision item overdue: 楚开督〔2026〕001号", "Work item overdue: 成立专业化运营公司"]
    body = Notification.objects.get(user=zack, title__startswith="Supervision item overdue").body
    assert "9 Oct 2026" in body and "年" not in body.replace("〔2026〕", "")


def test_the_language_switch_records_a_known_language_of_a_logged_in_user_only(zack, client):
    client.force_login(zack)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})  # not a language of the portal
    zack.refresh_from_db()
    assert zack.language == ""
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    zack.refresh_from_db()
    assert zack.language == "zh-hans" and zack.notice_language == "zh-hans"
    client.logout()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})  # a visitor: the cookie only
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"
    zack.refresh_from_db()
    assert zack.language == "zh-hans"
