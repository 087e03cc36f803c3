"""A full recompute of many targets judges them in forked worker processes: the same results as one process gives,
the parent's database connection untouched, a worker's failure writing nothing, and no fork where there is none."""

import json
import os
import threading
import time
from datetime import date

import billiard
import pytest
from django.db import connection

from indicators.models import ProgressResult
from indicators.progress import services
from indicators.progress.services import progress_recompute
from tests.dashboards.data import build_small

AS_OF = date(2025, 12, 31)
_FIELDS = ("target_id", "period_id", *services._COMPARED, "fingerprint")


def _stored() -> list[tuple]:
    return list(ProgressResult.objects.order_by("target_id", "period_id").values_list(*_FIELDS))


@pytest.fixture
def parallel(monkeypatch, settings, tmp_path):
    """Two workers for any number of targets; each call of `_target_results` notes the process it ran in."""
    monkeypatch.setattr(services, "PARALLEL_FROM_TARGETS", 1)
    settings.PORTAL_RECOMPUTE_WORKERS = 2
    seen = tmp_path / "pids"
    judge = services._target_results

    def noted(*args, **kwargs):
        with open(seen, "a") as out:  # a line appended at once: the workers' lines do not mix
            out.write(f"{os.getpid()}\n")
        return judge(*args, **kwargs)

    monkeypatch.setattr(services, "_target_results", noted)
    return lambda: {int(line) for line in seen.read_text().split()} if seen.exists() else set()


@pytest.fixture
def small(plan):
    build_small()
    return plan


def test_the_workers_write_what_one_process_writes(small, parallel, monkeypatch):
    serial = _stored()
    assert len(serial) > 100
    ProgressResult.objects.all().delete()

    written = progress_recompute(as_of=AS_OF)

    pids = parallel()
    assert len(pids) == 2 and os.getpid() not in pids  # judged in two forked workers, none here
    assert written == len(serial)
    assert _stored() == serial


def test_a_second_parallel_recompute_writes_nothing(small, parallel):
    """The workers compare with the stored digests: an unchanged province is left as it is, ids and times too."""
    before = list(ProgressResult.objects.order_by("pk").values_list("pk", "computed_at", "fingerprint"))

    progress_recompute()

    assert list(ProgressResult.objects.order_by("pk").values_list("pk", "computed_at", "fingerprint")) == before
    assert parallel()


def test_a_result_that_differs_is_written_again_in_place(small, parallel):
    before = _stored()
    changed = list(ProgressResult.objects.order_by("pk").values_list("pk", flat=True)[:30])
    ProgressResult.objects.filter(pk__in=changed).update(status="red", reason="改过", fingerprint=0)

    progress_recompute(as_of=AS_OF)

    assert _stored() == before
    assert ProgressResult.objects.filter(pk__in=changed).count() == len(changed)  # rewritten, not deleted and added


def test_the_parents_connection_is_usable_after_the_workers_exit(small, parallel):
    progress_recompute(as_of=AS_OF)
    with connection.cursor() as cursor:  # a worker closing its copy would have ended this session on the server
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert ProgressResult.objects.exists()


def test_results_no_longer_computed_are_deleted_by_the_parallel_path(small, parallel):
    later = _stored()
    progress_recompute(as_of=date(2024, 6, 30))  # periods after as_of are no longer computed

    kept = _stored()
    assert 0 < len(kept) < len(later)
    assert all(row[2] <= date(2024, 6, 30) for row in kept)


def test_a_failing_worker_writes_nothing(small, parallel, monkeypatch):
    before = _stored()
    ProgressResult.objects.filter(pk__in=ProgressResult.objects.order_by("pk").values("pk")[:20]).delete()
    shortened = _stored()
    judge = services._target_results
    parent = os.getpid()

    def failing(target, *args, **kwargs):
        if os.getpid() != parent:
            raise RuntimeError("engine failure in a worker")
        return judge(target, *args, **kwargs)

    monkeypatch.setattr(services, "_target_results", failing)
    with pytest.raises(RuntimeError, match="engine failure in a worker"):
        progress_recompute(as_of=AS_OF)
    assert _stored() == shortened != before  # nothing written, the deleted rows not put back


def test_without_fork_the_targets_are_judged_in_this_process(small, parallel, monkeypatch):
    serial = _stored()
    ProgressResult.objects.all().delete()

    def no_fork(method=None):
        raise ValueError(f"cannot find context for {method!r}")

    monkeypatch.setattr(billiard, "get_context", no_fork)
    progress_recompute(as_of=AS_OF)

    assert parallel() == {os.getpid()}
    assert _stored() == serial


def test_few_targets_are_judged_in_this_process(small, parallel, monkeypatch):
    monkeypatch.setattr(services, "PARALLEL_FROM_TARGETS", 10**6)
    progress_recompute(as_of=AS_OF)
    assert parallel() == {os.getpid()}


@pytest.mark.parametrize(
    ("value", "limit", "text"),
    [
        (12.5, None, "12.5"),
        (1 / 3, None, "0.3333"),
        (-0.00004, None, "-0.0"),
        (3.0, None, "3.0"),
        (2_000_000.0, 999999.0, "999999.0"),
        (-2_000_000.0, 999999.0, "-999999.0"),
        (float("nan"), None, None),
        (float("inf"), 999999.0, None),
        (None, None, None),
        (True, None, None),
    ],
)
def test_a_figure_is_kept_as_the_text_of_its_rounded_decimal(value, limit, text):
    assert services._decimal(value, limit=limit) == text


def test_a_capped_attainment_is_stored_as_the_cap(small):
    """The figures go to the database as text and read back as the decimals they were."""
    result = ProgressResult.objects.filter(attainment__isnull=False).order_by("pk").first()
    services._upsert_results(
        [
            (
                result.target_id,
                result.period_id,
                result.period_end,
                result.status,
                result.reason,
                "1.5",
                None,
                services._decimal(5e9, limit=services._MAX_ATTAINMENT),
                "-0.25",
                None,
                "{}",
                result.reason_code,
                result.against_goal,
                result.shown_until,
                result.latest_until,
                1,
            )
        ],
        result.computed_at,
    )
    result.refresh_from_db()
    assert (str(result.actual), str(result.attainment), str(result.projection)) == ("1.5000", "999999.0000", "-0.2500")
    assert result.expected is None


def test_workers_are_forked_from_a_celery_pool_process():
    """The nightly recompute runs in a Celery worker's pool process, a daemon, where the standard library's
    multiprocessing refuses to start processes: the workers are forked there all the same."""
    context = billiard.get_context("fork")
    answers = context.SimpleQueue()

    def probe():
        pool = services._fork_pool(2)
        if pool is None:
            answers.put("no pool")
            return
        with pool:
            answers.put(pool.map(abs, [-1, -2, -3]))

    pool_process = context.Process(target=probe, daemon=True)
    pool_process.start()
    pool_process.join(60)
    assert answers.get() == [1, 2, 3]


def test_a_slice_is_written_while_the_workers_judge_the_later_ones(small, parallel, monkeypatch, tmp_path):
    """The last target waits (in its worker) until this process has written some results: it does only if each slice
    is written as it comes back, not once the last one is judged."""
    ProgressResult.objects.all().delete()
    written, seen = tmp_path / "written", tmp_path / "seen"
    upsert, judge = services._upsert_results, services._target_results

    def noted_upsert(results, computed_at):
        upsert(results, computed_at)
        if results:
            written.touch()

    def waiting(target, *args, **kwargs):
        if target is services._EVALUATION.targets[-1]:  # in a worker: the target judged last
            deadline = time.monotonic() + 10
            while not written.exists() and time.monotonic() < deadline:
                time.sleep(0.02)
            seen.write_text("yes" if written.exists() else "no")
        return judge(target, *args, **kwargs)

    monkeypatch.setattr(services, "_upsert_results", noted_upsert)
    monkeypatch.setattr(services, "_target_results", waiting)
    progress_recompute(as_of=AS_OF)

    assert seen.read_text() == "yes"
    assert len(parallel()) == 2
    assert ProgressResult.objects.count() > 100


def test_the_recompute_does_not_wait_for_the_pool_to_stop(small, parallel, monkeypatch):
    """Billiard's pool takes up to 0.8 s to stop. Once the last slice is in, the workers are stopped in the background:
    here the pool's stop waits for the test, which lets it go only after the recompute has returned."""
    released, stopped = threading.Event(), threading.Event()
    pools = []
    fork_pool = services._fork_pool

    def held_pool(workers):
        pool = fork_pool(workers)
        terminate = pool.terminate

        def held_terminate():
            released.wait(30)
            terminate()
            stopped.set()

        pool.terminate = held_terminate
        pools.append(pool)
        return pool

    monkeypatch.setattr(services, "_fork_pool", held_pool)
    ProgressResult.objects.all().delete()
    progress_recompute(as_of=AS_OF)

    assert len(pools) == 1 and len(parallel()) == 2
    assert not stopped.is_set()  # returned before the pool stopped
    assert ProgressResult.objects.count() > 100
    released.set()
    assert stopped.wait(30)  # and the pool does stop: its workers are gone
    assert not any(process.is_alive() for process in pools[0]._pool)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL copies many results (COPY)")
def test_postgresql_copies_many_results_and_writes_what_the_statements_write(small, monkeypatch):
    monkeypatch.setattr(services, "_COPY_FROM_ROWS", 10**9)
    ProgressResult.objects.all().delete()
    progress_recompute(as_of=AS_OF)
    by_statements = _stored()
    copies = []
    copy = services._copied_upsert

    def counted(*args):
        copies.append(1)
        return copy(*args)

    monkeypatch.setattr(services, "_COPY_FROM_ROWS", 1)
    monkeypatch.setattr(services, "_copied_upsert", counted)
    ProgressResult.objects.all().delete()
    progress_recompute(as_of=AS_OF)

    assert copies and _stored() == by_statements
    changed = list(ProgressResult.objects.order_by("pk").values_list("pk", flat=True)[:30])
    ProgressResult.objects.filter(pk__in=changed).update(status="red", reason="改过", fingerprint=0)
    progress_recompute(as_of=AS_OF)  # the copied rows rewrite the stored ones in place
    assert _stored() == by_statements
    assert ProgressResult.objects.filter(pk__in=changed).count() == len(changed)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL copies many results (COPY)")
def test_a_copied_result_keeps_its_text_quotes_separators_and_nulls(small, monkeypatch):
    monkeypatch.setattr(services, "_COPY_FROM_ROWS", 1)
    result = ProgressResult.objects.order_by("pk").first()
    reason = 'a, "quoted"\nline\\N and \\ done'
    inputs = {"note": 'q"\\,\n', "none": None, "empty": ""}
    row = (
        result.target_id,
        result.period_id,
        result.period_end,
        "grey",
        reason,
        None,
        "2.5",
        None,
        None,
        None,
        json.dumps(inputs),
        "",
        False,
        None,
        result.latest_until,
        -7,
    )
    services._upsert_results([row], result.computed_at)
    result.refresh_from_db()
    assert (result.reason, result.inputs, result.reason_code) == (reason, inputs, "")
    assert (result.actual, str(result.expected), result.shown_until, result.fingerprint) == (None, "2.5000", None, -7)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL copies many results (COPY)")
def test_results_copied_outside_a_transaction_are_copied_in_one_of_their_own(small, monkeypatch):
    """The temporary table lasts until the transaction's end: in autocommit, until the end of its own statement."""
    monkeypatch.setattr(services, "_COPY_FROM_ROWS", 1)
    result = ProgressResult.objects.order_by("pk").first()
    row = [getattr(result, name) for name in ("target_id", "period_id", *services._COMPARED, "fingerprint")]
    row[services._COMPARED.index("reason") + 2] = "autocommit"
    row[services._COMPARED.index("inputs") + 2] = json.dumps(result.inputs)  # as the recompute gives them: JSON text
    services._upsert_results([tuple(row)], result.computed_at)
    result.refresh_from_db()
    assert result.reason == "autocommit"
