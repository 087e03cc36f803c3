"""A progress result's target has no index of its own: the unique (target, period) and the (target, period_end)
indexes lead with it. Only the index is dropped (SQLite would otherwise copy the whole table to alter the field)."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "indicators_progressresult_target_id_55bb1a8f"  # the name Django gave the foreign key's index


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0013_target_trend_only"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="progressresult",
                    name="target",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="results",
                        to="indicators.target",
                        verbose_name="目标",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=f'CREATE INDEX "{INDEX}" ON "indicators_progressresult" ("target_id")',
                ),
            ],
        ),
    ]
