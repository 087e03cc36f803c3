"""Zones, counties, clusters and units are named by their codes in plan files, the API and the URLs: the admin sets a
code once, and a plan file that meets a row's name under another code is refused with a message, not a crash."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from parks.models import County, IndustryCluster, Zone
from tasks.models import Department
from tasks.services import PLAN_FIXTURE, PlanFileError, plan_file_read


def test_it_refuses_to_reload_a_zone_whose_code_was_changed_and_writes_nothing(plan):
    Zone.objects.filter(code="wuding").update(code="wuding-zone", short_name="改")
    with translation.override("zh-hans"), pytest.raises(CommandError) as refused:
        call_command("load_plan", verbosity=0)
    text = str(refused.value)
    assert "$.zones[2].name: 名称“武定产业园区”已由代码为“wuding-zone”的一行使用" in text and "未写入任何内容" in text
    assert list(Zone.objects.order_by("order").values_list("code", "short_name"))[2] == ("wuding-zone", "改")


@pytest.mark.parametrize(
    "model, key, old, new, where",
    [
        (Department, "slug", "ndrc", "ndrc-2", "$.departments[4].name"),
        (County, "code", "lufeng", "lufeng-city", "$.counties[1].name"),
        (IndustryCluster, "code", "pv", "solar", "$.clusters[0].name"),
    ],
)
def test_it_names_the_row_of_any_shared_kind_whose_code_was_changed(plan, model, key, old, new, where):
    model.objects.filter(**{key: old}).update(**{key: new})
    with pytest.raises(CommandError) as refused:
        call_command("load_plan", verbosity=0)
    assert f"{where}: " in str(refused.value)


@pytest.mark.parametrize(
    "url, data",
    [
        ("/admin/parks/zone/{pk}/change/", {"name": "武定产业园区", "short_name": "武定", "level": "provincial"}),
        ("/admin/parks/county/{pk}/change/", {"name": "武定县", "order": 10}),
    ],
)
def test_the_admin_keeps_a_code_once_set(plan, client_for, olga, url, data):
    model = Zone if "zone" in url else County
    row = model.objects.get(code="wuding")
    extra = {"county": row.county_id, "order": row.order} if model is Zone else {}
    response = client_for(olga).post(url.format(pk=row.pk), data | extra | {"code": "renamed"})
    assert response.status_code == 302
    assert model.objects.filter(pk=row.pk, code="wuding").exists()
    call_command("load_plan", verbosity=0)  # the plan file still finds it


def test_the_admin_keeps_a_unit_slug_once_set(plan, client_for, olga):
    unit = Department.objects.get(slug="ndrc")
    data = {"name": unit.name, "slug": "renamed", "other_names": '["州能源局"]', "kind": unit.kind, "order": unit.order}
    response = client_for(olga).post(f"/admin/tasks/department/{unit.pk}/change/", data)
    assert response.status_code == 302
    assert Department.objects.filter(pk=unit.pk, slug="ndrc").exists()


def test_a_zone_level_outside_the_three_is_refused(tmp_path):
    data = json.loads(PLAN_FIXTURE.read_text(encoding="utf-8"))
    data["zones"][1]["level"] = "county"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(PlanFileError) as refused:
        plan_file_read(path)
    assert [where for where, _ in refused.value.problems] == ["$.zones[1].level"]
