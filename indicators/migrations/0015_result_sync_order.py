"""The results' sync order (computed_at, id) gets its index, which replaces the one on computed_at alone: a recompute
stamps every result it writes with one computed_at, and PostgreSQL sorted those ties by id for every page of the
API's progress list. Only the old index is dropped (SQLite would otherwise copy the whole table to alter the field)."""

from django.db import migrations, models

OLD_INDEX = "indicators_progressresult_computed_at_12bb3dea"  # the name Django gave computed_at's own index


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0014_result_target_no_own_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="progressresult",
                    name="computed_at",
                    field=models.DateTimeField(auto_now=True, verbose_name="计算时间"),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{OLD_INDEX}"',
                    reverse_sql=f'CREATE INDEX "{OLD_INDEX}" ON "indicators_progressresult" ("computed_at")',
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="progressresult",
            index=models.Index(fields=["computed_at", "id"], name="result_sync_order"),
        ),
    ]
