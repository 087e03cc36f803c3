"""Demo data of the responsibility cycle (synthetic, marked `is_demo`): the 2025 and 2026 task lists with a work
item for every one of the plan's 26 tasks, the zones' responsibility letters, and a few 督办单 at each stage.

Each work item is a concrete commitment of the plan's text for its task (e.g. task 6 「推进开发区成立1个专业化
国有企业或多个运营公司」), assigned to a prefecture unit, a zone management committee or a county government.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from assessments.models import Flag
from parks.models import County, Zone
from supervision import services
from supervision.models import ResponsibilityLetter, SupervisionItem, TaskList, WorkItem, WorkReport
from tasks.models import Department, Task

TZ = ZoneInfo("Asia/Shanghai")


class Y:
    """The years of the demo's cycle, from the plan: its first and last years, and the year after it."""

    FIRST = LIST = AFTER = 0


# (task, what is to be done, body ("unit:slug" | "zone:code" | "county:code"), co-units, due (month, day), evidence)
WORK_ITEMS = [
    (
        1,
        "每年至少召开1次开发区党建工作专题会议，研究解决开发区党建和发展中的重大问题",
        "unit:party-org",
        [],
        (6, 30),
        "专题会议通知及会议纪要",
    ),
    (
        2,
        "有正式党员3人以上的非公企业应建尽建党支部，不足3人的组建联合党支部",
        "unit:party-org",
        [],
        (9, 30),
        "开发区非公企业党组织覆盖台账",
    ),
    (3, "每年组织1次以上开发区工作专题培训", "unit:party-org", ["hrss"], (10, 31), "培训通知、课表及签到表"),
    (
        4,
        "各级党委组织部门每年至少开展1轮开发区全覆盖蹲点调研",
        "unit:party-org",
        ["staffing-office"],
        (11, 30),
        "蹲点调研报告",
    ),
    (
        5,
        "建立开发区与地方人民政府合理的投入和收入分配制度，落实省级分享税收增量返还共享",
        "unit:finance",
        ["ndrc", "tax"],
        (6, 30),
        "投入和收入分配办法文件",
    ),
    (
        6,
        "推进开发区成立1个专业化国有企业或多个运营公司，落实“管委会+事业单位+企业”管理模式",
        "zone:lufeng",
        ["finance", "state-capital"],
        (9, 30),
        "运营公司营业执照及组建方案",
    ),
    (
        7,
        "加快制定楚雄州支持“飞地经济”发展的实施意见",
        "unit:ndrc",
        ["miit", "commerce", "finance"],
        (6, 30),
        "印发的实施意见文件",
    ),
    (
        8,
        "每个开发区至少配备1名专职统计人员，提高统计数据填报质量",
        "zone:wuding",
        ["statistics"],
        (3, 31),
        "专职统计人员配备文件",
    ),
    (
        8,
        "州人民政府与各开发区管委会签订年度目标任务责任书",
        "unit:ndrc",
        ["statistics"],
        (2, 28),
        "签字盖章的责任书扫描件",
    ),
    (9, "围绕主导产业链制定延链补链强链项目清单", "unit:miit", ["ndrc", "commerce"], (5, 31), "产业链项目清单"),
    (
        10,
        "建立主导产业链招商项目储备库，精准编制招商“路线图”",
        "unit:investment-promotion",
        ["commerce", "miit"],
        (4, 30),
        "招商项目储备库及招商路线图",
    ),
    (
        11,
        "全面开展能效情况调查，建立各开发区内企业能效清单目录",
        "unit:ndrc",
        ["miit", "ecology"],
        (8, 31),
        "企业能效清单目录",
    ),
    (
        12,
        "研究制定牟定产业园区、武定产业园区资源经济发展支持政策",
        "unit:ndrc",
        ["miit", "finance"],
        (9, 30),
        "支持政策文件",
    ),
    (12, "做好禄丰产业园区投融资和专项债申报工作", "county:lufeng", ["finance"], (7, 31), "专项债项目申报材料"),
    (
        13,
        "建立各开发区内企业梯次培育库，实施“一企一策”纳规入统帮扶",
        "unit:miit",
        ["science", "market-regulation"],
        (6, 30),
        "企业梯次培育库名单",
    ),
    (
        14,
        "依据“三区三线”划定成果确定各开发区未来3—5年开发面积、重点区域和拓展空间",
        "unit:natural-resources",
        ["ndrc"],
        (10, 31),
        "开发边界和拓展空间规划成果",
    ),
    (
        15,
        "在县政务服务中心设立开发区综合服务专窗，对落户项目提供全程帮办代办服务",
        "county:wuding",
        ["gov-services"],
        (6, 30),
        "专窗设立文件及现场照片",
    ),
    (
        15,
        "在县政务服务中心设立开发区综合服务专窗，对落户项目提供全程帮办代办服务",
        "county:mouding",
        ["gov-services"],
        (6, 30),
        "专窗设立文件及现场照片",
    ),
    (16, "实现省级及以上开发区5G网络全覆盖", "unit:miit", ["china-telecom"], (12, 15), "5G基站建设台账"),
    (17, "编制园区循环化改造实施方案", "zone:chuxiong-hitech", ["ndrc", "ecology"], (9, 30), "循环化改造实施方案"),
    (18, "围绕主导产业制定关键核心技术需求清单", "unit:science", ["miit"], (5, 31), "关键核心技术需求清单"),
    (19, "研究制定研发经费投入奖补资金奖补细则", "unit:science", ["finance"], (8, 31), "奖补细则文件"),
    (
        20,
        "编制各开发区人才培引指导目录和产业发展急需紧缺人才目录",
        "unit:party-org",
        ["hrss", "science"],
        (10, 31),
        "人才培引指导目录、急需紧缺人才目录",
    ),
    (
        21,
        "推进搭建面向南亚东南亚交流合作和技术转移交易平台",
        "unit:commerce",
        ["foreign-affairs", "science"],
        (11, 30),
        "平台建设方案及运行情况",
    ),
    (
        22,
        "推进楚雄国家高新区、禄丰产业园区“工业项目标准地”出让试点",
        "unit:natural-resources",
        ["ndrc", "miit"],
        (9, 30),
        "标准地出让公告及出让合同",
    ),
    (
        23,
        "年初开展电力供需形势分析预判，制定有序用电方案",
        "unit:ndrc",
        ["miit", "power-supply"],
        (3, 31),
        "电力供需形势分析报告",
    ),
    (
        24,
        "推广应用“拿地即开工”审批模式",
        "unit:gov-services",
        ["natural-resources", "housing"],
        (8, 31),
        "“拿地即开工”项目审批材料",
    ),
    (
        25,
        "探索成立开发区产业发展引导基金及专项子基金",
        "unit:finance",
        ["state-capital", "pboc"],
        (11, 30),
        "基金设立文件",
    ),
    (
        26,
        "推进各开发区债务统计台账建设，督促制定历史债务化解方案",
        "unit:finance",
        ["state-capital"],
        (6, 30),
        "债务统计台账及化解方案",
    ),
    (26, "制定禄丰产业园区历史债务化解方案", "zone:lufeng", ["finance"], (10, 31), "债务化解方案"),
]
# Items the 2025 list did not finish (tasks); the rest are done with a result.
NOT_DONE_2025 = {6, 25}
# Items of the 2026 list still open at the end of 2026 (tasks): late ones show red.
OPEN_2026 = {6, 11, 15, 26}


def supervision_demo_clear() -> None:
    SupervisionItem.objects.filter(is_demo=True).delete()
    ResponsibilityLetter.objects.filter(is_demo=True).delete()
    for task_list in TaskList.objects.filter(is_demo=True).order_by("-year"):
        task_list.delete()


def supervision_demo_load(users: dict, *, first_year: int, last_year: int) -> int:
    Y.FIRST, Y.LIST, Y.AFTER = first_year, last_year, last_year + 1
    office = users["demo-office"]
    bodies = _bodies()
    first = _list_2025(bodies, office)
    second = services.task_list_copy(task_list=first, user=office)
    services.task_list_adopt(task_list=second, user=office, today=date(Y.AFTER, 1, 15))
    _results_2026(second, users)
    _letters()
    _supervision(users, bodies)
    return WorkItem.objects.filter(task_list__is_demo=True).count()


def _bodies() -> dict:
    bodies = {f"unit:{d.slug}": d for d in Department.objects.all()}
    bodies.update({f"zone:{z.code}": z for z in Zone.objects.all()})
    bodies.update({f"county:{c.code}": c for c in County.objects.all()})
    return bodies


def _list_2025(bodies, office) -> TaskList:
    task_list = TaskList.objects.create(year=Y.LIST, is_demo=True)
    tasks = {t.number: t for t in Task.objects.all()}
    units = {d.slug: d for d in Department.objects.all()}
    for order, (number, title, body, co, (month, day), evidence) in enumerate(WORK_ITEMS):
        done = number not in NOT_DONE_2025
        item = WorkItem.objects.create(
            task_list=task_list,
            task=tasks[number],
            title=title,
            due_date=date(Y.LIST, month, day),
            evidence_required=evidence,
            order=order,
            **services.body_fields(bodies[body]),
            status=WorkItem.Status.DONE if done else WorkItem.Status.NOT_DONE,
            done_on=date(Y.LIST, month, min(day, 20)) if done else None,
            result=(
                f"{evidence}已报州开发区办备案。"  # the status is shown beside it: not repeated here
                if done
                else "前期工作已启动，转入下一年度清单继续推进。"
            ),
        )
        item.co_departments.set([units[slug] for slug in co])
    services.task_list_adopt(task_list=task_list, user=office, today=date(Y.LIST, 1, 20))
    return task_list


def _results_2026(task_list, users) -> None:
    for item in task_list.items.all():
        if item.task.number in OPEN_2026:
            continue
        item.status, item.done_on = WorkItem.Status.DONE, min(item.due_date, date(Y.AFTER, 11, 30))
        item.result = f"{item.evidence_required}已上传。"
        item.save(update_fields=["status", "done_on", "result"])
    # The committee's report on its open item, waiting for its reviewer.
    item = task_list.items.filter(zone__code="lufeng", task__number=6).first()
    WorkReport.objects.create(
        work_item=item,
        progress=WorkReport.Progress.IN_PROGRESS,
        text="运营公司组建方案已报禄丰市人民政府审定，正在办理工商登记。",
        submitted_by=users["demo-lufeng-committee"],
        submitted_at=datetime.combine(date(Y.AFTER, 11, 20), time(10), tzinfo=TZ),
    )


def _letters() -> None:
    for zone in Zone.objects.all():
        for year in range(Y.FIRST, Y.LIST + 1):
            letter = services.letter_create(zone=zone, year=year)
            letter.prefecture_signatory = "州人民政府分管副州长"
            letter.zone_signatory = f"{zone.short_name or zone.name}管委会主任"
            letter.signed_on, letter.is_demo = date(year, 2, 20), True
            letter.save()
    letter = ResponsibilityLetter.objects.get(zone__code="lufeng", year=Y.LIST)
    target = letter.targets.filter(committed_value__isnull=False).order_by("pk").first()
    if target is not None:  # the letter raised one target above the plan's figure
        target.committed_value = target.committed_value * 11 / 10
        target.note = "责任书在方案目标基础上提高10%"
        target.save()


def _supervision(users, bodies) -> None:
    office, committee = users["demo-office"], users["demo-lufeng-committee"]
    flag = Flag.objects.filter(zone__code="wuding").order_by("-year", "pk").first()
    source = SupervisionItem.Source.FLAG if flag else SupervisionItem.Source.INSTRUCTION
    closed = services.supervision_issue(
        user=office,
        body=bodies["zone:wuding"],
        source=source,
        source_object=flag,
        source_text=str(flag) if flag else "",
        requirement="针对省级评价排名靠后问题，制定整改方案并报州开发区办。",
        deadline=date(Y.AFTER, 3, 31),
        today=date(Y.AFTER, 3, 2),
    )
    services.supervision_close(
        item=closed,
        user=office,
        assessment=SupervisionItem.Assessment.NOT_DONE,
        text="管委会账号尚未开通，转县政府督办。",
        today=date(Y.AFTER, 4, 10),
    )
    overdue_item = WorkItem.objects.filter(task_list__year=Y.AFTER, county__code="wuding").first()
    late = services.supervision_issue(
        user=office,
        body=bodies["county:wuding"],
        source=SupervisionItem.Source.OVERDUE_WORK_ITEM,
        source_object=overdue_item,
        source_text=overdue_item.title if overdue_item else "",
        requirement="开发区综合服务专窗逾期未设立，请于限期内设立并反馈专窗设立文件及现场照片。",
        deadline=date(Y.AFTER, 11, 20),
        today=date(Y.AFTER, 10, 20),
    )
    services.supervision_remind(item=late, user=office, today=date(Y.AFTER, 11, 23))
    answered = services.supervision_issue(
        user=office,
        body=bodies["zone:lufeng"],
        source=SupervisionItem.Source.INSTRUCTION,
        requirement="按州领导批示，12月10日前报送运营公司组建进展。",
        deadline=date(Y.AFTER, 12, 10),
        today=date(Y.AFTER, 11, 25),
    )
    services.supervision_answer(
        item=answered,
        user=committee,
        text="组建方案已审定，正在办理工商登记。",
        progress_pct=70,
        today=date(Y.AFTER, 11, 28),
    )
    SupervisionItem.objects.filter(pk__in=[closed.pk, late.pk, answered.pk]).update(is_demo=True)
