"""The demo's reports carry the flow record their workflow would have written: who submitted, who approved or
returned them and when (the reports are bulk-created, which writes no history of its own)."""

from chuxiong_portal.models import User
from chuxiong_portal.roles import Role
from indicators.models import DispatchReport
from indicators.selectors import report_history
from tools.demo import demo_load


def test_a_demo_report_shows_who_submitted_and_who_returned_or_approved_it(plan):
    demo_load()
    # Which reports the demo's workflow returns is drawn at random, in the database's order: whichever they are,
    # each reads submitted by its filler (the unit's staff or the zone's statistician where the demo has one, else
    # nobody named), then approved or returned by its reviewer, on the report's own dates.
    fillers = {("zone", u.zone_id): u for u in User.objects.filter(role=Role.ZONE_STATISTICIAN)}
    fillers.update({("department", u.department_id): u for u in User.objects.filter(role=Role.DEPARTMENT_STAFF)})
    reviewed = [
        *DispatchReport.objects.filter(state="returned").order_by("pk")[:20],
        *DispatchReport.objects.filter(state="approved").order_by("pk")[:20],
    ]
    assert any(report.state == "approved" for report in reviewed)
    named = 0
    for report in reviewed:
        entries = report_history(report).entries  # newest first
        assert [entry.state for entry in entries] == [report.state, "submitted"], report.pk
        why = report.return_reason if report.state == "returned" else "审核通过"
        assert (entries[0].reason, entries[0].last) == (why, report.reviewed_at)
        key = ("department", report.department_id) if report.department_id else ("zone", report.zone_id)
        assert entries[1].who == (str(fillers[key]) if key in fillers else "")
        assert entries[1].last == report.first_submitted_at
        named += key in fillers
    assert named
    # Every report the demo's workflow moved has its record; a report never submitted has none.
    submitted = set(DispatchReport.objects.exclude(first_submitted_at=None).values_list("pk", flat=True))
    recorded = set(DispatchReport.history.filter(state="submitted").values_list("id", flat=True))
    assert submitted and recorded == submitted


def test_every_page_says_its_figures_are_demo_data_while_the_demo_is_loaded(plan, client_for, olga, leo):
    from tasks.selectors import plan_get
    from tools.demo import demo_clear

    assert "演示数据：" not in client_for(olga).get("/").content.decode()
    demo_load()
    assert plan_get().holds_demo
    for user, path in ((olga, "/"), (olga, "/bulletin/"), (leo, "/zones/lufeng/"), (olga, "/flags/")):
        assert "演示数据：本平台数据均为合成" in client_for(user).get(path).content.decode(), path
    english = client_for(olga).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Demo data: every figure here is synthetic" in english
    demo_clear()
    assert not plan_get().holds_demo
    assert "演示数据：" not in client_for(olga).get("/").content.decode()


def test_a_demo_figure_edited_later_shows_its_old_value(plan, olga):
    """The demo's figures are written with their history: editing one later shows old → new, not — → new."""
    from django.utils import translation

    from indicators.models import IndicatorValue
    from indicators.selectors import ValueSlot, value_changes

    demo_load()
    value = (
        IndicatorValue.objects.filter(is_demo=True, value__isnull=False).select_related("indicator", "period").first()
    )
    old = value.value
    value.value = old + 1
    value._change_reason = "核对更正"
    value.save()
    slot = ValueSlot(value.indicator, value.period, value.scope, value.zone, value.cluster, current=value)
    changes = value_changes([slot])
    assert [(c["old"], c["new"]) for c in changes] == [(old, old + 1), (None, old)]
    with translation.override("en"):
        assert value_changes([slot])[-1]["why"] == "Demo data"
