"""The admin's task page: a task stays in its plan, and its programme must be one of that plan's (the page lists
every plan's programmes). The successor plan file is SYNTHETIC: made up for these tests."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from tasks.models import Programme, Task

SUCCESSOR = Path(__file__).parent / "data" / "successor_plan_synthetic.json"


@pytest.fixture
def successor_programme(plan):
    call_command("load_plan", str(SUCCESSOR), verbosity=0)
    return Programme.objects.get(plan__code="synthetic-successor-2026-2028", number=1)


def _post(task: Task, **changes) -> dict:
    data = {
        "number": task.number,
        "title": task.title,
        "text": task.text,
        "responsibility_text": task.responsibility_text,
        "programme": task.programme_id,
        "responsibilities-TOTAL_FORMS": 0,
        "responsibilities-INITIAL_FORMS": 0,
        "responsibilities-MIN_NUM_FORMS": 0,
        "responsibilities-MAX_NUM_FORMS": 1000,
    }
    return data | changes


def test_it_refuses_a_programme_of_another_plan_and_names_the_field(successor_programme, client_for, olga):
    task = Task.objects.get(plan__code="zones-2023-2025", number=5)
    response = client_for(olga).post(
        f"/admin/tasks/task/{task.pk}/change/", _post(task, programme=successor_programme.pk)
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["programme"] and "任务只能归入本方案的工程" in errors["programme"][0]
    task.refresh_from_db()
    assert task.programme.plan.code == "zones-2023-2025" and task.programme.number == 2


def test_it_saves_a_change_within_the_plan_and_keeps_the_task_in_its_plan(successor_programme, client_for, olga):
    task = Task.objects.get(plan__code="zones-2023-2025", number=5)
    response = client_for(olga).post(
        f"/admin/tasks/task/{task.pk}/change/",
        _post(task, title="优化管理体制（改）", plan=successor_programme.plan_id),
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.title, task.plan.code) == ("优化管理体制（改）", "zones-2023-2025")


def test_the_model_check_names_the_programme(successor_programme):
    task = Task.objects.get(plan__code="zones-2023-2025", number=5)
    task.programme = successor_programme
    with pytest.raises(ValidationError) as refused:
        task.full_clean()
    assert list(refused.value.message_dict) == ["programme"]
