"""The bulletin as an official document: 第N期 per year, the issuing office's signature and date, the 抄送
line (a setting), and the units' 存在问题 and 下步打算 from their reports."""

from indicators.models import DispatchReport, ReportingPeriod
from tasks.models import Task


def test_it_numbers_signs_and_distributes_the_bulletin_with_the_units_problems(client_for, olga, plan, settings):
    settings.BULLETIN_COPIES_TO = ["州委办公室", "州人民政府办公室"]
    march = ReportingPeriod.objects.get(cadence="monthly", year=2025, index=3)
    DispatchReport.objects.create(department=plan["ndrc"], task=Task.objects.get(number=14), period=march,
                                  state=DispatchReport.State.APPROVED, work_done="推进中",
                                  problems="征地拆迁进度滞后。", next_steps="下月完成剩余地块交付。")
    DispatchReport.objects.create(department=plan["commerce"], task=Task.objects.get(number=21), period=march,
                                  state=DispatchReport.State.DRAFT, problems="草稿里的问题不应出现。")
    page = client_for(olga).get(f"/bulletin/?period={march.pk}").content.decode()
    assert "2025年第3期" in page
    problems = page[page.index('id="unit-problems"'):page.index('id="bulletin-sign"')]
    assert "征地拆迁进度滞后。" in problems and "下月完成剩余地块交付。" in problems
    assert "草稿里的问题不应出现" not in problems
    assert "楚雄州开发区工作领导小组办公室" in page[page.index('id="bulletin-sign"'):]
    assert "抄送：</strong>州委办公室，州人民政府办公室。" in page
