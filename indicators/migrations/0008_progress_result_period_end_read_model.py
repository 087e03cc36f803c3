from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_period_end(apps, schema_editor):
    ProgressResult = apps.get_model("indicators", "ProgressResult")
    ReportingPeriod = apps.get_model("indicators", "ReportingPeriod")
    ProgressResult.objects.update(
        period_end=Subquery(ReportingPeriod.objects.filter(pk=OuterRef("period_id")).values("end")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("indicators", "0007_bulletin_issue_number"),
    ]

    operations = [
        migrations.AddField(
            model_name="progressresult",
            name="period_end",
            field=models.DateField(editable=False, null=True, verbose_name="调度期截止"),
        ),
        migrations.RunPython(fill_period_end, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="progressresult",
            name="period_end",
            field=models.DateField(editable=False, verbose_name="调度期截止"),
        ),
        migrations.AlterModelOptions(
            name="progressresult",
            options={"ordering": ["target", "-period_end"], "verbose_name": "进度结果", "verbose_name_plural": "进度结果"},
        ),
        migrations.AddIndex(
            model_name="progressresult",
            index=models.Index(fields=["target", "period_end"], name="result_target_period_end"),
        ),
    ]
