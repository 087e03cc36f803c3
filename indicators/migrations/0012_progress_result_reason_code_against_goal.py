"""Each result's reason code and whether it held its figure to the goal itself, as columns beside the inputs that hold
them, filled from those inputs. The recompute's digests cover the new columns: its next run rewrites every result once.
"""

from collections import defaultdict

from django.db import migrations, models

_BATCH = 1000


def fill_from_inputs(apps, schema_editor):
    from indicators.models.progress import basis_of  # a pure reading of the stored inputs

    ProgressResult = apps.get_model("indicators", "ProgressResult")
    groups = defaultdict(list)
    for pk, inputs in ProgressResult.objects.order_by().values_list("pk", "inputs").iterator(chunk_size=_BATCH):
        basis = basis_of(inputs)
        if basis != ("", False):
            groups[basis].append(pk)
    for (code, against_goal), pks in groups.items():
        for start in range(0, len(pks), _BATCH):
            ProgressResult.objects.filter(pk__in=pks[start : start + _BATCH]).update(
                reason_code=code, against_goal=against_goal
            )


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0011_value_scope_source"),
    ]

    operations = [
        migrations.AddField(
            model_name="progressresult",
            name="against_goal",
            field=models.BooleanField(default=False, editable=False, verbose_name="对照目标值"),
        ),
        migrations.AddField(
            model_name="progressresult",
            name="reason_code",
            field=models.CharField(blank=True, default="", editable=False, max_length=40, verbose_name="说明代码"),
        ),
        migrations.RunPython(fill_from_inputs, migrations.RunPython.noop),
    ]
