"""The bulletin as an official document: 第N期 given when the office issues it, per year of issue, and kept;
the issuing office's signature and date, the 抄送 line (a setting), the units' 存在问题 and 下步打算 from
their reports; and the same as an editable Word document."""

import io
from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client
from docx import Document

from indicators.models import BulletinIssue, DispatchReport, ReportingPeriod
from indicators.reporting.services import bulletin_issue
from tasks.models import Task

KUNMING = ZoneInfo("Asia/Shanghai")


def month(year, index):
    return ReportingPeriod.objects.get(cadence="monthly", year=year, index=index)


def page_of(client, period) -> str:
    response = client.get(f"/bulletin/?period={period.pk}")
    assert response.status_code == 200
    return response.content.decode()


def number_on(page: str) -> str:
    return page[page.index('id="bulletin-issue"') :].split("</p>", 1)[0].split(">", 1)[1]


@pytest.fixture
def office(olga):
    """The office's browser; signed in again after each jump in time (a session does not survive them)."""
    client = Client()
    client.force_login(olga)
    client.olga = olga
    return client


def at(day: date, client=None):
    travel = time_machine.travel(datetime(day.year, day.month, day.day, 10, tzinfo=KUNMING), tick=False)
    if client is None:
        return travel

    class _Signed:
        def __enter__(self):
            travel.__enter__()
            client.force_login(client.olga)

        def __exit__(self, *exc):
            return travel.__exit__(*exc)

    return _Signed()


@pytest.fixture
def march(plan):
    period = month(2025, 3)
    DispatchReport.objects.create(
        department=plan["ndrc"],
        task=Task.objects.get(number=14),
        period=period,
        state=DispatchReport.State.APPROVED,
        work_done="推进中",
        problems="征地拆迁进度滞后。",
        next_steps="下月完成剩余地块交付。",
    )
    DispatchReport.objects.create(
        department=plan["commerce"],
        task=Task.objects.get(number=21),
        period=period,
        state=DispatchReport.State.DRAFT,
        problems="草稿里的问题不应出现。",
    )
    return period


def test_it_signs_and_distributes_the_bulletin_with_the_units_problems(office, march, settings):
    settings.BULLETIN_COPIES_TO = ["州委办公室", "州人民政府办公室"]
    page = page_of(office, march)
    problems = page[page.index('id="unit-problems"') : page.index('id="bulletin-sign"')]
    assert "征地拆迁进度滞后。" in problems and "下月完成剩余地块交付。" in problems
    assert "草稿里的问题不应出现" not in problems
    assert "楚雄州开发区工作领导小组办公室" in page[page.index('id="bulletin-sign"') :]
    assert "抄送：</strong>州委办公室，州人民政府办公室。" in page


def test_a_draft_has_no_number_until_the_office_issues_it_and_then_keeps_it(office, march, plan):
    with at(date(2026, 4, 8), office):
        assert "待印发" in number_on(page_of(office, march))

        response = office.post(f"/bulletin/{march.pk}/issue/")

        assert response.status_code == 302 and response.url == f"/bulletin/?period={march.pk}"
        page = page_of(office, march)
        assert number_on(page) == "2026年第1期"  # numbered in the year it is issued
        assert "2026年4月8日" in page[page.index('id="bulletin-sign"') :]  # 落款 date: the day of issue
        april = month(2025, 4)
        office.post(f"/bulletin/{april.pk}/issue/")
        assert number_on(page_of(office, april)) == "2026年第2期"

    with at(date(2026, 6, 1), office):  # later: issuing again, or more periods in the calendar, change nothing
        again = office.post(f"/bulletin/{march.pk}/issue/", follow=True)
        assert "期号不变" in again.content.decode()
        ReportingPeriod.objects.create(
            plan=march.plan,
            cadence="monthly",
            year=2025,
            index=13,
            start=date(2025, 1, 1),
            end=date(2025, 1, 31),
            deadline=date(2025, 2, 5),
        )
        page = page_of(office, march)
        assert number_on(page) == "2026年第1期"
        assert "2026年4月8日" in page[page.index('id="bulletin-sign"') :]

    with at(date(2027, 1, 6), office):  # a new year starts again at 第1期
        office.post(f"/bulletin/{month(2025, 5).pk}/issue/")
        assert number_on(page_of(office, month(2025, 5))) == "2027年第1期"
    assert list(BulletinIssue.objects.order_by("year", "number").values_list("year", "number")) == [
        (2026, 1),
        (2026, 2),
        (2027, 1),
    ]


def test_only_the_office_issues_a_bulletin(client_for, rita, march):
    reviewer = client_for(rita)
    assert 'id="bulletin-issue-form"' not in page_of(reviewer, march)
    assert reviewer.post(f"/bulletin/{march.pk}/issue/").status_code == 403
    assert not BulletinIssue.objects.exists()


def test_a_number_taken_meanwhile_makes_the_issue_take_the_next_one(march, olga, monkeypatch):
    """Two offices issuing at the same moment: the second takes the next number, nothing is refused."""
    other = month(2025, 4)
    from indicators.reporting.services import bulletins

    raced = []

    def atomic(*args, **kwargs):  # "the other office" writes 第1期 between the look-up and the insert
        if not raced:
            raced.append(True)
            BulletinIssue.objects.create(period=other, year=2026, number=1, issued_on=date(2026, 12, 1))
        return transaction.atomic(*args, **kwargs)

    monkeypatch.setattr(bulletins, "transaction", SimpleNamespace(atomic=atomic))
    with at(date(2026, 12, 1)):
        issue, created = bulletin_issue(period=march, user=olga, today=date(2026, 12, 1))
    assert created and (issue.year, issue.number) == (2026, 2)


def test_it_downloads_the_bulletin_as_an_editable_word_document(office, march, settings):
    settings.BULLETIN_COPIES_TO = ["州委办公室", "州人民政府办公室"]
    with at(date(2026, 4, 8), office):
        office.post(f"/bulletin/{march.pk}/issue/")
        response = office.get(f"/bulletin/{march.pk}.docx")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"].startswith("attachment;")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "2026年第1期" in text
    assert "七、各单位存在问题和下步打算" in text
    assert "存在问题：征地拆迁进度滞后。" in text and "下步打算：下月完成剩余地块交付。" in text
    assert "草稿里的问题不应出现" not in text
    assert "抄送：州委办公室，州人民政府办公室。" in text
    assert "楚雄州开发区工作领导小组办公室 2026年4月8日印发" in text


def test_the_word_document_dates_the_bulletin_in_the_readers_language(office, march, settings):
    with at(date(2026, 4, 8), office):
        office.post(f"/bulletin/{march.pk}/issue/")
        office.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = office.get(f"/bulletin/{march.pk}.docx")

    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "1 Mar 2025" in text and "31 Mar 2025" in text  # the period's first and last day
    assert "8 Apr 2026" in text  # 落款: the day of issue
    assert "年3月" not in text and "4月8日" not in text


@pytest.mark.parametrize(
    ("issuer", "language", "heading"),
    [
        ("楚雄州人民政府办公室", "zh-hans", "楚雄州人民政府办公室"),  # the deployment's office, as set
        (None, "zh-hans", "楚雄州开发区工作领导小组办公室"),  # the default
        (None, "en", "Office of the Chuxiong Prefecture Development Zone Work Leading Group"),
    ],
)
def test_the_heading_names_the_issuing_office_the_signature_names(office, march, settings, issuer, language, heading):
    """The bulletin's heading and its 落款 name one office (`PORTAL_BULLETIN_ISSUER`): the heading had named the
    default office whatever the setting said. The default reads in the reader's language, a set office as set."""
    if issuer:
        settings.BULLETIN_ISSUER = issuer
    office.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    page = page_of(office, march)
    org = page[page.index('id="bulletin-org"') :]
    sign = page[page.index('id="bulletin-sign"') :]
    assert org[org.index(">") + 1 : org.index("</p>")] == heading
    assert sign[sign.index("<p>") + 3 : sign.index("</p>")] == heading


@pytest.mark.parametrize(
    ("today", "issued"),
    [
        (date(2025, 3, 20), False),  # March 2025 still running
        (date(2025, 4, 3), False),  # ended, its reports due by 5 April (working days)
        (date(2025, 5, 6), True),  # past its deadline: the bulletin the overview reports on
        (date(2026, 12, 6), True),
    ],
)
def test_a_bulletin_is_issued_once_its_reports_are_due_and_not_before(office, march, today, issued):
    """A period's bulletin is issued (印发, a number of the year spent) only once its deadline has passed: the page
    opens any period's bulletin, and one issued before calls no one late. Before, the page offers no 印发 and a post
    is refused in words, nothing numbered."""
    with at(today, office):
        page = page_of(office, march)
        assert ('id="bulletin-issue-form"' in page) is issued
        response = office.post(f"/bulletin/{march.pk}/issue/", follow=True)
        assert response.status_code == 200
        assert BulletinIssue.objects.filter(period=march).exists() is issued
        if not issued:
            assert "截止后方可印发该期调度通报" in response.content.decode()
            assert "待印发" in number_on(page_of(office, march))
