"""Biweekly project reports go through the indicator reports' workflow: draft → submitted → approved or
returned, with the same rights, locking and history."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from chuxiong_portal.roles import Role
from chuxiong_portal.services import user_create
from parks.models import County
from projects import selectors, services
from projects.models import ProjectInvestment, ProjectReport, Stage
from tasks.models import Department

pytestmark = pytest.mark.django_db


def _input(**over):
    data = {
        "investment_period": Decimal("120"),
        "investment_to_date": Decimal("120"),
        "image_progress": "场平完成60%",
        "problems": "用地指标未落实",
    }
    data.update(over)
    return services.ProjectReportInput(**data)


def _ask(report, filer, text: str, unit) -> None:
    """`filer` submits `report` with the 需协调事项 `text` addressed to `unit` (a Department)."""
    services.project_report_save(
        report=report,
        user=filer,
        version=report.version,
        submit=True,
        today=date(2026, 3, 20),
        data=_input(coordination=text, coordination_unit_id=unit.pk),
    )


@pytest.fixture
def report(listed, alice):
    with time_machine.travel(date(2026, 3, 20)):
        return services.project_report_open(project=listed, user=alice)


def test_the_lead_unit_files_and_its_reviewer_returns_then_approves(report, alice, rita, bob, listed):
    assert report.department == listed.lead_unit and report.period.label.startswith("2026")
    with pytest.raises(services.ProjectError):
        services.project_report_save(report=report, user=bob, data=_input(), version=report.version, submit=True)
    with time_machine.travel(date(2026, 3, 20)):
        report = services.project_report_save(
            report=report,
            user=alice,
            data=_input(stage_reached=Stage.SIGNED, stage_reached_on=date(2026, 3, 18)),
            version=report.version,
            submit=True,
        )
    assert report.state == ProjectReport.State.SUBMITTED
    with pytest.raises(services.ProjectError):  # submitted: locked for the filer until reviewed
        services.project_report_save(report=report, user=alice, data=_input(), version=report.version, submit=False)
    report = services.project_report_return(report=report, user=rita, version=report.version, reason="投资数据有误")
    assert report.state == ProjectReport.State.RETURNED
    with time_machine.travel(date(2026, 3, 21)):
        report = services.project_report_save(
            report=report,
            user=alice,
            data=_input(
                investment_period=Decimal("100"),
                investment_to_date=Decimal("100"),
                stage_reached=Stage.SIGNED,
                stage_reached_on=date(2026, 3, 18),
            ),
            version=report.version,
            submit=True,
        )
        report = services.project_report_approve(report=report, user=rita, version=report.version)
    assert report.state == ProjectReport.State.APPROVED and report.is_locked
    listed.refresh_from_db()
    assert (listed.stage, listed.signed_on) == (Stage.SIGNED, date(2026, 3, 18))
    assert ProjectInvestment.objects.get(project=listed, year=2026, month=3).amount == Decimal("100")
    reasons = [h.history_change_reason for h in report.history.order_by("history_id")]
    assert reasons[-3:] == ["退回：投资数据有误", "提交", "审核通过"]
    with pytest.raises(services.ProjectError):
        services.project_report_save(report=report, user=alice, data=_input(), version=report.version, submit=False)


def test_a_stale_save_is_refused(report, alice):
    services.project_report_save(report=report, user=alice, data=_input(), version=report.version, submit=False)
    with pytest.raises(services.StaleReportError):
        services.project_report_save(report=report, user=alice, data=_input(), version=report.version, submit=False)


@pytest.mark.parametrize(
    "over,field,words",
    [
        ({"investment_to_date": Decimal("10001")}, "investment_to_date", "不能超过项目总投资"),
        ({"stage_reached": Stage.STARTED, "stage_reached_on": date(2026, 3, 1)}, "stage_reached", "阶段不能跳过"),
        ({"stage_reached": Stage.SIGNED, "stage_reached_on": date(2026, 3, 25)}, "stage_reached_on", "不能晚于今天"),
        ({"coordination": "请协调供电"}, "coordination_unit", "协调单位"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(report, alice, over, field, words):
    with time_machine.travel(date(2026, 3, 20)), pytest.raises(services.ProjectError) as error:
        services.project_report_save(
            report=report, user=alice, data=_input(**over), version=report.version, submit=True
        )
    assert words in error.value.errors[field][0]
    report.refresh_from_db()
    assert report.state == ProjectReport.State.PENDING and report.version == 1


def test_coordination_requests_wait_for_the_addressed_unit(report, alice, bob, plan):
    _ask(report, alice, "请协调供电接入", plan["commerce"])
    assert list(selectors.open_coordination(user=bob)) == [report]
    assert not selectors.open_coordination(user=alice).exists()
    with pytest.raises(services.ProjectError):
        services.coordination_answer(report=report, user=alice, answer="好")
    services.coordination_answer(report=report, user=bob, answer="已对接供电局，4月上旬接入")
    assert not selectors.open_coordination(user=bob).exists()
    # A second answer (two people at once) is refused, and told the answer given.
    with pytest.raises(services.ProjectError) as refused:
        services.coordination_answer(report=report, user=bob, answer="另一答复")
    assert "已由他人答复：“已对接供电局，4月上旬接入”" in str(refused.value.errors["answer"][0])
    report.refresh_from_db()
    assert report.coordination_answer == "已对接供电局，4月上旬接入"


def _persona(username, role, **where):
    return user_create(username=username, password=None, role=role, **where)


@pytest.mark.parametrize(
    "unit,acting,not_acting",
    [
        # 县市人民政府 and 县市党委: the government users of the county hosting the project's zone (禄丰县), not
        # another county's (cora, 武定县), nor the zone's users.
        ("county-governments", ["lufeng-county-staff", "lufeng-county-reviewer"], ["cora", "sam", "zack", "bob"]),
        ("county-party-committees", ["lufeng-county-staff", "lufeng-county-reviewer"], ["cora", "sam", "bob"]),
        # 楚雄国家高新区和各产业园区: the users of the project's zone (禄丰产业园区), not another zone's nor the
        # county's.
        ("zones", ["sam", "leo", "zack", "zoe"], ["hitech-committee", "lufeng-county-staff", "cora", "bob"]),
    ],
)
def test_a_collective_units_request_is_answered_by_those_acting_for_it_on_the_project(
    report, alice, olga, sam, leo, zack, zoe, cora, bob, plan, unit, acting, not_acting
):
    lufeng = County.objects.get(code="lufeng")
    people = {
        "sam": sam,
        "leo": leo,
        "zack": zack,
        "zoe": zoe,
        "cora": cora,
        "bob": bob,
        "lufeng-county-staff": _persona("lufeng-county-staff", Role.COUNTY_STAFF, county=lufeng),
        "lufeng-county-reviewer": _persona("lufeng-county-reviewer", Role.COUNTY_REVIEWER, county=lufeng),
        "hitech-committee": _persona("hitech-committee", Role.COMMITTEE_STAFF, zone=plan["hitech"]),
    }
    _ask(report, alice, "请协调县政府做好征地", Department.objects.get(slug=unit))
    for name in acting:
        assert list(selectors.open_coordination(user=people[name])) == [report], name
        assert selectors.can_answer_coordination(user=people[name], report=report), name
    for name in not_acting:
        assert not selectors.open_coordination(user=people[name]).exists(), name
        with pytest.raises(services.ProjectError):
            services.coordination_answer(report=report, user=people[name], answer="好")
    assert list(selectors.open_coordination(user=olga)) == [report]  # the office answers every request
    services.coordination_answer(report=report, user=people[acting[0]], answer="已协调，5月底前完成征地")
    report.refresh_from_db()
    assert report.coordination_answer == "已协调，5月底前完成征地"
    assert not selectors.open_coordination(user=people[acting[-1]]).exists()


def test_the_county_answers_a_request_to_the_county_governments_from_its_to_do(report, alice, client_for, settings):
    """「请协调县政府做好征地」 sent to 县市人民政府 reaches the county of the project's zone on its to-do, and its
    report page offers the answer form."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    county_user = _persona("lufeng-county", Role.COUNTY_STAFF, county=County.objects.get(code="lufeng"))
    _ask(report, alice, "请协调县政府做好征地", Department.objects.get(slug="county-governments"))
    client = client_for(county_user)
    todo = client.get(reverse("todo")).content.decode()
    assert "请协调县政府做好征地" in todo.split('id="project-todo"')[1]
    page = client.get(reverse("project-report-detail", args=[report.pk])).content.decode()
    assert reverse("project-report-answer", args=[report.pk]) in page
    response = client.post(reverse("project-report-answer", args=[report.pk]), {"answer": "已组织征地"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.coordination_answer == "已组织征地"


def test_the_report_page_saves_and_refuses_with_a_chinese_message(report, client_for, alice):
    client = client_for(alice)
    url = reverse("project-report-detail", args=[report.pk])
    with time_machine.travel(date(2026, 3, 20)):
        response = client.post(
            url,
            {
                "version": report.version,
                "investment_period": "1",
                "investment_to_date": "99999",
                "action": "submit",
                "image_progress": "x",
            },
        )
    assert response.status_code == 400
    assert "不能超过项目总投资" in response.content.decode()
    with time_machine.travel(date(2026, 3, 20)):
        response = client.post(
            url,
            {
                "version": report.version,
                "investment_period": "1",
                "investment_to_date": "5",
                "image_progress": "基础施工",
                "action": "submit",
            },
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ProjectReport.State.SUBMITTED


@pytest.fixture
def submitted(report, alice):
    with time_machine.travel(date(2026, 3, 20)):
        return services.project_report_save(
            report=report, user=alice, data=_input(), version=report.version, submit=True
        )


def test_a_refused_return_reason_is_shown_on_the_page_and_nothing_changes(submitted, rita, client_for):
    report = submitted
    response = client_for(rita).post(
        reverse("project-report-review", args=[report.pk]),
        {"action": "return", "reason": "投资\x00有误", "version": report.version},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "审核意见有误" in page and "含有不可用的字符（空字符）" in page
    report.refresh_from_db()
    assert report.state == ProjectReport.State.SUBMITTED


def test_a_return_without_a_reason_is_refused_beside_the_reason_box_as_for_a_dispatch_report(
    submitted, rita, client_for
):
    """The service's refusal names the field: the page shows its words under the reason box, not only on top."""
    report = submitted
    response = client_for(rita).post(
        reverse("project-report-review", args=[report.pk]),
        {"action": "return", "reason": "  ", "version": report.version},
    )
    assert response.status_code == 400
    page = response.content.decode()
    box = page.index('name="reason"')
    assert "退回时必须填写退回原因" in page[:box]  # the message on top
    assert "请填写退回原因" in page[box : page.index("</form>", box)]  # and the field's error beside the box
    report.refresh_from_db()
    assert report.state == ProjectReport.State.SUBMITTED


def test_an_approval_keeps_the_reviewers_comment_worded_in_the_readers_language(submitted, rita, client_for):
    report = submitted
    client = client_for(rita)
    response = client.post(
        reverse("project-report-review", args=[report.pk]),
        {"action": "approve", "reason": "同意，下期补充影像资料", "version": report.version},
    )
    assert response.status_code == 302
    assert report.history.latest().history_change_reason == "审核通过：同意，下期补充影像资料"
    client.cookies["django_language"] = "en"
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Approved: 同意，下期补充影像资料" in page


@pytest.mark.parametrize("today", [date(2026, 3, 20), date(2026, 12, 5), date(2027, 6, 1)])
def test_a_project_report_after_the_plan_brings_no_other_period_of_its_year(listed, alice, olga, client_for, today):
    """Project dispatch goes on after the plan's last year, in half-months created when first needed; the plan's own
    dispatch does not: no month, quarter or half-year of that year appears, the dashboards and the bulletin stay on
    the plan's final month, and the API takes no monthly figure for that year (a period the office sets up for it —
    the province's yearly project rates — is another matter: test_project_rate_reconciliation.py)."""
    from indicators.models import ReportingPeriod
    from indicators.reporting.services import values_import
    from pages.dashboards import period_pick
    from tasks.selectors import plan_get

    plan = plan_get()
    final = period_pick(today=today, plan=plan)
    assert (final.cadence, final.year, final.index) == ("monthly", 2025, 12)
    with time_machine.travel(today, tick=False):
        report = services.project_report_open(project=listed, user=alice)
    assert (report.period.cadence, report.period.year) == ("biweekly", today.year)
    later = ReportingPeriod.objects.filter(plan=plan, year=today.year)
    assert set(later.values_list("cadence", flat=True)) == {"biweekly"}
    assert period_pick(today=today, plan=plan) == final
    assert client_for(olga).get("/bulletin/").context["period"] == final
    row = {"zone": "lufeng", "indicator": "industrial-output-growth", "value": 9.5}
    summary = values_import(rows=[{**row, "period": {"cadence": "monthly", "year": today.year, "index": 1}}], user=olga)
    assert summary.created == 0 and "平台尚未设立调度期" in str(summary.errors)


def test_periods_of_a_later_year_made_before_do_not_move_the_dashboards_off_the_plans_final_month(plan):
    """A database where opening a project report once made every period of a later year (as it did): the dashboards
    and the bulletin still report on the plan's final month."""
    from indicators.reporting.services import periods_generate
    from pages.dashboards import period_pick
    from tasks.selectors import plan_get

    periods_generate(plan=plan_get(), years=[2026])
    final = period_pick(today=date(2026, 12, 5), plan=plan_get())
    assert (final.cadence, final.year, final.index) == ("monthly", 2025, 12)


def test_reopening_the_months_only_approved_report_takes_its_investment_off_the_month(submitted, rita, olga, listed):
    """Approved, the half-month's 120万元 is March's figure; reopened, March has no figure from reports until one is
    approved again (the board and the figures page no longer count it)."""
    with time_machine.travel(date(2026, 3, 21)):
        report = services.project_report_approve(report=submitted, user=rita, version=submitted.version)
    assert ProjectInvestment.objects.get(project=listed, year=2026, month=3).amount == Decimal("120")
    services.project_report_reopen(report=report, user=olga, reason="投资数据需核实")
    assert not ProjectInvestment.objects.filter(project=listed, year=2026, month=3).exists()


def test_reopening_leaves_a_months_figure_the_reports_did_not_make(submitted, rita, olga, listed):
    with time_machine.travel(date(2026, 3, 21)):
        report = services.project_report_approve(report=submitted, user=rita, version=submitted.version)
    ProjectInvestment.objects.filter(project=listed, year=2026, month=3).update(amount=Decimal("300"))  # the API's
    services.project_report_reopen(report=report, user=olga, reason="投资数据需核实")
    assert ProjectInvestment.objects.get(project=listed, year=2026, month=3).amount == Decimal("300")


def test_a_refused_answer_says_what_is_wrong_rather_than_that_it_is_empty(report, alice, bob, plan, client_for):
    """An answer too long was told 「请填写答复内容」: the page says the answer was not saved and the field says why."""
    _ask(report, alice, "请协调供电接入", plan["commerce"])
    response = client_for(bob).post(reverse("project-report-answer", args=[report.pk]), {"answer": "好" * 5001})
    page = response.content.decode()
    assert response.status_code == 400
    assert "未能答复需协调事项，请按提示修改后重试。" in page and "请填写答复内容" not in page
    assert "5000" in page  # the field's own message: at most 5000 characters
    report.refresh_from_db()
    assert report.coordination_answer == ""


def test_a_page_left_open_does_not_reopen_a_project_report_approved_again_since(submitted, rita, olga, client_for):
    """The project report's 重新开放 form carries the version its page showed: drawn before the report was reopened
    and approved again, it is refused in words and the new approval stands; drawn again, it reopens."""
    import re

    from projects.models import ProjectReport

    with time_machine.travel(date(2026, 3, 21)):
        report = services.project_report_approve(report=submitted, user=rita, version=submitted.version)
    client = client_for(olga)
    reopen = reverse("project-report-reopen", args=[report.pk])

    def shown() -> str:
        page = client.get(report.get_absolute_url()).content.decode()
        form = page.split(f'action="{reopen}"', 1)[1].split("</form>", 1)[0]
        return re.search(r'name="version" value="([^"]*)"', form).group(1)

    stale = shown()
    services.project_report_reopen(report=report, user=olga, reason="投资数据需核实")
    ProjectReport.objects.filter(pk=report.pk).update(state=ProjectReport.State.APPROVED)  # approved again
    refused = client.post(reopen, {"reason": "再核实", "version": stale})
    assert refused.status_code == 400 and "该报告已被olga于" in refused.content.decode()
    report.refresh_from_db()
    assert (report.state, report.reopen_reason) == (ProjectReport.State.APPROVED, "投资数据需核实")

    assert client.post(reopen, {"reason": "再核实", "version": shown()}).status_code == 302
    report.refresh_from_db()
    assert (report.state, report.reopen_reason) == (ProjectReport.State.RETURNED, "再核实")


def test_a_refused_reopen_comes_back_with_its_reason_and_the_version_now_stored_to_send_again(
    submitted, rita, olga, client_for
):
    """Refused for a report approved again since, the 重新开放 form comes back with the reason typed and the report's
    current version: pressed again, after the message naming who changed it, it reopens."""
    from projects.models import ProjectReport
    from tests.resend import form_data

    with time_machine.travel(date(2026, 3, 21)):
        report = services.project_report_approve(report=submitted, user=rita, version=submitted.version)
    stale = report.version
    services.project_report_reopen(report=report, user=olga, reason="投资数据需核实")
    ProjectReport.objects.filter(pk=report.pk).update(state=ProjectReport.State.APPROVED)  # approved again
    client = client_for(olga)
    reopen = reverse("project-report-reopen", args=[report.pk])
    refused = client.post(reopen, {"reason": "再核实", "version": stale})
    page = refused.content.decode()
    assert refused.status_code == 400 and "该报告已被olga于" in page and "您填写的内容已保留" in page
    report.refresh_from_db()
    assert (report.state, report.reopen_reason) == (ProjectReport.State.APPROVED, "投资数据需核实")

    again = form_data(page, f'//form[@action="{reopen}"]')
    assert again == {"version": str(report.version), "reason": "再核实"}
    assert client.post(reopen, again).status_code == 302
    report.refresh_from_db()
    assert (report.state, report.reopen_reason) == (ProjectReport.State.RETURNED, "再核实")


def test_a_save_refused_for_a_stale_page_shows_what_is_stored_and_is_taken_when_sent_again(report, client_for, alice):
    """Two pages of the same report: the second's save, drawn before the first's, comes back with its input, what is
    stored now under each field that differs, and the current version; sent again, it is taken."""
    import re

    from tests.resend import form_data

    url = reverse("project-report-detail", args=[report.pk])
    first, second = client_for(alice), client_for(alice)
    with time_machine.travel(date(2026, 3, 20)):
        drawn = form_data(second.get(url).content.decode(), '//form[@id="project-report-form"]')
        saved = {**drawn, "investment_period": "5", "image_progress": "桩基施工", "action": "save"}
        assert first.post(url, saved).status_code == 302
        refused = second.post(url, {**drawn, "investment_period": "7", "action": "save"})
        page = refused.content.decode()
        assert refused.status_code == 400 and "已被" in page
        notes = re.findall(r'<div class="helptext" id="[^"]*">([^<]*)</div>', page)
        assert sorted(notes) == ["现已保存：5", "现已保存：桩基施工"], notes
        assert ProjectReport.objects.get(pk=report.pk).investment_period == Decimal("5")
        again = form_data(page, '//form[@id="project-report-form"]')
        assert again["investment_period"] == "7" and again["version"] == str(report.version + 1)
        assert second.post(url, {**again, "action": "save"}).status_code == 302
    stored = ProjectReport.objects.get(pk=report.pk)
    assert (stored.investment_period, stored.image_progress) == (Decimal("7"), "")


def test_a_project_report_resubmitted_after_its_return_does_not_name_a_reviewer_beside_its_state(
    submitted, alice, rita, client_for
):
    """As for a dispatch report: 已提交 beside the reviewer who had returned it read as reviewed already."""
    report = services.project_report_return(
        report=submitted, user=rita, version=submitted.version, reason="投资口径有误"
    )
    url = reverse("project-report-detail", args=[report.pk])

    def state_line():
        page = client_for(alice).get(url).content.decode()
        return page.split('id="report-state"')[1].split("</p>")[0]

    assert "审核人" in state_line()  # who returned it, beside 已退回
    with time_machine.travel(date(2026, 3, 21)):
        report = services.project_report_save(
            report=report, user=alice, data=_input(), version=report.version, submit=True
        )
    assert report.state == ProjectReport.State.SUBMITTED
    assert "审核人" not in state_line() and str(rita) not in state_line()


def test_a_closed_plans_project_report_is_neither_reopened_nor_saved_and_its_page_says_why(
    submitted, rita, olga, alice, client_for
):
    """A closed plan's record is complete (tests/tasks/test_plan_close.py): its key projects' reports too."""
    from tasks.models import Plan

    with time_machine.travel(date(2026, 3, 21)):
        approved = services.project_report_approve(report=submitted, user=rita, version=submitted.version)
    Plan.objects.filter(pk=approved.period.plan_id).update(status=Plan.Status.CLOSED)

    with pytest.raises(services.ProjectError, match="该报告所属的行动方案已结束"):
        services.project_report_reopen(report=approved, user=olga, reason="投资数据需核实")
    ProjectReport.objects.filter(pk=approved.pk).update(state=ProjectReport.State.DRAFT)  # left owed before the rule
    with pytest.raises(services.ProjectError, match="该报告所属的行动方案已结束"):
        services.project_report_save(
            report=approved, user=alice, data=_input(), version=approved.version, submit=True, today=date(2026, 3, 21)
        )
    assert ProjectReport.objects.get(pk=approved.pk).state == ProjectReport.State.DRAFT
    page = client_for(alice).get(approved.get_absolute_url()).content.decode()
    assert 'id="report-closed"' in page and "其记录已归档" in page
