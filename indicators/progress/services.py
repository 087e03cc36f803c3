"""Persisting the progress engine's results: one row per (target, period).

The whole computation is bulk: a fixed number of queries however many periods,
values or targets there are.
"""

import csv
import gc
import hashlib
import io
import logging
import math
import os
import threading
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

import billiard
import orjson
from django.conf import settings
from django.db import connections, models, router, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import Q
from django.db.models.constants import OnConflict
from django.db.models.sql.constants import MULTI
from django.utils import timezone, translation

from chuxiong_portal.db import serialised
from parks.models import Zone

from ..models import DispatchReport, Indicator, IndicatorValue, ProgressResult, ReportingPeriod, Scope, Target
from . import engine, reasons, spans
from .derived import PREFECTURE_KEY, area_sums, derived_histories, in_scopes, merge, zone_hierarchy

_MAX_ATTAINMENT = 999999.0
logger = logging.getLogger(__name__)


def scope_key(scope: str, zone_id: int | None, cluster_id: int | None) -> tuple:
    return (scope, zone_id, cluster_id)


def _decimal(value: float | None, places: int = 4, limit: float | None = None) -> str | None:
    """A figure of a result as the text of its decimal (rounded to `places`, within ±`limit`), as the database takes it
    for a decimal column: a Decimal would be made for each of a province's 1.6 million figures only to be written as
    this text (and sent back from the workers that judge the targets, where pickling Decimals took seconds)."""
    if value is None or type(value) is bool or not math.isfinite(value):
        return None
    result = round(value, places)
    if limit is not None:
        result = max(-limit, min(limit, result))
    return str(result)


def _histories(
    indicator_ids: set[int],
    hierarchy=None,
    keys: set[tuple] | None = None,
    zone_ids: dict[str, int] | None = None,
    periods: dict[int, tuple[date, date]] | None = None,
) -> dict[tuple, list[engine.Observation]]:
    """Observations per (indicator, scope); the province's official figure wins over a unit's entry; a zone
    without a figure of its own for a period takes its areas' complete sum. `keys`: the (indicator, scope key)
    pairs wanted (all when None); `zone_ids`: zone code → id, and `periods`: period id → (end, start) of the
    indicators' plans, when the caller has them already (a period not in it is read)."""
    rows = IndicatorValue.objects.counted().filter(indicator_id__in=indicator_ids).order_by()
    if keys is not None:
        rows = rows.filter(in_scopes({scope for _indicator, scope in keys}))
    # Unordered and without joining the periods: the rows are ordered below, per history. The province's figure
    # wins whatever the order (a scope has at most one figure per period and source). Neither the scope nor the source
    # is read as text: the scope follows from the zone and the cluster (`scope_consistent`), and whether the figure is
    # the province's is read as a flag: the two strings made for each of a million values took a fifth to a third of
    # the fetch.
    official = models.ExpressionWrapper(Q(source=IndicatorValue.Source.PROVINCE), output_field=models.BooleanField())
    rows = rows.annotate(official=official).values_list(
        "indicator_id", "zone_id", "cluster_id", "period_id", "official", "value", "done_on"
    )
    # Each history's figures as period id → (summed only, value, done on), gathered in one pass: a key per history
    # and one per figure within it, rather than a key per figure of the province hashed twice and grouped again.
    chosen: dict[tuple, dict[int, tuple]] = {}
    # As the database gives them (`_raw_rows`): the engine wants floats, and a province has a million values. The
    # province's figure wins over a unit's entry (`keep_official`, written out here: a call per value cost a tenth).
    for indicator_id, zone_id, cluster_id, period_id, from_province, value, done_on in _raw_rows(rows):
        key = (indicator_id, zone_id, cluster_id)
        figures = chosen.get(key)
        if figures is None:
            figures = chosen[key] = {}
        elif not from_province and period_id in figures:
            continue
        figures[period_id] = (
            False,
            None if value is None else float(value),
            date.fromisoformat(done_on) if type(done_on) is str else done_on,  # SQLite keeps dates as ISO text
        )
    if hierarchy is not None:
        if zone_ids is None:
            zone_ids = dict(Zone.objects.values_list("code", "pk"))
        for (indicator_id, period_id, zone), (_end, summed) in area_sums(indicator_ids, hierarchy).items():
            zone_id = zone_ids.get(zone)
            if not summed.complete or zone_id is None:
                continue
            figures = chosen.setdefault((indicator_id, zone_id, None), {})
            own = figures.get(period_id)
            if own is None or own[1] is None:
                figures[period_id] = (own[0] if own is not None else True, summed.value, None)
    periods = dict(periods or {})
    missing = {period_id for figures in chosen.values() for period_id in figures} - periods.keys()
    if missing:
        for pk, end, start in ReportingPeriod.objects.filter(pk__in=missing).values_list("pk", "end", "start"):
            periods[pk] = (end, start)
    observation = engine.Observation
    histories: dict[tuple, list[engine.Observation]] = defaultdict(list)
    for (indicator_id, zone_id, cluster_id), figures in chosen.items():
        items = []
        for period_id, (summed_only, value, done_on) in figures.items():
            end, start = periods[period_id]
            items.append((end, summed_only, start, period_id, value, done_on))
        # By period end; at the same end (periods of another cadence) the later start last, an areas' sum after the
        # figures entered. A history has one observation per period: the period id settles every tie.
        items.sort()
        histories[(indicator_id, _scope_of(zone_id, cluster_id))] = [
            observation(end, value, done_on) for end, _summed, _start, _period, value, done_on in items
        ]
    return histories


def _scope_of(zone_id: int | None, cluster_id: int | None) -> tuple:
    """The scope key of a row whose scope was not read: a zone's, a cluster's or the prefecture's, as its zone and
    cluster say (a row's scope agrees with them: `scope_constraints`)."""
    if zone_id is not None:
        return scope_key(Scope.ZONE.value, zone_id, None)
    if cluster_id is not None:
        return scope_key(Scope.CLUSTER.value, None, cluster_id)
    return PREFECTURE_KEY


def _raw_rows(queryset: models.QuerySet) -> Iterable[tuple]:
    """The rows of a `values_list` queryset as the database driver gives them, without Django's converters (a
    Decimal made and quantized for every number, a date parsed from SQLite's text): the caller converts the
    columns it needs, once, to the types it uses."""
    compiler = queryset.query.get_compiler(using=queryset.db)
    for chunk in compiler.execute_sql(MULTI):
        yield from chunk


def _baseline(target: Target, history: list[engine.Observation]) -> float | None:
    if target.baseline_value is not None:
        return float(target.baseline_value)
    baseline_year = target.indicator.plan.baseline_year
    year_end = date(baseline_year, 12, 31)
    in_year = [o for o in history if o.period_end.year == baseline_year and o.value is not None]
    if not in_year:
        return None
    at_year_end = [o for o in in_year if o.period_end == year_end]
    if target.indicator.year_to_date:
        return at_year_end[-1].value if at_year_end else None
    return (at_year_end or in_year)[-1].value


def target_spec(target: Target, history: list[engine.Observation]) -> engine.TargetSpec:
    """The engine's input for a target; every year comes from the target's plan."""
    indicator = target.indicator
    plan = indicator.plan
    return engine.TargetSpec(
        kind=engine.QUALITATIVE if target.trend_only else indicator.kind,
        direction=indicator.direction,
        goal_year=target.year,
        committed=None if target.committed_value is None else float(target.committed_value),
        stretch=None if target.stretch_value is None else float(target.stretch_value),
        baseline=_baseline(target, history),
        baseline_year=plan.baseline_year,
        plan_start=plan.start,
        plan_end=date(target.year, 12, 31),
        due_date=target.due_date,
        required_count=target.required_count,
        year_to_date=indicator.year_to_date,
        unit=indicator.unit or "%",
        per_half_year=target.per_half_year,
        due_month=target.due_month,
    )


# Statistics judged period by period; milestones, recurring duties and trends carry over.
_PERIODIC_KINDS = {engine.LEVEL, engine.GROWTH, engine.AVERAGE_GROWTH, engine.SHARE, engine.COUNT, engine.CUMULATIVE}


def _without_stale_data(
    outcome: engine.ProgressOutcome,
    spec: engine.TargetSpec,
    value_ends: list[date],
    period: ReportingPeriod,
    reason_of: "_StoredReasons",
) -> engine.ProgressOutcome:
    """A period whose own value has not come in is grey, not judged on an older value.

    `value_ends`: the sorted period ends of the history's observations with a value. A trend (qualitative) carries
    over, but says which period its latest value is of (`result_as_of`: not the period judged)."""
    if spec.kind == engine.QUALITATIVE and outcome.actual is not None:
        latest = _older_value_end(value_ends, period.end)
        if latest is None:
            return outcome
        return replace(outcome, inputs={**outcome.inputs, "stale": True, "latest_value_at": latest.isoformat()})
    if spec.kind not in _PERIODIC_KINDS or outcome.status == engine.GREY:
        return outcome
    at = bisect_left(value_ends, period.end)
    if at < len(value_ends) and value_ends[at] == period.end:
        return outcome
    latest = value_ends[at - 1] if at else None
    params = {"data_as_of": latest.isoformat()} if latest else {}
    return replace(
        outcome,
        status=engine.GREY,
        actual=None,
        attainment=None,
        reason=reason_of(reasons.NO_CURRENT_DATA, params, ""),
        code=reasons.NO_CURRENT_DATA,
        params=params,
        inputs={**outcome.inputs, "stale": True, "latest_value_at": latest.isoformat() if latest else None},
    )


def _older_value_end(value_ends: list[date], end: date) -> date | None:
    """The latest value's period end before `end` when the period ending on `end` has no value of its own."""
    at = bisect_left(value_ends, end)
    if at < len(value_ends) and value_ends[at] == end:
        return None
    return value_ends[at - 1] if at else None


def _window_start(target: Target, years_by_scope: dict[tuple, set[int]]) -> date:
    """Yearly targets (one per year) are judged within their year; a goal for the plan's end over the whole plan. A
    trend of a year before the goal year (2023's 「明显优化」) follows that year; it does not count among the figure's
    yearly targets (`years_by_scope` holds the numeric ones), whose windows it leaves as they were."""
    key = (target.indicator_id, scope_key(target.scope, target.zone_id, target.cluster_id))
    plan = target.indicator.plan
    if target.trend_only:
        return date(target.year, 1, 1) if target.year < plan.goal_year else plan.start
    if len(years_by_scope[key]) > 1 or target.year < plan.goal_year:
        return date(target.year, 1, 1)
    return plan.start


class _StoredReasons:
    """`(code, params, fallback)` → the reason kept with a result, in the portal's own language whoever triggered the
    recompute (pages choose the reader's words from the code and parameters): `progress_recompute` activates it once
    and takes its `words` (`reasons.translator()`) once.

    Each sentence is worded once per recompute: a province's 330,783 results say 48,056 different things, and wording
    every one of them took 0.75 s of CPU, 0.47 s worded once each. The parameters, JSON-safe already
    (`engine._outcome`), are told apart by their JSON text, the form they are stored in and worded again from by the
    pages."""

    def __init__(self, words: Callable[[str], str]):
        self.words = words
        self.worded: dict[tuple[str, bytes], str | None] = {}

    def __call__(self, code: str, params: dict, fallback: str) -> str:
        try:
            key = (code, orjson.dumps(params, option=orjson.OPT_NON_STR_KEYS))
        except orjson.JSONEncodeError:
            return reasons.reason_text(code, params, words=self.words) or fallback
        text = self.worded.get(key, _UNWORDED)
        if text is _UNWORDED:
            text = self.worded[key] = reasons.reason_text(code, params, words=self.words)
        return text or fallback


_UNWORDED = object()


def _missing_names(outcome: engine.ProgressOutcome, zone_names: dict[str, str]) -> dict:
    """A roll-up's reason names its missing zones, not their codes: the names are kept with the inputs."""
    if outcome.code != engine.ROLLUP_INCOMPLETE:
        return {}
    return {"missing_names": [zone_names.get(code, code) for code in outcome.params["missing"]]}


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while the recompute builds its millions of long-lived objects (a
    province's values, histories and results): each time the allocations pass a threshold it walks the whole growing
    heap again, and found nothing to free — 6 of a province's 36 s. Objects freed by their reference count are freed
    as before; whatever cycles the recompute leaves are collected once the collector is back."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@transaction.atomic
def progress_recompute(*, target_ids: Iterable[int] | None = None, as_of: date | None = None) -> int:
    """Recompute the progress of `target_ids` (all targets when None) for every period up to `as_of`.

    Only what differs from the stored results is written (`_results_writer`): after an approval, which
    changes no counted value, nothing is. Returns the number of results the targets have.

    One recompute at a time (`serialised`): two at once (two approvals' jobs in two workers, the sync client's
    parallel posts) each read the values and the stored results before writing, and the one that read first could
    write last, over the other's results of newer values, until the next night's recompute. The second now reads
    after the first's commit."""
    serialised("indicators.progress_recompute")
    with collector_paused():
        return _recompute(target_ids=target_ids, as_of=as_of)


def _recompute(*, target_ids: Iterable[int] | None, as_of: date | None) -> int:
    as_of = as_of or timezone.localdate()
    targets = Target.objects.select_related("indicator__plan")
    if target_ids is not None:
        targets = targets.filter(pk__in=list(target_ids))
    targets = list(targets)
    if not targets:
        return 0
    indicator_ids = {t.indicator_id for t in targets}
    # A few targets (after one report): read only the values of their scopes, not every zone's.
    wanted = (
        None if target_ids is None else {(t.indicator_id, scope_key(t.scope, t.zone_id, t.cluster_id)) for t in targets}
    )
    years_by_scope: dict[tuple, set[int]] = defaultdict(set)
    for indicator_id, scope, zone_id, cluster_id, year in Target.objects.filter(
        indicator_id__in=indicator_ids, trend_only=False
    ).values_list("indicator_id", "scope", "zone_id", "cluster_id", "year"):
        years_by_scope[(indicator_id, scope_key(scope, zone_id, cluster_id))].add(year)
    hierarchy = zone_hierarchy()
    zones = list(Zone.objects.values_list("code", "pk", "name"))
    zone_ids, zone_names = {code: pk for code, pk, _name in zones}, {code: name for code, _pk, name in zones}
    # Each target is judged on its own plan's periods, from the plan's first day.
    plans = {t.indicator.plan_id: t.indicator.plan for t in targets}
    plan_periods = list(ReportingPeriod.objects.filter(plan_id__in=plans).order_by("end"))
    histories = _histories(
        indicator_ids, hierarchy, wanted, zone_ids, periods={p.pk: (p.end, p.start) for p in plan_periods}
    )
    indicators = list({t.indicator_id: t.indicator for t in targets}.values())
    derived, computed_keys = derived_histories(indicators, hierarchy, wanted, zone_ids=zone_ids)
    for key, computed in derived.items():
        histories[key] = merge(histories.get(key, []), computed)
    periods_by_cadence: dict[tuple[int, str], list[ReportingPeriod]] = defaultdict(list)
    for period in plan_periods:
        if plans[period.plan_id].start <= period.end <= as_of:
            periods_by_cadence[(period.plan_id, period.cadence)].append(period)

    stored = _stored_digests(None if target_ids is None else targets)
    computed_at = timezone.now()
    # The reasons are kept in the portal's own language whoever triggered the recompute (see _StoredReasons).
    with translation.override(settings.LANGUAGE_CODE):
        evaluation = _Evaluation(
            targets,
            histories,
            years_by_scope,
            periods_by_cadence,
            computed_keys,
            zone_names,
            _StoredReasons(reasons.translator()),
            as_of,
            stored,
        )
        computed = 0
        with _results_writer(computed_at) as write:
            # Each part is written as it comes back, while the workers judge the next ones.
            for to_write, stale, part_computed in _evaluate_all(evaluation):
                write(to_write, stale)
                computed += part_computed
            evaluated = {target.pk for target in targets}
            gone = [pk for target_id, rows in stored.items() if target_id not in evaluated for pk, _ in rows.values()]
            write([], gone)
    return computed


def _target_results(
    target, histories, years_by_scope, periods_by_cadence, computed_keys, zone_names, reason_of, as_of
) -> list[tuple]:
    """The results of one target for each of its periods, unsaved: tuples of (target id, period id, *_COMPARED),
    the inputs as their JSON text, so that only the results that differ from the stored ones are written
    (`_results_writer`)."""
    scope = scope_key(target.scope, target.zone_id, target.cluster_id)
    history = histories.get((target.indicator_id, scope), [])
    spec = target_spec(target, history)
    start, end = _window_start(target, years_by_scope), date(target.year, 12, 31)
    periods = [
        period
        for period in periods_by_cadence[(target.indicator.plan_id, target.indicator.cadence)]
        if start <= period.end <= end
    ]
    if not periods:
        return []
    value_ends = sorted(obs.period_end for obs in history if obs.value is not None)
    from_parts = bool(target.indicator.numerator_id and target.indicator.denominator_id)
    # Judged on `as_of`: a period that ended before it is over (a milestone due on its last day and not done missed).
    outcomes = engine.evaluate_series(spec, history, [period.end for period in periods], today=as_of, raw_inputs=True)
    results, target_id = [], target.pk
    for period, outcome in zip(periods, outcomes, strict=True):
        outcome = _without_stale_data(outcome, spec, value_ends, period, reason_of)
        if from_parts:
            # Say whether the rate was computed from its parts or typed in.
            key = (target.indicator_id, scope, period.end)
            outcome = replace(
                outcome,
                inputs={**outcome.inputs, "rate_entry": "computed_from_parts" if key in computed_keys else "typed"},
            )
        params = reasons.stored_params(outcome, unit=spec.unit)
        names = _missing_names(outcome, zone_names)
        results.append(
            (
                target_id,
                period.pk,
                period.end,
                outcome.status,
                reason_of(outcome.code, {**params, **names}, outcome.reason),
                _decimal(outcome.actual),
                _decimal(outcome.expected),
                _decimal(outcome.attainment, limit=_MAX_ATTAINMENT),
                _decimal(outcome.projection),
                _decimal(outcome.required_rate, limit=_MAX_ATTAINMENT),
                # As the JSON text stored: encoded once, for the digest and the insert both.
                engine.inputs_text({**outcome.inputs, **names, "reason_code": outcome.code, "reason_params": params}),
                outcome.code,
                engine.held_to_goal(outcome.code, outcome.params),
            )
        )
    return _with_spans(results)


def _with_spans(results: list[tuple]) -> list[tuple]:
    """A target's results (in the order of their period ends) each with its `spans`: shown until, latest until."""
    facts = [(result[2], result[3] != ProgressResult.Status.GREY, result[5] is not None) for result in results]
    shown, latest = spans.spans(facts, spans.SHOWN), spans.spans(facts, spans.LATEST)
    return [(*result, shown[i], latest[i]) for i, result in enumerate(results)]


# What a result says: a result whose fields all equal the stored ones is left as it is (its id and computed_at too).
_COMPARED = (
    "period_end",
    "status",
    "reason",
    "actual",
    "expected",
    "attainment",
    "projection",
    "required_rate",
    "inputs",
    "reason_code",
    "against_goal",
    "shown_until",
    "latest_until",
)
_WRITE_BATCH = 1000


def result_fingerprint(result: tuple) -> int:
    """A 64-bit digest of a computed result's compared fields (`result[2:]`: period end, status, reason, the five
    figures, the inputs' JSON text, the reason code and basis, the spans), kept in `ProgressResult.fingerprint`: two
    computations of the same outcome give the same digest (the engine builds its inputs in a fixed order), a different
    field a different one. The fields are encoded by orjson (a figure given as a Decimal as its text): a column holds
    values of one type, and it took 40 % of the time their repr did."""
    digest = hashlib.blake2b(orjson.dumps(result[2:], default=str), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _stored_digests(targets: list[Target] | None) -> dict[int, dict[int, tuple[int, int | None]]]:
    """The stored results of `targets` (all when None) as target id → period id → (id, digest): one query reads their
    digests (`result_fingerprint`), not their fields — decoding every stored row's JSON and numbers took a quarter of a
    province's recompute. A row without a digest (saved by hand) counts as changed."""
    rows = ProgressResult.objects.order_by()
    if targets is not None:
        rows = rows.filter(target__in=targets)
    stored: dict[int, dict[int, tuple[int, int | None]]] = defaultdict(dict)
    digests = rows.values_list("pk", "target_id", "period_id", "fingerprint")
    for pk, target_id, period_id, fingerprint in _raw_rows(digests):
        stored[target_id][period_id] = (pk, fingerprint)
    return stored


@dataclass
class _Evaluation:
    """What the targets are judged on, read once; `run` judges a slice of them against their stored results."""

    targets: list[Target]
    histories: dict
    years_by_scope: dict
    periods_by_cadence: dict
    computed_keys: set
    zone_names: dict
    reason_of: _StoredReasons
    as_of: date
    stored: dict[int, dict[int, tuple[int, int | None]]]

    def run(self, indexes: Iterable[int]) -> tuple[list[tuple], list[int], int]:
        """(the results that differ from the stored ones, with their digests; the ids of stored results no longer
        computed; the number of results computed) for the targets at `indexes`. A (target, period) pair computed for
        the first time is new, one computed with a different outcome changed, one stored but no longer computed (after
        `as_of`, outside the target's window) stale, an unchanged one left out."""
        to_write, stale, computed = [], [], 0
        for at in indexes:
            target = self.targets[at]
            stored = dict(self.stored.get(target.pk, {}))
            results = _target_results(
                target,
                self.histories,
                self.years_by_scope,
                self.periods_by_cadence,
                self.computed_keys,
                self.zone_names,
                self.reason_of,
                self.as_of,
            )
            computed += len(results)
            for result in results:
                fingerprint = result_fingerprint(result)
                row = stored.pop(result[1], None)
                if row is None or row[1] != fingerprint:
                    to_write.append((*result, fingerprint))
            stale += [pk for pk, _fingerprint in stored.values()]
        return to_write, stale, computed


# A full recompute of many targets judges them in worker processes, one per core (`PORTAL_RECOMPUTE_WORKERS`,
# default: the cores this process may use): forked once everything is read, they share the histories with this
# process and send back only the results that differ from the stored ones. This process alone talks to the database,
# before and after. Fewer targets (the demo's few hundred, a report's few) are judged here: a fork costs more than it
# saves.
PARALLEL_FROM_TARGETS = 2000
_CHUNKS_PER_WORKER = 8  # slices of unequal cost (a biweekly target has 24 results a year, a yearly one 1) even out
_EVALUATION: _Evaluation | None = None  # the evaluation the forked workers inherit


def _evaluate_all(evaluation: _Evaluation) -> Iterator[tuple[list[tuple], list[int], int]]:
    """The parts of `evaluation.run` over every target, as they are judged: in worker processes, each slice as it comes
    back (in the slices' order), so that this process writes one while the workers judge the next — the writing no
    longer waits for the last slice, nor the workers for the writing."""
    count = len(evaluation.targets)
    workers = recompute_workers() if count >= PARALLEL_FROM_TARGETS else 1
    global _EVALUATION
    _EVALUATION = evaluation  # before the fork: the workers inherit it
    try:
        pool = _fork_pool(workers) if workers > 1 else None
        if pool is None:
            if workers > 1:
                logger.warning("recompute: %d targets judged in this process, no worker could be forked", count)
            yield evaluation.run(range(count))
            return
        logger.info("recompute: %d targets judged in %d worker processes", count, workers)
        chunks = workers * _CHUNKS_PER_WORKER
        bounds = [(count * i // chunks, count * (i + 1) // chunks) for i in range(chunks)]
        try:
            yield from pool.imap(_run_slice, bounds, chunksize=1)
        finally:
            _stop_in_background(pool)
    finally:
        _EVALUATION = None


def _stop_in_background(pool) -> None:
    """Stop `pool`'s workers without waiting for them. Billiard's pool takes up to 0.8 s to stop, whatever the work:
    its supervisor thread wakes every 0.8 s, and stopping joins it. That was a tenth of a province's recompute, spent
    after the last slice came back. The slices are all in (or the recompute failed), so a daemon thread stops the
    workers while this process writes the last part and commits."""
    threading.Thread(target=pool.terminate, name="recompute-pool-stop", daemon=True).start()


def recompute_workers() -> int:
    configured = getattr(settings, "PORTAL_RECOMPUTE_WORKERS", None)
    if configured:
        return max(1, int(configured))
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _fork_pool(workers: int):
    """A pool of `workers` forked processes, or None where this process cannot fork them (no fork on the platform): the
    targets are then judged here. Celery's own fork of multiprocessing (billiard): the standard library's refuses to
    start processes from a Celery worker's pool process (a daemon), where the nightly recompute runs."""
    try:
        context = billiard.get_context("fork")
        return context.Pool(workers, initializer=_detached_from_database)
    except (ValueError, AssertionError, OSError):
        return None


_KEPT_CONNECTIONS: list = []


def _detached_from_database() -> None:
    """In a forked worker: the parent's database connections are the parent's. The worker neither uses nor closes them
    (closing one would end the parent's session on the server): it keeps a reference to each driver connection, so
    that none is closed when collected, and leaves Django's wrappers without one — a query here would open its own."""
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None:
            _KEPT_CONNECTIONS.append(connection.connection)
            connection.connection = None


def _run_slice(bounds: tuple[int, int]) -> tuple[list[tuple], list[int], int]:
    return _EVALUATION.run(range(*bounds))


@contextmanager
def _results_writer(computed_at) -> Iterator[Callable[[list[tuple], list[int]], None]]:
    """A `write(to_write, stale)` for what `_Evaluation.run` found different, part after part: new and changed results
    in one upsert (`_upsert_results`), the stale ones deleted. Django's bulk_update (a CASE per field and row) takes
    seconds for a few thousand rows, and deleting a changed row to insert it again took a province's recompute 2 s
    more, each row taken out of and put back into every index. Run inside the recompute's transaction: a crash leaves
    the previous results intact.

    Keeping the result spans' two covering indexes up to date row by row costs SQLite more than the rest of a large
    write together — a row's key lands anywhere in them (28 s of CPU of a province's 65 s full write) — where building
    them again at the end sorts once (0.7 s). So once a write on SQLite reaches `_REBUILD_FROM_ROWS` rows, the indexes
    are set aside and built again when the writing is done, inside the recompute's transaction: the writer holds
    SQLite's write lock anyway, readers (WAL) see the state before, with its indexes, until the commit, and a failure
    rolls the drop back with the rest. Not on PostgreSQL, where dropping an index would lock the table's readers out
    until the commit."""
    connection = connections[router.db_for_write(ProgressResult)]
    written, set_aside = 0, []

    def write(to_write: list[tuple], stale: list[int]) -> None:
        nonlocal written
        written += len(to_write) + len(stale)
        if connection.vendor == "sqlite" and not set_aside and written >= _REBUILD_FROM_ROWS:
            set_aside.extend(_SPAN_INDEXES)
            with connection.cursor() as cursor:
                for index in set_aside:
                    cursor.execute(f"DROP INDEX {connection.ops.quote_name(index.name)}")
        stale = sorted(stale)
        for start in range(0, len(stale), _WRITE_BATCH):
            ProgressResult.objects.filter(pk__in=stale[start : start + _WRITE_BATCH]).delete()
        _upsert_results(to_write, computed_at)

    yield write
    if set_aside:
        editor = connection.schema_editor()  # only to word each index's CREATE statement
        with connection.cursor() as cursor:
            for index in set_aside:
                cursor.execute(str(index.create_sql(ProgressResult, editor)))


_REBUILD_FROM_ROWS = 20_000
_SPAN_INDEXES = [index for index in ProgressResult._meta.indexes if index.fields[0] in ("shown_until", "latest_until")]


def _upsert_results(results: list[tuple], computed_at) -> None:
    """Write `results` (tuples of target id, period id, *_COMPARED with the inputs as JSON text, fingerprint) in the
    order of their keys: a pair not stored is inserted, a stored one has its fields rewritten in place
    (``INSERT … ON CONFLICT (target, period) DO UPDATE``, as Django's ``bulk_create(update_conflicts=True)`` words
    it). Without a model instance per row nor bulk_create's field-by-field preparation of each value (most of the
    time a full recompute took): a column whose field prepares its values for the database is adapted by the
    backend's own adapter, as the field does. On SQLite one prepared statement runs for every row (executemany);
    elsewhere, where each statement is a round trip, multi-row statements in batches."""
    if not results:
        return
    results = sorted(results, key=_key)  # the indexes on (target, ...) grow at their end, not anywhere in them
    connection = connections[router.db_for_write(ProgressResult)]
    ops = connection.ops
    fields = [
        ProgressResult._meta.get_field(name) for name in ("target", "period", *_COMPARED, "fingerprint", "computed_at")
    ]
    adapted = [(at, adapt) for at, adapt in enumerate(_adapter(field, ops) for field in fields[:-1]) if adapt]
    stamp = _adapter(fields[-1], ops)(computed_at)

    def row(result: tuple) -> list:
        values = [*result, stamp]
        for at, adapt in adapted:
            values[at] = adapt(values[at])
        return values

    columns = ", ".join(ops.quote_name(field.column) for field in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    insert = f"INSERT INTO {ops.quote_name(ProgressResult._meta.db_table)} ({columns}) VALUES "
    on_conflict = " " + ops.on_conflict_suffix_sql(
        fields, OnConflict.UPDATE, [field.column for field in fields[2:]], [field.column for field in fields[:2]]
    )
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany(insert + row_sql + on_conflict, map(row, results))
            return
        if connection.vendor == "postgresql" and len(results) >= _COPY_FROM_ROWS:
            _copied_upsert(cursor, [field.column for field in fields], map(row, results), on_conflict)
            return
        batch = max(1, min(_WRITE_BATCH, ops.bulk_batch_size(fields, results)))
        for start in range(0, len(results), batch):
            chunk = results[start : start + batch]
            cursor.execute(
                insert + ", ".join([row_sql] * len(chunk)) + on_conflict,
                [value for one in chunk for value in row(one)],
            )


# PostgreSQL takes many rows faster by COPY than as the parameters of INSERT statements: each of a province's 200,000
# rows was 17 parameters quoted into a statement's text by the driver and parsed again by the server.
_COPY_FROM_ROWS = 1000
_NULL = "\\N"  # COPY's mark of a NULL (no text of a result's column is ever exactly that)


def _copied_upsert(cursor, columns: list[str], rows: Iterable[list], on_conflict: str) -> None:
    """PostgreSQL: `rows` copied (``COPY … FROM STDIN``, as CSV) into a temporary table of the results' columns, then
    upserted from it in one statement, in the order of their keys. The table lives until the transaction ends (the
    recompute's; a transaction of its own when called outside one)."""
    quote = cursor.db.ops.quote_name
    table, rows_table = quote(ProgressResult._meta.db_table), quote("portal_result_rows")
    quoted = ", ".join(quote(column) for column in columns)
    key = ", ".join(quote(ProgressResult._meta.get_field(name).column) for name in ("target", "period"))
    with transaction.atomic(using=cursor.db.alias, savepoint=False):
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {rows_table} ON COMMIT DROP AS "
            f"SELECT {quoted} FROM {table} WITH NO DATA"
        )
        cursor.execute(f"TRUNCATE {rows_table}")
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerows([_NULL if value is None else value for value in values] for values in rows)
        text.seek(0)
        cursor.cursor.copy_expert(f"COPY {rows_table} ({quoted}) FROM STDIN WITH (FORMAT csv, NULL '{_NULL}')", text)
        cursor.execute(f"INSERT INTO {table} ({quoted}) SELECT {quoted} FROM {rows_table} ORDER BY {key} {on_conflict}")


def _key(result: tuple) -> tuple:
    return result[0], result[1]


def _adapter(field: models.Field, ops) -> Callable | None:
    """What `field.get_db_prep_save` does with a value of the type the recompute gives it; None when it keeps it as
    it is. A JSON field's value comes as its text already, which every backend takes for the column."""
    if isinstance(field, models.DecimalField):
        if type(ops).adapt_decimalfield_value is BaseDatabaseOperations.adapt_decimalfield_value:
            return None  # the base adapter keeps the value: its text (PostgreSQL's and SQLite's)
        return lambda value: ops.adapt_decimalfield_value(
            None if value is None else Decimal(value), field.max_digits, field.decimal_places
        )
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(
        field, (models.ForeignKey, models.CharField, models.TextField, models.BigIntegerField, models.BooleanField)
    ):
        return None
    if isinstance(field, models.JSONField):
        return None
    raise TypeError(f"no adapter for {field!r}")


def targets_for_values(keys: Iterable[tuple[int, str, int | None, int | None]]) -> list[int]:
    """The targets whose results values of (indicator, scope, zone, cluster) can change: the targets of those
    indicators in those scopes, and the rates computed from them (services/derived.py) — a share from its parts
    in the same scope, and the prefecture's share or growth rolled up from the zones' parts or levels."""
    wanted = {
        (indicator_id, scope_key(scope, zone_id, cluster_id)) for indicator_id, scope, zone_id, cluster_id in keys
    }
    if not wanted:
        return []
    indicator_ids = {indicator_id for indicator_id, _ in wanted}
    in_zones = {indicator_id for indicator_id, (scope, _zone, _cluster) in wanted if scope == "zone"}
    rows = Target.objects.filter(
        Q(indicator_id__in=indicator_ids)
        | Q(indicator__numerator_id__in=indicator_ids)
        | Q(indicator__denominator_id__in=indicator_ids)
        | Q(indicator__growth_of_id__in=indicator_ids)
    ).values_list(
        "pk",
        "indicator_id",
        "scope",
        "zone_id",
        "cluster_id",
        "indicator__numerator_id",
        "indicator__denominator_id",
        "indicator__growth_of_id",
    )
    found = set()
    for pk, indicator_id, scope, zone_id, cluster_id, numerator_id, denominator_id, growth_of_id in rows:
        key = scope_key(scope, zone_id, cluster_id)
        parts = (numerator_id, denominator_id) if numerator_id and denominator_id else ()
        rolled_up = scope == "prefecture" and any(part in in_zones for part in (*parts, growth_of_id))
        if (indicator_id, key) in wanted or any((part, key) in wanted for part in parts) or rolled_up:
            found.add(pk)
    return sorted(found)


def targets_for_report(report: DispatchReport) -> list[int]:
    keys = report.values.values_list("indicator_id", "scope", "zone_id", "cluster_id")
    return targets_for_values(keys)


__all__ = [
    "collector_paused",
    "progress_recompute",
    "target_spec",
    "targets_for_report",
    "targets_for_values",
    "Indicator",
]
