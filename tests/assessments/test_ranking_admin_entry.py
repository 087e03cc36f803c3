"""Rankings entered or corrected by the office in the admin: checked as an import checks them, and the flags follow
at once (not at the next nightly run)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from assessments.models import Evaluation, Flag, Ranking
from assessments.services import flags_recompute


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2026, 12, 6, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


@pytest.fixture
def lufeng_2025(plan):
    """禄丰 10th of 66 in 2024 and 2025."""
    for year in (2024, 2025):
        evaluation = Evaluation.objects.create(year=year, total_zones=66)
        Ranking.objects.create(evaluation=evaluation, zone=plan["lufeng"], rank=10)
    flags_recompute()
    return Ranking.objects.get(evaluation__year=2025, zone=plan["lufeng"])


def _ranking_form(ranking, **changes):
    data = {"evaluation": ranking.evaluation_id, "zone": ranking.zone_id, "rank": ranking.rank, "score": ""}
    return {**data, **changes}


def _evaluation_form(evaluation, **changes):
    data = {
        "scheme": evaluation.scheme,
        "year": evaluation.year,
        "total_zones": evaluation.total_zones,
        "rankings-TOTAL_FORMS": "0",
        "rankings-INITIAL_FORMS": "0",
        "rankings-MIN_NUM_FORMS": "0",
        "rankings-MAX_NUM_FORMS": "1000",
    }
    for i, ranking in enumerate(evaluation.rankings.order_by("pk") if evaluation.pk else []):
        data.update(
            {
                f"rankings-{i}-id": ranking.pk,
                f"rankings-{i}-evaluation": evaluation.pk,
                f"rankings-{i}-zone": ranking.zone_id,
                f"rankings-{i}-rank": ranking.rank,
                f"rankings-{i}-score": "",
            }
        )
        data["rankings-TOTAL_FORMS"] = data["rankings-INITIAL_FORMS"] = str(i + 1)
    return {**data, **changes}


def test_it_raises_the_flags_of_a_ranking_corrected_in_the_admin(
    client_for, olga, lufeng_2025, django_capture_on_commit_callbacks
):
    url = f"/admin/assessments/ranking/{lufeng_2025.pk}/change/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(olga).post(url, _ranking_form(lufeng_2025, rank=64))
    assert response.status_code == 302
    flag = Flag.objects.get(zone=lufeng_2025.zone, year=2025, rule="bottom_five")
    assert (flag.outcome, flag.state, flag.evidence["current_rank"]) == ("fired", "open", 64)


def test_it_no_longer_fires_on_a_ranking_deleted_in_the_admin(
    client_for, olga, lufeng_2025, django_capture_on_commit_callbacks
):
    lufeng_2025.rank = 64
    lufeng_2025.save()
    flags_recompute()
    url = f"/admin/assessments/ranking/{lufeng_2025.pk}/delete/"
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(olga).post(url, {"post": "yes"}).status_code == 302
    # The 2025 evaluation stands without 禄丰's place in it: the rule cannot be judged, and says so.
    flag = Flag.objects.get(zone=lufeng_2025.zone, year=2025, rule="bottom_five")
    assert (flag.outcome, flag.reason_code) == ("not_evaluable", "missing_ranking")


def test_it_refuses_a_rank_beyond_the_number_of_zones_evaluated(client_for, olga, lufeng_2025):
    url = f"/admin/assessments/ranking/{lufeng_2025.pk}/change/"
    response = client_for(olga).post(url, _ranking_form(lufeng_2025, rank=99))
    assert response.status_code == 200
    assert "排名（99）不能大于参评开发区数（66）。" in response.content.decode()
    lufeng_2025.refresh_from_db()
    assert lufeng_2025.rank == 10


def test_it_refuses_fewer_zones_than_a_ranking_on_the_evaluation_page(client_for, olga, lufeng_2025):
    evaluation = lufeng_2025.evaluation
    url = f"/admin/assessments/evaluation/{evaluation.pk}/change/"
    response = client_for(olga).post(url, _evaluation_form(evaluation, total_zones=8))
    assert response.status_code == 200
    assert "排名（10）不能大于参评开发区数（8）。" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.total_zones == 66


def test_it_refuses_an_evaluation_of_a_year_to_come(client_for, olga, plan):
    response = client_for(olga).post(
        "/admin/assessments/evaluation/add/", _evaluation_form(Evaluation(year=2027, total_zones=66))
    )
    assert response.status_code == 200
    assert "不能写入未来年度（2027年）的评价排名。" in response.content.decode()
    assert not Evaluation.objects.filter(year=2027).exists()


def test_it_refuses_a_provincial_zone_in_the_national_evaluation(client_for, olga, plan):
    evaluation = Evaluation.objects.create(scheme="national", year=2025, total_zones=178)
    response = client_for(olga).post(
        "/admin/assessments/ranking/add/", {"evaluation": evaluation.pk, "zone": plan["lufeng"].pk, "rank": 5}
    )
    assert response.status_code == 200
    assert "只有国家级开发区（禄丰产业园区不是）参加国家高新区综合评价。" in response.content.decode()
    assert not Ranking.objects.filter(evaluation=evaluation).exists()


def test_it_refuses_an_evaluation_of_no_zones(client_for, olga, plan):
    response = client_for(olga).post(
        "/admin/assessments/evaluation/add/", _evaluation_form(Evaluation(year=2025, total_zones=0))
    )
    assert response.status_code == 200
    assert "参评开发区数应为 1—10000 之间的整数。" in response.content.decode()
    assert not Evaluation.objects.filter(year=2025).exists()
