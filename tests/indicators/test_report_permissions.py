"""Who may do what with a dispatch report, exhaustively, through direct POSTs that bypass the page.

Every persona × every action × a department report (州发展改革委, task 14) and a zone report
(禄丰产业园区), each in the state the action applies to. An allowed action must do its work; a
refused one must say why and write nothing at all. A second matrix checks that the state gates
every action too, even for the office.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from chuxiong_portal.roles import Role
from chuxiong_portal.services import user_create
from indicators.models import DispatchReport, IndicatorValue, ProgressResult, ReportingPeriod
from indicators.reporting.services import ReportInput, report_approve, report_return, report_save
from indicators.selectors import report_slots
from tasks.models import Task
from tests.conftest import PASSWORD

OUTPUT = "industrial-output__zone__lufeng"
MILESTONE = "seven-connections__zone__lufeng"

ACTIONS = ["view", "save", "submit", "approve", "return", "reopen"]
PERSONAS = [
    "alice",
    "bob",
    "rita",
    "other_reviewer",
    "sam",
    "other_statistician",
    "leo",
    "other_leader",
    "olga",
    "charlie",
    "anonymous",
]

# What each persona may do beyond viewing; everybody with a role may view.
ALLOWED = {
    "dept": {
        "alice": {"save", "submit"},
        "rita": {"approve", "return"},
        "olga": {"save", "submit", "approve", "return", "reopen"},
    },
    "zone": {
        "sam": {"save", "submit"},
        "leo": {"approve", "return"},
        "olga": {"save", "submit", "approve", "return", "reopen"},
    },
}
# Zone users read other zones' and the units' reports only once approved.
ZONE_OF = {"sam": "lufeng", "leo": "lufeng", "other_statistician": "chuxiong-hitech", "other_leader": "chuxiong-hitech"}


def hidden(kind, who, action) -> bool:
    return who in ZONE_OF and STATE_FOR[action] != "approved" and (kind == "dept" or ZONE_OF[who] != "lufeng")


# The state each action applies to.
STATE_FOR = {
    "view": "draft",
    "save": "draft",
    "submit": "draft",
    "approve": "submitted",
    "return": "submitted",
    "reopen": "approved",
}
REFUSALS = {
    "save": "您没有修改该报告的权限。",
    "submit": "您没有修改该报告的权限。",
    "approve": "您没有审核该报告的权限，或该报告不在待审核状态。",
    "return": "您没有审核该报告的权限，或该报告不在待审核状态。",
    "reopen": "只有州开发区办可以重新开放已审核的报告。",
}


def _user(username, role, **where):
    return user_create(username=username, password=PASSWORD, role=role, full_name=username, **where)


@pytest.fixture
def persona(request, plan):
    """The logged-in persona of the test (None for anonymous), by name."""

    def get(name):
        if name == "anonymous":
            return None
        if name == "other_reviewer":
            return _user("rex", Role.DEPARTMENT_REVIEWER, department=plan["commerce"])
        if name == "other_statistician":
            return _user("stan", Role.ZONE_STATISTICIAN, zone=plan["hitech"])
        if name == "other_leader":
            return _user("lena", Role.ZONE_LEADER, zone=plan["hitech"])
        return request.getfixturevalue(name)

    return get


@pytest.fixture
def setup_office(plan):
    """A second office account that puts reports into the state a test needs, through the services."""
    return _user("setup-office", Role.PREFECTURE_OFFICE)


def make_report(kind, plan):
    if kind == "dept":
        return DispatchReport.objects.create(
            department=plan["ndrc"],
            task=Task.objects.get(number=14),
            period=ReportingPeriod.objects.get(cadence="monthly", year=2023, index=3),
        )
    return DispatchReport.objects.create(
        zone=plan["lufeng"], period=ReportingPeriod.objects.get(cadence="monthly", year=2024, index=3)
    )


def _input(kind, stamp=1, report=None):
    if kind == "dept":
        return ReportInput(
            progress="in_progress",
            progress_pct=30,
            work_done="编制规划",
            values={MILESTONE: (None, date(2023, 3, stamp))},
        )
    # A zone report goes in with every number it asks for and its 工作进展 (all required on submit).
    values = {slot.key: (Decimal(1), None) for slot in report_slots(report) if not slot.is_milestone} if report else {}
    return ReportInput(work_done="已核实", values={**values, OUTPUT: (Decimal(stamp), None)})


def bring_to(report, state, user):
    """Move a fresh (pending) report to `state` through the services, as the portal would."""
    kind = "dept" if report.department_id else "zone"
    if state != "pending":
        report = report_save(
            report=report, user=user, data=_input(kind, report=report), version=report.version, submit=state != "draft"
        )
    if state == "approved":
        report = report_approve(report=report, user=user, version=report.version)
    if state == "returned":
        report = report_return(report=report, user=user, version=report.version, reason="请补充佐证")
    report.refresh_from_db()
    assert report.state == state
    return report


def request_for(action, report, kind):
    """The URL and data of a direct POST (or the GET of view)."""
    if action == "view":
        return reverse("report-detail", args=[report.pk]), None
    if action in ("save", "submit"):
        data = {"action": action, "version": report.version, "change_reason": "直接提交"}
        if kind == "dept":
            data.update(
                progress="done", progress_pct="100", work_done="已全部完成", problems="", next_steps="", delay_reason=""
            )
            data[f"done__{MILESTONE}"] = "2023-03-31"
        else:
            data.update(
                {f"value__{slot.key}": "1" for slot in report_slots(report) if not slot.is_milestone},
                work_done="已核实",
            )
            data[f"value__{OUTPUT}"] = "77.7"
        return reverse("report-detail", args=[report.pk]), data
    if action in ("approve", "return"):
        return reverse("report-review", args=[report.pk]), {
            "action": action,
            "reason": "数据有误，请核实",
            "version": report.version,
        }
    return reverse("report-reopen", args=[report.pk]), {"reason": "省统计局反馈需更正"}


def snapshot(report):
    r = DispatchReport.objects.get(pk=report.pk)
    return {
        "report": {f.attname: getattr(r, f.attname) for f in DispatchReport._meta.concrete_fields},
        "values": sorted(
            IndicatorValue.objects.values_list(
                "pk", "value", "done_on", "locked", "version", "report_id", "updated_by_id", "updated_at"
            )
        ),
        "report_history": DispatchReport.history.count(),
        "value_history": IndicatorValue.history.count(),
        "results": ProgressResult.objects.count(),
    }


def do(client, action, report, kind):
    path, data = request_for(action, report, kind)
    return client.get(path) if data is None else client.post(path, data)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize("kind", ["dept", "zone"])
def test_it_enforces_the_permission_matrix(kind, who, action, plan, persona, setup_office, client):
    report = bring_to(make_report(kind, plan), STATE_FOR[action], setup_office)
    user = persona(who)
    if user is not None:
        client.force_login(user)
    before = snapshot(report)

    response = do(client, action, report, kind)

    if who == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login") + "?next=")
        assert snapshot(report) == before
        return
    if who == "charlie" or hidden(kind, who, action):  # no role; or another zone's (or a unit's) unpublished report
        assert response.status_code == 403
        assert snapshot(report) == before
        return
    if action == "view":
        assert response.status_code == 200
        assert "数据修改记录" in response.content.decode()
        assert snapshot(report) == before
        return

    allowed = action in ALLOWED[kind].get(who, set())
    report.refresh_from_db()
    if not allowed:  # a save by someone who does not fill the report is a 403, as its Excel upload
        assert response.status_code == (403 if action in ("save", "submit") else 400)
        assert REFUSALS[action] in response.content.decode()
        assert snapshot(report) == before
        return

    assert response.status_code == 302, response.content.decode()[:2000]
    values = IndicatorValue.objects.filter(report=report)
    if action in ("save", "submit"):
        assert report.state == ("draft" if action == "save" else "submitted")
        assert report.version == before["report"]["version"] + 1
        assert report.updated_by == user
        value = (
            values.get(indicator__code="industrial-output")
            if kind == "zone"
            else values.get(zone__code="lufeng", indicator__code="seven-connections")
        )
        assert value.updated_by == user
        if kind == "zone":
            assert value.value == Decimal("77.7")
        else:
            assert value.done_on.isoformat() == "2023-03-31"
    elif action == "approve":
        assert (report.state, report.reviewed_by) == ("approved", user)
        assert set(values.values_list("locked", flat=True)) == {True}
    elif action == "return":
        assert (report.state, report.reviewed_by, report.return_reason) == ("returned", user, "数据有误，请核实")
        assert set(values.values_list("locked", flat=True)) == {False}
    else:
        assert (report.state, report.reopen_reason) == ("returned", "省统计局反馈需更正")
        assert set(values.values_list("locked", flat=True)) == {False}


@pytest.mark.parametrize("who", PERSONAS[:-2])
@pytest.mark.parametrize("kind", ["dept", "zone"])
def test_it_offers_on_the_page_exactly_the_actions_a_persona_may_take(kind, who, plan, persona, setup_office, client):
    user = persona(who)
    client.force_login(user)
    allowed = ALLOWED[kind].get(who, set())
    for state, marker, action in (
        ("draft", 'value="submit"', "submit"),
        ("submitted", 'id="review-form"', "approve"),
        ("approved", 'id="reopen-form"', "reopen"),
    ):
        report = bring_to(make_report(kind, plan), state, setup_office)
        html = client.get(reverse("report-detail", args=[report.pk])).content.decode()
        assert (marker in html) == (action in allowed), (state, marker)
        report.values.all().delete()
        report.history.all().delete()
        report.delete()


# --- the state gates every action, even for the office and the report's own people ---------------

OWNER = {"dept": {"edit": "alice", "review": "rita"}, "zone": {"edit": "sam", "review": "leo"}}
STATES = ["pending", "draft", "submitted", "returned", "approved"]
# The states in which each action is possible at all.
POSSIBLE = {
    "save": {"pending", "draft", "returned"},
    "submit": {"pending", "draft", "returned"},
    "approve": {"submitted"},
    "return": {"submitted"},
    "reopen": {"approved"},
}


def state_refusal(action, state):
    if action in ("save", "submit"):
        if state == "approved":
            return "该报告已审核锁定"
        return "正在等待审核" if state == "submitted" else "您没有修改该报告的权限"
    if action in ("approve", "return"):
        return "该报告不在待审核状态"
    return "只有州开发区办可以重新开放已审核的报告"


@pytest.mark.parametrize(
    ("who", "action"),
    [(who, action) for who in ("owner", "olga") for action in POSSIBLE if (who, action) != ("owner", "reopen")],
)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("kind", ["dept", "zone"])
def test_it_allows_each_action_only_in_its_states(kind, state, who, action, plan, persona, setup_office, client):
    """The owner persona is the unit's own editor for save/submit and its own reviewer for approve/return."""
    name = "olga" if who == "olga" else OWNER[kind]["review" if action in ("approve", "return") else "edit"]
    user = persona(name)
    report = bring_to(make_report(kind, plan), state, setup_office)
    client.force_login(user)
    before = snapshot(report)

    response = do(client, action, report, kind)

    report.refresh_from_db()
    if state in POSSIBLE[action]:
        assert response.status_code == 302
        assert snapshot(report) != before
        return
    assert response.status_code == 400
    assert state_refusal(action, state) in response.content.decode()
    assert snapshot(report) == before
