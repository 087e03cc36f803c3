"""An evaluation's results published twice at once (two offices, a double click): published once, the second told.

Real threads, each with its own database connection, as in test_parallel_writes.py (`at_once`)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from evaluations import services
from evaluations.models import SchemeVersion
from parks.models import Zone
from tests.concurrency.test_parallel_writes import at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_results_published_twice_at_once_are_published_once_and_the_second_is_told(plan, olga):
    scheme = services.scheme_define(
        kind="prefecture",
        year=2024,
        title="2024年度全州开发区综合考评",
        sub_indicators=[
            services.SubIndicatorSpec(
                group="评议", code="party", name="年度述职评议", weight=Decimal(100), method="manual"
            )
        ],
    )
    party = scheme.sub_indicators.get()
    for zone in Zone.objects.all():
        services.prefecture_hand_score(
            scheme=scheme, zone=zone, sub_indicator=party, score=Decimal(80), reason="年度述职评议", user=olga
        )

    answers = at_once(lambda i: services.prefecture_publish(scheme=scheme, user=olga, today=date(2025, 1, 20)))
    published = [answer for answer in answers if isinstance(answer, SchemeVersion)]
    refused = [answer for answer in answers if isinstance(answer, services.EvaluationError)]
    assert len(published) == len(refused) == 1, answers
    assert str(refused[0]) == "考评结果已发布，不能再修改。"
    scheme.refresh_from_db()
    assert scheme.state == SchemeVersion.State.PUBLISHED and scheme.published_at == published[0].published_at


def test_two_first_definitions_of_a_years_scheme_at_once_define_it_once_and_tell_the_second(plan):
    """Two offices save the define page of a year that had no scheme (both pages showed none): the definitions of a
    year queue, so the second finds the first's scheme and is told, rather than failing on the unique (kind, year)
    index (a 500 on PostgreSQL: locking the year's row locked nothing while it did not exist)."""

    def define(i: int):
        return services.scheme_define(
            kind="prefecture",
            year=2026,
            title=f"2026年度全州开发区综合考评（{i}）",
            sub_indicators=[
                services.SubIndicatorSpec(
                    group="评议", code=f"party-{i}", name="年度述职评议", weight=Decimal(100), method="manual"
                )
            ],
            seen="",
        )

    answers = at_once(define)
    defined = [answer for answer in answers if isinstance(answer, SchemeVersion)]
    refused = [answer for answer in answers if isinstance(answer, services.EvaluationError)]
    assert len(defined) == len(refused) == 1, answers
    assert str(refused[0]).startswith("2026年已有评价方案（") and "本页未显示它" in str(refused[0])
    scheme = SchemeVersion.objects.get(kind="prefecture", year=2026)
    assert scheme == defined[0]
    assert [s.code for s in scheme.sub_indicators.all()] == [f"party-{answers.index(defined[0])}"]


def test_a_zones_result_entered_while_the_province_sends_its_ranking_writes_one_ranking(plan, olga):
    """The office enters a zone's provincial result (its ranking is derived from it) while the province's sync posts
    the same zone's ranking of the year (/api/v1/rankings/bulk/): both would insert the zone's ranking. The result
    used to fail on the unique (evaluation, zone) index when it came second (on PostgreSQL: "try again" on the
    entry form, a 500 on the Excel upload); the derivation now waits for the evaluation the sync holds and updates
    the sync's ranking."""
    from assessments.models import Evaluation, Ranking
    from assessments.services import ranking_import

    services.scheme_define(
        kind="provincial",
        year=2024,
        title="2024年度全省开发区综合发展水平考核评价",
        sub_indicators=[services.SubIndicatorSpec(group="发展", code="output", name="工业总产值", weight=Decimal(100))],
    )
    Evaluation.objects.create(scheme="provincial", year=2024, total_zones=1)
    ranking = {"scheme": "provincial", "year": 2024, "zone": "lufeng", "rank": 1, "total_zones": 1, "score": "80"}
    result = {
        "scheme": "provincial",
        "year": 2024,
        "zone": "lufeng",
        "total": "78.40",
        "rank": 1,
        "funding_awarded": False,
        "sub_scores": [{"indicator": "output", "value": "1.8", "score": "78.40", "rank": 1}],
    }

    def work(i: int):
        if i == 0:
            return ranking_import(rows=[ranking], user=olga, today=date(2025, 6, 1))
        return services.results_import(rows=[result], user=olga)

    answers = at_once(work)
    assert not [answer for answer in answers if isinstance(answer, Exception)], answers
    assert not answers[0].errors and not answers[1].errors, answers
    stored = Ranking.objects.get(evaluation__scheme="provincial", evaluation__year=2024, zone=plan["lufeng"])
    assert Ranking.objects.count() == 1
    # The one that wrote last: the result (on PostgreSQL, `at_once` runs the sync first); on SQLite either.
    assert stored.score in (Decimal("78.40"), Decimal("80"))
    if connection.vendor == "postgresql":
        assert stored.score == Decimal("78.40")


def test_a_years_results_entered_while_the_province_sends_both_rankings_neither_deadlocks(plan, olga, monkeypatch):
    """A results import of the provincial and the national evaluation of a year derives their rankings one after the
    other, while the sync posts both rankings (/api/v1/rankings/bulk/), which locks the two evaluations in the order
    of their ids. The import held the provincial one and waited for the national, the sync held the national and
    waited for the provincial: PostgreSQL broke the deadlock by failing one of them (a 503). The writers of rankings
    now queue behind one lock before taking any evaluation's: both pass, one after the other."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's writers meet row by row; SQLite's queue for the database")
    import threading
    import time

    from assessments.models import Evaluation, Ranking
    from assessments.services import ranking_import

    for kind, title in (("provincial", "全省开发区考核评价"), ("national", "国家级经开区综合发展水平考核评价")):
        services.scheme_define(
            kind=kind,
            year=2024,
            title=title,
            sub_indicators=[
                services.SubIndicatorSpec(group="发展", code="output", name="工业总产值", weight=Decimal(100))
            ],
        )
    # The import derives the rankings in the order it reads the schemes; the sync locks the evaluations in the order
    # of their ids. The evaluation derived second gets the lower id: the sync takes it first.
    derived = [scheme.kind for scheme in SchemeVersion.objects.filter(year=2024)]
    for kind in reversed(derived):
        Evaluation.objects.create(scheme=kind, year=2024, total_zones=1)
    results = [
        {
            "scheme": kind,
            "year": 2024,
            "zone": "chuxiong-hitech",
            "total": "78.40",
            "rank": 1,
            "funding_awarded": False,
            "sub_scores": [{"indicator": "output", "value": "1.8", "score": "78.40", "rank": 1}],
        }
        for kind in ("provincial", "national")
    ]
    rankings = [
        {"scheme": kind, "year": 2024, "zone": "chuxiong-hitech", "rank": 1, "total_zones": 1, "score": "80"}
        for kind in ("national", "provincial")
    ]
    derived_first = threading.Event()
    derive = services.rankings_derive

    def derive_then_let_the_sync_in(*, scheme, zone_ids=None):
        derive(scheme=scheme, zone_ids=zone_ids)
        if not derived_first.is_set():
            derived_first.set()
            time.sleep(1.0)  # the sync, meanwhile, takes what it can and waits

    monkeypatch.setattr(services, "rankings_derive", derive_then_let_the_sync_in)
    answers = [None, None]

    def run(i: int):
        try:
            if i == 0:
                answers[0] = services.results_import(rows=results, user=olga)
            else:
                assert derived_first.wait(30), answers
                answers[1] = ranking_import(rows=rankings, user=olga, today=date(2025, 6, 1))
        except Exception as error:  # noqa: BLE001 - the answer the test reports
            answers[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not [answer for answer in answers if isinstance(answer, Exception)], answers
    assert not answers[0].errors and not answers[1].errors, answers
    # The sync came second: its rankings stand.
    assert set(Ranking.objects.values_list("evaluation__scheme", "score")) == {
        ("provincial", Decimal("80")),
        ("national", Decimal("80")),
    }
