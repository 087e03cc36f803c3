"""Shared by the migrations that attach existing rows to the first plan (not a migration itself)."""

# The plan every existing row belongs to (fixtures/plan.json carries the same header).
FIRST_PLAN = {
    "code": "zones-2023-2025",
    "title": "楚雄州开发区提质增效三年行动实施方案（2023—2025年）",
    "document_number": "楚办发〔2023〕5号",
    "issuing_body": "中共楚雄州委办公室 楚雄州人民政府办公室",
    "baseline_year": 2022,
    "first_year": 2023,
    "last_year": 2025,
    "goal_year": 2025,
    "status": "in_force",
}


def first_plan(apps):
    """The first plan, created when rows of a plan exist without one (an older database)."""
    Plan = apps.get_model("tasks", "Plan")
    plan = Plan.objects.order_by("pk").first()
    if plan is None:
        plan = Plan.objects.create(**FIRST_PLAN)
    return plan
