"""The units page lists each unit's lead and co-tasks of one plan (the plan in force): with a successor loaded, a
unit's task numbers are not mixed with the successor's. The successor plan file is SYNTHETIC, made up for tests."""

import re
from pathlib import Path

from django.core.management import call_command

from tasks.models import Department
from tasks.selectors import departments_with_tasks

SUCCESSOR = Path(__file__).parent / "data" / "successor_plan_synthetic.json"


def _lead_numbers(department: Department) -> list[int]:
    return [r.task.number for r in department.responsibilities.all() if r.role == "lead"]


def test_it_lists_the_tasks_of_the_plan_in_force_only(plan):
    call_command("load_plan", str(SUCCESSOR), verbosity=0)  # its task 1 is led by 州工业和信息化局
    units = {d.slug: d for d in departments_with_tasks(kind=Department.Kind.PREFECTURE)}
    assert _lead_numbers(units["miit"]) == [9]
    assert {r.task.plan.code for d in units.values() for r in d.responsibilities.all()} == {"zones-2023-2025"}


def test_the_units_page_links_each_lead_task_of_the_plan_in_force(plan, client_for, olga):
    call_command("load_plan", str(SUCCESSOR), verbosity=0)
    page = client_for(olga).get("/departments/").content.decode()
    row = page[page.index("州工业和信息化局</a>") :]
    row = row[: row.index("</tr>")]
    lead_cell = re.findall(r'<td class="task-numbers">(.*?)</td>', row, re.S)[0]
    assert re.findall(r">(\d+)</a>", lead_cell) == ["9"]
