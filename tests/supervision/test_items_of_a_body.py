"""`can_view_items_of`: whether a reader may open a body's supervision items, asked of the body alone (a page lists
a body's items for many readers and links them only for those), agrees with `can_view` asked of each item."""

from django.contrib.auth import get_user_model

from supervision.models import SupervisionItem
from supervision.permissions import can_view, can_view_items_of
from tasks.models import Department
from tools.demo import demo_load


def test_it_answers_for_every_item_of_the_body_what_can_view_answers_for_the_item(plan):
    demo_load()
    unit_item = SupervisionItem.objects.first()  # the demo's items are zones' and counties': one of a unit's too
    unit_item.pk, unit_item.number, unit_item.zone, unit_item.county = None, "DB-UNIT-1", None, None
    unit_item.department = Department.objects.get(slug="ndrc")
    unit_item.save()
    items = list(SupervisionItem.objects.all())
    readers = list(get_user_model().objects.filter(username__startswith="demo-"))
    bodies = {("unit" if i.department_id else "zone" if i.zone_id else "county") for i in items}
    assert bodies == {"unit", "zone", "county"} and len(readers) > 10
    answers = set()
    for user in readers:
        for item in items:
            body = {"department_id": item.department_id, "zone_id": item.zone_id, "county_id": item.county_id}
            assert can_view_items_of(user, **body) == can_view(user, item), (user.username, item.number)
            answers.add(can_view(user, item))
    assert answers == {True, False}  # both answers are asked for
