"""Bad input writes nothing and says why: completed investment above the total, an actual date in the future,
a stage out of order, a project without a zone. Every change is kept with who, when and why."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from projects import rules, services
from projects.models import Listing, Milestone, Project, Stage
from tasks.models import Task
from tasks.selectors import plan_in_force

pytestmark = pytest.mark.django_db


def test_it_refuses_a_project_without_a_zone(olga):
    with pytest.raises(services.ProjectError) as error:
        services.project_create(
            user=olga, data={"code": "x-1", "name": "无园区", "zone": None, "total_investment": Decimal("10")}
        )
    assert "项目必须填写所在开发区。" in error.value.errors["zone"]
    assert not Project.objects.filter(code="x-1").exists()


def test_it_refuses_an_actual_date_in_the_future(make_project, olga):
    project = make_project()
    with time_machine.travel(date(2026, 5, 10)):
        with pytest.raises(services.ProjectError) as error:
            services.project_stage_set(project=project, user=olga, stage=Stage.SIGNED, on=date(2026, 5, 11))
        assert "不能晚于今天" in error.value.errors["on"][0]
        services.project_stage_set(project=project, user=olga, stage=Stage.SIGNED, on=date(2026, 5, 10))
    project.refresh_from_db()
    assert (project.stage, project.signed_on) == (Stage.SIGNED, date(2026, 5, 10))


def test_it_refuses_a_stage_out_of_order(make_project, olga):
    project = make_project()
    with pytest.raises(services.ProjectError) as error:
        services.project_stage_set(project=project, user=olga, stage=Stage.STARTED, on=date(2026, 5, 1))
    assert "阶段不能跳过" in error.value.errors["stage"][0]
    services.project_stage_set(project=project, user=olga, stage=Stage.SIGNED, on=date(2026, 5, 1))
    with pytest.raises(services.ProjectError) as error:
        services.project_stage_set(project=project, user=olga, stage=Stage.LANDED, on=date(2026, 4, 1))
    assert "不能早于" in error.value.errors["on"][0]
    project.refresh_from_db()
    assert project.stage == Stage.SIGNED and project.landed_on is None


def test_a_stage_dated_before_a_milestone_recorded_done_that_comes_before_it_is_refused(make_listed, olga, client_for):
    """环评 and 七通一平 come before 开工, 主体完工 before 投产/竣工 (`MILESTONE_DONE_BY_STAGE`): as 记录完成 refuses a
    milestone dated after its stage, a stage is refused a date before such a milestone recorded done — in words naming
    both, by the page's date field, with nothing written (history included); the milestone's own date is accepted."""
    project = make_listed({Milestone.Kind.EIA: date(2026, 4, 30), Milestone.Kind.STRUCTURE: date(2026, 9, 15)})
    Project.objects.filter(pk=project.pk).update(
        stage=Stage.LANDED, signed_on=date(2026, 3, 18), landed_on=date(2026, 4, 10)
    )
    Milestone.objects.filter(listing__project=project, kind=Milestone.Kind.EIA).update(actual_on=date(2026, 5, 10))
    records = project.history.count()
    with time_machine.travel(date(2026, 12, 5), tick=False):
        with pytest.raises(services.ProjectError) as error:
            services.project_stage_set(project=project, user=olga, stage=Stage.STARTED, on=date(2026, 5, 1))
        assert error.value.errors["on"] == ["开工日期（2026年5月1日）不能早于已登记的环评批复日期（2026年5月10日）。"]
        response = client_for(olga).post(
            reverse("project-stage", args=[project.code]), {"stage": Stage.STARTED, "on": "2026-05-01"}
        )
        assert response.status_code == 400
        assert (
            "开工日期（2026年5月1日）不能早于已登记的环评批复日期（2026年5月10日）。"
            in (response.context["stage_form"].errors["on"])
        )
        project.refresh_from_db()
        assert (project.stage, project.started_on, project.history.count()) == (Stage.LANDED, None, records)
        services.project_stage_set(project=project, user=olga, stage=Stage.STARTED, on=date(2026, 5, 10))
        Milestone.objects.filter(listing__project=project, kind=Milestone.Kind.STRUCTURE).update(
            actual_on=date(2026, 9, 15)
        )
        with pytest.raises(services.ProjectError) as error:
            services.project_stage_set(project=project, user=olga, stage=Stage.COMPLETED, on=date(2026, 9, 14))
        assert error.value.errors["on"] == [
            "投产/竣工日期（2026年9月14日）不能早于已登记的主体完工日期（2026年9月15日）。"
        ]
        project.refresh_from_db()
        assert (project.stage, project.completed_on, project.history.count()) == (Stage.STARTED, None, records + 1)
        services.project_stage_set(project=project, user=olga, stage=Stage.COMPLETED, on=date(2026, 9, 15))
    project.refresh_from_db()
    assert (project.stage, project.started_on, project.completed_on) == (
        Stage.COMPLETED,
        date(2026, 5, 10),
        date(2026, 9, 15),
    )


def test_a_milestone_already_recorded_after_its_stage_does_not_stop_the_next_stage(make_listed, olga):
    """A 环评 recorded after 开工 before the rule held is the stored 开工's disagreement, not 投产's: the project still
    moves on (it was a 500)."""
    project = make_listed({Milestone.Kind.EIA: date(2026, 4, 30)})
    Project.objects.filter(pk=project.pk).update(
        stage=Stage.STARTED, signed_on=date(2026, 3, 18), landed_on=date(2026, 4, 10), started_on=date(2026, 5, 20)
    )
    Milestone.objects.filter(listing__project=project, kind=Milestone.Kind.EIA).update(actual_on=date(2026, 6, 1))
    with time_machine.travel(date(2026, 12, 5), tick=False):
        services.project_stage_set(project=project, user=olga, stage=Stage.COMPLETED, on=date(2026, 9, 30))
    project.refresh_from_db()
    assert (project.stage, project.completed_on) == (Stage.COMPLETED, date(2026, 9, 30))


def test_it_refuses_stage_dates_that_disagree_with_the_stage_on_create(olga, plan):
    with pytest.raises(services.ProjectError) as error:
        services.project_create(
            user=olga,
            today=date(2026, 12, 1),
            data={
                "code": "x-2",
                "name": "乱序",
                "zone": plan["lufeng"],
                "total_investment": Decimal("10"),
                "stage": Stage.SIGNED,
                "signed_on": date(2026, 3, 1),
                "started_on": date(2026, 4, 1),
            },
        )
    assert "阶段顺序有误" in error.value.errors["started_on"][0]
    assert not Project.objects.filter(code="x-2").exists()


def test_an_exit_needs_a_reason_and_is_kept_with_it(make_project, olga):
    project = make_project()
    with pytest.raises(services.ProjectError):
        services.project_stage_set(project=project, user=olga, stage=Stage.EXITED, on=None, reason=" ")
    services.project_stage_set(project=project, user=olga, stage=Stage.EXITED, on=None, reason="企业资金链断裂")
    project.refresh_from_db()
    latest = project.history.latest()
    assert project.stage == Stage.EXITED
    assert (latest.history_user, latest.history_change_reason) == (olga, "退出：企业资金链断裂")


def test_a_project_created_or_changed_with_its_tasks_and_units_is_recorded_once(olga, plan, client_for):
    """One 变更记录 row per change, with who and why, holding the tasks and units as set: not a second, identical
    row for each relation set."""
    tasks = list(Task.objects.filter(plan=plan_in_force(), number__in=[9, 10]))
    project = services.project_create(
        user=olga,
        data={"code": "x-3", "name": "一次记录", "zone": plan["lufeng"], "total_investment": Decimal("100")},
        tasks=tasks,
        units=[plan["commerce"]],
        today=date(2026, 12, 1),
    )
    (created,) = project.history.all()
    assert (created.history_type, created.history_user, created.history_change_reason) == ("+", olga, "入库（储备）")
    assert {row.task_id for row in created.tasks.all()} == {t.pk for t in tasks}
    assert [row.department_id for row in created.units.all()] == [plan["commerce"].pk]
    page = client_for(olga).get(project.get_absolute_url()).content.decode()
    assert page.count("入库（储备）") == 1
    services.project_update(
        project=project, user=olga, data={}, version=project.version, reason="增加配合单位", units=[plan["ndrc"]]
    )
    assert project.history.count() == 2
    changed = project.history.latest()
    assert (changed.history_user, changed.history_change_reason) == (olga, "增加配合单位")
    assert [row.department_id for row in changed.units.all()] == [plan["ndrc"].pk]


def _admin_form(code: str, plan) -> dict:
    """The admin's add form of a valid reserve project in 禄丰."""
    return {
        "code": code,
        "name": "后台项目",
        "zone": plan["lufeng"].pk,
        "kind": Project.Kind.INDUSTRIAL,
        "total_investment": "100",
        "stage": Stage.RESERVE,
    }


def test_a_project_added_or_changed_in_the_admin_with_its_tasks_and_units_is_recorded_once(olga, plan, client_for):
    """The admin writes as the pages do: one 变更记录 row per save, with the user and 后台新增/后台修改, holding the
    tasks and units as set; a change is a new version."""
    tasks = list(Task.objects.filter(plan=plan_in_force(), number__in=[9, 10]))
    client = client_for(olga)
    form = _admin_form("adm-1", plan) | {
        "tasks": [t.pk for t in tasks],
        "units": [plan["commerce"].pk],
    }
    response = client.post(reverse("admin:projects_project_add"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get(code="adm-1")
    (added,) = project.history.all()
    assert (added.history_type, added.history_user, added.history_change_reason) == ("+", olga, "后台新增")
    assert {row.task_id for row in added.tasks.all()} == {t.pk for t in tasks}
    assert [row.department_id for row in added.units.all()] == [plan["commerce"].pk]
    response = client.post(
        reverse("admin:projects_project_change", args=[project.pk]), form | {"tasks": [], "units": [plan["ndrc"].pk]}
    )
    assert response.status_code == 302
    assert project.history.count() == 2
    changed = project.history.latest()
    assert (changed.history_type, changed.history_user, changed.history_change_reason) == ("~", olga, "后台修改")
    assert (list(changed.tasks.all()), [row.department_id for row in changed.units.all()]) == ([], [plan["ndrc"].pk])
    project.refresh_from_db()
    assert (project.version, project.updated_by) == (2, olga)
    page = client.get(project.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert page.count("后台修改") == 1 and page.count("后台新增") == 1
    client.cookies["django_language"] = "en"
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Changed in the admin" in page and "Added in the admin" in page


@pytest.mark.parametrize(
    ("over", "field", "words"),
    [
        ({"total_investment": "0"}, "total_investment", "总投资必须大于0。"),  # a database rule: was a 500
        ({"stage": Stage.STARTED}, "landed_on", None),  # a stage reached without its dates
        ({"stage": Stage.EXITED}, "exit_reason", "项目退出时必须填写退出原因。"),  # a database rule too
    ],
)
def test_the_admin_refuses_a_project_the_pages_refuse_in_their_words(olga, plan, client_for, over, field, words):
    """The admin's form applies the pages' rule on a project's facts (`services.project_errors`): a 200 with the
    message on its field and nothing written, not a 500 from the database's constraint."""
    form = _admin_form("adm-2", plan)
    response = client_for(olga).post(reverse("admin:projects_project_add"), form | over)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors and (words is None or words in errors[field])
    assert not Project.objects.filter(code="adm-2").exists()


def test_the_admin_refuses_a_stage_date_before_a_milestone_recorded_done_that_comes_before_it(
    make_listed, olga, plan, client_for
):
    """The admin's project form reads the same rule (`services.project_errors`): 开工 moved before the recorded 环评 is
    refused on its field with nothing written; the stored dates, left as they are, still save."""
    project = make_listed({Milestone.Kind.EIA: date(2026, 4, 30)})
    Project.objects.filter(pk=project.pk).update(
        stage=Stage.STARTED, signed_on=date(2026, 3, 18), landed_on=date(2026, 4, 10), started_on=date(2026, 5, 20)
    )
    Milestone.objects.filter(listing__project=project, kind=Milestone.Kind.EIA).update(actual_on=date(2026, 5, 10))
    form = _admin_form(project.code, plan) | {
        "total_investment": str(project.total_investment),  # not below the year's plan (1200)
        "stage": Stage.STARTED,
        "signed_on": "2026-03-18",
        "landed_on": "2026-04-10",
        "started_on": "2026-05-01",
    }
    url = reverse("admin:projects_project_change", args=[project.pk])
    client = client_for(olga)
    response = client.post(url, form)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["started_on"] == [
        "开工日期（2026年5月1日）不能早于已登记的环评批复日期（2026年5月10日）。"
    ]
    project.refresh_from_db()
    assert project.started_on == date(2026, 5, 20)
    assert client.post(url, form | {"started_on": "2026-05-20"}).status_code == 302


def test_it_refuses_a_total_below_what_is_completed(make_project, olga):
    project = make_project(total=Decimal("1000"))
    project.investments.create(year=2026, month=3, amount=Decimal("800"))
    with pytest.raises(services.ProjectError) as error:
        services.project_update(
            project=project,
            user=olga,
            data={"total_investment": Decimal("500")},
            version=project.version,
            reason="调减",
        )
    assert "不能小于已完成投资" in error.value.errors["total_investment"][0]
    project.refresh_from_db()
    assert project.total_investment == Decimal("1000")


def test_the_yearly_list_baseline_changes_are_recorded_as_such(listed, olga):
    listing = Listing.objects.get(project=listed, year=2026)
    milestone = listing.milestones.get(kind=Milestone.Kind.LAND)
    with pytest.raises(services.ProjectError):
        services.milestone_rebaseline(milestone=milestone, user=olga, planned_on=date(2026, 8, 31), reason="")
    services.milestone_rebaseline(milestone=milestone, user=olga, planned_on=date(2026, 8, 31), reason="用地报批延后")
    milestone.refresh_from_db()
    assert milestone.baseline_changes == 1
    first, latest = milestone.history.earliest(), milestone.history.latest()
    assert first.planned_on == date(2026, 6, 30) and first.history_change_reason == "确定倒排工期基线"
    assert latest.history_change_reason == "调整基线：2026-06-30 → 2026-08-31，用地报批延后"


def test_the_baseline_stages_must_be_in_order(make_project, olga):
    project = make_project()
    with pytest.raises(services.ProjectError) as error:
        services.listing_adopt(
            project=project,
            user=olga,
            year=2026,
            planned_investment=Decimal("100"),
            milestones={Milestone.Kind.SIGNED: date(2026, 6, 1), Milestone.Kind.STARTED: date(2026, 3, 1)},
        )
    assert "顺序" in error.value.message
    assert not Listing.objects.filter(project=project).exists()


def test_a_new_baseline_keeps_the_stages_in_order_and_leaves_a_reached_milestone_alone(listed, olga):
    """签约 3/31, 供地 6/30, 开工 9/30: 供地 moved past 开工 is refused; once signed (3/18), 签约 is done with."""
    listing = Listing.objects.get(project=listed, year=2026)
    land, signed = (listing.milestones.get(kind=kind) for kind in (Milestone.Kind.LAND, Milestone.Kind.SIGNED))
    with pytest.raises(services.ProjectError) as error:
        services.milestone_rebaseline(milestone=land, user=olga, planned_on=date(2026, 10, 15), reason="报批延后")
    assert "顺序" in error.value.message or "顺序" in str(error.value.errors)
    Project.objects.filter(pk=listed.pk).update(stage=Stage.SIGNED, signed_on=date(2026, 3, 18))
    with pytest.raises(services.ProjectError) as error:
        services.milestone_rebaseline(milestone=signed, user=olga, planned_on=date(2027, 1, 15), reason="推迟")
    assert "已于2026年3月18日完成" in str(error.value.errors)
    land.refresh_from_db()
    signed.refresh_from_db()
    assert (land.planned_on, land.baseline_changes, signed.planned_on) == (date(2026, 6, 30), 0, date(2026, 3, 31))


@pytest.mark.parametrize(
    "today,listed,proposed",
    [
        (date(2026, 3, 1), [], 2026),
        (date(2026, 3, 1), [2025], 2026),
        (date(2026, 12, 6), [2025, 2026], 2027),
        (date(2026, 12, 6), [2026, 2027], 2028),
        (date(2027, 1, 2), [2026], 2027),
    ],
)
def test_a_project_is_proposed_for_the_first_year_from_this_one_it_is_not_listed_for(today, listed, proposed):
    assert rules.listing_year_proposed(today, listed) == proposed


@pytest.mark.parametrize("today,proposed", [(date(2026, 5, 1), 2027), (date(2027, 2, 1), 2027)])
def test_the_project_page_offers_its_listing_for_a_year_it_can_be_listed_for(listed, olga, client_for, today, proposed):
    """On this year's list, a project was offered the same year again, which the list refuses."""
    with time_machine.travel(today, tick=False):
        page = client_for(olga).get(listed.get_absolute_url()).content.decode()
    form = page.split('action="' + reverse("project-adopt", args=[listed.code]), 1)[1].split("</form>", 1)[0]
    assert f'name="year" value="{proposed}"' in form


@pytest.mark.parametrize(
    "year,completed_on,open_",
    [
        (2026, None, True),
        (2026, date(2026, 9, 30), True),
        (2027, date(2026, 9, 30), False),
        (2026, date(2025, 12, 31), False),
    ],
)
def test_a_project_in_production_is_on_no_later_years_list(year, completed_on, open_):
    assert rules.listing_year_open(year, completed_on) is open_


@pytest.mark.parametrize(
    "today,completed_on,proposed",
    [
        (date(2026, 12, 6), date(2026, 9, 30), None),  # on 2026's list; 2027 comes after its 投产
        (date(2026, 12, 6), date(2027, 3, 1), 2027),
        (date(2027, 2, 1), None, 2027),
    ],
)
def test_no_year_is_proposed_after_the_project_went_into_production(today, completed_on, proposed):
    assert rules.listing_year_proposed(today, [2026], completed_on) == proposed


def _in_production(project, olga, on: date):
    Project.objects.filter(pk=project.pk).update(
        stage=Stage.STARTED, signed_on=date(2026, 1, 10), landed_on=date(2026, 2, 10), started_on=date(2026, 3, 10)
    )
    with time_machine.travel(on, tick=False):
        services.project_stage_set(project=project, user=olga, stage=Stage.COMPLETED, on=on)
    project.refresh_from_db()
    return project


def test_the_list_of_a_year_after_its_production_refuses_the_project(listed, olga):
    """In production on 2026-09-30: 2026's list is its own, 2027's is refused with the reason, nothing written."""
    project = _in_production(listed, olga, date(2026, 9, 30))
    with pytest.raises(services.ProjectError) as error:
        services.listing_adopt(
            project=project,
            user=olga,
            year=2027,
            planned_investment=Decimal("500"),
            milestones={Milestone.Kind.STRUCTURE: date(2027, 6, 30)},
        )
    assert error.value.errors["year"] == ["该项目已于2026年9月30日投产/竣工，不能列入2027年度清单。"]
    assert list(project.listings.values_list("year", flat=True)) == [2026]


@pytest.mark.parametrize("today", [date(2026, 10, 8), date(2027, 1, 5)])
def test_the_page_of_a_project_in_production_offers_no_later_year(listed, olga, client_for, today):
    """On 2026's list and in production on 2026-09-30: whether in 2026 (2027 proposed) or in 2027, no year is left."""
    project = _in_production(listed, olga, date(2026, 9, 30))
    with time_machine.travel(today, tick=False):
        page = client_for(olga).get(project.get_absolute_url()).content.decode()
    assert 'id="adopt-form"' not in page and 'id="listing-closed"' in page
    assert "项目已于2026年9月30日投产/竣工，不再列入以后年度的重点项目建设清单。" in page


def test_the_page_of_a_project_not_in_production_offers_the_year(listed, olga, client_for):
    with time_machine.travel(date(2026, 10, 8), tick=False):
        page = client_for(olga).get(listed.get_absolute_url()).content.decode()
    assert 'id="adopt-form"' in page and 'id="listing-closed"' not in page


def test_a_reached_milestone_is_offered_no_new_baseline(listed, olga, client_for):
    """签约 reached (3/18): the service refuses its new baseline, and the page no longer offers one; 供地 and 开工 keep
    theirs."""
    Project.objects.filter(pk=listed.pk).update(stage=Stage.SIGNED, signed_on=date(2026, 3, 18))
    listing = Listing.objects.get(project=listed, year=2026)
    with time_machine.travel(date(2026, 5, 1), tick=False):
        page = client_for(olga).get(listed.get_absolute_url()).content.decode()
    action = reverse("project-rebaseline", args=[listed.code])
    offered = {
        int(form.split('name="milestone" value="', 1)[1].split('"', 1)[0])
        for form in page.split(f'action="{action}"')[1:]
    }
    milestones = dict(listing.milestones.values_list("kind", "pk"))
    assert offered == {milestones[Milestone.Kind.LAND], milestones[Milestone.Kind.STARTED]}


def test_a_later_year_sent_from_a_page_left_open_comes_back_refused_with_its_form(listed, olga, client_for):
    """The form was on screen before the project went into production: the year comes back refused, what was typed
    kept, and no listing written."""
    project = _in_production(listed, olga, date(2026, 9, 30))
    with time_machine.travel(date(2026, 10, 8), tick=False):
        response = client_for(olga).post(
            reverse("project-adopt", args=[project.code]),
            {"year": "2027", "planned_investment": "500", "m_structure": "2027-06-30"},
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="adopt-form"' in page and 'value="500"' in page
    assert "该项目已于2026年9月30日投产/竣工，不能列入2027年度清单。" in page
    assert list(project.listings.values_list("year", flat=True)) == [2026]


@pytest.mark.parametrize(
    "year,exited,completed_on,reported",
    [
        (2026, False, None, True),
        (2026, True, None, False),
        (2026, False, date(2026, 9, 30), True),  # its last investment, the year it went into production
        (2027, False, date(2026, 9, 30), False),
    ],
)
def test_a_project_reports_until_it_leaves_or_the_year_after_its_production(year, exited, completed_on, reported):
    assert rules.reported_in(year, exited=exited, completed_on=completed_on) is reported


def test_a_project_in_production_files_no_report_in_a_later_year(listed, olga, client_for):
    """In production on 2026-09-30: it files 2026's reports, none in 2027, where the page no longer offers one."""
    project = _in_production(listed, olga, date(2026, 9, 30))
    with time_machine.travel(date(2026, 10, 8), tick=False):
        assert 'id="open-report"' in client_for(olga).get(project.get_absolute_url()).content.decode()
        assert services.project_report_open(project=project, user=olga).period.year == 2026
    with time_machine.travel(date(2027, 1, 5), tick=False):
        client = client_for(olga)  # signed in on the day: a session of October has expired
        page = client.get(project.get_absolute_url()).content.decode()
        assert 'id="listing-closed"' in page and 'id="open-report"' not in page
        with pytest.raises(services.ProjectError) as error:
            services.project_report_open(project=project, user=olga)
        assert error.value.message == "项目已于2026年9月30日投产/竣工，2027年不再填报项目调度报告。"
        response = client.post(reverse("project-report-open", args=[project.code]), follow=True)
    assert "项目已于2026年9月30日投产/竣工，2027年不再填报项目调度报告。" in response.content.decode()
    assert list(project.reports.values_list("period__year", flat=True)) == [2026]


def test_an_exited_project_files_no_report(listed, olga, client_for):
    with time_machine.travel(date(2026, 10, 8), tick=False):
        services.project_stage_set(project=listed, user=olga, stage=Stage.EXITED, on=None, reason="企业投资意向变化")
        listed.refresh_from_db()
        page = client_for(olga).get(listed.get_absolute_url()).content.decode()
        assert 'id="project-stage"' in page and 'id="open-report"' not in page
        with pytest.raises(services.ProjectError) as error:
            services.project_report_open(project=listed, user=olga)
    assert error.value.message == "项目已退出，不再填报项目调度报告。"
    assert not listed.reports.exists()


@pytest.mark.parametrize(
    "kind,refused",
    [
        (Milestone.Kind.STARTED, "开工已于2026年3月10日完成，不再列入2027年的倒排工期。"),
        (
            Milestone.Kind.SITE,
            "七通一平已于2026年3月10日完成，不再列入2027年的倒排工期。",
        ),  # done by 开工 at the latest
        (Milestone.Kind.STRUCTURE, None),
    ],
)
def test_a_years_baseline_plans_no_milestone_reached_before_that_year(listed, olga, kind, refused):
    """Started on 2026-03-10: 2027's baseline may plan its 主体完工, not its 开工 nor the 七通一平 that came with it."""
    Project.objects.filter(pk=listed.pk).update(
        stage=Stage.STARTED, signed_on=date(2026, 1, 10), landed_on=date(2026, 2, 10), started_on=date(2026, 3, 10)
    )
    listed.refresh_from_db()

    def adopt():
        return services.listing_adopt(
            project=listed,
            user=olga,
            year=2027,
            planned_investment=Decimal("500"),
            milestones={kind: date(2027, 6, 30)},
        )

    if refused is None:
        assert adopt().milestones.get().kind == kind
        return
    with pytest.raises(services.ProjectError) as error:
        adopt()
    assert error.value.errors["milestones"] == [refused]
    assert list(listed.listings.values_list("year", flat=True)) == [2026]


def test_the_admin_puts_a_project_in_production_on_no_later_years_list(listed, olga, client_for):
    """The admin's yearly list applies the pages' rule: 2027 is refused on its field, nothing written; 2026 is kept."""
    project = _in_production(listed, olga, date(2026, 9, 30))
    olga.is_superuser = True
    olga.save(update_fields=["is_superuser"])
    data = {
        "project": project.pk,
        "planned_investment": "500",
        "milestones-TOTAL_FORMS": 0,
        "milestones-INITIAL_FORMS": 0,
        "milestones-MIN_NUM_FORMS": 0,
        "milestones-MAX_NUM_FORMS": 1000,
    }
    with time_machine.travel(date(2026, 12, 5), tick=False):
        client = client_for(olga)
        refused = client.post(reverse("admin:projects_listing_add"), {**data, "year": 2027})
        assert refused.status_code == 200
        assert refused.context["adminform"].form.errors["year"] == [
            "该项目已于2026年9月30日投产/竣工，不能列入2027年度清单。"
        ]
        assert list(project.listings.values_list("year", flat=True)) == [2026]
        listing = project.listings.get()
        kept = client.post(
            reverse("admin:projects_listing_change", args=[listing.pk]),
            {**data, "year": 2026, "planned_investment": "900"},
        )
    assert kept.status_code == 302
    listing.refresh_from_db()
    assert listing.planned_investment == Decimal("900")


def test_it_refuses_a_total_below_the_years_plans(make_listed, olga):
    """The yearly plans stay within the total (`rules.investment_plans_over_total`) from both sides: lowering the total
    below the plans of the years listed is refused as adding a plan above it is; a total equal to them is kept."""
    project = make_listed({Milestone.Kind.SIGNED: date(2026, 3, 31)})  # on the 2026 list with a plan of 1200
    services.listing_adopt(
        project=project,
        user=olga,
        year=2027,
        planned_investment=Decimal("800"),
        milestones={Milestone.Kind.LAND: date(2027, 6, 30)},
    )
    with pytest.raises(services.ProjectError) as error:
        services.project_update(
            project=project,
            user=olga,
            data={"total_investment": Decimal("1999")},
            version=project.version,
            reason="调减",
        )
    assert error.value.errors["total_investment"] == ["总投资（1999万元）不能小于各年度计划投资合计（2000.00万元）。"]
    project.refresh_from_db()
    assert project.total_investment == Decimal("10000")
    services.project_update(
        project=project, user=olga, data={"total_investment": Decimal("2000")}, version=project.version, reason="调减"
    )
    project.refresh_from_db()
    assert project.total_investment == Decimal("2000")


def _listing_admin_data(listing, planned: dict, *, added: dict | None = None) -> dict:
    """The admin's change form of `listing` as stored, its milestones' planned dates as in `planned` (kind → text),
    and new milestones `added` (kind → planned date's text)."""
    milestones = list(listing.milestones.order_by("pk"))
    added = added or {}
    data = {
        "project": listing.project_id,
        "year": listing.year,
        "planned_investment": listing.planned_investment,
        "milestones-TOTAL_FORMS": len(milestones) + len(added),
        "milestones-INITIAL_FORMS": len(milestones),
        "milestones-MIN_NUM_FORMS": 0,
        "milestones-MAX_NUM_FORMS": 1000,
    }
    rows = [(m.pk, m.kind, planned.get(m.kind, m.planned_on.isoformat()), m.baseline_changes) for m in milestones]
    rows += [("", kind, on, 0) for kind, on in added.items()]
    for number, (pk, kind, on, changes) in enumerate(rows):
        prefix = f"milestones-{number}-"
        data |= {
            f"{prefix}id": pk,
            f"{prefix}listing": listing.pk,
            f"{prefix}kind": kind,
            f"{prefix}planned_on": on,
            f"{prefix}actual_on": "",
            f"{prefix}baseline_changes": changes,
        }
    return data


@pytest.mark.parametrize(
    "planned, added, words",
    [
        (
            {"land": "2027-04-01"},
            None,
            "供地的计划日期（2027年4月1日）不在2026年度倒排工期的范围内（2026年1月1日至2027年3月31日）。",
        ),
        ({"started": "2026-05-01"}, None, "倒排工期的阶段节点应按 签约→供地→开工→投产/竣工 的顺序排列。"),
        ({}, {"signed": "2026-03-01"}, "签约已于2025年12月1日完成，不再列入2026年的倒排工期。"),
    ],
    ids=["out-of-its-year", "out-of-order", "reached-before-the-year"],
)
def test_the_admin_refuses_a_baseline_the_yearly_list_refuses(
    make_project, olga, plan, client_for, planned, added, words
):
    """The admin's yearly list applies the rule of 列入年度清单 to its milestones (`services.baseline_errors`): a date
    outside the year and the quarter after it, dates out of order, or a milestone reached before the year is refused
    with the pages' words, nothing written; a baseline the rule allows is saved."""
    project = make_project(stage=Stage.SIGNED, signed_on=date(2025, 12, 1), extra_today=date(2026, 1, 5))
    services.listing_adopt(
        project=project,
        user=olga,
        year=2026,
        planned_investment=Decimal("1200"),
        milestones={Milestone.Kind.LAND: date(2026, 6, 30), Milestone.Kind.STARTED: date(2026, 9, 30)},
    )
    listing = project.listings.get()
    olga.is_superuser = True
    olga.save(update_fields=["is_superuser"])
    url = reverse("admin:projects_listing_change", args=[listing.pk])
    client = client_for(olga)
    response = client.post(url, _listing_admin_data(listing, planned, added=added))
    assert response.status_code == 200
    (formset,) = (inline.formset for inline in response.context["inline_admin_formsets"])
    shown = [*formset.non_form_errors(), *(e for form in formset.forms for e in form.errors.get("planned_on", []))]
    assert shown == [words]
    assert dict(listing.milestones.values_list("kind", "planned_on")) == {
        "land": date(2026, 6, 30),
        "started": date(2026, 9, 30),
    }
    assert client.post(url, _listing_admin_data(listing, {"land": "2026-07-31"})).status_code == 302
    assert listing.milestones.get(kind="land").planned_on == date(2026, 7, 31)


@pytest.mark.parametrize(
    "year, planned_investment, words",
    [
        (2027, "0", "年度计划投资必须大于0。"),
        (2027, "10000.01", "年度计划投资（10000.01万元）不能超过总投资（10000.00万元）。"),
        (
            2027,
            "8800.01",
            "各年度计划投资合计10000.01万元（其中2027年8800.01万元），超过项目总投资（10000.00万元）。",
        ),
    ],
)
def test_the_admin_refuses_a_years_plan_the_yearly_list_refuses(
    make_listed, olga, client_for, year, planned_investment, words
):
    """The admin's yearly list applies the rule on the year's plan (`services.planned_investment_error`): above 0,
    within the total, and within it with the other years' plans (here 2026's 1200 of 10000); the listing's own stored
    plan is not counted twice when its year changes."""
    project = make_listed({Milestone.Kind.SIGNED: date(2026, 3, 31)})
    olga.is_superuser = True
    olga.save(update_fields=["is_superuser"])
    data = {
        "project": project.pk,
        "milestones-TOTAL_FORMS": 0,
        "milestones-INITIAL_FORMS": 0,
        "milestones-MIN_NUM_FORMS": 0,
        "milestones-MAX_NUM_FORMS": 1000,
    }
    client = client_for(olga)
    refused = client.post(
        reverse("admin:projects_listing_add"), {**data, "year": year, "planned_investment": planned_investment}
    )
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["planned_investment"] == [words]
    assert list(project.listings.values_list("year", flat=True)) == [2026]
    listing = project.listings.get()
    moved = client.post(
        reverse("admin:projects_listing_change", args=[listing.pk]),
        {**data, "year": 2027, "planned_investment": "10000"},
    )
    assert moved.status_code == 302
    assert list(project.listings.values_list("year", "planned_investment")) == [(2027, Decimal("10000"))]
