"""The project page's edit form: a choice no primary key can be is refused with a message (not a 500), and the
project's facts, tasks and co-units change together or not at all."""

import re
from decimal import Decimal

import pytest
from django.test import Client

from projects import services
from projects.models import Project
from tasks.models import Task


def edit_post(project, **changes):
    data = {
        "code": project.code,
        "name": project.name,
        "zone": project.zone_id,
        "kind": project.kind,
        "total_investment": project.total_investment,
        "reason": "调整服务任务",
        "version": project.version,
    }
    return {**data, **changes}


@pytest.mark.parametrize("field", ["tasks", "units"])
@pytest.mark.parametrize("number", ["99999999999999999999", "-99999999999999999999"])
def test_a_choice_beyond_any_key_is_refused_with_a_message(client_for, olga, make_project, field, number):
    project = make_project()
    response = client_for(olga).post(project.get_absolute_url(), edit_post(project, **{field: number}))
    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()
    assert Project.objects.get(pk=project.pk).version == project.version


def test_a_refused_update_changes_neither_the_facts_nor_the_tasks(make_project, olga, plan):
    project = make_project(total=Decimal("1000"))
    project.investments.create(year=2026, month=3, amount=Decimal("800"))
    task = Task.objects.order_by("pk").first()
    with pytest.raises(services.ProjectError):
        services.project_update(
            project=project,
            user=olga,
            data={"total_investment": Decimal("500")},  # below what is completed: refused
            version=project.version,
            reason="调整",
            tasks=[task],
        )
    assert not project.tasks.exists()


def test_the_form_saves_the_facts_tasks_and_units_at_once(client_for, olga, make_project, plan):
    project = make_project()
    task = Task.objects.order_by("pk").first()
    response = client_for(olga).post(
        project.get_absolute_url(), edit_post(project, name="改名后的项目", tasks=[task.pk], units=[plan["ndrc"].pk])
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name == "改名后的项目"
    assert list(project.tasks.all()) == [task] and list(project.units.all()) == [plan["ndrc"]]


def test_the_second_of_two_editors_is_told_who_saved_first_and_nothing_is_overwritten(olga, leo, make_project, plan):
    """Two open the same project; the first saves. The second's save (its form's version now stale) is refused with
    the first one's name and time, the first one's change kept — not a 500."""
    project = make_project(zone=plan["lufeng"])
    first, second = Client(), Client()
    first.force_login(olga)
    second.force_login(leo)
    opened = edit_post(project)  # both forms hold this version
    assert first.post(project.get_absolute_url(), {**opened, "name": "先保存的名称"}).status_code == 302
    response = second.post(project.get_absolute_url(), {**opened, "name": "后保存的名称"})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"保存失败：该项目已被{olga}于" in page
    # the form keeps what was typed: a refresh, which would lose it, is not what the page asks for
    assert "您填写的内容已保留" in page and "刷新" not in page
    assert Project.objects.get(pk=project.pk).name == "先保存的名称"


def test_the_second_editors_refused_form_shows_what_the_first_saved_and_is_taken_when_sent_again(
    olga, leo, make_project, plan
):
    """The refused panel opens with the second editor's input and, under each field the first changed to something
    else, what is stored now; it holds the current version, so sending it again (after looking) saves it."""
    from tests.resend import form_data

    project = make_project(zone=plan["lufeng"])
    first, second = Client(), Client()
    first.force_login(olga)
    second.force_login(leo)
    opened = edit_post(project)
    assert first.post(project.get_absolute_url(), {**opened, "name": "先保存的名称"}).status_code == 302
    response = second.post(project.get_absolute_url(), {**opened, "name": "后保存的名称"})
    page = response.content.decode()
    assert response.status_code == 400 and '<details class="card no-print" open>' in page
    assert re.findall(r'<div class="helptext" id="[^"]*">([^<]*)</div>', page) == ["现已保存：先保存的名称"]
    again = form_data(page, '//form[@id="project-edit"]')
    assert again["name"] == "后保存的名称" and again["version"] == str(Project.objects.get(pk=project.pk).version)
    assert second.post(project.get_absolute_url(), again).status_code == 302
    assert Project.objects.get(pk=project.pk).name == "后保存的名称"


def test_a_refused_edit_opens_its_panel_so_the_reason_is_seen(client_for, olga, make_project):
    project = make_project()
    shown = client_for(olga).get(project.get_absolute_url()).content.decode()
    assert '<details class="card no-print"><summary>' in shown  # folded while nothing is wrong
    response = client_for(olga).post(project.get_absolute_url(), edit_post(project, total_investment="-5"))
    assert response.status_code == 400
    assert '<details class="card no-print" open><summary>' in response.content.decode()


@pytest.mark.parametrize(
    "persona, offered", [("alice", True), ("olga", True), ("leo", False), ("cora", False), ("bob", False)]
)
def test_only_those_who_file_a_projects_report_are_offered_to_open_one(
    request, client_for, make_project, plan, persona, offered
):
    """A project led by 州发展改革委: its staff (and the office) file its half-month reports; others are not offered
    a button they would be refused on pressing."""
    project = make_project(lead_unit=plan["ndrc"])
    html = client_for(request.getfixturevalue(persona)).get(project.get_absolute_url()).content.decode()
    assert ('id="open-report"' in html) is offered


def test_a_milestone_that_is_not_a_stage_is_recorded_done_from_the_project_page(
    client_for, olga, bob, make_listed, settings
):
    """环评批复 has its own date (the stages take theirs from the project): the project page records it, and shows a
    reached stage's date where the board reads it."""
    from datetime import date

    import time_machine

    from projects.models import Milestone

    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    project = make_listed({Milestone.Kind.SIGNED: date(2026, 3, 31), Milestone.Kind.EIA: date(2026, 5, 31)})
    Project.objects.filter(pk=project.pk).update(stage="signed", signed_on=date(2026, 3, 18))
    eia = Milestone.objects.get(listing__project=project, kind=Milestone.Kind.EIA)
    url = f"/projects/{project.code}/milestone-done/"
    with time_machine.travel(date(2026, 6, 10)):
        page = client_for(olga).get(project.get_absolute_url()).content.decode()
        assert "2026年3月18日" in page and page.count(f'action="{url}"') == 1  # 签约 reached; only 环评 offered
        assert client_for(bob).post(url, {"milestone": eia.pk, "on": "2026-06-01"}).status_code == 403
        refused = client_for(olga).post(url, {"milestone": eia.pk, "on": "2026-06-30"})
        assert refused.status_code == 400 and "不能晚于今天" in refused.content.decode()
        assert client_for(olga).post(url, {"milestone": eia.pk, "on": "2026-06-01"}).status_code == 302
        eia.refresh_from_db()
        assert eia.actual_on == date(2026, 6, 1)
        page = client_for(olga).get(project.get_absolute_url()).content.decode()
        assert f'action="{url}"' not in page and "2026年6月1日" in page


def test_a_milestone_date_a_project_cannot_have_is_refused_and_a_correction_is_recorded_as_one(
    client_for, olga, make_listed, settings
):
    """七通一平 on 1900-01-01 and 主体完工 of a project still at 签约 were saved, and a second date silently replaced
    the first: the first two are refused in words with nothing written, a correction is kept in the history with both
    dates (in the reader's language)."""
    from datetime import date

    import time_machine

    from projects.models import Milestone

    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    project = make_listed(
        {
            Milestone.Kind.SIGNED: date(2026, 3, 31),
            Milestone.Kind.SITE: date(2026, 5, 31),
            Milestone.Kind.STRUCTURE: date(2026, 11, 30),
        }
    )
    Project.objects.filter(pk=project.pk).update(stage="signed", signed_on=date(2026, 3, 18))
    site, structure = (Milestone.objects.get(listing__project=project, kind=kind) for kind in ("site", "structure"))
    url = f"/projects/{project.code}/milestone-done/"
    client = client_for(olga)
    with time_machine.travel(date(2026, 6, 10)):
        for milestone, on, words in (
            (site, "1900-01-01", "早于清单年度十年以上"),
            (structure, "2026-06-01", "项目尚未开工，不能登记主体完工"),
        ):
            response = client.post(url, {"milestone": milestone.pk, "on": on})
            assert response.status_code == 400 and words in response.content.decode()
            milestone.refresh_from_db()
            assert milestone.actual_on is None
        Project.objects.filter(pk=project.pk).update(stage="started", started_on=date(2026, 5, 20))
        refused = client.post(url, {"milestone": structure.pk, "on": "2026-05-01"})
        assert refused.status_code == 400 and "不能早于开工日期（2026年5月20日）" in refused.content.decode()
        assert client.post(url, {"milestone": site.pk, "on": "2026-05-10"}).status_code == 302
        assert client.post(url, {"milestone": site.pk, "on": "2026-05-12"}).status_code == 302
    site.refresh_from_db()
    assert site.actual_on == date(2026, 5, 12)
    assert (
        site.history.order_by("-history_id").first().history_change_reason
        == "更正节点完成日期：2026-05-10 → 2026-05-12"
    )
    from django.utils import translation

    from projects.templatetags.project_tags import change_reason

    with translation.override("en"):
        assert (
            change_reason("更正节点完成日期：2026-05-10 → 2026-05-12")
            == "Milestone date corrected: 10 May 2026 → 12 May 2026"
        )


def _completed_on_30_september(project) -> None:
    """The project signed, landed, started on 20 May and in production on 30 September 2026."""
    from datetime import date

    Project.objects.filter(pk=project.pk).update(
        stage="completed",
        signed_on=date(2026, 3, 18),
        landed_on=date(2026, 4, 10),
        started_on=date(2026, 5, 20),
        completed_on=date(2026, 9, 30),
    )


@pytest.mark.parametrize("today", ["2026-10-01", "2026-12-05", "2027-07-01", "2031-01-01"])
def test_a_milestone_done_after_the_stage_it_comes_before_is_refused(client_for, olga, make_listed, today):
    """主体完工 comes before 投产/竣工, 七通一平 before 开工 (`MILESTONE_DONE_BY_STAGE`): a project in production since
    30 September had its structure finished by then, and its site ready by its 开工. Today's date, later than those,
    is refused in words with nothing written, whatever day it is; a date by the stage's own is recorded."""
    from datetime import date

    import time_machine

    from projects.models import Milestone

    project = make_listed({Milestone.Kind.SITE: date(2026, 5, 31), Milestone.Kind.STRUCTURE: date(2026, 9, 15)})
    _completed_on_30_september(project)
    site, structure = (Milestone.objects.get(listing__project=project, kind=kind) for kind in ("site", "structure"))
    url = f"/projects/{project.code}/milestone-done/"
    with time_machine.travel(date.fromisoformat(today), tick=False):
        client = client_for(olga)
        day = date.fromisoformat(today)
        shown = f"{day.year}年{day.month}月{day.day}日"
        for milestone, words in (
            (structure, f"主体完工日期（{shown}）不能晚于项目投产/竣工日期（2026年9月30日）"),
            (site, f"七通一平日期（{shown}）不能晚于项目开工日期（2026年5月20日）"),
        ):
            response = client.post(url, {"milestone": milestone.pk, "on": today})
            assert response.status_code == 400 and words in response.content.decode()
            milestone.refresh_from_db()
            assert milestone.actual_on is None
        assert client.post(url, {"milestone": structure.pk, "on": "2026-09-30"}).status_code == 302
        assert client.post(url, {"milestone": site.pk, "on": "2026-05-20"}).status_code == 302
    structure.refresh_from_db(), site.refresh_from_db()
    assert (structure.actual_on, site.actual_on) == (date(2026, 9, 30), date(2026, 5, 20))


def _listing_admin_post(listing, actual: dict) -> dict:
    """The admin's change form of `listing` as stored, its milestones' actual dates as in `actual` (kind → text)."""
    milestones = list(listing.milestones.order_by("planned_on"))
    data = {
        "project": listing.project_id,
        "year": listing.year,
        "planned_investment": listing.planned_investment,
        "milestones-TOTAL_FORMS": len(milestones),
        "milestones-INITIAL_FORMS": len(milestones),
        "milestones-MIN_NUM_FORMS": 0,
        "milestones-MAX_NUM_FORMS": 1000,
    }
    for number, milestone in enumerate(milestones):
        prefix = f"milestones-{number}-"
        stored = milestone.actual_on.isoformat() if milestone.actual_on else ""
        data |= {
            f"{prefix}id": milestone.pk,
            f"{prefix}listing": listing.pk,
            f"{prefix}kind": milestone.kind,
            f"{prefix}planned_on": milestone.planned_on.isoformat(),
            f"{prefix}actual_on": actual.get(milestone.kind, stored),
            f"{prefix}baseline_changes": milestone.baseline_changes,
        }
    return data


def test_the_admin_refuses_a_milestone_date_that_recording_it_done_refuses(client_for, olga, make_listed):
    """The yearly list's milestones in the admin pass the rule of 记录完成 (`services.milestone_done_error`):
    主体完工 after 投产/竣工, or a date after today, is refused on its field with nothing written; a date the rule
    allows is saved."""
    from datetime import date

    import time_machine
    from django.urls import reverse

    from projects.models import Listing, Milestone

    project = make_listed({Milestone.Kind.EIA: date(2026, 4, 30), Milestone.Kind.STRUCTURE: date(2026, 9, 15)})
    _completed_on_30_september(project)
    listing = Listing.objects.get(project=project, year=2026)
    olga.is_superuser = True
    olga.save(update_fields=["is_superuser"])
    url = reverse("admin:projects_listing_change", args=[listing.pk])
    with time_machine.travel(date(2026, 12, 5), tick=False):
        client = client_for(olga)
        for kind, on, words in (
            ("structure", "2026-10-01", "主体完工日期（2026年10月1日）不能晚于项目投产/竣工日期（2026年9月30日）。"),
            ("eia", "2026-06-01", "环评批复日期（2026年6月1日）不能晚于项目开工日期（2026年5月20日）。"),
            ("eia", "2026-12-06", "实际日期（2026年12月6日）不能晚于今天。"),
        ):
            response = client.post(url, _listing_admin_post(listing, {kind: on}))
            assert response.status_code == 200
            (formset,) = (inline.formset for inline in response.context["inline_admin_formsets"])
            assert [words] in [form.errors.get("actual_on") for form in formset.forms]
            assert not Milestone.objects.filter(listing=listing, actual_on__isnull=False).exists()
        response = client.post(url, _listing_admin_post(listing, {"structure": "2026-09-30", "eia": "2026-05-20"}))
        assert response.status_code == 302
    assert dict(listing.milestones.values_list("kind", "actual_on")) == {
        "eia": date(2026, 5, 20),
        "structure": date(2026, 9, 30),
    }


@pytest.mark.parametrize("today", ["2026-09-30", "2026-12-05"])
def test_a_structure_finished_today_is_recorded_while_the_project_is_not_in_production(
    client_for, olga, make_listed, today
):
    from datetime import date

    import time_machine

    from projects.models import Milestone

    project = make_listed({Milestone.Kind.STRUCTURE: date(2026, 9, 15)})
    Project.objects.filter(pk=project.pk).update(
        stage="started", signed_on=date(2026, 3, 18), landed_on=date(2026, 4, 10), started_on=date(2026, 5, 20)
    )
    structure = Milestone.objects.get(listing__project=project, kind="structure")
    with time_machine.travel(date.fromisoformat(today), tick=False):
        response = client_for(olga).post(
            f"/projects/{project.code}/milestone-done/", {"milestone": structure.pk, "on": today}
        )
    assert response.status_code == 302
    structure.refresh_from_db()
    assert structure.actual_on == date.fromisoformat(today)


def _hidden_seen(page: str, action: str, milestone_pk: int) -> str:
    """The `seen` the project page's form at `action` for one milestone carries: the date the page showed."""
    import re

    forms = re.findall(rf'<form method="post" action="{re.escape(action)}".*?</form>', page)
    form = next(form for form in forms if f'name="milestone" value="{milestone_pk}"' in form)
    return re.search(r'name="seen" value="([^"]*)"', form).group(1)


def test_a_page_left_open_neither_records_over_nor_rebaselines_over_a_change_made_since(
    client_for, olga, make_listed, settings
):
    """记录完成 and 调整基线 send the date the page showed: a page drawn before someone else recorded the milestone done
    (or moved its baseline) is refused in words, naming the date now stored, and nothing is written; drawn again, it
    carries the new date and is taken."""
    from datetime import date

    import time_machine

    from projects.models import Milestone

    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    project = make_listed({Milestone.Kind.SIGNED: date(2026, 3, 31), Milestone.Kind.EIA: date(2026, 5, 31)})
    Project.objects.filter(pk=project.pk).update(stage="signed", signed_on=date(2026, 3, 18))
    eia = Milestone.objects.get(listing__project=project, kind=Milestone.Kind.EIA)
    done_url, rebaseline_url = (f"/projects/{project.code}/{path}/" for path in ("milestone-done", "rebaseline"))
    client = client_for(olga)
    with time_machine.travel(date(2026, 6, 10), tick=False):
        page = client.get(project.get_absolute_url()).content.decode()
        shown_done, shown_planned = _hidden_seen(page, done_url, eia.pk), _hidden_seen(page, rebaseline_url, eia.pk)
        assert (shown_done, shown_planned) == ("", "2026-05-31")

        services.milestone_rebaseline(milestone=eia, user=olga, planned_on=date(2026, 7, 31), reason="报批延后")
        moved = client.post(
            rebaseline_url,
            {"milestone": eia.pk, "planned_on": "2026-08-31", "reason": "再延", "seen": shown_planned},
        )
        assert moved.status_code == 400 and "已被他人调整为2026年7月31日" in moved.content.decode()
        eia.refresh_from_db()
        assert (eia.planned_on, eia.baseline_changes) == (date(2026, 7, 31), 1)

        services.milestone_done(milestone=eia, user=olga, on=date(2026, 6, 1))
        history = eia.history.count()
        done = client.post(done_url, {"milestone": eia.pk, "on": "2026-06-05", "seen": shown_done})
        assert done.status_code == 400 and "刚被他人登记为2026年6月1日" in done.content.decode()
        eia.refresh_from_db()
        assert eia.actual_on == date(2026, 6, 1) and eia.history.count() == history

        Milestone.objects.filter(pk=eia.pk).update(actual_on=None)
        page = client.get(project.get_absolute_url()).content.decode()
        seen = _hidden_seen(page, rebaseline_url, eia.pk)
        assert seen == "2026-07-31"
        taken = client.post(
            rebaseline_url, {"milestone": eia.pk, "planned_on": "2026-08-31", "reason": "再延", "seen": seen}
        )
        assert taken.status_code == 302
    eia.refresh_from_db()
    assert (eia.planned_on, eia.baseline_changes) == (date(2026, 8, 31), 2)


def test_a_page_left_open_does_not_withdraw_a_project_moved_on_since(client_for, olga, make_project, settings):
    """The stage form carries the stage its page showed: drawn before someone else recorded the signing, its 退出 is
    refused in words naming the stage now stored and the project stays signed; drawn again, it is taken."""
    import re
    from datetime import date

    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    project = make_project()
    client = client_for(olga)

    def shown() -> str:
        page = client.get(project.get_absolute_url()).content.decode()
        form = page.split(f'action="/projects/{project.code}/stage/"', 1)[1].split("</form>", 1)[0]
        return re.search(r'name="seen" value="([^"]*)"', form).group(1)

    stale = shown()
    assert stale == "reserve"
    services.project_stage_set(project=project, user=olga, stage="signed", on=date(2026, 3, 18))
    data = {"stage": "exited", "reason": "企业放弃投资"}
    refused = client.post(f"/projects/{project.code}/stage/", {**data, "seen": stale})
    assert refused.status_code == 400 and "该项目的阶段已被他人变更为“签约”" in refused.content.decode()
    project.refresh_from_db()
    assert (project.stage, project.exit_reason) == ("signed", "")

    assert client.post(f"/projects/{project.code}/stage/", {**data, "seen": shown()}).status_code == 302
    project.refresh_from_db()
    assert (project.stage, project.exit_reason) == ("exited", "企业放弃投资")


def test_a_refused_stage_form_comes_back_with_what_was_typed_and_the_stage_now_stored_to_send_again(
    client_for, olga, make_project, settings
):
    """Refused for a project moved on since, the stage form comes back with the 退出 and its reason as typed and the
    stage now stored: pressed again, after the message naming that stage, it is taken."""
    from datetime import date

    from tests.resend import form_data

    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    project = make_project()
    client = client_for(olga)
    services.project_stage_set(project=project, user=olga, stage="signed", on=date(2026, 3, 18))
    stage_url = f"/projects/{project.code}/stage/"
    refused = client.post(stage_url, {"stage": "exited", "reason": "企业放弃投资", "seen": "reserve"})
    page = refused.content.decode()
    assert refused.status_code == 400 and "该项目的阶段已被他人变更为“签约”" in page
    assert "您填写的内容已保留" in page
    project.refresh_from_db()
    assert (project.stage, project.exit_reason) == ("signed", "")

    again = form_data(page, '//form[@id="stage-form"]')
    assert again == {"stage": "exited", "on": "", "reason": "企业放弃投资", "seen": "signed"}
    assert client.post(stage_url, again).status_code == 302
    project.refresh_from_db()
    assert (project.stage, project.exit_reason) == ("exited", "企业放弃投资")


def test_a_refused_rebaseline_comes_back_with_what_was_typed_and_the_date_now_stored_to_send_again(
    client_for, olga, make_listed, settings
):
    """Refused for a baseline moved since, the milestone's 调整基线 form comes back with the date and reason typed and
    the planned date now stored: pressed again, it is taken. 记录完成 refused for a milestone recorded done since
    has no form to come back: the page shows the date recorded, and a milestone done is not recorded again there."""
    from datetime import date

    import time_machine

    from projects.models import Milestone
    from tests.resend import form_data

    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    project = make_listed({Milestone.Kind.SIGNED: date(2026, 3, 31), Milestone.Kind.EIA: date(2026, 5, 31)})
    Project.objects.filter(pk=project.pk).update(stage="signed", signed_on=date(2026, 3, 18))
    eia = Milestone.objects.get(listing__project=project, kind=Milestone.Kind.EIA)
    done_url, rebaseline_url = (f"/projects/{project.code}/{path}/" for path in ("milestone-done", "rebaseline"))
    client = client_for(olga)
    with time_machine.travel(date(2026, 6, 10), tick=False):
        services.milestone_rebaseline(milestone=eia, user=olga, planned_on=date(2026, 7, 31), reason="报批延后")
        typed = {"milestone": str(eia.pk), "planned_on": "2026-08-31", "reason": "再延"}
        refused = client.post(rebaseline_url, {**typed, "seen": "2026-05-31"})
        page = refused.content.decode()
        assert refused.status_code == 400 and "已被他人调整为2026年7月31日" in page
        eia.refresh_from_db()
        assert (eia.planned_on, eia.baseline_changes) == (date(2026, 7, 31), 1)

        xpath = f'//form[@action="{rebaseline_url}"][.//input[@name="milestone"][@value="{eia.pk}"]]'
        again = form_data(page, xpath)
        assert again == {**typed, "seen": "2026-07-31"}
        assert client.post(rebaseline_url, again).status_code == 302
        eia.refresh_from_db()
        assert (eia.planned_on, eia.baseline_changes) == (date(2026, 8, 31), 2)

        services.milestone_done(milestone=eia, user=olga, on=date(2026, 6, 1))
        refused = client.post(done_url, {"milestone": eia.pk, "on": "2026-06-05", "seen": ""})
        page = refused.content.decode()
        assert refused.status_code == 400 and "刚被他人登记为2026年6月1日" in page
        assert "2026年6月1日" in page and f'action="{done_url}"' not in page  # the only 记录完成 form was eia's
        eia.refresh_from_db()
        assert eia.actual_on == date(2026, 6, 1)
