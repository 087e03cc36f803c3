"""Indicators, obligations and reporting periods belong to a plan (existing rows to the first one);
an indicator may continue one of an earlier plan; the office may waive a report with a reason."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from tasks.migrations._first_plan import first_plan


def attach_to_first_plan(apps, schema_editor):
    models_ = [apps.get_model("indicators", name) for name in ("Indicator", "Obligation", "ReportingPeriod")]
    if not any(model.objects.exists() for model in models_):
        return
    plan = first_plan(apps)
    for model in models_:
        model.objects.filter(plan__isnull=True).update(plan=plan)


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0001_initial'),
        ('parks', '0001_initial'),
        ('tasks', '0002_plan_record'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='obligation',
            name='obligation_unique_zone',
        ),
        migrations.RemoveConstraint(
            model_name='reportingperiod',
            name='period_unique_index',
        ),
        migrations.AddField(
            model_name='dispatchreport',
            name='waive_reason',
            field=models.TextField(blank=True, verbose_name='免报原因'),
        ),
        migrations.AddField(
            model_name='dispatchreport',
            name='waived_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='免报时间'),
        ),
        migrations.AddField(
            model_name='dispatchreport',
            name='waived_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='免报决定人'),
        ),
        migrations.AddField(
            model_name='historicaldispatchreport',
            name='waive_reason',
            field=models.TextField(blank=True, verbose_name='免报原因'),
        ),
        migrations.AddField(
            model_name='historicaldispatchreport',
            name='waived_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='免报时间'),
        ),
        migrations.AddField(
            model_name='historicaldispatchreport',
            name='waived_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='免报决定人'),
        ),
        migrations.AddField(
            model_name='indicator',
            name='continues',
            field=models.ForeignKey(blank=True, help_text='本指标延续的上一期方案指标，区县页面将两期数据连成一条序列', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='continued_by', to='indicators.indicator', verbose_name='延续上期方案指标'),
        ),
        migrations.AddField(
            model_name='indicator',
            name='plan',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='indicators', to='tasks.plan', verbose_name='方案'),
        ),
        migrations.AddField(
            model_name='obligation',
            name='plan',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='obligations', to='tasks.plan', verbose_name='方案'),
        ),
        migrations.AddField(
            model_name='reportingperiod',
            name='plan',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='periods', to='tasks.plan', verbose_name='方案'),
        ),
        migrations.RunPython(attach_to_first_plan, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='indicator',
            name='plan',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='indicators', to='tasks.plan', verbose_name='方案'),
        ),
        migrations.AlterField(
            model_name='obligation',
            name='plan',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='obligations', to='tasks.plan', verbose_name='方案'),
        ),
        migrations.AlterField(
            model_name='reportingperiod',
            name='plan',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='periods', to='tasks.plan', verbose_name='方案'),
        ),
        migrations.AlterField(
            model_name='dispatchreport',
            name='state',
            field=models.CharField(choices=[('pending', '待填报'), ('draft', '草稿'), ('submitted', '已提交'), ('returned', '已退回'), ('approved', '已审核'), ('waived', '已免报')], default='pending', max_length=12, verbose_name='状态'),
        ),
        migrations.AlterField(
            model_name='historicaldispatchreport',
            name='state',
            field=models.CharField(choices=[('pending', '待填报'), ('draft', '草稿'), ('submitted', '已提交'), ('returned', '已退回'), ('approved', '已审核'), ('waived', '已免报')], default='pending', max_length=12, verbose_name='状态'),
        ),
        migrations.AddConstraint(
            model_name='obligation',
            constraint=models.UniqueConstraint(condition=models.Q(('department__isnull', True)), fields=('plan', 'zone', 'cadence'), name='obligation_unique_zone'),
        ),
        migrations.AddConstraint(
            model_name='reportingperiod',
            constraint=models.UniqueConstraint(fields=('plan', 'cadence', 'year', 'index'), name='period_unique_index'),
        ),
    ]
