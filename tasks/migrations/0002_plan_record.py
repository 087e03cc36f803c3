"""Plans become records: the 2023–2025 plan is created for the rows already there, which are attached to it."""

import django.db.models.deletion
from django.db import migrations, models

from ._first_plan import first_plan


def attach_to_first_plan(apps, schema_editor):
    Programme = apps.get_model("tasks", "Programme")
    Task = apps.get_model("tasks", "Task")
    if not (Programme.objects.exists() or Task.objects.exists()):
        return
    plan = first_plan(apps)
    Programme.objects.filter(plan__isnull=True).update(plan=plan)
    Task.objects.filter(plan__isnull=True).update(plan=plan)


class Migration(migrations.Migration):

    dependencies = [
        ('tasks', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='programme',
            options={'ordering': ['plan_id', 'number'], 'verbose_name': '工程', 'verbose_name_plural': '工程'},
        ),
        migrations.AlterModelOptions(
            name='task',
            options={'ordering': ['plan_id', 'number'], 'verbose_name': '任务', 'verbose_name_plural': '任务'},
        ),
        migrations.AlterField(
            model_name='programme',
            name='number',
            field=models.PositiveSmallIntegerField(verbose_name='序号'),
        ),
        migrations.AlterField(
            model_name='task',
            name='number',
            field=models.PositiveSmallIntegerField(verbose_name='序号'),
        ),
        migrations.CreateModel(
            name='Plan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=40, unique=True, verbose_name='代码')),
                ('title', models.CharField(max_length=200, verbose_name='名称')),
                ('document_number', models.CharField(blank=True, max_length=60, verbose_name='文号')),
                ('issuing_body', models.CharField(blank=True, max_length=200, verbose_name='印发机关')),
                ('baseline_year', models.PositiveSmallIntegerField(verbose_name='基数年')),
                ('first_year', models.PositiveSmallIntegerField(verbose_name='起始年')),
                ('last_year', models.PositiveSmallIntegerField(verbose_name='截止年')),
                ('goal_year', models.PositiveSmallIntegerField(verbose_name='目标年')),
                ('status', models.CharField(choices=[('draft', '草案'), ('in_force', '执行中'), ('closing', '收尾中'), ('closed', '已结束')], default='draft', max_length=10, verbose_name='状态')),
                ('source_text', models.TextField(blank=True, verbose_name='方案原文')),
            ],
            options={
                'verbose_name': '方案',
                'verbose_name_plural': '方案',
                'ordering': ['first_year', 'code'],
                'constraints': [models.CheckConstraint(condition=models.Q(('baseline_year__lt', models.F('first_year')), ('first_year__lte', models.F('last_year')), ('goal_year__gte', models.F('first_year'))), name='plan_years_in_order')],
            },
        ),
        migrations.AddField(
            model_name='programme',
            name='plan',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='programmes', to='tasks.plan', verbose_name='方案'),
        ),
        migrations.AddField(
            model_name='task',
            name='plan',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='tasks', to='tasks.plan', verbose_name='方案'),
        ),
        migrations.RunPython(attach_to_first_plan, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='programme',
            name='plan',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='programmes', to='tasks.plan', verbose_name='方案'),
        ),
        migrations.AlterField(
            model_name='task',
            name='plan',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='tasks', to='tasks.plan', verbose_name='方案'),
        ),
        migrations.AddConstraint(
            model_name='programme',
            constraint=models.UniqueConstraint(fields=('plan', 'number'), name='programme_unique_number'),
        ),
        migrations.AddConstraint(
            model_name='task',
            constraint=models.UniqueConstraint(fields=('plan', 'number'), name='task_unique_number'),
        ),
    ]
