"""整改 items opened before their source was kept as facts: the facts are read back from the sub-score each one
points at, and the points lost from the end of the Chinese line it kept (「…（失分1.87分）」). The line itself stays as
it was: an item whose sub-score is gone keeps it and shows it as before."""

import re

from django.db import migrations

LOST = re.compile(r"（失分(?P<lost>-?[\d.]+)分）$")


def fill_source_facts(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    SubScore = apps.get_model("evaluations", "SubScore")
    SupervisionItem = apps.get_model("supervision", "SupervisionItem")
    sub_score_type = ContentType.objects.filter(app_label="evaluations", model="subscore").first()
    if sub_score_type is None:
        return
    items = SupervisionItem.objects.filter(source="evaluation_gap", source_type=sub_score_type, source_facts={})
    scores = SubScore.objects.select_related("result__scheme", "sub_indicator").in_bulk(
        items.values_list("source_id", flat=True)
    )
    kinds = dict(apps.get_model("evaluations", "SchemeVersion")._meta.get_field("kind").choices)
    changed = []
    for item in items.order_by("pk"):
        score = scores.get(item.source_id)
        if score is None:
            continue
        result, sub = score.result, score.sub_indicator
        item.source_facts = {
            "year": result.scheme.year,
            "scheme": str(kinds[result.scheme.kind]),
            "zone": result.zone_name,
            "group": sub.group,
            "name": sub.name,
        }
        if found := LOST.search(item.source_text):
            item.source_facts["lost"] = found["lost"]
        changed.append(item)
    SupervisionItem.objects.bulk_update(changed, ["source_facts"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("evaluations", "0002_sub_indicator_method_work_items"),
        ("supervision", "0004_source_facts"),
    ]

    operations = [migrations.RunPython(fill_source_facts, migrations.RunPython.noop)]
