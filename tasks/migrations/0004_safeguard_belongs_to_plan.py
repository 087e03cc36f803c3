"""The 保障措施 belong to a plan, like its programmes and tasks: existing ones are attached to the first plan."""

import django.db.models.deletion
from django.db import migrations, models

from ._first_plan import first_plan


def attach_to_first_plan(apps, schema_editor):
    Safeguard = apps.get_model("tasks", "Safeguard")
    if not Safeguard.objects.exists():
        return
    Safeguard.objects.filter(plan__isnull=True).update(plan=first_plan(apps))


class Migration(migrations.Migration):

    dependencies = [
        ("tasks", "0003_plan_safeguards"),
    ]

    operations = [
        migrations.AddField(
            model_name="safeguard",
            name="plan",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="safeguards", to="tasks.plan", verbose_name="方案"),
        ),
        migrations.RunPython(attach_to_first_plan, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="safeguard",
            name="plan",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="safeguards",
                                    to="tasks.plan", verbose_name="方案"),
        ),
        migrations.AlterField(
            model_name="safeguard",
            name="number",
            field=models.PositiveSmallIntegerField(verbose_name="序号"),
        ),
        migrations.AlterModelOptions(
            name="safeguard",
            options={"ordering": ["plan_id", "number"], "verbose_name": "保障措施", "verbose_name_plural": "保障措施"},
        ),
        migrations.AddConstraint(
            model_name="safeguard",
            constraint=models.UniqueConstraint(fields=("plan", "number"), name="safeguard_unique_number"),
        ),
    ]
