"""The demo's reports carry the flow record their workflow would have written: who submitted, who approved or
returned them and when (the reports are bulk-created, which writes no history of its own)."""

from indicators.models import DispatchReport
from indicators.selectors import report_history
from tools.demo import demo_load


def test_a_demo_report_shows_who_submitted_and_who_returned_or_approved_it(plan):
    demo_load()
    returned = DispatchReport.objects.filter(state="returned", zone__code="chuxiong-hitech").first()
    entries = report_history(returned).entries  # newest first
    assert [entry.state for entry in entries] == ["returned", "submitted"]
    assert entries[0].reason == returned.return_reason and entries[0].last == returned.reviewed_at
    assert entries[1].who == "楚雄国家高新区 郑统计" and entries[1].last == returned.first_submitted_at
    approved = DispatchReport.objects.filter(state="approved").exclude(department=None).first()
    assert [entry.state for entry in report_history(approved).entries] == ["approved", "submitted"]
    # Every report the demo's workflow moved has its record; a report never submitted has none.
    submitted = set(DispatchReport.objects.exclude(first_submitted_at=None).values_list("pk", flat=True))
    recorded = set(DispatchReport.history.filter(state="submitted").values_list("id", flat=True))
    assert submitted and recorded == submitted
