"""Bulk upsert of the province's official indicator values (POST /api/v1/indicator-values/bulk/).

One row:

    {"zone": "lufeng", "indicator": "industrial-output",
     "period": {"cadence": "monthly", "year": 2024, "index": 3},
     "value": "123.45", "done_on": null, "note": ""}

- The key is (scope, zone or cluster, indicator, period). `scope` is optional: "zone" (default,
  needs `zone`), "cluster" (needs `cluster`, an industry-cluster code) or "prefecture" (neither).
- `period.cadence` must be the indicator's reporting cadence; `index` is 1-based within the year
  (biweekly 1–24, monthly 1–12, quarterly 1–4, half_yearly 1–2, yearly 1).
- `value` is a JSON number (read exactly, as a decimal) or a decimal string by the portal's one number rule
  (`chuxiong_portal.numbers.parse_decimal`: "1,234.5" and full-width digits, not "1,2,3" or "1_000"), with at
  most 4 decimal places, checked with the same rules users get in the forms (`value_error`). Milestones take
  0/1 and may carry `done_on`.
- A row replaces the province's figure for its key (`note` and `done_on` default to empty).

Errors come in two kinds, and the answer says which (`chuxiong_portal.api_support.import_response`): a batch that
breaks the published schema (a wrong type, a missing field, a value out of the schema's bounds) is invalid, a 400;
a well-formed batch that the portal cannot take as it stands — a code it does not hold, a period it has not set up,
a rule between fields (scope and zone, cadence and index, decimals), a locked figure — is refused
(`ImportSummary.refuse`), a 409. Either way nothing is written and every error is listed.

The rows are stored with source=province, next to (never over) what the prefecture's units entered,
so the two can be reconciled. A province figure that is locked may only be changed by the office.

The whole batch is validated first, in a fixed number of queries; any error rejects the whole
batch and nothing is written. Writing is bulk (`bulk_create`/`bulk_update` in batches, with history
rows authored by the client). Rows that equal what is stored are left alone (not even `updated_at`
moves), so pushing the same batch twice changes nothing.
"""

import re
import sqlite3
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history, get_history_manager_for_model

from chuxiong_portal import access
from chuxiong_portal.bulk_import import (
    MAX_NOTE,
    MAX_YEAR,
    MIN_YEAR,
    OUT_OF_RANGE,
    VALUE_STRING,
    ImportConflict,
    ImportSummary,
    batch_error,
    clean_text,
    code_of,
    date_of,
    decimal_of,
    int_of,
    labelled,
)
from chuxiong_portal.queue import enqueue_on_commit
from indicators.models import Cadence, Indicator, IndicatorValue, ReportingPeriod, Scope
from indicators.progress.services import targets_for_values
from parks.models import IndustryCluster, Zone

from .. import periods as calendar
from ..period_names import period_name
from .reports import RECOMPUTE_TARGETS, value_error

BATCH = 1_000
_QUANTUM = Decimal("0.0001")
_ROW_FIELDS = frozenset({"scope", "zone", "cluster", "indicator", "period", "value", "done_on", "note"})
_PERIOD_FIELDS = frozenset({"cadence", "year", "index"})
_SCOPES = tuple(Scope.values)
_CADENCES = tuple(Cadence.values)
CHANGE_REASON = "省统计系统接口同步"


@dataclass
class _Row:
    index: int
    scope: str
    zone_code: str | None
    cluster_code: str | None
    indicator_code: str
    period_key: tuple[str, int, int]
    value_raw: object
    done_on: date | None
    note: str


def _parse(index: int, row, summary: ImportSummary) -> _Row | None:
    """Shape checks of one row that need no database."""
    if not isinstance(row, dict):
        summary.error(index, None, _("每一行必须是 JSON 对象。"))
        return None
    before = summary.error_count
    unknown = sorted(str(name) for name in row if name not in _ROW_FIELDS)
    if unknown:
        summary.error(index, None, _("未知字段：%(fields)s。") % {"fields": _("、").join(unknown)[:200]})
    scope = row.get("scope") or Scope.ZONE
    if scope not in _SCOPES:
        summary.error(index, "scope", _("范围只能是 zone、cluster 或 prefecture。"))
        scope = None
    zone_code = cluster_code = None
    if scope == Scope.ZONE:
        zone_code = code_of(row, "zone", index, summary, _lazy("开发区"), optional=True)
        if row.get("cluster") not in (None, ""):
            summary.refuse(index, "cluster", _("范围为开发区（zone）时不能填写产业集群。"))
    elif scope == Scope.CLUSTER:
        cluster_code = code_of(row, "cluster", index, summary, _lazy("产业集群"), optional=True)
        if row.get("zone") not in (None, ""):
            summary.refuse(index, "zone", _("范围为产业集群（cluster）时不能填写开发区。"))
    elif scope == Scope.PREFECTURE:
        for name in ("zone", "cluster"):
            if row.get(name) not in (None, ""):
                summary.refuse(index, name, _("范围为全州（prefecture）时不能填写开发区或产业集群。"))
    indicator_code = code_of(row, "indicator", index, summary, _lazy("指标"))
    period_key = _period_key(index, row.get("period"), summary)
    done_on, message = date_of(row.get("done_on"))
    if message:
        # A real date (the schema's `format: date`) outside the plan's era is refused; a malformed one is invalid.
        (summary.refuse if message is OUT_OF_RANGE else summary.error)(index, "done_on", message)
    note = row.get("note")
    if note is None:
        note = ""
    if not isinstance(note, str):
        summary.error(index, "note", _("说明必须是字符串。"))
        note = ""
    elif len(note) > MAX_NOTE:
        summary.error(index, "note", _("说明最多 %(max)d 个字符。") % {"max": MAX_NOTE})
    elif not clean_text(note):
        summary.refuse(index, "note", _("说明中含有无效字符。"))
    if "value" not in row:
        summary.error(index, "value", _("请填写数值（value）。"))
    if summary.error_count > before:
        return None
    return _Row(
        index, scope, zone_code, cluster_code, indicator_code, period_key, row.get("value"), done_on, note.strip()
    )


def _period_key(index: int, raw, summary: ImportSummary) -> tuple[str, int, int] | None:
    if not isinstance(raw, dict):
        summary.error(index, "period", _('调度期应为对象：{"cadence": "monthly", "year": 2024, "index": 3}。'))
        return None
    unknown = sorted(str(name) for name in raw if name not in _PERIOD_FIELDS)
    if unknown:
        summary.error(index, "period", _("调度期中有未知字段：%(fields)s。") % {"fields": _("、").join(unknown)[:200]})
        return None
    cadence = raw.get("cadence")
    if cadence not in _CADENCES:
        summary.error(index, "period.cadence", _("频次只能是 %(values)s 之一。") % {"values": _("、").join(_CADENCES)})
        return None
    year = int_of(raw.get("year"), MIN_YEAR, MAX_YEAR)
    if year is None:
        summary.error(
            index, "period.year", _("年度应为 %(min)d—%(max)d 之间的整数。") % {"min": MIN_YEAR, "max": MAX_YEAR}
        )
        return None
    count = calendar.PERIODS_PER_YEAR[cadence]
    number = int_of(raw.get("index"), 1, count)
    if number is None:
        # Within 1–24 (the schema's bounds) but past the cadence's count is a rule between fields.
        within = int_of(raw.get("index"), 1, max(calendar.PERIODS_PER_YEAR.values())) is not None
        report = summary.refuse if within else summary.error
        report(
            index,
            "period.index",
            _("%(cadence)s 的期次应为 1—%(count)d 之间的整数。") % {"cadence": cadence, "count": count},
        )
        return None
    return (cadence, year, number)


def _value(row: _Row, indicator: Indicator, summary: ImportSummary) -> tuple[bool, Decimal | None]:
    """The row's value, checked as the forms check it; (ok, value)."""
    is_milestone = indicator.kind == Indicator.Kind.MILESTONE
    if row.done_on and not is_milestone:
        summary.refuse(row.index, "done_on", _("只有节点类指标可以填写完成日期。"))
        return False, None
    if row.value_raw is None:
        if is_milestone and row.done_on:
            return True, Decimal(1)
        summary.refuse(row.index, "value", _("请填写数值（value）。"))
        return False, None
    number, message = decimal_of(row.value_raw, 4, Decimal("1e14"))
    if message:
        raw = row.value_raw
        shaped = (
            isinstance(raw, int | float | Decimal)
            and not isinstance(raw, bool)
            and abs(raw) < Decimal("1e14")
            or isinstance(raw, str)
            and re.fullmatch(VALUE_STRING, raw) is not None
        )
        (summary.refuse if shaped else summary.error)(row.index, "value", labelled(f"“{indicator.name}”", message))
        return False, None
    message = value_error(indicator, number)
    if message:
        summary.refuse(row.index, "value", message)
        return False, None
    if is_milestone and row.done_on and number != 1:
        summary.refuse(row.index, "value", _("已填写完成日期的节点类指标，数值应为1（已完成）。"))
        return False, None
    return True, number


def values_import(*, rows, user, dry_run: bool = False) -> ImportSummary:
    """Validate and upsert the province's values; see the module docstring. Raises ImportConflict on a race."""
    summary = ImportSummary(dry_run=dry_run)
    if batch_error(summary, rows):
        return summary
    parsed = [r for r in (_parse(i, row, summary) for i, row in enumerate(rows)) if r is not None]

    zones = dict(Zone.objects.filter(code__in={r.zone_code for r in parsed if r.zone_code}).values_list("code", "pk"))
    clusters = dict(
        IndustryCluster.objects.filter(code__in={r.cluster_code for r in parsed if r.cluster_code}).values_list(
            "code", "pk"
        )
    )
    indicators = {i.code: i for i in Indicator.objects.filter(code__in={r.indicator_code for r in parsed})}
    years = {r.period_key[1] for r in parsed}
    # A value is of its indicator's plan: the period is looked up among that plan's periods.
    plan_ids = {i.plan_id for i in indicators.values()}
    periods = {
        (p.plan_id, p.cadence, p.year, p.index): p.pk
        for p in ReportingPeriod.objects.filter(year__in=years, plan_id__in=plan_ids).only(
            "pk", "plan_id", "cadence", "year", "index"
        )
    }

    resolved: dict[tuple, tuple[_Row, Decimal]] = {}
    for row in parsed:
        ok = True
        zone_id = cluster_id = None
        if row.zone_code is not None and (zone_id := zones.get(row.zone_code)) is None:
            summary.refuse(row.index, "zone", _("未知的开发区代码“%(code)s”。") % {"code": row.zone_code})
            ok = False
        if row.cluster_code is not None and (cluster_id := clusters.get(row.cluster_code)) is None:
            summary.refuse(row.index, "cluster", _("未知的产业集群代码“%(code)s”。") % {"code": row.cluster_code})
            ok = False
        indicator = indicators.get(row.indicator_code)
        if indicator is None:
            summary.refuse(row.index, "indicator", _("未知的指标代码“%(code)s”。") % {"code": row.indicator_code})
            continue
        cadence, year, number = row.period_key
        if cadence != indicator.cadence:
            summary.refuse(
                row.index,
                "period.cadence",
                _("指标“%(name)s”按%(cadence)s填报，调度期频次应为 %(value)s。")
                % {"name": indicator.name, "cadence": Cadence(indicator.cadence).label, "value": indicator.cadence},
            )
            continue
        period_id = periods.get((indicator.plan_id, *row.period_key))
        if period_id is None:
            summary.refuse(
                row.index,
                "period",
                _("平台尚未设立调度期“%(label)s”。") % {"label": period_name(cadence, year, number)},
            )
            continue
        value_ok, value = _value(row, indicator, summary)
        if not (ok and value_ok):
            continue
        key = (indicator.pk, row.scope, zone_id, cluster_id, period_id)
        if key in resolved:
            summary.refuse(
                row.index,
                None,
                _("与第 %(first)d 行（从0起计）的开发区、指标和调度期重复。") % {"first": resolved[key][0].index},
            )
            continue
        resolved[key] = (row, value)
    if summary.errors:
        return summary
    try:
        with transaction.atomic():
            return _write(resolved, user, summary, dry_run)
    except IntegrityError as error:
        raise ImportConflict(str(error)) from error


def _write(resolved: dict, user, summary: ImportSummary, dry_run: bool) -> ImportSummary:
    existing_qs = IndicatorValue.objects.filter(
        source=IndicatorValue.Source.PROVINCE,
        indicator_id__in={key[0] for key in resolved},
        period_id__in={key[4] for key in resolved},
    )
    if not dry_run:
        # Rows are locked in one global order (by id) and new keys inserted in one global order (_insert_order),
        # so two batches with overlapping keys queue behind each other instead of deadlocking; a key both
        # insert is a unique violation for the second, answered 409 (ImportConflict).
        existing_qs = existing_qs.order_by("pk").select_for_update()
    wanted = set(resolved)
    existing = {}
    for value in existing_qs:
        key = (value.indicator_id, value.scope, value.zone_id, value.cluster_id, value.period_id)
        if key in wanted:
            existing[key] = value
    is_office = access.is_office(user)
    now = timezone.now()
    to_create, to_update, touched = [], [], []
    for key, (row, number) in resolved.items():
        current = existing.get(key)
        indicator_id, scope, zone_id, cluster_id, period_id = key
        if current is None:
            to_create.append(
                IndicatorValue(
                    indicator_id=indicator_id,
                    scope=scope,
                    zone_id=zone_id,
                    cluster_id=cluster_id,
                    period_id=period_id,
                    source=IndicatorValue.Source.PROVINCE,
                    value=number,
                    done_on=row.done_on,
                    note=row.note,
                    updated_by=user,
                )
            )
            touched.append(key[:4])
            continue
        if (
            current.value == number
            and current.done_on == row.done_on
            and current.note == row.note
            and not current.is_demo
        ):
            summary.unchanged += 1
            continue
        if current.locked and not is_office:
            summary.refuse(row.index, "value", _("该省统计数据已锁定，只有州开发区办可以修改。"))
            continue
        current.value, current.done_on, current.note = number, row.done_on, row.note
        current.is_demo = False
        current.version += 1
        current.updated_by = user
        current.updated_at = now
        to_update.append(current)
        touched.append(key[:4])
    if summary.errors:
        return summary
    summary.created, summary.updated = len(to_create), len(to_update)
    if dry_run:
        return summary
    if to_create:
        to_create.sort(key=_insert_order)
        bulk_create_with_history(
            to_create, IndicatorValue, batch_size=BATCH, default_user=user, default_change_reason=CHANGE_REASON
        )
    if to_update:
        fields = ["value", "done_on", "note", "is_demo", "version", "updated_by", "updated_at"]
        if _fast_update_supported():
            _update_rows(to_update, fields)
            get_history_manager_for_model(IndicatorValue).bulk_history_create(
                to_update, batch_size=BATCH, update=True, default_user=user, default_change_reason=CHANGE_REASON
            )
        else:
            bulk_update_with_history(
                to_update,
                IndicatorValue,
                fields,
                batch_size=BATCH,
                default_user=user,
                default_change_reason=CHANGE_REASON,
            )
    if touched:
        target_ids = targets_for_values(set(touched))
        if target_ids:
            enqueue_on_commit(RECOMPUTE_TARGETS, target_ids)
    return summary


def _insert_order(value: IndicatorValue) -> tuple:
    return (value.indicator_id, value.period_id, value.scope, value.zone_id or 0, value.cluster_id or 0)


# --------------------------------------------------------------------------- fast bulk update
#
# Django's bulk_update builds a CASE WHEN chain per field and row, which costs ~25 s of Python for
# 10,000 rows. `UPDATE … FROM (VALUES …)` (PostgreSQL; SQLite ≥ 3.33) does the same in one
# statement per batch. VALUES columns are named column1, column2, … by both databases.


def _fast_update_supported() -> bool:
    if connection.vendor == "postgresql":
        return True
    if connection.vendor == "sqlite":
        return sqlite3.sqlite_version_info >= (3, 33, 0)
    return False


def _max_params() -> int:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return 65_535


def _update_rows(objs: list, fields: list[str]) -> None:
    meta = objs[0]._meta
    quote = connection.ops.quote_name
    table, pk = quote(meta.db_table), meta.pk
    columns = [meta.get_field(name) for name in fields]
    postgres = connection.vendor == "postgresql"

    def typed(expression: str, model_field) -> str:
        return f"CAST({expression} AS {model_field.db_type(connection)})" if postgres else expression

    assignments = ", ".join(
        f"{quote(column.column)} = {typed(f'v.column{position}', column)}"
        for position, column in enumerate(columns, start=2)
    )
    width = len(columns) + 1
    per_batch = max(1, min(BATCH, _max_params() // width))
    row_placeholder = "(" + ", ".join(["%s"] * width) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_batch):
            chunk = objs[start : start + per_batch]
            params = []
            for obj in chunk:
                params.append(obj.pk)
                params += [column.get_db_prep_save(getattr(obj, column.attname), connection) for column in columns]
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([row_placeholder] * len(chunk))}) AS v "
                f"WHERE {table}.{quote(pk.column)} = {typed('v.column1', pk)}",
                params,
            )
