"""A flag handled while the flags are being recomputed (an import's recompute, the nightly run) keeps its handling:
the recompute does not write back the state it read before the handling.

Real threads, each with its own database connection (as in tests/concurrency/), so that the locks are the real
ones: on PostgreSQL the handling waits for the recompute; SQLite queues every writer at BEGIN anyway."""

import threading

import pytest
from django.db import connection

from assessments import services
from assessments.models import Evaluation, Flag, Ranking

pytestmark = pytest.mark.django_db(transaction=True)


def _in_thread(work, errors):
    def run():
        try:
            work()
        except Exception as error:  # kept, so that the test reports it instead of a silent thread
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_it_keeps_a_handling_made_while_the_flags_are_recomputed(plan, olga, monkeypatch):
    lufeng = plan["lufeng"]
    for year, rank in ((2022, 10), (2023, 58)):
        Ranking.objects.create(evaluation=Evaluation.objects.create(year=year, total_zones=60), zone=lufeng, rank=rank)
    services.flags_recompute()
    flag = Flag.objects.get(zone=lufeng, year=2023, rule="bottom_five")
    Ranking.objects.filter(zone=lufeng, evaluation__year=2023).update(rank=59)  # the recompute rewrites the flag

    reached, go = threading.Event(), threading.Event()
    write = services.bulk_update_with_history

    def paused_write(*args, **kwargs):  # the recompute has read the flags and is about to write them
        reached.set()
        go.wait(timeout=15)
        return write(*args, **kwargs)

    monkeypatch.setattr(services, "bulk_update_with_history", paused_write)
    errors: list = []
    recompute = _in_thread(services.flags_recompute, errors)
    assert reached.wait(timeout=15)
    handling = _in_thread(
        lambda: services.flag_transition(flag=flag, user=olga, state="acknowledged", note="已安排约谈"), errors
    )
    handling.join(timeout=2)  # done at once without a lock; else it waits for the recompute
    go.set()
    recompute.join(timeout=30)
    handling.join(timeout=30)

    assert errors == []
    flag.refresh_from_db()
    assert flag.evidence["current_rank"] == 59
    assert (flag.state, flag.note, flag.handled_by) == ("acknowledged", "已安排约谈", olga)
