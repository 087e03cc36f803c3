"""/api/v1/projects/, /api/v1/project-reports/ (keyset-paged reads) and /api/v1/project-investments/bulk/
(the bulk contract: idempotent, atomic, dry run, row errors)."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from projects import services
from projects.models import Listing, Milestone, Project, ProjectInvestment

BULK = "/api/v1/project-investments/bulk/"


@pytest.fixture
def projects(plan, olga):
    made = []
    for number, zone in enumerate([plan["lufeng"], plan["wuding"], plan["hitech"]], start=1):
        project = services.project_create(
            user=olga,
            today=date(2026, 12, 1),
            data={
                "code": f"api-{number}",
                "name": f"接口项目{number}",
                "zone": zone,
                "total_investment": Decimal("1000"),
                "lead_unit": plan["ndrc"],
            },
        )
        listing = Listing.objects.create(project=project, year=2026, planned_investment=Decimal("500"))
        Milestone.objects.create(listing=listing, kind=Milestone.Kind.STARTED, planned_on=date(2026, 6, 30))
        made.append(project)
    return made


def _push(client, rows, query=""):
    return client.post(BULK + query, rows, format="json")


@pytest.mark.django_db
def test_it_lists_projects_keyset_paged_with_their_baseline(sync, projects, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        first = sync.get("/api/v1/projects/?page_size=2").json()
    assert [p["code"] for p in first["results"]] == ["api-1", "api-2"]
    assert first["results"][0]["zone"] == "lufeng"
    assert first["results"][0]["listings"][0]["milestones"][0] == {
        "kind": "started",
        "planned_on": "2026-06-30",
        "actual_on": None,
        "baseline_changes": 0,
    }
    second = sync.get(first["next"]).json()
    assert [p["code"] for p in second["results"]] == ["api-3"] and second["next"] is None
    assert [p["code"] for p in sync.get("/api/v1/projects/?zone=wuding").json()["results"]] == ["api-2"]
    # A code that names no zone matches nothing, like any filter; an empty one is a 400.
    nowhere = sync.get("/api/v1/projects/?zone=nowhere")
    assert nowhere.status_code == 200 and nowhere.json()["results"] == []
    assert sync.get("/api/v1/projects/?zone=").status_code == 400
    assert sync.get("/api/v1/project-reports/?zone=nowhere").json()["results"] == []
    assert sync.get("/api/v1/project-investments/?zone=nowhere").json()["results"] == []


@pytest.mark.django_db
def test_it_lists_project_reports(sync, projects, alice):
    with time_machine.travel(date(2026, 3, 20)):
        report = services.project_report_open(project=projects[0], user=alice)
    body = sync.get("/api/v1/project-reports/?project=api-1").json()
    assert [r["id"] for r in body["results"]] == [report.pk]
    assert body["results"][0]["department"] == "ndrc" and body["results"][0]["period"]["cadence"] == "biweekly"


@pytest.mark.django_db
@time_machine.travel(date(2026, 12, 1))
def test_the_bulk_upsert_is_idempotent_and_reports_what_it_did(sync, projects):
    rows = [
        {"project": "api-1", "year": 2026, "month": 3, "amount": "100.5"},
        {"project": "api-2", "year": 2026, "month": 11, "amount": 20},
    ]
    response = _push(sync, rows)
    assert response.status_code == 200, response.json()
    assert (response.json()["created"], response.json()["updated"], response.json()["unchanged"]) == (2, 0, 0)
    again = _push(sync, rows).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    changed = _push(sync, [{**rows[0], "amount": "150"}, rows[1]]).json()
    assert (changed["updated"], changed["unchanged"]) == (1, 1)
    figure = ProjectInvestment.objects.get(project__code="api-1", month=3)
    assert figure.amount == Decimal("150") and figure.history.latest().history_user.username == "province-stats"


@pytest.mark.django_db
@time_machine.travel(date(2026, 12, 1))
def test_dry_run_validates_and_writes_nothing(sync, projects):
    response = _push(sync, [{"project": "api-1", "year": 2026, "month": 3, "amount": "1"}], "?dry_run=true")
    assert response.status_code == 200 and response.json()["created"] == 1 and response.json()["dry_run"] is True
    assert not ProjectInvestment.objects.exists()


@pytest.mark.django_db
# 400: the row breaks the published schema; 409: well-formed, but refused (an unknown project, a future month, a
# total beyond the project's).
@pytest.mark.parametrize(
    "today,row,field,words,status",
    [
        (
            date(2026, 12, 1),
            {"project": "api-9", "year": 2026, "month": 3, "amount": "1"},
            "project",
            "未知的项目编号",
            409,
        ),
        (date(2026, 12, 1), {"project": "api-1", "year": 2026, "month": 13, "amount": "1"}, "month", "月份", 400),
        (date(2026, 12, 1), {"project": "api-1", "year": 2027, "month": 1, "amount": "1"}, "month", "未来月份", 409),
        (date(2027, 2, 1), {"project": "api-1", "year": 2027, "month": 3, "amount": "1"}, "month", "未来月份", 409),
        (date(2026, 12, 1), {"project": "api-1", "year": 2026, "month": 3, "amount": "-1"}, "amount", "负数", 400),
        (date(2026, 12, 1), {"project": "api-1", "year": 2026, "month": 3, "amount": "1.001"}, "amount", "小数", 400),
        (date(2026, 12, 1), {"project": "api-1", "year": 2026, "month": 3, "amount": 1.001}, "amount", "小数", 409),
        (
            date(2026, 12, 1),
            {"project": "api-1", "year": 2026, "month": 3, "amount": "999.01"},
            "amount",
            "超过总投资",
            409,
        ),
    ],
)
def test_a_bad_row_rejects_the_whole_batch(sync, projects, today, row, field, words, status):
    ProjectInvestment.objects.create(project=projects[0], year=2026, month=1, amount=Decimal("1"))
    good = {"project": "api-2", "year": 2026, "month": 2, "amount": "5"}
    with time_machine.travel(today):
        response = _push(sync, [good, row])
    assert response.status_code == status
    errors = response.json()["errors"]
    assert errors[0]["index"] == 1 and errors[0]["field"] == field and words in errors[0]["message"], errors
    assert ProjectInvestment.objects.count() == 1


@pytest.mark.django_db
@time_machine.travel(date(2026, 12, 1))
def test_the_total_counts_every_month_of_the_batch_and_the_store(sync, projects):
    ProjectInvestment.objects.create(project=projects[0], year=2025, month=12, amount=Decimal("600"))
    response = _push(sync, [{"project": "api-1", "year": 2026, "month": m, "amount": "150"} for m in (1, 2, 3)])
    assert response.status_code == 409 and "超过总投资" in response.json()["errors"][0]["message"]
    assert ProjectInvestment.objects.count() == 1


@pytest.mark.django_db
def test_only_writers_may_push_and_malformed_bodies_are_400(projects, token_client, alice, sync):
    assert _push(token_client(alice), []).status_code == 403
    assert _push(sync, {"not": "a list"}).status_code == 400
    assert sync.post(BULK, b"{", content_type="application/json").status_code == 400
    assert _push(sync, [1, None, "x"]).status_code == 400
    assert Project.objects.count() == 3 and not ProjectInvestment.objects.exists()


@pytest.mark.django_db
def test_a_zone_user_reads_only_published_project_reports_of_other_zones(projects, alice, leo, token_client, client):
    # 禄丰's leader (leo): the unit's open report on 武定's project is 武定's business until approved; the report on
    # 禄丰's own project is his zone's at every stage. The same rule as for dispatch reports, on the page and the API.
    with time_machine.travel(date(2026, 3, 20)):
        own = services.project_report_open(project=projects[0], user=alice)
        other = services.project_report_open(project=projects[1], user=alice)
    listed = {r["id"] for r in token_client(leo).get("/api/v1/project-reports/").json()["results"]}
    assert listed == {own.pk}
    assert {r["id"] for r in token_client(alice).get("/api/v1/project-reports/").json()["results"]} == {
        own.pk,
        other.pk,
    }
    client.force_login(leo)
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 403
    assert client.get(reverse("project-report-excel", args=[other.pk])).status_code == 403
    assert other.get_absolute_url() not in client.get(projects[1].get_absolute_url()).content.decode()
    client.force_login(alice)
    assert other.get_absolute_url() in client.get(projects[1].get_absolute_url()).content.decode()
    client.force_login(leo)
    other.state = other.State.APPROVED
    other.save()
    assert client.get(other.get_absolute_url()).status_code == 200
    assert other.pk in {r["id"] for r in token_client(leo).get("/api/v1/project-reports/").json()["results"]}


@pytest.mark.django_db
@time_machine.travel(date(2026, 12, 1))
@pytest.mark.parametrize(
    "amount,words",
    [
        ("1,234.5", "不带千位分隔符"),  # the schema's string is digits and a point (^[0-9]{1,12}(\.[0-9]{1,2})?$)
        ("１２３", "半角数字"),
        (" 12", "半角数字"),
        ("1e3", "半角数字"),
        (True, "完成投资必须是数字或数字字符串"),  # the field named, as the other imports name theirs
        ({"value": 1}, "完成投资必须是数字或数字字符串"),
    ],
)
def test_an_amount_the_schema_forbids_is_a_400_naming_the_field(sync, projects, amount, words):
    response = _push(sync, [{"project": "api-1", "year": 2026, "month": 3, "amount": amount}])
    assert response.status_code == 400, response.json()
    (error,) = response.json()["errors"]
    assert (error["field"], error["message"].startswith("完成投资")) == ("amount", True) and words in error["message"]
    assert not ProjectInvestment.objects.exists()


@pytest.mark.django_db
@time_machine.travel(date(2026, 12, 1))
def test_an_amount_with_more_decimals_than_allowed_names_the_field(sync, projects):
    response = _push(sync, [{"project": "api-1", "year": 2026, "month": 3, "amount": 1.001}])
    assert response.status_code == 409
    assert response.json()["errors"][0]["message"] == "完成投资最多保留 2 位小数。"


@pytest.mark.django_db
@time_machine.travel(date(2026, 12, 1))
@pytest.mark.parametrize(
    ("dates_set", "refused", "taken"),
    [
        ({"signed_on": date(2024, 4, 17)}, (2024, 3), (2024, 4)),  # the month of signing is the first
        ({"signed_on": date(2024, 4, 17), "landed_on": date(2023, 11, 2)}, (2023, 10), (2023, 11)),  # 落地 first
        ({"started_on": date(2025, 1, 5)}, (2001, 1), (2025, 1)),
    ],
)
def test_a_month_before_the_project_began_is_refused(sync, projects, dates_set, refused, taken):
    """2001 was taken for a project signed in 2024, and counted against its total. A project begins with its first
    recorded milestone; one with none recorded is taken as sent (the other tests' projects)."""
    Project.objects.filter(pk=projects[0].pk).update(**dates_set)
    year, month = refused
    response = _push(sync, [{"project": "api-1", "year": year, "month": month, "amount": "5"}])
    assert response.status_code == 409
    error = response.json()["errors"][0]
    assert (error["index"], error["field"]) == (0, "month")
    assert f"不能填报此前（{year}年{month}月）的完成投资" in error["message"]
    assert not ProjectInvestment.objects.exists()
    year, month = taken
    assert _push(sync, [{"project": "api-1", "year": year, "month": month, "amount": "5"}]).status_code == 200
