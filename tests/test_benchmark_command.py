"""`manage.py benchmark` at a tiny scale: it prints its figures and leaves the database as it was.

A smoke test of the script, not a timed test: no figure is compared with a time budget.
"""

import json
from io import StringIO

from django.core.management import call_command

from assessments.models import Flag
from indicators.models import Indicator, IndicatorValue, ProgressResult, ReportingPeriod, Target
from parks.models import County, Zone


def _state():
    return {
        "counts": {model.__name__: model.objects.count()
                   for model in (County, Zone, Target, IndicatorValue, ReportingPeriod, ProgressResult, Flag)},
        "cadences": sorted(Indicator.objects.values_list("code", "cadence")),
        "results": sorted(ProgressResult.objects.values_list("pk", "status")),
    }


def test_it_prints_the_figures_and_leaves_the_database_unchanged(plan, tmp_path):
    before = _state()
    out, path = StringIO(), tmp_path / "bench.json"
    call_command("benchmark", "--zones", "2", "--years", "2", "--runs", "1", "--json", str(path),
                 stdout=out, stderr=StringIO())

    text = out.getvalue()
    for heading in ("1. Real plan data", "2. Synthetic province at scale", "3. Query count"):
        assert heading in text
    assert "full recompute wall time" in text
    assert "evaluations per second" in text
    assert "CHECK read queries equal (all but INSERT batches)  PASS" in text
    assert "FAIL" not in text
    assert "Database unchanged after rollback: yes" in text

    report = json.loads(path.read_text(encoding="utf-8"))
    sections = {section["key"]: section for section in report["sections"]}
    assert list(sections) == ["real", "scale", "queries"]
    scale = sections["scale"]["figures"]
    assert scale["zones_created"] == 2
    assert scale["values_created"] > 0
    assert scale["targets_created"] == 2 * scale["targets_per_zone"]
    assert scale["results_written"] > 0
    assert scale["queries_select"] > 0
    assert all(sections["queries"]["checks"].values())
    assert report["meta"]["database_unchanged"] is True

    assert _state() == before
