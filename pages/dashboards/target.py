"""Dashboards: a target's own page — the target as the plan sets it, and its progress results over time."""

from datetime import date

from indicators.models import ProgressResult, Target

from .common import milestones_judged_on, progress_card, recurring_goal


def target_dashboard(*, target: Target, today: date) -> dict:
    """The target's goal (`progress_card`'s, in its indicator's unit) and its results, newest period first, each as
    the task page shows a result (`progress_card`: status in words, value, expected value, reason). The newest is
    judged again on `today` where it is an open milestone, as the task page shows it (`milestones_judged_on`); older
    rows read as computed for their period. One query: the results with their periods."""
    indicator = target.indicator
    results = list(
        ProgressResult.objects.filter(target=target)
        .select_related("period")
        .defer("fingerprint", "shown_until", "latest_until")
        .order_by("-period_end", "-pk")
    )
    milestones_judged_on(results[:1], today)
    return {
        "goal": progress_card(indicator, target, None),
        "requirement": recurring_goal(target),
        "result_rows": [{"period": r.period, "card": progress_card(indicator, target, r)} for r in results],
    }
