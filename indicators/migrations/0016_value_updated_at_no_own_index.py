"""A value's `updated_at` has no index of its own: the (updated_at, id) index, which the sync list's cursor walks, leads
with it. Its history's copy had one too, which no query reads. Only the indexes are dropped (SQLite would otherwise
copy each whole table to alter the field)."""

from django.db import migrations, models

INDEXES = {  # table → the name Django gave the field's index
    "indicators_indicatorvalue": "indicators_indicatorvalue_updated_at_dd125ce5",
    "indicators_historicalindicatorvalue": "indicators_historicalindicatorvalue_updated_at_556c69b8",
}


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0015_result_sync_order"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="indicatorvalue",
                    name="updated_at",
                    field=models.DateTimeField(auto_now=True, verbose_name="更新时间"),
                ),
                migrations.AlterField(
                    model_name="historicalindicatorvalue",
                    name="updated_at",
                    field=models.DateTimeField(blank=True, editable=False, verbose_name="更新时间"),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{index}"',
                    reverse_sql=f'CREATE INDEX "{index}" ON "{table}" ("updated_at")',
                )
                for table, index in INDEXES.items()
            ],
        ),
    ]
