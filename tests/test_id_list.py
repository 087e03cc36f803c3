"""Many ids as one parameter of an ``__in`` lookup (chuxiong_portal/db.py: IdList), on the database the suite runs on:
the same rows as Django's list, in one statement with one parameter."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from chuxiong_portal.db import IdList
from indicators.models import Indicator, Target

pytestmark = pytest.mark.django_db


def test_it_selects_the_same_rows_as_a_list_of_ids(plan):
    ids = list(Target.objects.order_by("pk").values_list("pk", flat=True))
    assert len(ids) > 100
    picked = ids[::3] + [ids[5], ids[5]]  # unordered, with a duplicate
    expected = set(Target.objects.filter(pk__in=picked).values_list("pk", flat=True))
    assert set(Target.objects.filter(pk__in=IdList(picked)).values_list("pk", flat=True)) == expected
    assert len(expected) == len(set(picked))


def test_it_sends_the_ids_as_one_parameter(plan):
    ids = list(Target.objects.values_list("pk", flat=True)[:500])
    with CaptureQueriesContext(connection) as queries:
        assert Target.objects.filter(pk__in=IdList(ids)).count() == len(ids)
    if connection.vendor in ("sqlite", "postgresql"):
        assert queries[0]["sql"].count(str(ids[-1])) == 1  # one array of them, not a placeholder each
        assert "json_each" in queries[0]["sql"] or "unnest" in queries[0]["sql"]


def test_no_ids_match_nothing_and_the_query_still_runs(plan):
    with CaptureQueriesContext(connection) as queries:
        assert list(Target.objects.filter(pk__in=IdList([]))) == []
    assert len(queries) == 1


def test_it_works_in_exclusions_joins_and_other_models(plan):
    ids = list(Target.objects.order_by("pk").values_list("pk", flat=True)[:40])
    kept = Target.objects.filter(pk__in=IdList(ids)).exclude(pk__in=IdList(ids[:10]))
    assert set(kept.values_list("pk", flat=True)) == set(ids[10:])
    indicator_ids = list(Indicator.objects.values_list("pk", flat=True)[:3])
    joined = Target.objects.filter(Q(indicator__pk__in=IdList(indicator_ids)) | Q(pk__in=IdList(ids[:2])))
    assert set(joined.values_list("pk", flat=True)) == set(
        Target.objects.filter(Q(indicator__pk__in=indicator_ids) | Q(pk__in=ids[:2])).values_list("pk", flat=True)
    )
